"""The REST API (credentials.yml: `bot.web.rest.SafeRestInput`), screened like the widget.

Same address and shape as Rasa's `rest` channel: POST /webhooks/rest/webhook with
`{"sender": "...", "message": "..."}` answers a JSON list of bot messages (`?stream=true` streams
them). Every message passes bot.web.safety first: at most 500 characters (413), at most 20
messages per sender in 10 s (429), ID-card and mobile numbers masked, a leading "/" is plain text
(no `/intent{slots}`). A rejected message gets the usual list shape with one polite Chinese text.

The sender is the client's: this is the integration API for trusted callers (tests, a hotline
system), which keep their own conversation ids. It is required (no shared "default"
conversation), at most 128 characters, and may not use the widget's `web-` ids. Client
`metadata` and `input_channel` are ignored, so nothing unscreened reaches the tracker.
"""
from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.web.json_api import json_body, json_reply
from bot.web.safety import (TEXT_BAD_REQUEST, TEXT_BUSY, Limits, MessageGuard, Rejection)
from bot.web.sender_ids import SENDER_PREFIX

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128


class SafeRestInput(RestInput):
    """Rasa's REST channel with the checks of bot.web.safety."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def __init__(self, limits: Limits = Limits()) -> None:
        self.guard = MessageGuard(limits)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SafeRestInput":
        return cls(Limits.from_credentials(credentials))

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
            body = json_body(request)
            sender = body.get("sender") if body else None
            if body is None or not self._valid_sender(sender):
                return self._refuse(sender, Rejection(400, "bad_request", TEXT_BAD_REQUEST))
            verdict = self.guard.admit(sender, body.get("message"))
            if isinstance(verdict, Rejection):
                return self._refuse(sender, verdict)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(self._busy_on_failure(on_new_message), verdict.text,
                                         sender, self.name(), None),
                    content_type="text/event-stream")
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(verdict.text, collector, sender,
                                                 input_channel=self.name()))
            except (asyncio.CancelledError, Exception):
                logger.exception("REST message from a sender failed")
                return self._refuse(sender, Rejection(500, "busy", TEXT_BUSY))
            return json_reply(collector.messages)

        return bp
