"""bot.selfcheck.steps.replay: the self-check's steps from the answers so far, as the web page
sends them — the same questions, readers and figures as the terminal self-check."""
from __future__ import annotations

import pytest

from bot.dialogue.short_answers import UNREADABLE_NUMBER_REPLY
from bot.selfcheck.steps import FACT, KIND, PLACE, PLACE_PROMPT, replay


def test_nothing_yet_asks_the_place() -> None:
    progress = replay(None, None, {})
    assert progress.ask.step == PLACE and progress.ask.number == 1 and progress.ask.prompt == PLACE_PROMPT
    assert progress.ask.error is None and progress.facts == ()


@pytest.mark.parametrize("place, error", [
    ("火星", "没有找到这个地名。我们目前只能回答"), ("北京", "北京市不在我们掌握的文件范围内。"),
    ("<script>alert(1)</script>", "没有找到这个地名。"), ("'; DROP TABLE x; --", "没有找到这个地名。"),
    ("😀" * 300, "回答太长了"), ("   ", None),
])
def test_a_place_outside_our_documents_is_asked_again(place: str, error: str | None) -> None:
    progress = replay(place, None, {})
    assert progress.ask.step == PLACE and progress.place is None
    assert (progress.ask.error or "").startswith(error) if error else progress.ask.error is None


def test_yining_waiting_two_years_is_complete_with_the_facts_shown_back() -> None:
    progress = replay("伊宁", None, {})
    assert progress.ask.step == KIND and progress.ask.number == 2
    assert [o.value for o in progress.ask.options] == ["waiting", "cap"]
    assert progress.place.notices()[1] == "注意:我们掌握的新疆文件是征求意见稿(草案),正式文件可能不同。"
    progress = replay("伊宁", "1", {})
    assert progress.kind == "waiting" and progress.ask.step == FACT and progress.ask.slot == "gap_years"
    assert progress.ask.number == 3 and "断保了几年" in progress.ask.prompt
    progress = replay("伊宁", "等多久", {"gap_years": "两年", "expense": "ignored: not asked"})
    assert progress.ask is None and progress.slots["gap_years"] == 2
    assert [(f.label, f.value) for f in progress.facts] == [("地区", "新疆维吾尔自治区伊宁市"), ("断保年数", "2 年")]


@pytest.mark.parametrize("said, error", [("1e5", UNREADABLE_NUMBER_REPLY), ("很久", "没有看懂"),
                                         ("2 3", "请只回答一个数"), ("-2", None)])
def test_an_answer_that_cannot_be_read_is_asked_again_with_the_reason(said: str, error: str | None) -> None:
    progress = replay("伊宁", "1", {"gap_years": said})
    assert progress.ask.slot == "gap_years" and progress.ask.error
    if error:
        assert progress.ask.error.startswith(error)


def test_a_region_with_one_calculation_skips_the_menu_and_choices_take_numbers_or_words() -> None:
    no_menu = replay("平遥", None, {})
    assert no_menu.kind == "inpatient" and no_menu.ask.step == FACT and no_menu.ask.number == 2
    assert [o.label[:3] for o in no_menu.ask.options] == ["三类(", "二类县", "二类省", "一类("]
    progress = replay("平遥", "住院", {"price_class": "二类"})
    assert progress.ask.slot == "price_class" and "第 2、3 项" in progress.ask.error
    progress = replay("平遥", "住院", {"price_class": "3", "expense": "2万"})
    assert progress.ask is None and progress.slots["expense"] == 20000
    assert progress.facts[1].value.startswith("二类省市级") and progress.facts[2].value == "20,000 元"
    with_words = replay("平遥", "住院", {"price_class": "二类省市级", "expense": "两万"})
    assert with_words.slots == progress.slots


def test_a_kind_not_on_the_menu_is_asked_again() -> None:
    progress = replay("伊宁", "99", {})
    assert progress.ask.step == KIND and progress.ask.error == "请输入 1 到 2 之间的序号。"
