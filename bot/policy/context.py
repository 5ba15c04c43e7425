"""What every calculation shares: the rule set in force on a date, and a trace that records
each parameter used together with its citation, readings and warnings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable

from .errors import NotCoveredError
from .model import Citation, Trace
from .regions import NOT_COVERED, covered_regions_text, resolve_region
from .rules import RULE_SETS, Parameter, RuleBook

DRAFT_WARNING = "依据的是征求意见稿(草案),正式文件可能不同。"
LOCAL_OFFICE = "以当地医保经办机构核定为准,可拨打 12393 咨询。"


def resolve_rule_set(region: str) -> str:
    """Rule-set id for a rule-set id or any place name; NotCoveredError otherwise."""
    if region in RULE_SETS:
        return region
    match = resolve_region(region)
    if match.rule_set == NOT_COVERED:
        where = f"“{region}”" if region else "这个地区"
        raise NotCoveredError(f"{where}不在我们掌握的文件范围内。我们目前只能回答:"
                              f"{covered_regions_text()}的规定。")
    return match.rule_set


@dataclass
class Context:
    rules: RuleBook
    rule_set: str
    on: dt.date
    trace: Trace = field(default_factory=Trace)

    @classmethod
    def for_region(cls, rules: RuleBook, region: str, year: int, kind_label: str,
                   needs: Iterable[str]) -> "Context":
        rule_set = resolve_rule_set(region)
        missing = [n for n in needs if not rules.has(rule_set, n)]
        if missing:
            have = [rs.short_name for rs in rules.rule_sets.values()
                    if all(rules.has(rs.id, n) for n in needs)]
            name = rules.rule_sets[rule_set].name
            raise NotCoveredError(f"我们掌握的{name}文件里没有{kind_label}的规定;"
                                  f"这项计算目前只适用于:{'、'.join(have)}。")
        return cls(rules=rules, rule_set=rule_set, on=dt.date(year, 1, 1))

    def param(self, name: str) -> Parameter:
        return self.rules.param(self.rule_set, name)

    def value(self, name: str) -> Any:
        """Value in force, recording readings and warnings that come with it (no step)."""
        p = self.param(name)
        self._note(p)
        if p.unknown:
            return None
        return p.value_on(self.on)

    def known(self, name: str) -> bool:
        return self.param(name).unknown is None

    def cite(self, name: str) -> Citation:
        return self.param(name).citation

    def step(self, text: str, name: str | None = None) -> None:
        self.trace.step(text, name, self.cite(name) if name else None)
        if name:
            self._note(self.param(name))

    def unknown(self, name: str) -> str:
        """Record an unknown figure; returns the sentence saying so."""
        p = self.param(name)
        self._note(p)
        text = f"{p.label}:{p.unknown}"
        self.trace.unknown(text)
        self.trace.step(f"{p.label}——我们的文件没有给出。", name, p.citation)
        return text

    def _note(self, p: Parameter) -> None:
        if not p.has_notes:
            return
        for reading in p.readings:
            self.trace.reading(reading)
        if p.derived:
            self.trace.warn(f"「{p.label}」是根据文件推算的:{p.derived}")
        if p.citation.draft:
            self.trace.warn(DRAFT_WARNING)


def apply_tiers(amount: Decimal, tiers: list[dict[str, Any]]) -> tuple[Decimal, list[tuple[Decimal, Decimal | None, Decimal, Decimal, Decimal]]]:
    """Sum of each band's portion × ratio. Returns (total, [(from, to, portion, ratio, paid)])."""
    total = Decimal(0)
    bands = []
    for tier in tiers:
        lower: Decimal = tier["from"]
        upper: Decimal | None = tier["to"]
        if amount <= lower:
            break
        top = amount if upper is None else min(amount, upper)
        portion = top - lower
        paid = portion * tier["ratio"]
        total += paid
        bands.append((lower, upper, portion, tier["ratio"], paid))
    return total, bands


ZERO = Decimal(0)
