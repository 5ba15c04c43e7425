"""江西 employee general outpatient pooling and personal account — sources §4."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import bounds
from .codes import LEVELS
from .context import ZERO, Context
from .errors import InvalidInputError
from .model import Result, fmt_money, fmt_ratio



def _employee_only(insured_type: str | None, what: str) -> None:
    if insured_type not in (None, "employee"):
        raise InvalidInputError("insured_type", f"{what}只适用于职工医保参保人;居民医保的规定不在我们掌握的江西文件里。")


@dataclass(frozen=True)
class OutpatientInputs:
    region: str
    level: int                             # hospital level 1 | 2 | 3
    expense: Decimal | int                 # in-policy outpatient expense this year
    retired: bool = False
    paid_this_year: Decimal | int = 0      # already paid by outpatient pooling this year
    insured_type: str | None = None        # only employee; None means not said
    year: int = field(default_factory=bounds.this_year)


def outpatient(rules, inputs: OutpatientInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    _employee_only(inputs.insured_type, "普通门诊统筹")
    level = bounds.choice("level", "医院等级", inputs.level, LEVELS)
    expense = bounds.money("expense", "门诊费用", inputs.expense)
    paid = bounds.money("paid_this_year", "今年已报销金额", inputs.paid_this_year)
    ctx = Context.for_region(rules, inputs.region, year, "职工普通门诊统筹",
                             ("employee_outpatient.deductible",))
    deductible = ctx.value("employee_outpatient.deductible")
    deductible_text = ctx.money[deductible]
    ctx.step(f"年度起付线 {deductible_text} 元", "employee_outpatient.deductible")
    ratio = ctx.value("employee_outpatient.ratio")[f"level_{level}"]
    ratio_text = ctx.ratio[ratio]
    ctx.step(f"{LEVELS[level]}医疗机构支付比例 {ratio_text}", "employee_outpatient.ratio")
    if inputs.retired:
        bonus = ctx.value("employee_outpatient.retiree_ratio_bonus")
        ratio += bonus
        ratio_text = ctx.ratio.get(ratio) or fmt_ratio(ratio)   # a sum, not always in the rules
        ctx.step(f"退休人员比例提高 {ctx.ratio[bonus].rstrip('%')} 个百分点 → {ratio_text}",
                 "employee_outpatient.retiree_ratio_bonus")
        max_name = "employee_outpatient.retiree_annual_max"
    else:
        max_name = "employee_outpatient.annual_max"
    above = expense - deductible
    above = above if above > 0 else ZERO                # max(ZERO, …)
    if above == 0:
        ctx.step(f"门诊费用 {fmt_money(expense)} 元,没有超过起付线 → 统筹基金不支付")
        return ctx.result("outpatient", ZERO, "元", "职工普通门诊统筹报销")
    amount = above * ratio
    ctx.step(f"({fmt_money(expense)} - {deductible_text})× {ratio_text} = {fmt_money(amount)} 元")
    annual_max = ctx.value(max_name)
    max_text = ctx.money[annual_max]
    text = f"年度最高支付限额 {max_text} 元"
    left = annual_max - paid
    left = left if left > 0 else ZERO
    if paid:
        left_text = fmt_money(left)
        text += f",今年已支付 {fmt_money(paid)} 元,还剩 {left_text} 元"
    else:
        left_text = max_text                            # nothing paid yet: left == annual_max
    if amount > left:
        ctx.step(f"{text} → 按 {left_text} 元", max_name)
        amount = left
    else:
        ctx.step(f"{text},未超过", max_name)
    return ctx.result("outpatient", amount, "元", "职工普通门诊统筹报销")


def fmt_number_points(ratio: Decimal) -> str:
    return fmt_ratio(ratio).rstrip("%")


@dataclass(frozen=True)
class AccountInputs:
    region: str
    base: Decimal | int | None = None      # own monthly contribution base
    retired: bool = False
    flexible: bool = False                 # 灵活就业人员
    insured_type: str | None = None
    year: int = field(default_factory=bounds.this_year)


def personal_account(rules, inputs: AccountInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    _employee_only(inputs.insured_type, "职工医保个人账户")
    ctx = Context.for_region(rules, inputs.region, year, "职工医保个人账户",
                             ("personal_account.employee_rate",))
    label = "个人账户每月计入"
    if inputs.retired:
        rate = ctx.value("personal_account.retiree_rate")
        ctx.step(f"退休人员个人账户由统筹基金定额划入:改革当年全省基本养老金平均水平的 {ctx.ratio[rate]}",
                 "personal_account.retiree_rate")
        ctx.unknown("personal_account.retiree_pension_base")
        return ctx.result("account", None, "元/月", label)
    if inputs.base is None:
        raise InvalidInputError("base", "请告诉我您本人的医保缴费基数(每月多少元),才能算出个人账户每月计入多少。")
    base = bounds.money("base", "缴费基数", inputs.base)
    name = "personal_account.flexible_rate" if inputs.flexible else "personal_account.employee_rate"
    who = "灵活就业人员" if inputs.flexible else "在职职工"
    rate = ctx.value(name)
    amount = base * rate
    rate_text = ctx.ratio[rate]
    ctx.step(f"{who}个人账户按本人缴费基数的 {rate_text} 计入:"
             f"{fmt_money(base)} × {rate_text} = {fmt_money(amount)} 元/月", name)
    return ctx.result("account", amount, "元/月", label)
