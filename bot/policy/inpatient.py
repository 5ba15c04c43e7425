"""山西 resident inpatient reimbursement — sources §3."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import bounds
from .codes import PRICE_CLASS_EXAMPLES, PRICE_CLASSES
from .context import ZERO, Context
from .model import Result, fmt_money

NEEDS = ("inpatient.price_classes",)


@dataclass(frozen=True)
class InpatientInputs:
    region: str
    price_class: str                      # 3 | 2-county | 2-city | 1
    expense: Decimal | int                # in-policy expense of this admission
    paid_this_year: Decimal | int = 0     # what the fund already paid this year
    year: int = field(default_factory=bounds.this_year)


def inpatient(rules, inputs: InpatientInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    bounds.choice("price_class", "医院收费价格类别", inputs.price_class, PRICE_CLASSES)
    expense = bounds.money("expense", "住院费用", inputs.expense)
    paid = bounds.money("paid_this_year", "今年已报销金额", inputs.paid_this_year)
    ctx = Context.for_region(rules, inputs.region, year, "居民住院报销", NEEDS)
    table = ctx.value("inpatient.price_classes")
    tier = table[inputs.price_class]
    deductible, ratio = tier["deductible"], tier["ratio"]
    ratio_text = ctx.ratio[ratio]
    deductible_text = ctx.money[deductible]
    ctx.step(f"{PRICE_CLASSES[inputs.price_class]}({PRICE_CLASS_EXAMPLES[inputs.price_class]}):"
             f"起付线 {deductible_text} 元,支付比例 {ratio_text}", "inpatient.price_classes")
    above = expense - deductible
    above = above if above > 0 else ZERO                # max(ZERO, …) without the builtin call
    if above == 0:
        ctx.step(f"政策范围内费用 {fmt_money(expense)} 元,没有超过起付线 → 统筹基金不支付")
        return ctx.result("inpatient", ZERO, "元", "居民医保住院报销")
    amount = above * ratio
    ctx.step(f"({fmt_money(expense)} - {deductible_text})× {ratio_text} = {fmt_money(amount)} 元")
    limit = ctx.value("inpatient.annual_limit")
    limit_text = ctx.money[limit]
    left = limit - paid
    left = left if left > 0 else ZERO                   # max(ZERO, …)
    if paid:
        left_text = fmt_money(left)
        ctx.step(f"年度支付限额 {limit_text} 元,今年已支付 {fmt_money(paid)} 元,还剩 {left_text} 元",
                 "inpatient.annual_limit")
    else:
        left_text = limit_text                          # nothing paid yet: left == limit
    if amount > left:
        if not paid:
            ctx.step(f"超过年度支付限额 {limit_text} 元 → 按 {left_text} 元", "inpatient.annual_limit")
        else:
            ctx.step(f"超过剩余额度 → 按 {left_text} 元")
        amount = left
    elif not paid:
        ctx.step(f"未超过年度支付限额 {limit_text} 元", "inpatient.annual_limit")
    return ctx.result("inpatient", amount, "元", "居民医保住院报销")
