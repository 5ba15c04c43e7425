"""bot.web.history: what the widget shows of bot replies and of a stored conversation."""
from __future__ import annotations

from bot.web.history import bot_messages, transcript
from bot.web.widget import COMMAND_LABELS

REGIONS = [{"title": "新疆", "payload": "新疆"}, {"title": "1 年", "payload": "1年"}]


def test_bot_messages_keep_text_and_buttons_only() -> None:
    raw = [{"recipient_id": "x", "text": "第一步\n第二步", "buttons": REGIONS},
           {"recipient_id": "x", "image": "http://example.invalid/a.png"},
           {"recipient_id": "x", "custom": {"html": "<b>x</b>"}},
           {"recipient_id": "x", "text": "您的手机 13812345678"}]
    assert bot_messages(raw) == [{"text": "第一步\n第二步", "buttons": REGIONS},
                                 {"text": "您的手机 [手机号]", "buttons": []}]


def test_transcript_since_the_last_restart_with_labels_and_masking() -> None:
    events = [
        {"event": "action", "name": "action_session_start"},
        {"event": "user", "text": "旧问题"},
        {"event": "bot", "text": "旧回答"},
        {"event": "user", "text": "/restart"},
        {"event": "bot", "text": "好的,我们重新开始。"},
        {"event": "restart"},
        {"event": "user", "text": "断保以后再交医保要等多久才能报销?"},
        {"event": "bot", "text": "请问您在哪个地区参保?", "data": {"buttons": REGIONS}},
        {"event": "slot", "name": "region", "value": "xinjiang"},
        {"event": "user", "text": "我的手机 13812345678"},
        {"event": "user", "text": "/human_handoff"},
        {"event": "bot", "text": "已为您记录转人工的请求。", "data": {"buttons": None}},
    ]
    assert transcript(events, COMMAND_LABELS) == [
        {"who": "user", "text": "断保以后再交医保要等多久才能报销?", "buttons": []},
        {"who": "bot", "text": "请问您在哪个地区参保?", "buttons": REGIONS},
        {"who": "user", "text": "我的手机 [手机号]", "buttons": []},
        {"who": "user", "text": "转人工", "buttons": []},
        {"who": "bot", "text": "已为您记录转人工的请求。", "buttons": []},
    ]


def test_transcript_is_bounded() -> None:
    events = [{"event": "user", "text": f"问题{i}"} for i in range(500)]
    lines = transcript(events, {}, limit=200)
    assert len(lines) == 200 and lines[-1]["text"] == "问题499" and lines[0]["text"] == "问题300"


CARD = {"type": "answer_card", "kind": "waiting", "label": "待遇等待期", "figure": "4", "unit": "个月"}


def test_a_card_joins_the_text_it_was_sent_with() -> None:
    """Rasa's output channel sends a message's text, then its custom payload, as two messages."""
    raw = [{"recipient_id": "x", "text": "请问您在哪个地区参保?", "buttons": REGIONS},
           {"recipient_id": "x", "text": "待遇等待期:4 个月。\n1. …"},
           {"recipient_id": "x", "custom": CARD},
           {"recipient_id": "x", "custom": {"type": "something_else"}},
           {"recipient_id": "x", "custom": {}}]
    assert bot_messages(raw) == [{"text": "请问您在哪个地区参保?", "buttons": REGIONS},
                                 {"text": "待遇等待期:4 个月。\n1. …", "buttons": [], "card": CARD}]
    assert bot_messages([{"recipient_id": "x", "custom": CARD}]) == [{"text": "", "buttons": [], "card": CARD}]


def test_history_shows_the_card_again() -> None:
    events = [{"event": "user", "text": "新疆断保两年"},
              {"event": "bot", "text": "待遇等待期:4 个月。", "data": {"custom": CARD, "buttons": None}},
              {"event": "bot", "text": "", "data": {"custom": {"type": "other"}}}]
    assert transcript(events, COMMAND_LABELS) == [
        {"who": "user", "text": "新疆断保两年", "buttons": []},
        {"who": "bot", "text": "待遇等待期:4 个月。", "buttons": [], "card": CARD}]
