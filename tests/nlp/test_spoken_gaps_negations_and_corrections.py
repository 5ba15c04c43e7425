"""Spoken phrasings of gaps, dialect negations, ASR-split phrases, corrections and misspoken figures,
with variants (Traditional, ASR pauses, other wording) and near-misses that must not change."""
from __future__ import annotations

from typing import Any

import pytest

from bot.nlp import extract, normalize

CASES: list[tuple[str, dict[str, Any]]] = [
    # 停交/停缴/停保 N 年 is a gap, like 断缴 N 年 (not years insured after 交了)
    ("我这个灵活就业的 停交了一年 啥时候恢复报销", {"insured_type": "flexible", "gap_years": 1}),
    ("停交醫保兩年了 現在交多久能報", {"gap_years": 2}),
    ("中间 停 交了 两年", {"gap_years": 2}),
    ("断 交了 三年", {"gap_years": 3}),
    ("停缴了三年 想重新参保", {"gap_years": 3}),
    ("交了一年", {"years_insured": 1}),                                   # unchanged
    ("没有断保 交了五年", {"years_insured": 5}),                          # unchanged
    ("一直交 没停过 交了八年", {"years_insured": 8}),                      # unchanged
    # 木有/冇/莫有/没得 = 没有: a negation
    ("忻州 没交医保四年了 木有赶上缴费期 交了多久生效",
     {"region": "shanxi", "gap_years": 4, "in_period": False}),
    ("冇赶上集中缴费期", {"in_period": False}),
    ("没得赶上缴费期", {"in_period": False}),
    ("没有赶上集中缴费期", {"in_period": False}),
    ("没 有 赶上集中缴费期", {"in_period": False}),
    ("我木有交 断了一年", {"gap_years": 1}),
    ("赶上了缴费期", {"in_period": True}),                                 # unchanged
    ("在神木有医保吗", {"region": "not_covered"}),                        # 神木 + 有, a place
    ("没得说 交了三年", {"years_insured": 3}),                            # an idiom, unchanged
    # (今年)已经报了 N split by ASR pauses is still paid this year
    ("嗯 那个 今年 那个 门诊 已经 报了 八百 了 还 还能报吗", {"paid_this_year": 800, "service": "outpatient"}),
    ("今年 已经 报销了 两万 还能报多少", {"paid_this_year": 20000}),
    ("今年已經 報了 一千二", {"paid_this_year": 1200}),
    ("统筹 今年 已经 付了 三万", {"paid_this_year": 30000}),
    ("已经 报了名 花了 3000", {"expense": 3000}),                         # unchanged
    ("今年花了 八百", {"expense": 800}),                                  # unchanged
    # what the resident paid after reimbursement is the burden
    ("嗯 我家是 那个 五保 五保户 然后 报完以后 自己 还 出了 三千 那个 救助 能给报吗",
     {"group": "tekun", "service": "assistance", "burden": 3000}),
    ("报销完 还 掏了 五千", {"burden": 5000}),
    ("報完以後 個人 還 掏了 4000", {"burden": 4000}),
    ("报完了 自己 花了 两万", {"burden": 20000}),
    ("花了三千 报完以后 还要等", {"expense": 3000}),                       # unchanged
    ("总共 花了 两万", {"expense": 20000}),                               # unchanged
    # a correction that names its slot (缴费基数写错了 应该是 N)
    ("缴费基数写错了 应该是六千二", {"contribution_base": 6200}),
    ("繳費基數說錯了 應該是六千二", {"contribution_base": 6200}),
    ("缴费基数打错了 是五千八", {"contribution_base": 5800}),
    ("工资说错了 是四千", {"contribution_base": 4000}),
    ("花了一万 打错了 是一万二", {"expense": 12000}),
    ("花了一万 说错了 是一万二", {"expense": 12000}),                     # unchanged
    ("起付线说错了 是一千", {}),                                          # a policy figure
    ("写错了 是莱阳", {"region": "yantai"}),                              # unchanged
    # the figure said by mistake (说成/写成/打错成 N) is no slot
    ("原来封顶是十万 我刚说成二十万了", {"original_cap": 100000}),
    ("原來封頂是二十萬 我說成三十萬了", {"original_cap": 200000}),
    ("原来封顶是十万 刚才写成一百万了", {"original_cap": 100000}),
    ("我花了三万 刚打错成三十万了", {"expense": 30000}),
    ("刚才说错了 花了三万", {"expense": 30000}),                           # unchanged
    ("原来那个封顶 是 二十万", {"original_cap": 200000}),                  # 封顶 是 is still the cap
    # a year said on its own, or after 是/问/算, is the benefit year
    ("不是今年 是2029年", {"benefit_year": 2029}),
    ("就问2030年的", {"benefit_year": 2030}),
    ("不是2029年 是2030年", {"benefit_year": 2030}),
    ("算2031年的", {"benefit_year": 2031}),
    ("問一下二〇三〇年", {"benefit_year": 2030}),
    ("2030年吧", {"benefit_year": 2030}),
    ("孩子是2025年出生的", {}),                                           # a birth year
    ("孩子是2025年的", {}),
    ("我是2025年参保的", {}),                                             # the year of an event
    ("2024年出台的文件", {}),
    ("慢特病待遇全省统一是2027年吗 山西的", {"region": "shanxi"}),
    ("2025年交的", {}),                                                   # unchanged
    # a word said again after a pause (集中 集中缴费期) is said once
    ("喂 嗯 那个 断了 半年 然后 在那个 集中 集中缴费期 补上了 啥时候 能报", {"gap_years": 0.5, "in_period": True}),
    ("喂 断了 一年 然后 在 集中 集中缴费期 交上了", {"gap_years": 1, "in_period": True}),
    ("在集中缴費期 補上了", {"in_period": True}),
    ("我 我想问 断保 断保两年 咋办", {"gap_years": 2}),
    ("没在 集中缴费期 补上", {}),                                          # denied
    ("集中 集中缴费期过了", {"in_period": False}),
    ("两年 两年前断过", {}),                                              # numbers are never merged
]

NORMALIZED: list[tuple[str, str]] = [
    ("木有赶上", "没有赶上"),
    ("冇交", "没有交"),
    ("莫有参保", "没有参保"),
    ("没得交", "没有交"),
    ("没得说", "没得说"),
    ("神木有医保吗", "神木有医保吗"),
    ("格尔木有几家医院", "格尔木有几家医院"),
    ("还 还能报吗", "还能报吗"),
    ("集中 集中缴费期", "集中缴费期"),
    ("两年 两年前", "2年 2年前"),
]


@pytest.mark.parametrize("text, slots", CASES)
def test_extract(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots


@pytest.mark.parametrize("text, expected", NORMALIZED)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected
