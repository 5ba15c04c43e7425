"""The action server: rasa_sdk's app (rasa_sdk.endpoint.create_app) behind three guards.

    python -m bot.rasa.action_server [--port 5055]        (bot.run starts it on 127.0.0.1)

- **A shared token.** Rasa sends the action endpoint's `token` (endpoints.yml:
  `token: ${YIBAO_ACTION_TOKEN}`) as `?token=` on every call; here /webhook and /actions answer
  401 without it, so a local process cannot run actions or write hand-off and audit rows.
  /health stays open. Without $YIBAO_ACTION_TOKEN the server does not start.
- **No echo.** rasa_sdk answers an action that raises with HTTP 500 and the whole request body
  (the tracker, i.e. the conversation) in `request_body`; here the 500 says only that the action
  failed (the error is logged on this side, as rasa_sdk logs it).
- **Bounded bodies.** rasa_sdk inflates a `Content-Encoding: deflate` body with no limit (a few
  KiB can inflate to gigabytes); here a body that inflates beyond MAX_INFLATED_BYTES is refused
  with 413 before rasa_sdk sees it.
Everything else (routes, executor, answers) is rasa_sdk's own.
"""
from __future__ import annotations

import argparse
import hmac
import logging
import os
import sys
import zlib
from typing import Sequence

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.run import ACTION_TOKEN_ENV as TOKEN_ENV

ACTIONS_PACKAGE = "actions"
DEFAULT_PORT = 5055
MAX_INFLATED_BYTES = 16 * 1024 * 1024    # a tracker of a very long conversation is ~2 MiB of JSON
GUARDED_PATHS = ("/webhook", "/actions")

logger = logging.getLogger(__name__)


def _inflates_within(body: bytes, limit: int) -> bool:
    """True when the deflate stream `body` inflates to at most `limit` bytes (or is not one:
    rasa_sdk then answers it as it does)."""
    inflater = zlib.decompressobj()
    try:
        inflater.decompress(body, limit + 1)
    except zlib.error:
        return True
    return not inflater.unconsumed_tail


def guarded_app(token: str, package: str = ACTIONS_PACKAGE,
                max_inflated_bytes: int = MAX_INFLATED_BYTES) -> Sanic:
    """rasa_sdk's app for `package` with the token check, no echo and the inflate limit."""
    if not token:
        raise ValueError("the action server needs a token")
    app = create_app(package, cors_origins=None)
    expected = token.encode("utf-8")

    @app.on_request
    async def guard(request: Request) -> HTTPResponse | None:
        if not request.path.startswith(GUARDED_PATHS):
            return None
        given = (request.args.get("token") or "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "unauthorized"}, status=401)
        if (request.headers.get("content-encoding") == "deflate"
                and not _inflates_within(request.body or b"", max_inflated_bytes)):
            return response.json({"error": "body too large"}, status=413)
        return None

    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        logger.error("action request failed: %s", type(exception).__name__, exc_info=exception)
        return response.json({"error": "action failed"}, status=500)

    app.error_handler.add(Exception, failed)        # replaces rasa_sdk's echoing handler
    return app


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.rasa.action_server",
                                 description="启动医保助手的动作服务器(只供 Rasa 服务器调用)")
    ap.add_argument("--port", type=int, default=DEFAULT_PORT)
    ap.add_argument("--actions", default=ACTIONS_PACKAGE)
    args = ap.parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        print(f"错误:没有设置环境变量 {TOKEN_ENV}(Rasa 服务器调用动作时使用的令牌),动作服务器不启动。",
              file=sys.stderr)
        return 2
    utils.configure_colored_logging(logging.INFO)     # as `python -m rasa_sdk` logs
    utils.update_sanic_log_level()
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    app = guarded_app(token, args.actions)
    logger.info("Action endpoint is up and running on http://%s:%s", host, args.port)
    app.run(host, args.port, workers=utils.number_of_sanic_workers(), access_log=False, motd=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
