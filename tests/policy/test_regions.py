from __future__ import annotations

import pytest

from bot.policy.regions import region_surface_forms, resolve_region


@pytest.mark.parametrize("name,rule_set,canonical", [
    ("烟台", "yantai", "烟台市"), ("龍口", "yantai", "龙口市"), ("芝罘区", "yantai", "芝罘区"),
    ("莱州", "yantai", "莱州市"), ("蓬萊", "yantai", "蓬莱市"),
    ("寿光", "shandong", "寿光市"), ("聊城", "shandong", "聊城市"), ("山东省", "shandong", "山东省"),
    ("济南", "shandong", "济南市"), ("青島", "shandong", "青岛市"),
    ("平遥", "shanxi", "平遥县"), ("太原", "shanxi", "太原市"), ("山西", "shanxi", "山西省"),
    ("大同", "shanxi", "大同市"),
    ("瑞金", "jiangxi", "瑞金市"), ("南昌", "jiangxi", "南昌市"), ("贛州", "jiangxi", "赣州市"),
    ("江西省", "jiangxi", "江西省"),
    ("伊宁", "xinjiang", "伊宁市"), ("喀什", "xinjiang", "喀什地区"), ("新疆", "xinjiang", "新疆维吾尔自治区"),
    ("乌鲁木齐", "xinjiang", "乌鲁木齐市"), ("石河子", "xinjiang", "石河子市"), ("伊犁", "xinjiang", "伊犁哈萨克自治州"),
    ("阿克苏地区", "xinjiang", "阿克苏地区"),
])
def test_covered(name: str, rule_set: str, canonical: str) -> None:
    m = resolve_region(name)
    assert (m.rule_set, m.name) == (rule_set, canonical)
    assert m.covered


@pytest.mark.parametrize("name", ["北京", "广州市", "成都", "上海", "湖南省", "", "   ", "xyz", "火星", "中国",
                                  "<script>", "' OR 1=1 --", "😀"])
def test_not_covered(name: str) -> None:
    m = resolve_region(name)
    assert m.rule_set == "not_covered" and not m.covered


def test_ambiguous_short_name_is_flagged() -> None:
    assert resolve_region("西湖区").ambiguous          # 南昌 and 杭州 both have one


def test_surface_forms_include_short_and_full_names() -> None:
    forms = set(region_surface_forms())
    assert {"龙口", "龙口市", "新疆", "伊犁"} <= forms
