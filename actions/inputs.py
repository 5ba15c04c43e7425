"""Slots → engine Inputs, and which slots a calculation needs for a region.

No figures live here: every number comes from bot.policy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, Mapping

from bot.policy import (AccountInputs, AssistanceInputs, CALCULATORS, CapInputs, ChainInputs,
                        CriticalInputs, DrugInputs, InpatientInputs, NotCoveredError,
                        OutpatientInputs, PolicyError, WaitingInputs, load_rulebook, render)
from bot.policy.context import Context
from bot.policy.model import Result

KINDS = ("waiting", "cap", "inpatient", "outpatient", "account", "critical", "drug",
         "assistance", "chain")

# What each calculation is called (for messages) and the rule parameter that must exist in the
# region's rule set for the calculation to apply there (the same ones the engine checks).
KIND_LABELS = {
    "waiting": "待遇等待期", "cap": "大病保险最高支付限额", "inpatient": "居民住院报销",
    "outpatient": "职工普通门诊统筹", "account": "职工医保个人账户",
    "critical": "大病保险按费用额度补偿", "drug": "大病保险特殊药品",
    "assistance": "医疗救助", "chain": "大病保险和医疗救助",
}
KIND_NEEDS = {
    "waiting": ("waiting.fixed_months",), "cap": ("cap.step",),
    "inpatient": ("inpatient.price_classes",), "outpatient": ("employee_outpatient.deductible",),
    "account": ("personal_account.employee_rate",), "critical": ("critical.special_groups",),
    "drug": ("drug.special",), "assistance": ("assistance.primary",),
    "chain": ("critical.special_groups", "assistance.primary"),
}

NO_GROUP = "none"          # slot value for 「都不是」 (ordinary participant)

# Every slot a calculation reads besides the region (build_inputs, required_slots).
KIND_SLOTS = {
    "waiting": ("gap_years", "paid_back_years", "in_period", "exempt", "insured_type", "benefit_year"),
    "cap": ("years_insured", "zero_claim_years", "gap_years", "original_cap", "insured_type",
            "benefit_year"),
    "inpatient": ("price_class", "expense", "paid_this_year", "benefit_year"),
    "outpatient": ("hospital_level", "expense", "retired", "paid_this_year", "insured_type",
                   "benefit_year"),
    "account": ("contribution_base", "retired", "insured_type", "benefit_year"),
    "critical": ("burden", "group", "insured_type", "benefit_year"),
    "drug": ("expense", "group", "paid_this_year", "benefit_year"),
    "assistance": ("burden", "group", "benefit_year"),
    "chain": ("burden", "group", "insured_type", "benefit_year"),
}


@lru_cache(maxsize=1)
def rules():
    return load_rulebook()


def this_year() -> int:
    return dt.date.today().year


def check_region(kind: str, region: str) -> str | None:
    """None when `kind` can be computed for `region`, else the engine's Chinese explanation."""
    try:
        Context.for_region(rules(), region, this_year(), KIND_LABELS[kind], KIND_NEEDS[kind])
    except NotCoveredError as exc:
        return exc.message
    return None


def _is_set(slots: Mapping[str, Any], name: str) -> bool:
    return slots.get(name) is not None


def required_slots(kind: str, slots: Mapping[str, Any]) -> list[str]:
    """The slots this calculation needs, given what is already known (order = order asked)."""
    need = ["region"]
    if kind == "waiting":
        if _is_set(slots, "exempt") or slots.get("insured_type") == "flexible":
            return need
        need.append("gap_years")
        if _num(slots.get("gap_years")) == 0:
            need.append("in_period")
    elif kind == "cap":
        if _num(slots.get("gap_years")) > 0:      # re-enrolled after a gap: nothing else matters
            return need
        need += ["years_insured", "zero_claim_years"]
    elif kind == "inpatient":
        need += ["price_class", "expense"]
    elif kind == "outpatient":
        need += ["hospital_level", "retired", "expense"]
    elif kind == "account":
        if slots.get("insured_type") == "flexible":
            need.append("contribution_base")
        else:
            need.append("retired")
            if slots.get("retired") is False:
                need.append("contribution_base")
    elif kind in ("critical", "chain"):
        need += ["insured_type", "group", "burden"]
    elif kind == "drug":
        need += ["group", "expense"]
    elif kind == "assistance":
        need += ["group", "burden"]
    return need


def _num(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value is not None else Decimal(-1)
    except Exception:
        return Decimal(-1)


def money(value: Any) -> Decimal | int:
    return Decimal(str(value)) if value is not None else 0


def _year(slots: Mapping[str, Any]) -> int:
    year = slots.get("benefit_year")
    return int(year) if year is not None else this_year()


def _group(slots: Mapping[str, Any]) -> str | None:
    g = slots.get("group")
    return None if g in (None, NO_GROUP) else str(g)


def _insured(slots: Mapping[str, Any], default: str | None = "resident") -> str | None:
    t = slots.get("insured_type")
    if t == "flexible":
        return "employee"
    return t if t is not None else default


def build_inputs(kind: str, slots: Mapping[str, Any]):
    """Engine Inputs from slot values (codes of docs/CONTRACTS.md)."""
    region = slots.get("region")
    year = _year(slots)
    if kind == "waiting":
        return WaitingInputs(region=region, year=year, in_period=bool(slots.get("in_period")),
                             gap_years=money(slots.get("gap_years")),
                             paid_back_years=money(slots.get("paid_back_years")),
                             exempt=slots.get("exempt"),
                             flexible_employee=slots.get("insured_type") == "flexible")
    if kind == "cap":
        return CapInputs(region=region, year=year,
                         years_insured=(None if slots.get("years_insured") is None
                                        else money(slots.get("years_insured"))),
                         zero_claim_years=money(slots.get("zero_claim_years")),
                         after_gap=_num(slots.get("gap_years")) > 0,
                         original_cap=(None if slots.get("original_cap") is None
                                       else money(slots.get("original_cap"))),
                         insured_type=_insured(slots))
    if kind == "inpatient":
        return InpatientInputs(region=region, price_class=str(slots.get("price_class")),
                               expense=money(slots.get("expense")),
                               paid_this_year=money(slots.get("paid_this_year")), year=year)
    if kind == "outpatient":
        return OutpatientInputs(region=region, level=int(slots.get("hospital_level")),
                                expense=money(slots.get("expense")),
                                retired=bool(slots.get("retired")),
                                paid_this_year=money(slots.get("paid_this_year")),
                                insured_type=_insured(slots, None), year=year)
    if kind == "account":
        base = slots.get("contribution_base")
        return AccountInputs(region=region, base=None if base is None else money(base),
                             retired=bool(slots.get("retired")),
                             flexible=slots.get("insured_type") == "flexible",
                             insured_type=_insured(slots, None), year=year)
    if kind == "critical":
        return CriticalInputs(region=region, burden=money(slots.get("burden")),
                              group=_group(slots), insured_type=_insured(slots), year=year)
    if kind == "drug":
        return DrugInputs(region=region, expense=money(slots.get("expense")), group=_group(slots),
                          paid_this_year=money(slots.get("paid_this_year")), year=year)
    if kind == "assistance":
        g = _group(slots)
        return AssistanceInputs(region=region, burden=money(slots.get("burden")),
                                groups=(g,) if g else (), year=year)
    if kind == "chain":
        g = _group(slots)
        return ChainInputs(region=region, burden=money(slots.get("burden")),
                           groups=(g,) if g else (), insured_type=_insured(slots), year=year)
    raise ValueError(f"unknown calculation {kind!r}")


@dataclass(frozen=True)
class Answer:
    """What the calculation gave: the reply text, and either the figure or the refused field."""
    text: str
    inputs: Any = None                  # engine inputs, when they were valid
    result: Result | None = None        # engine result, when computed
    field: str | None = None            # input field the engine refused


def compute(kind: str, slots: Mapping[str, Any]) -> Answer:
    """Run the calculation on the slots. Errors come back as the engine's own message."""
    try:
        inputs = build_inputs(kind, slots)
        result = CALCULATORS[kind](rules(), inputs)
    except PolicyError as exc:
        return Answer(text=exc.message, field=getattr(exc, "field", None))
    return Answer(text=render(result), inputs=inputs, result=result)


def answer(kind: str, slots: Mapping[str, Any]) -> tuple[str, str | None]:
    """(reply text, field of an invalid input or None)."""
    a = compute(kind, slots)
    return a.text, a.field


# Engine input field → slot name (InvalidInputError.field).
FIELD_SLOTS = {"level": "hospital_level", "base": "contribution_base", "groups": "group",
               "year": "benefit_year", "paid_back_years": "paid_back_years"}


def slot_of_field(field: str | None) -> str | None:
    if field is None:
        return None
    return FIELD_SLOTS.get(field, field)
