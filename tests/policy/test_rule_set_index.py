"""rules/index.yml: the one list of rule sets, the places they govern, and what a city adds."""
from __future__ import annotations

import pytest
import yaml

from bot.policy.errors import RuleFileError
from bot.policy.index import RULE_SETS, load_index, parse_index
from bot.policy.regions import covered_regions_text, resolve_region


def test_rule_sets_in_the_order_residents_are_told_them():
    assert RULE_SETS == ("shandong", "yantai", "shanxi", "jiangxi", "xinjiang")


def test_the_longest_division_prefix_decides():
    index = load_index()
    assert index.rule_set_of("370600000000") == "yantai"          # 烟台市
    assert index.rule_set_of("370200000000") == "shandong"        # 青岛市
    assert index.rule_set_of("440100000000") is None              # 广州市
    assert resolve_region("芝罘区").rule_set == "yantai"
    assert resolve_region("广州").rule_set == "not_covered"


def test_parents_and_the_covered_list_come_from_the_index():
    index = load_index()
    assert index.parents == {"yantai": ("shandong",)}
    assert covered_regions_text() == "山东省(含烟台市的大病保险和医疗救助规定)、山西省、江西省、新疆维吾尔自治区"


@pytest.mark.parametrize("text,key", [
    ("rule_sets: {a: {division: '3', place: 甲}}", "rule_sets.a.division"),
    ("rule_sets: {a: {division: '37'}}", "rule_sets.a.place"),
    ("rule_sets: {a: {division: '37', place: 甲, inherits: b}}", "rule_sets.a.inherits"),
    ("rule_sets: {a: {division: '37', place: 甲, inherits: b}, b: {division: '14', place: 乙, inherits: a}}",
     "rule_sets.a.inherits"),
    ("rule_sets: {a: {division: '37', place: 甲, colour: red}}", "rule_sets.a"),
    ("rule_sets: {}", "rule_sets"),
])
def test_a_broken_index_is_refused_naming_the_key(text, key):
    with pytest.raises(RuleFileError) as info:
        parse_index(yaml.safe_load(text), "index.yml")
    assert info.value.key == key
