"""bot.rasa.fixes.graph_runner: the loaded model's NLU and policy graphs give exactly what they give
under Rasa's own dask runner, turn by turn through a conversation."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from rasa.core.channels.channel import UserMessage
from rasa.engine.runner.dask import DaskGraphRunner

from bot.rasa.fixes import graph_runner

TURNS = ["你好", "在伊宁,断保两年了,现在交多久能报销?", "嗯", "太原 县医院住院 花了一万二",
         "医保卡丢了咋补办", "我要转人工", "帮我写首诗", "不对 是三万"]


@contextlib.contextmanager
def rasa_runner() -> Iterator[None]:
    DaskGraphRunner.run = graph_runner.original()
    try:
        yield
    finally:
        graph_runner.install()


def _parse(conversation_loop: Any, processor: Any, text: str) -> dict:
    return conversation_loop.run_until_complete(processor.parse_message(UserMessage(text, message_id="same-id")))


def test_installed():
    assert DaskGraphRunner.run is graph_runner.run


def test_same_parse_and_same_predictions_as_dask(agent, conversation, event_loop_session):
    processor = agent.processor
    talk = conversation()
    for text in TURNS:
        ours = _parse(event_loop_session, processor, text)
        with rasa_runner():
            theirs = _parse(event_loop_session, processor, text)
        assert ours == theirs, text
        talk.say(text)
        tracker = event_loop_session.run_until_complete(
            agent.tracker_store.get_or_create_tracker(talk.sender_id))
        ours_prediction = processor._predict_next_with_tracker(tracker)
        with rasa_runner():
            theirs_prediction = processor._predict_next_with_tracker(tracker)
        assert (ours_prediction.max_confidence_index, ours_prediction.policy_name,
                ours_prediction.probabilities) == (theirs_prediction.max_confidence_index,
                                                   theirs_prediction.policy_name,
                                                   theirs_prediction.probabilities), text


def test_execution_order_puts_each_node_after_what_it_needs(agent):
    schema = agent.processor.graph_runner._graph_schema
    order = graph_runner.execution_order(schema, tuple(schema.target_names))
    position = {name: k for k, (name, _) in enumerate(order)}
    assert set(position) == set(schema.minimal_graph_schema().nodes)
    for name, needs in order:
        assert all(position[need] < position[name] for need in needs if need in position)
