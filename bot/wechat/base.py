"""What the Official Account and WeCom channels share: reading a message, the privacy screen,
numbered options, the desk, and the two routes (GET: server-address check; POST: messages).

A subclass says how its platform signs, encrypts and parses (`verified_echo`, `opened`, `sealed`,
`parse`) and how an answer goes out later (`send_later`). The resident's id (OpenID, UserID) is
stored nowhere: Rasa and everything behind it see only its keyed pseudonym (bot.pseudonyms),
and the raw id lives only in memory until a later answer has been sent.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Iterable, Mapping, Optional, Protocol, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.pseudonyms import server_pseudonyms
from bot.web.history import bot_messages
from bot.web.rate_limits import Limiter
from bot.web.safety import Limits, MessageGuard, Rejection

from . import wording
from .desk import Desk
from .inbound import COMMAND, FIXED, SAY, Inbound, read
from .ledger import ledger_from_environment
from .settings import Timing
from .text import choice_number, chosen_option, options_of, render

logger = logging.getLogger(__name__)

XML = "application/xml; charset=utf-8"
EMPTY_REPLY = "success"        # WeChat's «no reply»: shows nothing and stops the retries


def query_arg(request: Request, name: str) -> str:
    return str(request.args.get(name) or "")


class Refusal(Exception):
    """A request to refuse: HTTP status and the polite text."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def decrypted(crypto: Any, request: Request, forged: tuple[type[Exception], ...]) -> bytes:
    """The message XML inside an encrypted request: 403 when `msg_signature` or the sender's id
    does not match (`forged`), 400 when it is not a message at all."""
    try:
        return crypto.decrypt_message(request.body, query_arg(request, "msg_signature"),
                                      query_arg(request, "timestamp"), query_arg(request, "nonce")).encode("utf-8")
    except forged:
        raise Refusal(403, wording.BAD_SIGNATURE) from None
    except Exception:
        raise Refusal(400, wording.BAD_MESSAGE) from None


def offered_buttons(events: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    """The options the bot's messages offered since the resident last spoke (tracker events as
    dicts): buttons, or an answer card's follow-ups, as shown by bot.wechat.text."""
    offered: list[dict[str, str]] = []
    for event in events:
        kind = event.get("event")
        if kind in ("user", "restart"):
            offered = []
        elif kind == "bot":
            data = event.get("data") or {}
            data = data if isinstance(data, Mapping) else {}
            for message in bot_messages([{"text": "", "buttons": data.get("buttons"),
                                          "custom": data.get("custom")}]):
                offered.extend(options_of(message))
    return offered


class TextSender(Protocol):
    async def send_text(self, user: str, text: str) -> None: ...


class WeChatFamilyInput(InputChannel):
    """A WeChat-protocol channel; off (404) when its settings are not in the environment.

    A platform names its settings class (read from the environment, None when off), its API
    client, how it parses a message and builds a text reply, and supplies the signature and
    encryption steps below."""

    pseudonym_kind = "wechat"
    settings_class: Any           # OfficialAccount | WeComApp: `.from_environment()`
    client_class: Any             # its API client: `client_class(settings)` is a TextSender
    parse_xml: Callable[[bytes], Any]   # a staticmethod: wechatpy's parse_message of the platform
    reply_class: Any              # wechatpy's TextReply of the platform

    def __init__(self, settings: Any = None, desk: Desk | None = None, client: TextSender | None = None,
                 limits: Limits = Limits(), limiter: Limiter | None = None) -> None:
        self.settings = settings
        self.enabled = settings is not None
        self.pseudonyms = server_pseudonyms() if settings is not None else None
        self.desk = desk
        self.client = client
        self.guard = MessageGuard(limits, limiter, self.name())
        self.crypto = self.crypto_for(settings) if settings is not None else None

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatFamilyInput":
        settings = cls.settings_class.from_environment()
        if settings is None:
            return cls()
        timing = Timing.from_credentials(credentials)
        return cls(settings, Desk(ledger_from_environment(timing.ledger_seconds), timing),
                   cls.client_class(settings), Limits.from_credentials(credentials),
                   Limiter.from_environment())

    # -- what a platform supplies -------------------------------------------------------------

    def crypto_for(self, settings: Any) -> Any:
        """wechatpy's WeChatCrypto for these settings (None when messages come plain only)."""
        raise NotImplementedError

    def verified_echo(self, request: Request) -> str:
        """GET: the echo string to return when the request is signed, else raise Refusal."""
        raise NotImplementedError

    def opened(self, request: Request) -> bytes:
        """POST: the message XML, checked (and decrypted); else raise Refusal."""
        raise NotImplementedError

    def sealed(self, request: Request, reply_xml: str) -> str:
        """The reply as sent (encrypted when the request was)."""
        raise NotImplementedError

    def parse(self, xml: bytes) -> Any:
        return self.parse_xml(xml)

    def reply_xml(self, message: Any, text: str) -> str:
        return self.reply_class(message=message, content=text).render()

    async def send_later(self, user: str, text: str) -> None:
        assert self.client is not None
        await self.client.send_text(user, text)

    # -- the shared part ----------------------------------------------------------------------

    async def _options(self, request: Request, sender: str) -> list[dict[str, str]]:
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return []
        try:
            tracker = await agent.tracker_store.retrieve(sender)
        except Exception:
            logger.exception("reading a WeChat conversation's last options failed")
            return []
        return offered_buttons(e.as_dict() for e in tracker.events) if tracker else []

    async def _what_to_send(self, request: Request, inbound: Inbound, sender: str) -> str | Rejection:
        """The text Rasa receives for a SAY or COMMAND, or the rejection to reply with."""
        if inbound.kind == COMMAND:
            rejection = self.guard.check_rate(sender)
            return rejection or inbound.text
        verdict = self.guard.admit(sender, inbound.text)
        if isinstance(verdict, Rejection):
            return verdict
        if choice_number(verdict.text) is None:       # the tracker is read for a number only
            return verdict.text
        return chosen_option(verdict.text, await self._options(request, sender)) or verdict.text

    async def handle(self, request: Request, inbound: Inbound,
                     on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> str:
        """The passive reply's text for one message ("" for none)."""
        if inbound.kind == FIXED:
            return inbound.text
        if inbound.kind not in (SAY, COMMAND) or not inbound.user:
            return ""
        assert self.pseudonyms is not None and self.desk is not None
        sender = self.pseudonyms.of(self.pseudonym_kind, inbound.user)

        async def turn() -> str:
            # all of it within the desk's budget: the screen, the options read back, Rasa's turn
            text = await self._what_to_send(request, inbound, sender)
            if isinstance(text, Rejection):
                return text.text
            collector = CollectingOutputChannel()
            await on_new_message(UserMessage(text, collector, sender, input_channel=self.name()))
            return render(bot_messages(collector.messages))

        user = inbound.user
        return await self.desk.answer(inbound.key, turn, lambda piece: self.send_later(user, piece))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"yibao_{self.name()}", __name__)

        @bp.route("/", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text(wording.CHANNEL_OFF, status=404)
            try:
                return response.text(self.verified_echo(request))
            except Refusal as refusal:
                return response.text(refusal.text, status=refusal.status)

        @bp.route("/", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.enabled:
                return response.text(wording.CHANNEL_OFF, status=404)
            try:
                xml = self.opened(request)
            except Refusal as refusal:
                return response.text(refusal.text, status=refusal.status)
            try:
                message = self.parse(xml)
                inbound = read(message)
            except Exception:
                # nothing of the body is logged: it may hold what the resident wrote
                logger.warning("an unreadable %s message was refused", self.name())
                return response.text(wording.BAD_MESSAGE, status=400)
            text = await self.handle(request, inbound, on_new_message)
            if not text:
                return response.text(EMPTY_REPLY)
            return response.text(self.sealed(request, self.reply_xml(message, text)), content_type=XML)

        return bp

    @classmethod
    def name(cls) -> Text:
        raise NotImplementedError
