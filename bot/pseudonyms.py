"""Pseudonyms: a stable stand-in for an identifier that must not be stored (a REST caller's own
sender id, which may be a phone number; the sender of an audited answer).

`Pseudonyms(secret).of(kind, raw)` is `<kind>-` + the first 128 bits of HMAC-SHA256 of the raw id
under the server secret (bot.server_secret), base64url: the same id always gives the same
pseudonym, so a conversation stays one conversation, and without the secret nobody can tell which
id it stands for, nor test guesses against it (an unkeyed hash of a phone number can be reversed
by trying every number).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from functools import lru_cache

from bot.server_secret import load_secret


@dataclass(frozen=True)
class Pseudonyms:
    secret: bytes = field(repr=False)

    def of(self, kind: str, raw: str) -> str:
        mac = hmac.new(self.secret, f"{kind}\0{raw}".encode("utf-8"), hashlib.sha256).digest()
        return f"{kind}-" + base64.urlsafe_b64encode(mac[:16]).decode("ascii").rstrip("=")


@lru_cache(maxsize=1)
def server_pseudonyms() -> Pseudonyms:
    """With the server secret, read once per process."""
    return Pseudonyms(load_secret())
