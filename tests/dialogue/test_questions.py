"""Each fact is asked in one wording everywhere: the chat form's prompt and buttons (domain.yml),
which the terminal self-check reads through bot.dialogue.questions."""
from __future__ import annotations

import pytest

from bot.selfcheck.answers import QUESTIONS, question_for
from bot.dialogue.catalogue import CATALOGUE, CHOICES
from bot.dialogue.questions import asked


@pytest.mark.parametrize("kind", sorted(CATALOGUE))
def test_every_fact_a_calculation_asks_has_one_question(kind):
    reads = [s for s in CATALOGUE[kind].reads if s not in ("benefit_year", "paid_this_year", "paid_back_years",
                                                             "original_cap", "exempt")]
    for slot in reads:
        question = asked(slot, kind)
        assert question.text.endswith(("?", "?)", ")", "」)")), (kind, slot, question.text)
        if slot in QUESTIONS:
            assert question_for(kind, slot).prompt == question.text       # the self-check's words


@pytest.mark.parametrize("slot", sorted(CHOICES))
def test_a_choice_offers_one_button_per_value(slot):
    assert len(asked(slot).buttons) == len(CHOICES[slot])
    if slot in QUESTIONS:
        assert [o.label for o in QUESTIONS[slot].options] == list(asked(slot).buttons)
        assert {o.value for o in QUESTIONS[slot].options} == set(CHOICES[slot])


def test_the_wording_is_the_chat_forms():
    assert asked("group").buttons[4] == "防止返贫监测对象"
    assert question_for("outpatient", "expense").prompt == "今年在门诊花的政策范围内费用一共多少元?"
