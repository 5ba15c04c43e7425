"""烟台 critical-illness insurance by expense and special drugs — sources §5a, §5b."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import bounds
from .codes import GROUPS, INSURED_TYPES
from .context import ZERO, Context, apply_tiers
from .model import ZERO_TEXT, Result, fmt_money

NEEDS = ("critical.special_groups",)



@dataclass(frozen=True)
class CriticalInputs:
    region: str
    burden: Decimal | int                 # B0: in-policy personal burden after basic insurance
    group: str | None = None              # special group code, or None
    insured_type: str = "resident"
    year: int = field(default_factory=bounds.this_year)


def is_special(ctx: Context, group: str | None) -> bool:
    return group is not None and group in ctx.value("critical.special_groups")


def critical_illness(rules, inputs: CriticalInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    burden = bounds.money("burden", "个人负担费用", inputs.burden)
    bounds.choice("insured_type", "参保类型", inputs.insured_type, INSURED_TYPES)
    if inputs.group is not None:
        bounds.choice("group", "人员类别", inputs.group, GROUPS)
    ctx = Context.for_region(rules, inputs.region, year, "大病保险按费用额度补偿", NEEDS)
    amount, _ = critical_amount(ctx, burden, inputs.group, inputs.insured_type)
    return ctx.result("critical", amount, "元", "大病保险补偿")


def critical_amount(ctx: Context, burden: Decimal, group: str | None,
                    insured_type: str) -> tuple[Decimal, str]:
    """Adds the steps to ctx's trace; returns the critical-illness payment and its text."""
    special = is_special(ctx, group)
    kind = "special" if special else "ordinary"
    name = f"critical.{kind}.{insured_type}"
    who = (f"{GROUPS[group]}中的参保{'职工' if insured_type == 'employee' else '居民'}" if special
           else f"其他参保{'职工' if insured_type == 'employee' else '居民'}")
    if group is not None and not special:
        ctx.step(f"大病保险倾斜政策只针对特困人员、低保对象、返贫致贫人口;{GROUPS[group]}按其他参保人计算",
                 "critical.special_groups")
    tiers = ctx.value(name)
    money, percent = ctx.money, ctx.ratio           # texts of figures from the rules
    bands_text = ctx.shown(name)                     # fmt_tiers(tiers), formatted at load time
    ctx.step(f"{who}:起付标准 {money[tiers[0]['from']]} 元,分段补偿 {bands_text}", name)
    total, bands = apply_tiers(burden, tiers)
    if not bands:
        ctx.step(f"个人负担 {fmt_money(burden)} 元,未超过起付标准 → 大病保险不支付")
        return ZERO, ZERO_TEXT
    for lower, upper, portion, ratio, paid in bands:
        top = lower + portion                        # the band's upper edge unless it is the last
        top_text = money.get(top) or fmt_money(top)  # the last band's top comes from the burden
        paid_text = fmt_money(paid)
        ctx.step(f"{money[lower]}–{top_text} 元这一段 {fmt_money(portion)} 元 × "
                 f"{percent[ratio]} = {paid_text} 元")
    if len(bands) > 1:
        total_text = fmt_money(total)
        ctx.step(f"合计 {total_text} 元")
    else:
        total_text = paid_text                       # one band: its payment is the total
    if special:
        ctx.step("困难群众不设大病保险年度最高支付限额", "critical.special.annual_cap")
    else:
        ctx.unknown("critical.ordinary.annual_cap")
        ctx.warn("普通参保人的大病保险有年度最高支付限额,我们的文件没有写明数额,实际报销可能低于这个数。")
    return total, total_text


@dataclass(frozen=True)
class DrugInputs:
    region: str
    expense: Decimal | int                # compliant special-drug cost this year
    group: str | None = None
    paid_this_year: Decimal | int = 0     # special-drug payments already made this year
    year: int = field(default_factory=bounds.this_year)


def special_drug(rules, inputs: DrugInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    expense = bounds.money("expense", "特殊药品费用", inputs.expense)
    paid = bounds.money("paid_this_year", "今年已报销金额", inputs.paid_this_year)
    if inputs.group is not None:
        bounds.choice("group", "人员类别", inputs.group, GROUPS)
    ctx = Context.for_region(rules, inputs.region, year, "大病保险特殊药品", ("drug.special",))
    label = "大病保险特殊药品报销"
    if not is_special(ctx, inputs.group):
        if inputs.group is not None:
            ctx.step(f"特殊药品倾斜政策只针对特困人员、低保对象、返贫致贫人口;{GROUPS[inputs.group]}按其他参保人计算",
                     "critical.special_groups")
        deductible = ctx.value("drug.ordinary.deductible")
        ctx.step(f"其他参保人:特殊药品起付标准 {ctx.money[deductible]} 元", "drug.ordinary.deductible")
        above = expense - deductible
        above = above if above > 0 else ZERO
        if above == 0:
            ctx.step(f"合规药费 {fmt_money(expense)} 元,未超过起付标准 → 不支付")
            return ctx.result("drug", ZERO, "元", label)
        ctx.step(f"超过起付标准的部分 {fmt_money(above)} 元")
        ctx.unknown("drug.ordinary.ratio")
        ctx.unknown("drug.ordinary.annual_cap")
        return ctx.result("drug", None, "元", label)
    tiers = ctx.value("drug.special")
    ratio = tiers[0]["ratio"]
    ratio_text = ctx.ratio[ratio]
    ctx.step(f"{GROUPS[inputs.group]}:取消特殊药品起付标准,支付比例 {ratio_text}", "drug.special")
    amount = expense * ratio
    ctx.step(f"{fmt_money(expense)} × {ratio_text} = {fmt_money(amount)} 元")
    cap = ctx.value("drug.special.annual_cap")
    left = cap - paid
    left = left if left > 0 else ZERO                   # max(ZERO, …)
    cap_text = ctx.money[cap]
    text = f"年度最高支付限额 {cap_text} 元" + (f",今年已支付 {fmt_money(paid)} 元" if paid else "")
    if amount > left:
        # nothing paid yet: left == cap
        ctx.step(f"{text} → 按 {fmt_money(left) if paid else cap_text} 元", "drug.special.annual_cap")
        amount = left
    else:
        ctx.step(f"{text},未超过", "drug.special.annual_cap")
    return ctx.result("drug", amount, "元", label)
