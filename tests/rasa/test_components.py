"""The Rasa component sets entities on a Message (no model is trained)."""
from __future__ import annotations

import os

import pytest

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
pytest.importorskip("rasa")

from rasa.engine.graph import ExecutionContext, GraphSchema  # noqa: E402
from rasa.engine.recipes.default_recipe import DefaultV1Recipe  # noqa: E402
from rasa.engine.storage.local_model_storage import LocalModelStorage  # noqa: E402
from rasa.engine.storage.resource import Resource  # noqa: E402
from rasa.shared.nlu.constants import (ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY,  # noqa: E402
                                       PREDICTED_CONFIDENCE_KEY, TEXT)
from rasa.shared.nlu.training_data.message import Message  # noqa: E402
from rasa.shared.nlu.training_data.training_data import TrainingData  # noqa: E402

from bot.nlp import normalize  # noqa: E402
from bot.nlp.extractor import extract  # noqa: E402
from bot.rasa.components import (YibaoHandoffIntent, YibaoSlotExtractor, YibaoTextNormalizer,  # noqa: E402
                                 entities_of)


@pytest.fixture()
def component(tmp_path) -> YibaoSlotExtractor:
    return YibaoSlotExtractor.create(
        YibaoSlotExtractor.get_default_config(), LocalModelStorage(tmp_path),
        Resource("yibao_slots"), ExecutionContext(GraphSchema({}), "test"))


def test_process_sets_entities(component: YibaoSlotExtractor) -> None:
    message = Message({TEXT: "我在伊宁,断保两年了,现在交多久能报销"})
    component.process([message])
    entities = {e["entity"]: e for e in message.get(ENTITIES)}
    assert entities["region"]["value"] == "xinjiang"
    assert entities["gap_years"]["value"] == 2
    assert entities["region"]["extractor"] == "YibaoSlotExtractor"
    assert (entities["region"]["start"], entities["region"]["end"]) == (2, 4)


def test_keeps_existing_entities_and_skips_empty(component: YibaoSlotExtractor) -> None:
    message = Message({TEXT: "低保户", ENTITIES: [{"entity": "x", "value": 1, "start": 0, "end": 1}]})
    empty = Message({TEXT: ""})
    component.process([message, empty])
    assert [e["entity"] for e in message.get(ENTITIES)] == ["x", "group"]
    assert not empty.get(ENTITIES)


def test_training_data_passes_through(component: YibaoSlotExtractor) -> None:
    data = TrainingData([Message({TEXT: "你好"})])
    assert component.process_training_data(data) is data


def test_spans_in_original_text_are_within_bounds() -> None:
    text = "斷保兩年 花了三萬五"
    for entity in entities_of(extract(text), text):
        assert 0 <= entity["start"] <= entity["end"] <= len(text)


def test_component_is_registered() -> None:
    registered = DefaultV1Recipe._registered_components  # noqa: SLF001
    assert "YibaoSlotExtractor" in registered or YibaoSlotExtractor.__name__ in str(registered)


def test_text_normalizer_rewrites_training_and_live_text(tmp_path) -> None:
    normalizer = YibaoTextNormalizer.create({}, LocalModelStorage(tmp_path), Resource("norm"),
                                            ExecutionContext(GraphSchema({}), "test"))
    data = TrainingData([Message({TEXT: "斷保兩年", "intent": "inform"})])
    normalizer.process_training_data(data)
    assert data.training_examples[0].get(TEXT) == "断保2年"
    live = Message({TEXT: "手机13812345678 花了三万五"})
    normalizer.process([live])
    assert live.get(TEXT) == "手机[手机号] 花了35000"


def test_extractor_after_normalizer_gives_the_same_slots() -> None:
    for text in ["我在伊宁,断保两年了", "赣州 灵活就业 缴费基数三千六 个账每月多少", "斷保兩年 花了三萬五"]:
        assert extract(normalize(text)).slots == extract(text).slots


@pytest.mark.parametrize("text, handoff", [
    ("转人工,我叫[姓名]", True), ("你好 转人工", True), ("谢谢 人工客服", True), ("找真人", True),
    ("不用转人工", False), ("新疆断保两年", False),
])
def test_a_request_for_a_person_in_so_many_words_is_a_handoff(text: str, handoff: bool) -> None:
    message = Message(data={TEXT: text, INTENT: {INTENT_NAME_KEY: "greet", PREDICTED_CONFIDENCE_KEY: 0.8},
                            INTENT_RANKING_KEY: [{INTENT_NAME_KEY: "greet", PREDICTED_CONFIDENCE_KEY: 0.8},
                                                 {INTENT_NAME_KEY: "human_handoff", PREDICTED_CONFIDENCE_KEY: 0.1}]})
    YibaoHandoffIntent().process([message])
    intent = message.get(INTENT)
    assert (intent[INTENT_NAME_KEY] == "human_handoff") is handoff
    if handoff:
        assert intent[PREDICTED_CONFIDENCE_KEY] == 1.0
        assert [r[INTENT_NAME_KEY] for r in message.get(INTENT_RANKING_KEY)] == ["human_handoff", "greet"]
    assert "YibaoHandoffIntent" in DefaultV1Recipe._registered_components
