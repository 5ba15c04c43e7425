"""Number forms that used to give a silent wrong value: signs, fractions, space-grouped
thousands, ranges and dates. A negative value is kept so that the conversation refuses it
(bot.policy.bounds) instead of answering for the positive amount; a range is no figure at all,
so the form asks again."""
from __future__ import annotations

from typing import Any

import pytest

from bot.nlp import extract, normalize

CASES: list[tuple[str, dict[str, Any]]] = [
    # minus signs: kept, never dropped
    ("住院花了-5元", {"service": "inpatient", "expense": -5}),
    ("花了负五千元", {"expense": -5000}),
    ("花了负 3000块", {"expense": -3000}),
    ("花了\u22125000元", {"expense": -5000}),
    ("断保-2年", {"gap_years": -2}),
    # 自负 / 个人负担 are words, not a sign
    ("自负5000", {"burden": 5000}),
    ("自负五千", {"burden": 5000}),
    ("个人负担三千", {"burden": 3000}),
    # fractions of a unit
    ("花了⅔万元", {"expense": 6666.67}),
    ("花了½万元", {"expense": 5000}),
    ("花了1/2万元", {"expense": 5000}),
    ("花了3/4万", {"expense": 7500}),
    # a space as thousands separator before a money unit
    ("花了12 000元", {"expense": 12000}),
    ("花了1 200 000元", {"expense": 1200000}),
    # ranges and dates: no single figure
    ("断保2到3年", {}),
    ("断保2-3年", {}),
    ("花了2万到3万", {}),
    ("花了2元-3元", {}),
    ("2020年-2022年没交", {}),
    ("从2020年到2022年断保了", {}),
    ("2023-05-01交的 花了5000", {"expense": 5000}),
    ("2023/5/1交的 花了5000", {"expense": 5000}),
    ("花了1/0万", {}),              # no division by zero, and no figure
    # …but an amount and a year joined by 到 are two figures
    ("封顶原来是三十五万到二〇三二年呢", {"original_cap": 350000, "benefit_year": 2032}),
    ("交了15年到2030年封顶多少", {"years_insured": 15, "benefit_year": 2030}),
    # a minus inside a phrase is not a sign
    ("花了5000元-报了多少", {"expense": 5000}),
]


@pytest.mark.parametrize("text, slots", CASES)
def test_signs_ranges_fractions(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots


@pytest.mark.parametrize("text, normalized", [
    ("花了负五千元", "花了-5000元"),
    ("花了12 000元", "花了12000元"),
    ("花了⅔万元", "花了6666.67元"),
    ("1/2", "1/2"),               # a bare fraction (a date, a ratio) is left alone
    ("\ud800花了五千\udfff", "花了5000"),   # lone surrogates are dropped, never a crash
])
def test_normalized_forms(text: str, normalized: str) -> None:
    assert normalize(text) == normalized
