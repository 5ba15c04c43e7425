"""One source per figure: every figure a clause summary states that a rule parameter of the same
clause also holds agrees with rules/ on the date the summary speaks of (the date it says the rule
applies from, else today)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest

from bot.faq import load_entries
from bot.policy import load_rulebook

FIGURE = re.compile(r"(\d+(?:\.\d+)?)(万)?(元|%|个月)")
APPLIES_FROM = re.compile(r"(20\d\d)年(?:(\d{1,2})月(\d{1,2})日)?起")
# Figures of a summary that no calculation uses, so no parameter holds them.
NOT_PARAMETERS = {
    ("yt_illness_poverty_lookback", "12个月"),    # how far back costs count when applying
    ("xj_outpatient_boost", "9个月"),             # a fund's reserve, which decides where money goes
}


def _numbers(value: Any) -> list[Decimal]:
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (Decimal, int, float)):
        return [Decimal(str(value))]
    if isinstance(value, dict):
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _numbers(v)]
    if dataclasses.is_dataclass(value):
        return [n for f in dataclasses.fields(value) for n in _numbers(getattr(value, f.name))]
    return []


def _in_force(values, on: dt.date) -> Any:
    current = None
    for since, value in values:
        if since <= on:
            current = value
    return current


def _clause_figures(doc: str, clause: str, on: dt.date) -> set[Decimal]:
    out: set[Decimal] = set()
    for rule_set in load_rulebook().rule_sets.values():
        for p in rule_set.parameters.values():
            if (p.citation.doc, p.citation.clause) == (doc, clause):
                out.update(_numbers(_in_force(p.values, on)))
    return out


def _date_of(answer: str) -> dt.date:
    m = APPLIES_FROM.search(answer)
    if not m:
        return dt.date.today()
    return dt.date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))


def _stated(answer: str) -> list[tuple[str, Decimal]]:
    """(as written, value in the rules' units): 7万元 → 70000, 85% → 0.85."""
    out = []
    for m in FIGURE.finditer(answer):
        n = Decimal(m.group(1)) * (10000 if m.group(2) else 1)
        out.append((m.group(0), n / 100 if m.group(3) == "%" else n))
    return out


CHECKED = [(e, written, value) for e in load_entries() for written, value in _stated(e.answer)
           if _clause_figures(e.doc, e.clause, _date_of(e.answer)) and (e.id, written) not in NOT_PARAMETERS]


def test_the_summaries_state_figures_the_rules_hold():
    assert len(CHECKED) >= 60                     # 69 today: most figures are checked


@pytest.mark.parametrize("entry,written,value", CHECKED, ids=[f"{e.id}:{w}" for e, w, _ in CHECKED])
def test_a_figure_of_a_summary_agrees_with_the_rules(entry, written, value):
    assert value in _clause_figures(entry.doc, entry.clause, _date_of(entry.answer)), \
        f"{entry.id} says {written}; the rules of {entry.doc} {entry.clause} hold no such figure then"


def test_a_changed_figure_would_be_caught():
    entry = next(e for e in load_entries() if e.id == "sx_inpatient_standard")
    figures = _clause_figures(entry.doc, entry.clause, _date_of(entry.answer))
    assert Decimal("400") in figures and Decimal("450") not in figures
