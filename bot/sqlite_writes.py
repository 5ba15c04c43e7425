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
import os
import stat
from pathlib import Path
from typing import Iterator

import sqlite_utils

BUSY_TIMEOUT_MS = 5000


PRIVATE_MODE = 0o600


def private_file(path: Path | str) -> Path:
    """`path`, created empty if missing, readable and writable by its owner only (SQLite gives
    its journal and WAL files the database's permissions). Its directory must exist."""
    path = Path(path)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    except FileExistsError:
        if stat.S_IMODE(path.stat().st_mode) != PRIVATE_MODE:
            os.chmod(path, PRIVATE_MODE)
    return path


def open_shared(path: Path | str) -> sqlite_utils.Database:
    """sqlite_utils.Database on `path` (a private file) that waits for other writers instead of
    failing."""
    db = sqlite_utils.Database(private_file(path))
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
