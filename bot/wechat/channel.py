"""The WeChat Official Account channel (公众号服务器配置; credentials.yml: `bot.wechat.channel.WeChatInput`),
at /webhooks/wechat/. Off (404) unless $YIBAO_WECHAT_TOKEN is set (bot.wechat.settings).

- GET: the server-address check: `signature` over token, `timestamp`, `nonce` → `echostr`.
- POST: every request must carry a valid `signature` (403 otherwise). In safe mode the message
  must come encrypted (`encrypt_type=aes`, checked with `msg_signature`, decrypted with the
  EncodingAESKey) and the reply goes back encrypted; compatible mode takes both; plain mode
  takes plain messages only. Signatures, AES and XML are wechatpy's (WeChatCrypto,
  parse_message, TextReply).
- Text, and voice with WeChat's `Recognition`, are what the resident says; following the account
  greets; a menu `CLICK` whose EventKey is a starter key (bot.dialogue.starters) asks its
  question; pictures, locations and the like get a polite reply; other events get none.
Shared behaviour (privacy screen, numbered options, the 5-second rule) is in bot.wechat.base.
"""
from __future__ import annotations

from typing import Text

from sanic.request import Request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from . import wording
from .api import CustomerServiceClient
from .base import Refusal, WeChatFamilyInput, decrypted, query_arg
from .settings import OfficialAccount


class WeChatInput(WeChatFamilyInput):
    pseudonym_kind = "wechat"
    settings_class = OfficialAccount
    client_class = CustomerServiceClient
    parse_xml = staticmethod(parse_message)
    reply_class = TextReply

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    def crypto_for(self, settings: OfficialAccount) -> WeChatCrypto | None:
        return None if settings.mode == "plain" else WeChatCrypto(settings.token, settings.aes_key, settings.app_id)

    def _signed(self, request: Request) -> None:
        try:
            check_signature(self.settings.token, query_arg(request, "signature"),
                            query_arg(request, "timestamp"), query_arg(request, "nonce"))
        except InvalidSignatureException:
            raise Refusal(403, wording.BAD_SIGNATURE) from None

    def verified_echo(self, request: Request) -> str:
        self._signed(request)
        return query_arg(request, "echostr")

    @staticmethod
    def _encrypted(request: Request) -> bool:
        return query_arg(request, "encrypt_type").lower() == "aes"

    def opened(self, request: Request) -> bytes:
        self._signed(request)
        encrypted = self._encrypted(request)
        if self.settings.mode == "safe" and not encrypted:
            raise Refusal(403, wording.BAD_SIGNATURE)
        if not encrypted:
            return request.body
        if self.crypto is None:           # plain mode has no key to decrypt with
            raise Refusal(400, wording.BAD_MESSAGE)
        return decrypted(self.crypto, request, (InvalidSignatureException, InvalidAppIdException))

    def sealed(self, request: Request, reply_xml: str) -> str:
        if self.crypto is None or not self._encrypted(request):
            return reply_xml
        return self.crypto.encrypt_message(reply_xml, query_arg(request, "nonce"), query_arg(request, "timestamp"))
