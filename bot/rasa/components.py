"""Rasa 3.x NLU components of bot.nlp (config.yml).

`YibaoTextNormalizer` (first in the pipeline) replaces each message's text by its normalised
form (bot.nlp.normalize: Simplified, half-width, Arabic numerals, fillers dropped, ID/phone
numbers masked), for training examples and incoming messages alike, so that the tokenizer,
featurizers and DIET see 斷保兩年 and 断保两年 as the same words. The original text stays in the
tracker's UserUttered event; only the NLU parse data carries the normalised one.

`YibaoSlotExtractor` (config.yml: `bot.rasa.components.YibaoSlotExtractor`):

For every message it runs bot.nlp.extract on the text and appends one entity per slot:
`{"entity": slot name, "value": normalised value, "start", "end", "extractor"}`. Values use the
codes of CONTRACTS.md, so slots with a `from_entity` mapping receive them as they are.

Start/end: extraction runs on the *normalised* text (Traditional → Simplified, numerals
converted, fillers dropped…). When the matched words occur unchanged in the original text the
offsets point at them; otherwise they are an approximation (scaled positions in the original),
good enough for highlighting, never used for the values.

`YibaoHandoffIntent` (after DIETClassifier) makes a message that asks for a person in so many
words a `human_handoff`, whatever DIET read.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY,
                                       PREDICTED_CONFIDENCE_KEY, TEXT)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dialogue.wording import asks_person_explicitly
from bot.nlp.extractor import Extraction, get_extractor
from bot.nlp.normalizer import normalize


def _span_in_original(original: str, normalized: str, span: tuple[int, int]) -> tuple[int, int]:
    if original == normalized:
        return span
    surface = normalized[span[0]:span[1]]
    found = original.find(surface) if surface else -1
    if found >= 0:
        return found, found + len(surface)
    if not normalized or not original:
        return 0, 0
    scale = len(original) / len(normalized)
    start = min(len(original), int(span[0] * scale))
    end = max(start, min(len(original), round(span[1] * scale)))
    return start, end


def entities_of(extraction: Extraction, original: str) -> List[Dict[Text, Any]]:
    """One Rasa entity dict per extracted slot, in the order of the text."""
    out = []
    for slot, value in extraction.slots.items():
        start, end = _span_in_original(original, extraction.normalized,
                                       extraction.spans.get(slot, (0, 0)))
        out.append({"entity": slot, "value": value, "start": start, "end": end,
                    "confidence_entity": 1.0})
    return sorted(out, key=lambda e: (e["start"], e["end"]))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class YibaoSlotExtractor(GraphComponent, EntityExtractorMixin):
    """Rule-based extractor of every 医保 slot (region, gap_years, expense, group …)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, config: Optional[Dict[Text, Any]] = None) -> None:
        self._config = dict(config or {})
        self._extractor = get_extractor()

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "YibaoSlotExtractor":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not text:
                continue
            entities = self.add_extractor_name(entities_of(self._extractor.extract(text), text))
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class YibaoTextNormalizer(GraphComponent):
    """Normalises message text before tokenization (training data and live messages)."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "YibaoTextNormalizer":
        return cls()

    @staticmethod
    def _normalize(message: Message) -> None:
        text = message.get(TEXT)
        if isinstance(text, str) and text:
            message.set(TEXT, normalize(text) or text)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._normalize(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class YibaoHandoffIntent(GraphComponent):
    """A message that asks for a person in so many words («转人工», «人工客服») is a hand-off,
    whatever else it holds («转人工,我叫…», «你好 转人工»): DIET's intent gives way to
    `human_handoff` (confidence 1.0, first in the ranking). Runs after DIETClassifier; the words
    are bot.dialogue.wording.ASKS_PERSON_EXPLICITLY (not «不用转人工»)."""

    INTENT_NAME = "human_handoff"

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "YibaoHandoffIntent":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or not asks_person_explicitly(text):
                continue
            if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.INTENT_NAME:
                continue
            intent = {INTENT_NAME_KEY: self.INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or []
                       if r.get(INTENT_NAME_KEY) != self.INTENT_NAME]
            message.set(INTENT, intent, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
        return messages
