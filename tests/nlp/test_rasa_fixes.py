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
