"""Hand-off requests: a resident asked for a person.

Each request is a row of table `handoffs` (bot.assistant_rows: var/assistant.db, or the servers'
PostgreSQL when they share one), its text masked (bot.nlp.mask_personal_data) before it is written.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.assistant_rows import append
from bot.nlp import mask_personal_data

TABLE = "handoffs"


def record_handoff(sender_id: str, text: str, db_path: Path | str | None = None) -> None:
    """Store the request (personal data masked); `db_path`: a SQLite file instead of the
    configured place."""
    append(TABLE, {"sender_id": sender_id, "text": mask_personal_data(text or ""),
                   "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")},
           db_path)
