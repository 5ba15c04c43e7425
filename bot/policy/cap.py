"""Critical-illness insurance cap with continuity and zero-claim incentives — sources §2."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import bounds
from .codes import INSURED_TYPES
from .context import ZERO, Context
from .model import ZERO_TEXT, Result, fmt_money

NEEDS = ("cap.step",)



@dataclass(frozen=True)
class CapInputs:
    region: str
    year: int = field(default_factory=bounds.this_year)      # benefit year asked about
    years_insured: Decimal | int | None = None         # consecutive insured years reported
    zero_claim_years: Decimal | int = 0                # zero-claim years in a row before `year`
    after_gap: bool = False                            # re-enrolled in `year` after a gap
    original_cap: Decimal | int | None = None          # when the user knows it (山东 cities)
    insured_type: str = "resident"


def critical_illness_cap(rules, inputs: CapInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    bounds.choice("insured_type", "参保类型", inputs.insured_type, INSURED_TYPES)
    reported = (None if inputs.years_insured is None
                else bounds.whole_years("years_insured", "连续参保年数", inputs.years_insured))
    zero = bounds.whole_years("zero_claim_years", "零报销年数", inputs.zero_claim_years)
    given_cap = (None if inputs.original_cap is None
                 else bounds.money("original_cap", "原封顶线", inputs.original_cap))
    ctx = Context.for_region(rules, inputs.region, year, "大病保险最高支付限额", NEEDS)
    step = ctx.value("cap.step")                   # raises NotInForceError before the rule starts
    label = "大病保险最高支付限额"

    if inputs.insured_type == "employee":
        if ctx.known("cap.original.employee"):
            cap = ctx.value("cap.original.employee")
            ctx.step(f"职工大病保险年度最高支付限额 {ctx.money[cap]} 元;连续参保和零报销激励只针对居民医保",
                     "cap.original.employee")
            return ctx.result("cap", cap, "元", label)
        ctx.unknown("cap.original.employee")
        return ctx.result("cap", None, "元", label)

    original = given_cap
    original_text = ""
    if original is not None:
        original_text = fmt_money(original)
        ctx.step(f"您告知的原封顶线:{original_text} 元")
    elif ctx.known("cap.original.resident"):
        original = ctx.value("cap.original.resident")
        original_text = ctx.money[original]
        ctx.step(f"居民大病保险原封顶线 {original_text} 元", "cap.original.resident")
    else:
        ctx.unknown("cap.original.resident")

    step_text = ctx.money[step]
    start = int(ctx.value("cap.continuity_counted_from"))

    if inputs.after_gap:
        ctx.step(f"断保后再参保:当年最高支付限额降低 {step_text} 元;连续参保年数从 1 重新计算,"
                 "零报销激励清零", "cap.step")
        return _result(ctx, original, original_text, -step, step_text, label)

    increment = ZERO
    min_years = int(ctx.value("cap.continuity_min_years"))
    countable = year - start + 1 if year >= start else 0
    if reported is None:
        k = 0
        if year - start + 1 > min_years:
            ctx.note(f"如果从 {start} 年起每年都参保,{year} 年还可能有连续参保激励;请告诉我连续参保了几年。")
    else:
        k = countable if countable < reported else reported
        if reported > k:
            ctx.step(f"连续参保年数从 {start} 年起算:您报的 {reported} 年中,到 {year} 年只能算 {k} 年",
                     "cap.continuity_counted_from")
    continuity = (k - min_years if k > min_years else 0) * step
    continuity_text = ZERO_TEXT                    # without years reported, continuity is 0
    if reported is not None:
        continuity_text = fmt_money(continuity)
        ctx.step(f"连续参保满 {min_years} 年后每再连续参保 1 年提高 {step_text} 元:"
                 f"计 {k} 年 → 提高 {continuity_text} 元", "cap.continuity_min_years")
        if continuity == 0:
            first_year = start + min_years
            ctx.note(f"从 {first_year} 年起,只要一直连续参保,每年提高 {step_text} 元。")
    increment += continuity

    zero_countable = year - start if year > start else 0
    z = zero_countable if zero_countable < zero else zero
    if zero > z:
        ctx.step(f"零报销年份从 {start} 年起算,且次年才生效:到 {year} 年最多算 {z} 年", "cap.continuity_counted_from")
    zero_bonus = z * step
    zero_text = ZERO_TEXT                          # without zero-claim years, the bonus is 0
    if zero:
        zero_text = fmt_money(zero_bonus)
        requirement = ("(须次年正常参保缴费)"
                       if ctx.value("cap.zero_claim_requires_next_year_enrolment") else "")
        ctx.step(f"上年基金零报销,次年提高 {step_text} 元{requirement}:计 {z} 年 → 提高 "
                 f"{zero_text} 元", "cap.step")
    increment += zero_bonus
    # The sum's text: when one of the two is 0 it is the other's, already formatted.
    if not continuity:
        increment_text = zero_text
    elif not zero_bonus:
        increment_text = continuity_text
    else:
        increment_text = fmt_money(increment)

    ratio = ctx.value("cap.incentive_limit_ratio")
    percent = f"{ratio * 100:.0f}%"
    if original is not None:
        limit = original * ratio
        limit_text = fmt_money(limit)
        if increment > limit:
            ctx.step(f"两项激励合计 {increment_text} 元,超过原封顶线的 {percent}"
                     f"({limit_text} 元)→ 按 {limit_text} 元", "cap.incentive_limit_ratio")
            increment, increment_text = limit, limit_text
        else:
            ctx.step(f"两项激励合计 {increment_text} 元,未超过原封顶线的 {percent}"
                     f"({limit_text} 元)", "cap.incentive_limit_ratio")
    else:
        ctx.step(f"两项激励累计提高额不超过所在市原封顶线的 {percent}", "cap.incentive_limit_ratio")
    return _result(ctx, original, original_text, increment, increment_text, label)   # increment ≥ 0


def _result(ctx: Context, original: Decimal | None, original_text: str, increment: Decimal,
            magnitude: str, label: str) -> Result:
    """The final step and result; original_text and magnitude are fmt_money(original) and
    fmt_money(abs(increment)), already shown in earlier steps."""
    sign, op = ("提高", "+") if increment >= 0 else ("降低", "-")
    if original is None:
        ctx.step(f"在所在市原封顶线基础上{sign} {magnitude} 元")
        return ctx.result("cap", increment, "元(在原封顶线基础上增减)", f"{label}的增减额")
    cap = original + increment
    ctx.step(f"最高支付限额 = {original_text} {op} {magnitude} = {fmt_money(cap)} 元")
    return ctx.result("cap", cap, "元", label)
