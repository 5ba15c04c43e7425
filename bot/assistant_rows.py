"""Where the actions append their rows (table `audit`, table `handoffs`): one place for all servers.

- **SQLite** (`make run`, tests): the assistant database, var/assistant.db unless
  $YIBAO_ASSISTANT_DB says otherwise, a private file written by several processes
  (bot.sqlite_writes).
- **PostgreSQL** when $YIBAO_PG_HOST is set (the scaled set-up: the tracker store's database,
  $YIBAO_PG_PORT/_USER/_PASSWORD/_DB): every action server writes to the same tables, so hand-offs
  and the audit log are one table each however many action servers run. The tables are created
  on first use, with the columns below.

Rows are appended, never changed; every text in them is masked or pseudonymous before it gets here
(bot.audit, bot.handoffs).
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator, Mapping

import psycopg2

from bot.sqlite_writes import open_shared, write_transaction

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "assistant.db"

# Column → PostgreSQL type; every table also has `id`, and the INDEXES.
COLUMNS: Mapping[str, Mapping[str, str]] = {
    "audit": {"created_at": "TEXT", "sender": "TEXT", "channel": "TEXT", "kind": "TEXT",
              "inputs": "TEXT", "value": "TEXT", "unit": "TEXT", "rules_version": "TEXT"},
    "handoffs": {"sender_id": "TEXT", "text": "TEXT", "created_at": "TEXT"},
}
INDEXES: Mapping[str, tuple[str, ...]] = {"audit": ("sender", "created_at"), "handoffs": ()}


def assistant_db() -> Path:
    """The SQLite file ($YIBAO_ASSISTANT_DB overrides, for tests and replays)."""
    return Path(os.environ.get("YIBAO_ASSISTANT_DB") or DEFAULT_DB)


def shared_database(environ: Mapping[str, str] = os.environ) -> dict[str, Any] | None:
    """psycopg2 connection arguments of the servers' PostgreSQL, or None (SQLite)."""
    host = environ.get("YIBAO_PG_HOST")
    if not host:
        return None
    return {"host": host, "port": int(environ.get("YIBAO_PG_PORT") or 5432),
            "user": environ.get("YIBAO_PG_USER") or "yibao",
            "password": environ.get("YIBAO_PG_PASSWORD") or "",
            "dbname": environ.get("YIBAO_PG_DB") or "yibao", "connect_timeout": 5}


def append(table: str, row: Mapping[str, Any], db_path: Path | str | None = None) -> None:
    """Add one row to `table` (audit or handoffs), in PostgreSQL when the servers share one
    (unless `db_path` names a SQLite file), else in the SQLite assistant database."""
    if table not in COLUMNS or set(row) - set(COLUMNS[table]):
        raise ValueError(f"unknown table or columns: {table} {sorted(row)}")
    shared = None if db_path is not None else shared_database()
    if shared is not None:
        _append_postgres(shared, table, row)
    else:
        _append_sqlite(Path(db_path or assistant_db()), table, row)


def _append_sqlite(path: Path, table: str, row: Mapping[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_shared(path)
    try:
        with write_transaction(db):
            new = not db[table].exists()
            db[table].insert(dict(row), pk="id", alter=True)
            if new:
                for column in INDEXES[table]:
                    db[table].create_index([column], if_not_exists=True)
    finally:
        db.conn.close()


@contextlib.contextmanager
def _postgres(arguments: Mapping[str, Any]) -> Iterator[Any]:
    conn = psycopg2.connect(**arguments)
    try:
        with conn:                 # one transaction: committed, or rolled back on error
            with conn.cursor() as cursor:
                yield cursor
    finally:
        conn.close()


def _append_postgres(arguments: Mapping[str, Any], table: str, row: Mapping[str, Any]) -> None:
    """The table is created if missing and the row inserted, in one connection and transaction.
    Two servers creating the same table at once may collide in PostgreSQL's catalogue (a unique
    violation): the other one made it, so the append is tried once more."""
    for attempt in (1, 2):
        try:
            with _postgres(arguments) as cursor:
                _create(cursor, table)
                names = [c for c in COLUMNS[table] if c in row]
                cursor.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES "
                               f"({', '.join(['%s'] * len(names))})", [row[c] for c in names])
            return
        except psycopg2.IntegrityError:
            if attempt == 2:
                raise


def _create(cursor: Any, table: str) -> None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} (id BIGSERIAL PRIMARY KEY, "
                   + ", ".join(f"{name} {kind}" for name, kind in COLUMNS[table].items()) + ")")
    for column in INDEXES[table]:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column} ON {table} ({column})")


def rows(table: str, environ: Mapping[str, str] = os.environ) -> list[dict[str, Any]]:
    """Every row of `table` in the servers' PostgreSQL, oldest first (for operators and tests)."""
    arguments = shared_database(environ)
    if arguments is None:
        raise ValueError("YIBAO_PG_HOST is not set")
    with _postgres(arguments) as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, values)) for values in cursor.fetchall()]
