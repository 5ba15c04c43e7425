"""The chat widget channel (credentials.yml: `bot.web.widget.WidgetInput`).

Routes under /webhooks/widget/ (bot.rasa.server also serves the page at `/`):

- GET  /                 the page (static/index.html), strict Content-Security-Policy
- GET  /static/<name>    widget.css, widget.js and the files shared with /check (modes.*,
                         card.*: bot.web.page_files); a fixed list, read once at start
- POST /session          `{"sender": token|null}` → `{"sender", "max_chars", "history", "starters"}`:
                         a genuine token keeps its conversation and gets its history (masked user
                         and bot texts since the last restart, with their answer cards, from the
                         tracker store); anything else gets a new server-issued id
                         (bot.web.sender_ids) and no history. `starters` are the first screen's
                         buttons, `[{"key", "label", "question"}]` (bot.dialogue.starters)
- POST /webhook          `{"sender", "message"}` or `{"sender", "command": "restart"|"handoff"}` →
                         `{"sender", "messages": [{"text", "buttons"[, "card"]}]}` (bot.web.history)

Messages pass bot.web.safety (size 413, rate 429, masking, no `/intent` syntax). The two
commands are the only way to reach an intent directly, through a fixed allow-list. Errors answer
`{"sender", "error", "messages": [{"text": <polite Chinese>}]}` with a matching HTTP status.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Sequence, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.dialogue.starters import STARTERS
from bot.server_secret import load_secret
from bot.web.embedding import configured_frame_ancestors, framing_headers
from bot.web.history import bot_messages, transcript
from bot.web.json_api import NO_STORE, json_body, json_reply
from bot.web.rate_limits import Limiter, Network, client_address, per_seconds, trusted_networks
from bot.web.safety import TEXT_BAD_REQUEST, TEXT_BUSY, Limits, MessageGuard, Rejection, too_fast
from bot.web.sender_ids import IssuedSender, SenderSigner
from bot.web.page_files import SHARED_FILES, PageFiles

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
PAGE = "index.html"
TEXT_NOT_FOUND = "未找到"
ASSETS = MappingProxyType({
    "index.html": "text/html; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "widget.js": "text/javascript; charset=utf-8",
    **SHARED_FILES,
})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'none'")
# frame-ancestors from $YIBAO_FRAME_ANCESTORS (bot.web.embedding: nobody unless origins are set;
# a wrong value stops the server's start in bot.web.app.build_app).
PAGE_HEADERS = MappingProxyType({**NO_STORE, **framing_headers(CSP, configured_frame_ancestors())})
# New ids per client address and minute: a request without a genuine id gets a fresh one, so
# this (not the per-sender limit) is what bounds a client that never keeps its id.
NEW_SENDERS_PER_MINUTE = 60
# New conversations per minute from everyone together: a ceiling no spread of addresses passes.
NEW_CONVERSATIONS_PER_MINUTE = 600
# Messages per client address and minute, whatever ids it uses.
MESSAGES_PER_ADDRESS_PER_MINUTE = 600


@dataclass(frozen=True)
class Command:
    """A button that must reach an intent whatever the NLU makes of words."""

    intent_text: str   # what Rasa receives
    label: str         # what the resident pressed (shown in the history)


COMMANDS: Mapping[str, Command] = MappingProxyType({
    "restart": Command("/restart", "重新开始"),
    "handoff": Command("/human_handoff", "转人工"),
})
COMMAND_LABELS: Mapping[str, str] = MappingProxyType({c.intent_text: c.label for c in COMMANDS.values()})


def starter_buttons() -> list[dict[str, str]]:
    """The first screen's buttons: the questions most residents start with (one list for every
    front end, bot.dialogue.starters)."""
    return [{"key": s.key, "label": s.label, "question": s.question} for s in STARTERS]


class WidgetInput(InputChannel):
    """The browser chat widget: server-issued signed sender ids, screened messages."""

    @classmethod
    def name(cls) -> Text:
        return "widget"

    def __init__(self, signer: SenderSigner, limits: Limits = Limits(),
                 new_senders_per_minute: int = NEW_SENDERS_PER_MINUTE,
                 files: PageFiles | None = None, limiter: Limiter | None = None,
                 new_conversations_per_minute: int = NEW_CONVERSATIONS_PER_MINUTE,
                 messages_per_address_per_minute: int = MESSAGES_PER_ADDRESS_PER_MINUTE,
                 trusted_proxies: Sequence[Network] = ()) -> None:
        self.signer = signer
        self.limiter = limiter or Limiter()
        self.guard = MessageGuard(limits, self.limiter, self.name())
        self.new_per_address = per_seconds(new_senders_per_minute, 60)
        self.new_everyone = per_seconds(new_conversations_per_minute, 60)
        self.messages_per_address = per_seconds(messages_per_address_per_minute, 60)
        self.trusted_proxies = tuple(trusted_proxies)
        self.files = files or PageFiles.read(ASSETS, PAGE, PAGE_HEADERS, TEXT_NOT_FOUND)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WidgetInput":
        c = credentials or {}
        secret_file = Path(c.get("secret_file") or "var/sender_secret")
        if not secret_file.is_absolute():
            secret_file = ROOT / secret_file
        return cls(SenderSigner(load_secret(secret_file)), Limits.from_credentials(c),
                   int(c.get("new_senders_per_minute", NEW_SENDERS_PER_MINUTE)),
                   limiter=Limiter.from_environment(),
                   new_conversations_per_minute=int(c.get("new_conversations_per_minute",
                                                          NEW_CONVERSATIONS_PER_MINUTE)),
                   messages_per_address_per_minute=int(c.get("messages_per_address_per_minute",
                                                             MESSAGES_PER_ADDRESS_PER_MINUTE)),
                   trusted_proxies=trusted_networks())

    # -- responses -----------------------------------------------------------------------------

    def asset(self, name: str) -> HTTPResponse:
        return self.files.response(name)

    def page(self) -> HTTPResponse:
        return self.asset(PAGE)

    @staticmethod
    def _refuse(token: str | None, rejection: Rejection) -> HTTPResponse:
        return json_reply({"sender": token, "error": rejection.code,
                           "messages": [{"text": rejection.text, "buttons": []}]},
                          status=rejection.status, headers=rejection.headers())

    def _caller(self, request: Request) -> tuple[dict[str, Any], IssuedSender] | HTTPResponse:
        """The request's JSON body and its conversation, or the refusal to send back."""
        body = json_body(request)
        if body is None:
            return self._refuse(None, Rejection(400, "bad_request", TEXT_BAD_REQUEST))
        sender = self._sender(request, body.get("sender"))
        if isinstance(sender, Rejection):
            return self._refuse(None, sender)
        return body, sender

    def _sender(self, request: Request, token: object) -> IssuedSender | Rejection:
        """The conversation of a genuine token, else a new one (limited per client address)."""
        sender_id = self.signer.verify(token)
        if sender_id is not None:
            return IssuedSender(sender_id, str(token))
        rejection = self.guard_new_sender(client_address(request, self.trusted_proxies))
        return rejection or self.signer.issue()

    def guard_new_sender(self, address: str) -> Rejection | None:
        """A new conversation for `address`: within its own limit and everyone's ceiling."""
        wait = (self.limiter.hit(self.new_per_address, self.name(), "new", address)
                or self.limiter.hit(self.new_everyone, self.name(), "new-all"))
        return too_fast(wait) if wait > 0 else None

    def guard_address(self, request: Request) -> Rejection | None:
        """Messages per client address, whatever ids it uses."""
        address = client_address(request, self.trusted_proxies)
        wait = self.limiter.hit(self.messages_per_address, self.name(), "messages", address)
        return too_fast(wait) if wait > 0 else None

    async def _history(self, request: Request, sender_id: str) -> list[dict[str, Any]]:
        agent = getattr(request.app.ctx, "agent", None)
        if agent is None or agent.tracker_store is None:
            return []
        tracker = await agent.tracker_store.retrieve(sender_id)
        if tracker is None:
            return []
        return transcript((event.as_dict() for event in tracker.events), COMMAND_LABELS)

    # -- routes --------------------------------------------------------------------------------

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"yibao_{self.name()}", __name__)

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return self.page()

        @bp.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            return self.asset(name)

        @bp.route("/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            caller = self._caller(request)
            if isinstance(caller, HTTPResponse):
                return caller
            _, sender = caller
            rejection = self.guard.check_rate(sender.sender_id)
            if rejection:
                return self._refuse(sender.token, rejection)
            try:
                history = await self._history(request, sender.sender_id)
            except Exception:
                logger.exception("reading a widget conversation's history failed")
                history = []
            return json_reply({"sender": sender.token, "max_chars": self.guard.limits.max_chars,
                               "history": history, "starters": starter_buttons()})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            caller = self._caller(request)
            if isinstance(caller, HTTPResponse):
                return caller
            body, sender = caller
            rejection = self.guard_address(request)
            if rejection:
                return self._refuse(sender.token, rejection)
            if "command" in body:
                command = COMMANDS.get(body["command"]) if isinstance(body["command"], str) else None
                if command is None:
                    return self._refuse(sender.token, Rejection(400, "bad_request", TEXT_BAD_REQUEST))
                rejection = self.guard.check_rate(sender.sender_id)
                if rejection:
                    return self._refuse(sender.token, rejection)
                text = command.intent_text
            else:
                verdict = self.guard.admit(sender.sender_id, body.get("message"))
                if isinstance(verdict, Rejection):
                    return self._refuse(sender.token, verdict)
                text = verdict.text
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender.sender_id,
                                                 input_channel=self.name()))
            except (asyncio.CancelledError, Exception):
                logger.exception("widget message failed")
                return self._refuse(sender.token, Rejection(500, "busy", TEXT_BUSY))
            return json_reply({"sender": sender.token, "messages": bot_messages(collector.messages)})

        return bp
