"""Rasa's ResponseSelector, run only for the messages whose answer it chooses (config.yml).

Rasa's ResponseSelector predicts a FAQ answer for every message, whatever its intent: a second
neural network call per turn (about 4 ms of a 10 ms parse, bench/README.md). Its choice is used
only when the message's intent is the retrieval intent (`ask_policy`): the rule `policy FAQ`
(data/rules.yml) runs action_answer_faq, which reads it. For every other intent the prediction
went unused, and its answer text and ranking were stored in the tracker with the message.

`FaqResponseSelector` is trained exactly as ResponseSelector. At prediction time it selects for
the messages whose intent (from DIETClassifier, which runs before it) is its retrieval intent;
any other message gets no `response_selector` property. FallbackClassifier runs after it and can
only replace the intent by `nlu_fallback`, so no message can become `ask_policy` without a selection.
"""
from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message


def intent_name(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """ResponseSelector that selects only for messages classified as its retrieval intent."""

    def process(self, messages: List[Message]) -> List[Message]:
        selected = [m for m in messages if intent_name(m) == self.retrieval_intent]
        if selected:
            super().process(selected)
        return messages
