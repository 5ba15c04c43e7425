"""`make eval`'s scoring and reading of a turn: right / weak / wrong, from real event shapes."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue.catalogue import KINDS
from bot.dialogue.declines import declines
from bot.dialogue.replies import clauses
from bot.evaluation.items import Expectation, load_conversations, load_questions
from bot.evaluation.outcome import read_outcome, turn_events
from bot.evaluation.scoring import RIGHT, WEAK, WRONG, Outcome, verdict
from bot.policy import load_rulebook

EVAL = Path(__file__).resolve().parents[1] / "eval"


@pytest.mark.parametrize("accepts, facts, got, got_facts, expected", [
    (["calc:waiting"], {"gap_years": 2}, "calc:waiting", {"gap_years": 2}, RIGHT),
    (["calc:waiting"], {"gap_years": 2}, "calc:waiting", {"gap_years": 1}, WRONG),   # misunderstood
    (["calc:waiting"], {"gap_years": 2}, "calc:waiting", {}, WEAK),                  # asked again
    (["calc:waiting"], {}, "calc:cap", {}, WRONG),                                   # another calculation
    (["faq:sd_newborn"], {}, "faq:xj_newborn_birth_year", {}, WRONG),                # another clause
    (["decline:transfer"], {}, "faq:sd_hukou_not_required", {}, WRONG),              # a neighbour
    (["decline:transfer"], {}, "decline:not_in_documents", {}, WEAK),                # honest, generic
    (["faq:sd_newborn"], {}, "clarify", {}, WEAK),
    (["faq:sd_newborn"], {}, "greet", {}, WEAK),
    (["calc:inpatient"], {"expense": 12000}, "calc:inpatient", {"expense": 12000.0}, RIGHT),
])
def test_verdict(accepts, facts, got, got_facts, expected):
    assert verdict(Expectation(tuple(accepts), facts), Outcome(got, got_facts)) == expected


def test_outcome_prefers_the_decision_slot_of_this_turn():
    events = [{"event": "user", "text": "old"}, {"event": "slot", "name": "decision", "value": "faq:x"},
              {"event": "user", "text": "new"}, {"event": "action", "name": "action_route_topic"},
              {"event": "slot", "name": "decision", "value": "decline:card"},
              {"event": "bot", "text": "……", "metadata": {}}]
    assert read_outcome(turn_events(events), {}).label == "decline:card"


def test_outcome_of_rules_without_a_decision():
    greet = [{"event": "user"}, {"event": "bot", "text": "您好", "metadata": {"utter_action": "utter_greet"}}]
    form = [{"event": "user"}, {"event": "active_loop", "name": "inpatient_form"}]
    assert read_outcome(turn_events(greet), {}).label == "greet"
    assert read_outcome(turn_events(form), {"region": "shanxi"}) == Outcome("calc:inpatient", {"region": "shanxi"})


def test_every_eval_file_loads_with_enough_items():
    questions = load_questions(EVAL / "questions_heldout.yml") + load_questions(EVAL / "questions_tuning.yml")
    conversations = (load_conversations(EVAL / "conversations_heldout.yml")
                     + load_conversations(EVAL / "conversations_tuning.yml"))
    assert len(questions) >= 300 and len(conversations) >= 100
    assert len({q.id for q in questions}) == len(questions)
    held_out = load_questions(EVAL / "questions_heldout.yml")
    assert len(held_out) * 3 >= len(questions) * 0.95        # a third of the set is held out


def test_every_label_names_something_that_exists():
    book = load_rulebook()
    params = {name for rs in book.rule_sets.values() for name in rs.parameters}
    topics = {t.name for t in declines().topics} | {"not_in_documents", "region_not_covered"}
    simple = {"clarify", "handoff", "greet", "goodbye", "thanks", "bot_challenge", "restart"}
    labels = [label for path in EVAL.glob("questions_*.yml") for q in load_questions(path) for label in q.expect.outcomes]
    for path in EVAL.glob("conversations_*.yml"):
        for c in load_conversations(path):
            labels += [label for t in c.turns if t.expect for label in t.expect.outcomes]
            labels += [c.end.outcome] if c.end.outcome else []
    for label in labels:
        family, _, name = label.partition(":")
        assert (label in simple or (family == "calc" and name in KINDS) or (family == "faq" and name in clauses())
                or (family == "param" and name in params) or (family == "decline" and name in topics)), label
