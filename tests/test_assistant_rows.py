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
