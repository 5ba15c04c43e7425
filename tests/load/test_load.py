"""Load: N residents talking at once, M turns each, against one running assistant (REST).

`make test` runs 10 × 6 (YIBAO_LOAD=residents×turns overrides, e.g. 50x20; bench/bench_load.py
is the benchmark). No turn may fail: every reply HTTP 200 with the texts its conversation in
tests/conversation/conversations.yml expects, and afterwards the tracker store holds every user
turn exactly once per sender, in the order sent. Speed is reported, never asserted.
"""
from __future__ import annotations

import os
from typing import Iterator

import pytest

from tests.load.dialogues import run_load
from tests.load.harness import LiveAssistant, live_assistant


def _size() -> tuple[int, int]:
    residents, turns = os.environ.get("YIBAO_LOAD", "10x6").lower().split("x")
    return int(residents), int(turns)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAssistant]:
    yield from live_assistant(tmp_path_factory, "load")


def test_concurrent_conversations_lose_nothing(assistant: LiveAssistant) -> None:
    residents, turns = _size()
    result = run_load(assistant, residents, turns)
    print("load:", result.summary())
    assert result.turns == residents * turns
    assert not result.errors, "\n".join(result.errors[:20])
    assert not result.store_problems, "\n".join(result.store_problems[:20])
    assert result.stored_user_events == residents * turns
    assert "Traceback (most recent call last)" not in assistant.logs()
