"""A turn is answered completely or not at all: the server's two guards on Rasa 3.6.21.

Custom actions: Rasa waits up to 5 minutes for the action server and, when a call fails, logs it
and carries on without the action's events (the resident gets an empty or misleading reply). Here
each call may take at most $YIBAO_ACTION_TIMEOUT seconds (default 5), and a failed call (server
down, too slow, HTTP 5xx) abandons the whole turn (`TurnAborted`): the conversation lock is
released, the tracker is not saved (the turn never happened, so the resident can simply ask
again) and the channels answer 「系统繁忙,请稍后再试。」. A 400 from the action server (a form
rejecting its slot) is Rasa's normal flow and is left alone. Replaces
`rasa.core.actions.action.RemoteAction.run` (wrapped) and its module constant
`DEFAULT_REQUEST_TIMEOUT`.

Tracker store: Rasa wraps it in a FailSafeTrackerStore that, when the database fails (locked,
file or directory gone), hands out a new empty conversation and saves into memory, so the
resident is answered without their conversation and the turn is lost from the database. Here such
an error ends the turn instead (`TrackerStoreUnavailable`, answered 「系统繁忙,请稍后再试。」):
nothing is answered out of context, and once the database is back the conversation continues.
Replaces the store's `_on_tracker_store_error` callback.

Installed by bot.rasa.overrides.install(server=True); `strict_tracker_store` is a server start-up
listener registered by bot.rasa.server when the overrides are on.
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

from rasa.core.actions import action as rasa_action
from rasa.core.tracker_store import FailSafeTrackerStore
from sanic import Sanic

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
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    if isinstance(store, FailSafeTrackerStore):
        store._on_tracker_store_error = _tracker_store_failed


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


def install(timeout: float) -> None:
    """Bound every call to the action server and abandon the turn when one fails (see above)."""
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
