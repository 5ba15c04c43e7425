"""bot.rasa.session_bound: a long session is rolled over when it is saved; everything the
conversation knows is carried over, and the next turn loads only the new session."""
from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa.session_bound import events_in_latest_session, rollover
from bot.rasa.tracker_store import LeanSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _turns(count: int, start: float = 100.0) -> list:
    events: list = [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start),
                    ActionExecuted("action_listen", timestamp=start)]
    for k in range(count):
        t = start + 1 + k
        events += [UserUttered(f"第{k}句", {"name": "inform", "confidence": 0.9}, timestamp=t),
                   SlotSet("region", "xinjiang", timestamp=t), SlotSet("gap_years", k, timestamp=t),
                   ActionExecuted("waiting_form", timestamp=t), ActiveLoop("waiting_form", timestamp=t),
                   ActionExecuted("action_listen", timestamp=t)]
    return events


def test_below_the_size_nothing_changes(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("s", _turns(10), domain.slots)
    assert rollover(tracker, 400) == []


def test_a_long_session_carries_slots_and_form_over(domain: Domain) -> None:
    tracker = DialogueStateTracker.from_events("s", _turns(80), domain.slots)
    assert events_in_latest_session(tracker) == 2 + 6 * 80        # from SessionStarted on
    events = rollover(tracker, 400)
    for event in events:
        tracker.update(event)
    assert events_in_latest_session(tracker) == len(events) - 1
    assert tracker.get_slot("region") == "xinjiang" and tracker.get_slot("gap_years") == 79
    assert tracker.active_loop_name == "waiting_form"
    assert rollover(tracker, 400) == []


@pytest.mark.parametrize("switch", ["1", "0"])
def test_the_store_loads_a_bounded_session_however_long_the_conversation(
        tmp_path: Path, domain: Domain, switch: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_RASA_FIXES", switch)
    store = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "t.db"), max_session_events=100)

    async def play() -> list[int]:
        loaded = []
        tracker = DialogueStateTracker.from_events("s", _turns(1), domain.slots)
        await store.save(tracker)
        for k in range(2, 300):
            tracker = await store.retrieve("s")
            loaded.append(len(tracker.events))
            for event in _turns(1, start=1000.0 + 10 * k)[3:]:
                tracker.update(event)
            await store.save(tracker)
        final = await store.retrieve("s")
        assert final.get_slot("region") == "xinjiang" and final.active_loop_name == "waiting_form"
        full = await store.retrieve_full_tracker("s")
        assert sum(isinstance(e, UserUttered) for e in full.events) == 299      # nothing lost
        return loaded

    loaded = asyncio.run(play())
    assert max(loaded) <= 100 + 6 and max(loaded[-50:]) <= 100 + 6
