"""Codes used by the engine, the CLI and the extractor, with their Chinese names."""
from __future__ import annotations

GROUPS = {
    "tekun": "特困人员",
    "dibao": "低保对象",
    "fanpin": "返贫致贫人口",
    "dibao-edge": "低保边缘家庭成员",
    "monitored": "防止返贫监测帮扶对象",
    "illness-poverty": "因病致贫重病患者",
}
EXEMPT = {"newborn": "新生儿", "assistance": "医疗救助对象", "veteran": "当年接收安置的退役军人及随迁家属"}
INSURED_TYPES = {"resident": "居民医保", "employee": "职工医保"}
PRICE_CLASSES = {"3": "三类收费价格医疗机构", "2-county": "二类收费价格(县级)医疗机构",
                 "2-city": "二类收费价格(省市级)医疗机构", "1": "一类收费价格医疗机构"}
PRICE_CLASS_EXAMPLES = {"3": "乡镇卫生院、社区医院等", "2-county": "县级医院等",
                        "2-city": "市级、省级的二级医院等", "1": "大型三级医院等"}
LEVELS = {1: "一级及以下", 2: "二级", 3: "三级"}
