"""What a resident did in WeChat, read from a parsed message (wechatpy's Official Account and
WeCom message classes share these fields): said something, pressed a menu item, followed the
account, or something the assistant does not take (a picture, a location)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.dialogue.starters import BY_KEY

from . import wording

SAY, COMMAND, FIXED, NOTHING = "say", "command", "fixed", "nothing"
GREET_COMMAND = "/greet"          # a new follower is greeted as if they had said hello
FOLLOW_EVENTS = frozenset({"subscribe", "subscribe_scan", "enter_agent"})


@dataclass(frozen=True)
class Inbound:
    key: str          # the ledger key: MsgId, or sender + time + event for events
    user: str         # OpenID / WeCom UserID: only to address a later reply, never stored
    kind: str         # SAY (text for the guard), COMMAND (an intent), FIXED (reply as is), NOTHING
    text: str = ""


def read(message: Any) -> Inbound:
    user = str(message.source or "")
    raw = getattr(message, "_data", None) or {}     # as received: wechatpy's UnknownMessage says "unknown"
    message_type = str(raw.get("MsgType") or getattr(message, "type", "") or "").lower()
    if message_type == "event":
        event = str(raw.get("Event") or getattr(message, "event", "") or "").lower()
        key = f"event:{user}:{message.time}:{event}"
        if event in FOLLOW_EVENTS:
            return Inbound(key, user, COMMAND, GREET_COMMAND)
        if event == "click":
            starter = BY_KEY.get(str(getattr(message, "key", "") or ""))
            return (Inbound(key, user, SAY, starter.question) if starter
                    else Inbound(key, user, FIXED, wording.MENU_UNKNOWN))
        return Inbound(key, user, NOTHING)       # unfollow, menu links, location reports …
    key = f"msg:{message.id}" if message.id else f"msg:{user}:{message.time}"
    if message_type == "text":
        return Inbound(key, user, SAY, str(message.content or ""))
    if message_type == "voice":
        recognized = str(getattr(message, "recognition", "") or "").strip()
        return (Inbound(key, user, SAY, recognized) if recognized
                else Inbound(key, user, FIXED, wording.VOICE_NOT_RECOGNIZED))
    return Inbound(key, user, FIXED, wording.ONLY_TEXT_AND_VOICE)
