"""Start the Rasa server of 医保助手 (bot.web.app: its channels and the chat page at `/`).

    python -m bot.rasa.server --model models/yibao.tar.gz [--port 5005] [--host 0.0.0.0]
                              [--endpoints endpoints.yml] [--credentials credentials.yml]

What `rasa run` does (rasa.core.run.serve_application), with the app of bot.web.app and, unless
YIBAO_RASA_FIXES=0, the overrides of bot.rasa.overrides.install(server=True): the turn guards
(bot/rasa/turn_guards.py), messages that reach the server at the same moment parsed in one NLU run
(bot/rasa/fixes/parse_together.py), the SQLite tracker store's journal kept between commits
(bot/rasa/tracker_store.py) and action responses validated with the schema checked once
(bot/rasa/fixes/response_validation.py). The agent loads before the server accepts connections,
so `/` answering doubles as the readiness check.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from functools import partial
from typing import Sequence

import rasa.core.run
import rasa.core.utils
from rasa.utils.common import configure_logging_and_warnings, update_sanic_log_level
from rasa.utils.log_utils import configure_structlog

from bot.rasa import overrides
from bot.rasa.fixes.response_validation import cached_response_validation
from bot.rasa.tracker_store import persistent_sqlite_journal
from bot.rasa.turn_guards import strict_tracker_store
from bot.web.app import API_TOKEN_ENV, build_app, check_settings
from bot.web.settings import SettingError

logger = logging.getLogger(__name__)


def serve(model: str, endpoints: str, credentials: str, host: str, port: int) -> None:
    # as `rasa run` does at its default level (INFO: no message texts in the log)
    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    update_sanic_log_level()
    available = rasa.core.utils.AvailableEndpoints.read_endpoints(endpoints)
    overridden = overrides.install(server=True)
    app = build_app(credentials, api_token=os.environ.get(API_TOKEN_ENV) or None)
    app.register_listener(partial(rasa.core.run.load_agent_on_start, model, available, None),
                          "before_server_start")
    if overridden:                                          # both after the agent loads
        app.register_listener(strict_tracker_store, "before_server_start")
        app.register_listener(persistent_sqlite_journal, "before_server_start")
    app.register_listener(rasa.core.run.close_resources, "after_server_stop")
    logger.info("医保助手: http://%s:%s/", host, port)
    validation = cached_response_validation() if overridden else contextlib.nullcontext()
    with validation:
        app.run(host=host, port=port,
                workers=rasa.core.utils.number_of_sanic_workers(available.lock_store),
                access_log=False, motd=False)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.rasa.server",
                                 description="启动医保助手的 Rasa 服务器(含网页聊天窗口)")
    ap.add_argument("--model", required=True)
    ap.add_argument("--endpoints", default="endpoints.yml")
    ap.add_argument("--credentials", default="credentials.yml")
    ap.add_argument("--host", default="0.0.0.0")
    ap.add_argument("--port", type=int, default=5005)
    args = ap.parse_args(argv)
    try:
        check_settings()
    except SettingError as error:                  # a wrong setting: say which, do not start
        print(f"医保助手没有启动:{error}", file=sys.stderr)
        return 2
    serve(args.model, args.endpoints, args.credentials, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
