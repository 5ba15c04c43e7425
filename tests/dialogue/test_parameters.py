"""bot.dialogue.parameters: one figure of the rules, found by what is asked and for whom, and
stated with its date and citation."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.dialogue import parameters as P
from bot.nlp import normalize
from bot.policy import load_rulebook

ON = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def book():
    return load_rulebook()


@pytest.mark.parametrize("kind, rule_set, text, names", [
    ("outpatient", "jiangxi", "江西职工普通门诊起付线是多少", ["employee_outpatient.deductible"]),
    ("outpatient", "jiangxi", "在职职工门诊一年最多报多少", ["employee_outpatient.annual_max"]),
    ("outpatient", "jiangxi", "退休的门诊一年最高报多少", ["employee_outpatient.retiree_annual_max"]),
    ("account", "jiangxi", "在职职工个人账户按缴费基数的百分之几划入", ["personal_account.employee_rate"]),
    ("inpatient", "shanxi", "一年住院最多能报多少钱", ["inpatient.annual_limit"]),
    ("critical", "yantai", "低保对象参加居民医保,大病保险起付线是多少", ["critical.special.resident"]),
    ("critical", "yantai", "大病保险起付线多少", ["critical.ordinary.employee", "critical.ordinary.resident"]),
    ("cap", "xinjiang", "那个奖励最多能比原封顶线高百分之多少", ["cap.incentive_limit_ratio"]),
    ("assistance", "yantai", "低保边缘户医疗救助超过多少钱才开始救", ["assistance.edge"]),
    ("cap", "yantai", "大病保险封顶线提高多少", ["cap.step"]),               # 烟台 inherits 山东
    ("inpatient", "xinjiang", "住院起付线多少", []),                         # 新疆 has no such figure
    ("outpatient", "jiangxi", "能报多少", []),                               # asks no aspect of a figure
])
def test_find_parameters(book, kind, rule_set, text, names):
    assert [p.name for p in P.find_parameters(book, kind, rule_set, normalize(text))] == names


def test_a_table_is_stated_whole_with_date_and_citation(book):
    text = P.answer(book, "inpatient", "shanxi", "县医院住院起付线是多少", ON).text
    assert text.startswith("在山西,「居民医保住院起付线和支付比例(按医疗机构收费价格类别)」:")
    assert "二类收费价格(县级)医疗机构(县级医院等):起付线 400 元,支付比例 75%" in text
    assert "(自2025年1月1日起)" in text and "依据:山西《山西省推进城乡居民医疗保险省级统筹方案》" in text


def test_a_draft_figure_says_so_and_an_unknown_one_is_not_invented(book):
    draft = P.answer(book, "cap", "xinjiang", "新疆居民大病保险封顶线是多少", ON).text
    assert "300,000 元" in draft and "征求意见稿" in draft
    unknown = P.answer(book, "cap", "shandong", "山东居民大病保险原来的封顶线是多少", ON).text
    assert "没有给出这个数" in unknown and "依据" not in unknown


def test_the_region_to_answer_for(book):
    assert P.by_region(book, None, "inpatient") == "shanxi"        # the only one with such figures
    assert P.by_region(book, None, "cap") is None                  # 山东 and 新疆 differ: ask
    assert P.by_region(book, "yantai", "cap") == "yantai"
    assert P.by_region(book, "not_covered", "cap") is None
