"""Sender ids the server issues to the chat widget: random, HMAC-signed, checked on every request.

A token is `<sender id>.<signature>`: the sender id is `web-` + 128 random bits, the signature
HMAC-SHA256 of the id under a server secret (base64url). The widget keeps the token; a missing or
forged token gets a new id, so nobody can continue someone else's conversation. The secret comes
from the environment variable YIBAO_SENDER_SECRET, else from a file (var/sender_secret) created
once with permissions 0600.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

SECRET_ENV = "YIBAO_SENDER_SECRET"
SENDER_PREFIX = "web-"          # the REST channel refuses senders with this prefix
MIN_SECRET_CHARS = 16
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


def load_secret(path: Path, environ: Mapping[str, str] = os.environ) -> bytes:
    """The signing secret: $YIBAO_SENDER_SECRET, else `path` (created once, mode 0600)."""
    configured = environ.get(SECRET_ENV, "")
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise ValueError(f"环境变量 {SECRET_ENV} 太短:至少需要 {MIN_SECRET_CHARS} 个字符。")
        return configured.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create_secret_file(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)   # only the owner may read the secret
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise ValueError(f"{path} 中的密钥太短:至少需要 {MIN_SECRET_CHARS} 个字符,删除该文件即可重新生成。")
    return secret.encode("utf-8")


def _create_secret_file(path: Path) -> None:
    """Write a new secret to a private temporary file, then link it into place: servers starting
    together all end up with the first one's secret, and none reads a half-written file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass                       # another process was first: use its secret
    finally:
        temporary.unlink(missing_ok=True)
