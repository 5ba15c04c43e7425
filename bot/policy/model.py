"""Dataclasses shared by every calculator: citations, trace steps and results."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Collection, NamedTuple

DRAFT_WARNING = "依据的是征求意见稿(草案),正式文件可能不同。"


@dataclass(frozen=True)
class Citation:
    rule_set: str        # "xinjiang"
    doc: str             # "ltm2024draft"
    title: str           # document title as the resident would search for it
    clause: str          # "二、(五)"
    region_name: str     # "新疆"
    draft: bool = False
    short_title: str = ""  # the document's short name, for answer cards ("新疆参保长效机制实施意见")

    def render(self) -> str:
        return f"{self.region_name}《{self.title}》{self.clause}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_set": self.rule_set,
            "doc": self.doc,
            "title": self.title,
            "clause": self.clause,
            "draft": self.draft,
            "text": self.render(),
        }


@dataclass(frozen=True, eq=False)
class Notes:
    """The readings and warnings using a parameter adds to an answer, each without repeats.
    Compared and hashed by identity: a trace records each Notes once (Trace.noted), and
    parameters with the same texts share one Notes (RuleBook interns them), so it is recorded
    once however many of them are used."""

    readings: tuple[str, ...]
    warnings: tuple[str, ...]


class Step(NamedTuple):
    """One line of the trace. A named tuple (immutable, attribute access like a dataclass) because
    an answer makes several and a frozen dataclass costs three times as much to build."""

    text: str                           # "起付线 600 元,超过部分 2,400 元"
    parameter: str | None = None        # "employee_outpatient.deductible"
    citation: Citation | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "parameter": self.parameter,
            "citation": self.citation.as_dict() if self.citation else None,
        }


class Part(NamedTuple):
    """A named intermediate figure (critical illness, assistance, re-assistance …)."""

    key: str
    label: str
    value: Decimal | None
    unit: str = "元"


@dataclass(frozen=True)
class Result:
    kind: str                               # "waiting", "cap", …
    value: Decimal | None                   # None when the figure is unknown in our documents
    unit: str                               # "元" | "个月" | "元/月"
    label: str                              # what the figure is: "待遇等待期"
    steps: tuple[Step, ...]
    readings: tuple[str, ...] = ()          # interpretations this answer rests on
    warnings: tuple[str, ...] = ()          # draft document, derived figure, unknown cap
    unknowns: tuple[str, ...] = ()          # figures our documents do not give
    parts: tuple[Part, ...] = ()
    notes: tuple[str, ...] = ()             # extra facts for the resident (first day of benefits …)

    @property
    def citations(self) -> tuple[Citation, ...]:
        seen: dict[tuple[str, str, str], Citation] = {}
        for step in self.steps:
            c = step.citation
            if c is not None:
                seen.setdefault((c.rule_set, c.doc, c.clause), c)
        return tuple(seen.values())

    @property
    def draft(self) -> bool:
        return any(c.draft for c in self.citations)

    def part(self, key: str) -> Part:
        for p in self.parts:
            if p.key == key:
                return p
        raise KeyError(key)

    def as_dict(self) -> dict[str, Any]:
        citations = self.citations
        return {
            "kind": self.kind,
            "label": self.label,
            "result": json_number(self.value),
            "unit": self.unit,
            "trace": [s.as_dict() for s in self.steps],
            "citations": [c.as_dict() for c in citations],
            "readings": list(self.readings),
            "warnings": list(self.warnings),
            "unknowns": list(self.unknowns),
            "notes": list(self.notes),
            "parts": {p.key: {"label": p.label, "value": json_number(p.value), "unit": p.unit}
                      for p in self.parts},
            "draft": any(c.draft for c in citations),      # self.draft
        }


CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round half-up to 0.01, for display only."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    rounded = cents(value)
    if rounded == rounded.to_integral_value():
        return int(rounded)
    return float(rounded)


def fmt_money(value: Decimal) -> str:
    """12345.5 → '12,345.50'; 14700 → '14,700'; 0.0065 → '0.01' (half-up to the fen)."""
    try:
        # One C-level rounding and one C-level format; an amount rounded to the fen prints
        # with exactly two decimals ("14,700.00"), dropped when both are zero. Decimal's
        # __format__ called directly is what f"{…:,}" calls, without looking it up first
        # (this function is about a sixth of an answer's cost; that look-up was 7% of it).
        text = value.quantize(CENT, ROUND_HALF_UP).__format__(",").removesuffix(".00")
    except InvalidOperation:       # more digits than the context holds: no real amount has them
        return _fmt_money_exact(value)
    return text if text != "-0" else "0"


def _fmt_money_exact(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    rounded = cents(value)
    if rounded == rounded.to_integral_value():
        return f"{int(rounded):,}"
    return f"{rounded:,.2f}"


def fmt_number(value: Decimal | int | float) -> str:
    d = value if type(value) is Decimal else Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def fmt_ratio(value: Decimal) -> str:
    """0.85 → '85%'; 0.055 → '5.5%'."""
    return f"{fmt_number(value * 100)}%"


def fmt_tiers(tiers: list[dict[str, Any]]) -> str:
    """[{from: 7000, to: 100000, ratio: 0.65}, …] → '7,000–100,000 元 65%;…;300,000 元以上 80%'."""
    return ";".join(
        f"{fmt_money(x['from'])}" + (f"–{fmt_money(x['to'])} 元" if x["to"] is not None else " 元以上")
        + f" {fmt_ratio(x['ratio'])}" for x in tiers)


ZERO_TEXT = "0"                     # fmt_money(Decimal(0))

_new_object = object.__new__
_set_attribute = object.__setattr__
_new_tuple = tuple.__new__


class Trace:
    """Builder used inside one calculation; immutable results are made from it. A calculation
    records into its Context, which is a Trace that also knows the rules in force.

    Steps are kept in the order they were recorded; unknowns and notes in the order they were
    first recorded, without repeats. Readings and warnings come in Notes: those of a parameter
    the calculation used (Context records its Parameter.notes), or one text given to reading()
    or warn(). `noted` keeps each Notes once, in the order it was first recorded, and
    `readings`/`warnings` flatten them without repeats: the same texts in the same order as
    adding each text as it comes, but using a parameter again costs one dict store."""

    __slots__ = ("steps", "noted", "unknowns", "notes")

    def __init__(self) -> None:
        self.steps: list[Step] = []
        self.noted: dict[Notes, None] = {}           # an ordered set
        self.unknowns: tuple[str, ...] = ()           # tuples: most answers record none or one
        self.notes: tuple[str, ...] = ()

    @property
    def readings(self) -> tuple[str, ...]:
        return _flatten(self.noted)[0]

    @property
    def warnings(self) -> tuple[str, ...]:
        return _flatten(self.noted)[1]

    def step(self, text: str, parameter: str | None = None, citation: Citation | None = None) -> None:
        # tuple.__new__ is Step(text, parameter, citation) without the Python-level __new__.
        self.steps.append(_new_tuple(Step, (text, parameter, citation)))

    def reading(self, text: str) -> None:
        self.noted[Notes((text,), ())] = None

    def warn(self, text: str) -> None:
        self.noted[Notes((), (text,))] = None

    def unknown_text(self, text: str) -> None:
        """Record a figure or fact our documents do not give (Context.unknown: a parameter's)."""
        if text not in self.unknowns:
            self.unknowns += (text,)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes += (text,)

    def result(self, kind: str, value: Decimal | None, unit: str, label: str,
               parts: tuple[Part, ...] = ()) -> Result:
        # Result(kind=…, …) without its frozen __init__ (ten object.__setattr__ calls, a third of
        # a small answer's cost): the same frozen dataclass with the same fields, equal to one
        # built the ordinary way (tests/policy/test_golden.py checks both).
        readings, warnings = _flatten(self.noted) if self.noted else ((), ())
        result = _new_object(Result)
        _set_attribute(result, "__dict__", {
            "kind": kind, "value": value, "unit": unit, "label": label, "steps": tuple(self.steps),
            "readings": readings, "warnings": warnings, "unknowns": self.unknowns, "parts": parts,
            "notes": self.notes})
        return result


def _flatten(noted: Collection[Notes]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The readings and the warnings of `noted`, each without repeats (dicts as ordered sets)."""
    if len(noted) == 1:                  # the usual case: the notes of one parameter, as they are
        for notes in noted:
            return notes.readings, notes.warnings
    readings: dict[str, None] = {}
    warnings: dict[str, None] = {}
    for notes in noted:
        for text in notes.readings:
            readings[text] = None
        for text in notes.warnings:
            warnings[text] = None
    return tuple(readings), tuple(warnings)
