"""烟台 medical assistance, re-assistance and the whole chain — POLICY_SPEC §5c, §5d."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import bounds
from .codes import GROUPS, INSURED_TYPES
from .context import ZERO, Context
from .critical import critical_amount
from .errors import InvalidInputError
from .model import Part, Result, Trace, fmt_money, fmt_ratio

NEEDS = ("assistance.primary",)
ASSISTANCE_TABLES = ("assistance.primary", "assistance.edge", "assistance.illness_poverty")
REASSISTANCE_TABLES = ("reassistance.primary", "reassistance.edge")



def _groups(raw: tuple[str, ...] | str | None) -> tuple[str, ...]:
    if raw is None or raw == ():
        return ()
    items = (raw,) if isinstance(raw, str) else tuple(raw)
    for g in items:
        bounds.choice("group", "人员类别", g, GROUPS)
    return tuple(dict.fromkeys(items))


@dataclass(frozen=True)
class AssistanceInputs:
    region: str
    burden: Decimal | int                      # B1: personal burden after insurance
    groups: tuple[str, ...] | str = ()         # several identities allowed; the best one is used
    year: int = field(default_factory=bounds.this_year)


def _table_entry(ctx: Context, tables: tuple[str, ...], group: str) -> tuple[str, dict] | None:
    for name in tables:
        if not ctx.rules.has(ctx.rule_set, name):
            continue
        table = ctx.value(name)
        if group in table:
            return name, table[group]
    return None


def _assist(ctx: Context, b1: Decimal, group: str) -> tuple[Decimal, Decimal]:
    """Steps for one group; returns (assistance, re-assistance)."""
    t = ctx.trace
    found = _table_entry(ctx, ASSISTANCE_TABLES, group)
    if found is None:
        raise InvalidInputError("group", f"{GROUPS[group]}不在医疗救助对象范围内。")
    name, entry = found
    threshold, ratio, cap = entry["threshold"], entry["ratio"], entry["cap"]
    base = max(ZERO, b1 - threshold)
    ma = min(base * ratio, cap)
    over = f"超过 {fmt_money(threshold)} 元的部分" if threshold else "全部"
    ctx.step(f"医疗救助({GROUPS[group]}):个人负担{over} {fmt_money(base)} 元 × {fmt_ratio(ratio)}"
             f" = {fmt_money(base * ratio)} 元,年度限额 {fmt_money(cap)} 元 → {fmt_money(ma)} 元", name)
    b2 = b1 - ma
    t.step(f"救助后个人负担 {fmt_money(b1)} - {fmt_money(ma)} = {fmt_money(b2)} 元")
    found_ra = _table_entry(ctx, REASSISTANCE_TABLES, group)
    if found_ra is None:
        ctx.step(f"再救助只针对特困人员、低保对象、返贫致贫人口、低保边缘家庭成员和防止返贫监测帮扶对象;"
                 f"{GROUPS[group]}没有再救助", "reassistance.primary")
        return ma, ZERO
    name, entry = found_ra
    threshold, ratio, cap = entry["threshold"], entry["ratio"], entry["cap"]
    base = max(ZERO, b2 - threshold)
    ra = min(base * ratio, cap)
    if base == 0:
        ctx.step(f"再救助:救助后个人负担未超过 {fmt_money(threshold)} 元 → 0 元", name)
    else:
        ctx.step(f"再救助:超过 {fmt_money(threshold)} 元的部分 {fmt_money(base)} 元 × {fmt_ratio(ratio)}"
                 f" = {fmt_money(base * ratio)} 元,年度限额 {fmt_money(cap)} 元 → {fmt_money(ra)} 元", name)
    return ma, ra


def _best_group(ctx: Context, b1: Decimal, groups: tuple[str, ...]) -> tuple[str, Decimal, Decimal, Trace]:
    """Most favourable identity (就高不重复): the one with the largest assistance + re-assistance."""
    best: tuple[str, Decimal, Decimal, Trace] | None = None
    for g in groups:
        trial = Context(rules=ctx.rules, rule_set=ctx.rule_set, on=ctx.on)
        ma, ra = _assist(trial, b1, g)
        if best is None or ma + ra > best[1] + best[2]:
            best = (g, ma, ra, trial.trace)
    assert best is not None
    return best


def _merge(into: Trace, other: Trace) -> None:
    into.steps.extend(other.steps)
    for r in other.readings:
        into.reading(r)
    for w in other.warnings:
        into.warn(w)
    for u in other.unknowns:
        into.unknown(u)


def _assistance_steps(ctx: Context, b1: Decimal, groups: tuple[str, ...]) -> tuple[Decimal, Decimal]:
    if not groups:
        ctx.step("您没有说明属于哪类医疗救助对象;不是救助对象的,没有医疗救助和再救助", "assistance.primary")
        return ZERO, ZERO
    group, ma, ra, trace = _best_group(ctx, b1, groups)
    if len(groups) > 1:
        names = "、".join(GROUPS[g] for g in groups)
        ctx.step(f"同时具有{names}身份:按就高不重复原则,按{GROUPS[group]}计算",
                 "assistance.highest_identity_only")
    _merge(ctx.trace, trace)
    return ma, ra


def medical_assistance(rules, inputs: AssistanceInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    b1 = bounds.money("burden", "个人负担费用", inputs.burden)
    groups = _groups(inputs.groups)
    ctx = Context.for_region(rules, inputs.region, year, "医疗救助", NEEDS)
    ctx.trace.step(f"经基本医保、大病保险等报销后的政策范围内个人负担:{fmt_money(b1)} 元")
    ma, ra = _assistance_steps(ctx, b1, groups)
    pays = b1 - ma - ra
    ctx.trace.step(f"医疗救助 {fmt_money(ma)} 元 + 再救助 {fmt_money(ra)} 元 = {fmt_money(ma + ra)} 元;"
                   f"个人还需负担 {fmt_money(pays)} 元")
    parts = (Part("assistance", "医疗救助", ma), Part("reassistance", "再救助", ra),
             Part("pays", "个人还需负担", pays))
    return ctx.trace.result("assistance", ma + ra, "元", "医疗救助和再救助合计", parts)


@dataclass(frozen=True)
class ChainInputs:
    region: str
    burden: Decimal | int                      # B0: personal burden after basic insurance
    groups: tuple[str, ...] | str = ()
    insured_type: str = "resident"
    year: int = field(default_factory=bounds.this_year)


def whole_chain(rules, inputs: ChainInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    b0 = bounds.money("burden", "个人负担费用", inputs.burden)
    bounds.choice("insured_type", "参保类型", inputs.insured_type, INSURED_TYPES)
    groups = _groups(inputs.groups)
    ctx = Context.for_region(rules, inputs.region, year, "大病保险和医疗救助", NEEDS)
    t = ctx.trace
    t.step(f"第一步 大病保险:基本医保报销后的政策范围内个人负担 {fmt_money(b0)} 元")
    ci_group = next((g for g in groups if g in ctx.value("critical.special_groups")), groups[0] if groups else None)
    ci = critical_amount(ctx, b0, ci_group, inputs.insured_type)
    b1 = b0 - ci
    t.step(f"第二步 医疗救助:大病保险支付 {fmt_money(ci)} 元后,个人负担 {fmt_money(b0)} - {fmt_money(ci)}"
           f" = {fmt_money(b1)} 元")
    ma, ra = _assistance_steps(ctx, b1, groups)
    pays = b1 - ma - ra
    t.step(f"最后个人负担:{fmt_money(b0)} - 大病保险 {fmt_money(ci)} - 医疗救助 {fmt_money(ma)}"
           f" - 再救助 {fmt_money(ra)} = {fmt_money(pays)} 元")
    parts = (Part("critical", "大病保险", ci), Part("after_critical", "大病保险后个人负担", b1),
             Part("assistance", "医疗救助", ma), Part("reassistance", "再救助", ra),
             Part("pays", "个人还需负担", pays))
    return t.result("chain", pays, "元", "个人最后还需负担", parts)
