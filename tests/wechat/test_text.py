"""Replies as WeChat shows them: plain text, numbered options, pieces below the size limit."""
from __future__ import annotations

from wechatpy import parse_message

from bot.dialogue.starters import BY_KEY
from bot.wechat import wording
from bot.wechat.inbound import FIXED, NOTHING, SAY, read
from bot.wechat.peer import event, text_message, xml
from bot.wechat.base import offered_buttons
from bot.wechat.text import MAX_TEXT_BYTES, chosen_option, numbered, render, split

CARD = {"type": "answer_card", "followups": [{"label": "补缴能缩短等待期吗", "question": "断保后补缴能缩短等待期吗?"},
                                             {"label": "连续参保有什么好处", "question": "连续参保有什么好处?"}],
        "sources": [{"name": "新疆参保长效机制实施意见", "clause": "二、(五)", "region": "新疆", "draft": True,
                     "title": "关于贯彻落实……的实施意见(征求意见稿)"}]}
ANSWER = "待遇等待期:4 个月。\n1. 第一步\n依据:新疆《关于贯彻落实……的实施意见(征求意见稿)》二、(五)\n提示:……"

REGIONS = [{"title": t, "payload": t} for t in ("山东", "烟台", "山西", "江西", "新疆")]
YEARS = [{"title": "没有这种年份", "payload": "没有"}, {"title": "1 年", "payload": "1年"},
         {"title": "2 年", "payload": "2年"}]
LEVELS = [{"title": "二级医院", "payload": "二级医院"}, {"title": "三级医院", "payload": "三级医院"}]


def test_buttons_become_numbered_options_under_the_text() -> None:
    text = render([{"text": "请问您在哪个地区参保?", "buttons": REGIONS}])
    assert text == "请问您在哪个地区参保?\n请回复序号:\n1. 山东\n2. 烟台\n3. 山西\n4. 江西\n5. 新疆"


def test_options_with_numbers_in_them_are_listed_unnumbered() -> None:
    assert not numbered(YEARS) and not numbered(LEVELS)
    assert render([{"text": "断保了几年?", "buttons": YEARS}]) == \
        "断保了几年?\n" + wording.OPTIONS_WORDS + "没有这种年份 / 1 年 / 2 年"
    assert chosen_option("2", YEARS) is None and chosen_option("1", LEVELS) is None


def test_a_typed_number_chooses_among_numbered_options_only() -> None:
    assert chosen_option("5", REGIONS) == "新疆"
    assert chosen_option("５", REGIONS) == "新疆"          # full-width, as Chinese keyboards type it
    assert chosen_option("第2个", REGIONS) == "烟台"
    assert chosen_option(" 1. ", REGIONS) == "山东"
    assert chosen_option("6", REGIONS) is None
    assert chosen_option("12", REGIONS) is None
    assert chosen_option("1年", REGIONS) is None
    assert chosen_option("1", []) is None


def test_messages_without_text_are_left_out_and_markup_removed() -> None:
    assert render([{"text": "**4 个月**", "buttons": []}, {"text": "", "buttons": []}]) == "4 个月"
    assert render([{"text": "甲"}, {"text": "乙"}]) == "甲\n\n乙"


def test_a_long_answer_is_split_between_lines_below_the_limit() -> None:
    lines = [f"{i}. 起付线以上、封顶线以下的部分按比例支付,这是第 {i} 步。" for i in range(1, 60)]
    text = "\n".join(lines)
    pieces = split(text)
    assert len(pieces) > 1
    assert all(len(p.encode("utf-8")) <= MAX_TEXT_BYTES for p in pieces)
    assert "\n".join(pieces) == text


def test_a_single_overlong_line_is_cut_between_characters() -> None:
    text = "医" * 2000 + "😀"
    pieces = split(text)
    assert all(len(p.encode("utf-8")) <= MAX_TEXT_BYTES for p in pieces)
    assert "".join(pieces) == text


def test_the_options_offered_are_those_since_the_resident_last_spoke() -> None:
    events = [{"event": "bot", "text": "地区?", "data": {"buttons": REGIONS}},
              {"event": "user", "text": "新疆"},
              {"event": "bot", "text": "断保几年?", "data": {"buttons": YEARS}}]
    assert offered_buttons(events) == YEARS
    assert offered_buttons(events + [{"event": "user", "text": "两年"}]) == []
    assert offered_buttons(events[:1]) == REGIONS


def test_an_answer_with_a_card_gets_a_short_citation_and_its_follow_ups_as_options() -> None:
    text = render([{"text": ANSWER, "buttons": [], "card": CARD}])
    assert text == ("待遇等待期:4 个月。\n1. 第一步\n依据:新疆《新疆参保长效机制实施意见》二、(五)(征求意见稿)\n"
                    "提示:……\n请回复序号:\n1. 补缴能缩短等待期吗\n2. 连续参保有什么好处")
    assert render([{"text": ANSWER, "buttons": []}]) == ANSWER      # no card: the text as it is


def test_a_number_after_an_answer_chooses_a_follow_up_stored_in_the_tracker() -> None:
    events = [{"event": "user", "text": "两年"},
              {"event": "bot", "text": ANSWER, "data": {"custom": CARD}}]
    offered = offered_buttons(events)
    assert chosen_option("2", offered) == "连续参保有什么好处?"


def test_an_event_wechatpy_does_not_know_gets_no_reply_and_a_message_type_it_does_not_know_a_polite_one() -> None:
    new_event = parse_message(xml(event("oUser1", "some_future_event")))
    assert read(new_event).kind == NOTHING
    hologram = parse_message(xml({**text_message("oUser1", "x"), "MsgType": "hologram"}))
    assert read(hologram).kind == FIXED and read(hologram).text == wording.ONLY_TEXT_AND_VOICE
    click = read(parse_message(xml(event("oUser1", "CLICK", "waiting"))))
    assert (click.kind, click.text) == (SAY, BY_KEY["waiting"].question)
    assert click.key.startswith("event:oUser1:") and read(parse_message(xml(text_message("o", "a", 77)))).key == "msg:77"


def test_options_of_several_messages_in_one_turn_are_numbered_on_as_they_are_read_back() -> None:
    two = [{"text": "甲?", "buttons": REGIONS[:2]}, {"text": "乙?", "buttons": REGIONS[2:3]}]
    assert render(two) == "甲?\n请回复序号:\n1. 山东\n2. 烟台\n\n乙?\n请回复序号:\n3. 山西"
    events = [{"event": "bot", "text": m["text"], "data": {"buttons": m["buttons"]}} for m in two]
    assert chosen_option("3", offered_buttons(events)) == "山西"
    mixed = [{"text": "甲?", "buttons": REGIONS[:2]}, {"text": "乙?", "buttons": YEARS}]
    assert "1." not in render(mixed)          # one ambiguous option: none of the turn's is numbered
