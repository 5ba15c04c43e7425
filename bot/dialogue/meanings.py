"""What an answer's figure means, in one plain sentence per calculation kind (the answer card).

Templates only: the figure comes from the engine's Result ({figure}, formatted as the answer
shows it, and for a change of a cap {change}, 提高 or 降低); no policy figure is written here.
"""
from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from bot.policy.model import Result
from bot.policy.render import RELATIVE_UNIT, change, shown_value

# key: a calculation kind, or «kind.zero» (the figure is 0), «cap.change» (a change of the
# city's cap), «unknown» (our documents do not give the figure).
MEANINGS: Mapping[str, str] = MappingProxyType({
    "waiting": "也就是说:交费以后还要再等 {figure} 个月,看病才能用医保报销。",
    "waiting.zero": "也就是说:交费以后不用等,看病就能用医保报销。",
    "cap": "也就是说:大病保险一年里最多给您报 {figure} 元。",
    "cap.change": "也就是说:您的大病保险一年最多能报的钱,比所在市原来的封顶线{change}这么多。",
    "inpatient": "也就是说:这次住院花的钱里,居民医保给您报 {figure} 元,其余自己付。",
    "inpatient.zero": "也就是说:这次住院花的钱没有超过起付线,居民医保这次不报。",
    "outpatient": "也就是说:这些门诊费用里,职工医保门诊统筹给您报 {figure} 元。",
    "outpatient.zero": "也就是说:这些门诊费用没有超过起付线,门诊统筹这次不报。",
    "account": "也就是说:每个月往您的医保个人账户里存 {figure} 元。",
    "critical": "也就是说:基本医保报完后您自己付的钱里,大病保险再给您报 {figure} 元。",
    "critical.zero": "也就是说:您自己付的钱没有超过大病保险的起付标准,大病保险这次不报。",
    "drug": "也就是说:这些特殊药品的费用,大病保险给您报 {figure} 元。",
    "assistance": "也就是说:医疗救助和再救助一共给您补 {figure} 元。",
    "chain": "也就是说:大病保险和医疗救助都报完以后,您自己还要付 {figure} 元。",
    "unknown": "我们掌握的文件里没有这个数额,请向当地医保经办机构问清楚。",
})


def meaning_key(result: Result) -> str:
    if result.value is None:
        return "unknown"
    if result.unit.startswith(RELATIVE_UNIT):
        return "cap.change"
    if result.value == 0 and f"{result.kind}.zero" in MEANINGS:
        return f"{result.kind}.zero"
    return result.kind


def meaning(result: Result) -> str:
    """The sentence for `result`, its figure filled in."""
    shown = shown_value(result)
    return MEANINGS[meaning_key(result)].format(figure=shown[0] if shown else "",
                                                change=change(result))
