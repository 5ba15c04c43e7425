"""The Rasa fixes change speed only: the whole conversation set gets the same replies with them
switched off (YIBAO_RASA_FIXES=0) as with them on."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _replies(model_path: Path, switch: str) -> dict:
    env = {**os.environ, "YIBAO_RASA_FIXES": switch, "LOG_LEVEL": "WARNING"}
    done = subprocess.run([sys.executable, "-m", "tests.conversation.replies", str(model_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_same_replies_with_the_fixes_off_and_on(model_path):
    on, off = _replies(model_path, "1"), _replies(model_path, "0")
    assert on["fixes"] and not off["fixes"]
    assert len(on["replies"]) >= 50         # every conversation of conversations.yml
    assert {name: r for name, r in off["replies"].items() if r != on["replies"][name]} == {}
