"""烟台 medical assistance, re-assistance and the whole chain — sources §5c, §5d."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from . import bounds
from .codes import GROUPS, INSURED_TYPES
from .context import ZERO, Context
from .critical import critical_amount
from .errors import InvalidInputError
from .model import ZERO_TEXT, Part, Result, Trace, fmt_money

NEEDS = ("assistance.primary",)
ASSISTANCE_TABLES = ("assistance.primary", "assistance.edge", "assistance.illness_poverty")
REASSISTANCE_TABLES = ("reassistance.primary", "reassistance.edge")
# _new_tuple(Part, (key, label, value, unit)) is Part(key, label, value, unit) without the
# named tuple's Python-level __new__ (its five parts were about 6% of a whole-chain answer).
_new_tuple = tuple.__new__


def _groups(raw: tuple[str, ...] | str | None) -> tuple[str, ...]:
    if isinstance(raw, str):                   # one identity: nothing to merge
        bounds.choice("group", "人员类别", raw, GROUPS)
        return (raw,)
    if raw is None or raw == ():
        return ()
    items = tuple(raw)
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
        if not ctx.has(name):
            continue
        table = ctx.value(name)
        if group in table:
            return name, table[group]
    return None


class Aid(NamedTuple):
    """Assistance and re-assistance for one identity, with the texts the steps show for them."""

    assistance: Decimal
    assistance_text: str
    reassistance: Decimal
    reassistance_text: str
    # Without re-assistance, what is left to pay (b1 - ma - 0) is the burden after assistance,
    # whose text a step has shown already: that text, else None.
    left_text: str | None = None


def _assist(ctx: Context, b1: Decimal, b1_text: str, group: str) -> Aid:
    """Steps for one group (b1_text is fmt_money(b1), already shown in an earlier step)."""
    found = _table_entry(ctx, ASSISTANCE_TABLES, group)
    if found is None:
        raise InvalidInputError("group", f"{GROUPS[group]}不在医疗救助对象范围内。")
    name, entry = found
    threshold, ratio, cap = entry["threshold"], entry["ratio"], entry["cap"]
    base = b1 - threshold
    base = base if base > 0 else ZERO                 # max(ZERO, …) without the builtin call
    due = base * ratio
    ma = cap if cap < due else due                    # min(due, cap)
    due_text, cap_text = fmt_money(due), ctx.money[cap]
    ma_text = due_text if ma is due else cap_text     # ma is one of the two: reuse its text
    if threshold:
        over = f"超过 {ctx.money[threshold]} 元的部分"
        base_text = fmt_money(base)
    else:
        over = "全部"
        base_text = b1_text                           # nothing deducted: base is b1
    ctx.step(f"医疗救助({GROUPS[group]}):个人负担{over} {base_text} 元 × {ctx.ratio[ratio]}"
             f" = {due_text} 元,年度限额 {cap_text} 元 → {ma_text} 元", name)
    b2 = b1 - ma
    b2_text = fmt_money(b2)
    ctx.step(f"救助后个人负担 {b1_text} - {ma_text} = {b2_text} 元")
    found_ra = _table_entry(ctx, REASSISTANCE_TABLES, group)
    if found_ra is None:
        ctx.step(f"再救助只针对特困人员、低保对象、返贫致贫人口、低保边缘家庭成员和防止返贫监测帮扶对象;"
                 f"{GROUPS[group]}没有再救助", "reassistance.primary")
        return Aid(ma, ma_text, ZERO, ZERO_TEXT, b2_text)
    name, entry = found_ra
    threshold, ratio, cap = entry["threshold"], entry["ratio"], entry["cap"]
    base = b2 - threshold
    base = base if base > 0 else ZERO
    due = base * ratio
    ra = cap if cap < due else due                    # min(due, cap)
    if base == 0:
        ctx.step(f"再救助:救助后个人负担未超过 {ctx.money[threshold]} 元 → 0 元", name)
        return Aid(ma, ma_text, ra, ZERO_TEXT, b2_text)                # ra is 0
    due_text, cap_text = fmt_money(due), ctx.money[cap]
    ra_text = due_text if ra is due else cap_text
    ctx.step(f"再救助:超过 {ctx.money[threshold]} 元的部分 {fmt_money(base)} 元 × {ctx.ratio[ratio]}"
             f" = {due_text} 元,年度限额 {cap_text} 元 → {ra_text} 元", name)
    return Aid(ma, ma_text, ra, ra_text)


def _best_group(ctx: Context, b1: Decimal, b1_text: str,
                groups: tuple[str, ...]) -> tuple[str, Aid, Trace]:
    """Most favourable identity (就高不重复): the one with the largest assistance + re-assistance."""
    best: tuple[str, Aid, Trace] | None = None
    for g in groups:
        trial = Context(ctx.rules, ctx.in_force)
        aid = _assist(trial, b1, b1_text, g)
        if best is None or aid.assistance + aid.reassistance > best[1].assistance + best[1].reassistance:
            best = (g, aid, trial)
    assert best is not None
    return best


def _merge(into: Trace, other: Trace) -> None:
    into.steps.extend(other.steps)
    for r in other.readings:
        into.reading(r)
    for w in other.warnings:
        into.warn(w)
    for u in other.unknowns:
        into.unknown_text(u)


def _assistance_steps(ctx: Context, b1: Decimal, b1_text: str, groups: tuple[str, ...]) -> Aid:
    if not groups:
        ctx.step("您没有说明属于哪类医疗救助对象;不是救助对象的,没有医疗救助和再救助", "assistance.primary")
        return Aid(ZERO, ZERO_TEXT, ZERO, ZERO_TEXT)     # b1 - 0 - 0 may round b1: no left_text
    if len(groups) == 1:
        # One identity: its steps go straight into the answer's trace (the same steps, readings
        # and warnings, in the same order, as computing it apart and merging).
        return _assist(ctx, b1, b1_text, groups[0])
    group, aid, trace = _best_group(ctx, b1, b1_text, groups)
    names = "、".join(GROUPS[g] for g in groups)
    ctx.step(f"同时具有{names}身份:按就高不重复原则,按{GROUPS[group]}计算",
             "assistance.highest_identity_only")
    _merge(ctx, trace)
    return aid


def medical_assistance(rules, inputs: AssistanceInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    b1 = bounds.money("burden", "个人负担费用", inputs.burden)
    groups = _groups(inputs.groups)
    ctx = Context.for_region(rules, inputs.region, year, "医疗救助", NEEDS)
    b1_text = fmt_money(b1)
    ctx.step(f"经基本医保、大病保险等报销后的政策范围内个人负担:{b1_text} 元")
    ma, ma_text, ra, ra_text, left_text = _assistance_steps(ctx, b1, b1_text, groups)
    pays = b1 - ma - ra
    total = ma + ra
    if left_text is None:
        total_text, pays_text = fmt_money(total), fmt_money(pays)
    else:                                             # no re-assistance: total is ma
        total_text, pays_text = ma_text, left_text
    ctx.step(f"医疗救助 {ma_text} 元 + 再救助 {ra_text} 元 = {total_text} 元;"
             f"个人还需负担 {pays_text} 元")
    parts = (_new_tuple(Part, ("assistance", "医疗救助", ma, "元")),
             _new_tuple(Part, ("reassistance", "再救助", ra, "元")),
             _new_tuple(Part, ("pays", "个人还需负担", pays, "元")))
    return ctx.result("assistance", total, "元", "医疗救助和再救助合计", parts)


@dataclass(frozen=True)
class ChainInputs:
    region: str
    burden: Decimal | int                      # B0: personal burden after basic insurance
    groups: tuple[str, ...] | str = ()
    insured_type: str = "resident"
    year: int = field(default_factory=bounds.this_year)


def _critical_group(ctx: Context, groups: tuple[str, ...]) -> str | None:
    """The identity critical-illness insurance is computed for: the first one it favours, else
    the first one given (a loop rather than next() over a generator, which made `ctx` a closure
    cell of whole_chain)."""
    if not groups:
        return None
    special = ctx.value("critical.special_groups")
    for g in groups:
        if g in special:
            return g
    return groups[0]


def whole_chain(rules, inputs: ChainInputs) -> Result:
    year = bounds.benefit_year(inputs.year)
    b0 = bounds.money("burden", "个人负担费用", inputs.burden)
    bounds.choice("insured_type", "参保类型", inputs.insured_type, INSURED_TYPES)
    groups = _groups(inputs.groups)
    ctx = Context.for_region(rules, inputs.region, year, "大病保险和医疗救助", NEEDS)
    b0_text = fmt_money(b0)
    ctx.step(f"第一步 大病保险:基本医保报销后的政策范围内个人负担 {b0_text} 元")
    ci_group = _critical_group(ctx, groups)
    ci, ci_text = critical_amount(ctx, b0, ci_group, inputs.insured_type)
    b1 = b0 - ci
    b1_text = fmt_money(b1)
    ctx.step(f"第二步 医疗救助:大病保险支付 {ci_text} 元后,个人负担 {b0_text} - {ci_text}"
             f" = {b1_text} 元")
    ma, ma_text, ra, ra_text, left_text = _assistance_steps(ctx, b1, b1_text, groups)
    pays = b1 - ma - ra
    ctx.step(f"最后个人负担:{b0_text} - 大病保险 {ci_text} - 医疗救助 {ma_text}"
             f" - 再救助 {ra_text} = {left_text or fmt_money(pays)} 元")
    parts = (_new_tuple(Part, ("critical", "大病保险", ci, "元")),
             _new_tuple(Part, ("after_critical", "大病保险后个人负担", b1, "元")),
             _new_tuple(Part, ("assistance", "医疗救助", ma, "元")),
             _new_tuple(Part, ("reassistance", "再救助", ra, "元")),
             _new_tuple(Part, ("pays", "个人还需负担", pays, "元")))
    return ctx.result("chain", pays, "元", "个人最后还需负担", parts)
