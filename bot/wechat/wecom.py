"""The WeCom (企业微信) self-built app channel (credentials.yml: `bot.wechat.wecom.WeComInput`), at
/webhooks/wecom/. Off (404) unless $YIBAO_WECOM_TOKEN is set (bot.wechat.settings).

WeCom always encrypts: the GET check decrypts `echostr` (signed with `msg_signature`), every POST
message is decrypted and every reply encrypted, with wechatpy.enterprise's WeChatCrypto. Later
answers go out as app messages (应用消息, `message/send` to the member). Everything else, from
the 5-second rule to numbered options, is bot.wechat.base, as for the Official Account.
"""
from __future__ import annotations

from typing import Any, Dict, Optional, Text

from sanic.request import Request
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.enterprise.replies import TextReply
from wechatpy.exceptions import InvalidSignatureException

from bot.pseudonyms import server_pseudonyms
from bot.web.rate_limits import Limiter
from bot.web.safety import Limits

from . import wording
from .api import WeComMessageClient
from .base import Refusal, WeChatFamilyInput
from .desk import Desk
from .ledger import ledger_from_environment
from .settings import Timing, WeComApp


def _arg(request: Request, name: str) -> str:
    return str(request.args.get(name) or "")


class WeComInput(WeChatFamilyInput):
    pseudonym_kind = "wecom"

    @classmethod
    def name(cls) -> Text:
        return "wecom"

    def __init__(self, settings: WeComApp | None, desk: Desk | None = None,
                 client: WeComMessageClient | None = None, limits: Limits = Limits(),
                 limiter: Limiter | None = None) -> None:
        super().__init__(settings is not None, server_pseudonyms() if settings else None, desk,
                         limits, limiter)
        self.settings = settings
        self.client = client
        self.crypto = (WeChatCrypto(settings.token, settings.aes_key, settings.corp_id)
                       if settings is not None else None)

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeComInput":
        settings = WeComApp.from_environment()
        if settings is None:
            return cls(None)
        timing = Timing.from_credentials(credentials)
        return cls(settings, Desk(ledger_from_environment(timing.ledger_seconds), timing),
                   WeComMessageClient(settings), Limits.from_credentials(credentials),
                   Limiter.from_environment())

    def verified_echo(self, request: Request) -> str:
        assert self.crypto is not None
        try:
            return self.crypto.check_signature(_arg(request, "msg_signature"), _arg(request, "timestamp"),
                                               _arg(request, "nonce"), _arg(request, "echostr"))
        except (InvalidSignatureException, InvalidCorpIdException):
            raise Refusal(403, wording.BAD_SIGNATURE) from None
        except Exception:
            raise Refusal(400, wording.BAD_MESSAGE) from None

    def opened(self, request: Request) -> bytes:
        assert self.crypto is not None
        try:
            return self.crypto.decrypt_message(request.body, _arg(request, "msg_signature"),
                                               _arg(request, "timestamp"), _arg(request, "nonce")).encode("utf-8")
        except (InvalidSignatureException, InvalidCorpIdException):
            raise Refusal(403, wording.BAD_SIGNATURE) from None
        except Exception:
            raise Refusal(400, wording.BAD_MESSAGE) from None

    def sealed(self, request: Request, reply_xml: str) -> str:
        assert self.crypto is not None
        return self.crypto.encrypt_message(reply_xml, _arg(request, "nonce"), _arg(request, "timestamp"))

    def parse(self, xml: bytes) -> Any:
        return parse_message(xml)

    def reply_xml(self, message: Any, text: str) -> str:
        return TextReply(message=message, content=text).render()

    async def send_later(self, user: str, text: str) -> None:
        assert self.client is not None
        await self.client.send_text(user, text)
