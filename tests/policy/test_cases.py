"""Runs every policy case in tests/cases/*.yml; prints the trace when a case fails."""
from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import policy
from bot.policy import CALCULATORS, load_rulebook, render

CASES_DIR = Path(__file__).resolve().parents[1] / "cases"
INPUTS = {
    "waiting": policy.WaitingInputs, "cap": policy.CapInputs, "inpatient": policy.InpatientInputs,
    "outpatient": policy.OutpatientInputs, "account": policy.AccountInputs,
    "critical": policy.CriticalInputs, "drug": policy.DrugInputs,
    "assistance": policy.AssistanceInputs, "chain": policy.ChainInputs,
}
CASE_KEYS = {"name", "source", "kind", "input", "expect", "expect_error", "expect_parts",
             "expect_warning", "expect_reading"}
DEFAULT_YEAR = 2026


def _load() -> list[Any]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            cases.append(pytest.param(case, id=f"{path.stem}:{case['name']}"))
    return cases


ALL_CASES = _load()


def _decimal(x: Any) -> Decimal:
    return Decimal(str(x))


def _inputs(case: dict[str, Any]) -> Any:
    cls = INPUTS[case["kind"]]
    fields = {f.name for f in dataclasses.fields(cls)}
    raw = dict(case["input"])
    unknown = set(raw) - fields
    assert not unknown, f"case {case['name']}: unknown input keys {unknown}"
    raw.setdefault("year", DEFAULT_YEAR)
    if "groups" in raw and isinstance(raw["groups"], list):
        raw["groups"] = tuple(raw["groups"])
    return cls(**raw)


def test_there_are_enough_cases() -> None:
    assert len(ALL_CASES) >= 130


@pytest.mark.parametrize("case", ALL_CASES)
def test_policy_case(case: dict[str, Any]) -> None:
    assert set(case) <= CASE_KEYS, f"unknown case keys {set(case) - CASE_KEYS}"
    assert case.get("source"), "every case names its source"
    calc = CALCULATORS[case["kind"]]
    if "expect_error" in case:
        error = getattr(policy, case["expect_error"])
        with pytest.raises(error) as info:
            calc(load_rulebook(), _inputs(case))
        message = info.value.message
        assert message and any("\u4e00" <= ch <= "\u9fff" for ch in message), message
        return
    result = calc(load_rulebook(), _inputs(case))
    shown = render(result)
    print(shown)                      # pytest shows it when the case fails
    expect = case["expect"]
    if expect == "unknown":
        assert result.value is None
        assert result.unknowns
        assert "没有" in shown
    else:
        assert result.value == _decimal(expect), shown
    for key, value in (case.get("expect_parts") or {}).items():
        assert result.part(key).value == _decimal(value), f"part {key}\n{shown}"
    if "expect_warning" in case:
        assert any(case["expect_warning"] in w for w in result.warnings), shown
    if case.get("expect_reading"):
        assert result.readings, shown
    # Every answer cites at least one clause and says who decides.
    assert result.citations, shown
    assert "12393" in shown
    if any(c.draft for c in result.citations):
        assert "征求意见稿" in shown
