"""Right / weak / wrong: did the assistant answer the question that was asked?

right  the outcome is one the item accepts, and every listed fact was understood;
weak   it asked (clarify, a form question) or declined where an answer was expected, or declined
       under another topic: nothing false was said, but it could have done better;
wrong  it answered another question (another calculation, clause or parameter, an answer where a
       decline was expected) or understood a listed fact with another value.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

from .items import Expectation

RIGHT, WEAK, WRONG = "right", "weak", "wrong"
# Outcomes that state nothing about the question asked: asking, declining, small talk.
NON_COMMITTAL = ("clarify", "decline", "greet", "thanks", "goodbye", "bot_challenge")


@dataclass(frozen=True)
class Outcome:
    """What the assistant did with one message: a label of tests/eval/README.md, and the facts
    (slots) it held afterwards."""
    label: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> str:
        return self.label.split(":", 1)[0]


def same_value(expected: Any, got: Any) -> bool:
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    try:
        return Decimal(str(expected)) == Decimal(str(got))
    except (InvalidOperation, ValueError):
        return str(expected) == str(got)


def wrong_facts(expect: Expectation, outcome: Outcome) -> list[str]:
    """Listed facts understood with another value (a fact not understood at all is not wrong:
    the form asks for it)."""
    return [name for name, value in expect.facts.items()
            if outcome.facts.get(name) is not None and not same_value(value, outcome.facts[name])]


def missing_facts(expect: Expectation, outcome: Outcome) -> list[str]:
    return [name for name in expect.facts if outcome.facts.get(name) is None]


def verdict(expect: Expectation, outcome: Outcome) -> str:
    if outcome.label in expect.outcomes:
        if wrong_facts(expect, outcome):
            return WRONG
        return WEAK if missing_facts(expect, outcome) and outcome.family == "calc" else RIGHT
    return WEAK if outcome.family in NON_COMMITTAL else WRONG
