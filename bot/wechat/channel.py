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

from typing import Any, Dict, Optional, Text

from sanic.request import Request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.pseudonyms import server_pseudonyms
from bot.web.rate_limits import Limiter
from bot.web.safety import Limits

from . import wording
from .api import CustomerServiceClient
from .base import Refusal, WeChatFamilyInput
from .desk import Desk
from .ledger import ledger_from_environment
from .settings import OfficialAccount, Timing


def _arg(request: Request, name: str) -> str:
    return str(request.args.get(name) or "")


class WeChatInput(WeChatFamilyInput):
    pseudonym_kind = "wechat"

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    def __init__(self, settings: OfficialAccount | None, desk: Desk | None = None,
                 client: CustomerServiceClient | None = None, limits: Limits = Limits(),
                 limiter: Limiter | None = None) -> None:
        super().__init__(settings is not None, server_pseudonyms() if settings else None, desk,
                         limits, limiter)
        self.settings = settings
        self.client = client
        self.crypto = (WeChatCrypto(settings.token, settings.aes_key, settings.app_id)
                       if settings is not None and settings.mode != "plain" else None)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        settings = OfficialAccount.from_environment()
        if settings is None:
            return cls(None)
        timing = Timing.from_credentials(credentials)
        return cls(settings, Desk(ledger_from_environment(timing.ledger_seconds), timing),
                   CustomerServiceClient(settings), Limits.from_credentials(credentials),
                   Limiter.from_environment())

    def _signed(self, request: Request) -> None:
        assert self.settings is not None
        try:
            check_signature(self.settings.token, _arg(request, "signature"), _arg(request, "timestamp"),
                            _arg(request, "nonce"))
        except InvalidSignatureException:
            raise Refusal(403, wording.BAD_SIGNATURE) from None

    def verified_echo(self, request: Request) -> str:
        self._signed(request)
        return _arg(request, "echostr")

    def _encrypted(self, request: Request) -> bool:
        return _arg(request, "encrypt_type").lower() == "aes"

    def opened(self, request: Request) -> bytes:
        assert self.settings is not None
        self._signed(request)
        encrypted = self._encrypted(request)
        if self.settings.mode == "safe" and not encrypted:
            raise Refusal(403, wording.BAD_SIGNATURE)
        if not encrypted:
            return request.body
        if self.crypto is None:           # plain mode has no key to decrypt with
            raise Refusal(400, wording.BAD_MESSAGE)
        try:
            return self.crypto.decrypt_message(request.body, _arg(request, "msg_signature"),
                                               _arg(request, "timestamp"), _arg(request, "nonce")).encode("utf-8")
        except (InvalidSignatureException, InvalidAppIdException):
            raise Refusal(403, wording.BAD_SIGNATURE) from None
        except Exception:
            raise Refusal(400, wording.BAD_MESSAGE) from None

    def sealed(self, request: Request, reply_xml: str) -> str:
        if self.crypto is None or not self._encrypted(request):
            return reply_xml
        return self.crypto.encrypt_message(reply_xml, _arg(request, "nonce"), _arg(request, "timestamp"))

    def parse(self, xml: bytes) -> Any:
        return parse_message(xml)

    def reply_xml(self, message: Any, text: str) -> str:
        return TextReply(message=message, content=text).render()

    async def send_later(self, user: str, text: str) -> None:
        assert self.client is not None
        await self.client.send_text(user, text)
