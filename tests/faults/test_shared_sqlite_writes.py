"""Several processes writing one SQLite database at once (bot.sqlite_writes): the transcript
batch's parent stores calls while its workers' actions append audit rows. None may fail with
"database is locked"; nothing is lost."""
from __future__ import annotations

import multiprocessing
from decimal import Decimal
from pathlib import Path

import sqlite_utils

from bot.audit import AuditEntry, record
from bot.transcripts.store import CallRecord, TranscriptStore, TurnRecord

ROUNDS = 150


def _audit_writer(path: str, who: int) -> int:
    for i in range(ROUNDS):
        record(AuditEntry(sender=f"s-{who}", channel="test", kind="waiting", inputs="{}",
                          value=str(Decimal(i)), unit="个月", rules_version="x"), path)
    return who


def _store_writer(path: str, who: int) -> int:
    store = TranscriptStore(path)
    for i in range(ROUNDS):
        call_id = f"C{who}-{i}"
        store.save_call(
            CallRecord(call_id=call_id, sender_id="hotline-" + call_id, source="t", turns=1,
                       caller_turns=1, agent_turns=0, figures=0, fallbacks=0, first_ts=None,
                       last_ts=None, model="m", processed_at="2026-11-24T00:00:00+00:00"),
            [TurnRecord(call_id=call_id, position=1, turn=1, speaker="caller", ts=None, text="你好",
                        normalized="你好", intent="greet", confidence=1.0, entities="{}",
                        slots="{}", answer="您好", figure=None, unit=None, calculation=None,
                        fell_back=False, unanswered=False)])
    store.close()
    return who


def test_a_store_and_audit_writers_in_three_processes_lose_nothing(tmp_path: Path):
    db = str(tmp_path / "shared.db")
    TranscriptStore(db).close()                       # WAL, as the batch creates it
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(3) as pool:
        jobs = [pool.apply_async(_store_writer, (db, 0)),
                pool.apply_async(_audit_writer, (db, 1)),
                pool.apply_async(_audit_writer, (db, 2))]
        assert [j.get(timeout=300) for j in jobs] == [0, 1, 2]
    shared = sqlite_utils.Database(db)
    assert shared["calls"].count == ROUNDS and shared["turns"].count == ROUNDS
    assert shared["audit"].count == 2 * ROUNDS
