"""Vocabulary of the extractor: words that set categorical slots, and number cues.

Everything here is data. `LEXICON` maps a surface form (simplified, as the normaliser leaves it)
to the slot values it states; the EntityRuler is built from it, and so is the jieba user
dictionary (bot/nlp/jieba_dict/userdict.txt, regenerate with `python -m bot.nlp.userdict`).
Number cues are regular expressions over the normalised text (see bot.nlp.quantities).
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

Assignment = tuple[tuple[str, object], ...]


def _entries(pairs: dict[str, tuple[str, object]]) -> dict[str, Assignment]:
    return {surface: (slot_value,) for surface, slot_value in pairs.items()}


def _words(slot: str, value: object, words: str) -> dict[str, tuple[str, object]]:
    return {w: (slot, value) for w in words.split()}


_SINGLE: dict[str, tuple[str, object]] = {
    # group (codes as the engine CLI)
    **_words("group", "tekun", "特困 特困户 特困人员 特困供养 特困供养人员 五保 五保户 五保老人 供养 "
                               "供养人员 集中供养 分散供养 特困对象 特困老人"),
    **_words("group", "dibao", "低保 低保户 低保对象 低保家庭 吃低保 低保人员 享受低保 城市低保 农村低保 "
                               "城乡低保"),
    **_words("group", "fanpin", "返贫致贫 返贫致贫人口 返贫 致贫 返贫户 致贫户 返贫人口 致贫人口"),
    **_words("group", "dibao-edge", "低保边缘 低保边缘户 低保边缘家庭 低保边缘家庭成员 边缘户 低边户 "
                                    "低保边缘人员"),
    **_words("group", "monitored", "监测对象 监测户 防返贫监测对象 防止返贫监测对象 防返贫监测户 "
                                   "防止返贫监测帮扶对象 防返贫监测 返贫监测对象 纳入监测"),
    **_words("group", "illness-poverty", "因病致贫 因病致贫重病患者 因病致贫户 因病返贫 "
                                         "因病致贫的重病患者 支出型困难"),
    # exempt
    **_words("exempt", "newborn", "新生儿 刚出生 刚出生的 刚生的 刚生下来 刚生了 新出生 出生不久 "
                                  "刚满月 才出生 刚生完孩子 刚生 娃刚生 刚落地 新生宝宝"),
    **_words("exempt", "assistance", "医疗救助对象 救助对象 医疗救助人员"),
    **_words("exempt", "veteran", "退役军人 退伍军人 退伍 退役 转业军人 复员军人 退伍兵 退役士兵 "
                                  "退伍回来 退役回来 转业 转业回来 转业安置 转业的 退役安置 部队转业 部队退伍"),
    # service
    **_words("service", "inpatient", "住院 住院费 住了院 住院报销 住院费用 住过院 住着院 住院治疗 "
                                     "做手术 动手术"),
    **_words("service", "outpatient", "门诊 普通门诊 门诊费 看门诊 门诊报销 门诊统筹 普通门诊费 "
                                      "门诊共济 门诊费用 拿药 开药"),
    **_words("service", "critical", "大病 大病保险 大病医保 大病报销 大病险 重特大疾病 大额医疗 "
                                    "大病补偿 城乡居民大病保险"),
    **_words("service", "drug", "特药 特殊药品 特殊药 特药报销 靶向药 特效药 抗癌药 谈判药"),
    **_words("service", "assistance", "医疗救助 救助 再救助 二次救助 二次报销 申请救助"),
    **_words("service", "two_diseases", "两病 高血压 糖尿病 两病门诊 高血压糖尿病 血压高 血糖高"),
    # insured type
    **_words("insured_type", "employee", "职工 职工医保 职工医疗保险 职工基本医疗保险 单位交 单位缴 "
                                         "单位给交 单位给缴 公司交 公司给交 单位交的 公司交的 上班族 "
                                         "企业职工 在职职工 职工保险"),
    **_words("insured_type", "resident", "居民 居民医保 城乡居民 城乡居民医保 城乡居民医疗保险 "
                                         "新农合 农村医保 合作医疗 居民医疗保险 城镇居民 农村合作医疗 "
                                         "居民保险"),
    **_words("insured_type", "flexible", "灵活就业 灵活就业人员 个体户 自由职业 打零工 "
                                         "自由职业者 个体工商户 以灵活就业身份 个体 做个体 干个体"),
    # retired
    **_words("retired", True, "退休 退休了 退休人员 离休 退了休 已经退休 退休老人 退休的"),
    **_words("retired", False, "在职 在岗 没退休 还没退休 在职人员 未退休 还在上班 "
                                     "打工 在打工 厂里打工 在厂里 厂里上班 在上班 正在上班 上着班 还上着班 没到退休年龄"),
    # hospital level (the national grading)
    **_words("hospital_level", 1, "一级 1级 一级医院 1级医院 一级及以下 社区 社区医院 "
                                  "社区卫生服务中心 社区卫生服务站 卫生院 乡镇卫生院 乡卫生院 "
                                  "镇卫生院 村卫生室 卫生室 村医 诊所 一级甲等 一甲 一级以下"),
    **_words("hospital_level", 2, "二级 2级 二级医院 2级医院 二甲 二乙 二级甲等 二甲医院 "
                                  "二级乙等"),
    **_words("hospital_level", 3, "三级 3级 三级医院 3级医院 三甲 三乙 三级甲等 三甲医院 "
                                  "三级乙等 三乙医院"),
    # price class (山西): the four classes in the document's words
    **_words("price_class", "3", "三类 3类 三类医院 三类收费 三类价格 三类医疗机构 三类收费价格"),
    **_words("price_class", "2-county", "二类县级 县级二类 二类县级医院 二类(县级) 二类县级医疗机构"),
    **_words("price_class", "2-city", "二类省市级 二类市级 二类省级 省市级二类 市级二类 二类(省市级) "
                                      "二类省市级医院 二类市级医院"),
    **_words("price_class", "1", "一类 1类 一类医院 一类收费 一类价格 一类医疗机构 一类收费价格"),
    # enrolled within the concentrated payment period or not
    **_words("in_period", True, "集中缴费期内 集中缴费期间 在集中缴费期 集中参保期内 集中缴费期交 "
                                "缴费期内 集中征缴期内 集中缴费的时候 集中期内 按时交 按时缴 按时缴费 "
                                "按时交的 正常缴费期 集中缴费期里 缴费期里 规定时间内 年底前交 年底前交的 年底前交上 年底前缴 年底之前交 "
                                "年底前交上的 去年年底交的 12月31号前交"),
    **_words("in_period", False, "错过了 错过 错过集中缴费期 过了缴费期 过了集中缴费期 没赶上 "
                                 "集中缴费期外 缴费期外 集中缴费期以外 集中缴费期之外 中途参保 "
                                 "年中参保 年中才交 过了时间 没在集中缴费期 不在集中缴费期 "
                                 "缴费期过了 晚交了 过期了 没有赶上 没能赶上 未赶上 没有在集中缴费期"),
}

# Words that state two slots at once.
_DOUBLE: dict[str, Assignment] = {
    "退休职工": (("retired", True), ("insured_type", "employee")),
    "职工退休": (("retired", True), ("insured_type", "employee")),
    "在职职工": (("retired", False), ("insured_type", "employee")),
    "在职员工": (("retired", False), ("insured_type", "employee")),
    "上班的": (("retired", False), ("insured_type", "employee")),
    "单位上班": (("retired", False), ("insured_type", "employee")),
    "在单位上班": (("retired", False), ("insured_type", "employee")),
    "低保户住院": (("group", "dibao"), ("service", "inpatient")),
}

LEXICON: Mapping[str, Assignment] = MappingProxyType({**_entries(_SINGLE), **_DOUBLE})

# Everyday hospital words. Their meaning depends on the region: under 山西's rules they are
# indicative price classes (sources §3), elsewhere national hospital levels.
HOSPITAL_WORDS: Mapping[str, tuple[int, str]] = MappingProxyType({
    "县医院": (2, "2-county"), "县级医院": (2, "2-county"), "县人民医院": (2, "2-county"),
    "县中医院": (2, "2-county"), "县里的医院": (2, "2-county"), "县城医院": (2, "2-county"),
    "县里医院": (2, "2-county"), "县里的人民医院": (2, "2-county"), "县里人民医院": (2, "2-county"),
    "县里的中医院": (2, "2-county"),
    "市医院": (2, "2-city"), "市级医院": (2, "2-city"), "市人民医院": (2, "2-city"),
    "市里的医院": (2, "2-city"), "市中医院": (2, "2-city"), "市里医院": (2, "2-city"),
    "市里的人民医院": (2, "2-city"), "市里人民医院": (2, "2-city"),
    "省级医院": (3, "1"), "省医院": (3, "1"), "省人民医院": (3, "1"), "省城大医院": (3, "1"),
    "大医院": (3, "1"), "大型三级医院": (3, "1"), "省里的大医院": (3, "1"),
})
# National levels that, under 山西's rules, also indicate a price class (sources §3).
SHANXI_LEVEL_AS_CLASS: Mapping[str, str] = MappingProxyType({
    "乡镇卫生院": "3", "卫生院": "3", "社区医院": "3", "社区卫生服务中心": "3", "社区": "3",
    "乡卫生院": "3", "镇卫生院": "3", "村卫生室": "3", "卫生室": "3", "社区卫生服务站": "3",
    "三级": "1", "3级": "1", "三级医院": "1", "3级医院": "1", "三甲": "1", "三甲医院": "1",
    "三级甲等": "1",
})

# Short place names that are ordinary words in an insurance conversation.
REGION_STOPWORDS: frozenset[str] = frozenset(
    "城区 郊区 矿区 东区 西区 南区 北区 新区 市中 市南 市北 中方 大方 东方 前进 公安 共和 互助 和平 "
    "安定 长安 光明 平安 江南 河东 河西 城中 城东 城西 城北 城南 新城 老城 开发 高新 经济 五常 "
    "安全 永久 白城 仁和 安宁 新乡 保定 保康 平山 宁安 长寿 长兴 太和 太平 太康 文明 "
    "城关 镇安 定安 宜章 红旗 向阳 胜利 友好 团结 新华 人民 建华 铁东 铁西 站前 中心 "
    "普安 华安 福安 永宁 清河 通道 方正 同心 合作 宁国 兴业 那曲 "
    "双城 南关 北关 西城 东城 上城 下城 江北 江东 海口 大安 安国 延长 五华 万全 "
    "城口 门头沟 正定 桥东 桥西 "
    "新市 花山 石门 和县 开平 龙口子 市区 县城 乡镇 农村 城镇 城市".split()
)
