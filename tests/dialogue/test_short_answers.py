"""bot.dialogue.short_answers: a short reply to one form question, read as residents type it."""
from __future__ import annotations

import pytest

from bot.dialogue.short_answers import (has_unreadable_number, names_second_class_only, number_in,
                                        says_in_work, says_no, says_no_gap, says_none, says_something,
                                        says_yes)


def test_number_in():
    assert number_in("三年") == 3 and number_in("2万") == 20000 and number_in("1.5") == 1.5
    assert number_in("没有") is None and number_in("3年5000元") is None and number_in(None) is None


@pytest.mark.parametrize("text, yes, no", [
    ("对,是在那期间交的", True, False), ("是的", True, False), ("嗯", True, False),
    ("不是", False, True), ("没有赶上", False, True), ("错过了", False, True),
    ("不太清楚", False, False), ("", False, False),
])
def test_yes_and_no_at_the_start(text: str, yes: bool, no: bool):
    assert (says_yes(text), says_no(text)) == (yes, no)


def test_none_no_gap_in_work_and_second_class():
    assert says_none("都不是") and says_none("普通人") and not says_none("低保户")
    assert says_no_gap("一直连续交的") and says_no_gap("没断过") and not says_no_gap("断了两年")
    assert says_in_work("还在上班") and not says_in_work("退休了")
    assert names_second_class_only("二类") and names_second_class_only("两类医院")
    assert not names_second_class_only("三类")


@pytest.mark.parametrize("text, something", [
    ("对", True), ("ok", True), ("1", True), ("是的!", True),
    ("*", False), ("😀", False), ("\u200b", False), ("", False), ("!!!", False), ("👍👍", False),
])
def test_says_something_needs_a_word_letter_or_digit(text: str, something: bool):
    assert says_something(text) is something


@pytest.mark.parametrize("text, unreadable", [
    ("1e309元", True), ("花了2.5E3", True), ("12000元", False), ("1.2万", False), ("e5", False),
])
def test_numbers_in_exponent_notation_are_unreadable(text: str, unreadable: bool):
    assert has_unreadable_number(text) is unreadable
    if unreadable:
        assert number_in(text) is None
