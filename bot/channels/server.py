"""The Rasa server of 医保助手, with the chat widget at `/`.

    python -m bot.channels.server --model models/yibao.tar.gz [--port 5005] [--host 0.0.0.0]
                                  [--endpoints endpoints.yml] [--credentials credentials.yml]

What `rasa run` does (rasa.core.run.serve_application), with these differences: `/` serves the
widget page instead of Rasa's "Hello from Rasa" (so the page needs no other web server), request
bodies are limited to 64 KiB, and Rasa's HTTP API stays off (it would hand any tracker to anyone)
unless $YIBAO_API_TOKEN is set: then it is on and every protected route needs `?token=<it>`
(401 without). The token comes only from the environment, never from the repository.
Channels come from credentials.yml as usual, mounted under /webhooks/. `/` answers only once the
model is loaded (the agent loads before the server accepts connections), so it doubles as the
readiness check.

Custom actions: Rasa waits up to 5 minutes for the action server and, when a call fails, logs it
and carries on without the action's events (the resident gets an empty or misleading reply). Here
each call may take at most $YIBAO_ACTION_TIMEOUT seconds (default 5), and a failed call (server
down, too slow, HTTP 5xx) abandons the whole turn (`TurnAborted`): the conversation lock is
released, the tracker is not saved (the turn never happened, so the resident can simply ask
again) and the channels answer 「系统繁忙,请稍后再试。」. A 400 from the action server (a form
rejecting its slot) is Rasa's normal flow and is left alone.

Understanding: messages that reach the server at the same moment (several residents writing at
once) are parsed in one run of the NLU graph (bot/rasa_fixes/parse_together.py); each gets the
parse Rasa would give it alone, and a message that arrives alone is parsed as Rasa does.

Tracker store: Rasa wraps it in a FailSafeTrackerStore that, when the database fails (locked,
file or directory gone), hands out a new empty conversation and saves into memory, so the
resident is answered without their conversation and the turn is lost from the database. Here such
an error ends the turn instead (`TrackerStoreUnavailable`, answered 「系统繁忙,请稍后再试。」):
nothing is answered out of context, and once the database is back the conversation continues.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from functools import partial
from typing import Any, Sequence

from sanic import Sanic, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import rasa_fixes

ROUTE = "/webhooks/"
MAX_REQUEST_BYTES = 64 * 1024
API_TOKEN_ENV = "YIBAO_API_TOKEN"
ACTION_TIMEOUT_ENV = "YIBAO_ACTION_TIMEOUT"
DEFAULT_ACTION_TIMEOUT = 5.0

logger = logging.getLogger(__name__)


class TurnAborted(asyncio.CancelledError):
    """A custom action could not be run: the whole turn is abandoned.

    A CancelledError (not an Exception) because Rasa's MessageProcessor catches every Exception an
    action raises, logs it and carries on; this passes through it to the channel, which answers
    TEXT_BUSY (both channels catch CancelledError). The lock store's context manager releases the
    conversation lock on the way out; the tracker is saved only at the end of a turn, so it is not.
    """


class TrackerStoreUnavailable(RuntimeError):
    """The tracker store could not read or write a conversation; the turn is not answered."""


def _tracker_store_failed(error: Exception) -> None:
    raise TrackerStoreUnavailable(f"tracker store failed: {type(error).__name__}") from error


async def strict_tracker_store(app: Sanic, *_: Any) -> None:
    """Make the loaded agent's FailSafeTrackerStore raise instead of falling back to memory
    (its `on_tracker_store_error` callback is called inside its `except`)."""
    from rasa.core.tracker_store import FailSafeTrackerStore

    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _tracker_store_failed


def _persist_journal(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA journal_mode=PERSIST")


async def persistent_sqlite_journal(app: Sanic, *_: Any) -> None:
    """SQLite tracker store: keep the rollback journal file between commits (PERSIST).

    In SQLite's default mode (DELETE) every commit ends by deleting `<db>-journal`, which on the
    reference machine (ext4) costs ≈10 ms of waiting per turn in the server's only event loop,
    during which no other conversation is served (bench/README.md). PERSIST zeroes the journal's
    header instead of deleting the file: the same rollback journal and the same fsyncs, so a
    crash or power cut leaves the database as before; `<db>-journal` stays next to it. Set on
    every new connection (Rasa opens one per session; nothing in the file changes), so a locked,
    moved or missing database still fails the turn as before. Other tracker stores: untouched."""
    import sqlalchemy as sa
    from rasa.core.tracker_store import SQLTrackerStore

    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    for _ in range(5):        # FailSafeTrackerStore → AwaitableTrackerStore → SQLTrackerStore
        if store is None or isinstance(store, SQLTrackerStore):
            break
        store = getattr(store, "_tracker_store", None)
    if isinstance(store, SQLTrackerStore) and store.engine.url.get_backend_name() == "sqlite":
        sa.event.listen(store.engine, "connect", _persist_journal)


def action_timeout() -> float:
    """Seconds one custom-action call may take ($YIBAO_ACTION_TIMEOUT, default 5)."""
    raw = os.environ.get(ACTION_TIMEOUT_ENV)
    try:
        value = float(raw) if raw else DEFAULT_ACTION_TIMEOUT
    except ValueError:
        raise SystemExit(f"{ACTION_TIMEOUT_ENV}={raw!r} 不是有效的秒数") from None
    if not 0 < value <= 300:
        raise SystemExit(f"{ACTION_TIMEOUT_ENV}={raw!r} 应在 0–300 秒之间")
    return value


def guard_custom_actions(timeout: float) -> None:
    """Bound every call to the action server and abandon the turn when one fails (see above)."""
    from rasa.core.actions import action as rasa_action

    # RemoteAction.run passes this module-level name as the aiohttp timeout of each call.
    rasa_action.DEFAULT_REQUEST_TIMEOUT = timeout
    original = rasa_action.RemoteAction.run
    if getattr(original, "yibao_guarded", False):
        return

    async def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return await original(self, *args, **kwargs)
        except rasa_action.ActionExecutionRejection:
            raise
        except Exception as exc:
            reason = "超时" if isinstance(exc, asyncio.TimeoutError) else type(exc).__name__
            logger.error("自定义动作 %s 执行失败(%s),本轮对话放弃,用户收到「系统繁忙」。",
                         self.name(), reason)
            raise TurnAborted(f"custom action {self.name()} failed") from exc

    run.yibao_guarded = True  # type: ignore[attr-defined]
    rasa_action.RemoteAction.run = run


def _api_app(token: str) -> Sanic:
    """Rasa's HTTP API (rasa.server.create_app) with token authentication, without its `/`."""
    import rasa.server

    add_root_route = rasa.server.add_root_route
    rasa.server.add_root_route = lambda app: None      # `/` is the widget page here
    try:
        return rasa.server.create_app(cors_origins=None, auth_token=token)
    finally:
        rasa.server.add_root_route = add_root_route


def build_app(credentials: str, app_name: str = "yibao_assistant",
              api_token: str | None = None) -> Sanic:
    """Sanic app with every channel of `credentials` and the widget page at `/`; Rasa's HTTP API
    too, protected by `api_token`, when one is given."""
    import rasa.core.run
    from rasa.core import constants
    from rasa.core.channels.channel import register

    from bot.channels.widget import WidgetInput

    app = _api_app(api_token) if api_token else Sanic(app_name, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.KEEP_ALIVE_TIMEOUT = constants.DEFAULT_KEEP_ALIVE_TIMEOUT
    channels = rasa.core.run.create_http_input_channels(None, credentials)
    register(channels, app, route=ROUTE)
    widget = next((c for c in channels if isinstance(c, WidgetInput)), None)

    @app.get("/")
    async def home(request: Request) -> HTTPResponse:
        if widget is not None:
            return widget.page()
        return response.text("医保助手正在运行。")

    @app.exception(PayloadTooLarge)
    async def too_large(request: Request, exception: Exception) -> HTTPResponse:
        # Sanic's own 413 is English; a 10,000-character message sent as ASCII-escaped JSON
        # (\ud83d\ude00 per emoji) is over the body limit before any channel sees it.
        return too_large_reply(getattr(request, "path", "") or "")

    return app


def too_large_reply(path: str) -> HTTPResponse:
    """The polite 413 of the channel at `path` (its usual reply shape), for an oversized body."""
    from bot.channels.rest import SafeRestInput
    from bot.channels.safety import TEXT_BODY_TOO_LARGE, Rejection
    from bot.channels.widget import WidgetInput

    rejection = Rejection(413, "too_long", TEXT_BODY_TOO_LARGE)
    if path.startswith(ROUTE + WidgetInput.name()):
        return WidgetInput._refuse(None, rejection)
    return SafeRestInput._refuse(None, rejection)


def serve(model: str, endpoints: str, credentials: str, host: str, port: int) -> None:
    import rasa.core.run
    import rasa.core.utils
    from rasa.utils.common import configure_logging_and_warnings, update_sanic_log_level
    from rasa.utils.log_utils import configure_structlog

    # as `rasa run` does at its default level (INFO: no message texts in the log)
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    update_sanic_log_level()
    available = rasa.core.utils.AvailableEndpoints.read_endpoints(endpoints)
    guard_custom_actions(action_timeout())
    # The Rasa fixes, and messages that arrive together understood in one NLU run
    # (bot/rasa_fixes/parse_together.py); YIBAO_RASA_FIXES=0 runs Rasa as shipped.
    rasa_fixes.install(server=True)
    app = build_app(credentials, api_token=os.environ.get(API_TOKEN_ENV) or None)
    app.register_listener(partial(rasa.core.run.load_agent_on_start, model, available, None),
                          "before_server_start")
    app.register_listener(strict_tracker_store, "before_server_start")   # after the agent loads
    app.register_listener(persistent_sqlite_journal, "before_server_start")
    app.register_listener(rasa.core.run.close_resources, "after_server_stop")
    logging.getLogger(__name__).info("医保助手: http://%s:%s/", host, port)
    # Rasa re-checks its constant action-response schema against the JSON Schema meta-schema on
    # every custom-action call: about half of the server's CPU under load (bench/README.md).
    # Checked once here; each response is still validated exactly as before.
    from bot.channels.transcript_actions import cached_response_validation
    with cached_response_validation():
        app.run(host=host, port=port,
                workers=rasa.core.utils.number_of_sanic_workers(available.lock_store),
                access_log=False, motd=False)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.channels.server",
                                 description="启动医保助手的 Rasa 服务器(含网页聊天窗口)")
    ap.add_argument("--model", required=True)
    ap.add_argument("--endpoints", default="endpoints.yml")
    ap.add_argument("--credentials", default="credentials.yml")
    ap.add_argument("--host", default="0.0.0.0")
    ap.add_argument("--port", type=int, default=5005)
    args = ap.parse_args(argv)
    serve(args.model, args.endpoints, args.credentials, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
