"""Data types and the fixed catalogue of rule sets and documents (see docs/CONTRACTS.md)."""
from __future__ import annotations

import re
from dataclasses import dataclass

RULE_SETS: tuple[str, ...] = ("shandong", "yantai", "shanxi", "jiangxi", "xinjiang")

# A city rule set also answers with its province's entries (烟台 inherits 山东).
PARENT_RULE_SETS: dict[str, tuple[str, ...]] = {"yantai": ("shandong",)}

# Region id for places outside the four provinces: no FAQ entry applies there.
NOT_COVERED = "not_covered"

_ROMAN = "一二三四五六七八九十"
_NUMBERED_CLAUSE = re.compile(rf"^[{_ROMAN}]+、\([{_ROMAN}]+\)\d*$")


@dataclass(frozen=True)
class DocInfo:
    rule_set: str
    title: str              # display title as in CONTRACTS.md (fallback when bot.policy is absent)
    draft: bool
    clause_pattern: re.Pattern[str]


DOCS: dict[str, DocInfo] = {
    "ltm2024": DocInfo(
        "shandong",
        "山东省政府办公厅《关于健全基本医疗保险参保长效机制的实施意见》",
        False,
        re.compile(
            r"^「(健全完善参保激励约束机制|优化相关群体参保待遇政策|打造高效便捷的服务保障体系)」"
            r"第[1-9]段$"
        ),
    ),
    "pooling2025": DocInfo(
        "shanxi",
        "《山西省推进城乡居民医疗保险省级统筹方案》",
        False,
        re.compile(r"^「六统一」(总述|之[一二三四五六]\(统一[^()]+\))$"),
    ),
    "outpatient2023": DocInfo(
        "jiangxi",
        "《关于建立健全江西省职工基本医疗保险门诊共济保障机制的实施意见》",
        False,
        _NUMBERED_CLAUSE,
    ),
    "ci2022": DocInfo(
        "yantai",
        "烟政办发〔2022〕25号《烟台市健全重特大疾病医疗保险和救助制度实施方案》",
        False,
        _NUMBERED_CLAUSE,
    ),
    "ltm2024draft": DocInfo(
        "xinjiang",
        "新疆《关于贯彻落实〈国务院办公厅关于健全基本医疗保险参保长效机制的指导意见〉"
        "的实施意见(征求意见稿)》",
        True,
        _NUMBERED_CLAUSE,
    ),
}


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
        return DOCS[self.doc].draft

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
        return DOCS[self.doc].draft


def applicable_rule_sets(rule_set: str) -> tuple[str, ...]:
    """The rule set itself first, then the ones it inherits from."""
    if rule_set == NOT_COVERED:
        return ()
    if rule_set not in RULE_SETS:
        raise ValueError(f"unknown rule set {rule_set!r}; expected one of {', '.join(RULE_SETS)}")
    return (rule_set, *PARENT_RULE_SETS.get(rule_set, ()))
