"""bot.assistant_rows: hand-off and audit rows go to one place — the SQLite assistant database,
or the servers' PostgreSQL when they share one (tests/scaled writes there from two servers)."""
from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from bot import assistant_rows


def test_the_place_follows_the_environment():
    assert assistant_rows.shared_database({}) is None
    assert assistant_rows.shared_database({"YIBAO_PG_HOST": "10.0.0.3", "YIBAO_PG_PASSWORD": "pw"}) == {
        "host": "10.0.0.3", "port": 5432, "user": "yibao", "password": "pw", "dbname": "yibao",
        "connect_timeout": 5}


def test_rows_are_appended_to_a_private_sqlite_file(tmp_path: Path):
    db = tmp_path / "assistant.db"
    assistant_rows.append("handoffs", {"sender_id": "web-x", "text": "转人工", "created_at": "t1"}, db)
    assistant_rows.append("handoffs", {"sender_id": "web-y", "text": "[手机号]", "created_at": "t2"}, db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT sender_id, text FROM handoffs ORDER BY id").fetchall() == [
            ("web-x", "转人工"), ("web-y", "[手机号]")]
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600


@pytest.mark.parametrize("table, row", [("users", {"name": "x"}), ("handoffs", {"phone": "138"})])
def test_only_the_known_tables_and_columns(tmp_path: Path, table: str, row: dict):
    with pytest.raises(ValueError):
        assistant_rows.append(table, row, tmp_path / "a.db")


def test_a_new_row_only_once_and_a_change_only_when_it_still_matches(tmp_path: Path):
    db = tmp_path / "assistant.db"
    row = {"handoff_id": 7, "state": "claimed", "operator": "王芳", "claimed_at": "t1"}
    assert assistant_rows.insert_new("handoff_states", row, db) is True
    assert assistant_rows.insert_new("handoff_states", {**row, "operator": "李明"}, db) is False
    assert assistant_rows.update_where("handoff_states", {"state": "done"},
                                       {"handoff_id": 7, "operator": "李明"}, db) is False
    assert assistant_rows.update_where("handoff_states", {"state": "done"},
                                       {"handoff_id": 7, "operator": "王芳"}, db) is True
    assert assistant_rows.select("handoff_states", db_path=db) == [
        {**row, "state": "done", "done_at": None}]


def test_select_filters_orders_and_reads_nothing_from_a_file_not_made_yet(tmp_path: Path):
    db = tmp_path / "assistant.db"
    assert assistant_rows.select("handoffs", db_path=db) == [] and not db.exists()
    for n in range(4):
        assistant_rows.append("handoffs", {"sender_id": f"web-{n}", "text": "转人工",
                                           "created_at": f"t{n}"}, db)
    newest = assistant_rows.select("handoffs", newest_first=True, limit=2, db_path=db)
    assert [r["sender_id"] for r in newest] == ["web-3", "web-2"]
    assert [r["id"] for r in assistant_rows.select("handoffs", among=("id", [1, 3]), db_path=db)] == [1, 3]
    assert assistant_rows.select("handoffs", where={"sender_id": "web-0"}, db_path=db)[0]["id"] == 1
    assert assistant_rows.select("handoff_states", among=("handoff_id", []), db_path=db) == []
    with pytest.raises(ValueError):
        assistant_rows.select("handoffs", where={"text; DROP TABLE handoffs": 1}, db_path=db)
