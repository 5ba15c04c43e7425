"""The assistant for batch use: one Rasa Agent loaded once, one fresh conversation per call.

Trackers live in memory only (bot.transcripts.trackers; nothing goes to var/tracker.db) and a
call's tracker is dropped before and after the call, so a redone call starts from an empty
conversation and memory does not grow with the batch. Messages come in on the input channel
`hotline` (the audit log shows it).

`parse_ahead` understands the caller turns of many calls at once, before their conversations run:
the NLU graph does not look at the conversation (its only inputs are the message and the domain),
so each turn's parse is what Rasa would compute when the turn comes, and DIET predicts the whole
set in one network call (bot.rasa.fixes.batch_prediction). `run_messages` then hands Rasa each
turn with its parse in UserMessage.parse_data, which Rasa's MessageProcessor uses instead of
parsing the message again. `run_calls` does this for PARSE_AHEAD_CALLS calls at a time.

Import it after bot.rasa.quiet.quiet_environment(): it loads Rasa and TensorFlow.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig

from bot.rasa import overrides
from bot.rasa.fixes.parse_together import parse_data_of
from bot.rasa.quiet import quiet_rasa
from bot.transcripts.outcome import TurnOutcome, read_turn
from bot.transcripts.prepare import caller_texts, sender_for
from bot.transcripts.reader import Call
from bot.transcripts.trackers import CallTrackerStore

INPUT_CHANNEL = "hotline"
# Calls whose caller turns are understood in one go (one DIET call for all their turns); also
# the unit of work a worker process is given (bot.transcripts.pool).
PARSE_AHEAD_CALLS = 16


@dataclass(frozen=True)
class CallRun:
    """One call's outcome: the turns' outcomes, or why the call failed (masked later)."""
    call: Call
    outcomes: list[TurnOutcome] | None
    error: str | None = None


class HotlineAssistant:
    """`run_call(sender_id, texts)` → one TurnOutcome per text, in order."""

    def __init__(self, model_path: Path | str, action_endpoint: EndpointConfig) -> None:
        quiet_rasa()
        self.model_path = Path(model_path)
        overrides.install()
        self.trackers = CallTrackerStore()
        self.loop = asyncio.new_event_loop()
        self.agent = Agent.load(str(model_path), tracker_store=self.trackers,
                                action_endpoint=action_endpoint)

    def _forget(self, sender_id: str) -> None:
        self.trackers.forget(sender_id)

    @staticmethod
    def message(sender_id: str, text: str) -> UserMessage:
        return UserMessage(text, CollectingOutputChannel(), sender_id, input_channel=INPUT_CHANNEL)

    def parse_ahead(self, messages: Sequence[UserMessage]) -> None:
        """Sets each message's parse_data to what `processor.parse_message` would give it, with
        the NLU graph run once for all of them."""
        for message, parse_data in zip(messages, parse_data_of(self.agent.processor, messages)):
            message.parse_data = parse_data

    async def _run(self, messages: Sequence[UserMessage]) -> list[TurnOutcome]:
        outcomes = []
        for message in messages:
            await self.agent.handle_message(message)
            tracker = await self.trackers.retrieve(message.sender_id)
            outcomes.append(read_turn(tracker, self.agent.domain))
        return outcomes

    def run_call(self, sender_id: str, texts: Sequence[str]) -> list[TurnOutcome]:
        """One call's turns in order, each understood when it comes."""
        return self.run_messages(sender_id, [self.message(sender_id, t) for t in texts])

    def run_messages(self, sender_id: str, messages: Sequence[UserMessage]) -> list[TurnOutcome]:
        """One call's turns in order, as messages of `sender_id` (parsed ahead or not)."""
        self._forget(sender_id)
        try:
            return self.loop.run_until_complete(self._run(messages))
        finally:
            self._forget(sender_id)

    def process_call(self, call: Call, parsed: Sequence[UserMessage] | None = None) -> list[TurnOutcome]:
        """`parsed`: the call's caller turns already understood (`parse_ahead`)."""
        if parsed is not None:
            return self.run_messages(sender_for(call.call_id), parsed)
        return self.run_call(sender_for(call.call_id), caller_texts(call))

    def run_calls(self, calls: Sequence[Call]) -> Iterator[CallRun]:
        """One CallRun per call, in order, in this process (bot.transcripts.pool has the same
        method over several processes); the caller turns of PARSE_AHEAD_CALLS calls understood
        together first."""
        for start in range(0, len(calls), PARSE_AHEAD_CALLS):
            chunk = calls[start:start + PARSE_AHEAD_CALLS]
            for call, parsed in zip(chunk, self._parsed_ahead(chunk)):
                try:
                    yield CallRun(call, self.process_call(call, parsed))
                except Exception as exc:      # one bad call never stops the batch
                    yield CallRun(call, None, f"{type(exc).__name__}: {exc}")

    def _parsed_ahead(self, calls: Sequence[Call]) -> list[list[UserMessage] | None]:
        """Each call's caller turns as parsed messages. If parsing them together fails, None for
        every call: each then parses its own turns, so one bad call cannot fail the others."""
        try:
            per_call = [[self.message(sender_for(c.call_id), text) for text in caller_texts(c)]
                        for c in calls]
            self.parse_ahead([m for messages in per_call for m in messages])
        except Exception:
            return [None] * len(calls)
        return per_call

    def close(self) -> None:
        self.loop.run_until_complete(self.loop.shutdown_asyncgens())
        self.loop.close()
