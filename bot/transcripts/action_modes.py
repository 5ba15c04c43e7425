"""How the hotline batch runs the custom actions: in this process, or on an action server.

`in_process_actions(db)` runs the `actions` package inside this process
(bot.rasa.inprocess_actions): Rasa's RemoteAction still builds the same action call and reads the
same response, only the HTTP round trip is gone. `action_server(db)` is the production path:
the action server (bot.rasa.action_server) on a free loopback port (bot.run.start_action_server),
stopped at the end.
bench/bench_transcripts.py measures both; in-process is the default (see the numbers there).
Either way the actions' hand-offs and audit rows go to `db`.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from rasa.utils.endpoints import EndpointConfig

from bot.rasa.inprocess_actions import InProcessActionEndpoint, executor
from bot.run import action_token, free_port, start_action_server, stop

ASSISTANT_DB_ENV = "YIBAO_ASSISTANT_DB"   # where the actions write hand-offs and the audit log


@contextlib.contextmanager
def assistant_db(path: Path) -> Iterator[None]:
    """Hand-offs and audit rows of replayed calls go to `path`, not to the live assistant db
    (the actions read YIBAO_ASSISTANT_DB on every write, bot.assistant_rows.assistant_db). Restored on exit."""
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
        yield InProcessActionEndpoint(executor())


@contextlib.contextmanager
def action_server(db: Path) -> Iterator[EndpointConfig]:
    port = free_port()
    proc = start_action_server(port, quiet=True, extra_env={ASSISTANT_DB_ENV: str(db)})
    try:
        yield EndpointConfig(url=f"http://127.0.0.1:{port}/webhook", token=action_token())
    finally:
        stop(proc)


ACTION_MODES = {"inprocess": in_process_actions, "server": action_server}
