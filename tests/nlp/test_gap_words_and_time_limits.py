"""Gap words (中断参保, 停止参保), the time limits of a rule (三个月内) and the payment window."""
from __future__ import annotations

from typing import Any

import pytest

from bot.nlp import extract

CASES: list[tuple[str, dict[str, Any]]] = [
    # 中断参保 is a gap, not years insured (参保了 is the nearer cue)
    ("我是医疗救助对象 中断参保了一年 要不要等待期", {"exempt": "assistance", "gap_years": 1}),
    ("伊宁 中断参保两年了 现在交多久能报", {"region": "xinjiang", "gap_years": 2}),
    ("停止参保三年 现在想续上", {"gap_years": 3}),
    ("参保了五年", {"years_insured": 5}),                               # unchanged
    # N个月内 / N年以内 is a time limit of a rule, not the resident's years
    ("新生儿出生三个月内参保 有没有等待期", {"exempt": "newborn"}),
    ("出生后90天内 不对 三个月之内参保的新生儿", {"exempt": "newborn"}),
    ("交了三年 断了两年", {"years_insured": 3, "gap_years": 2}),          # unchanged
    ("断保一年内补上还用等吗", {}),
    # 在缴费期里交 = in the concentrated period
    ("这次在缴费期里交上了", {"in_period": True}),
    ("错过了缴费期", {"in_period": False}),                             # unchanged
]


@pytest.mark.parametrize("text, slots", CASES)
def test_extract(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots
