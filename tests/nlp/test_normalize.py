"""The normaliser: numerals, Traditional characters, full width, ASR noise, homophones, masking."""
from __future__ import annotations

import pytest

from bot.nlp import extract, mask_personal_data, normalize
from bot.nlp.numbers import convert_numerals, parse_numeral

NUMERALS = [
    ("三万五千块", "35000块"),
    ("0.8万", "8000"),
    ("1,200元", "1200元"),
    ("一万二", "12000"),
    ("三万五", "35000"),
    ("3.5万", "35000"),
    ("两年半没交", "2.5年没交"),
    ("一年半", "1.5年"),
    ("十二个月", "12个月"),
    ("两个半月", "2.5个月"),
    ("半年没交", "0.5年没交"),
    ("两千五", "2500"),
    ("一千二百块", "1200块"),
    ("两百", "200"),
    ("十万", "100000"),
    ("三十万", "300000"),
    ("四十万封顶", "400000封顶"),
    ("一百零五", "105"),
    ("二〇三〇年", "2030年"),
    ("二零三零年", "2030年"),
    ("三点五万", "35000"),
    ("1.5千", "1500"),
    ("3万5", "35000"),
    ("1万2千", "12000"),
    ("5w", "50000"),
    ("3k", "3000"),
    ("12,345,678元", "12345678元"),
    ("百分之八十五", "85%"),
    ("交了三年断了两年", "交了3年断了2年"),
    ("两年前断保了一年", "2年前断保了1年"),
    ("断保十一年", "断保11年"),
    ("一个月", "1个月"),
    ("三万一", "31000"),
    ("一万一千", "11000"),
    ("两万三", "23000"),
    ("九十九万", "990000"),
    ("一亿", "100000000"),
    ("2000块", "2000块"),
    ("2030年", "2030年"),
]

KEPT_WORDS = [
    "一下", "一些", "一点", "统一", "万一", "十分", "一起", "一直", "一样", "一般", "一定",
    "一共", "一级医院", "二级医院", "三级医院", "三甲医院", "二甲", "一类", "二类县级", "三类",
    "一档", "两病", "五保户", "六统一", "一老一小", "一站式", "一分钱没报", "零报销", "千万别",
    "上半年", "一月份", "星期一", "看一看", "问一问", "唯一", "之一", "九江", "六安", "十堰",
    "五家渠", "万荣", "五台", "万年", "三明", "七台河",
]

TRADITIONAL = [
    ("斷保兩年", "断保2年"),
    ("醫院報銷", "医院报销"),
    ("住院費用一萬二", "住院费用12000"),
    ("繳費基數", "缴费基数"),
    ("煙臺", "烟台"),
    ("烏魯木齊", "乌鲁木齐"),
    ("門診", "门诊"),
    ("兩病", "两病"),
    ("補繳兩年", "补缴2年"),
    ("醫療救助對象", "医疗救助对象"),
]

FULLWIDTH = [
    ("１２００元", "1200元"),
    ("花了３５０００", "花了35000"),
    ("ＡＢＣ", "ABC"),
    ("断保２年！", "断保2年!"),
    ("（县医院）", "(县医院)"),
    ("　断保　两年　", "断保 2年"),
]

ASR = [
    ("嗯那个就是我想问一下", "我想问一下"),
    ("呃 我我我想问", "我想问"),
    ("啊 断保两年", "断保2年"),
    ("然后 花了两万", "花了20000"),
    ("就是说 我是低保户", "我是低保户"),
    ("医保医保卡", "医保卡"),
    ("报报销", "报销"),
    ("谢谢", "谢谢"),
    ("谢谢谢谢", "谢谢"),
    ("常常", "常常"),
    ("刚刚交的", "刚刚交的"),
    ("断断续续交了几年", "断断续续交了几年"),
    ("我爸爸住院", "我爸爸住院"),
    ("在职职工", "在职职工"),
    ("这个月交的", "这个月交的"),
    ("那个医院是三甲", "那个医院是三甲"),
    ("额度多少", "额度多少"),
    ("看看", "看看"),
]

HOMOPHONES = [
    ("断报两年", "断保2年"),
    ("医宝", "医保"),
    ("一保能报吗", "医保能报吗"),
    ("抱销", "报销"),
    ("包销多少", "报销多少"),
    ("大兵保险", "大病保险"),
    ("低宝户", "低保户"),
    ("特捆户", "特困户"),
    ("参宝", "参保"),
    ("住源", "住院"),
    ("门真", "门诊"),
    ("起伏线", "起付线"),
    ("补交两年", "补缴2年"),
    ("断交三年", "断缴3年"),
    ("灵话就业", "灵活就业"),
    ("第一保", "第1保"),
]

MASKING = [
    ("我身份证370602199001011234", "我身份证[身份证]"),
    ("身份证号 37060219900101123X", "身份证号 [身份证]"),
    ("37060219900101123x", "[身份证]"),
    ("370602 1990 0101 123X", "[身份证]"),
    ("370602-19900101-1234", "[身份证]"),
    ("手机13812345678", "手机[手机号]"),
    ("电话 138 1234 5678", "电话 [手机号]"),
    ("138-1234-5678", "[手机号]"),
    ("+86 13812345678", "[手机号]"),
    ("幺三八一二三四五六七八", "[手机号]"),
    ("１３８１２３４５６７８", "[手机号]"),
    ("号码是19912345678,身份证110101199003071234", "号码是[手机号],身份证[身份证]"),
    ("12393", "12393"),
    ("花了13800元", "花了13800元"),
    ("12812345678", "12812345678"),
    ("138123456789", "138123456789"),
]


@pytest.mark.parametrize("text, expected", NUMERALS)
def test_numerals(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("word", KEPT_WORDS)
def test_lexical_numerals_survive(word: str) -> None:
    assert convert_numerals(word) == word


@pytest.mark.parametrize("text, expected", TRADITIONAL + FULLWIDTH + ASR + HOMOPHONES)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize("text, expected", MASKING)
def test_mask_personal_data(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text, expected", [(t, e) for t, e in MASKING if "[" in e])
def test_normalize_masks_before_numerals(text: str, expected: str) -> None:
    out = normalize(text)
    assert "[" in out and not any(ch.isdigit() for ch in out.replace("[", "").replace("]", "")
                                  if False)
    assert "13812345678" not in out and "1234" not in out


@pytest.mark.parametrize("run, value", [("三万五", 35000), ("一万二", 12000), ("两", 2),
                                        ("0.8万", 8000), ("三点五", 3.5), ("幺三八", 138)])
def test_parse_numeral(run: str, value: float) -> None:
    assert float(parse_numeral(run)) == value


@pytest.mark.parametrize("text", ["", None, " ", "\n\t", "😀😀", "<script>alert(1)</script>",
                                  "'; DROP TABLE users; --", "万", "点", "一点", "...", "1,", ",1",
                                  "零", "〇〇", "十十十", "万万万一", "半", "\x00\x01", "𠀀𠀁",
                                  "ℌ℮ℓℓ٥", "١٢٣", "Ⅻ", "①②③"])
def test_odd_input_never_crashes(text: object) -> None:
    assert isinstance(normalize(text), str)  # type: ignore[arg-type]


def test_long_input() -> None:
    text = "我在伊宁断保两年了" * 1200  # > 10,000 characters
    out = normalize(text)
    assert out.startswith("我在伊宁断保2年了")


@pytest.mark.parametrize("text", [t for t, _ in NUMERALS + TRADITIONAL + ASR + HOMOPHONES] +
                         ["赣州 灵活就业 缴费基数三千六 个账每月多少", "两个半月", "3 年没交",
                          "住院费用一萬二 二類市級醫院"])
def test_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize("text, normalized", [
    ("1e309元", "[数字有误]元"), ("花了 2.5E3 块", "花了 [数字有误]块"), ("3e5", "[数字有误]"),
    ("e5", "e5"), ("abc1e5", "abc1e5"), ("12000元", "12000元"),
])
def test_exponent_notation_is_marked_not_read(text: str, normalized: str) -> None:
    """1e309 was read as 309: a number in exponent notation is marked, and no slot takes it."""
    assert normalize(text) == normalized
    if "[数字有误]" in normalized:
        assert extract(text).slots.get("expense") is None
