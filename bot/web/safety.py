"""The checks every public channel applies to a message before Rasa sees it.

Used by the chat widget (bot.web.widget) and the REST API (bot.web.rest):

- size: at most `max_chars` characters (default 500) → HTTP 413;
- rate: at most `rate_limit` messages per `rate_window` seconds per sender (default 20 / 10 s),
  counted by bot.web.rate_limits (in the servers' shared Redis when there is one) → HTTP 429;
- commands: Rasa reads a text starting with "/" as an intent with slot JSON
  (`/inform{"expense": 99999999}`). Here every text is plain text: leading slashes are removed,
  judged on the text as the NLU will see it (bot.nlp.normalize drops fillers, zero-width
  characters and turns ／ into /, so a prefix alone would not do);
- personal data is masked (bot.nlp.mask_personal_data), so it never reaches the tracker store;
- lone surrogates (a JSON "\ud800" is a valid string but not text) are dropped.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping, Union

from bot.nlp import mask_personal_data, normalize
from bot.web.rate_limits import Limiter, per_seconds

INTENT_PREFIX = "/"  # rasa.shared.constants.INTENT_MESSAGE_PREFIX

TEXT_TOO_LONG = "消息太长了:最多 {limit} 个字,这条有 {length} 个字。请分几次发送,或只说关键信息(地区、年份、金额)。"
TEXT_TOO_FAST = "您发得有点快,请稍等 {seconds} 秒再发。"
TEXT_EMPTY = "请输入您想咨询的问题。"
# A request body over the server's limit (bot.rasa.server), whatever its message says.
TEXT_BODY_TOO_LARGE = "消息太长了,请分几次发送,或只说关键信息(地区、年份、金额)。"
TEXT_BAD_REQUEST = "请求格式不正确,请刷新页面后再试。"
TEXT_BUSY = "系统繁忙,请稍后再试。"
TEXT_REST_OFF = "此接口仅供对接系统使用,当前未开启。居民咨询请使用聊天页面。"
TEXT_REST_UNAUTHORIZED = "此接口需要对接系统的访问令牌(Authorization: Bearer …)。"

# Whitespace, zero-width and format characters, and every character NFKC turns into "/".
_LEADING_NOISE = re.compile(r"^[\s\u200b-\u200f\u2060\ufeff/／]+")


@dataclass(frozen=True)
class Limits:
    """Size and rate limits of one channel (credentials.yml may override each)."""

    max_chars: int = 500
    rate_limit: int = 20
    rate_window: float = 10.0

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> "Limits":
        c = credentials or {}
        d = cls()
        limits = cls(max_chars=int(c.get("max_chars", d.max_chars)),
                     rate_limit=int(c.get("rate_limit", d.rate_limit)),
                     rate_window=float(c.get("rate_window", d.rate_window)))
        if min(limits.max_chars, limits.rate_limit) < 1 or limits.rate_window < 1:
            raise ValueError(f"credentials.yml 中的限额必须为正数:{limits}")
        return limits


@dataclass(frozen=True)
class Rejection:
    """Why a message was not passed on: HTTP status, a short code and a polite Chinese reply."""

    status: int
    code: str
    text: str
    retry_after: int | None = None

    def headers(self) -> dict[str, str]:
        if self.status == 401:
            return {"WWW-Authenticate": "Bearer"}
        return {"Retry-After": str(self.retry_after)} if self.retry_after else {}


@dataclass(frozen=True)
class Admitted:
    """A message that passed every check; `text` is what Rasa may see."""

    text: str


Verdict = Union[Admitted, Rejection]


def too_fast(wait: float) -> Rejection:
    """The 429 answer when the next request is allowed in `wait` seconds."""
    seconds = max(1, math.ceil(wait))
    return Rejection(429, "rate_limited", TEXT_TOO_FAST.format(seconds=seconds), seconds)


def _is_slash(char: str) -> bool:
    return unicodedata.normalize("NFKC", char) == INTENT_PREFIX


def reads_as_command(text: str) -> bool:
    """True when Rasa would take `text` for `/intent{slots}` (as sent, or once normalised)."""
    return (text.lstrip().startswith(INTENT_PREFIX)
            or normalize(text).lstrip().startswith(INTENT_PREFIX))


def neutralize_command(text: str) -> str:
    """`text` as plain text: leading slashes removed until neither form starts with "/"."""
    out = text
    while out and reads_as_command(out):
        trimmed = _LEADING_NOISE.sub("", out)
        if trimmed == out:
            # A filler the normaliser drops stands before the slash (嗯/restart): drop the slash.
            cut = next((i for i, char in enumerate(out) if _is_slash(char)), 0)
            trimmed = out[:cut] + out[cut + 1:]
        out = trimmed
    return out.strip()


# Lone UTF-16 halves: JSON may carry them ("\ud800"), but they are not text, and every UTF-8
# encoder on the way (spaCy, the tracker store, the reply) raises on them.
_SURROGATES = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Lone surrogates dropped, personal data masked, then made plain text (order matters:
    masks never start with "/")."""
    return neutralize_command(mask_personal_data(_SURROGATES.sub("", text)))


class MessageGuard:
    """All checks of one channel, in order: type, rate, size, cleaning."""

    def __init__(self, limits: Limits = Limits(), limiter: Limiter | None = None,
                 channel: str = "channel") -> None:
        self.limits = limits
        self.limiter = limiter or Limiter()
        self.channel = channel
        self._per_sender = per_seconds(limits.rate_limit, limits.rate_window)

    def check_rate(self, sender: str) -> Rejection | None:
        wait = self.limiter.hit(self._per_sender, self.channel, "sender", sender)
        return too_fast(wait) if wait > 0 else None

    def check_size(self, text: str) -> Rejection | None:
        if len(text) > self.limits.max_chars:
            return Rejection(413, "too_long",
                             TEXT_TOO_LONG.format(limit=self.limits.max_chars, length=len(text)))
        return None

    def admit(self, sender: str, message: object) -> Verdict:
        """The text Rasa may see, or why not. Every call counts against the sender's rate."""
        if not isinstance(message, str):
            return Rejection(400, "bad_request", TEXT_BAD_REQUEST)
        rejection = self.check_rate(sender)
        if rejection:
            return rejection
        text = message.strip()
        rejection = self.check_size(text)
        if rejection:
            return rejection
        cleaned = clean_text(text)
        if not cleaned:
            return Rejection(400, "empty", TEXT_EMPTY)
        return Admitted(cleaned)
