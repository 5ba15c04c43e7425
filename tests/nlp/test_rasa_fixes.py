"""bot.rasa_fixes: each replacement gives what Rasa's own function gives."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.utils.tensorflow import model_data_utils

import bot.nlp.rasa_component  # noqa: F401  (installs the fixes, as loading a model does)
from bot.rasa_fixes import fake_features


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


def test_installed_where_models_run():
    assert model_data_utils._create_fake_features is fake_features.create_fake_features


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
    from rasa.shared.core.events import Event

    from bot.rasa_fixes import event_types
    assert Event.resolve_by_type is event_types.resolve_by_type


def test_event_types_same_class_as_rasa_for_every_event_name():
    from rasa.shared.core.events import Event, deserialise_events
    from rasa.shared.utils.common import all_subclasses

    from bot.rasa_fixes import event_types
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
