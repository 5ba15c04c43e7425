"""The WeChat APIs the channels call: customer-service messages (公众号 客服消息) and WeCom app
messages, through wechatpy's clients, with the base address configurable and the access token
kept well.

The access token (valid 2 h) is fetched on first use and cached in wechatpy's session storage:
in the servers' shared Redis when there is one (so all servers use one token), else in memory.
It is refreshed before it expires (wechatpy's clients refresh in the last minute) and one
refresh at a time in this process (a lock around the check and the fetch). Two servers
refreshing at once do no harm: WeChat keeps the previous token valid for five minutes. Calls are
blocking (requests), so the channels run them in a worker thread.
"""
from __future__ import annotations

import asyncio
import logging
import os
import threading
from typing import Any, Mapping

import redis
from wechatpy import WeChatClient
from wechatpy.enterprise import WeChatClient as WeComClient
from wechatpy.session import SessionStorage
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

from bot.web.rate_limits import storage_uri

from .settings import OfficialAccount, WeComApp

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


def token_storage(environ: Mapping[str, str] = os.environ) -> SessionStorage:
    uri = storage_uri(environ)
    if uri.startswith("memory:"):
        return MemoryStorage()
    return RedisStorage(redis.Redis.from_url(uri, socket_timeout=2.0), prefix="yibao:wechat")


class _OneRefreshAtATime:
    """Mixed into a wechatpy client: the token check-and-fetch under one lock."""

    _refresh: threading.Lock

    @property
    def access_token(self) -> str:
        with self._refresh:
            return super().access_token  # type: ignore[misc]


class CustomerServiceClient(_OneRefreshAtATime, WeChatClient):
    """The Official Account's API (客服消息) at a configurable base address."""

    def __init__(self, settings: OfficialAccount, session: SessionStorage | None = None) -> None:
        super().__init__(settings.app_id, settings.app_secret, session=session or token_storage(),
                         timeout=TIMEOUT_SECONDS)
        self.API_BASE_URL = settings.api_base
        self._refresh = threading.Lock()

    def fetch_access_token(self) -> dict[str, Any]:
        return self._fetch_access_token(url=self.API_BASE_URL + "token",
                                        params={"grant_type": "client_credential",
                                                "appid": self.appid, "secret": self.secret})

    async def send_text(self, open_id: str, text: str) -> None:
        await asyncio.to_thread(self.message.send_text, open_id, text)


class WeComMessageClient(_OneRefreshAtATime, WeComClient):
    """A WeCom self-built app's API (应用消息) at a configurable base address."""

    def __init__(self, settings: WeComApp, session: SessionStorage | None = None) -> None:
        super().__init__(settings.corp_id, settings.secret, session=session or token_storage(),
                         timeout=TIMEOUT_SECONDS)
        self.API_BASE_URL = settings.api_base
        self.agent_id = settings.agent_id
        self._refresh = threading.Lock()

    def fetch_access_token(self) -> dict[str, Any]:
        return self._fetch_access_token(url=self.API_BASE_URL + "gettoken",
                                        params={"corpid": self.corp_id, "corpsecret": self.secret})

    async def send_text(self, user_id: str, text: str) -> None:
        await asyncio.to_thread(self.message.send_text, self.agent_id, user_id, text)
