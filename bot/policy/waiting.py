"""Waiting period (待遇等待期) for resident enrolments — sources §1.

Month counts are Decimals from the rules; steps show them with {x!s}, which is the text an
f-string would give anyway (format(d, "") == str(d)) without parsing a format spec."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from . import bounds
from .codes import EXEMPT
from .context import ZERO, Context
from .model import Result, fmt_number
from .rules import RuleBook

NEEDS = ("waiting.fixed_months",)



@dataclass(frozen=True)
class WaitingInputs:
    region: str
    year: int = field(default_factory=bounds.this_year)   # benefit year
    in_period: bool = False                          # paid in the concentrated period
    gap_years: Decimal | int = 0                     # whole years not insured before this enrolment
    paid_back_years: Decimal | int = 0
    exempt: str | None = None                        # newborn | assistance | veteran
    flexible_employee: bool = False                  # 灵活就业 joining employee insurance
    paid_on: dt.date | None = None                   # payment date, for the first day of benefits


def waiting_period(rules: RuleBook, inputs: WaitingInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    gap = bounds.years("gap_years", "断保年数", inputs.gap_years)
    paid_back = bounds.years("paid_back_years", "补缴年数", inputs.paid_back_years)
    if inputs.exempt is not None:
        bounds.choice("exempt", "免等待期人群", inputs.exempt, EXEMPT)
    ctx = Context.for_region(rules, inputs.region, year, "待遇等待期", NEEDS)
    fixed = ctx.value("waiting.fixed_months")  # raises NotInForceError before 2025

    if inputs.flexible_employee:
        if not ctx.known("waiting.flexible_employee_months"):
            ctx.unknown("waiting.flexible_employee_months")
            return ctx.result("waiting", None, "个月", "待遇等待期")
        months = ctx.value("waiting.flexible_employee_months")
        ctx.step(f"以灵活就业人员身份首次参加或断保后重新参加职工医保 → 等待期统一为 {months!s} 个月",
                 "waiting.flexible_employee_months")
        return _finish(ctx, months, inputs)

    if inputs.exempt is not None:
        exempt_groups = ctx.value("waiting.exempt_groups")
        if inputs.exempt in exempt_groups:
            ctx.step(f"{EXEMPT[inputs.exempt]}属于不设待遇等待期的人群 → 等待期 0 个月",
                     "waiting.exempt_groups")
            return _finish(ctx, ZERO, inputs)
        if inputs.exempt == "newborn" and ctx.rules.has(ctx.rule_set, "waiting.newborn_in_period_covered_from_payment"):
            if inputs.in_period:
                ctx.step("集中缴费期内出生、缴纳下一年度居民医保费的新生儿,从缴费之日起享受待遇 → 等待期 0 个月",
                         "waiting.newborn_in_period_covered_from_payment")
                return _finish(ctx, ZERO, inputs)
            ctx.step("文件只明确了集中缴费期内出生的新生儿从缴费之日起享受待遇;其他时间出生的新生儿按一般规则计算",
                     "waiting.newborn_in_period_covered_from_payment")
            ctx.unknown_text("集中缴费期外出生的新生儿是否免等待期,文件没有明确。")
        else:
            ctx.step(f"文件列出的免等待期人群不包括{EXEMPT[inputs.exempt]},按一般规则计算",
                     "waiting.exempt_groups")

    whole_gap = int(gap)
    if gap != whole_gap:
        ctx.step(f"断保 {fmt_number(gap)} 年,按满 {whole_gap} 个整年计算")

    if inputs.in_period and whole_gap == 0:
        ctx.step("在集中缴费期内参保且没有断保 → 不设等待期,从 1 月 1 日起享受待遇",
                 "waiting.fixed_months")
        return _finish(ctx, ZERO, inputs)

    why = "未在集中缴费期内参保" if whole_gap == 0 else f"断保 {whole_gap} 年后再参保"
    ctx.step(f"{why} → 固定等待期 {fixed!s} 个月", "waiting.fixed_months")
    per_year = ctx.value("waiting.months_per_extra_gap_year")
    variable = (whole_gap - 1 if whole_gap > 1 else 0) * per_year
    if whole_gap >= 1:
        ctx.step(f"断保第 2 年起每多断保 1 年加 {per_year!s} 个月 → 变动等待期 {variable!s} 个月",
                 "waiting.months_per_extra_gap_year")
    repair = ZERO
    if paid_back > 0:
        rate = ctx.value("waiting.repair_months_per_year")
        whole_back = int(paid_back)
        repair = whole_back * rate
        if variable < repair:                  # never more than the variable period
            repair = variable
        ctx.step(f"补缴 {whole_back} 年,每年减少 {rate!s} 个月变动等待期(最多减到 0,固定等待期不减)"
                 f" → 减少 {repair!s} 个月", "waiting.repair_months_per_year")
    total = fixed + variable - repair
    floor_gap = ctx.value("waiting.repair_floor_min_gap_years")
    if whole_gap >= floor_gap:
        floor = ctx.value("waiting.repair_floor_months")
        if total < floor:
            ctx.step(f"连续断保 {floor_gap!s} 年及以上,修复后合计不少于 {floor!s} 个月 → 按 {floor!s} 个月",
                     "waiting.repair_floor_months")
            total = floor
        elif repair > 0:
            ctx.step(f"连续断保 {floor_gap!s} 年及以上,修复后合计不少于 {floor!s} 个月;"
                     f"现为 {total!s} 个月,不受影响", "waiting.repair_floor_months")
    return _finish(ctx, total, inputs)


def _finish(ctx: Context, months: Decimal, inputs: WaitingInputs) -> Result:
    if inputs.paid_on is not None:
        if inputs.in_period:
            start = dt.date(bounds.benefit_year(inputs.year), 1, 1)
            base = f"集中缴费期内缴费,等待期从 {start.year} 年 1 月 1 日起算"
        else:
            start = inputs.paid_on
            base = f"集中缴费期外缴费,等待期从缴费之日 {start.isoformat()} 起算"
        first = start + relativedelta(months=int(months))
        ctx.note(f"{base},{first.year} 年 {first.month} 月 {first.day} 日起可以享受待遇。")
    return ctx.result("waiting", months, "个月", "待遇等待期")
