"""bot.dialogue.facts: a follow-up's facts read as the calculation it continues reads them."""
from __future__ import annotations

from bot.dialogue.facts import facts_for
from bot.nlp import extract


def test_a_bare_amount_is_the_burden_of_the_critical_illness_calculations():
    said = extract("要是二十五万呢").slots
    assert facts_for("critical", said, "yantai", "要是二十五万呢") == {"burden": 250000, "expense": None}
    assert facts_for("chain", said, "yantai", "要是二十五万呢") == {"burden": 250000, "expense": None}
    assert facts_for("drug", said, "yantai", "要是二十五万呢") == {}          # a drug cost is an expense


def test_a_hospital_word_is_shanxis_price_class_once_the_region_is_known():
    text = "那要是在县医院住呢"
    assert facts_for("inpatient", extract(text).slots, "shanxi", text) == {"price_class": "2-county"}
    assert facts_for("inpatient", extract(text).slots, None, text) == {}
    assert facts_for("outpatient", extract(text).slots, "jiangxi", text) == {}


def test_a_correction_with_a_bare_number_of_years_corrects_the_years_fact():
    assert facts_for("waiting", {}, "xinjiang", "不对 是3年") == {"gap_years": 3}
    assert facts_for("cap", {}, "xinjiang", "说错了,交了6年") == {"years_insured": 6}
    assert facts_for("waiting", {}, "xinjiang", "我交了3年") == {}               # not a correction
    assert facts_for("cap", {}, "xinjiang", "不对,2025年没报销过") == {}        # a year, not years
    assert facts_for("waiting", {"gap_years": 2}, "xinjiang", "不对,断保2年") == {}   # already read
