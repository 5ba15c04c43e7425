"""bot.rasa.faq_selector: the FAQ choice for every question (FAQ or calculation) is Rasa's
ResponseSelector's, and small talk gets none (nothing reads it there)."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from rasa.core.channels.channel import UserMessage
from rasa.nlu.selectors.response_selector import ResponseSelector

from bot.rasa.faq_selector import SMALL_TALK, FaqResponseSelector

QUESTION_TEXTS = ["集中缴费期是什么时候", "个人账户能给家人用吗", "医保卡丢了咋补办",
                  "在县医院住院花了两万能报多少", "我断保两年了,现在交多久能报销"]
SMALL_TALK_TEXTS = ["你好", "谢谢你", "再见", "转人工"]


def _selector_node(agent: Any) -> Any:
    (node,) = [n for n in agent.processor.graph_runner._instantiated_nodes.values()
               if isinstance(n._component, ResponseSelector)]
    return node


@contextlib.contextmanager
def rasas_selector(agent: Any) -> Iterator[None]:
    node = _selector_node(agent)
    ours = node._fn
    node._fn = ResponseSelector.process
    try:
        yield
    finally:
        node._fn = ours


def _parse(agent: Any, loop: Any, text: str) -> dict:
    return loop.run_until_complete(agent.processor.parse_message(UserMessage(text, message_id="m")))


def test_the_model_uses_it(agent):
    assert type(_selector_node(agent)._component) is FaqResponseSelector


def test_questions_get_rasas_choice(agent, event_loop_session):
    for text in QUESTION_TEXTS:
        ours = _parse(agent, event_loop_session, text)
        with rasas_selector(agent):
            theirs = _parse(agent, event_loop_session, text)
        assert ours["intent"]["name"] not in SMALL_TALK, text
        assert ours == theirs, text
        assert ours["response_selector"]["ask_policy"]["response"]["intent_response_key"], text


def test_small_talk_gets_no_choice_and_the_same_intent(agent, event_loop_session):
    for text in SMALL_TALK_TEXTS:
        ours = _parse(agent, event_loop_session, text)
        with rasas_selector(agent):
            theirs = _parse(agent, event_loop_session, text)
        assert ours["intent"]["name"] in SMALL_TALK, text
        assert "response_selector" not in ours, text
        assert "ask_policy" in theirs["response_selector"], text        # Rasa's chose anyway
        theirs.pop("response_selector")
        assert ours == theirs, text
