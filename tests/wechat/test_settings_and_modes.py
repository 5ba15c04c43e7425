"""Settings checked at start; the three message modes of the 公众平台 (plain, compatible, safe);
the access token fetched once and refreshed before it expires."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Iterator

import pytest
import xmltodict
from wechatpy.session.memorystorage import MemoryStorage

from bot.pseudonyms import server_pseudonyms
from bot.wechat.api import CustomerServiceClient
from bot.wechat.base import Refusal
from bot.wechat.channel import WeChatInput
from bot.wechat.settings import OfficialAccount, SettingsError, Timing, WeComApp
from bot.wechat.stand_in import FakeWeChatApi
from bot.wechat.peer import aes_key, signature, text_message, xml

TOKEN, APP_ID = "tok", "wx0000000000000001"


@dataclass
class SignedRequest:
    """What the channel reads of a request: its query arguments and body."""

    args: dict[str, str]
    body: bytes = b""


def environment(**extra: str) -> dict[str, str]:
    return {"YIBAO_WECHAT_TOKEN": TOKEN, "YIBAO_WECHAT_APPID": APP_ID, "YIBAO_WECHAT_AES_KEY": aes_key(),
            **extra}


def test_the_channel_is_off_without_a_token_and_settings_are_checked() -> None:
    assert OfficialAccount.from_environment({}) is None and WeComApp.from_environment({}) is None
    assert OfficialAccount.from_environment(environment()).mode == "safe"
    with pytest.raises(SettingsError, match="YIBAO_WECHAT_MODE"):
        OfficialAccount.from_environment(environment(YIBAO_WECHAT_MODE="secure"))
    with pytest.raises(SettingsError, match="43"):
        OfficialAccount.from_environment(environment(YIBAO_WECHAT_AES_KEY="short"))
    assert OfficialAccount.from_environment(environment(YIBAO_WECHAT_MODE="plain",
                                                        YIBAO_WECHAT_AES_KEY="")).mode == "plain"
    with pytest.raises(SettingsError, match="APPID"):
        OfficialAccount.from_environment({"YIBAO_WECHAT_TOKEN": TOKEN})
    with pytest.raises(SettingsError, match="AGENTID"):
        WeComApp.from_environment({"YIBAO_WECOM_TOKEN": TOKEN, "YIBAO_WECOM_CORPID": "ww1"})
    with pytest.raises(SettingsError, match="https"):
        OfficialAccount.from_environment(environment(YIBAO_WECHAT_API_BASE="ftp://x"))
    with pytest.raises(SettingsError, match="passive_budget_seconds"):
        Timing.from_credentials({"passive_budget_seconds": 5})


@pytest.fixture
def channel_of(monkeypatch: pytest.MonkeyPatch):
    # the channel reads the server secret through a per-process cache: this test's secret must
    # not stay there for the tests after it
    monkeypatch.setenv("YIBAO_SENDER_SECRET", "s" * 64)
    server_pseudonyms.cache_clear()

    def make(mode: str) -> WeChatInput:
        return WeChatInput(OfficialAccount.from_environment(environment(YIBAO_WECHAT_MODE=mode)))
    yield make
    server_pseudonyms.cache_clear()


def signed(body: str, **extra: str) -> SignedRequest:
    timestamp, nonce = str(int(time.time())), "abc123"
    return SignedRequest({"signature": signature(TOKEN, timestamp, nonce), "timestamp": timestamp,
                          "nonce": nonce, **extra}, body.encode("utf-8"))


def encrypted(channel: WeChatInput, body: str) -> SignedRequest:
    timestamp, nonce = str(int(time.time())), "abc123"
    sealed = xmltodict.parse(channel.crypto.encrypt_message(body, nonce, timestamp))["xml"]
    return SignedRequest({"signature": signature(TOKEN, timestamp, nonce), "timestamp": timestamp,
                          "nonce": nonce, "encrypt_type": "aes", "msg_signature": sealed["MsgSignature"]},
                         xml({"ToUserName": "gh_1", "Encrypt": sealed["Encrypt"]}).encode("utf-8"))


MESSAGE = xml(text_message("oUser1", "断保两年要等多久"))


def test_compatible_mode_takes_plain_and_encrypted_and_answers_in_kind(channel_of) -> None:
    channel = channel_of("compatible")
    plain = signed(MESSAGE)
    assert channel.opened(plain) == MESSAGE.encode("utf-8")
    assert channel.sealed(plain, "<xml>r</xml>") == "<xml>r</xml>"
    sealed_request = encrypted(channel, MESSAGE)
    assert channel.opened(sealed_request) == MESSAGE.encode("utf-8")
    reply = channel.sealed(sealed_request, "<xml>r</xml>")
    assert "<Encrypt>" in reply and "<xml>r</xml>" not in reply


def test_safe_mode_refuses_plain_and_plain_mode_refuses_encrypted(channel_of) -> None:
    with pytest.raises(Refusal) as refused:
        channel_of("safe").opened(signed(MESSAGE))
    assert refused.value.status == 403
    plain_channel = channel_of("plain")
    assert plain_channel.opened(signed(MESSAGE)) == MESSAGE.encode("utf-8")
    with pytest.raises(Refusal) as refused:
        plain_channel.opened(encrypted(channel_of("safe"), MESSAGE))
    assert refused.value.status == 400


def test_an_unsigned_request_is_refused_in_every_mode(channel_of) -> None:
    for mode in ("plain", "compatible", "safe"):
        request = signed(MESSAGE)
        request.args["signature"] = "0" * 40
        with pytest.raises(Refusal) as refused:
            channel_of(mode).opened(request)
        assert refused.value.status == 403


@pytest.fixture
def api() -> Iterator[FakeWeChatApi]:
    fake = FakeWeChatApi(token_seconds=7200).start()
    yield fake
    fake.stop()


def client_for(api: FakeWeChatApi) -> CustomerServiceClient:
    settings = OfficialAccount(TOKEN, APP_ID, "secret", aes_key(), "safe", api.base)
    return CustomerServiceClient(settings, session=MemoryStorage())


def test_the_access_token_is_fetched_once_by_many_senders_at_once(api: FakeWeChatApi) -> None:
    client = client_for(api)
    threads = [threading.Thread(target=client.message.send_text, args=(f"o{i}", "您好")) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert api.token_fetches == 1 and len(api.sent) == 8
    assert {s.token for s in api.sent} == {api.issued[0]}


def test_the_access_token_is_refreshed_before_it_expires(api: FakeWeChatApi) -> None:
    api.token_seconds = 61          # wechatpy refreshes a token with a minute or less left
    client = client_for(api)
    client.message.send_text("o1", "一")
    time.sleep(1.1)
    client.message.send_text("o1", "二")
    assert api.token_fetches == 2 and [s.token for s in api.sent] == api.issued


def test_a_revoked_token_is_fetched_again_and_the_message_still_goes(api: FakeWeChatApi) -> None:
    client = client_for(api)
    client.message.send_text("o1", "一")
    api.issued.clear()              # WeChat no longer takes it (errcode 40001)
    client.message.send_text("o1", "二")
    assert api.token_fetches == 2 and [s.text for s in api.sent] == ["一", "二"]
