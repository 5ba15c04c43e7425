"""bot.rasa.overrides.install(): the one switch for every override of Rasa's internals.

Each case runs in a fresh interpreter, so what one installs cannot leak into the next."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STATE = """
from rasa.core.actions import action
from rasa.core.processor import MessageProcessor
from rasa.shared.core.events import Event
from rasa.utils.tensorflow import model_data_utils
print(getattr(action.RemoteAction.run, "yibao_guarded", False), action.DEFAULT_REQUEST_TIMEOUT,
      MessageProcessor.parse_message.__module__, Event.resolve_by_type.__module__,
      model_data_utils._create_fake_features.__module__)
"""


def _run(code: str, **env: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code + STATE], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "LOG_LEVEL": "WARNING", **env}, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1].split()


def test_importing_every_module_that_touches_rasa_patches_nothing():
    state = _run("import bot.rasa.server, bot.rasa.components, bot.rasa.faq_selector, "
                 "bot.rasa.tracker_store, bot.rasa.inprocess_actions, bot.web.app, "
                 "bot.transcripts.pool, bot.evaluation.assistant\n")
    guarded, timeout, parse, resolve, fake = state
    assert guarded == "False" and float(timeout) == 300
    assert all(m.startswith("rasa.") for m in (parse, resolve, fake)), state


def test_the_server_install_puts_every_override_in_place():
    state = _run("from bot.rasa import overrides\nassert overrides.install(server=True)\n",
                 YIBAO_ACTION_TIMEOUT="7", YIBAO_RASA_FIXES="1")
    guarded, timeout, parse, resolve, fake = state
    assert guarded == "True" and float(timeout) == 7
    assert parse == "bot.rasa.fixes.parse_together"
    assert resolve.startswith("bot.rasa.fixes") and fake.startswith("bot.rasa.fixes"), state


def test_switched_off_rasa_runs_as_shipped():
    state = _run("from bot.rasa import overrides\nassert overrides.install(server=True) is False\n",
                 YIBAO_ACTION_TIMEOUT="7", YIBAO_RASA_FIXES="0")
    guarded, timeout, parse, resolve, fake = state
    assert guarded == "False" and float(timeout) == 300
    assert all(m.startswith("rasa.") for m in (parse, resolve, fake)), state
