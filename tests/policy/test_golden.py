"""Answers must not change by accident: the rendered text and the JSON of every answer are
compared with outputs recorded before the engine was optimised.

- golden/answers.yml: ~50 representative inputs with their full expected render(result) and
  result.as_dict(), readable, so a failure shows which answer changed and how;
- golden/hashes.yml: per calculation, a SHA-256 over the render and JSON (or the error) of a
  fixed seeded set of inputs (tests/policy/golden_inputs.py), which covers many more branches.

When an answer is meant to change, regenerate both files and review the diff of answers.yml:
    .venv/bin/python tests/policy/test_golden.py --write
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

if __name__ == "__main__":                      # python tests/policy/test_golden.py --write
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bot import policy  # noqa: E402
from bot.policy import CALCULATORS, Part, Result, Step, load_rulebook, render  # noqa: E402
from bot.policy.model import fmt_money, fmt_ratio  # noqa: E402
from tests.policy.golden_inputs import INPUTS, KINDS, seeded_inputs  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
ANSWERS = GOLDEN / "answers.yml"
HASHES = GOLDEN / "hashes.yml"
SEED, PER_KIND = 20260101, 300           # the hashed set: 300 inputs per calculation
DECIMAL_FIELDS = {"expense", "paid_this_year", "burden", "base", "gap_years", "paid_back_years",
                  "years_insured", "zero_claim_years", "original_cap"}


def answer_text(kind: str, inputs: Any) -> str:
    """What a resident (render) and the JSON API (as_dict) get, or the error they get."""
    try:
        result = CALCULATORS[kind](load_rulebook(), inputs)
    except policy.PolicyError as exc:
        return f"ERROR {type(exc).__name__}: {exc.message}"
    return render(result) + "\n" + json.dumps(result.as_dict(), ensure_ascii=False)


# ---- inputs as plain YAML -------------------------------------------------------------------

def inputs_to_plain(inputs: Any) -> dict[str, Any]:
    plain: dict[str, Any] = {}
    for f in dataclasses.fields(inputs):
        value = getattr(inputs, f.name)
        if value == f.default:
            continue
        if isinstance(value, (Decimal, float)) or (f.name in DECIMAL_FIELDS and isinstance(value, int)):
            value = str(value)           # exact: Decimal(str(x)) is what the engine computes with
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        plain[f.name] = value
    return plain


def inputs_from_plain(kind: str, plain: dict[str, Any]) -> Any:
    raw = dict(plain)
    for name, value in raw.items():
        if name in DECIMAL_FIELDS and value is not None:
            raw[name] = Decimal(str(value))
        elif name == "paid_on" and value is not None:
            raw[name] = dt.date.fromisoformat(value)
        elif isinstance(value, list):
            raw[name] = tuple(value)
    return INPUTS[kind](**raw)


# ---- the tests ------------------------------------------------------------------------------

def _answers() -> list[dict[str, Any]]:
    return yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", _answers() if ANSWERS.exists() else [], ids=lambda c: c["name"])
def test_representative_answer_unchanged(case: dict[str, Any]) -> None:
    inputs = inputs_from_plain(case["kind"], case["input"])
    try:
        result = CALCULATORS[case["kind"]](load_rulebook(), inputs)
    except policy.PolicyError as exc:
        assert f"{type(exc).__name__}: {exc.message}" == case["error"]
        return
    assert "error" not in case, f"expected {case['error']}"
    assert render(result) == case["render"]
    shown = json.dumps(result.as_dict(), ensure_ascii=False)
    assert shown == json.dumps(case["as_dict"], ensure_ascii=False)


def seeded_hashes() -> dict[str, str]:
    digests = {kind: hashlib.sha256() for kind in KINDS}
    for kind, inputs in seeded_inputs(PER_KIND, SEED):
        digests[kind].update(answer_text(kind, inputs).encode("utf-8") + b"\0")
    return {kind: d.hexdigest() for kind, d in digests.items()}


def test_seeded_answers_unchanged() -> None:
    expected = yaml.safe_load(HASHES.read_text(encoding="utf-8"))
    assert expected["seed"] == SEED and expected["per_kind"] == PER_KIND
    changed = {kind: h for kind, h in seeded_hashes().items() if h != expected["sha256"][kind]}
    assert not changed, (f"answers changed for {sorted(changed)}; see which representative answers "
                         "in golden/answers.yml fail, or regenerate with --write and diff")


def test_results_built_by_trace_equal_ordinary_results() -> None:
    """Trace.result builds Result without its dataclass __init__; it must be the same object."""
    rules = load_rulebook()
    for kind, inputs in seeded_inputs(20, SEED):
        try:
            result = CALCULATORS[kind](rules, inputs)
        except policy.PolicyError:
            continue
        names = [f.name for f in dataclasses.fields(Result)]
        assert list(vars(result)) == names
        ordinary = Result(**{n: getattr(result, n) for n in names})
        assert result == ordinary and repr(result) == repr(ordinary)
        assert hash(result.steps) == hash(ordinary.steps)
        assert all(type(s) is Step for s in result.steps)
        assert all(type(p) is Part for p in result.parts)
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.value = Decimal(1)  # type: ignore[misc]


def test_rule_figures_are_formatted_like_fmt_money() -> None:
    rules = load_rulebook()
    assert rules.money_texts and all(t == fmt_money(d) for d, t in rules.money_texts.items())
    assert all(t == fmt_ratio(d) for d, t in rules.ratio_texts.items())


@pytest.mark.parametrize("value,text", [
    ("0", "0"), ("-0", "0"), ("-0.004", "0"), ("0.005", "0.01"), ("0.0065", "0.01"),
    ("99.995", "100"), ("14700.00", "14,700"), ("1234.5", "1,234.50"), ("-12.5", "-12.50"),
    ("123456789.125", "123,456,789.13"), ("1E+3", "1,000"), ("1E+30", f"{10**30:,}"),
    ("12345678901234567890123456.785", "12,345,678,901,234,567,890,123,456.79"),
])
def test_fmt_money(value: str, text: str) -> None:
    assert fmt_money(Decimal(value)) == text


# ---- regenerating the expected files --------------------------------------------------------

def _representative() -> list[tuple[str, str, Any]]:
    """The benchmark's inputs, then seeded inputs chosen to cover different traces."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    # Imported after bench/ is put on sys.path just above.
    from bench_engine import MIX  # noqa: PLC0415
    chosen = [(f"bench {i}: {kind}", kind, inputs) for i, (kind, inputs) in enumerate(MIX)]
    seen: set[tuple[str, ...]] = set()
    per_kind = {kind: 0 for kind in KINDS}
    for i, (kind, inputs) in enumerate(seeded_inputs(400, SEED + 1)):
        if per_kind[kind] >= 5:
            continue
        text = answer_text(kind, inputs)
        shape = (kind, text.split(":")[0] if text.startswith("ERROR") else "",
                 *sorted({line.split(" ")[0] for line in text.splitlines()}))
        if shape in seen:
            continue
        seen.add(shape)
        per_kind[kind] += 1
        chosen.append((f"seeded {i}: {kind}", kind, inputs))
    return chosen


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def write_expected() -> None:
    GOLDEN.mkdir(exist_ok=True)
    cases = []
    for name, kind, inputs in _representative():
        case: dict[str, Any] = {"name": name, "kind": kind, "input": inputs_to_plain(inputs)}
        assert inputs_from_plain(kind, case["input"]) is not None
        try:
            result = CALCULATORS[kind](load_rulebook(), inputs)
        except policy.PolicyError as exc:
            case["error"] = f"{type(exc).__name__}: {exc.message}"
        else:
            case["render"] = render(result)
            case["as_dict"] = result.as_dict()
        cases.append(case)
    ANSWERS.write_text(yaml.dump(cases, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                                 width=1000), encoding="utf-8")
    HASHES.write_text(yaml.safe_dump({"seed": SEED, "per_kind": PER_KIND, "sha256": seeded_hashes()},
                                     sort_keys=False), encoding="utf-8")
    print(f"wrote {len(cases)} answers to {ANSWERS} and hashes to {HASHES}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python tests/policy/test_golden.py --write")
    write_expected()
