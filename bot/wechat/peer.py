"""WeChat's side of the Official Account and WeCom protocols: requests built, signed and encrypted
with wechatpy exactly as WeChat's servers send them, replies checked and decrypted with wechatpy.
For trying the channels without WeChat (bot.wechat.try_locally), the tests and the benchmark.

Messages are the XML WeChat pushes (xmltodict, which wechatpy itself parses with); the
signature is wechatpy's WeChatSigner over token, timestamp and nonce; encryption is wechatpy's
WeChatCrypto (AES-CBC with the EncodingAESKey, PKCS#7, the AppID/CorpID appended).
"""
from __future__ import annotations

import itertools
import secrets
import string
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Iterator

import xmltodict
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise import parse_message as parse_wecom_message
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.utils import WeChatSigner


ACCOUNT = "gh_yibao0000001"


@dataclass(frozen=True)
class Reply:
    status: int
    body: str


def http(url: str, raw: bytes | None = None, method: str = "GET", timeout: float = 30,
         headers: dict[str, str] | None = None) -> Reply:
    """One request; any HTTP status is returned, never raised."""
    request = urllib.request.Request(url, data=raw, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode("utf-8", "replace"))


def aes_key() -> str:
    """A fresh EncodingAESKey (43 characters of base64 without the '=')."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(43))


def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


_ids = itertools.count(int(time.time()) * 1000)


def message_id() -> int:
    return next(_ids)


def text_message(user: str, content: str, msg_id: int | None = None) -> dict[str, Any]:
    return {"ToUserName": ACCOUNT, "FromUserName": user, "CreateTime": str(int(time.time())),
            "MsgType": "text", "Content": content, "MsgId": str(msg_id or message_id())}


def voice_message(user: str, recognition: str | None) -> dict[str, Any]:
    body = {"ToUserName": ACCOUNT, "FromUserName": user, "CreateTime": str(int(time.time())),
            "MsgType": "voice", "MediaId": secrets.token_hex(8), "Format": "amr",
            "MsgId": str(message_id())}
    if recognition is not None:
        body["Recognition"] = recognition
    return body


def event(user: str, name: str, key: str | None = None) -> dict[str, Any]:
    body = {"ToUserName": ACCOUNT, "FromUserName": user, "CreateTime": str(int(time.time())),
            "MsgType": "event", "Event": name}
    if key is not None:
        body["EventKey"] = key
    return body


def xml(fields: dict[str, Any]) -> str:
    return xmltodict.unparse({"xml": fields}, full_document=False)


@dataclass(frozen=True)
class Answer:
    """What WeChat got back for one request."""

    status: int
    raw: str
    text: str          # the reply's Content ("" for «success»)
    encrypted: bool


@dataclass
class OfficialAccountServer:
    """WeChat's servers talking to one Official Account's server address."""

    url: str                 # …/webhooks/wechat/
    token: str
    app_id: str
    aes: str
    crypto: WeChatCrypto = field(init=False)

    def __post_init__(self) -> None:
        self.crypto = WeChatCrypto(self.token, self.aes, self.app_id)

    def _query(self, nonce: str, timestamp: str, **extra: str) -> str:
        params = {"signature": signature(self.token, timestamp, nonce), "timestamp": timestamp,
                  "nonce": nonce, **extra}
        return "&".join(f"{k}={v}" for k, v in params.items())

    def verify(self, echostr: str, bad: bool = False) -> Reply:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        query = self._query(nonce, timestamp, echostr=echostr)
        if bad:
            query = query.replace("signature=", "signature=0", 1)
        return http(f"{self.url}?{query}")

    def push(self, fields: dict[str, Any] | str, encrypted: bool = True, bad_signature: bool = False,
             timeout: float = 30) -> Answer:
        """One request as WeChat sends it; the reply read (and decrypted) as WeChat reads it."""
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        body = fields if isinstance(fields, str) else xml(fields)
        extra: dict[str, str] = {"openid": "" if isinstance(fields, str) else fields.get("FromUserName", "")}
        if encrypted:
            sealed = xmltodict.parse(self.crypto.encrypt_message(body, nonce, timestamp))["xml"]
            body = xml({"ToUserName": ACCOUNT, "Encrypt": sealed["Encrypt"]})
            extra.update(encrypt_type="aes", msg_signature=sealed["MsgSignature"])
        query = self._query(nonce, timestamp, **extra)
        if bad_signature:
            query = query.replace("signature=", "signature=0", 1)
        reply = http(f"{self.url}?{query}", raw=body.encode("utf-8"), method="POST", timeout=timeout,
                     headers={"Content-Type": "text/xml"})
        return self.read(reply, nonce, timestamp)

    def read(self, reply: Reply, nonce: str, timestamp: str) -> Answer:
        raw = reply.body
        if reply.status != 200 or not raw.startswith("<xml>"):
            return Answer(reply.status, raw, "", False)
        outer = xmltodict.parse(raw)["xml"]
        if "Encrypt" in outer:
            assert outer["TimeStamp"] == timestamp and outer["Nonce"] == nonce
            inner = self.crypto.decrypt_message(raw, outer["MsgSignature"], timestamp, nonce)
            return Answer(reply.status, raw, parse_message(inner).content, True)
        return Answer(reply.status, raw, parse_message(raw).content, False)


@dataclass
class WeComServer:
    """WeCom's servers talking to one self-built app's callback address."""

    url: str                 # …/webhooks/wecom/
    token: str
    corp_id: str
    agent_id: int
    aes: str
    crypto: WeComCrypto = field(init=False)

    def __post_init__(self) -> None:
        self.crypto = WeComCrypto(self.token, self.aes, self.corp_id)

    def verify(self, echo: str) -> Reply:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        sealed = xmltodict.parse(self.crypto.encrypt_message(echo, nonce, timestamp))["xml"]
        query = (f"msg_signature={sealed['MsgSignature']}&timestamp={timestamp}&nonce={nonce}"
                 f"&echostr={_quote(sealed['Encrypt'])}")
        return http(f"{self.url}?{query}")

    def text(self, user: str, content: str) -> dict[str, Any]:
        return {"ToUserName": self.corp_id, "FromUserName": user, "CreateTime": str(int(time.time())),
                "MsgType": "text", "Content": content, "MsgId": str(message_id()),
                "AgentID": str(self.agent_id)}

    def push(self, fields: dict[str, Any], timeout: float = 30) -> Answer:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        sealed = xmltodict.parse(self.crypto.encrypt_message(xml(fields), nonce, timestamp))["xml"]
        body = xml({"ToUserName": self.corp_id, "AgentID": str(self.agent_id), "Encrypt": sealed["Encrypt"]})
        query = f"msg_signature={sealed['MsgSignature']}&timestamp={timestamp}&nonce={nonce}"
        reply = http(f"{self.url}?{query}", raw=body.encode("utf-8"), method="POST", timeout=timeout,
                     headers={"Content-Type": "text/xml"})
        raw = reply.body
        if reply.status != 200 or not raw.startswith("<xml>"):
            return Answer(reply.status, raw, "", False)
        outer = xmltodict.parse(raw)["xml"]
        inner = self.crypto.decrypt_message(raw, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return Answer(reply.status, raw, parse_wecom_message(inner).content, True)


def _quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def users() -> Iterator[str]:
    """Fresh OpenID-like ids."""
    while True:
        yield "o" + secrets.token_urlsafe(20)
