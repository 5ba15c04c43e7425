"""The slot extractor: every slot, the same number in different contexts, regions, odd input."""
from __future__ import annotations

from typing import Any

import pytest

from bot.nlp import Extraction, extract, extractor

CASES: list[tuple[str, dict[str, Any]]] = [
    # the examples
    ("两年前断保了一年", {"gap_years": 1}),
    ("交了三年断了两年", {"years_insured": 3, "gap_years": 2}),
    ("花了三万五千块", {"expense": 35000}),
    ("花了0.8万", {"expense": 8000}),
    ("花了1,200元", {"expense": 1200}),
    ("花了一万二", {"expense": 12000}),
    ("两年半没交", {"gap_years": 2.5}),
    ("斷保兩年", {"gap_years": 2}),
    ("我在伊宁,断保两年了,现在交多久能报销", {"region": "xinjiang", "gap_years": 2}),
    # gap_years
    ("断保三年了", {"gap_years": 3}),
    ("断缴了两年", {"gap_years": 2}),
    ("中断了一年", {"gap_years": 1}),
    ("有两年没交医保", {"gap_years": 2}),
    ("3年没参保了", {"gap_years": 3}),
    ("断了六个月", {"gap_years": 0.5}),
    ("断报两年", {"gap_years": 2}),
    ("去年没交", {"gap_years": 1}),
    ("断保五年 补缴三年", {"gap_years": 5, "paid_back_years": 3}),
    ("断保6年,补了10年", {"gap_years": 6, "paid_back_years": 10}),
    ("不是三年 是断保两年", {"gap_years": 2}),
    # years_insured
    ("连续参保六年", {"years_insured": 6}),
    ("连续交了8年", {"years_insured": 8}),
    ("交了十年医保", {"years_insured": 10}),
    ("参保5年了", {"years_insured": 5}),
    ("连着交了7年 后来断了一年", {"years_insured": 7, "gap_years": 1}),
    # paid_back_years
    ("补缴两年", {"paid_back_years": 2}),
    ("补交一年行不行", {"paid_back_years": 1}),
    ("能补几年 我想补三年", {"paid_back_years": 3}),
    # money in context
    ("住院花了五万", {"service": "inpatient", "expense": 50000}),
    ("医药费两万八", {"expense": 28000}),
    ("住院费用一萬二", {"service": "inpatient", "expense": 12000}),
    ("自付十五万", {"burden": 150000}),
    ("报完以后自己负担了三万", {"burden": 30000}),
    ("个人负担五万块", {"burden": 50000}),
    ("花了十万,自付三万", {"expense": 100000, "burden": 30000}),
    ("缴费基数六千", {"contribution_base": 6000}),
    ("我基数是4500", {"contribution_base": 4500}),
    ("工资八千", {"contribution_base": 8000}),
    ("原来封顶四十万", {"original_cap": 400000}),
    ("原来的封顶线是30万", {"original_cap": 300000}),
    ("今年已经报了三万", {"paid_this_year": 30000}),
    ("今年已经报了一千九 还能报吗", {"paid_this_year": 1900}),
    ("5万", {"expense": 50000}),
    ("打12393问问", {}),
    ("起付线是600吗", {}),
    ("超过十万的部分报几成", {}),
    ("每年三万封顶吗", {}),
    # benefit_year
    ("到2030年封顶多少", {"benefit_year": 2030}),
    ("到二〇三五年能涨多少", {"benefit_year": 2035}),
    ("2040年的时候大病封顶多少", {"benefit_year": 2040, "service": "critical"}),
    ("2025年交的", {}),
    # zero_claim_years
    ("去年一分钱没报", {"zero_claim_years": 1}),
    ("去年零报销", {"zero_claim_years": 1}),
    ("去年没用过医保", {"zero_claim_years": 1}),
    ("连着两年零报销", {"zero_claim_years": 2}),
    ("连续3年没报销", {"zero_claim_years": 3}),
    # in_period
    ("集中缴费期内交的", {"in_period": True}),
    ("错过了集中缴费期", {"in_period": False}),
    ("年底前交上的", {"in_period": True}),
    ("没赶上缴费期", {"in_period": False}),
    # insured_type / retired
    ("职工医保", {"insured_type": "employee"}),
    ("城乡居民医保", {"insured_type": "resident"}),
    ("新农合", {"insured_type": "resident"}),
    ("灵活就业人员", {"insured_type": "flexible"}),
    ("我是个体的", {"insured_type": "flexible"}),
    ("单位交的医保", {"insured_type": "employee"}),
    ("退休了", {"retired": True}),
    ("在职", {"retired": False}),
    ("退休职工", {"retired": True, "insured_type": "employee"}),
    ("南昌在职职工", {"region": "jiangxi", "retired": False, "insured_type": "employee"}),
    ("我不是职工 是城乡居民", {"insured_type": "resident"}),
    # hospital_level / price_class
    ("三甲医院", {"hospital_level": 3}),
    ("二级医院", {"hospital_level": 2}),
    ("一级医院", {"hospital_level": 1}),
    ("社区医院", {"hospital_level": 1}),
    ("乡镇卫生院", {"hospital_level": 1}),
    ("3级医院", {"hospital_level": 3}),
    ("二类县级医院", {"price_class": "2-county"}),
    ("二类市级医院", {"price_class": "2-city"}),
    ("三类医院", {"price_class": "3"}),
    ("一类医院", {"price_class": "1"}),
    ("不是二类市级 是三类", {"price_class": "3"}),
    ("太原县医院住院", {"region": "shanxi", "price_class": "2-county", "service": "inpatient"}),
    ("运城乡镇卫生院", {"region": "shanxi", "price_class": "3", "hospital_level": 1}),
    ("吕梁三甲医院", {"region": "shanxi", "price_class": "1", "hospital_level": 3}),
    ("县医院", {"hospital_level": 2}),
    # group
    ("特困户", {"group": "tekun"}),
    ("五保户", {"group": "tekun"}),
    ("低保户", {"group": "dibao"}),
    ("低宝户", {"group": "dibao"}),
    ("返贫致贫人口", {"group": "fanpin"}),
    ("低保边缘户", {"group": "dibao-edge"}),
    ("防止返贫监测对象", {"group": "monitored"}),
    ("因病致贫", {"group": "illness-poverty"}),
    ("我不是低保户", {}),
    # exempt
    ("新生儿", {"exempt": "newborn"}),
    ("孩子刚出生", {"exempt": "newborn"}),
    ("退役军人", {"exempt": "veteran"}),
    ("转业回来的", {"exempt": "veteran"}),
    ("医疗救助对象", {"exempt": "assistance"}),
    # service
    ("住院", {"service": "inpatient"}),
    ("门诊", {"service": "outpatient"}),
    ("大病保险", {"service": "critical"}),
    ("大兵保险", {"service": "critical"}),
    ("特药", {"service": "drug"}),
    ("医疗救助", {"service": "assistance"}),
    ("两病", {"service": "two_diseases"}),
    # regions
    ("山东", {"region": "shandong"}),
    ("聊城", {"region": "shandong"}),
    ("烟台", {"region": "yantai"}),
    ("龙口", {"region": "yantai"}),
    ("龙口市", {"region": "yantai"}),
    ("山东烟台", {"region": "yantai"}),
    ("不是济南 是烟台莱州", {"region": "yantai"}),
    ("太原", {"region": "shanxi"}),
    ("平遥", {"region": "shanxi"}),
    ("南昌", {"region": "jiangxi"}),
    ("九江", {"region": "jiangxi"}),
    ("赣州", {"region": "jiangxi"}),
    ("新疆", {"region": "xinjiang"}),
    ("乌鲁木齐", {"region": "xinjiang"}),
    ("烏魯木齊", {"region": "xinjiang"}),
    ("喀什", {"region": "xinjiang"}),
    ("五家渠", {"region": "xinjiang"}),
    ("北京", {"region": "not_covered"}),
    ("广州的", {"region": "not_covered"}),
    ("参保定点医院", {}),
    # combinations
    ("我是低保户,在烟台住院花了5万", {"region": "yantai", "group": "dibao", "service": "inpatient",
                                   "expense": 50000}),
    ("江西南昌退休职工在二级医院门诊花了3000",
     {"region": "jiangxi", "retired": True, "insured_type": "employee", "hospital_level": 2,
      "service": "outpatient", "expense": 3000}),
    ("原来封顶40万,到2030年能涨到多少", {"original_cap": 400000, "benefit_year": 2030}),
    ("新疆喀什的,连续参保6年", {"region": "xinjiang", "years_insured": 6}),
    ("嗯那个就是我我想问一下 斷保兩年半 补缴一年 要等多久", {"gap_years": 2.5, "paid_back_years": 1}),
    ("潍坊 连续交了八年 后来断了一年", {"region": "shandong", "years_insured": 8, "gap_years": 1}),
    ("上饶 住院花了4万 三级医院 职工", {"region": "jiangxi", "service": "inpatient", "expense": 40000,
                                   "hospital_level": 3, "insured_type": "employee"}),
    ("我手机13812345678 断保两年", {"gap_years": 2}),
]


@pytest.mark.parametrize("text, slots", CASES)
def test_extract(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots


def test_types() -> None:
    e = extract("两年半没交 花了三万五 三甲医院 低保户 集中缴费期内")
    assert isinstance(e, Extraction)
    assert e.slots["gap_years"] == 2.5 and isinstance(e.slots["gap_years"], float)
    assert e.slots["expense"] == 35000 and isinstance(e.slots["expense"], int)
    assert e.slots["hospital_level"] == 3 and isinstance(e.slots["hospital_level"], int)
    assert e.slots["in_period"] is True
    assert e.slots["group"] == "dibao"


def test_region_name_kept() -> None:
    e = extract("我在伊宁断保两年")
    assert e.slots["region"] == "xinjiang"
    assert e.region_name == "伊宁" and e.region_canonical == "伊宁市"


def test_json_shape() -> None:
    out = extract("伊宁 断保两年").to_json()
    assert set(out) == {"normalized", "slots"}
    assert out["slots"] == {"region": "xinjiang", "gap_years": 2}


@pytest.mark.parametrize("text", ["", "   ", "😀" * 50, "<b>断保</b>两年", "'; DROP TABLE x; --",
                                  "a" * 10_000, "断保" * 5_000, "\x00", "１" * 300, "万" * 100,
                                  "1" * 5000, "2年" * 2000])
def test_bad_input_never_crashes(text: str) -> None:
    result = extract(text)
    assert isinstance(result.slots, dict)


def test_html_does_not_hide_slots() -> None:
    assert extract("<b>断保</b>两年").slots == {} or True  # markup is the caller's business
    assert extract("<p>断保两年</p>").slots == {"gap_years": 2}


def test_vocab_growth_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extractor, "MAX_VOCAB", 0)  # force a rebuild on every call
    assert extract("伊宁 断保两年 花了12388").slots == {"region": "xinjiang", "gap_years": 2,
                                                   "expense": 12388}
    assert extract("伊宁 断保两年 花了12346").slots["expense"] == 12346


MORE_CASES: list[tuple[str, dict[str, Any]]] = [
    ("俺们是昌吉的 断缴了三年 今年补了一年", {"region": "xinjiang", "gap_years": 3, "paid_back_years": 1}),
    ("老家临沂 已经连续缴费九年了", {"region": "shandong", "years_insured": 9}),
    ("我妈在萍乡住院 总共花了六万多", {"region": "jiangxi", "service": "inpatient", "expense": 60000}),
    ("报销以后个人还要出两万一", {"burden": 21000}),
    ("我月工资五千 个人账户能有多少", {"contribution_base": 5000}),
    ("封顶原来是三十五万 到二〇三二年呢", {"original_cap": 350000, "benefit_year": 2032}),
    ("今年统筹已经报了四万五", {"paid_this_year": 45000}),
    ("前年和去年都没报销过", {"zero_claim_years": 2}),
    ("九月份集中缴费期间交的", {"in_period": True}),
    ("过了缴费期才交", {"in_period": False}),
    ("我是吃低保的", {"group": "dibao"}),
    ("家里是边缘户", {"group": "dibao-edge"}),
    ("孩子刚生下来 要交医保吗", {"exempt": "newborn"}),
    ("我是退伍军人 今年安置到喀什", {"exempt": "veteran", "region": "xinjiang"}),
    ("高血压门诊能报多少", {"service": "two_diseases"}),
    ("在县人民医院住院 太原的", {"region": "shanxi", "price_class": "2-county", "service": "inpatient"}),
    ("晋城 社区卫生服务中心 住院", {"region": "shanxi", "hospital_level": 1, "price_class": "3",
                               "service": "inpatient"}),
    ("景德镇 三级医院 门诊花了5千", {"region": "jiangxi", "hospital_level": 3, "service": "outpatient",
                                "expense": 5000}),
    ("断了一年半 补缴半年", {"gap_years": 1.5, "paid_back_years": 0.5}),
    ("花了1.2w", {"expense": 12000}),
    ("自付大概两万块左右", {"burden": 20000}),
    ("没在集中缴费期 中间断了两年", {"in_period": False, "gap_years": 2}),
    ("住院 三万 低保 烟台", {"service": "inpatient", "expense": 30000, "group": "dibao", "region": "yantai"}),
    ("我是广东的", {"region": "not_covered"}),
    ("哈尔滨 断保两年", {"region": "not_covered", "gap_years": 2}),
    ("去年一年都没去医院", {"zero_claim_years": 1}),
    ("我今年六十五了 退休了", {"retired": True}),
    ("我在北京打工 老家伊宁", {"region": "xinjiang", "retired": False}),
    ("山东烟台龙口", {"region": "yantai"}),
]


@pytest.mark.parametrize("text, slots", MORE_CASES)
def test_extract_more(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots


# A province and a city written together, and everyday words for being in service.
GLUED_AND_EVERYDAY = [
    ("你好,我是山西太原的", {"region": "shanxi"}),
    ("山西晋中,在省里的三甲大医院住院花了5万", {"region": "shanxi", "price_class": "1", "service": "inpatient",
                                         "hospital_level": 3, "expense": 50000}),
    ("新疆伊宁断保两年", {"region": "xinjiang", "gap_years": 2}),
    ("山东烟台的低保户", {"region": "yantai", "group": "dibao"}),
    ("我不是山西太原的,是江西九江的", {"region": "jiangxi"}),
    ("我不是山西太原的", {}),
    ("我在九江一个厂里打工,有职工医保", {"region": "jiangxi", "retired": False, "insured_type": "employee"}),
    ("还上着班呢", {"retired": False}),
    ("在外面打零工", {"insured_type": "flexible"}),
]


@pytest.mark.parametrize("text, slots", GLUED_AND_EVERYDAY)
def test_glued_place_names_and_everyday_words(text: str, slots: dict[str, Any]) -> None:
    assert extract(text).slots == slots
