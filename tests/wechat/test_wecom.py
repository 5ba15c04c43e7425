"""The WeCom self-built app channel against the running assistant, spoken to as WeCom speaks
(wechatpy.enterprise's crypto: everything encrypted)."""
from __future__ import annotations

from bot.wechat.base import EMPTY_REPLY
from tests.faults.proxy import ActionProxy
from tests.load.harness import NORMAL_ANSWER, NORMAL_QUESTION, LiveAssistant
from tests.wechat.conftest import AGENT_ID, stored_as
from bot.wechat.stand_in import FakeWeChatApi
from bot.wechat.peer import WeComServer

MEMBER = "ZhangSan"


def test_the_callback_check_decrypts_the_echo(wecom: WeComServer) -> None:
    reply = wecom.verify("echo4917204618")
    assert (reply.status, reply.body) == (200, "echo4917204618")


def test_a_question_is_answered_in_the_encrypted_reply(wecom: WeComServer, assistant: LiveAssistant) -> None:
    answer = wecom.push(wecom.text(MEMBER, NORMAL_QUESTION))
    assert answer.status == 200 and answer.encrypted and NORMAL_ANSWER in answer.text
    stored = stored_as(assistant, "wecom", MEMBER)
    assert [e["text"] for s, e in assistant.events() if s == stored and e.get("event") == "user"] == [NORMAL_QUESTION]


def test_a_slow_turn_goes_out_once_as_an_app_message(wecom: WeComServer, wechat_api: FakeWeChatApi,
                                                      action_proxy: ActionProxy) -> None:
    member = MEMBER + "Slow"
    message = wecom.text(member, NORMAL_QUESTION)
    action_proxy.late_seconds, action_proxy.mode = 5.0, "late"
    try:
        first = wecom.push(message)
        retry = wecom.push(message)
        sent = wechat_api.wait_sent(member, 1, timeout=90)
    finally:
        action_proxy.mode = "pass"
    assert first.raw == EMPTY_REPLY and retry.raw == EMPTY_REPLY
    assert len(sent) == 1 and sent[0].path == "/cgi-bin/message/send"
    assert sent[0].body["agentid"] == AGENT_ID and NORMAL_ANSWER in sent[0].text
