"""bot.web.operator_view: what the operator page shows of a request, from its tracker events."""
from __future__ import annotations

import datetime as dt

from bot.handoffs import HandoffRequest
from bot.web.operator_view import request_view
from bot.web.widget import COMMAND_LABELS

AT = dt.datetime(2026, 12, 7, 5, 30, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> float:
    return AT.timestamp() + seconds


def request(sender_id: str = "web-abc", text: str = "(点击了「转人工」按钮)") -> HandoffRequest:
    return HandoffRequest(3, sender_id, text, AT.isoformat(timespec="seconds"))


EVENTS = [
    {"event": "user", "text": "我是山东烟台的", "timestamp": at(-60)},
    {"event": "slot", "name": "region", "value": "yantai", "timestamp": at(-59)},
    {"event": "bot", "text": "好的。", "data": {}, "timestamp": at(-59)},
    {"event": "restart", "timestamp": at(-50)},
    {"event": "user", "text": "我在新疆伊宁,手机13812345678,身份证110101199003074514", "timestamp": at(-40)},
    {"event": "slot", "name": "region", "value": "xinjiang", "timestamp": at(-39)},
    {"event": "bot", "text": "请问您断保多久了?", "data": {"buttons": [{"title": "一年", "payload": "一年"}]},
     "timestamp": at(-39)},
    {"event": "user", "text": "/human_handoff", "timestamp": at(0.4)},
    {"event": "bot", "text": "已收到您的转人工请求……12393", "data": {}, "timestamp": at(0.6)},
    {"event": "user", "text": "谢谢,我叫张三", "timestamp": at(120)},
    {"event": "slot", "name": "region", "value": "yantai", "timestamp": at(121)},
]


def test_the_conversation_up_to_the_request_masked_with_its_region() -> None:
    view = request_view(request(), EVENTS, COMMAND_LABELS)
    assert view["region"] == "新疆" and view["channel"] == "网页聊天" and view["state"] == "new"
    assert [line["who"] for line in view["conversation"]] == ["user", "bot", "user", "bot"]
    said = view["conversation"][0]["text"]
    assert "13812345678" not in said and "110101199003074514" not in said
    assert "[手机号]" in said and "[身份证]" in said
    assert view["conversation"][2]["text"] == "转人工"           # the button's label, not the intent
    assert "12393" in view["conversation"][3]["text"]
    assert not any("张三" in line["text"] for line in view["conversation"])   # said after the request


def test_what_was_stored_unmasked_is_masked_on_the_way_out() -> None:
    view = request_view(request("rest-Xy", "我的电话13812345678,转人工"), [], COMMAND_LABELS)
    assert view["asked"] == "我的电话[手机号],转人工" and view["channel"] == "对接系统"
    assert view["conversation"] == [] and view["region"] is None


def test_a_conversation_that_cannot_be_read() -> None:
    view = request_view(request("wx-1"), None, COMMAND_LABELS)
    assert view["conversation"] is None and view["region"] is None and view["channel"] == "其他渠道"
