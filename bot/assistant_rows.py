"""Where the assistant's own rows live (tables `audit`, `handoffs`, `handoff_states`): one place
for all servers.

- **SQLite** (`make run`, tests): the assistant database, var/assistant.db unless
  $YIBAO_ASSISTANT_DB says otherwise, a private file written by several processes
  (bot.sqlite_writes).
- **PostgreSQL** when $YIBAO_PG_HOST is set (the scaled set-up: the tracker store's database,
  $YIBAO_PG_PORT/_USER/_PASSWORD/_DB): every action server writes to the same tables, so hand-offs
  and the audit log are one table each however many action servers run. The tables are created
  on first use, with the columns below.

The audit and the hand-off requests are appended, never changed. A hand-off's state (claimed by
an operator, done) is a row of `handoff_states` keyed by the request's id: `insert_new` adds it only
if none exists and `update_where` changes it only if it still matches, each one statement, so two
operators (on two servers) cannot both claim one request. Every text in these rows is masked or
pseudonymous before it gets here (bot.audit, bot.handoffs).
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence, TypeVar

import psycopg2
import sqlite_utils

from bot.sqlite_writes import open_shared, write_transaction

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "assistant.db"

# Column → PostgreSQL type; a table also has its KEY (`id`: a serial number unless the key is one
# of its columns), and the INDEXES.
COLUMNS: Mapping[str, Mapping[str, str]] = {
    "audit": {"created_at": "TEXT", "sender": "TEXT", "channel": "TEXT", "kind": "TEXT",
              "inputs": "TEXT", "value": "TEXT", "unit": "TEXT", "rules_version": "TEXT"},
    "handoffs": {"sender_id": "TEXT", "text": "TEXT", "created_at": "TEXT"},
    "handoff_states": {"handoff_id": "BIGINT", "state": "TEXT", "operator": "TEXT",
                       "claimed_at": "TEXT", "done_at": "TEXT"},
}
KEYS: Mapping[str, str] = {"audit": "id", "handoffs": "id", "handoff_states": "handoff_id"}
INDEXES: Mapping[str, tuple[str, ...]] = {"audit": ("sender", "created_at"), "handoffs": (),
                                          "handoff_states": ()}
_SQLITE_TYPES: Mapping[str, type] = {"BIGINT": int, "TEXT": str}

T = TypeVar("T")


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


def _check(table: str, columns: Sequence[str]) -> None:
    """Only the known tables and columns ever reach an SQL statement."""
    if table not in COLUMNS or set(columns) - set(COLUMNS[table]) - {KEYS[table]}:
        raise ValueError(f"unknown table or columns: {table} {sorted(columns)}")


def _shared(db_path: Path | str | None) -> dict[str, Any] | None:
    return None if db_path is not None else shared_database()


def append(table: str, row: Mapping[str, Any], db_path: Path | str | None = None) -> None:
    """Add one row to `table` (audit or handoffs), in PostgreSQL when the servers share one
    (unless `db_path` names a SQLite file), else in the SQLite assistant database."""
    if table not in COLUMNS or set(row) - set(COLUMNS[table]):
        raise ValueError(f"unknown table or columns: {table} {sorted(row)}")
    shared = _shared(db_path)
    if shared is not None:
        _append_postgres(shared, table, row)
    else:
        _append_sqlite(Path(db_path or assistant_db()), table, row)


def insert_new(table: str, row: Mapping[str, Any], db_path: Path | str | None = None) -> bool:
    """Add `row` unless `table` already has a row with its key: True when it was added."""
    _check(table, list(row))
    names = list(row)
    shared = _shared(db_path)
    if shared is not None:
        sql = (f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))}) "
               f"ON CONFLICT ({KEYS[table]}) DO NOTHING")
        return _in_postgres(shared, table, lambda c: _changed(c, sql, [row[n] for n in names]))
    sql = (f"INSERT OR IGNORE INTO {table} ({', '.join(names)}) "
           f"VALUES ({', '.join(['?'] * len(names))})")
    return _in_sqlite(Path(db_path or assistant_db()), table,
                      lambda db: db.execute(sql, [row[n] for n in names]).rowcount == 1)


def update_where(table: str, values: Mapping[str, Any], where: Mapping[str, Any],
                 db_path: Path | str | None = None) -> bool:
    """Set `values` in the row of `table` whose columns equal `where`: True when one changed."""
    _check(table, [*values, *where])
    params = [*values.values(), *where.values()]
    shared = _shared(db_path)
    if shared is not None:
        sql = _update_sql(table, values, where, "%s")
        return _in_postgres(shared, table, lambda c: _changed(c, sql, params))
    sql = _update_sql(table, values, where, "?")
    return _in_sqlite(Path(db_path or assistant_db()), table,
                      lambda db: db.execute(sql, params).rowcount > 0)


def select(table: str, where: Mapping[str, Any] | None = None,
           among: tuple[str, Sequence[Any]] | None = None, newest_first: bool = False,
           limit: int | None = None, db_path: Path | str | None = None) -> list[dict[str, Any]]:
    """Rows of `table` whose columns equal `where` and whose column `among[0]` is one of
    `among[1]`, by key (newest first if asked), at most `limit`. A table or SQLite file not made
    yet has no rows."""
    where = dict(where or {})
    _check(table, [*where, *([among[0]] if among else [])])
    if among is not None and not among[1]:
        return []
    shared = _shared(db_path)
    mark = "%s" if shared is not None else "?"
    tests = [f"{name} = {mark}" for name in where]
    params = list(where.values())
    if among is not None:
        tests.append(f"{among[0]} IN ({', '.join([mark] * len(among[1]))})")
        params += list(among[1])
    sql = (f"SELECT * FROM {table}" + (f" WHERE {' AND '.join(tests)}" if tests else "")
           + f" ORDER BY {KEYS[table]}{' DESC' if newest_first else ''}"
           + (f" LIMIT {int(limit)}" if limit is not None else ""))
    if shared is not None:
        return _in_postgres(shared, table, lambda c: _fetch(c, sql, params))
    path = Path(db_path or assistant_db())
    if not path.exists():
        return []
    db = open_shared(path)
    try:
        if not db[table].exists():
            return []
        return [dict(r) for r in db.query(sql, params)]
    finally:
        db.conn.close()


def _update_sql(table: str, values: Mapping[str, Any], where: Mapping[str, Any], mark: str) -> str:
    return (f"UPDATE {table} SET {', '.join(f'{n} = {mark}' for n in values)} "
            f"WHERE {' AND '.join(f'{n} = {mark}' for n in where)}")


def _changed(cursor: Any, sql: str, params: Sequence[Any]) -> bool:
    cursor.execute(sql, list(params))
    return cursor.rowcount > 0


def _fetch(cursor: Any, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cursor.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, values)) for values in cursor.fetchall()]


def _in_sqlite(path: Path, table: str, work: Callable[[sqlite_utils.Database], T]) -> T:
    """`work` in one write transaction on the SQLite file, the table created first if missing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_shared(path)
    try:
        with write_transaction(db):
            if not db[table].exists():
                key = KEYS[table]
                columns = {name: _SQLITE_TYPES[kind] for name, kind in COLUMNS[table].items()}
                db[table].create({"id": int, **columns} if key == "id" else columns, pk=key)
            return work(db)
    finally:
        db.conn.close()


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
    names = [c for c in COLUMNS[table] if c in row]
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    _in_postgres(arguments, table, lambda cursor: cursor.execute(sql, [row[c] for c in names]))


def _in_postgres(arguments: Mapping[str, Any], table: str, work: Callable[[Any], T]) -> T:
    """The table is created if missing and `work` done, in one connection and transaction. Two
    servers creating the same table at once may collide in PostgreSQL's catalogue (a unique
    violation): the other one made it, so it is tried once more."""
    for attempt in (1, 2):
        try:
            with _postgres(arguments) as cursor:
                _create(cursor, table)
                return work(cursor)
        except psycopg2.IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _create(cursor: Any, table: str) -> None:
    key = KEYS[table]
    columns = [f"{name} {kind}{' PRIMARY KEY' if name == key else ''}"
               for name, kind in COLUMNS[table].items()]
    if key == "id":
        columns.insert(0, "id BIGSERIAL PRIMARY KEY")
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} ({', '.join(columns)})")
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
