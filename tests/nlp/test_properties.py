"""Property tests: no string crashes the normaliser or the extractor."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.nlp import extract, mask_personal_data, normalize
from bot.nlp.extractor import SLOT_NAMES

# Text biased towards what matters here: numerals, units, cue words, digits, punctuation.
_PIECES = st.sampled_from([
    "一", "二", "两", "三", "十", "百", "千", "万", "亿", "零", "〇", "幺", "半", "点", "个", "年", "月",
    "元", "块", "断保", "交了", "补缴", "花了", "自付", "封顶", "到", "去年", "没报", "零报销", "低保",
    "三甲", "一级", "二类", "县医院", "伊宁", "烟台", "太原", "南昌", "北京", "不是", "嗯", "那个",
    "就是", "斷", "醫", "1", "2", "0", ".", ",", "，", " ", "%", "w", "k", "X", "-", "138", "37060219",
    "😀", "<", ">", "'", ";", "\n",
])
_MIXED = st.one_of(st.text(max_size=200), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MIXED)
def test_normalize_never_crashes(text: str) -> None:
    out = normalize(text)
    assert isinstance(out, str)
    assert normalize(out) is not None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_MIXED)
def test_extract_never_crashes(text: str) -> None:
    result = extract(text)
    assert set(result.slots) <= set(SLOT_NAMES)
    for value in result.slots.values():
        assert isinstance(value, (int, float, str, bool))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.text(max_size=20), st.text(max_size=20))
def test_phone_numbers_are_masked(phone: str, before: str, after: str) -> None:
    text = f"{before} {phone} {after}"
    assert phone not in mask_personal_data(text)
    assert phone not in normalize(text)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[1-9][0-9]{16}[0-9X]", fullmatch=True))
def test_id_numbers_are_masked(id_number: str) -> None:
    assert mask_personal_data(f"身份证{id_number}。") == "身份证[身份证]。"
