"""Small, behaviour-preserving speed fixes to Rasa 3.6.21 internals, in one place.

Nothing is changed on import. Each entry point that runs a model calls `install()` once, before it
loads the model: the server (bot.channels.server, with `server=True` for parse_together), the
Rasa command line as `python -m bot.rasa_cli` (training and `rasa shell` from bot.run), the
hotline batch, `make eval` and the test fixtures. `install()` refuses, with a message naming both
versions, to patch any Rasa or rasa-sdk other than the one these fixes were written against; and
`YIBAO_RASA_FIXES=0` switches every fix off (Rasa then runs as shipped, a little slower).

Each fix names the Rasa function it replaces and why; tests/nlp/test_rasa_fixes.py checks that
each gives what Rasa's own function gives, and tests/conversation/test_fixes_switch.py that the
conversation set gets the same replies with the fixes off and on.
"""
from __future__ import annotations

import os
from importlib import metadata
from typing import Mapping

SWITCH = "YIBAO_RASA_FIXES"
# The versions the fixes were written against and checked with: Rasa exactly, rasa-sdk its series.
RASA_VERSION = "3.6.21"
RASA_SDK_SERIES = "3.6."


class UnsupportedRasaVersion(RuntimeError):
    """The installed Rasa is not the one the fixes were written for."""


def wanted(environ: Mapping[str, str] = os.environ) -> bool:
    """False when the operator switched the fixes off (YIBAO_RASA_FIXES=0)."""
    return environ.get(SWITCH, "1").strip() != "0"


def check_versions(versions: Mapping[str, str] | None = None) -> None:
    """Raise UnsupportedRasaVersion unless rasa is 3.6.21 and rasa-sdk is a 3.6 release."""
    found = dict(versions) if versions is not None else {
        name: _version(name) for name in ("rasa", "rasa-sdk")}
    if found.get("rasa") != RASA_VERSION or not str(found.get("rasa-sdk", "")).startswith(RASA_SDK_SERIES):
        raise UnsupportedRasaVersion(
            f"bot.rasa_fixes replaces functions of rasa {RASA_VERSION} and rasa-sdk {RASA_SDK_SERIES}x, "
            f"but rasa {found.get('rasa')} and rasa-sdk {found.get('rasa-sdk')} are installed. "
            f"Check each fix against the new version (tests/nlp/test_rasa_fixes.py) and update the "
            f"versions in bot/rasa_fixes/__init__.py, or run without the fixes: {SWITCH}=0.")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(not installed)"


def install(*, server: bool = False) -> bool:
    """Install every fix (and the server's parse_together when `server`). Returns False, having
    changed nothing, when the fixes are switched off. Installing twice changes nothing more."""
    if not wanted():
        return False
    check_versions()
    # imported here, not at the top: importing this package must change and load nothing
    from bot.rasa_fixes import (batch_prediction, event_types, fake_features, graph_runner,
                                parse_together, slot_copy)
    fake_features.install()
    event_types.install()
    graph_runner.install()
    batch_prediction.install()
    slot_copy.install()
    if server:
        parse_together.install()
    return True
