"""The Rasa server of 医保助手, with the chat widget at `/`.

    python -m bot.channels.server --model models/yibao.tar.gz [--port 5005] [--host 0.0.0.0]
                                  [--endpoints endpoints.yml] [--credentials credentials.yml]

What `rasa run` does (rasa.core.run.serve_application), with three differences: `/` serves the
widget page instead of Rasa's "Hello from Rasa" (so the page needs no other web server), request
bodies are limited to 64 KiB, and Rasa's HTTP API stays off (it would hand any tracker to anyone).
Channels come from credentials.yml as usual, mounted under /webhooks/. `/` answers only once the
model is loaded (the agent loads before the server accepts connections), so it doubles as the
readiness check.
"""
from __future__ import annotations

import argparse
import logging
import sys
from functools import partial
from typing import Sequence

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

ROUTE = "/webhooks/"
MAX_REQUEST_BYTES = 64 * 1024


def build_app(credentials: str, app_name: str = "yibao_assistant") -> Sanic:
    """Sanic app with every channel of `credentials` and the widget page at `/`."""
    import rasa.core.run
    from rasa.core import constants
    from rasa.core.channels.channel import register

    from bot.channels.widget import WidgetInput

    app = Sanic(app_name, configure_logging=False)
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

    return app


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
    app = build_app(credentials)
    app.register_listener(partial(rasa.core.run.load_agent_on_start, model, available, None),
                          "before_server_start")
    app.register_listener(rasa.core.run.close_resources, "after_server_stop")
    logging.getLogger(__name__).info("医保助手: http://%s:%s/", host, port)
    app.run(host=host, port=port, workers=rasa.core.utils.number_of_sanic_workers(available.lock_store),
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
