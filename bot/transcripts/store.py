"""The hotline database (sqlite-utils): tables `calls` and `turns`, one call written atomically.

`calls`: one row per processed call (primary key call_id). `turns`: every turn of the call,
caller and agent, primary key (call_id, position): `position` is the turn's place in the call,
`turn` the number the export gave it (per utterance or per exchange); foreign key call_id →
calls, indexes on intent and fell_back. A database written before `position` existed is
converted when it is opened (position = turn).

`turns_search` is a full-text index (SQLite FTS5) of every turn's text, segmented by jieba with
the insurance-term dictionary (bot.faq.segment), so that `search("断保两年")`, typed without
spaces as Chinese is, finds 「我 断保 两年 了」; every token of the query must occur. Every text column goes through bot.nlp.mask_personal_data on its way in, whatever
the caller already did: no ID-card or mobile number is ever written.
"""
from __future__ import annotations

import dataclasses
import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from bot.faq import segment
from bot.nlp import mask_personal_data
from bot.sqlite_writes import open_shared, write_transaction

CALLS = "calls"
TURNS = "turns"
SEARCH = "turns_search"
MAX_FOUND = 200


@dataclass(frozen=True)
class CallRecord:
    call_id: str
    sender_id: str              # the Rasa conversation of this call
    source: str                 # file it was read from
    turns: int
    caller_turns: int
    agent_turns: int
    figures: int                # caller turns answered with a figure
    fallbacks: int              # caller turns the assistant could not answer
    first_ts: str | None
    last_ts: str | None
    model: str                  # model file used
    processed_at: str           # UTC, ISO 8601


@dataclass(frozen=True)
class TurnRecord:
    call_id: str
    position: int               # its place in the call, 1-based
    turn: int                   # the export's turn number
    speaker: str                # caller | agent
    ts: str | None
    text: str                   # as said, personal data masked
    normalized: str | None      # bot.nlp.normalize of the text (caller turns)
    intent: str | None
    confidence: float | None
    entities: str | None        # JSON: what the extractor found in this turn
    slots: str | None           # JSON: every slot set after the turn
    answer: str | None          # the assistant's reply (caller turns)
    figure: str | None          # exact decimal of the figure the answer carried
    unit: str | None            # 元 | 个月 | 元/月
    calculation: str | None     # which calculation gave the figure (waiting, cap …)
    fell_back: bool
    unanswered: bool            # fallback, or a calculation question no figure followed


CALL_COLUMNS: dict[str, Any] = {
    "call_id": str, "sender_id": str, "source": str, "turns": int, "caller_turns": int,
    "agent_turns": int, "figures": int, "fallbacks": int, "first_ts": str, "last_ts": str,
    "model": str, "processed_at": str,
}
TURN_COLUMNS: dict[str, Any] = {
    "call_id": str, "position": int, "turn": int, "speaker": str, "ts": str, "text": str, "normalized": str,
    "intent": str, "confidence": float, "entities": str, "slots": str, "answer": str,
    "figure": str, "unit": str, "calculation": str, "fell_back": int, "unanswered": int,
}


def to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _masked(record: Any) -> dict[str, Any]:
    row = dataclasses.asdict(record)
    return {k: mask_personal_data(v) if isinstance(v, str) else (int(v) if isinstance(v, bool) else v)
            for k, v in row.items()}


class TranscriptStore:
    """Open (and create if needed) the hotline database."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = open_shared(path)
        self.db.execute("PRAGMA foreign_keys = ON")
        # WAL: one sync per committed call instead of several, and readers (--report, the
        # actions' audit rows) never block the batch. Still all-or-nothing per call.
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")
        self._create()

    def _create(self) -> None:
        self.db[CALLS].create(CALL_COLUMNS, pk="call_id", if_not_exists=True,
                              not_null=["call_id", "source", "processed_at"])
        if self.db[TURNS].exists() and "position" not in self.db[TURNS].columns_dict:
            with write_transaction(self.db):       # written before positions: position = turn
                self.db[TURNS].add_column("position", int)
                self.db.execute(f"update {TURNS} set position = turn")
                self.db[TURNS].transform(pk=("call_id", "position"))
        turns = self.db[TURNS].create(TURN_COLUMNS, pk=("call_id", "position"), if_not_exists=True,
                                      foreign_keys=[("call_id", CALLS, "call_id")],
                                      not_null=["call_id", "position", "turn", "speaker", "text"])
        turns.create_index(["intent"], if_not_exists=True)
        turns.create_index(["fell_back"], if_not_exists=True)
        if not self.db[SEARCH].exists():
            with write_transaction(self.db):
                self.db.execute(f"create virtual table {SEARCH} using fts5("
                                f"words, call_id unindexed, position unindexed)")
                self._index(self.db[TURNS].rows)            # a database written before the index

    @functools.cached_property
    def _tokenizer(self) -> Any:
        return segment.tokenizer()

    def _index(self, rows: Iterable[dict[str, Any]]) -> None:
        self.db[SEARCH].insert_all(
            ({"words": segment.index_text([r["text"]], self._tokenizer), "call_id": r["call_id"],
              "position": r["position"]} for r in rows))

    def search(self, query: str, limit: int = MAX_FOUND) -> list[dict[str, Any]]:
        """Turns whose text holds every word of `query` (Chinese typed without spaces), in call
        order: call_id, position, speaker, text."""
        words = list(dict.fromkeys(segment.tokens(query[:segment.MAX_QUERY_CHARS], self._tokenizer)))
        words = words[:segment.MAX_QUERY_TOKENS]
        if not words:
            return []
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in words)
        rows = self.db.execute(
            f"select t.call_id, t.position, t.speaker, t.text from {SEARCH} s "
            f"join {TURNS} t on t.call_id = s.call_id and t.position = s.position "
            f"where {SEARCH} match ? order by t.call_id, t.position limit ?", [match, limit]).fetchall()
        return [dict(zip(("call_id", "position", "speaker", "text"), r)) for r in rows]

    def done_calls(self) -> set[str]:
        return {row[0] for row in self.db.execute(f"select call_id from {CALLS}").fetchall()}

    def save_call(self, call: CallRecord, turns: Iterable[TurnRecord]) -> None:
        """Replace the call and all its turns in one transaction (all or nothing)."""
        call_row = _masked(call)
        turn_rows = [_masked(t) for t in turns]
        with write_transaction(self.db):
            self.db[TURNS].delete_where("call_id = ?", [call_row["call_id"]])
            self.db[SEARCH].delete_where("call_id = ?", [call_row["call_id"]])
            self.db[CALLS].delete_where("call_id = ?", [call_row["call_id"]])
            self.db[CALLS].insert(call_row)
            self.db[TURNS].insert_all(turn_rows)
            self._index(turn_rows)

    def close(self) -> None:
        self.db.close()
