"""What every calculation shares: the rule set in force on a date, and a trace that records
each parameter used together with its citation, readings and warnings."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable, Mapping

from .errors import NotCoveredError
from .model import Citation, Step, Trace
from .regions import NOT_COVERED, covered_regions_text, resolve_region
from .index import RULE_SETS
from .rules import InForce, Parameter, RuleBook

LOCAL_OFFICE = "以当地医保经办机构核定为准,可拨打 12393 咨询。"

_RULE_SET_IDS = frozenset(RULE_SETS)
ZERO = Decimal(0)
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


PLACES_KEPT = 4096          # place names remembered per rule book (they come from residents)


def _place(rules: RuleBook, region: str, year: int) -> InForce:
    """rules.in_force for a place name as said (or a rule-set id), remembered in rules.places
    so the next calculation for it is one lookup; NotCoveredError is raised and not kept."""
    in_force = rules.in_force(resolve_rule_set(region), year)
    if len(rules.places) < PLACES_KEPT:
        rules.places[region, year] = in_force
    return in_force


class Context(Trace):
    """One calculation: its rules in force, and the trace it records (a Context is that Trace).

    Built for every answer, so it is kept light (__slots__, one object rather than a context and
    a separate trace): the rule set as it stands in the benefit year is resolved once per rule
    book (RuleBook.in_force), so a value is one dict lookup. Figures taken from the rules are
    shown with the texts formatted at load time: money[figure] is fmt_money(figure) and
    ratio[figure] is fmt_ratio(figure) for every figure in the rules (RuleBook.money_texts); a
    figure computed from them is formatted when it is shown."""

    __slots__ = ("rules", "in_force", "money", "ratio", "_params", "_current")

    def __init__(self, rules: RuleBook, in_force: InForce) -> None:
        Trace.__init__(self)
        self.rules = rules
        self.in_force = in_force
        self.money: Mapping[Decimal, str] = rules.money_texts
        self.ratio: Mapping[Decimal, str] = rules.ratio_texts
        self._params: Mapping[str, Parameter] = in_force.params
        self._current = in_force.current

    def __repr__(self) -> str:
        return f"Context(rule_set={self.rule_set!r}, on={self.on!r})"

    @property
    def rule_set(self) -> str:
        return self.in_force.rule_set

    @property
    def on(self) -> dt.date:
        return self.in_force.on

    @classmethod
    def for_region(cls, rules: RuleBook, region: str, year: int, kind_label: str,
                   needs: Iterable[str]) -> "Context":
        in_force = rules.places.get((region, year)) or _place(rules, region, year)
        params = in_force.params
        for name in needs:
            if name not in params:
                raise _not_covered(rules, in_force, kind_label, needs)
        return cls(rules, in_force)

    def param(self, name: str) -> Parameter:
        return self._params[name]

    def has(self, name: str) -> bool:
        return name in self._params

    def value(self, name: str) -> Any:
        """Value in force (None when our documents do not give it), recording the readings and
        warnings that come with it (no step)."""
        try:
            value, notes = self._current[name]
        except KeyError:
            return self._not_in_force(name)
        if notes is not None:
            self.noted[notes] = None
        return value

    def _not_in_force(self, name: str) -> Any:
        """For a parameter that is not in InForce.current: NotInForceError if it starts later,
        KeyError if the rule set has no such parameter."""
        return self._params[name].value_on(self.on)

    def shown(self, name: str) -> str | None:
        """The value in force as answers show it (Parameter.shown), without recording anything."""
        try:
            return self.in_force.shown[name]
        except KeyError:                      # not in force (NotInForceError) or unknown
            p = self._params[name]
            return p.shown[p.index_on(self.on)]

    def known(self, name: str) -> bool:
        return self._params[name].unknown is None

    def cite(self, name: str) -> Citation:
        return self._params[name].citation

    def step(self, text: str, name: str | None = None) -> None:
        """A trace step; with `name`, citing that parameter and recording its readings/warnings
        (Trace.step, with the citation taken from the parameter)."""
        if not name:
            self.steps.append(_new_tuple(Step, (text, None, None)))   # Step(text)
            return
        p = self._params[name]
        self.steps.append(_new_tuple(Step, (text, name, p.citation)))
        notes = p.notes
        if notes is not None:
            self.noted[notes] = None

    def unknown(self, name: str) -> str:
        """Record an unknown figure; returns the sentence saying so."""
        p = self._params[name]
        if p.notes is not None:
            self.noted[p.notes] = None
        text = f"{p.label}:{p.unknown}"
        self.unknown_text(text)
        self.step(f"{p.label}——我们的文件没有给出。", name)
        return text


def _not_covered(rules: RuleBook, in_force: InForce, kind_label: str,
                 needs: Iterable[str]) -> NotCoveredError:
    """The error for a rule set without the parameters a calculation needs. A function of its
    own: inside Context.for_region, these comprehensions would make `rules` and `needs` closure
    cells, created on every call of for_region."""
    have = [rs.short_name for rs in rules.rule_sets.values()
            if all(rules.has(rs.id, n) for n in needs)]
    where = rules.rule_sets[in_force.rule_set].name
    return NotCoveredError(f"我们掌握的{where}文件里没有{kind_label}的规定;"
                           f"这项计算目前只适用于:{'、'.join(have)}。")


def apply_tiers(amount: Decimal, tiers: list[dict[str, Any]]) -> tuple[Decimal, list[tuple[Decimal, Decimal | None, Decimal, Decimal, Decimal]]]:
    """Sum of each band's portion × ratio. Returns (total, [(from, to, portion, ratio, paid)])."""
    total = ZERO
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

