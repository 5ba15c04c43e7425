"""bot.rasa.tracker_store.LeanSQLTrackerStore stores and reads exactly what Rasa's SQLTrackerStore does,
and every endpoint file selects it (Rasa would silently fall back to memory if the type were wrong)."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
import yaml

pytest.importorskip("rasa")

from rasa.core.tracker_store import SQLTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (  # noqa: E402
    ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402

from bot.rasa.tracker_store import ENDPOINT_TYPE, LeanSQLTrackerStore  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = "sender_id, type_name, timestamp, intent_name, action_name, data"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _turn(k: int, text: str) -> list:
    parse = {"intent": {"name": "ask_waiting_period", "confidence": 0.97}, "text": text,
             "entities": [{"entity": "gap_years", "value": 2, "start": 0, "end": 4}],
             "response_selector": {"ask_policy": {"response": {"intent_response_key": None}}}}
    return [
        UserUttered(text, parse["intent"], parse["entities"], parse_data=parse, timestamp=100.0 + k),
        SlotSet("gap_years", 2, timestamp=100.1 + k),
        ActionExecuted("waiting_form", timestamp=100.2 + k),
        ActiveLoop("waiting_form", timestamp=100.3 + k),
        BotUttered(f"第{k}轮:请问您在哪个地区参保?", {"elements": None}, timestamp=100.4 + k),
        ActionExecuted("action_listen", timestamp=100.5 + k),
    ]


def _rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()


@pytest.mark.parametrize("switch", ["1", "0"])
def test_same_rows_and_same_tracker_as_rasa(tmp_path: Path, domain: Domain, switch: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """With the overrides on (its own queries) and off (Rasa's own methods, YIBAO_RASA_FIXES=0)."""
    monkeypatch.setenv("YIBAO_RASA_FIXES", switch)
    stores = {
        "rasa": SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "rasa.db")),
        "lean": LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "lean.db")),
    }
    start = [ActionExecuted("action_session_start", timestamp=99.0), SessionStarted(timestamp=99.1),
             ActionExecuted("action_listen", timestamp=99.2)]

    async def play() -> dict[str, DialogueStateTracker]:
        out = {}
        for name, store in stores.items():
            tracker = DialogueStateTracker.from_events("u1", start + _turn(1, "断保两年"), domain.slots)
            await store.save(tracker)                       # a new conversation
            tracker = await store.retrieve("u1")
            for event in _turn(2, "在伊宁 断報兩年"):         # a second turn: only new events stored
                tracker.update(event)
            await store.save(tracker)
            await store.save(tracker)                       # saving again adds nothing
            # a new session: retrieve returns only its events
            tracker = await store.retrieve("u1")
            for event in [ActionExecuted("action_session_start", timestamp=300.0),
                          SessionStarted(timestamp=300.1), *_turn(300, "你好")]:
                tracker.update(event)
            await store.save(tracker)
            out[name] = await store.retrieve("u1")
            assert await store.retrieve("nobody") is None
        return out

    trackers = asyncio.run(play())
    assert _rows(tmp_path / "lean.db") == _rows(tmp_path / "rasa.db")
    assert len(_rows(tmp_path / "lean.db")) == 3 + 6 + 6 + 8
    lean, rasa = trackers["lean"], trackers["rasa"]
    assert [e.as_dict() for e in lean.events] == [e.as_dict() for e in rasa.events]
    # from the latest SessionStarted on (Rasa compares timestamps: action_session_start is before it)
    assert len(lean.events) == 7 and lean.latest_message.text == "你好"
    assert lean.current_state() == rasa.current_state()
    full = asyncio.run(stores["lean"].retrieve_full_tracker("u1"))
    assert len(full.events) == 23
    assert stores["lean"]._lean is (switch == "1")


def test_switched_off_it_runs_rasas_own_queries(tmp_path: Path, domain: Domain,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_RASA_FIXES", "0")
    store = LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "off.db"))
    monkeypatch.setattr(LeanSQLTrackerStore, "_statements", property(lambda self: pytest.fail("lean query")))
    tracker = DialogueStateTracker.from_events("u1", _turn(1, "断保两年"), domain.slots)
    asyncio.run(store.save(tracker))
    assert len(asyncio.run(store.retrieve("u1")).events) == 6


def test_a_new_conversation_as_rasa_creates_it_gives_the_same_rows(tmp_path: Path,
                                                                    domain: Domain) -> None:
    """Rasa creates a new conversation's tracker empty and saves it at once (processor.get_tracker);
    the lean store skips that empty save, and the turn's save writes the same rows."""
    stores = {
        "rasa": SQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "rasa.db")),
        "lean": LeanSQLTrackerStore(domain, dialect="sqlite", db=str(tmp_path / "lean.db")),
    }

    async def play() -> None:
        for store in stores.values():
            tracker = await store.get_or_create_tracker("u2", append_action_listen=False)
            assert not tracker.events
            for event in [ActionExecuted("action_session_start", timestamp=9.0),
                          SessionStarted(timestamp=9.1), ActionExecuted("action_listen", timestamp=9.2),
                          *_turn(10, "新疆断保两年")]:
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(play())
    assert _rows(tmp_path / "lean.db") == _rows(tmp_path / "rasa.db")
    assert len(_rows(tmp_path / "lean.db")) == 3 + 6


@pytest.mark.parametrize("path", ["endpoints.yml", "deploy/endpoints.scaled.yml"])
def test_endpoint_files_select_the_lean_store(path: str) -> None:
    store = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["tracker_store"]
    assert store["type"] == ENDPOINT_TYPE


def test_rasa_builds_the_lean_store_from_the_endpoint(tmp_path: Path, domain: Domain) -> None:
    from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
    from rasa.utils.endpoints import EndpointConfig

    config = EndpointConfig(type=ENDPOINT_TYPE, dialect="sqlite", db=str(tmp_path / "t.db"))
    store = TrackerStore.create(config, domain)
    inner = store._tracker_store if isinstance(store, FailSafeTrackerStore) else store
    assert type(inner) is LeanSQLTrackerStore
