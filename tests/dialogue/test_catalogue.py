"""The catalogue is the one place a calculation is declared: the domain, the rules and the rule
book agree with it."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.dialogue import catalogue
from bot.dialogue.catalogue import CATALOGUE, compute, required_slots
from bot.policy import load_rulebook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> dict:
    return yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def rule_names() -> set[str]:
    data = yaml.safe_load((ROOT / "data" / "rules.yml").read_text(encoding="utf-8"))
    return {r["rule"] for r in data["rules"]}


def test_every_calculation_has_its_form_route_and_rules(domain, rule_names):
    assert set(domain["forms"]) == {f"{kind}_form" for kind in CATALOGUE}
    assert set(domain["slots"]["route"]["values"]) == set(CATALOGUE) | {"none"}
    for kind in CATALOGUE:
        assert {f"start {kind}_form", f"answer when {kind}_form is complete"} <= rule_names, kind
        assert f"validate_{kind}_form" in {a if isinstance(a, str) else next(iter(a)) for a in domain["actions"]}


def test_intents_and_slots_exist_in_the_domain(domain):
    intents = set(domain["intents"])
    for kind, calculation in CATALOGUE.items():
        assert calculation.intent is None or calculation.intent in intents, kind
        assert set(calculation.reads) <= set(domain["slots"]), kind
        assert set(domain["forms"][f"{kind}_form"]["required_slots"]) <= {"region", *calculation.reads}, kind


@pytest.mark.parametrize("kind", list(CATALOGUE))
def test_what_a_form_asks_is_what_the_calculation_reads(kind):
    calculation = CATALOGUE[kind]
    for known in ({}, {"gap_years": 0}, {"gap_years": 2}, {"retired": False}, {"insured_type": "flexible"},
                  {"exempt": "newborn"}):
        assert set(required_slots(kind, known)) <= {"region", *calculation.reads}


def test_needed_parameters_and_parameter_families_exist_in_the_rule_book():
    book = load_rulebook()
    names = {name for rs in book.rule_sets.values() for name in rs.parameters}
    for kind, calculation in CATALOGUE.items():
        assert set(calculation.needs) <= names, kind
        for prefix in calculation.parameters:
            assert any(n.startswith(prefix) for n in names), (kind, prefix)


def test_every_calculation_builds_engine_inputs_and_runs():
    slots = {"waiting": {"region": "xinjiang", "gap_years": 2},
             "cap": {"region": "xinjiang", "years_insured": 3, "zero_claim_years": 0},
             "inpatient": {"region": "shanxi", "price_class": "2-county", "expense": 20000},
             "outpatient": {"region": "jiangxi", "hospital_level": 1, "retired": True, "expense": 1500},
             "account": {"region": "jiangxi", "retired": False, "contribution_base": 6500},
             "critical": {"region": "yantai", "insured_type": "resident", "group": "dibao", "burden": 150000},
             "drug": {"region": "yantai", "group": "tekun", "expense": 120000},
             "assistance": {"region": "yantai", "group": "dibao", "burden": 30000},
             "chain": {"region": "yantai", "insured_type": "resident", "group": "dibao", "burden": 80000}}
    figures = {kind: compute(kind, s).result for kind, s in slots.items()}
    assert set(figures) == set(CATALOGUE) and all(r is not None for r in figures.values())
    assert str(figures["waiting"].value) == "4" and figures["inpatient"].value == 14700


# --- ask only what can still change the answer
@pytest.mark.parametrize("kind,slots,not_asked", [
    ("inpatient", {"region": "shanxi", "expense": 80}, ["price_class"]),           # below every deductible
    ("outpatient", {"region": "jiangxi", "expense": 500}, ["hospital_level", "retired"]),
    ("critical", {"region": "yantai", "burden": 3000}, ["insured_type", "group"]),
])
def test_facts_that_cannot_change_the_figure_are_not_asked(kind, slots, not_asked):
    assert catalogue.facts_that_cannot_change(kind, slots) == tuple(not_asked)
    assert not set(not_asked) & set(catalogue.required_slots(kind, slots))
    answer = catalogue.compute(kind, slots)
    figure, note = answer.text.split("\n")[:2]
    assert figure.endswith(":0 元。")
    assert note.startswith("您没说") and "结果都一样" in note


@pytest.mark.parametrize("kind,slots", [
    ("inpatient", {"region": "shanxi", "expense": 8000}),           # the class sets the deductible
    ("outpatient", {"region": "jiangxi", "expense": 1500}),
    ("assistance", {"region": "yantai", "burden": 3000}),           # 特困 get all of it, others not
    ("inpatient", {"region": "shanxi"}),                            # no amount yet
])
def test_facts_that_can_change_the_figure_are_asked(kind, slots):
    assert catalogue.facts_that_cannot_change(kind, slots) == ()
    assert catalogue.required_slots(kind, slots) == ["region", *catalogue.CATALOGUE[kind].asks(slots)]
