"""`rasa.utils.tensorflow.model_data_utils._create_fake_features` without the deep copy.

Every DIET / ResponseSelector prediction builds "fake" (empty) features shaped like the message's
own features. Rasa does it by deep-copying a real Features object (with its sparse matrix of
character n-grams) and then replacing the matrix by an empty one: the copy was about 8% of the
server's CPU per turn (py-spy, bench/README.md). Here the empty Features is built directly:
same type, attribute, origin, width and dtype, made by the same numpy / scipy calls.
"""
from __future__ import annotations

import copy
from typing import List

import numpy as np
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features
from rasa.utils.tensorflow import model_data_utils

_ORIGINAL = model_data_utils._create_fake_features


def create_fake_features(all_features: List[List[List[Features]]]) -> List[Features]:
    example_features = next(iter([
        list_of_features
        for list_of_list_of_features in all_features
        for list_of_features in list_of_list_of_features
        if list_of_features is not None
    ]))
    fake_features = []
    for features in example_features:
        matrix = features.features
        if features.is_dense():
            empty = np.zeros((0, matrix.shape[-1]), matrix.dtype)
        else:
            # the same call as Rasa's (its second positional argument is the dtype)
            empty = scipy.sparse.coo_matrix((0, matrix.shape[-1]), matrix.dtype)
        fake_features.append(Features(empty, features.type, features.attribute,
                                      copy.copy(features.origin)))
    return fake_features


def install() -> None:
    model_data_utils._create_fake_features = create_fake_features


def original() -> object:
    return _ORIGINAL
