"""Data types of the FAQ, and its view of the rule sets and documents declared in rules/."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Mapping

from bot.policy.index import RULE_SETS, load_index
from bot.policy.regions import NOT_COVERED
from bot.policy.rules import load_rulebook

# Region id for places outside the rule sets: no FAQ entry applies there.


@dataclass(frozen=True)
class DocInfo:
    rule_set: str
    title: str
    draft: bool
    clause_pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def documents() -> Mapping[str, DocInfo]:
    """Every document the rule sets cite (declared in rules/<rule set>.yml), by id."""
    return {doc.id: DocInfo(rule_set.id, doc.title, doc.draft, re.compile(doc.clause_format))
            for rule_set in load_rulebook().rule_sets.values() for doc in rule_set.documents.values()}


class FaqDataError(ValueError):
    """The clause file is malformed; the message names the offending entry."""


@dataclass(frozen=True)
class FaqEntry:
    id: str
    rule_set: str
    doc: str
    clause: str
    question: str
    answer: str
    keywords: tuple[str, ...]

    @property
    def draft(self) -> bool:
        return documents()[self.doc].draft

    def as_hit(self, score: float = 0.0) -> FaqHit:
        return FaqHit(self.id, self.rule_set, self.doc, self.clause, self.question, self.answer, score)


@dataclass(frozen=True)
class FaqHit:
    id: str
    rule_set: str
    doc: str
    clause: str
    question: str
    answer: str
    score: float            # higher is better (negated bm25, weighted by rule-set preference)

    @property
    def draft(self) -> bool:
        return documents()[self.doc].draft


def applicable_rule_sets(rule_set: str) -> tuple[str, ...]:
    """The rule set itself first, then the ones it inherits from."""
    if rule_set == NOT_COVERED:
        return ()
    if rule_set not in RULE_SETS:
        raise ValueError(f"unknown rule set {rule_set!r}; expected one of {', '.join(RULE_SETS)}")
    return (rule_set, *load_index().parents.get(rule_set, ()))
