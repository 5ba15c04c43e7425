"""SQLite FTS5 index over jieba-segmented FAQ entries, built with sqlite-utils."""
from __future__ import annotations

import os
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

import jieba
import sqlite_utils

from .loader import DEFAULT_CLAUSES, PROJECT_ROOT, content_hash, parse_entries
from .model import RULE_SETS, FaqEntry, FaqHit, applicable_rule_sets
from .segment import MAX_QUERY_CHARS, USER_DICT, index_text, match_expression, normalize, tokenizer

DEFAULT_DB = PROJECT_ROOT / "var" / "faq.db"
MEMORY = ":memory:"

# Bump when the table layout or the segmentation changes: forces a rebuild of existing files.
INDEX_FORMAT = "faq-index-3"

ENTRY_TABLE = "faq_entries"
META_TABLE = "faq_meta"
# FTS columns and their bm25 weights: a word in the keywords or question counts more.
FTS_COLUMNS: tuple[str, ...] = ("seg_question", "seg_keywords", "seg_answer", "seg_region")
BM25_WEIGHTS: tuple[float, ...] = (2.0, 2.5, 1.0, 3.0)
# Region words indexed with every entry, so that "新疆…" in a question favours 新疆 entries.
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "shandong": ("山东", "山东省"),
    "yantai": ("烟台", "烟台市"),
    "shanxi": ("山西", "山西省"),
    "jiangxi": ("江西", "江西省"),
    "xinjiang": ("新疆", "新疆维吾尔自治区"),
}
# Entries inherited from a parent rule set (烟台 → 山东) rank slightly below the city's own.
INHERITED_WEIGHT = 0.85
# Without a rule_set, a question naming a region ("山东…") ranks other regions' entries lower.
OTHER_REGION_WEIGHT = 0.6
# Hits scoring below this share only very common words with the query ("医保"): not answers.
MIN_SCORE = 1.0
# Candidates fetched from FTS before rule-set weighting and the final limit.
CANDIDATES = 50


def _fingerprint(yaml_text: str) -> str:
    userdict = USER_DICT.read_text(encoding="utf-8")
    return content_hash(f"{INDEX_FORMAT}\n{yaml_text}\n--userdict--\n{userdict}")


def _keywords_of(entries: tuple[FaqEntry, ...]) -> tuple[str, ...]:
    return tuple(sorted({k for e in entries for k in e.keywords}))


class FaqIndex:
    """Search over FAQ entries. Build with `FaqIndex.open(...)` or `FaqIndex.build(...)`."""

    def __init__(self, db: sqlite_utils.Database, tk: jieba.Tokenizer, fingerprint: str) -> None:
        self._db = db
        self._tk = tk
        self._lock = threading.Lock()
        self.fingerprint = fingerprint

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def open(cls, clauses: str | Path = DEFAULT_CLAUSES, db_path: str | Path | None = DEFAULT_DB) -> FaqIndex:
        """Open the index at db_path, rebuilding it when the clause file (or userdict) changed.

        db_path None or ":memory:" builds a private in-memory index.
        """
        yaml_text = Path(clauses).read_text(encoding="utf-8")
        entries = parse_entries(yaml_text, source=str(clauses))
        fingerprint = _fingerprint(yaml_text)
        tk = tokenizer(_keywords_of(entries))
        if db_path is None or str(db_path) == MEMORY:
            db = sqlite_utils.Database(sqlite3.connect(MEMORY, check_same_thread=False))
            _populate(db, entries, tk, fingerprint)
            return cls(db, tk, fingerprint)

        path = Path(db_path)
        if stored_fingerprint(path) != fingerprint:
            _build_file(path, entries, tk, fingerprint)
        return cls(sqlite_utils.Database(sqlite3.connect(path, check_same_thread=False)), tk, fingerprint)

    @classmethod
    def build(cls, entries: tuple[FaqEntry, ...]) -> FaqIndex:
        """An in-memory index over given entries (tests, tools)."""
        fingerprint = content_hash(repr(entries))
        tk = tokenizer(_keywords_of(entries))
        db = sqlite_utils.Database(sqlite3.connect(MEMORY, check_same_thread=False))
        _populate(db, entries, tk, fingerprint)
        return cls(db, tk, fingerprint)

    # ---- queries ------------------------------------------------------------------------------
    def search(
        self, query: str, rule_set: str | None = None, limit: int = 3, min_score: float = MIN_SCORE
    ) -> list[FaqHit]:
        """Best entries for a free-text question; [] when nothing matches.

        rule_set restricts the answer to that rule set and the ones it inherits (烟台 → 山东),
        the rule set's own entries ranking first; "not_covered" gives []. No query text raises.
        """
        allowed = applicable_rule_sets(rule_set) if rule_set is not None else RULE_SETS
        if not isinstance(query, str) or limit <= 0 or not allowed:
            return []
        expression = match_expression(query, self._tk)
        if not expression:
            return []
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        placeholders = ", ".join("?" for _ in allowed)
        sql = (
            f"SELECT e.id, e.rule_set, e.doc, e.clause, e.question, e.answer, "
            f"bm25({ENTRY_TABLE}_fts, {weights}) AS rank "
            f"FROM {ENTRY_TABLE}_fts JOIN {ENTRY_TABLE} AS e ON e.rowid = {ENTRY_TABLE}_fts.rowid "
            f"WHERE {ENTRY_TABLE}_fts MATCH ? AND e.rule_set IN ({placeholders}) "
            f"ORDER BY rank LIMIT {CANDIDATES}"
        )
        with self._lock:
            rows = self._db.execute(sql, [expression, *allowed]).fetchall()
        preferred = _preferred_rule_sets(query, rule_set)
        hits = [
            FaqHit(
                id=row[0], rule_set=row[1], doc=row[2], clause=row[3], question=row[4], answer=row[5],
                score=round(-row[6] * _weight(row[1], rule_set, preferred), 6),
            )
            for row in rows
        ]
        hits = [h for h in hits if h.score >= min_score]
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]

    def entry_ids(self) -> list[str]:
        with self._lock:
            return [row[0] for row in self._db.execute(f"SELECT id FROM {ENTRY_TABLE} ORDER BY rowid")]

    def get(self, entry_id: str) -> FaqHit | None:
        """The entry with this id as a hit (score 0), or None."""
        with self._lock:
            row = self._db.execute(
                f"SELECT id, rule_set, doc, clause, question, answer FROM {ENTRY_TABLE} WHERE id = ?",
                [entry_id],
            ).fetchone()
        return None if row is None else FaqHit(*row, score=0.0)


def _preferred_rule_sets(query: str, rule_set: str | None) -> frozenset[str]:
    """Rule sets the question itself names (only consulted when no rule_set is given)."""
    if rule_set is not None:
        return frozenset()
    text = normalize(query[:MAX_QUERY_CHARS])
    named = [rs for rs, words in REGION_WORDS.items() if any(w in text for w in words)]
    return frozenset(r for rs in named for r in applicable_rule_sets(rs))


def _weight(entry_rule_set: str, rule_set: str | None, preferred: frozenset[str]) -> float:
    if rule_set is not None:
        return 1.0 if entry_rule_set == rule_set else INHERITED_WEIGHT
    if preferred and entry_rule_set not in preferred:
        return OTHER_REGION_WEIGHT
    return 1.0


def stored_fingerprint(path: Path) -> str | None:
    """The content fingerprint stored in an index file, or None if absent/unreadable."""
    if not path.is_file():
        return None
    try:
        db = sqlite_utils.Database(path)
        try:
            if META_TABLE not in db.table_names():
                return None
            row = db.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'fingerprint'").fetchone()
            return None if row is None else row[0]
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None


def _build_file(path: Path, entries: tuple[FaqEntry, ...], tk: jieba.Tokenizer, fingerprint: str) -> None:
    """Build into a temporary file, then atomically replace the index (safe for concurrent readers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}-{threading.get_ident()}")
    tmp.unlink(missing_ok=True)
    db = sqlite_utils.Database(tmp)
    try:
        _populate(db, entries, tk, fingerprint)
    finally:
        db.close()
    os.replace(tmp, path)


def _populate(db: sqlite_utils.Database, entries: tuple[FaqEntry, ...], tk: jieba.Tokenizer, fingerprint: str) -> None:
    rows = [
        {
            "id": e.id,
            "rule_set": e.rule_set,
            "doc": e.doc,
            "clause": e.clause,
            "question": e.question,
            "answer": e.answer,
            "seg_question": index_text([e.question], tk),
            "seg_keywords": index_text(e.keywords, tk),
            "seg_answer": index_text([e.answer], tk),
            "seg_region": index_text(REGION_WORDS.get(e.rule_set, ()), tk),
        }
        for e in entries
    ]
    table = db[ENTRY_TABLE]
    table.insert_all(rows, pk="id", replace=True)
    # unicode61 splits on the spaces we put between jieba tokens; CJK words stay whole.
    table.enable_fts(list(FTS_COLUMNS), fts_version="FTS5", tokenize="unicode61", replace=True)
    table.rebuild_fts()
    db[META_TABLE].insert_all(
        [{"key": "fingerprint", "value": fingerprint}, {"key": "format", "value": INDEX_FORMAT}],
        pk="key",
        replace=True,
    )


@lru_cache(maxsize=4)
def _cached_index(clauses: str, db_path: str, stamp: tuple[int, int]) -> FaqIndex:
    # stamp (mtime_ns, size) of the clause file is part of the key: an edit opens a fresh index.
    return FaqIndex.open(clauses, db_path)


def default_index(clauses: str | Path = DEFAULT_CLAUSES, db_path: str | Path = DEFAULT_DB) -> FaqIndex:
    stat = Path(clauses).stat()
    return _cached_index(str(clauses), str(db_path), (stat.st_mtime_ns, stat.st_size))


def search(query: str, rule_set: str | None = None, limit: int = 3) -> list[FaqHit]:
    """Search the project's FAQ (data/faq/clauses.yml, index in var/faq.db)."""
    return default_index().search(query, rule_set=rule_set, limit=limit)
