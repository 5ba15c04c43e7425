"""Who may use the operator page: $YIBAO_OPERATOR_TOKEN and the signed-in operator's cookie.

- No token in the environment: the page is off (bot.web.operator answers 404).
- A token shorter than 16 characters stops the server's start (bot.web.settings.SettingError).
- Signing in posts the token and the operator's name; tokens are compared with
  hmac.compare_digest. The cookie then holds the name, when it expires and an HMAC-SHA256 of both
  keyed by the token: it never holds the token, cannot be forged or extended without it, and stops
  working when the token changes.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from dataclasses import dataclass
from typing import Mapping

from bot.nlp import mask_personal_data
from bot.web.settings import SettingError

TOKEN_ENV = "YIBAO_OPERATOR_TOKEN"
MIN_TOKEN_CHARS = 16
MAX_NAME_CHARS = 20
SESSION_SECONDS = 12 * 3600
TEXT_SHORT_TOKEN = "环境变量 {env} 太短:操作员口令至少 {n} 个字符(可用 python -c \"import secrets; print(secrets.token_urlsafe(24))\" 生成)。"


def operator_token(environ: Mapping[str, str] = os.environ) -> str | None:
    """$YIBAO_OPERATOR_TOKEN, or None when the page is off; SettingError when it is too short."""
    token = (environ.get(TOKEN_ENV) or "").strip()
    if not token:
        return None
    if len(token) < MIN_TOKEN_CHARS:
        raise SettingError(TEXT_SHORT_TOKEN.format(env=TOKEN_ENV, n=MIN_TOKEN_CHARS))
    return token


def operator_name(raw: object) -> str | None:
    """The name an operator signs in with, or None when it cannot be one: 1–20 characters, no
    control characters, nothing personal-data masking would hide (a phone number is no name)."""
    if not isinstance(raw, str):
        return None
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not 0 < len(name) <= MAX_NAME_CHARS:
        return None
    if any(unicodedata.category(c).startswith("C") for c in name):
        return None
    return name if mask_personal_data(name) == name else None


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")


def _unb64(text: str) -> str | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


@dataclass(frozen=True)
class OperatorAccess:
    token: str

    def token_matches(self, given: object) -> bool:
        if not isinstance(given, str):
            return False
        return hmac.compare_digest(given.strip().encode("utf-8"), self.token.encode("utf-8"))

    def _mac(self, name: str, expires: int) -> str:
        message = f"yibao-operator\n{expires}\n{name}".encode("utf-8")
        return hmac.new(self.token.encode("utf-8"), message, hashlib.sha256).hexdigest()

    def cookie_value(self, name: str, now: float) -> str:
        """The signed-in cookie of `name`, valid SESSION_SECONDS from `now`."""
        expires = int(now) + SESSION_SECONDS
        return f"{_b64(name)}.{expires}.{self._mac(name, expires)}"

    def operator(self, cookie: object, now: float) -> str | None:
        """The operator a cookie was issued to, or None (forged, expired, another token)."""
        parts = cookie.split(".") if isinstance(cookie, str) and len(cookie) < 512 else []
        if len(parts) != 3 or not (parts[1].isascii() and parts[1].isdigit()):
            return None
        name, expires = _unb64(parts[0]), int(parts[1])
        if name is None or operator_name(name) != name or expires <= now:
            return None
        mac = parts[2].encode("utf-8", "replace")
        return name if hmac.compare_digest(mac, self._mac(name, expires).encode("ascii")) else None
