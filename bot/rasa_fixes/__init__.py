"""Small, behaviour-preserving speed fixes to Rasa 3.6.21 internals, installed where a model runs.

`install()` is called when our NLU components are imported (bot.nlp.rasa_component), which
Rasa does before it loads a model that uses them: so the server, the transcript batch, the tests
and `rasa shell` / `rasa test` all run with the same code. Each fix names the Rasa function it
replaces; tests/nlp/test_rasa_fixes.py checks that the result is the same as Rasa's own.
"""
from __future__ import annotations

from bot.rasa_fixes.batch_prediction import install as _install_batch_prediction
from bot.rasa_fixes.event_types import install as _install_event_types
from bot.rasa_fixes.fake_features import install as _install_fake_features
from bot.rasa_fixes.graph_runner import install as _install_graph_runner
from bot.rasa_fixes.slot_copy import install as _install_slot_copy


def install() -> None:
    _install_fake_features()
    _install_event_types()
    _install_graph_runner()
    _install_batch_prediction()
    _install_slot_copy()
