"""The answer card (bot.dialogue.card): built from the engine's Result, figures never written
in the card's own texts, follow-ups only where they apply."""
from __future__ import annotations

import re
from typing import Any

import pytest

from bot.dialogue import catalogue
from bot.dialogue.card import CARD_TYPE, card_for
from bot.dialogue.followups import FOLLOWUPS, MAX_SHOWN, followups
from bot.dialogue.meanings import MEANINGS, meaning_key
from bot.policy.context import LOCAL_OFFICE
from bot.policy.model import DRAFT_WARNING

# one answer of every kind, as the slots of a finished form
ANSWERS: dict[str, dict[str, Any]] = {
    "waiting": {"region": "xinjiang", "gap_years": 2},
    "cap": {"region": "xinjiang", "insured_type": "resident", "years_insured": 16, "zero_claim_years": 2},
    "inpatient": {"region": "shanxi", "price_class": "2-county", "expense": 20000},
    "outpatient": {"region": "jiangxi", "hospital_level": 3, "retired": True, "expense": 6000,
                   "insured_type": "employee"},
    "account": {"region": "jiangxi", "contribution_base": 6000, "retired": False, "insured_type": "employee"},
    "critical": {"region": "yantai", "burden": 150000, "group": "dibao", "insured_type": "resident"},
    "drug": {"region": "yantai", "expense": 100000, "group": "tekun"},
    "assistance": {"region": "yantai", "burden": 50000, "group": "dibao"},
    "chain": {"region": "yantai", "burden": 50000, "group": "dibao", "insured_type": "resident"},
}


def card(kind: str, slots: dict[str, Any]) -> dict[str, Any]:
    built = card_for(catalogue.compute(kind, slots), slots.get("region"))
    assert built is not None
    return built.as_dict()


def test_every_kind_has_an_example_and_a_meaning_and_follow_ups() -> None:
    assert set(ANSWERS) == set(catalogue.KINDS)
    assert set(catalogue.KINDS) <= set(MEANINGS) and set(catalogue.KINDS) == set(FOLLOWUPS)


def test_the_meanings_hold_no_figure() -> None:
    """Figures come from the Result: the templates have none of their own."""
    for key, template in MEANINGS.items():
        assert not re.search(r"\d", template), key


@pytest.mark.parametrize("kind", sorted(ANSWERS))
def test_the_card_shows_the_answers_own_figure_first(kind: str) -> None:
    slots = ANSWERS[kind]
    answer = catalogue.compute(kind, slots)
    shown = card(kind, slots)
    first_line = answer.text.split("\n")[0]
    assert shown["type"] == CARD_TYPE and shown["kind"] == kind
    assert shown["label"] == answer.result.label and first_line.startswith(shown["label"])
    assert shown["figure"] and f"{shown['figure']} {shown['unit']}" in first_line
    assert shown["figure"] in shown["meaning"] or meaning_key(answer.result) != kind
    assert shown["steps"] == [s.text for s in answer.result.steps] and shown["steps"]
    assert shown["sources"] and all(s["name"] and s["clause"] and s["title"] for s in shown["sources"])
    assert all(len(s["name"]) < len(s["title"]) for s in shown["sources"])
    assert shown["small_print"] == LOCAL_OFFICE
    assert 2 <= len(shown["followups"]) <= MAX_SHOWN


def test_a_draft_answer_says_so_and_an_in_force_one_does_not() -> None:
    draft = card("waiting", ANSWERS["waiting"])
    assert draft["draft"] is True and draft["draft_note"] == DRAFT_WARNING
    assert DRAFT_WARNING not in draft["warnings"] and draft["sources"][0]["draft"] is True
    assert draft["sources"][0]["name"] == "新疆参保长效机制实施意见"
    assert draft["sources"][0]["clause"] == "二、(五)"
    assert "征求意见稿" in draft["sources"][0]["title"]
    in_force = card("inpatient", ANSWERS["inpatient"])
    assert in_force["draft"] is False and in_force["draft_note"] == ""


def test_figures_of_the_card() -> None:
    assert card("waiting", ANSWERS["waiting"])["figure"] == "4"
    assert card("waiting", ANSWERS["waiting"])["meaning"] == "也就是说:交费以后还要再等 4 个月,看病才能用医保报销。"
    inpatient = card("inpatient", ANSWERS["inpatient"])
    assert (inpatient["figure"], inpatient["unit"]) == ("14,700", "元")
    assistance = card("assistance", ANSWERS["assistance"])
    assert assistance["figure"] == "40,500"
    assert assistance["parts"] == ["医疗救助:30,000 元", "再救助:10,500 元", "个人还需负担:9,500 元"]
    in_period = card("waiting", {"region": "xinjiang", "gap_years": 0, "in_period": True})
    assert in_period["figure"] == "0" and in_period["meaning"] == "也就是说:交费以后不用等,看病就能用医保报销。"


def test_a_change_of_a_cap_and_a_figure_the_documents_lack() -> None:
    change = card("cap", {"region": "shandong", "insured_type": "resident", "years_insured": 2,
                          "zero_claim_years": 1})
    assert (change["figure"], change["unit"]) == ("提高 3,000", "元")
    assert "比所在市原来的封顶线提高" in change["meaning"]
    assert any(n.startswith("文件未给出:") for n in change["notes"])
    unknown = card("account", {"region": "jiangxi", "contribution_base": 6000, "retired": True,
                               "insured_type": "employee"})
    assert unknown["figure"] is None and unknown["meaning"] == MEANINGS["unknown"]


def test_facts_that_could_not_change_the_figure_are_a_note() -> None:
    slots = {"region": "shanxi", "expense": 50}
    answer = catalogue.compute("inpatient", slots)
    assert answer.note and answer.note in answer.text
    assert card("inpatient", slots)["notes"][0] == answer.note


def test_a_refusal_has_no_card() -> None:
    assert card_for(catalogue.compute("waiting", {"region": "xinjiang", "gap_years": 300}), "xinjiang") is None


def test_follow_ups_are_offered_only_where_their_rules_apply() -> None:
    assert [f.label for f in followups("waiting", "xinjiang")] == ["补缴能缩短等待期吗", "连续参保有什么好处"]
    for kind, offered in FOLLOWUPS.items():
        for region in ("shandong", "yantai", "shanxi", "jiangxi", "xinjiang"):
            for f in followups(kind, region):
                assert catalogue.check_region(f.needs, region) is None
    assert followups("waiting", None) == ()
    assert [f.needs for f in followups("critical", "yantai")] == ["assistance", "chain", "drug"]
