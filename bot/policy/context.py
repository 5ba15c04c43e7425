"""What every calculation shares: the rule set in force on a date, and a trace that records
each parameter used together with its citation, readings and warnings."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable, Mapping

from .errors import NotCoveredError
from .model import DRAFT_WARNING as DRAFT_WARNING  # defined in model (rules needs it); re-exported
from .model import Citation, Step, Trace, fmt_money, fmt_ratio
from .regions import NOT_COVERED, covered_regions_text, resolve_region
from .rules import RULE_SETS, Parameter, RuleBook

LOCAL_OFFICE = "以当地医保经办机构核定为准,可拨打 12393 咨询。"

_RULE_SET_IDS = frozenset(RULE_SETS)
_new_tuple = tuple.__new__          # _new_tuple(Step, (…)) is Step(…) without its Python __new__


def resolve_rule_set(region: str) -> str:
    """Rule-set id for a rule-set id or any place name; NotCoveredError otherwise."""
    if region in _RULE_SET_IDS:
        return region
    match = resolve_region(region)
    if match.rule_set == NOT_COVERED:
        where = f"“{region}”" if region else "这个地区"
        raise NotCoveredError(f"{where}不在我们掌握的文件范围内。我们目前只能回答:"
                              f"{covered_regions_text()}的规定。")
    return match.rule_set


class Context:
    """One calculation's rule set, date and trace.

    Built for every answer, so it is kept light (__slots__): parameters are looked up in the rule
    book's merged table for the rule set (inherited ones filled in at load time), and figures
    taken from the rules are shown with the texts formatted at load time (money(), ratio())."""

    __slots__ = ("rules", "rule_set", "on", "trace", "_params")

    def __init__(self, rules: RuleBook, rule_set: str, on: dt.date, trace: Trace | None = None) -> None:
        self.rules = rules
        self.rule_set = rule_set
        self.on = on
        self.trace = Trace() if trace is None else trace
        self._params: Mapping[str, Parameter] = rules.merged[rule_set]

    def __repr__(self) -> str:
        return f"Context(rule_set={self.rule_set!r}, on={self.on!r})"

    @classmethod
    def for_region(cls, rules: RuleBook, region: str, year: int, kind_label: str,
                   needs: Iterable[str]) -> "Context":
        rule_set = resolve_rule_set(region)
        params = rules.merged[rule_set]
        for name in needs:
            if name not in params:
                have = [rs.short_name for rs in rules.rule_sets.values()
                        if all(rules.has(rs.id, n) for n in needs)]
                where = rules.rule_sets[rule_set].name
                raise NotCoveredError(f"我们掌握的{where}文件里没有{kind_label}的规定;"
                                      f"这项计算目前只适用于:{'、'.join(have)}。")
        return cls(rules, rule_set, dt.date(year, 1, 1))

    def param(self, name: str) -> Parameter:
        return self._params[name]

    def has(self, name: str) -> bool:
        return name in self._params

    def value(self, name: str) -> Any:
        """Value in force, recording readings and warnings that come with it (no step)."""
        p = self._params[name]
        if p.has_notes:
            self.trace.notes_from(p.readings, p.warnings)
        if p.unknown:
            return None
        start, latest = p.values[-1]
        if start <= self.on:                  # the usual case: the latest value is in force
            return latest
        return p.value_on(self.on)

    def shown(self, name: str) -> str | None:
        """The value in force as answers show it (Parameter.shown), without recording anything."""
        p = self._params[name]
        return p.shown[p.index_on(self.on)]

    def known(self, name: str) -> bool:
        return self._params[name].unknown is None

    def cite(self, name: str) -> Citation:
        return self._params[name].citation

    def step(self, text: str, name: str | None = None) -> None:
        """A trace step; with `name`, citing that parameter and recording its readings/warnings."""
        trace = self.trace
        if not name:
            trace.steps.append(_new_tuple(Step, (text, None, None)))   # Step(text)
            return
        p = self._params[name]
        trace.steps.append(_new_tuple(Step, (text, name, p.citation)))
        if p.has_notes:
            trace.notes_from(p.readings, p.warnings)

    def unknown(self, name: str) -> str:
        """Record an unknown figure; returns the sentence saying so."""
        p = self._params[name]
        self.trace.notes_from(p.readings, p.warnings)
        text = f"{p.label}:{p.unknown}"
        self.trace.unknown(text)
        self.trace.step(f"{p.label}——我们的文件没有给出。", name, p.citation)
        return text

    def money(self, figure: Decimal) -> str:
        """fmt_money(figure) for a figure taken from the rules (formatted at load time)."""
        return self.rules.money_texts.get(figure) or fmt_money(figure)

    def ratio(self, figure: Decimal) -> str:
        """fmt_ratio(figure) for a ratio taken from the rules (formatted at load time)."""
        return self.rules.ratio_texts.get(figure) or fmt_ratio(figure)


def apply_tiers(amount: Decimal, tiers: list[dict[str, Any]]) -> tuple[Decimal, list[tuple[Decimal, Decimal | None, Decimal, Decimal, Decimal]]]:
    """Sum of each band's portion × ratio. Returns (total, [(from, to, portion, ratio, paid)])."""
    total = Decimal(0)
    bands = []
    for tier in tiers:
        lower: Decimal = tier["from"]
        upper: Decimal | None = tier["to"]
        if amount <= lower:
            break
        top = upper if upper is not None and upper < amount else amount    # min(amount, upper)
        portion = top - lower
        paid = portion * tier["ratio"]
        total += paid
        bands.append((lower, upper, portion, tier["ratio"], paid))
    return total, bands


ZERO = Decimal(0)
