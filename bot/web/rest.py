"""The REST API for integrations (credentials.yml: `bot.web.rest.SafeRestInput`), screened like
the widget.

Same address and shape as Rasa's `rest` channel: POST /webhooks/rest/webhook with
`{"sender": "...", "message": "..."}` answers a JSON list of bot messages (`?stream=true` streams
them). It is for trusted systems (a hotline system, a portal's back end), never for residents'
browsers (the widget and WeChat are the public doors):
- it is off unless $YIBAO_REST_TOKEN is set (404 with a polite Chinese reply); then every request
  needs `Authorization: Bearer <token>` (401 otherwise);
- the sender is the caller's own conversation id (required, at most 128 characters, not the
  widget's `web-` ids). It may be a phone number, so it is never stored: Rasa, the tracker store,
  the hand-offs and the audit see only its keyed pseudonym `rest-…` (bot.pseudonyms); replies
  carry the caller's id back as `recipient_id`.
Every message passes bot.web.safety first: at most 500 characters (413), at most 20 messages per
sender in 10 s (429), personal data masked, a leading "/" is plain text (no `/intent{slots}`). A
rejected message gets the usual list shape with one polite Chinese text. Client `metadata` and
`input_channel` are ignored, so nothing unscreened reaches the tracker.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.pseudonyms import Pseudonyms, server_pseudonyms
from bot.web.json_api import json_body, json_reply
from bot.web.rate_limits import Limiter
from bot.web.safety import (TEXT_BAD_REQUEST, TEXT_BUSY, TEXT_REST_OFF, TEXT_REST_UNAUTHORIZED, Limits,
                            MessageGuard, Rejection)
from bot.web.sender_ids import SENDER_PREFIX

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
TOKEN_ENV = "YIBAO_REST_TOKEN"
PSEUDONYM_KIND = "rest"


class SafeRestInput(RestInput):
    """Rasa's REST channel with the checks of bot.web.safety."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self, limits: Limits = Limits(), token: str | None = None,
                 pseudonyms: Pseudonyms | None = None, limiter: Limiter | None = None) -> None:
        self.guard = MessageGuard(limits, limiter, self.name())
        self.token = token or None
        self.pseudonyms = pseudonyms

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SafeRestInput":
        token = os.environ.get(TOKEN_ENV) or None
        return cls(Limits.from_credentials(credentials), token, server_pseudonyms() if token else None,
                   Limiter.from_environment())

    def _authorized(self, request: Request) -> Rejection | None:
        """None when the request may pass: the API is on and it carries the token."""
        if self.token is None or self.pseudonyms is None:
            return Rejection(404, "off", TEXT_REST_OFF)
        given = (request.headers.get("authorization") or "").strip()
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode("utf-8", "replace"),
                                                                 self.token.encode("utf-8")):
            return Rejection(401, "unauthorized", TEXT_REST_UNAUTHORIZED)
        return None

    @staticmethod
    def _valid_sender(sender: object) -> bool:
        return (isinstance(sender, str) and bool(sender.strip()) and len(sender) <= MAX_SENDER_CHARS
                and not sender.startswith(SENDER_PREFIX))

    @staticmethod
    def _refuse(sender: object, rejection: Rejection) -> HTTPResponse:
        recipient = sender if isinstance(sender, str) else None
        return json_reply([{"recipient_id": recipient, "text": rejection.text}],
                          status=rejection.status, headers=rejection.headers())

    @staticmethod
    def _busy_on_failure(on_new_message: Callable[[UserMessage], Awaitable[Any]]
                         ) -> Callable[[UserMessage], Awaitable[None]]:
        """For streamed replies: a turn that fails ends with TEXT_BUSY. (Rasa's stream waits for
        the handler to finish normally; a failed turn — action server down, tracker store
        unavailable — would leave the response open for ever.)"""
        async def handle(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except (asyncio.CancelledError, Exception):
                logger.exception("REST message from a sender failed (streamed)")
                await message.output_channel.send_text_message(message.sender_id, TEXT_BUSY)
        return handle

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint(f"yibao_{self.name()}", __name__)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            refused = self._authorized(request)
            if refused is not None:
                return self._refuse(None, refused)
            body = json_body(request)
            sender = body.get("sender") if body else None
            if body is None or not self._valid_sender(sender):
                return self._refuse(sender, Rejection(400, "bad_request", TEXT_BAD_REQUEST))
            conversation = self.pseudonyms.of(PSEUDONYM_KIND, sender)  # type: ignore[union-attr]
            verdict = self.guard.admit(conversation, body.get("message"))
            if isinstance(verdict, Rejection):
                return self._refuse(sender, verdict)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(self._busy_on_failure(on_new_message), verdict.text,
                                         conversation, self.name(), None),
                    content_type="text/event-stream")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(verdict.text, collector, conversation,
                                                 input_channel=self.name()))
            except (asyncio.CancelledError, Exception):
                logger.exception("REST message from a sender failed")
                return self._refuse(sender, Rejection(500, "busy", TEXT_BUSY))
            return json_reply([{**m, "recipient_id": sender} for m in collector.messages])

        return bp
