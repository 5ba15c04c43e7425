"""How the transcript batch runs the custom actions, and a faster check of their responses.

`in_process_actions()` runs the `actions` package with rasa_sdk's own ActionExecutor inside this
process: Rasa's RemoteAction still builds the same action call and reads the same response, only
the HTTP round trip (and the JSON encoding of the whole tracker for it) is gone.
`action_server(db)` is the production path: `python -m rasa_sdk` on a free loopback port
(bot.run.start_action_server), stopped at the end. bench/bench_transcripts.py measures both;
in-process is the default (see the numbers there).

`cached_response_validation()`: Rasa 3.6 checks every action response with
`jsonschema.validate(response, schema)`, which first re-checks the (constant) schema itself
against the JSON Schema 2020-12 meta-schema — two thirds of a turn's time in the profile — and
then tries each event against every event type's branch of the schema. Inside this context the
schema is checked once and a valid response is recognised by its events' own branches; anything
else is validated exactly as before (same validator, same error, same message), see
bot.rasa_fixes.response_validation. The original method is restored on exit.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
from pathlib import Path
from typing import Any, Dict, Iterator, Optional, Text

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig

from bot import rasa_fixes

ACTIONS_PACKAGE = "actions"
ASSISTANT_DB_ENV = "YIBAO_ASSISTANT_DB"   # where the actions write hand-offs and the audit log


class InProcessActionEndpoint(EndpointConfig):
    """An action endpoint whose `request` runs the action with rasa_sdk in this process."""

    def __init__(self, executor: Any) -> None:
        super().__init__(url="inprocess://actions")
        self.executor = executor

    async def request(self, method: Text = "post", subpath: Optional[Text] = None,
                      content_type: Optional[Text] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Optional[Dict[Text, Any]]:
        from rasa_sdk.interfaces import ActionExecutionRejection as SdkRejection
        from rasa_sdk.interfaces import ActionNotFoundException

        try:
            result = await self.executor.run(kwargs.get("json") or {})
        except SdkRejection as exc:          # the action server answers 400: the form rejects
            raise ActionExecutionRejection(exc.action_name, exc.message) from exc
        except ActionNotFoundException as exc:
            raise RasaException(f"Failed to execute custom action '{exc.action_name}'") from exc
        # What the HTTP path would deliver: plain JSON (tuples → lists, no Python-only types).
        return None if result is None else json.loads(json.dumps(result))


def _executor() -> Any:
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package(ACTIONS_PACKAGE)
    return executor


@contextlib.contextmanager
def assistant_db(path: Path) -> Iterator[None]:
    """Hand-offs and audit rows of replayed calls go to `path`, not to the live assistant db
    (the actions read YIBAO_ASSISTANT_DB on every write, bot.audit.assistant_db). Restored on exit."""
    before = os.environ.get(ASSISTANT_DB_ENV)
    os.environ[ASSISTANT_DB_ENV] = str(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ASSISTANT_DB_ENV, None)
        else:
            os.environ[ASSISTANT_DB_ENV] = before


@contextlib.contextmanager
def in_process_actions(db: Path) -> Iterator[EndpointConfig]:
    with assistant_db(db):
        yield InProcessActionEndpoint(_executor())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def action_server(db: Path) -> Iterator[EndpointConfig]:
    from bot.run import start_action_server, stop

    port = _free_port()
    proc = start_action_server(port, quiet=True, extra_env={ASSISTANT_DB_ENV: str(db)})
    try:
        yield EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
    finally:
        stop(proc)


ACTION_MODES = {"inprocess": in_process_actions, "server": action_server}


def install_cached_response_validation() -> None:
    """For a process that only ever runs the assistant (a transcript worker): for good. Nothing
    when the Rasa fixes are switched off (YIBAO_RASA_FIXES=0)."""
    if not rasa_fixes.wanted():
        return
    rasa_fixes.check_versions()
    # imported here: bot.rasa_fixes.response_validation loads Rasa's NLU components (and TensorFlow)
    from bot.rasa_fixes.response_validation import response_validator

    RemoteAction._validate_action_result = response_validator()  # type: ignore[assignment]


@contextlib.contextmanager
def cached_response_validation() -> Iterator[None]:
    original = RemoteAction.__dict__["_validate_action_result"]
    install_cached_response_validation()
    try:
        yield
    finally:
        RemoteAction._validate_action_result = original  # type: ignore[assignment]
