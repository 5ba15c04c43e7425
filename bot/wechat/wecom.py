"""The WeCom (企业微信) self-built app channel (credentials.yml: `bot.wechat.wecom.WeComInput`), at
/webhooks/wecom/. Off (404) unless $YIBAO_WECOM_TOKEN is set (bot.wechat.settings).

WeCom always encrypts: the GET check decrypts `echostr` (signed with `msg_signature`), every POST
message is decrypted and every reply encrypted, with wechatpy.enterprise's WeChatCrypto. Later
answers go out as app messages (应用消息, `message/send` to the member). Everything else, from
the 5-second rule to numbered options, is bot.wechat.base, as for the Official Account.
"""
from __future__ import annotations

from typing import Text

from sanic.request import Request
from wechatpy.enterprise import parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException
from wechatpy.enterprise.replies import TextReply
from wechatpy.exceptions import InvalidSignatureException

from . import wording
from .api import WeComMessageClient
from .base import Refusal, WeChatFamilyInput, decrypted, query_arg
from .settings import WeComApp


class WeComInput(WeChatFamilyInput):
    pseudonym_kind = "wecom"
    settings_class = WeComApp
    client_class = WeComMessageClient
    parse_xml = staticmethod(parse_message)
    reply_class = TextReply

    @classmethod
    def name(cls) -> Text:
        return "wecom"

    def crypto_for(self, settings: WeComApp) -> WeChatCrypto:
        return WeChatCrypto(settings.token, settings.aes_key, settings.corp_id)

    def verified_echo(self, request: Request) -> str:
        try:
            return self.crypto.check_signature(query_arg(request, "msg_signature"), query_arg(request, "timestamp"),
                                               query_arg(request, "nonce"), query_arg(request, "echostr"))
        except (InvalidSignatureException, InvalidCorpIdException):
            raise Refusal(403, wording.BAD_SIGNATURE) from None
        except Exception:
            raise Refusal(400, wording.BAD_MESSAGE) from None

    def opened(self, request: Request) -> bytes:
        return decrypted(self.crypto, request, (InvalidSignatureException, InvalidCorpIdException))

    def sealed(self, request: Request, reply_xml: str) -> str:
        return self.crypto.encrypt_message(reply_xml, query_arg(request, "nonce"), query_arg(request, "timestamp"))
