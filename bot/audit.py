"""Audit log: every figure the assistant gave, with what it was computed from.

One row per answer in table `audit` (bot.assistant_rows: var/assistant.db, or the servers'
PostgreSQL when they share one): time, pseudonymous sender (bot.pseudonyms), channel, calculation, the engine inputs,
the figure and unit, and the git tree hash of rules/ — `git log --format=%H -- rules` plus
`git rev-parse <commit>:rules` finds the rules an old answer was computed from, and
`python -m bot calc` with the stored inputs reproduces it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.assistant_rows import append
from bot.nlp.privacy import mask_personal_data
from bot.policy.model import Result
from bot.pseudonyms import server_pseudonyms

logger = logging.getLogger(__name__)

TABLE = "audit"
PSEUDONYM_KIND = "s"


def masked_sender(sender_id: str) -> str:
    """A stable keyed pseudonym: the same conversation is recognisable, the id itself is not
    stored and cannot be recovered without the server secret."""
    return server_pseudonyms().of(PSEUDONYM_KIND, sender_id)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return mask_personal_data(value)
    return value


def inputs_json(inputs: Any) -> str:
    """Engine inputs (a dataclass) as JSON, money as exact decimal strings."""
    fields = {f.name: _plain(getattr(inputs, f.name)) for f in dataclasses.fields(inputs)}
    return json.dumps(fields, ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class AuditEntry:
    sender: str            # masked
    channel: str
    kind: str
    inputs: str            # JSON
    value: str | None      # exact decimal string; None when the figure is unknown
    unit: str
    rules_version: str

    @classmethod
    def of(cls, sender_id: str, channel: str, inputs: Any, result: Result,
           rules_version: str) -> "AuditEntry":
        return cls(sender=masked_sender(sender_id), channel=channel, kind=result.kind,
                   inputs=inputs_json(inputs),
                   value=None if result.value is None else str(result.value),
                   unit=result.unit, rules_version=rules_version)


def record(entry: AuditEntry, db_path: Path | str | None = None) -> None:
    """Append one row (`db_path`: a SQLite file instead of the configured place)."""
    row = {"created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds"),
           **dataclasses.asdict(entry)}
    append(TABLE, row, db_path)


def record_answer(sender_id: str, channel: str, inputs: Any, result: Result, rules_version: str,
                  db_path: Path | str | None = None) -> None:
    """Record a figure given on `channel`; a failing log never withholds the answer (logged,
    not raised)."""
    try:
        record(AuditEntry.of(sender_id, channel, inputs, result, rules_version), db_path)
    except Exception:
        logger.exception("审计记录写入失败")
