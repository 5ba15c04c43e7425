"""The Official Account channel against a running assistant, spoken to as WeChat speaks
(tests/wechat/simulator.py: wechatpy's signatures, AES and XML)."""
from __future__ import annotations

import sqlite3
import time

from bot.web.safety import TEXT_TOO_LONG
from bot.wechat import wording
from bot.wechat.base import EMPTY_REPLY
from tests.faults.proxy import ActionProxy
from bot.wechat.peer import http
from tests.load.harness import NORMAL_ANSWER, NORMAL_QUESTION, LiveAssistant
from tests.wechat.conftest import stored_as
from bot.wechat.stand_in import FakeWeChatApi
from bot.wechat.peer import (OfficialAccountServer, event, message_id, text_message, users,
                                    voice_message, xml)

USERS = users()
WAITING_QUESTION = "断保后再交医保,要等多久才能报销?"
ASKS_REGION, ASKS_GAP = "哪个地区", "断保了几年"


def said(wechat: OfficialAccountServer, api: FakeWeChatApi, user: str, text: str,
         encrypted: bool = True) -> str:
    """What the resident sees for one message: the reply, or what came through the API."""
    before = len(api.sent_to(user))
    answer = wechat.push(text_message(user, text), encrypted=encrypted)
    assert answer.status == 200, answer
    if answer.text:
        return answer.text
    return "\n".join(s.text for s in api.wait_sent(user, before + 1)[before:])


def user_texts(assistant: LiveAssistant, user: str) -> list[str]:
    stored = stored_as(assistant, "wechat", user)
    return [e.get("text") or "" for sender, e in assistant.events() if sender == stored and e.get("event") == "user"]


def test_the_server_address_check_echoes_only_a_signed_request(wechat: OfficialAccountServer) -> None:
    good = wechat.verify("echo-7391")
    assert (good.status, good.body) == (200, "echo-7391")
    bad = wechat.verify("echo-7391", bad=True)
    assert bad.status == 403 and bad.body == wording.BAD_SIGNATURE


def test_a_calculation_over_several_turns_with_numbered_options(wechat: OfficialAccountServer,
                                                               wechat_api: FakeWeChatApi,
                                                               assistant: LiveAssistant) -> None:
    user = next(USERS)
    first = wechat.push(text_message(user, WAITING_QUESTION))
    assert first.status == 200 and first.encrypted, first
    assert ASKS_REGION in first.text
    assert "请回复序号:\n1. 山东\n2. 烟台\n3. 山西\n4. 江西\n5. 新疆" in first.text, first.text
    second = said(wechat, wechat_api, user, "5")              # «5» chooses 新疆
    assert ASKS_GAP in second
    assert wording.OPTIONS_NUMBERED not in second
    answer = said(wechat, wechat_api, user, "两年")
    assert answer.startswith("待遇等待期") and NORMAL_ANSWER in answer, answer
    # one short citation line: the document's short name and clause, marked as a draft
    assert "\n依据:新疆《新疆参保长效机制实施意见》二、(五)(征求意见稿)\n" in answer
    assert "关于贯彻落实" not in answer
    assert not any(mark in answer for mark in ("**", "`", "](", "<"))
    # the answer card's follow-ups are the options now
    assert answer.endswith("请回复序号:\n1. 补缴能缩短等待期吗\n2. 连续参保有什么好处"), answer
    said(wechat, wechat_api, user, "1")
    assert user_texts(assistant, user) == [WAITING_QUESTION, "新疆", "两年", "断保后补缴能缩短等待期吗?"]


def test_safe_mode_refuses_a_plain_message(wechat: OfficialAccountServer, assistant: LiveAssistant) -> None:
    user = next(USERS)
    plain = wechat.push(text_message(user, NORMAL_QUESTION), encrypted=False)
    assert plain.status == 403 and plain.raw == wording.BAD_SIGNATURE
    assert user_texts(assistant, user) == []


def test_voice_is_heard_through_its_recognition(wechat: OfficialAccountServer) -> None:
    heard = wechat.push(voice_message(next(USERS), NORMAL_QUESTION + "。"))
    assert NORMAL_ANSWER in heard.text
    unheard = wechat.push(voice_message(next(USERS), None))
    assert unheard.text == wording.VOICE_NOT_RECOGNIZED


def test_following_greets_and_the_menu_asks_its_starter_question(wechat: OfficialAccountServer,
                                                                 assistant: LiveAssistant) -> None:
    user = next(USERS)
    greeting = wechat.push(event(user, "subscribe"))
    assert greeting.text.startswith("您好,我是医保助手")
    menu = wechat.push(event(user, "CLICK", "waiting"))
    assert ASKS_REGION in menu.text
    assert user_texts(assistant, user)[-1] == WAITING_QUESTION
    assert wechat.push(event(user, "CLICK", "no-such-item")).text == wording.MENU_UNKNOWN


def test_other_messages_get_a_polite_reply_and_other_events_none(wechat: OfficialAccountServer,
                                                                assistant: LiveAssistant) -> None:
    user = next(USERS)
    picture = {**text_message(user, ""), "MsgType": "image", "PicUrl": "http://example.invalid/a.jpg",
               "MediaId": "m1"}
    del picture["Content"]
    assert wechat.push(picture).text == wording.ONLY_TEXT_AND_VOICE
    unknown = {**text_message(user, "x"), "MsgType": "hologram"}
    assert wechat.push(unknown).text == wording.ONLY_TEXT_AND_VOICE
    left = wechat.push(event(user, "unsubscribe"))
    assert (left.status, left.raw) == (200, EMPTY_REPLY)
    assert user_texts(assistant, user) == []


def test_a_bad_signature_or_bad_xml_is_refused_and_runs_nothing(wechat: OfficialAccountServer,
                                                               assistant: LiveAssistant) -> None:
    user = next(USERS)
    forged = wechat.push(text_message(user, NORMAL_QUESTION), bad_signature=True)
    assert forged.status == 403 and forged.raw == wording.BAD_SIGNATURE
    forged_plain = wechat.push(text_message(user, NORMAL_QUESTION), encrypted=False, bad_signature=True)
    assert forged_plain.status == 403
    broken = wechat.push("<xml><MsgType>text</MsgType><Content>断保")
    assert broken.status == 400 and broken.raw == wording.BAD_MESSAGE
    not_xml = wechat.push("{\"message\": \"hi\"}")
    assert not_xml.status == 400 and not_xml.raw == wording.BAD_MESSAGE
    assert user_texts(assistant, user) == []


def test_a_retry_of_an_answered_message_gets_the_same_reply_and_no_second_turn(
        wechat: OfficialAccountServer, assistant: LiveAssistant) -> None:
    user, msg_id = next(USERS), message_id()
    first = wechat.push(text_message(user, NORMAL_QUESTION, msg_id))
    again = wechat.push(text_message(user, NORMAL_QUESTION, msg_id))
    assert NORMAL_ANSWER in first.text and again.text == first.text
    assert user_texts(assistant, user) == [NORMAL_QUESTION]


def test_a_slow_turn_is_answered_once_through_the_customer_service_api(
        wechat: OfficialAccountServer, wechat_api: FakeWeChatApi, action_proxy: ActionProxy,
        assistant: LiveAssistant) -> None:
    user, msg_id = next(USERS), message_id()
    action_proxy.late_seconds, action_proxy.mode = 5.0, "late"
    try:
        started = time.monotonic()
        first = wechat.push(text_message(user, NORMAL_QUESTION, msg_id))
        waited = time.monotonic() - started
        # WeChat retries the same message while the turn is still running
        retries = [wechat.push(text_message(user, NORMAL_QUESTION, msg_id)) for _ in range(2)]
        sent = wechat_api.wait_sent(user, 1, timeout=90)
    finally:
        action_proxy.mode = "pass"
    assert (first.status, first.raw) == (200, EMPTY_REPLY) and waited < 5.0, (first, waited)
    assert all((r.status, r.raw) == (200, EMPTY_REPLY) for r in retries)
    assert len(sent) == 1 and NORMAL_ANSWER in sent[0].text and sent[0].path == "/cgi-bin/message/custom/send"
    time.sleep(2)
    assert len(wechat_api.sent_to(user)) == 1
    assert user_texts(assistant, user) == [NORMAL_QUESTION]


def test_the_privacy_screen_applies_and_the_openid_is_never_stored(wechat: OfficialAccountServer,
                                                                   assistant: LiveAssistant) -> None:
    user = next(USERS)
    answer = wechat.push(text_message(user, "我电话13812345678," + NORMAL_QUESTION))
    assert NORMAL_ANSWER in answer.text
    assert user_texts(assistant, user) == ["我电话[手机号]," + NORMAL_QUESTION]
    too_long = wechat.push(text_message(user, "医保" * 300))
    assert too_long.text == TEXT_TOO_LONG.format(limit=500, length=600)
    slash = wechat.push(text_message(user, '/inform{"expense": 99999999}'))
    assert slash.status == 200
    assert user_texts(assistant, user)[-1].startswith("inform")
    with sqlite3.connect(assistant.tracker_db) as db:
        dump = "\n".join(db.iterdump())
    assert user not in dump and "13812345678" not in dump
    assert user not in assistant.logs()


def test_the_access_token_is_fetched_once_for_many_messages(wechat_api: FakeWeChatApi) -> None:
    assert wechat_api.token_fetches <= 2     # one per channel (Official Account, WeCom) at most


def test_an_encrypted_message_with_a_forged_msg_signature_is_refused(wechat: OfficialAccountServer) -> None:
    user = next(USERS)
    timestamp, nonce = str(int(time.time())), "n0nce"
    sealed = wechat.crypto.encrypt_message(xml(text_message(user, NORMAL_QUESTION)), nonce, timestamp)
    query = wechat._query(nonce, timestamp, encrypt_type="aes", msg_signature="0" * 40)
    reply = http(f"{wechat.url}?{query}", raw=sealed.encode("utf-8"), method="POST",
                 headers={"Content-Type": "text/xml"})
    assert reply.status == 403
