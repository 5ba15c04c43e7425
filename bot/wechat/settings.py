"""The WeChat channels' settings: secrets from the environment, limits from credentials.yml.

Official Account (公众号, bot.wechat.channel), from the 公众平台's 基本配置:
  YIBAO_WECHAT_TOKEN           the server-configuration token (signatures); unset: channel off
  YIBAO_WECHAT_APPID           AppID
  YIBAO_WECHAT_APPSECRET       AppSecret (the customer-service API's access token)
  YIBAO_WECHAT_AES_KEY         EncodingAESKey (43 characters), needed in compatible and safe mode
  YIBAO_WECHAT_MODE            plain | compatible | safe (明文 / 兼容 / 安全模式), default safe
WeCom self-built app (企业微信自建应用, bot.wechat.wecom), from the app's 接收消息 settings:
  YIBAO_WECOM_TOKEN, YIBAO_WECOM_AES_KEY, YIBAO_WECOM_CORPID, YIBAO_WECOM_SECRET, YIBAO_WECOM_AGENTID
Both:
  YIBAO_WECHAT_API_BASE / YIBAO_WECOM_API_BASE   the API's base address (default WeChat's own;
                               the tests point it at a stand-in on loopback)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Mapping

OA_API_BASE = "https://api.weixin.qq.com/cgi-bin/"
WECOM_API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
MODES = ("plain", "compatible", "safe")
AES_KEY_CHARS = 43
# WeChat waits 5 s for a reply, then retries (three times in all). A turn done within this
# budget is answered in the reply itself; a slower one through the customer-service API.
PASSIVE_BUDGET_SECONDS = 4.0
# How long a message id is remembered, so that WeChat's retries never run a turn twice.
LEDGER_SECONDS = 300


class SettingsError(ValueError):
    """A setting the channel cannot start with; the message names it, in Chinese."""


@dataclass(frozen=True)
class Timing:
    """credentials.yml: how long to wait for a turn before replying later, and how long message
    ids are remembered."""

    passive_budget: float = PASSIVE_BUDGET_SECONDS
    ledger_seconds: int = LEDGER_SECONDS

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> "Timing":
        c = credentials or {}
        timing = cls(float(c.get("passive_budget_seconds", PASSIVE_BUDGET_SECONDS)),
                     int(c.get("ledger_seconds", LEDGER_SECONDS)))
        if not 0 < timing.passive_budget < 5:
            raise SettingsError("credentials.yml 中 passive_budget_seconds 必须大于 0 且小于 5(微信等待 5 秒)")
        if timing.ledger_seconds < 60:
            raise SettingsError("credentials.yml 中 ledger_seconds 至少为 60(微信在约 15 秒内重试)")
        return timing


def _check_aes_key(name: str, key: str) -> str:
    if len(key) != AES_KEY_CHARS:
        raise SettingsError(f"环境变量 {name} 应为 {AES_KEY_CHARS} 个字符的 EncodingAESKey,现在是 {len(key)} 个")
    return key


@dataclass(frozen=True)
class OfficialAccount:
    token: str = field(repr=False)
    app_id: str
    app_secret: str = field(repr=False)
    aes_key: str = field(repr=False)
    mode: str = "safe"
    api_base: str = OA_API_BASE

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "OfficialAccount | None":
        """The settings, or None when no token is set (the channel is then off)."""
        token = environ.get("YIBAO_WECHAT_TOKEN") or ""
        if not token:
            return None
        mode = (environ.get("YIBAO_WECHAT_MODE") or "safe").strip().lower()
        if mode not in MODES:
            raise SettingsError(f"环境变量 YIBAO_WECHAT_MODE 应为 {' / '.join(MODES)} 之一,现在是 {mode!r}")
        app_id = environ.get("YIBAO_WECHAT_APPID") or ""
        if not app_id:
            raise SettingsError("已设置 YIBAO_WECHAT_TOKEN,还需要设置 YIBAO_WECHAT_APPID")
        aes_key = environ.get("YIBAO_WECHAT_AES_KEY") or ""
        if mode != "plain":
            _check_aes_key("YIBAO_WECHAT_AES_KEY", aes_key)
        return cls(token, app_id, environ.get("YIBAO_WECHAT_APPSECRET") or "", aes_key, mode,
                   _base(environ.get("YIBAO_WECHAT_API_BASE"), OA_API_BASE))


@dataclass(frozen=True)
class WeComApp:
    token: str = field(repr=False)
    corp_id: str
    secret: str = field(repr=False)
    agent_id: int
    aes_key: str = field(repr=False)
    api_base: str = WECOM_API_BASE

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "WeComApp | None":
        token = environ.get("YIBAO_WECOM_TOKEN") or ""
        if not token:
            return None
        corp_id = environ.get("YIBAO_WECOM_CORPID") or ""
        agent = environ.get("YIBAO_WECOM_AGENTID") or ""
        if not corp_id or not agent.isdigit():
            raise SettingsError("已设置 YIBAO_WECOM_TOKEN,还需要设置 YIBAO_WECOM_CORPID 和数字的 YIBAO_WECOM_AGENTID")
        return cls(token, corp_id, environ.get("YIBAO_WECOM_SECRET") or "", int(agent),
                   _check_aes_key("YIBAO_WECOM_AES_KEY", environ.get("YIBAO_WECOM_AES_KEY") or ""),
                   _base(environ.get("YIBAO_WECOM_API_BASE"), WECOM_API_BASE))


def _base(given: str | None, default: str) -> str:
    base = (given or default).strip()
    if not base.startswith(("https://", "http://")):
        raise SettingsError(f"接口地址 {base!r} 应以 https:// 开头")
    return base if base.endswith("/") else base + "/"
