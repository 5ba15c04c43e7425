"""Rasa's SQL tracker store with less work per turn: same table, same rows, same queries' meaning.

Rasa's `SQLTrackerStore` loads a conversation as ORM objects (one Python object per stored event,
only to read its JSON column) and saves new events through the ORM unit of work (one flush per
event). On this assistant a turn stores 10–20 events and a conversation reads back a few hundred,
so the ORM bookkeeping was most of the tracker store's share of a turn (py-spy, issue 6).

`LeanSQLTrackerStore` keeps Rasa's session handling, session-start filter, event order and error
behaviour (errors still reach Rasa's FailSafeTrackerStore and bot/rasa/turn_guards.py), and changes
only how rows travel: the read selects the JSON column alone, the write is one multi-row INSERT
after a plain count of the stored events, and these statements are built once per store.
It works for SQLite (`make run`) and PostgreSQL (`make run-scaled`) alike.

Use it in endpoints.yml as `tracker_store: {type: bot.rasa.tracker_store.LeanSQLTrackerStore, ...}` with
the same keys as `type: SQL`. Rasa silently falls back to an in-memory store when a custom type
cannot be imported, so tests load the endpoint files and check the class. With the overrides
switched off (YIBAO_RASA_FIXES=0, bot/rasa/overrides.py) it reads and writes exactly as
`SQLTrackerStore`.

An SQLite database file is created, or kept, with permissions 0600. A session longer than
`max_session_events` (endpoints.yml, default 400) is rolled over when a turn is saved
(bot/rasa/session_bound.py), with the switch on or off, so a turn never loads more.

`persistent_sqlite_journal`, a server start-up listener (bot.rasa.server), keeps an SQLite tracker
store's rollback journal file between commits.
"""
from __future__ import annotations

import functools
import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sanic import Sanic

from bot.rasa import overrides
from bot.rasa.session_bound import DEFAULT_MAX_SESSION_EVENTS, rollover
from bot.sqlite_writes import private_file

# The endpoint `type` that selects this store.
ENDPOINT_TYPE = f"{__name__}.LeanSQLTrackerStore"


@dataclass(frozen=True)
class EventStatements:
    """Rasa's event queries (SQLTrackerStore._event_query) as Core statements built once per
    store, the sender id a bound parameter: building and compiling the ORM query anew for every
    read and every count was about a tenth of the server's CPU per turn (py-spy)."""
    latest_session: Any        # data of the events since the latest SessionStarted, in order
    all_sessions: Any          # data of every event of the sender, in order
    count_latest_session: Any  # how many events of the latest session are stored
    insert: Any

    @classmethod
    def of(cls, events: sa.Table) -> "EventStatements":
        sender = sa.bindparam("sender_id")
        # the timestamp of the latest SessionStarted (NULL if none), as in Rasa's subquery
        session_start = (sa.select(sa.func.max(events.c.timestamp).label("session_start"))
                         .where(events.c.sender_id == sender,
                                events.c.type_name == SessionStarted.type_name)
                         .subquery())
        in_latest_session = sa.and_(
            events.c.sender_id == sender,
            sa.or_(events.c.timestamp >= session_start.c.session_start,
                   session_start.c.session_start.is_(None)))
        return cls(
            latest_session=sa.select(events.c.data).where(in_latest_session).order_by(events.c.id),
            all_sessions=sa.select(events.c.data).where(events.c.sender_id == sender)
                                                 .order_by(events.c.id),
            count_latest_session=sa.select(sa.func.count(events.c.id)).where(in_latest_session),
            insert=sa.insert(events),
        )


class LeanSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore reading only the event JSON and writing new events in one INSERT."""

    def __init__(self, *args: Any, max_session_events: int = DEFAULT_MAX_SESSION_EVENTS,
                 **kwargs: Any) -> None:
        if int(max_session_events) < 50:
            raise ValueError(f"max_session_events={max_session_events}: at least 50 (a few turns)")
        self.max_session_events = int(max_session_events)
        db = kwargs.get("db")
        if kwargs.get("dialect", "sqlite") == "sqlite" and db and Path(db).parent.is_dir():
            # conversations: readable by the server only (a missing directory fails as before)
            private_file(db)
        super().__init__(*args, **kwargs)
        self._lean = overrides.wanted()
        if self._lean:
            overrides.check_versions()

    @functools.cached_property
    def _statements(self) -> "EventStatements":
        return EventStatements.of(self.SQLEvent.__table__)

    async def _retrieve(self, sender_id: Text,
                        fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        if not self._lean:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        statement = (self._statements.all_sessions if fetch_events_from_all_sessions
                     else self._statements.latest_session)
        with self.session_scope() as session:
            rows = session.execute(statement, {"sender_id": sender_id}).all()
        if not self.domain or not rows:
            return None
        events = [json.loads(data) for (data,) in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        # A long conversation goes on in a fresh session carrying everything over, so that the
        # next turn loads a bounded number of events (bot/rasa/session_bound.py).
        for event in rollover(tracker, self.max_session_events):
            tracker.update(event)
        if not self._lean:
            return await super().save(tracker)
        await self.stream_events(tracker)
        if not tracker.events:
            # A new conversation before its session starts (Rasa saves it on creation): there is
            # no event to store, so no query either.
            return
        with self.session_scope() as session:
            stored = self._stored_count(session, tracker.sender_id)
            rows = [self._row(tracker.sender_id, event)
                    for event in itertools.islice(tracker.events, stored, len(tracker.events))]
            if rows:
                session.execute(self._statements.insert, rows)
            session.commit()

    def _stored_count(self, session: Any, sender_id: Text) -> int:
        """Rasa's `_additional_events` count (events of the latest session already stored) as
        one `SELECT count(id)`: Query.count() wraps the whole event query, every column
        selected, in a subquery."""
        return session.execute(self._statements.count_latest_session,
                               {"sender_id": sender_id}).scalar() or 0

    @staticmethod
    def _row(sender_id: Text, event: Any) -> Dict[Text, Any]:
        """The column values Rasa's SQLTrackerStore.save writes for one event."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }



def _persist_journal(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA journal_mode=PERSIST")


async def persistent_sqlite_journal(app: Sanic, *_: Any) -> None:
    """SQLite tracker store: keep the rollback journal file between commits (PERSIST).

    In SQLite's default mode (DELETE) every commit ends by deleting `<db>-journal`, which on the
    reference machine (ext4) costs ≈10 ms of waiting per turn in the server's only event loop,
    during which no other conversation is served (bench/README.md). PERSIST zeroes the journal's
    header instead of deleting the file: the same rollback journal and the same fsyncs, so a
    crash or power cut leaves the database as before; `<db>-journal` stays next to it. Set on
    every new connection (Rasa opens one per session; nothing in the file changes), so a locked,
    moved or missing database still fails the turn as before. Other tracker stores: untouched."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    for _ in range(5):        # FailSafeTrackerStore → AwaitableTrackerStore → SQLTrackerStore
        if store is None or isinstance(store, SQLTrackerStore):
            break
        store = getattr(store, "_tracker_store", None)
    if isinstance(store, SQLTrackerStore) and store.engine.url.get_backend_name() == "sqlite":
        sa.event.listen(store.engine, "connect", _persist_journal)
