"""The assistant for batch use: one Rasa Agent loaded once, one fresh conversation per call.

Trackers live in memory only (transcript_trackers; nothing goes to var/tracker.db) and a call's
tracker is dropped before and after the call, so a redone call starts from an empty conversation
and memory does not grow with the batch. Messages come in on the input channel `hotline`
(the audit log shows it).

`parse_ahead` understands the caller turns of many calls at once, before their conversations run:
the NLU graph does not look at the conversation (its only inputs are the message and the domain),
so each turn's parse is what Rasa would compute when the turn comes, and DIET predicts the whole
set in one network call (bot.rasa_fixes.batch_prediction). `run_messages` then hands Rasa each
turn with its parse in UserMessage.parse_data, which Rasa's MessageProcessor uses instead of
parsing the message again.
"""
from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from bot import rasa_fixes

if TYPE_CHECKING:
    from rasa.core.channels.channel import UserMessage

    from bot.channels.transcript_input import Call
    from bot.channels.transcript_pool import CallRun
    from bot.channels.transcript_outcome import TurnOutcome

INPUT_CHANNEL = "hotline"


def quiet_environment() -> None:
    """Before Rasa (and TensorFlow) are imported: no telemetry, no TensorFlow info lines."""
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def quiet_rasa() -> None:
    """Warnings and errors only, on stderr (Rasa's structlog prints debug lines otherwise)."""
    quiet_environment()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    import jieba                    # its import sets its own logger to DEBUG

    jieba.setLogLevel(logging.WARNING)
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    before = os.environ.get("LOG_LEVEL")
    configure_logging_and_warnings(logging.WARNING)   # also writes LOG_LEVEL into os.environ
    configure_structlog(logging.WARNING)
    # Keep this process's quietness to itself: child processes (rasa CLIs, servers) log as usual.
    if before is None:
        os.environ.pop("LOG_LEVEL", None)
    else:
        os.environ["LOG_LEVEL"] = before


class HotlineAssistant:
    """`run_call(sender_id, texts)` → one TurnOutcome per text, in order."""

    def __init__(self, model_path: Path | str, action_endpoint: object) -> None:
        quiet_rasa()
        from rasa.core.agent import Agent

        from bot.channels.transcript_trackers import CallTrackerStore

        self.model_path = Path(model_path)
        rasa_fixes.install()
        self.trackers = CallTrackerStore()
        self.loop = asyncio.new_event_loop()
        self.agent = Agent.load(str(model_path), tracker_store=self.trackers,
                                action_endpoint=action_endpoint)

    def _forget(self, sender_id: str) -> None:
        self.trackers.forget(sender_id)

    @staticmethod
    def message(sender_id: str, text: str) -> "UserMessage":
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        return UserMessage(text, CollectingOutputChannel(), sender_id, input_channel=INPUT_CHANNEL)

    def parse_ahead(self, messages: Sequence["UserMessage"]) -> None:
        """Sets each message's parse_data to what `processor.parse_message` would give it, with
        the NLU graph run once for all of them."""
        from bot.rasa_fixes.parse_together import parse_data_of

        for message, parse_data in zip(messages, parse_data_of(self.agent.processor, messages)):
            message.parse_data = parse_data

    async def _run(self, messages: Sequence["UserMessage"]) -> list["TurnOutcome"]:
        from bot.channels.transcript_outcome import read_turn

        outcomes = []
        for message in messages:
            await self.agent.handle_message(message)
            tracker = await self.trackers.retrieve(message.sender_id)
            outcomes.append(read_turn(tracker, self.agent.domain))
        return outcomes

    def run_call(self, sender_id: str, texts: Sequence[str]) -> list["TurnOutcome"]:
        """One call's turns in order, each understood when it comes."""
        return self.run_messages(sender_id, [self.message(sender_id, t) for t in texts])

    def run_messages(self, sender_id: str, messages: Sequence["UserMessage"]) -> list["TurnOutcome"]:
        """One call's turns in order, as messages of `sender_id` (parsed ahead or not)."""
        self._forget(sender_id)
        try:
            return self.loop.run_until_complete(self._run(messages))
        finally:
            self._forget(sender_id)

    def run_calls(self, calls: Sequence["Call"]) -> Iterator["CallRun"]:
        """One CallRun per call, in order, in this process (transcript_pool has the same
        method over several processes)."""
        from bot.channels.transcript_pool import run_calls

        return run_calls(self, calls)

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
