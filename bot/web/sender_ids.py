"""Sender ids the server issues to the chat widget: random, HMAC-signed, checked on every request.

A token is `<sender id>.<signature>`: the sender id is `web-` + 128 random bits, the signature
HMAC-SHA256 of the id under the server secret (bot.server_secret, base64url). The widget keeps the
token; a missing or forged token gets a new id, so nobody can continue someone else's
conversation.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

SENDER_PREFIX = "web-"          # the REST channel refuses senders with this prefix
MAX_TOKEN_CHARS = 200


@dataclass(frozen=True)
class IssuedSender:
    sender_id: str   # what Rasa and the tracker store see
    token: str       # what the widget keeps


@dataclass(frozen=True)
class SenderSigner:
    secret: bytes = field(repr=False)

    def _sign(self, sender_id: str) -> str:
        mac = hmac.new(self.secret, sender_id.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")

    def issue(self) -> IssuedSender:
        sender_id = SENDER_PREFIX + secrets.token_urlsafe(16)
        return IssuedSender(sender_id, f"{sender_id}.{self._sign(sender_id)}")

    def verify(self, token: object) -> str | None:
        """The sender id of a genuine token, else None."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARS or "." not in token:
            return None
        sender_id, _, signature = token.rpartition(".")
        if not sender_id.startswith(SENDER_PREFIX):
            return None
        if hmac.compare_digest(signature.encode("ascii", "replace"),
                               self._sign(sender_id).encode("ascii")):
            return sender_id
        return None
