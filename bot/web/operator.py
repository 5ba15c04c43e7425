"""The operator page at /operator: hand-off requests for a person to take up.

Off (404, a polite Chinese text) unless $YIBAO_OPERATOR_TOKEN is set (bot.web.operator_access).
Routes, all under /operator:

- GET  /                         the page (static/operator.html), strict CSP, never framed
- GET  /static/<name>            operator.js, operator.css (a fixed list, read once at start)
- POST /api/session              `{"token", "name"}` → sets the operator cookie (HttpOnly,
                                 SameSite=Strict, Path=/operator, Secure over https), 12 hours;
                                 after 10 wrong tokens from a client address in a minute, 429
- POST /api/signout              clears it
- GET  /api/requests             `{"operator", "requests": [...]}`: the 50 newest requests, newest
                                 first (bot.web.operator_view: time, channel, region, what the
                                 resident said, the masked conversation up to the request, state)
- POST /api/requests/<id>/claim  new → claimed by the signed-in operator (409 when another has it)
- POST /api/requests/<id>/done   claimed → done, by the operator who claimed it only

Everything but the page and its files needs the cookie (401 otherwise). A POST must carry a JSON
body (Content-Type: application/json) and, when the browser says where it comes from (Origin,
Sec-Fetch-Site), come from this site (403 otherwise; behind a reverse proxy in
$YIBAO_TRUSTED_PROXIES, the site is its X-Forwarded-Host): with the SameSite=Strict cookie, another site
cannot make an operator's browser change anything.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping, Sequence
from urllib.parse import urlsplit

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import handoffs
from bot.web.embedding import framing_headers
from bot.web.json_api import NO_STORE, json_body, json_reply
from bot.web.operator_access import SESSION_SECONDS, OperatorAccess, operator_name, operator_token
from bot.web.operator_view import request_view
from bot.web.page_files import PageFiles
from bot.web.rate_limits import (Limiter, Network, client_address, from_trusted_proxy, per_seconds,
                                 trusted_networks)
from bot.web.safety import TEXT_BAD_REQUEST, too_fast
from bot.web.widget import COMMAND_LABELS

logger = logging.getLogger(__name__)

PREFIX = "/operator"
COOKIE = "yibao_operator"
PAGE = "operator.html"
ASSETS = MappingProxyType({
    "operator.html": "text/html; charset=utf-8",
    "operator.css": "text/css; charset=utf-8",
    "operator.js": "text/javascript; charset=utf-8",
})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
       "img-src 'self'; base-uri 'none'; form-action 'none'")
PAGE_HEADERS = MappingProxyType({**NO_STORE, **framing_headers(CSP, ())})   # never framed
LIST_LIMIT = 50
WRONG_TOKENS_PER_ADDRESS_PER_MINUTE = 10

TEXT_OFF = "此页面未开启。居民咨询请回到首页使用聊天窗口,或拨打医保服务热线 12393。"
TEXT_NOT_FOUND = "未找到此页面。"
TEXT_SIGN_IN = "请先登录(登录已过期或尚未登录)。"
TEXT_WRONG_TOKEN = "口令不对,请核对后再试。"
TEXT_BAD_NAME = "请填写您的姓名或工号:1 到 20 个字,不要写电话、证件号等个人信息。"
TEXT_OTHER_SITE = "请在操作员页面上操作。"
TEXT_SIGNED_IN = "已登录:{name}。"
TEXT_SIGNED_OUT = "已退出登录。"
TEXT_CLAIMED = "已接手第 {id} 号请求。"
TEXT_DONE = "第 {id} 号请求已办结。"
TEXT_REFUSED: Mapping[str, str] = MappingProxyType({
    handoffs.MISSING: "没有找到第 {id} 号请求,请刷新列表。",
    handoffs.TAKEN: "第 {id} 号请求已由 {operator} 接手,不用重复处理。",
    handoffs.ALREADY_DONE: "第 {id} 号请求已办结。",
    handoffs.NOT_CLAIMED: "请先接手第 {id} 号请求,再标记办结。",
    handoffs.NOT_YOURS: "第 {id} 号请求由 {operator} 接手,只有接手的人能标记办结。",
})
ACTIONS = MappingProxyType({"claim": (handoffs.claim, TEXT_CLAIMED),
                            "done": (handoffs.finish, TEXT_DONE)})


def _message(status: int, text: str, **extra: Any) -> HTTPResponse:
    return json_reply({"message": text, **extra}, status=status)


@dataclass
class OperatorDesk:
    """The operator page and its JSON API; `access` None: off."""

    access: OperatorAccess | None
    files: PageFiles = field(default_factory=lambda: PageFiles.read(ASSETS, PAGE, PAGE_HEADERS, TEXT_NOT_FOUND))
    limiter: Limiter = field(default_factory=Limiter)
    trusted_proxies: Sequence[Network] = ()
    db_path: Path | None = None        # None: where bot.assistant_rows keeps the rows

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "OperatorDesk":
        """Off without $YIBAO_OPERATOR_TOKEN; SettingError when it is too short."""
        token = operator_token(environ)
        return cls(OperatorAccess(token) if token else None, limiter=Limiter.from_environment(environ),
                   trusted_proxies=trusted_networks(environ))

    # -- checks --------------------------------------------------------------------------------

    def _operator(self, request: Request) -> str | None:
        return self.access.operator(request.cookies.get(COOKIE), time.time()) if self.access else None

    def _from_this_site(self, request: Request) -> bool:
        """Not sent by another site: Sec-Fetch-Site, and Origin against the Host (or, behind a
        trusted reverse proxy, the X-Forwarded-Host it sets), when the browser sends them."""
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return False
        origin = request.headers.get("origin")
        if origin is None:
            return True
        hosts = {(request.headers.get("host") or "").lower()}
        if from_trusted_proxy(request, self.trusted_proxies):
            hosts.add((request.headers.get("x-forwarded-host") or "").split(",")[0].strip().lower())
        return urlsplit(origin).netloc.lower() in hosts - {""}

    def _https(self, request: Request) -> bool:
        if request.scheme == "https":
            return True
        return (from_trusted_proxy(request, self.trusted_proxies)
                and request.headers.get("x-forwarded-proto", "").lower() == "https")

    def _post(self, request: Request) -> dict[str, Any] | HTTPResponse:
        """The JSON body of a state-changing request, or the refusal."""
        if not self._from_this_site(request):
            return _message(403, TEXT_OTHER_SITE)
        body = json_body(request)
        if body is None or not (request.content_type or "").startswith("application/json"):
            return _message(400, TEXT_BAD_REQUEST)
        return body

    def _cookie(self, request: Request, value: str, max_age: int) -> str:
        return (f"{COOKIE}={value}; Path={PREFIX}; Max-Age={max_age}; HttpOnly; SameSite=Strict"
                + ("; Secure" if self._https(request) else ""))

    # -- responses -----------------------------------------------------------------------------

    @staticmethod
    def off() -> HTTPResponse:
        return response.text(TEXT_OFF, status=404, headers=NO_STORE)

    def asset(self, name: str) -> HTTPResponse:
        return self.files.response(name)

    async def sign_in(self, request: Request) -> HTTPResponse:
        body = self._post(request)
        if isinstance(body, HTTPResponse):
            return body
        limit = per_seconds(WRONG_TOKENS_PER_ADDRESS_PER_MINUTE, 60)
        keys = ("operator", "wrong-token", client_address(request, self.trusted_proxies))
        wait = self.limiter.waiting(limit, *keys)
        if wait > 0:                # checked before the token: a right guess waits too
            rejection = too_fast(wait)
            return _message(rejection.status, rejection.text)
        if not self.access.token_matches(body.get("token")):
            self.limiter.hit(limit, *keys)
            return _message(401, TEXT_WRONG_TOKEN)
        name = operator_name(body.get("name"))
        if name is None:
            return _message(400, TEXT_BAD_NAME)
        reply = _message(200, TEXT_SIGNED_IN.format(name=name), operator=name)
        reply.headers["Set-Cookie"] = self._cookie(
            request, self.access.cookie_value(name, time.time()), SESSION_SECONDS)
        return reply

    def sign_out(self, request: Request) -> HTTPResponse:
        body = self._post(request)
        if isinstance(body, HTTPResponse):
            return body
        reply = _message(200, TEXT_SIGNED_OUT)
        reply.headers["Set-Cookie"] = self._cookie(request, "", 0)
        return reply

    async def requests(self, request: Request, operator: str) -> HTTPResponse:
        found = await asyncio.to_thread(handoffs.recent_requests, LIST_LIMIT, self.db_path)
        views = [request_view(r, await self._events(request, r.sender_id), COMMAND_LABELS)
                 for r in found]
        return json_reply({"operator": operator, "requests": views})

    @staticmethod
    async def _events(request: Request, sender_id: str) -> list[dict[str, Any]] | None:
        """The conversation's events, or None when it cannot be read."""
        agent = getattr(request.app.ctx, "agent", None)
        store = getattr(agent, "tracker_store", None)
        if store is None:
            return None
        try:
            tracker = await store.retrieve_full_tracker(sender_id)
        except Exception:
            logger.exception("reading a hand-off's conversation failed")
            return None
        return [e.as_dict() for e in tracker.events] if tracker is not None else []

    async def act(self, request: Request, operator: str, request_id: int, action: str) -> HTTPResponse:
        body = self._post(request)
        if isinstance(body, HTTPResponse):
            return body
        if action not in ACTIONS:
            return response.text(TEXT_NOT_FOUND, status=404, headers=NO_STORE)
        change, done_text = ACTIONS[action]
        outcome = await asyncio.to_thread(change, request_id, operator, self.db_path)
        if outcome.ok:
            return _message(200, done_text.format(id=request_id), state=outcome.request.state,
                            operator=outcome.request.operator)
        holder = outcome.request.operator if outcome.request else None
        text = TEXT_REFUSED[outcome.refused].format(id=request_id, operator=holder or "")
        status = 404 if outcome.refused == handoffs.MISSING else 409
        return _message(status, text, refused=outcome.refused,
                        state=outcome.request.state if outcome.request else None, operator=holder)

    # -- routes --------------------------------------------------------------------------------

    def blueprint(self) -> Blueprint:
        bp = Blueprint("yibao_operator", url_prefix=PREFIX)

        def signed_in(handler):
            """Routes of a signed-in operator: off without a token, 401 without the cookie."""
            async def route(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                if self.access is None:
                    return self.off()
                operator = self._operator(request)
                if operator is None:
                    return _message(401, TEXT_SIGN_IN)
                return await handler(request, operator, *args, **kwargs)
            return route

        @bp.route("/", methods=["GET"])
        async def page(request: Request) -> HTTPResponse:
            return self.asset(PAGE) if self.access else self.off()

        @bp.route("/static/<name>", methods=["GET"])
        async def static(request: Request, name: str) -> HTTPResponse:
            return self.asset(name) if self.access else self.off()

        @bp.route("/api/session", methods=["POST"])
        async def session(request: Request) -> HTTPResponse:
            return await self.sign_in(request) if self.access else self.off()

        @bp.route("/api/signout", methods=["POST"])
        async def signout(request: Request) -> HTTPResponse:
            return self.sign_out(request) if self.access else self.off()

        bp.add_route(signed_in(self.requests), "/api/requests", methods=["GET"], name="requests")
        bp.add_route(signed_in(self.act), "/api/requests/<request_id:int>/<action>",
                     methods=["POST"], name="act")

        @bp.route("/<rest:path>", methods=["GET", "POST"])
        async def elsewhere(request: Request, rest: str) -> HTTPResponse:
            if self.access is None:
                return self.off()
            return response.text(TEXT_NOT_FOUND, status=404, headers=NO_STORE)

        return bp
