"""The running server's channels over HTTP: the page at `/`, the widget API, the safe REST API."""
from __future__ import annotations

import uuid

import pytest

from bot.dialogue.starters import STARTERS
from tests.running import RunningAssistant

QUESTION = "新疆断保两年,现在交多久能报销?"
ID_CARD, MOBILE = "110101199003074514", "13812345678"


def new_sender() -> str:
    return f"http-{uuid.uuid4().hex[:12]}"


def texts(reply_body: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in reply_body)


def test_page_is_served_at_root_with_a_strict_policy(assistant: RunningAssistant) -> None:
    page = assistant.get("/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert "<title>医保助手</title>" in page.body and "innerHTML" not in page.body
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    for asset in ("widget.js", "widget.css", "modes.js", "modes.css", "card.js", "card.css"):
        assert assistant.get(f"/webhooks/widget/static/{asset}").status == 200
        assert f"/webhooks/widget/static/{asset}" in page.body
        if asset.endswith(".js"):
            script = assistant.get(f"/webhooks/widget/static/{asset}").body
            assert ".innerHTML" not in script and "insertAdjacentHTML" not in script, asset
    assert 'href="/check"' in page.body                   # 自助测算: the self-check
    assert assistant.get("/webhooks/widget/").body == page.body


@pytest.mark.parametrize("path", ["/webhooks/widget/static/widget.py",
                                  "/webhooks/widget/static/check.js",
                                  "/webhooks/widget/static/..%2F..%2F..%2Fcredentials.yml",
                                  "/webhooks/widget/static/%2Fetc%2Fpasswd"])
def test_only_the_widget_files_are_served(assistant: RunningAssistant, path: str) -> None:
    assert assistant.get(path).status == 404


def test_rest_answers_a_question(assistant: RunningAssistant) -> None:
    reply = assistant.rest(new_sender(), QUESTION)
    assert reply.status == 200 and "4 个月" in texts(reply.body)


def test_rest_slash_syntax_is_plain_text(assistant: RunningAssistant) -> None:
    sender = new_sender()
    assert assistant.rest(sender, QUESTION).status == 200
    reply = assistant.rest(sender, '/inform{"region": "shandong", "gap_years": 9, "expense": 99999999}')
    assert reply.status == 200 and texts(reply.body)
    events = assistant.stored_events(sender)
    user = [e for e in events if e["event"] == "user"]
    assert not user[-1]["text"].startswith("/")
    assert all(e.get("extractor") != "RegexMessageHandler"
               for e in user[-1]["parse_data"].get("entities", []))
    slots = {(e["name"], e["value"]) for e in events if e["event"] == "slot"}
    assert ("region", "xinjiang") in slots
    # the JSON is not obeyed; a number in the text is read like any typed number would be
    assert not {("region", "shandong"), ("gap_years", 9)} & slots


def test_rest_masks_personal_data_before_the_tracker(assistant: RunningAssistant) -> None:
    sender = new_sender()
    reply = assistant.rest(sender, f"我的身份证号{ID_CARD},电话 {MOBILE[:3]} {MOBILE[3:7]} {MOBILE[7:]},{QUESTION}")
    assert reply.status == 200 and "4 个月" in texts(reply.body)
    assert assistant.stored_user_texts(sender) == [f"我的身份证号[身份证],电话 [手机号],{QUESTION}"]
    stored = assistant.tracker_db.read_bytes()
    assert ID_CARD.encode() not in stored and MOBILE.encode() not in stored


def test_rest_size_limit(assistant: RunningAssistant) -> None:
    sender = new_sender()
    reply = assistant.rest(sender, "断" * 501)
    assert reply.status == 413
    assert reply.body == [{"recipient_id": sender, "text": texts(reply.body)}]
    assert "最多 500 个字" in texts(reply.body)
    assert assistant.stored_user_texts(sender) == []
    assert assistant.rest(sender, "断" * 500).status == 200


def test_rest_rate_limit(assistant: RunningAssistant) -> None:
    sender = new_sender()
    statuses = [assistant.rest(sender, "你好" if i % 2 else "谢谢").status for i in range(20)]
    assert statuses == [200] * 20
    reply = assistant.rest(sender, "你好")
    assert reply.status == 429 and int(reply.headers["retry-after"]) >= 1
    assert "请稍等" in texts(reply.body)
    assert assistant.rest(new_sender(), "你好").status == 200        # others are not affected


@pytest.mark.parametrize("body", [{"message": "你好"}, {"sender": "", "message": "你好"},
                                  {"sender": 7, "message": "你好"}, {"sender": "x" * 129, "message": "你好"},
                                  {"sender": "web-abc", "message": "你好"}, {"sender": "s", "message": 5},
                                  {"sender": "s"}, ["s", "你好"]])
def test_rest_refuses_malformed_requests(assistant: RunningAssistant, body: object) -> None:
    reply = assistant.post("/webhooks/rest/webhook", body)
    assert reply.status == 400 and "请求格式不正确" in texts(reply.body)


def test_rest_refuses_a_body_that_is_not_json(assistant: RunningAssistant) -> None:
    assert assistant.post("/webhooks/rest/webhook", None, raw=b"sender=x&message=y",
                          content_type="application/x-www-form-urlencoded").status == 400


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/webhooks/widget/webhook",
                                  "/webhooks/widget/session"])
def test_a_body_nested_too_deeply_is_a_polite_400(assistant: RunningAssistant, path: str) -> None:
    """30,000 nested brackets (under the 64 KiB limit) made json.loads raise RecursionError: an
    unhandled 500 and a traceback in the log."""
    for raw in (b"[" * 30000 + b"]" * 30000, b'{"a":' * 10000 + b"1" + b"}" * 10000):
        reply = assistant.post(path, None, raw=raw)
        assert reply.status == 400 and "请求格式不正确" in str(reply.body), reply


def test_widget_issues_signed_ids_and_never_hands_out_another_conversation(
        assistant: RunningAssistant) -> None:
    first = assistant.post("/webhooks/widget/session", {"sender": None})
    assert first.status == 200 and first.body["history"] == [] and first.body["max_chars"] == 500
    token = first.body["sender"]
    sender_id, _, signature = token.rpartition(".")
    assert sender_id.startswith("web-") and signature
    reply = assistant.post("/webhooks/widget/webhook", {"sender": token, "message": QUESTION})
    assert reply.status == 200 and reply.body["sender"] == token
    assert "4 个月" in texts(reply.body["messages"])

    again = assistant.post("/webhooks/widget/session", {"sender": token})
    assert again.body["sender"] == token
    assert [line["who"] for line in again.body["history"]] == ["user", "bot"]

    rest_sender = new_sender()
    assistant.rest(rest_sender, QUESTION)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for forged in (sender_id, f"{sender_id}.{flipped}", rest_sender, f"{rest_sender}.{signature}",
                   f"web-{uuid.uuid4().hex}.{signature}"):
        session = assistant.post("/webhooks/widget/session", {"sender": forged})
        assert session.status == 200 and session.body["history"] == []
        assert session.body["sender"] not in (token, forged)
        message = assistant.post("/webhooks/widget/webhook", {"sender": forged, "message": "谢谢"})
        assert message.status == 200 and message.body["sender"] not in (token, forged)
    assert assistant.stored_user_texts(sender_id) == [QUESTION]
    assert assistant.stored_user_texts(rest_sender) == [QUESTION]


def test_widget_limits_and_commands(assistant: RunningAssistant) -> None:
    token = assistant.post("/webhooks/widget/session", {}).body["sender"]
    sender_id = token.rpartition(".")[0]
    long = assistant.post("/webhooks/widget/webhook", {"sender": token, "message": "字" * 501})
    assert long.status == 413 and long.body["error"] == "too_long" and long.body["sender"] == token
    assert "最多 500 个字" in texts(long.body["messages"])
    for bad in ({"sender": token, "command": "nlu_fallback"}, {"sender": token, "command": ["restart"]},
                {"sender": token}, {"sender": token, "message": "  "}):
        reply = assistant.post("/webhooks/widget/webhook", bad)
        assert reply.status == 400 and texts(reply.body["messages"])
    handoff = assistant.post("/webhooks/widget/webhook", {"sender": token, "command": "handoff"})
    assert handoff.status == 200 and "12393" in texts(handoff.body["messages"])
    history = assistant.post("/webhooks/widget/session", {"sender": token}).body["history"]
    assert history[0] == {"who": "user", "text": "转人工", "buttons": []}
    restart = assistant.post("/webhooks/widget/webhook", {"sender": token, "command": "restart"})
    assert restart.status == 200 and "重新开始" in texts(restart.body["messages"])
    assert assistant.post("/webhooks/widget/session", {"sender": token}).body["history"] == []
    assert any(e["event"] == "restart" for e in assistant.stored_events(sender_id))


def test_rest_reply_carries_the_answer_card_beside_the_unchanged_text(assistant: RunningAssistant) -> None:
    reply = assistant.rest(new_sender(), QUESTION)
    assert reply.status == 200
    text_messages = [m for m in reply.body if m.get("text")]
    cards = [m["custom"] for m in reply.body if m.get("custom")]
    assert len(text_messages) == 1 and "custom" not in text_messages[0]
    assert text_messages[0]["text"].startswith("待遇等待期:4 个月。\n1. ")
    assert "提示:该文件为征求意见稿" in text_messages[0]["text"]
    assert len(cards) == 1 and not any(m.get("text") for m in reply.body if m.get("custom"))
    card = cards[0]
    assert (card["type"], card["figure"], card["unit"], card["label"]) == ("answer_card", "4", "个月", "待遇等待期")
    assert card["draft"] is True and card["sources"][0]["name"] == "新疆参保长效机制实施意见"
    assert card["sources"][0]["clause"] == "二、(五)" and card["steps"]
    assert [f["label"] for f in card["followups"]] == ["补缴能缩短等待期吗", "连续参保有什么好处"]


def test_widget_session_offers_the_starters_and_replies_carry_the_card(assistant: RunningAssistant) -> None:
    session = assistant.post("/webhooks/widget/session", {"sender": None}).body
    assert session["starters"] == [{"key": s.key, "label": s.label, "question": s.question} for s in STARTERS]
    token = session["sender"]
    reply = assistant.post("/webhooks/widget/webhook", {"sender": token, "message": QUESTION}).body
    assert len(reply["messages"]) == 1
    answer = reply["messages"][0]
    assert answer["text"].startswith("待遇等待期:4 个月。") and answer["card"]["figure"] == "4"
    history = assistant.post("/webhooks/widget/session", {"sender": token}).body["history"]
    assert history[-1]["card"] == answer["card"] and history[-1]["text"] == answer["text"]
