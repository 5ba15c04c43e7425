"""Every figure an FAQ answer states is one the rules state.

The FAQ answers (data/faq/clauses.yml) restate some of the documents' figures in words: 3000 元,
20%, 4 年 … The calculators take the same figures from rules/<region>.yml. When a rule file
changes, an FAQ answer that still says the old figure would contradict the calculation; an FAQ
figure found in no rule file would be one the assistant states without a computable source.
So each amount, ratio or duration in an answer must be a value (or a start year) of a parameter
of that entry's rule set or the one it inherits, unless it is listed below with the reason it is
not a computable rule. Dates (2025年1月1日, 12月31日, 每年9月) are not figures here.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterator

import pytest
import yaml

from bot.faq.loader import DEFAULT_CLAUSES
from bot.policy import load_rulebook

# entry id → figures (as written) the answer states that no calculator uses, and why.
NOT_COMPUTED = {
    "sd_assistance_anytime": {"99%": "a participation-rate goal for the assistance groups"},
    "xj_assistance_subsidy": {"99%": "a participation-rate goal for the assistance groups"},
    "yt_high_cost_monitoring": {"150%": "the monitoring threshold for high medical costs (no calculation)"},
    "yt_illness_poverty_lookback": {"12个月": "how far back costs count when applying (no calculation)"},
    "xj_outpatient_boost": {"9个月": "a fund-reserve condition for regions, not a resident's benefit"},
}

# A figure: a number with its unit. Years (4 digits before 年), months and days of dates are not.
FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(万元|万|元|%|个月|年)(?![\d月底])")
DATE = re.compile(r"\d{4}年(\d{1,2}月)?(\d{1,2}日)?|\d{1,2}月\d{1,2}日|每年\d{1,2}月")


def _numbers(value: Any) -> Iterator[Decimal]:
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value))
        yield d
        yield d * 100                           # a ratio as a percentage
    elif isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _numbers(v)


def _rule_figures(rule_set: str) -> set[Decimal]:
    rules = load_rulebook()
    figures: set[Decimal] = set()
    for parameter in rules.merged[rule_set].values():
        for start, value in parameter.values:
            figures.add(Decimal(start.year))
            figures.update(d.normalize() for d in _numbers(value))
    return figures


def _entries() -> list[dict[str, Any]]:
    return yaml.safe_load(DEFAULT_CLAUSES.read_text(encoding="utf-8"))["entries"]


def _figures(answer: str) -> list[tuple[str, Decimal]]:
    text = DATE.sub(" ", answer)
    out = []
    for number, unit in FIGURE.findall(text):
        value = Decimal(number) * (10000 if unit.startswith("万") else 1)
        out.append((number + unit, value.normalize()))
    return out


ENTRIES = _entries()


def test_the_check_sees_figures():
    assert _figures("提高3000元,最多20%,满4年,追溯12个月,1.5万元,从2025年1月1日起,12月31日") == [
        ("3000元", Decimal(3000)), ("20%", Decimal(20)), ("4年", Decimal(4)),
        ("12个月", Decimal(12)), ("1.5万元", Decimal(15000))]
    assert sum(len(_figures(e["answer"])) for e in ENTRIES) >= 60


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["id"] for e in ENTRIES])
def test_faq_figures_are_the_rules(entry):
    known = _rule_figures(entry["rule_set"])
    allowed = NOT_COMPUTED.get(entry["id"], {})
    unknown = [said for said, value in _figures(entry["answer"])
               if value not in known and said not in allowed]
    assert not unknown, f"{entry['id']}: {unknown} not in rules/{entry['rule_set']}.yml"


def test_every_exception_is_still_needed():
    by_id = {e["id"]: e for e in ENTRIES}
    for entry_id, figures in NOT_COMPUTED.items():
        said = {s for s, _ in _figures(by_id[entry_id]["answer"])}
        assert set(figures) <= said, entry_id
        known = _rule_figures(by_id[entry_id]["rule_set"])
        assert not any(v in known for s, v in _figures(by_id[entry_id]["answer"]) if s in figures), entry_id
