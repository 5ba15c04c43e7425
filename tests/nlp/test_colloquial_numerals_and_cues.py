"""Colloquial numerals (俩, 仨), typing and ASR homophones, and the cue words of each slot in the
orders residents use, each with the near-misses that must not change."""
from __future__ import annotations

from typing import Any

import pytest

from bot.nlp import extract, normalize

NORMALIZE_CASES: list[tuple[str, str]] = [
    # 俩 / 仨 before a unit are numerals; elsewhere they stay words
    ("停了俩年", "停了2年"),
    ("断了俩月", "断了2个月"),
    ("仨月", "3个月"),
    ("俩万五", "25000"),
    ("我们俩", "我们俩"),
    ("哥俩好", "哥俩好"),
    ("俩月份", "俩月份"),
    # typing / ASR homophones
    ("门珍报消比例多少", "门诊报销比例多少"),
    ("我家是底保户", "我家是低保户"),
    ("兜底保障", "兜底保障"),
]


@pytest.mark.parametrize("text, expected", NORMALIZE_CASES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


CASES: list[tuple[str, dict[str, Any]]] = [
    # 俩 as a number of years
    ("补交了俩年", {"paid_back_years": 2}),
    ("医保停了俩年", {"gap_years": 2}),
    ("他俩都断保了", {}),
    # a word after 的 is still seen (的大病 / 的住院费 are jieba terms)
    ("原来的大病限额是五十万", {"service": "critical", "original_cap": 500000}),
    ("我的大病保险能报多少", {"service": "critical"}),
    ("我妈的住院费两万", {"service": "inpatient", "expense": 20000}),
    ("的确断了两年", {"gap_years": 2}),
    # phrases for categorical values
    ("新生娃娃在石河子上的医保", {"exempt": "newborn", "region": "xinjiang"}),
    ("新生的宝宝要等吗", {"exempt": "newborn"}),
    ("大学新生怎么参保", {}),
    ("住了半个月院 花了一万八", {"service": "inpatient", "expense": 18000}),
    ("住过两次院", {"service": "inpatient"}),
    ("出院结算的时候", {"service": "inpatient"}),
    ("我住在医院旁边", {}),
    ("赶上集中缴费期了", {"in_period": True}),
    ("能赶上集中缴费期吗", {}),
    ("没赶上集中缴费期", {"in_period": False}),
    ("集中缴费那段时间交的", {"in_period": True}),
    ("集中缴费期的时间是几月", {}),
    # original cap with 大病 / 的 between 原来 and 封顶
    ("原来大病封顶是四十五万", {"service": "critical", "original_cap": 450000}),
    ("之前的大病保险最高支付限额30万", {"service": "critical", "original_cap": 300000}),
    ("封顶是不是三十万", {}),
    # paid this year: 统筹 / 今年 / 给我 in any order
    ("统筹今年已经付了两万", {"paid_this_year": 20000}),
    ("今年统筹已经给我付了四万", {"paid_this_year": 40000}),
    ("统筹基金今年给报了一万五了", {"paid_this_year": 15000}),
    ("今年报销比例是多少", {}),
    # burden: 自己 + 还/得 + 拿/担/出
    ("报完以后自己还得拿十万", {"burden": 100000}),
    ("报完基本医保以后自己还担了大概十五万", {"burden": 150000}),
    ("个人最后要出八千", {"burden": 8000}),
    # zero-claim years with the cue before the number
    ("零报销2年", {"zero_claim_years": 2}),
    ("没报销三年了", {"zero_claim_years": 3}),
    ("连续三年没报销", {"zero_claim_years": 3}),
    # a calendar year said on its own, or 按…年算, is the benefit year
    ("威海 2029年 原来封顶二十万", {"region": "shandong", "benefit_year": 2029, "original_cap": 200000}),
    ("2033年 连续参保十年", {"benefit_year": 2033, "years_insured": 10}),
    ("按二〇三一年算", {"benefit_year": 2031}),
    ("2025年交的医保 断保两年", {"gap_years": 2}),
    ("2023年 断保两年", {"gap_years": 2}),
    # 一年给涨多少 / 一个月划多少 ask about a rate: no duration
    ("连续参保激励 一年给涨多少", {}),
    ("基数按四千交的 个账一个月划多少", {"contribution_base": 4000}),
    ("个人账户一个月有多少", {}),
    ("断了一年有几个月等待期", {"gap_years": 1}),
    ("连续参保一年", {"years_insured": 1}),
    # years paid ahead in one go are not years insured
    ("学生一次把大学四年的医保都交了", {}),
    ("一次性交了三年的医保", {}),
    ("一次性补缴了三年", {"paid_back_years": 3}),
    # a correction inside the message replaces the earlier number
    ("花了一万三千多 不对 是一万三千二", {"expense": 13200}),
    ("断保三年 不对 是两年", {"gap_years": 2}),
    ("补缴两年 不对 补缴三年", {"paid_back_years": 3}),
    ("交了五年 断了三年 错了 断了两年", {"years_insured": 5, "gap_years": 2}),
    ("断保三年 不对 补缴两年", {"gap_years": 3, "paid_back_years": 2}),
    ("断保两年对不对 补缴一年", {"gap_years": 2, "paid_back_years": 1}),
    ("不对不对 不是三年 是断保两年", {"gap_years": 2}),
]


@pytest.mark.parametrize("text, slots", CASES)
def test_extract(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots
