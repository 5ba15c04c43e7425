"""Answering within WeChat's five seconds, each message once.

WeChat waits 5 s for the reply to a message, then sends it again (three times in all). The desk
runs a message's turn and waits for it up to the budget (credentials.yml,
`passive_budget_seconds`, 4 s by default): done in time, the answer goes in the reply itself
(passive reply); otherwise the reply is empty (WeChat's «success») at once and the answer goes
out through the customer-service API when the turn is done. The ledger (bot.wechat.ledger)
makes a retry of the same message never run the turn again: a retry gets the same passive text,
or an empty reply when the answer goes out later. An answer longer than one text message goes
out in pieces: the first in the reply, the rest after it through the API.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Awaitable, Callable

from bot.web.safety import TEXT_BUSY

from .ledger import LATER, REPLIED, Ledger, Outcome
from .settings import Timing
from .text import split

logger = logging.getLogger(__name__)

RETRY_POLL_SECONDS = 0.1
# The rest of a long answer follows the passive reply after this pause, so it shows below it.
FOLLOW_UP_PAUSE_SECONDS = 1.0

Turn = Callable[[], Awaitable[str]]
Send = Callable[[str], Awaitable[None]]


class Desk:
    def __init__(self, ledger: Ledger, timing: Timing = Timing()) -> None:
        self.ledger = ledger
        self.timing = timing
        self._later: set[asyncio.Task] = set()     # answers on their way through the API

    async def answer(self, key: str, turn: Turn, send_later: Send) -> str:
        """The text of the passive reply ("" for an empty reply)."""
        if not self.ledger.claim(key):
            return await self._retried(key)
        running = asyncio.ensure_future(self._text_of(turn))
        done, _ = await asyncio.wait({running}, timeout=self.timing.passive_budget)
        if running in done:
            pieces = split(running.result())
            first = pieces[0] if pieces else ""
            self.ledger.settle(key, Outcome(REPLIED, first))
            if len(pieces) > 1:
                self._spawn(self._send(pieces[1:], send_later, FOLLOW_UP_PAUSE_SECONDS))
            return first
        self.ledger.settle(key, Outcome(LATER))
        self._spawn(self._send_when_done(running, send_later))
        return ""

    async def _retried(self, key: str) -> str:
        """A retry: the first request's passive text once it has one, "" when it answers later."""
        deadline = time.monotonic() + self.timing.passive_budget
        while True:
            outcome = self.ledger.outcome(key)
            if outcome is None or outcome.state == LATER:
                return ""
            if outcome.state == REPLIED:
                return outcome.text
            if time.monotonic() >= deadline:
                return ""
            await asyncio.sleep(RETRY_POLL_SECONDS)

    @staticmethod
    async def _text_of(turn: Turn) -> str:
        try:
            return await turn()
        except (asyncio.CancelledError, Exception):
            logger.exception("a WeChat message's turn failed")
            return TEXT_BUSY

    def _spawn(self, coroutine: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._later.add(task)
        task.add_done_callback(self._later.discard)

    async def _send_when_done(self, running: "asyncio.Future[str]", send_later: Send) -> None:
        await self._send(split(await running), send_later)

    @staticmethod
    async def _send(pieces: list[str], send_later: Send, pause: float = 0.0) -> None:
        if pause:
            await asyncio.sleep(pause)
        for piece in pieces:
            try:
                await send_later(piece)
            except Exception as error:
                # named only: the text, the recipient and the token stay out of the log
                logger.error("sending a WeChat answer through the API failed: %s %s",
                             type(error).__name__, getattr(error, "errcode", "") or "")
                return
