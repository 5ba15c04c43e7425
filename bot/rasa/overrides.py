"""The one switch for every override of Rasa 3.6.21 internals in this project.

Nothing is changed on import. Each entry point that runs a model calls `install()` once, before it
loads the model: the server (bot.rasa.server, with `server=True`), the Rasa command line as
`python -m bot.rasa.cli` (training and `rasa shell` from bot.run), the hotline batch, `make eval`
and the test fixtures. `install()` refuses, with a message naming both versions, to patch any Rasa
or rasa-sdk other than the one the overrides were written against, and `YIBAO_RASA_FIXES=0`
switches every override off: Rasa then runs as shipped.

What `install()` changes:
- always, the speed fixes of bot/rasa/fixes/ (same results, less work);
- with `server=True`, also the server's own behaviour: messages arriving together parsed in one
  NLU run (fixes/parse_together.py) and the turn guards (turn_guards.py: a bounded custom-action
  call, a turn abandoned instead of answered without its action or its conversation).

The custom tracker store (tracker_store.LeanSQLTrackerStore), the in-process action endpoint of
the hotline batch (inprocess_actions.py) and the cached action-response validation
(fixes/response_validation.py) are selected by configuration, not patched in; they too behave as
Rasa's own classes when the switch is off.

Each override names the Rasa function it replaces and why; tests/rasa/test_fixes.py checks that
each gives what Rasa's own function gives, and tests/conversation/test_fixes_switch.py that the
conversation set gets the same replies with the overrides off and on.
"""
from __future__ import annotations

import os
from importlib import metadata
from typing import Mapping

SWITCH = "YIBAO_RASA_FIXES"
# The versions the overrides were written against and checked with: Rasa exactly, rasa-sdk its series.
RASA_VERSION = "3.6.21"
RASA_SDK_SERIES = "3.6."


class UnsupportedRasaVersion(RuntimeError):
    """The installed Rasa is not the one the overrides were written for."""


def wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """False when the operator switched the overrides off (YIBAO_RASA_FIXES=0)."""
    return environ.get(SWITCH, "1").strip() != "0"


def check_versions(versions: Mapping[str, str] | None = None) -> None:
    """Raise UnsupportedRasaVersion unless rasa is 3.6.21 and rasa-sdk is a 3.6 release."""
    found = dict(versions) if versions is not None else {
        name: _version(name) for name in ("rasa", "rasa-sdk")}
    if found.get("rasa") != RASA_VERSION or not str(found.get("rasa-sdk", "")).startswith(RASA_SDK_SERIES):
        raise UnsupportedRasaVersion(
            f"bot/rasa overrides functions of rasa {RASA_VERSION} and rasa-sdk {RASA_SDK_SERIES}x, "
            f"but rasa {found.get('rasa')} and rasa-sdk {found.get('rasa-sdk')} are installed. "
            f"Check each override against the new version (tests/rasa/test_fixes.py) and update the "
            f"versions in bot/rasa/overrides.py, or run without them: {SWITCH}=0.")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def install(*, server: bool = False) -> bool:
    """Install every override (and the server's own when `server`). Returns False, having changed
    nothing, when they are switched off. Installing twice changes nothing more."""
    if not wanted():
        return False
    check_versions()
    # Imported here, not at the top: importing this module must neither change nor load Rasa
    # (4 s and 600 MB for rasa.core; the self-check and the engine CLI never need it).
    from bot.rasa import turn_guards
    from bot.rasa.fixes import (batch_prediction, event_types, fake_features, graph_runner,
                                parse_together, slot_copy)
    fake_features.install()
    event_types.install()
    graph_runner.install()
    batch_prediction.install()
    slot_copy.install()
    if server:
        parse_together.install()
        turn_guards.install(turn_guards.action_timeout())
    return True
