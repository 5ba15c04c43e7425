"""The live server's ParseBatcher (bot.rasa.fixes.parse_together): messages that ask for a parse
in the same pass of the event loop are parsed in one NLU graph run, each getting what Rasa's own
`parse_message` gives it alone. Runs the CI model in-process (the `hotline` fixture)."""
from __future__ import annotations

import asyncio
from typing import Any, Iterator

import pytest
from rasa.core.processor import MessageProcessor

from bot.rasa.fixes import parse_together
from tests.rasa.parses import same_parse, sample_texts


@pytest.fixture
def batched(hotline, monkeypatch) -> Iterator[tuple[Any, list[int]]]:
    """(assistant, the size of every batch parsed) with the batcher installed on a fresh processor
    state; Rasa's own parse_message again afterwards."""
    assistant = hotline[0]
    processor = assistant.agent.processor
    sizes: list[int] = []
    original = parse_together.parse_data_of

    def counted(processor_: MessageProcessor, messages: Any) -> Any:
        sizes.append(len(messages))
        return original(processor_, messages)

    monkeypatch.setattr(parse_together, "parse_data_of", counted)
    monkeypatch.setattr(MessageProcessor, "parse_message", parse_together.parse_message)
    processor.__dict__.pop(parse_together._BATCHER, None)
    yield assistant, sizes
    processor.__dict__.pop(parse_together._BATCHER, None)


def _alone(assistant: Any, text: str) -> dict:
    """Rasa's own parse of one message."""
    parse = parse_together._ORIGINAL_PARSE(assistant.agent.processor, assistant.message("alone", text))
    result = assistant.loop.run_until_complete(parse)
    result.pop("message_id", None)
    return result


def _parse_at_once(assistant: Any, texts: list[str]) -> list[Any]:
    """Every text's parse_message started at the same moment, as concurrent requests do;
    exceptions returned in place."""
    processor = assistant.agent.processor

    async def all_at_once() -> list[Any]:
        return await asyncio.gather(*(processor.parse_message(assistant.message(f"s{i}", t))
                                      for i, t in enumerate(texts)), return_exceptions=True)

    return assistant.loop.run_until_complete(all_at_once())


def test_messages_arriving_together_are_parsed_together_as_each_alone(batched):
    assistant, sizes = batched
    texts = sample_texts()
    together = _parse_at_once(assistant, texts)
    assert sizes == [len(texts)]                 # one NLU graph run for all of them
    assert len({p["intent"]["name"] for p in together}) > 5
    for text, parse in zip(texts, together):
        parse.pop("message_id", None)
        single = _alone(assistant, text)
        assert same_parse(parse, single), text
        assert parse["intent"]["name"] == single["intent"]["name"], text
        assert parse["entities"] == single["entities"], text


def test_a_message_alone_is_parsed_exactly_as_rasa_does(batched):
    assistant, sizes = batched
    for text in ("我在太原,县医院住院花了两万,能报多少", "新疆断保两年,现在交多久能报销", "😀"):
        (parse,) = _parse_at_once(assistant, [text])
        parse.pop("message_id", None)
        assert parse == _alone(assistant, text)
    assert sizes == [1, 1, 1]


def test_messages_one_after_another_are_not_held_back(batched):
    assistant, sizes = batched
    processor = assistant.agent.processor

    async def in_turn() -> list[dict]:
        return [await processor.parse_message(assistant.message("t", t)) for t in ("你好", "谢谢")]

    parses = assistant.loop.run_until_complete(in_turn())
    assert [p["intent"]["name"] for p in parses] == ["greet", "thanks"]
    assert sizes == [1, 1]


def test_an_error_reaches_only_the_message_that_caused_it(batched, monkeypatch):
    assistant, sizes = batched
    counted = parse_together.parse_data_of

    def failing_on_boom(processor: MessageProcessor, messages: Any) -> Any:
        if any(m.text == "boom" for m in messages):
            sizes.append(-len(messages))
            raise RuntimeError("boom")
        return counted(processor, messages)

    monkeypatch.setattr(parse_together, "parse_data_of", failing_on_boom)
    texts = ["新疆断保两年,现在交多久能报销", "boom", "你好"]
    results = _parse_at_once(assistant, texts)
    assert isinstance(results[1], RuntimeError) and str(results[1]) == "boom"
    for text, parse in ((texts[0], results[0]), (texts[2], results[2])):
        parse.pop("message_id", None)
        assert parse == _alone(assistant, text)
    assert sizes == [-3, 1, -1, 1]   # the batch failed; then each alone: only "boom" failed again


def test_a_caller_that_gave_up_does_not_stop_the_others(batched):
    assistant, sizes = batched
    processor = assistant.agent.processor

    async def one_cancelled() -> list[Any]:
        tasks = [asyncio.ensure_future(processor.parse_message(assistant.message(f"c{i}", t)))
                 for i, t in enumerate(("你好", "谢谢", "转人工"))]
        await asyncio.sleep(0)           # all three are waiting for the batch
        tasks[1].cancel()
        return await asyncio.gather(*tasks, return_exceptions=True)

    results = assistant.loop.run_until_complete(one_cancelled())
    assert isinstance(results[1], asyncio.CancelledError)
    assert results[0]["intent"]["name"] == "greet"
    assert results[2]["intent"]["name"] == "human_handoff"
    assert sizes == [2]


def test_our_nlu_graph_reads_nothing_of_the_conversation(hotline):
    assert parse_together.nlu_reads_only_messages(hotline[0].agent.processor)


def test_a_model_whose_nlu_reads_the_conversation_is_parsed_by_rasa(batched, monkeypatch):
    assistant, sizes = batched
    monkeypatch.setattr(parse_together, "nlu_reads_only_messages", lambda processor: False)
    parses = _parse_at_once(assistant, ["你好", "谢谢"])
    assert [p["intent"]["name"] for p in parses] == ["greet", "thanks"]
    assert sizes == []                    # Rasa's parse_message, one by one

