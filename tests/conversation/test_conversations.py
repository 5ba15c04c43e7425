"""Each conversation in conversations.yml, replayed against the trained model and real actions."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlite_utils
import yaml

RAW = (Path(__file__).with_name("conversations.yml")).read_text(encoding="utf-8")
CONVERSATIONS = yaml.safe_load(RAW)


def test_there_are_at_least_40_conversations():
    assert len(CONVERSATIONS) >= 40
    assert len({c["name"] for c in CONVERSATIONS}) == len(CONVERSATIONS)


def test_figures_are_quoted_so_yaml_keeps_them_whole():
    """In a YAML flow sequence `[14,700]` is two items, «14» and «700», which any reply with
    those digits passes: a figure with a thousands comma must be quoted."""
    for number, line in enumerate(RAW.splitlines(), 1):
        if "[" in line:
            assert not re.search(r"\d,\d{3}", re.sub(r'"[^"]*"', "", line)), f"line {number}: {line}"


@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(conv, conversation):
    talk = conversation()
    for i, turn in enumerate(conv["turns"], 1):
        reply = talk.say(str(turn["say"]))
        where = f"{conv['name']} turn {i} «{turn['say']}» → «{reply}»"
        for want in map(str, turn.get("expect", [])):
            assert want in reply, f"missing «{want}»: {where}"
        for unwanted in turn.get("absent", []):
            assert unwanted not in reply, f"unexpected «{unwanted}»: {where}"
        for payload in turn.get("buttons", []):
            assert payload in talk.buttons, f"button «{payload}» not offered ({talk.buttons}): {where}"


def test_each_conversation_has_its_own_sender(conversation):
    a, b = conversation(), conversation()
    assert a.sender_id != b.sender_id
    a.say("新疆断保两年,现在交多久能报销")
    assert b.say("等待期多久") and "哪个地区" in b.reply      # b knows nothing of a's region


def test_handoff_is_recorded_with_personal_data_masked(conversation, handoff_db):
    talk = conversation()
    reply = talk.say("我的电话是13812345678,转人工")
    assert "12393" in reply
    rows = list(sqlite_utils.Database(handoff_db)["handoffs"].rows_where("sender_id = ?", [talk.sender_id]))
    assert len(rows) == 1
    assert "13812345678" not in rows[0]["text"]
    assert rows[0]["created_at"]


def test_slots_are_codes_of_the_contract(conversation):
    talk = conversation()
    talk.say("太原,二类县级医院住院花了两万")
    slots = talk.slots()
    assert slots["region"] == "shanxi"
    assert slots["price_class"] == "2-county"
    assert slots["topic"] == "inpatient"
