"""Evaluation items (tests/eval/*.yml, format in tests/eval/README.md)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Expectation:
    """What a message may lead to: any of `outcomes`, with `facts` understood."""
    outcomes: tuple[str, ...]
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    source: str
    expect: Expectation


@dataclass(frozen=True)
class Turn:
    say: str
    expect: Expectation | None


@dataclass(frozen=True)
class Ending:
    """How a conversation must end: its last reply contains every text, or its last outcome."""
    contains: tuple[str, ...] = ()
    outcome: str | None = None


@dataclass(frozen=True)
class Conversation:
    id: str
    source: str
    turns: tuple[Turn, ...]
    end: Ending


def _outcomes(raw: Any, where: str) -> tuple[str, ...]:
    values = raw if isinstance(raw, list) else [raw]
    if not values or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"{where}: expect must be a non-empty list of outcome labels")
    return tuple(values)


def _expectation(raw: dict, where: str) -> Expectation:
    return Expectation(_outcomes(raw.get("expect"), where), dict(raw.get("facts") or {}))


def _items(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = (data or {}).get("items")
    if not isinstance(items, list):
        raise ValueError(f"{path}: no 'items' list")
    return items


def load_questions(path: Path) -> list[Question]:
    questions = []
    for raw in _items(path):
        where = f"{path.name}:{raw.get('id')}"
        questions.append(Question(str(raw["id"]), str(raw["text"]), str(raw.get("source", "")),
                                  _expectation(raw, where)))
    return questions


def load_conversations(path: Path) -> list[Conversation]:
    conversations = []
    for raw in _items(path):
        where = f"{path.name}:{raw.get('id')}"
        turns = tuple(Turn(str(t["say"]), _expectation(t, where) if t.get("expect") else None)
                      for t in raw["turns"])
        end = raw.get("end") or {}
        ending = Ending(tuple(str(c) for c in end.get("contains") or ()), end.get("outcome"))
        if not ending.contains and not ending.outcome:
            raise ValueError(f"{where}: 'end' needs 'contains' or 'outcome'")
        conversations.append(Conversation(str(raw["id"]), str(raw.get("source", "")), turns, ending))
    return conversations


def is_conversations(path: Path) -> bool:
    return path.name.startswith("conversations")
