"""Rasa's SQL tracker store with less work per turn: same table, same rows, same queries' meaning.

Rasa's `SQLTrackerStore` loads a conversation as ORM objects (one Python object per stored event,
only to read its JSON column) and saves new events through the ORM unit of work (one flush per
event). On this assistant a turn stores 10–20 events and a conversation reads back a few hundred,
so the ORM bookkeeping was most of the tracker store's share of a turn (py-spy, issue 6).

`LeanSQLTrackerStore` keeps Rasa's session handling, session-start filter, event order and error
behaviour (errors still reach Rasa's FailSafeTrackerStore and `bot.channels.server`), and changes
only how rows travel: the read selects the JSON column alone, the write is one multi-row INSERT
after a plain count of the stored events.
It works for SQLite (`make run`) and PostgreSQL (`make run-scaled`) alike.

Use it in endpoints.yml as `tracker_store: {type: bot.tracker_store.LeanSQLTrackerStore, ...}` with
the same keys as `type: SQL`. Rasa silently falls back to an in-memory store when a custom type
cannot be imported, so tests load the endpoint files and check the class.
"""
from __future__ import annotations

import itertools
import json
from typing import Any, Dict, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

# The endpoint `type` that selects this store.
ENDPOINT_TYPE = f"{__name__}.LeanSQLTrackerStore"


class LeanSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore reading only the event JSON and writing new events in one INSERT."""

    async def _retrieve(self, sender_id: Text,
                        fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        with self.session_scope() as session:
            query = self._event_query(session, sender_id,
                                      fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            rows = query.with_entities(self.SQLEvent.data).all()
        if not self.domain or not rows:
            return None
        events = [json.loads(data) for (data,) in rows]
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
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
                session.execute(sa.insert(self.SQLEvent.__table__), rows)
            session.commit()

    def _stored_count(self, session: Any, sender_id: Text) -> int:
        """Rasa's `_additional_events` count (events of the latest session already stored) as
        one `SELECT count(id)`: Query.count() wraps the whole event query, every column
        selected, in a subquery."""
        query = self._event_query(session, sender_id, fetch_events_from_all_sessions=False)
        return query.order_by(None).with_entities(sa.func.count(self.SQLEvent.id)).scalar() or 0

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

