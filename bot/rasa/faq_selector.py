"""Rasa's ResponseSelector, run only for the messages that can be questions (config.yml).

Rasa's ResponseSelector predicts a FAQ answer for every message, whatever its intent: a second
neural network call per turn (about 4 ms of a 10 ms parse, bench/README.md). The one decision per
message (bot.dialogue.decision) reads its ranking for every question, whatever DIET's intent: a
message classified as a calculation that turns out to ask a rule («山东连续交医保有啥奖励没») is
answered from that ranking, and its `not_in_documents` class recognises questions the documents
do not answer. Small talk (greetings, thanks, yes/no answers, hand-off, restart) never reads it.

`FaqResponseSelector` is trained exactly as ResponseSelector. At prediction time it selects for
the messages whose intent (from DIETClassifier, which runs before it) is not small talk; those
get no `response_selector` property.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


def intent_name(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


SMALL_TALK = frozenset({"greet", "goodbye", "thanks", "affirm", "deny", "bot_challenge", "restart",
                        "human_handoff"})


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """ResponseSelector that selects only for messages that are not small talk."""

    def process(self, messages: List[Message]) -> List[Message]:
        selected = [m for m in messages if intent_name(m) not in SMALL_TALK]
        if selected:
            super().process(selected)
        return messages
