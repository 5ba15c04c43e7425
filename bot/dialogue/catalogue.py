"""The catalogue of calculations: each one declared once.

An entry says what a calculation is called, which rule parameters a region must have for it to
apply, which facts (slots) it reads, which of them it asks for given what is already known, how
the facts become the engine's inputs, the engine function, the intent that names it, and the
rule parameters a one-figure question about it may ask for. The chat forms (required slots and
the domain's forms, checked by a test), the router, the terminal self-check, `python -m bot calc`
labels and the hotline transcripts all read it. Adding a calculation is one entry here plus its
rules, cases and form (README: "Adding a calculation"). No figures live here: every number comes
from bot.policy.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from itertools import product
from typing import Any, Callable, Mapping

from bot.policy import (AccountInputs, AssistanceInputs, CALCULATORS, CapInputs, ChainInputs,
                        CriticalInputs, DrugInputs, InpatientInputs, NotCoveredError,
                        OutpatientInputs, PolicyError, WaitingInputs, load_rulebook, render)
from bot.policy.codes import GROUPS, INSURED_TYPES, LEVELS, PRICE_CLASSES
from bot.policy.context import Context
from bot.policy.model import Result

NO_GROUP = "none"          # slot value for 「都不是」 (ordinary participant)


@dataclass(frozen=True)
class Calculation:
    kind: str
    label: str                          # what it is called in messages (待遇等待期 …)
    title: str                          # what it is called in menus and `bot calc --help`
    needs: tuple[str, ...]              # rule parameters a region must have for it to apply
    reads: tuple[str, ...]              # every slot it reads besides the region
    asks: Callable[[Mapping[str, Any]], list[str]]     # slots still to ask, region excluded
    inputs: Callable[[Mapping[str, Any]], Any]         # slots → the engine's Inputs
    intent: str | None = None           # the NLU intent that asks for it
    parameters: tuple[str, ...] = ()    # name prefixes of its parameters in rules/
    amount_is_burden: bool = False      # a bare amount said for it is what is left to pay
    insured: tuple[str, ...] = ()       # the insurance its documents are about (empty: any)

    def applies_to(self, insured_type: str) -> bool:
        """Whether someone with this insurance (resident, employee, flexible) is covered by it."""
        said = "employee" if insured_type == "flexible" else insured_type
        return not self.insured or said in self.insured

    @property
    def engine(self) -> Callable[..., Result]:
        return CALCULATORS[self.kind]

@lru_cache(maxsize=1)
def rules():
    return load_rulebook()


def this_year() -> int:
    return dt.date.today().year


def check_region(kind: str, region: str) -> str | None:
    """None when `kind` can be computed for `region`, else the engine's Chinese explanation."""
    try:
        Context.for_region(rules(), region, this_year(), CATALOGUE[kind].label, CATALOGUE[kind].needs)
    except NotCoveredError as exc:
        return exc.message
    return None


def _is_set(slots: Mapping[str, Any], name: str) -> bool:
    return slots.get(name) is not None


def required_slots(kind: str, slots: Mapping[str, Any]) -> list[str]:
    """The slots this calculation needs, given what is already known (order = order asked),
    without those whose every answer gives the same figure."""
    settled = facts_that_cannot_change(kind, slots)
    return ["region", *(s for s in CATALOGUE[kind].asks(slots) if s not in settled)]


# Facts with few possible values, and those values (codes of docs/CONTRACTS.md).
CHOICES: Mapping[str, tuple[Any, ...]] = {
    "price_class": tuple(PRICE_CLASSES), "hospital_level": tuple(LEVELS), "retired": (False, True),
    "insured_type": tuple(INSURED_TYPES), "group": (NO_GROUP, *GROUPS),
}
# What a settled fact is called in the answer.
FACT_NAMES: Mapping[str, str] = {"price_class": "医院的收费价格类别", "hospital_level": "医院等级",
                                 "retired": "在职还是退休", "insured_type": "参保类型",
                                 "group": "人员类别"}
SETTLED_NOTE = "您没说{facts},不过不管是哪一种,结果都一样,所以不再问您;下面按其中一种列出计算过程。"


def facts_that_cannot_change(kind: str, slots: Mapping[str, Any]) -> tuple[str, ...]:
    """The facts the calculation would still ask that cannot change its figure: the region and
    every amount are known, each fact still missing has few values, and every combination of them
    gives the same figure (a bill below every deductible that could apply). Empty otherwise."""
    if slots.get("region") is None:
        return ()
    missing = [s for s in CATALOGUE[kind].asks(slots) if slots.get(s) is None]
    if not missing or any(s not in CHOICES for s in missing):
        return ()
    figures = set()
    for combination in product(*(CHOICES[s] for s in missing)):
        result = _computed(kind, {**slots, **dict(zip(missing, combination))})
        if result is None or result.value is None:
            return ()
        figures.add(result.value)
        if len(figures) > 1:
            return ()
    return tuple(missing)


def _asks_waiting(slots: Mapping[str, Any]) -> list[str]:
    if _is_set(slots, "exempt") or slots.get("insured_type") == "flexible":
        return []
    return ["gap_years", "in_period"] if _num(slots.get("gap_years")) == 0 else ["gap_years"]


def _asks_cap(slots: Mapping[str, Any]) -> list[str]:
    if _num(slots.get("gap_years")) > 0:      # re-enrolled after a gap: nothing else matters
        return []
    return ["years_insured", "zero_claim_years"]


def _asks_account(slots: Mapping[str, Any]) -> list[str]:
    if slots.get("insured_type") == "flexible":
        return ["contribution_base"]
    return ["retired", "contribution_base"] if slots.get("retired") is False else ["retired"]


def _fixed(*names: str) -> Callable[[Mapping[str, Any]], list[str]]:
    return lambda slots: list(names)


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
    if kind not in CATALOGUE:
        raise ValueError(f"unknown calculation {kind!r}")
    return CATALOGUE[kind].inputs(slots)


def _waiting_inputs(slots: Mapping[str, Any]) -> WaitingInputs:
    return WaitingInputs(region=slots.get("region"), year=_year(slots), in_period=bool(slots.get("in_period")),
                         gap_years=money(slots.get("gap_years")),
                         paid_back_years=money(slots.get("paid_back_years")),
                         exempt=slots.get("exempt"),
                         flexible_employee=slots.get("insured_type") == "flexible")


def _cap_inputs(slots: Mapping[str, Any]) -> CapInputs:
    return CapInputs(region=slots.get("region"), year=_year(slots),
                     years_insured=(None if slots.get("years_insured") is None
                                    else money(slots.get("years_insured"))),
                     zero_claim_years=money(slots.get("zero_claim_years")),
                     after_gap=_num(slots.get("gap_years")) > 0,
                     original_cap=(None if slots.get("original_cap") is None
                                   else money(slots.get("original_cap"))),
                     insured_type=_insured(slots))


def _inpatient_inputs(slots: Mapping[str, Any]) -> InpatientInputs:
    return InpatientInputs(region=slots.get("region"), price_class=str(slots.get("price_class")),
                           expense=money(slots.get("expense")),
                           paid_this_year=money(slots.get("paid_this_year")), year=_year(slots))


def _outpatient_inputs(slots: Mapping[str, Any]) -> OutpatientInputs:
    return OutpatientInputs(region=slots.get("region"), level=int(slots.get("hospital_level")),
                            expense=money(slots.get("expense")), retired=bool(slots.get("retired")),
                            paid_this_year=money(slots.get("paid_this_year")),
                            insured_type=_insured(slots, None), year=_year(slots))


def _account_inputs(slots: Mapping[str, Any]) -> AccountInputs:
    base = slots.get("contribution_base")
    return AccountInputs(region=slots.get("region"), base=None if base is None else money(base),
                         retired=bool(slots.get("retired")),
                         flexible=slots.get("insured_type") == "flexible",
                         insured_type=_insured(slots, None), year=_year(slots))


def _critical_inputs(slots: Mapping[str, Any]) -> CriticalInputs:
    return CriticalInputs(region=slots.get("region"), burden=money(slots.get("burden")),
                          group=_group(slots), insured_type=_insured(slots), year=_year(slots))


def _drug_inputs(slots: Mapping[str, Any]) -> DrugInputs:
    return DrugInputs(region=slots.get("region"), expense=money(slots.get("expense")), group=_group(slots),
                      paid_this_year=money(slots.get("paid_this_year")), year=_year(slots))


def _assistance_inputs(slots: Mapping[str, Any]) -> AssistanceInputs:
    g = _group(slots)
    return AssistanceInputs(region=slots.get("region"), burden=money(slots.get("burden")),
                            groups=(g,) if g else (), year=_year(slots))


def _chain_inputs(slots: Mapping[str, Any]) -> ChainInputs:
    g = _group(slots)
    return ChainInputs(region=slots.get("region"), burden=money(slots.get("burden")),
                       groups=(g,) if g else (), insured_type=_insured(slots), year=_year(slots))


CATALOGUE: Mapping[str, Calculation] = {c.kind: c for c in (
    Calculation("waiting", "待遇等待期", "待遇等待期", ("waiting.fixed_months",),
                ("gap_years", "paid_back_years", "in_period", "exempt", "insured_type", "benefit_year"),
                _asks_waiting, _waiting_inputs, "ask_waiting_period", ("waiting.",)),
    Calculation("cap", "大病保险最高支付限额", "大病保险最高支付限额", ("cap.step",),
                ("years_insured", "zero_claim_years", "gap_years", "original_cap", "insured_type",
                 "benefit_year"),
                _asks_cap, _cap_inputs, "ask_cap", ("cap.",)),
    Calculation("inpatient", "居民住院报销", "山西居民住院报销", ("inpatient.price_classes",),
                ("price_class", "expense", "paid_this_year", "benefit_year"),
                _fixed("price_class", "expense"), _inpatient_inputs, "ask_inpatient", ("inpatient.",),
                insured=("resident",)),
    Calculation("outpatient", "职工普通门诊统筹", "江西职工普通门诊统筹", ("employee_outpatient.deductible",),
                ("hospital_level", "expense", "retired", "paid_this_year", "insured_type", "benefit_year"),
                _fixed("hospital_level", "retired", "expense"), _outpatient_inputs, "ask_outpatient",
                ("employee_outpatient.",), insured=("employee",)),
    Calculation("account", "职工医保个人账户", "江西职工医保个人账户", ("personal_account.employee_rate",),
                ("contribution_base", "retired", "insured_type", "benefit_year"),
                _asks_account, _account_inputs, "ask_personal_account", ("personal_account.",),
                insured=("employee",)),
    Calculation("critical", "大病保险按费用额度补偿", "烟台大病保险", ("critical.special_groups",),
                ("burden", "group", "insured_type", "benefit_year"),
                _fixed("insured_type", "group", "burden"), _critical_inputs, "ask_critical_illness",
                ("critical.",), amount_is_burden=True),
    Calculation("drug", "大病保险特殊药品", "烟台大病保险特殊药品", ("drug.special",),
                ("expense", "group", "paid_this_year", "benefit_year"),
                _fixed("group", "expense"), _drug_inputs, None, ("drug.",)),
    Calculation("assistance", "医疗救助", "烟台医疗救助和再救助", ("assistance.primary",),
                ("burden", "group", "benefit_year"),
                _fixed("group", "burden"), _assistance_inputs, "ask_assistance",
                ("assistance.", "reassistance."), amount_is_burden=True),
    Calculation("chain", "大病保险和医疗救助", "烟台大病保险+医疗救助全流程",
                ("critical.special_groups", "assistance.primary"),
                ("burden", "group", "insured_type", "benefit_year"),
                _fixed("insured_type", "group", "burden"), _chain_inputs, None,
                ("critical.", "assistance.", "reassistance."), amount_is_burden=True),
)}

# Views of the catalogue for the code that needs only one column of it.
KINDS: tuple[str, ...] = tuple(CATALOGUE)
KIND_SLOTS: Mapping[str, tuple[str, ...]] = {k: c.reads for k, c in CATALOGUE.items()}
INTENT_KINDS: Mapping[str, str] = {c.intent: k for k, c in CATALOGUE.items() if c.intent}


@dataclass(frozen=True)
class Answer:
    """What the calculation gave: the reply text, and either the figure or the refused field."""
    text: str
    inputs: Any = None                  # engine inputs, when they were valid
    result: Result | None = None        # engine result, when computed
    field: str | None = None            # input field the engine refused
    note: str | None = None             # the facts that could not change the figure (SETTLED_NOTE)


def compute(kind: str, slots: Mapping[str, Any]) -> Answer:
    """Run the calculation on the slots. Errors come back as the engine's own message. Facts
    still missing that cannot change the figure are filled with one of their values, and the
    answer says so."""
    settled = facts_that_cannot_change(kind, slots)
    slots = {**slots, **{s: CHOICES[s][0] for s in settled}}
    try:
        inputs = build_inputs(kind, slots)
        result = CATALOGUE[kind].engine(rules(), inputs)
    except PolicyError as exc:
        return Answer(text=exc.message, field=getattr(exc, "field", None))
    text = render(result)
    note = None
    if settled:                         # after the figure, which stays the first line
        figure, _, rest = text.partition("\n")
        note = SETTLED_NOTE.format(facts="、".join(FACT_NAMES[s] for s in settled))
        text = "\n".join(part for part in (figure, note, rest) if part)
    return Answer(text=text, inputs=inputs, result=result, note=note)


def _computed(kind: str, slots: Mapping[str, Any]) -> Result | None:
    try:
        return CATALOGUE[kind].engine(rules(), build_inputs(kind, slots))
    except PolicyError:
        return None


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
