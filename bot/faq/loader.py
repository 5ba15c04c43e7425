"""Load and validate data/faq/clauses.yml."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import yaml

from .model import RULE_SETS, FaqDataError, FaqEntry, documents

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CLAUSES = PROJECT_ROOT / "data" / "faq" / "clauses.yml"

REQUIRED_FIELDS: tuple[str, ...] = ("id", "rule_set", "doc", "clause", "question", "answer", "keywords")
_TOP_LEVEL_KEYS = frozenset({"version", "entries"})
_ID = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
# The renderer adds the citation and caveats; an answer must not carry its own.
_FORBIDDEN_IN_ANSWER: tuple[str, ...] = ("依据", "12393")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_entries(path: str | Path = DEFAULT_CLAUSES) -> tuple[FaqEntry, ...]:
    text = Path(path).read_text(encoding="utf-8")
    return parse_entries(text, source=str(path))


def parse_entries(text: str, source: str = "<string>") -> tuple[FaqEntry, ...]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FaqDataError(f"{source}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise FaqDataError(f"{source}: top level must be a mapping with an 'entries' list")
    unknown = set(data) - _TOP_LEVEL_KEYS
    if unknown:
        raise FaqDataError(f"{source}: unknown top-level key(s): {', '.join(sorted(map(str, unknown)))}")
    raw_entries = data.get("entries")
    if not isinstance(raw_entries, list) or not raw_entries:
        raise FaqDataError(f"{source}: 'entries' must be a non-empty list")

    entries: list[FaqEntry] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_entries, start=1):
        entry = _parse_entry(raw, position, source)
        if entry.id in seen:
            raise FaqDataError(f"{source}: entry {entry.id!r}: duplicate id")
        seen.add(entry.id)
        entries.append(entry)
    return tuple(entries)


def _parse_entry(raw: Any, position: int, source: str) -> FaqEntry:
    label = f"entry #{position}"
    if not isinstance(raw, dict):
        raise FaqDataError(f"{source}: {label}: must be a mapping")
    if isinstance(raw.get("id"), str) and raw["id"].strip():
        label = f"entry {raw['id']!r}"

    def fail(message: str) -> FaqDataError:
        return FaqDataError(f"{source}: {label}: {message}")

    unknown = set(raw) - set(REQUIRED_FIELDS)
    if unknown:
        raise fail(f"unknown key(s): {', '.join(sorted(map(str, unknown)))}")
    missing = [name for name in REQUIRED_FIELDS if name not in raw or raw[name] in (None, "", [])]
    if missing:
        raise fail(f"missing field(s): {', '.join(missing)}")
    for name in REQUIRED_FIELDS[:-1]:
        if not isinstance(raw[name], str):
            raise fail(f"field {name!r} must be a string")
    keywords = raw["keywords"]
    if not isinstance(keywords, list) or not all(isinstance(k, (str, int)) and str(k).strip() for k in keywords):
        raise fail("field 'keywords' must be a list of non-empty strings")

    entry = FaqEntry(
        id=raw["id"].strip(),
        rule_set=raw["rule_set"].strip(),
        doc=raw["doc"].strip(),
        clause=raw["clause"].strip(),
        question=raw["question"].strip(),
        answer=raw["answer"].strip(),
        keywords=tuple(str(k).strip() for k in keywords),
    )
    if not _ID.match(entry.id):
        raise fail("id must be snake_case (lower-case letters, digits and underscores)")
    if entry.rule_set not in RULE_SETS:
        raise fail(f"unknown rule_set {entry.rule_set!r}; expected one of {', '.join(RULE_SETS)}")
    doc = documents().get(entry.doc)
    if doc is None:
        raise fail(f"unknown doc {entry.doc!r}; expected one of {', '.join(documents())}")
    if doc.rule_set != entry.rule_set:
        raise fail(f"doc {entry.doc!r} belongs to rule set {doc.rule_set!r}, not {entry.rule_set!r}")
    if not doc.clause_pattern.match(entry.clause):
        raise fail(f"clause {entry.clause!r} is not a clause label of doc {entry.doc!r} (its clause_format in rules/)")
    for marker in _FORBIDDEN_IN_ANSWER:
        if marker in entry.answer:
            raise fail(f"answer must not contain {marker!r}: the renderer adds citation and caveat")
    return entry
