"""Self-repairs (一万 一万二), stutters, assistance already paid and the former cap as said aloud,
with variants (Traditional, ASR pauses, other wording) and near-misses that must not change."""
from __future__ import annotations

from typing import Any

import pytest

from bot.nlp import extract, normalize

CASES: list[tuple[str, dict[str, Any]]] = [
    # a figure at once said again more precisely (self-repair): the precise one replaces it
    ("嗯 那个 俺爹 住院了 就是 在县医院 嗯 花了 一万 一万二吧 能报多少",
     {"service": "inpatient", "hospital_level": 2, "expense": 12000}),
    ("嗯 喂 那个 我 我在 吉安 那个 住 住院 花了 两万 两万三 三甲 三甲医院 能报多少",
     {"region": "jiangxi", "service": "inpatient", "hospital_level": 3, "expense": 23000}),
    ("嗯 花了 花了 四万 四万五", {"expense": 45000}),
    ("嗯 不是 不是 那个 刚才 说错了 应该是 两万 两万五", {"expense": 25000}),
    ("住院 花了 一萬 一萬二 能報多少", {"service": "inpatient", "expense": 12000}),
    ("花了一万 一万二", {"expense": 12000}),
    ("自付 两千 两千五", {"burden": 2500}),
    ("一万到一万二", {}),                                                  # a range, unchanged
    ("花了 一万到一万二", {}),                                             # a range, unchanged
    ("花了一万 报了两千", {"expense": 10000}),                              # two figures, unchanged
    ("花了 五千 一万 一万二", {"expense": 5000}),                          # a list, unchanged
    ("三次住院 一万 一万二 一万五", {"service": "inpatient", "expense": 10000}),  # a list, unchanged
    ("花了一万 一万以上能报吗", {"expense": 10000}),                        # not a more precise figure
    ("花了 一万 一万", {"expense": 10000}),                                # unchanged
    ("两年 两年前断过", {}),                                               # numbers are never merged
    # what medical assistance already paid out this year (今年已经救助了 N), like 今年已经报了 N
    ("海阳 低保 医疗救助 今年已经救助了一万 还有多少",
     {"region": "yantai", "group": "dibao", "service": "assistance", "paid_this_year": 10000}),
    ("特困人员 今年救助了两万了 还有救助额度吗",
     {"group": "tekun", "service": "assistance", "paid_this_year": 20000}),
    ("特困人員 醫療救助 今年已經救助了八千 還能救助多少",
     {"group": "tekun", "service": "assistance", "paid_this_year": 8000}),
    ("低保 今年 已经 救助了 五千", {"group": "dibao", "service": "assistance", "paid_this_year": 5000}),
    ("已经救助了三千 还能救助多少", {"service": "assistance", "paid_this_year": 3000}),
    ("医疗救助 能救助一万吗", {"service": "assistance"}),                   # asked, unchanged
    ("救助对象 花了一万", {"exempt": "assistance", "expense": 10000}),        # unchanged
    ("已经救助过两次 花了一万", {"service": "assistance", "expense": 10000}),  # a count, unchanged
    # a stuttered figure said again with its magnitude (十 十万) is one figure
    ("嗯 就是 那个 大病 个人 负担 了 十 十万 能报多少", {"service": "critical", "burden": 100000}),
    ("自付 三 三万", {"burden": 30000}),
    ("花了 五 五千", {"expense": 5000}),
    ("断了 两 两年", {"gap_years": 2}),
    ("交了 十 十五年", {"years_insured": 15}),
    ("三 五千", {"expense": 5000}),                                        # two numbers, unchanged
    ("一 二 三", {}),                                                      # a list, unchanged
    ("那个 嗯 是 是 三 三甲的", {"hospital_level": 3}),                     # unchanged
    # the former cap said as 原来(大病)最多报 N
    ("龙口 原来大病最多报四十五万 今年还是这些吗",
     {"region": "yantai", "service": "critical", "original_cap": 450000}),
    ("原來大病最多報四十五萬", {"service": "critical", "original_cap": 450000}),
    ("原来大病最高能报四十万", {"service": "critical", "original_cap": 400000}),
    ("以前大病最多给报到三十万", {"service": "critical", "original_cap": 300000}),
    ("原来最多报三十万", {"original_cap": 300000}),                        # unchanged
    ("原来大病封顶是四十万", {"service": "critical", "original_cap": 400000}),  # unchanged
    ("大病最多报多少", {"service": "critical"}),                           # asked, unchanged
    ("原来大病最多报多少", {"service": "critical"}),
    ("最多报四十万", {}),                                                  # the policy's figure
    ("之前最多花了三万", {"expense": 30000}),                               # spent, not a cap
]

NORMALIZED: list[tuple[str, str]] = [
    ("花了 一万 一万二吧", "花了 12000吧"),
    ("花了一万 一万二", "花了12000"),
    ("负担 了 十 十万", "负担 了 100000"),
    ("四万 四万五", "45000"),
    ("一 一 一万", "10000"),
    ("断了 两 两年", "断了 2年"),
    ("两年 两年前", "2年 2年前"),
    ("一万到一万二", "10000到12000"),
    ("一万 到 一万二", "10000 到 12000"),
    ("五千 一万 一万二", "5000 10000 12000"),
    ("一万 一万二 一万五", "10000 12000 15000"),
    ("一万 一万以上", "10000 10000以上"),
    ("第一 一万二", "第1 12000"),
    ("统一 一万二", "统一 12000"),
]


@pytest.mark.parametrize("text, slots", CASES)
def test_extract(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots


@pytest.mark.parametrize("text, expected", NORMALIZED)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected
