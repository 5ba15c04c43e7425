"""Messages that reach the server at the same moment are understood in one NLU graph run.

Rasa's MessageProcessor parses each message on its own: one NLU graph run, one DIET network call.
The fixed cost of that call is most of DIET's time (bot.rasa.fixes.batch_prediction), and under
load several conversations' messages are waiting at the same moment: the event loop hands the
server's request handlers all the requests that arrived while it was busy, one after another.

`ParseBatcher` collects them. `MessageProcessor.parse_message` adds its message to the batcher's
pending set and waits; the set is parsed by a callback queued with `loop.call_soon` when the first
message arrives, so it runs as soon as the handlers already scheduled in this pass of the loop
have reached their own parse. No timer: a message never waits for one, and a message that
arrives alone is parsed alone (Rasa's own path, one loop pass later).

Each message gets what `parse_message` would give it alone: the NLU graph's only inputs are the
messages and the domain (checked once per processor; otherwise every message is parsed on its
own), and DIET's batch rows equal its one-by-one predictions up to float32 rounding
(tests/rasa/test_parse_together.py and test_transcripts.py). When a batch fails,
each message is parsed again on its own, so an error reaches only the message that causes it.
"""
from __future__ import annotations

import asyncio
import copy
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor, structlogger
from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY, TEXT

ParseData = Dict[Text, Any]
_ORIGINAL_PARSE = MessageProcessor.parse_message
_BATCHER = "_yibao_parse_batcher"          # MessageProcessor instance attribute


def nlu_reads_only_messages(processor: MessageProcessor) -> bool:
    """The NLU graph of the processor's model needs nothing of the conversation (the tracker)."""
    target = processor.model_metadata.nlu_target
    if not target:
        return False
    schema = processor.graph_runner._graph_schema
    minimal = schema.minimal_graph_schema([target])
    return all(need != PLACEHOLDER_TRACKER for node in minimal.nodes.values()
               for need in node.needs.values())


def parse_data_of(processor: MessageProcessor, messages: Sequence[UserMessage]) -> List[ParseData]:
    """What `processor.parse_message` gives each of `messages`, from one run of the NLU graph
    (MessageProcessor._parse_message_with_graph and parse_message, for several messages)."""
    if not messages:
        return []
    target = processor.model_metadata.nlu_target
    results = processor.graph_runner.run(
        inputs={PLACEHOLDER_MESSAGE: list(messages),
                PLACEHOLDER_TRACKER: DialogueStateTracker.from_events(messages[0].sender_id, [])},
        targets=[target])
    parsed = results[target]
    if len(parsed) != len(messages):
        raise RuntimeError(f"NLU gave {len(parsed)} parses for {len(messages)} messages")
    out = []
    for parsed_message in parsed:
        parse_data: ParseData = {TEXT: "", INTENT: {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0},
                                 ENTITIES: []}
        parse_data.update(parsed_message.as_dict(only_output_properties=True))
        processor._update_full_retrieval_intent(parse_data)
        structlogger.debug("processor.message.parse",
                           parse_data_text=copy.deepcopy(parse_data[TEXT]),
                           parse_data_intent=parse_data[INTENT],
                           parse_data_entities=copy.deepcopy(parse_data[ENTITIES]))
        processor._check_for_unseen_features(parse_data)
        out.append(parse_data)
    return out


class ParseBatcher:
    """Parses the messages that ask for a parse in the same pass of the event loop together."""

    def __init__(self, processor: MessageProcessor) -> None:
        self._processor = processor
        self._pending: List[Tuple[UserMessage, "asyncio.Future[ParseData]"]] = []

    async def parse(self, message: UserMessage) -> ParseData:
        loop = asyncio.get_running_loop()
        future: "asyncio.Future[ParseData]" = loop.create_future()
        if not self._pending:
            loop.call_soon(self._flush)
        self._pending.append((message, future))
        return await future

    def _flush(self) -> None:
        batch, self._pending = self._pending, []
        waiting = [(message, future) for message, future in batch if not future.done()]
        if not waiting:
            return
        try:
            results = parse_data_of(self._processor, [message for message, _ in waiting])
        except Exception as error:  # noqa: BLE001 — handed to the callers below
            if len(waiting) == 1:
                waiting[0][1].set_exception(error)
                return
            for message, future in waiting:       # each alone: an error reaches its own caller
                self._settle(future, message)
            return
        for (_, future), parse_data in zip(waiting, results):
            if not future.done():
                future.set_result(parse_data)

    def _settle(self, future: "asyncio.Future[ParseData]", message: UserMessage) -> None:
        """The message parsed on its own; its result or its error to its caller."""
        try:
            result = parse_data_of(self._processor, [message])[0]
        except Exception as error:  # noqa: BLE001 — raised in the message's own parse_message
            if not future.done():
                future.set_exception(error)
            return
        if not future.done():
            future.set_result(result)


async def parse_message(self: MessageProcessor, message: UserMessage,
                        tracker: Optional[DialogueStateTracker] = None,
                        only_output_properties: bool = True) -> ParseData:
    """MessageProcessor.parse_message, through the processor's ParseBatcher where it applies
    (Rasa's own for an NLU server over HTTP, for all properties, and for an NLU graph that reads
    the conversation)."""
    if self.http_interpreter or not only_output_properties:
        return await _ORIGINAL_PARSE(self, message, tracker, only_output_properties)
    batcher = self.__dict__.get(_BATCHER)
    if batcher is None:        # decided once per processor (one per loaded model)
        batcher = self.__dict__[_BATCHER] = (ParseBatcher(self) if nlu_reads_only_messages(self)
                                             else False)
    if not batcher:
        return await _ORIGINAL_PARSE(self, message, tracker, only_output_properties)
    return await batcher.parse(message)


def install() -> None:
    MessageProcessor.parse_message = parse_message
