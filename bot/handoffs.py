"""Hand-off requests: a resident asked for a person, and an operator takes it up.

Each request is a row of table `handoffs` (bot.assistant_rows: var/assistant.db, or the servers'
PostgreSQL when they share one), its text masked (bot.nlp.mask_personal_data) before it is written.
Its state goes new → claimed (by one operator) → done, kept in table `handoff_states`: a claim adds
the state row only if the request has none (so of two operators claiming at once exactly one gets
it), and only the operator who claimed a request can mark it done.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from bot.assistant_rows import append, insert_new, select, update_where
from bot.nlp import mask_personal_data

TABLE = "handoffs"
STATES = "handoff_states"
NEW, CLAIMED, DONE = "new", "claimed", "done"
# Why a claim or a «done» did not happen (bot.web.operator words them).
MISSING, TAKEN, ALREADY_DONE, NOT_CLAIMED, NOT_YOURS = (
    "missing", "taken", "already_done", "not_claimed", "not_yours")


@dataclass(frozen=True)
class HandoffRequest:
    id: int
    sender_id: str
    text: str                    # what the resident said (masked when recorded)
    created_at: str              # ISO 8601, UTC
    state: str = NEW
    operator: str | None = None  # who claimed it
    claimed_at: str | None = None
    done_at: str | None = None


@dataclass(frozen=True)
class Outcome:
    request: HandoffRequest | None
    refused: str | None = None   # None: done as asked; else MISSING, TAKEN, …

    @property
    def ok(self) -> bool:
        return self.refused is None


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def record_handoff(sender_id: str, text: str, db_path: Path | str | None = None) -> None:
    """Store the request (personal data masked); `db_path`: a SQLite file instead of the
    configured place."""
    append(TABLE, {"sender_id": sender_id, "text": mask_personal_data(text or ""),
                   "created_at": _now()}, db_path)


def recent_requests(limit: int = 100, db_path: Path | str | None = None) -> list[HandoffRequest]:
    """The latest `limit` requests with their states, newest first."""
    rows = select(TABLE, newest_first=True, limit=limit, db_path=db_path)
    return _with_states(rows, db_path)


def find_request(request_id: int, db_path: Path | str | None = None) -> HandoffRequest | None:
    rows = select(TABLE, where={"id": request_id}, db_path=db_path)
    found = _with_states(rows, db_path)
    return found[0] if found else None


def _with_states(rows: list[dict], db_path: Path | str | None) -> list[HandoffRequest]:
    states = {s["handoff_id"]: s for s in
              select(STATES, among=("handoff_id", [r["id"] for r in rows]), db_path=db_path)}
    out = []
    for row in rows:
        state = states.get(row["id"], {})
        out.append(HandoffRequest(int(row["id"]), str(row.get("sender_id") or ""),
                                  str(row.get("text") or ""), str(row.get("created_at") or ""),
                                  state.get("state") or NEW, state.get("operator"),
                                  state.get("claimed_at"), state.get("done_at")))
    return out


def claim(request_id: int, operator: str, db_path: Path | str | None = None) -> Outcome:
    """`operator` takes the request up, unless another one has (claiming one's own again is fine)."""
    request = find_request(request_id, db_path)
    if request is None:
        return Outcome(None, MISSING)
    insert_new(STATES, {"handoff_id": request_id, "state": CLAIMED, "operator": operator,
                        "claimed_at": _now()}, db_path)
    request = find_request(request_id, db_path)
    if request.operator != operator:
        return Outcome(request, TAKEN)
    if request.state == DONE:
        return Outcome(request, ALREADY_DONE)
    return Outcome(request)


def finish(request_id: int, operator: str, db_path: Path | str | None = None) -> Outcome:
    """The request is done: only the operator who claimed it can say so."""
    changed = update_where(STATES, {"state": DONE, "done_at": _now()},
                           {"handoff_id": request_id, "state": CLAIMED, "operator": operator},
                           db_path)
    request = find_request(request_id, db_path)
    if request is None:
        return Outcome(None, MISSING)
    if changed:
        return Outcome(request)
    if request.state == NEW:
        return Outcome(request, NOT_CLAIMED)
    if request.operator != operator:
        return Outcome(request, NOT_YOURS)
    return Outcome(request, ALREADY_DONE)
