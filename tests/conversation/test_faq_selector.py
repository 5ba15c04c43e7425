"""bot.nlp.faq_selector: the FAQ choice for ask_policy messages is Rasa's ResponseSelector's, and
no other message gets one (nothing else reads it)."""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from rasa.nlu.selectors.response_selector import ResponseSelector

from bot.nlp.faq_selector import FaqResponseSelector

FAQ_TEXTS = ["集中缴费期是什么时候", "个人账户能给家人用吗", "医保卡丢了咋补办"]
OTHER_TEXTS = ["你好", "在县医院住院花了两万能报多少", "我断保两年了,现在交多久能报销", "帮我写首诗"]


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
    from rasa.core.channels.channel import UserMessage
    return loop.run_until_complete(agent.processor.parse_message(UserMessage(text, message_id="m")))


def test_the_model_uses_it(agent):
    assert type(_selector_node(agent)._component) is FaqResponseSelector


def test_faq_messages_get_rasas_choice(agent, event_loop_session):
    for text in FAQ_TEXTS:
        ours = _parse(agent, event_loop_session, text)
        with rasas_selector(agent):
            theirs = _parse(agent, event_loop_session, text)
        assert ours["intent"]["name"] == "ask_policy", text
        assert ours == theirs, text
        assert ours["response_selector"]["ask_policy"]["response"]["intent_response_key"], text


def test_other_messages_get_no_choice_and_the_same_intent(agent, event_loop_session):
    for text in OTHER_TEXTS:
        ours = _parse(agent, event_loop_session, text)
        with rasas_selector(agent):
            theirs = _parse(agent, event_loop_session, text)
        assert ours["intent"]["name"] != "ask_policy", text
        assert "response_selector" not in ours, text
        assert "ask_policy" in theirs["response_selector"], text        # Rasa's chose anyway
        theirs.pop("response_selector")
        assert ours == theirs, text
