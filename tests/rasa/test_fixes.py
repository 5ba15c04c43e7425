"""bot.rasa.fixes: each replacement gives what Rasa's own function gives."""
from __future__ import annotations

import copy
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.engine.validation import _get_parameter_information
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, AllSlotsReset, BotUttered, Event,
                                     FollowupAction, Restarted, SessionStarted, SlotSet,
                                     UserUttered, deserialise_events)
from rasa.shared.core.slots import AnySlot, BooleanSlot, CategoricalSlot, FloatSlot, Slot, TextSlot
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.utils.common import all_subclasses
from rasa.utils.tensorflow import model_data_utils

from bot.rasa import overrides
from bot.rasa.faq_selector import FaqResponseSelector
from bot.rasa.fixes import batch_prediction, event_types, fake_features, response_validation
from bot.rasa.fixes.response_validation import response_validator, schema_shape_is_known
from bot.rasa.fixes.slot_copy import copy_slot

overrides.install()        # as every entry point does before it loads a model


def _features() -> list[list[list[Features]]]:
    sparse = scipy.sparse.random(5, 3000, density=0.01, format="coo", dtype=np.float32)
    return [
        [None],                                                         # a message without
        [[Features(sparse, "sequence", "text", "CountVectorsFeaturizer"),
          Features(sparse.tocsr()[:1], "sentence", "text", ["CountVectorsFeaturizer", "x"]),
          Features(np.ones((5, 12), np.float64), "sequence", "text", "LexicalSyntactic")]],
    ]


def _describe(f: Features) -> tuple:
    return (type(f.features), f.features.shape, f.features.dtype, f.type, f.attribute, f.origin,
            f.is_sparse(), f.features.sum() if f.is_dense() else f.features.nnz)


def test_installed_by_install():
    assert model_data_utils._create_fake_features is fake_features.create_fake_features


def test_the_versions_are_checked_before_anything_is_patched():
    overrides.check_versions({"rasa": "3.6.21", "rasa-sdk": "3.6.2"})
    for versions in ({"rasa": "3.6.20", "rasa-sdk": "3.6.2"}, {"rasa": "3.7.0", "rasa-sdk": "3.7.0"},
                     {"rasa": "3.6.21", "rasa-sdk": "3.5.1"}):
        with pytest.raises(overrides.UnsupportedRasaVersion, match="YIBAO_RASA_FIXES=0"):
            overrides.check_versions(versions)


def test_the_switch_turns_every_fix_off(monkeypatch):
    assert overrides.wanted({}) and overrides.wanted({"YIBAO_RASA_FIXES": "1"})
    assert not overrides.wanted({"YIBAO_RASA_FIXES": "0"})
    monkeypatch.setenv("YIBAO_RASA_FIXES", "0")
    monkeypatch.setattr(overrides, "check_versions", lambda: pytest.fail("checked although off"))
    assert overrides.install() is False


def test_importing_the_package_or_our_components_patches_nothing():
    code = ("import bot.rasa.fixes, bot.rasa.components\n"
            "from rasa.utils.tensorflow import model_data_utils\n"
            "from rasa.shared.core.events import Event\n"
            "assert model_data_utils._create_fake_features.__module__.startswith('rasa.'), 'patched'\n"
            "assert Event.resolve_by_type.__module__.startswith('rasa.'), 'patched'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("pick", [slice(None), slice(0, 1), slice(2, 3)])
def test_fake_features_are_rasas(pick):
    given = _features()
    given[1][0] = given[1][0][pick]
    ours = fake_features.create_fake_features(given)
    rasas = fake_features.original()(given)
    assert [_describe(f) for f in ours] == [_describe(f) for f in rasas]
    assert all(f.features.shape[0] == 0 for f in ours)
    # the example's own features are untouched
    assert given[1][0][0].features.shape[0] in (5, 1)


# ------------------------------------------------------------------ Event.resolve_by_type

def test_event_types_installed_where_models_run():
    assert Event.resolve_by_type is event_types.resolve_by_type


def test_event_types_same_class_as_rasa_for_every_event_name():
    original = event_types.original()
    names = {cls.type_name for cls in all_subclasses(Event)}
    assert {"user", "bot", "action", "slot", "active_loop", "session_started"} <= names
    for name in sorted(names) * 2:                          # the second round is answered from the cache
        assert event_types.resolve_by_type(name) is original(name)
    assert event_types.resolve_by_type("topic") is None     # Rasa's backwards compatibility
    assert event_types.resolve_by_type("no_such_event", Event) is Event
    with pytest.raises(ValueError, match="no_such_event"):
        event_types.resolve_by_type("no_such_event")
    (slot,) = deserialise_events([{"event": "slot", "name": "region", "value": "xinjiang", "timestamp": 1.0}])
    assert (type(slot).__name__, slot.key, slot.value) == ("SlotSet", "region", "xinjiang")


# ------------------------------------------------------------------ action response validation

def _valid_responses() -> list[dict]:
    """Responses of the kinds our actions send (and every event type Rasa knows)."""
    events = [SlotSet("region", "新疆"), SlotSet("expense", 20000.0), SlotSet("group", None),
              SlotSet("years", [1, 2]), FollowupAction("action_route_topic"), ActiveLoop(None),
              ActiveLoop("waiting_form"), BotUttered("能报 9,000 元", {"buttons": []}),
              ActionExecuted("action_listen"), AllSlotsReset(), Restarted(), SessionStarted(),
              UserUttered("你好", {"name": "greet", "confidence": 0.9}, [])]
    every = [e.as_dict() for e in events]
    return [
        {"events": [], "responses": []},
        {},
        {"events": every},
        {"events": every[:3], "responses": [{"text": "好的", "buttons": [], "custom": {}}]},
        {"responses": [{"response": "utter_help"}]},
        {"events": [{"event": "slot", "name": "region", "value": {"nested": [1, "a"]}}]},
    ]


def _invalid_responses() -> list:
    return [
        [], "events", None,
        {"events": {"event": "slot"}},
        {"events": [{"name": "region", "value": 1}]},                   # no "event"
        {"events": [{"event": "slot", "name": "region"}]},              # slot without value
        {"events": [{"event": "no_such_event"}]},
        {"events": [{"event": 7}]},
        {"events": [{"event": ["slot"]}]},
        {"events": ["slot"]},
        {"events": [{"event": "slot", "name": 3, "value": 1}]},
        {"events": [{"event": "bot", "text": "好的", "timestamp": "now"}]},
        {"events": [{"event": "action", "name": "x", "timestamp": "now"}]},
        {"events": [{"event": "user", "text": "hi", "parse_data": {"intent": {"name": 1}}}]},
        {"events": [{"event": "entities"}]},
        {"responses": ["text"]},
        {"responses": {"text": "x"}},
    ]


def _rasa_outcome(result) -> tuple:
    try:
        return (RemoteAction._validate_action_result(RemoteAction, result), None)
    except ValidationError as exc:
        return (False, exc.message)


def _our_outcome(validate, result) -> tuple:
    try:
        return (validate(None, result), None)
    except ValidationError as exc:
        return (False, exc.message)


def test_response_schema_is_the_shape_the_fast_path_knows():
    assert schema_shape_is_known(RemoteAction.action_response_format_spec())
    assert not schema_shape_is_known({"type": "object", "properties": {}})


@pytest.mark.parametrize("result, valid", [(r, True) for r in _valid_responses()]
                         + [(r, False) for r in _invalid_responses()])
def test_response_validation_same_outcome_and_error_as_rasa(result, valid):
    rasas = _rasa_outcome(result)
    assert _our_outcome(response_validator(), result) == rasas
    assert rasas[0] is valid


def test_response_validation_fast_path_passes_valid_responses_without_the_full_walk(monkeypatch):
    validate = response_validation.response_validator()
    monkeypatch.setattr(response_validation, "best_match", lambda *a, **k: pytest.fail("full walk"))
    for result in _valid_responses():
        assert validate(None, result) is True


# ------------------------------------------------------------------ Slot.__copy__

def test_slot_copy_installed_and_same_as_the_generic_copy():
    assert Slot.__copy__ is copy_slot
    mapping = [{"type": "from_entity", "entity": "x"}]
    slots = [TextSlot("t", mapping, initial_value="新疆"), FloatSlot("f", mapping, max_value=9.0),
             BooleanSlot("b", mapping), CategoricalSlot("c", mapping, values=["a", "b"]),
             AnySlot("a", mapping, influence_conversation=False)]
    slots += Domain.load("domain.yml").slots
    for slot in slots:
        slot.value = slot.initial_value
        ours = copy.copy(slot)
        del Slot.__copy__
        try:
            generic = copy.copy(slot)
        finally:
            Slot.__copy__ = copy_slot
        assert type(ours) is type(generic) is type(slot)
        assert ours is not slot and ours.__dict__ == generic.__dict__ == slot.__dict__
        assert all(ours.__dict__[k] is slot.__dict__[k] for k in slot.__dict__)    # shallow
        ours.value = "changed"
        assert slot.value == slot.initial_value                                    # independent


def test_patched_process_methods_pass_rasas_graph_validation():
    """Rasa validates a component's `process` by its annotations (training failed once on an
    annotated `self`): the patched methods must look like Rasa's own."""
    for cls in (DIETClassifier, ResponseSelector, FaqResponseSelector):
        params, returns = _get_parameter_information(cls, "process")
        assert set(params) == {"messages"}, cls
        assert str(returns).endswith("List[rasa.shared.nlu.training_data.message.Message]"), cls
    assert DIETClassifier.process.__wrapped__ is batch_prediction.original_process(DIETClassifier)
