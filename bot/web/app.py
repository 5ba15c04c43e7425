"""The web app of 医保助手: every channel of credentials.yml under /webhooks/, the chat page at `/`,
the self-check at /check (bot.web.check), the operator page at /operator (bot.web.operator; off
unless $YIBAO_OPERATOR_TOKEN is set).

Request bodies are limited to 64 KiB (an oversized body gets the channel's own polite 413). Rasa's
HTTP API stays off (it would hand any tracker to anyone) unless a token is given: then it is on and
every protected route needs `?token=<it>` (401 without). `/` serves the widget page instead of
Rasa's "Hello from Rasa", so the page needs no other web server. The settings read from the
environment are checked first: a wrong one raises bot.web.settings.SettingError (Chinese message).
"""
from __future__ import annotations

import os
from typing import Mapping

import rasa.core.run
import rasa.server
from rasa.core import constants
from rasa.core.channels.channel import register
from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.web.check import SelfCheckPage
from bot.web.embedding import frame_ancestors
from bot.web.operator import OperatorDesk
from bot.web.operator_access import operator_token
from bot.web.rest import SafeRestInput
from bot.web.safety import TEXT_BODY_TOO_LARGE, Rejection
from bot.web.widget import WidgetInput

ROUTE = "/webhooks/"
MAX_REQUEST_BYTES = 64 * 1024
API_TOKEN_ENV = "YIBAO_API_TOKEN"


def check_settings(environ: Mapping[str, str] = os.environ) -> None:
    """Raises SettingError when a setting of the web doors in `environ` is wrong."""
    frame_ancestors(environ)       # the widget's headers use it: a wrong value must not start
    operator_token(environ)


def build_app(credentials: str, app_name: str = "yibao_assistant",
              api_token: str | None = None) -> Sanic:
    """Sanic app with every channel of `credentials` and the widget page at `/`; Rasa's HTTP API
    too, protected by `api_token`, when one is given. Raises SettingError on a wrong setting."""
    check_settings()
    channels = rasa.core.run.create_http_input_channels(None, credentials)
    widget = next((c for c in channels if isinstance(c, WidgetInput)), None)

    def home() -> HTTPResponse:
        if widget is not None:
            return widget.page()
        return response.text("医保助手正在运行。")

    if api_token:
        app = rasa.server.create_app(cors_origins=None, auth_token=api_token)

        @app.on_request
        async def home_before_rasa(request: Request) -> HTTPResponse | None:
            # Rasa's create_app has its own `/` ("Hello from Rasa"); a request middleware that
            # answers stops Sanic before that handler, so `/` is the chat page here too.
            if request.path == "/" and request.method in ("GET", "HEAD"):
                return home()
            return None
    else:
        app = Sanic(app_name, configure_logging=False)

        @app.get("/")
        async def page(request: Request) -> HTTPResponse:
            return home()

    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.KEEP_ALIVE_TIMEOUT = constants.DEFAULT_KEEP_ALIVE_TIMEOUT
    register(channels, app, route=ROUTE)
    app.blueprint(OperatorDesk.from_environment().blueprint())
    app.blueprint(SelfCheckPage.from_environment().blueprint())

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, exception: Exception) -> HTTPResponse:
        # Sanic's own 413 is English; a 10,000-character message sent as ASCII-escaped JSON
        # (\ud83d\ude00 per emoji) is over the body limit before any channel sees it.
        return too_large_reply(getattr(request, "path", "") or "")

    return app


def too_large_reply(path: str) -> HTTPResponse:
    """The polite 413 of the channel at `path` (its usual reply shape), for an oversized body."""
    rejection = Rejection(413, "too_long", TEXT_BODY_TOO_LARGE)
    if path.startswith(ROUTE + WidgetInput.name()):
        return WidgetInput._refuse(None, rejection)
    return SafeRestInput._refuse(None, rejection)
