"""One way to write to a SQLite file that other processes write to as well.

Several processes share a database: the transcript batch's parent stores calls while its worker
processes' custom actions append audit rows; the action server and a batch may share
var/assistant.db. In WAL mode a transaction that starts by reading and then writes fails at
once with "database is locked" when another process committed in between (SQLite cannot wait
for a snapshot that is already stale). `write_transaction` takes the write lock first
(BEGIN IMMEDIATE, waiting up to the busy timeout), so the work inside never has to upgrade.
"""
from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Iterator

import sqlite_utils

BUSY_TIMEOUT_MS = 5000


def open_shared(path: Path | str) -> sqlite_utils.Database:
    """sqlite_utils.Database on `path` that waits for other writers instead of failing."""
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """All or nothing, with the write lock held from the start. sqlite_utils calls inside
    (insert, delete_where, create_index …) nest as savepoints of this transaction."""
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    else:
        db.conn.commit()
