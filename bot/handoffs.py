"""Hand-off requests: a resident asked for a person.

Each request is a row of table `handoffs` in the assistant database (bot.audit.assistant_db,
var/assistant.db by default), its text masked (bot.nlp.mask_personal_data) before it is written.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.audit import assistant_db
from bot.nlp import mask_personal_data
from bot.sqlite_writes import open_shared, write_transaction


def record_handoff(sender_id: str, text: str, db_path: Path | str | None = None) -> None:
    """Store the request (personal data masked) in table `handoffs`."""
    path = Path(db_path or assistant_db())
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_shared(path)
    try:
        with write_transaction(db):
            db["handoffs"].insert({
                "sender_id": sender_id,
                "text": mask_personal_data(text or ""),
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }, pk="id", alter=True)
    finally:
        db.conn.close()
