"""One assistant with the Official Account channel (safe mode, WeChat's recommended one) and the WeCom channel switched on, its API calls going to a stand-in on loopback, and
its action calls through a proxy that can make turns slow."""
from __future__ import annotations

from typing import Iterator

import pytest

from bot.pseudonyms import Pseudonyms
from bot.run import free_port
from tests.faults.proxy import ActionProxy
from tests.load.harness import LiveAssistant
from bot.wechat.stand_in import FakeWeChatApi
from bot.wechat.peer import OfficialAccountServer, WeComServer, aes_key

APP_ID, CORP_ID, AGENT_ID = "wx0123456789abcdef", "ww0123456789abcdef", 1000002


@pytest.fixture(scope="package")
def wechat_api() -> Iterator[FakeWeChatApi]:
    api = FakeWeChatApi().start()
    yield api
    api.stop()


@pytest.fixture(scope="package")
def action_proxy() -> Iterator[ActionProxy]:
    proxy = ActionProxy(free_port(), target=lambda: 0)
    proxy.open()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="package")
def settings() -> dict[str, str]:
    return {"YIBAO_WECHAT_TOKEN": "yibaoToken2026", "YIBAO_WECHAT_APPID": APP_ID,
            "YIBAO_WECHAT_APPSECRET": "appsecret-for-tests", "YIBAO_WECHAT_AES_KEY": aes_key(),
            "YIBAO_WECHAT_MODE": "safe",
            "YIBAO_WECOM_TOKEN": "wecomToken2026", "YIBAO_WECOM_CORPID": CORP_ID,
            "YIBAO_WECOM_SECRET": "corpsecret-for-tests", "YIBAO_WECOM_AGENTID": str(AGENT_ID),
            "YIBAO_WECOM_AES_KEY": aes_key()}


@pytest.fixture(scope="package")
def assistant(tmp_path_factory: pytest.TempPathFactory, wechat_api: FakeWeChatApi,
              action_proxy: ActionProxy, settings: dict[str, str]) -> Iterator[LiveAssistant]:
    env = {**settings, "YIBAO_WECHAT_API_BASE": wechat_api.base, "YIBAO_WECOM_API_BASE": wechat_api.base,
           # a slow turn here is slow actions: each call may take long, the turn goes on
           "YIBAO_ACTION_TIMEOUT": "30"}
    with LiveAssistant.start(tmp_path_factory.mktemp("wechat"), action_url=action_proxy.url,
                             rasa_env=env) as a:
        action_proxy.target = lambda: a.action_port
        yield a


@pytest.fixture
def wechat(assistant: LiveAssistant, settings: dict[str, str]) -> OfficialAccountServer:
    return OfficialAccountServer(assistant.base_url + "/webhooks/wechat/", settings["YIBAO_WECHAT_TOKEN"],
                                 APP_ID, settings["YIBAO_WECHAT_AES_KEY"])


@pytest.fixture
def wecom(assistant: LiveAssistant, settings: dict[str, str]) -> WeComServer:
    return WeComServer(assistant.base_url + "/webhooks/wecom/", settings["YIBAO_WECOM_TOKEN"],
                       CORP_ID, AGENT_ID, settings["YIBAO_WECOM_AES_KEY"])


def stored_as(assistant: LiveAssistant, kind: str, user: str) -> str:
    """The conversation id the tracker keeps a WeChat user under."""
    return Pseudonyms(assistant.secret.encode("utf-8")).of(kind, user)
