"""A switchable stand-in for the action server on loopback, for fault tests.

Rasa's action endpoint points here; in mode "pass" every request is forwarded to the real action
server (`target()` gives its port, so it can be restarted elsewhere), "slow" holds each request
for 30 s (the test's stop event ends the wait early), "late" forwards each request after
`late_seconds`, and `close()` stops listening altogether
(connection refused) until `open()` listens again on the same port.
"""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

SLOW_SECONDS = 30.0


class ActionProxy:
    def __init__(self, port: int, target: Callable[[], int]) -> None:
        self.port = port
        self.target = target
        self.mode = "pass"
        self.late_seconds = 0.0
        self.stopping = threading.Event()
        self.requests = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    def open(self) -> None:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:      # quiet
                pass

            def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:        # the caller gave up waiting
                    pass

            def do_POST(self) -> None:  # noqa: N802
                proxy.requests += 1
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if proxy.mode == "slow":
                    proxy.stopping.wait(SLOW_SECONDS)
                    self._reply(504, b'{"error": "slow"}')
                    return
                if proxy.mode == "late":
                    proxy.stopping.wait(proxy.late_seconds)
                request = urllib.request.Request(
                    f"http://127.0.0.1:{proxy.target()}{self.path}", data=body, method="POST",
                    headers={k: v for k, v in self.headers.items()
                             if k.lower() in ("content-type", "content-encoding")})
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        self._reply(response.status, response.read(),
                                    response.headers.get("Content-Type", "application/json"))
                except urllib.error.HTTPError as error:
                    self._reply(error.code, error.read())
                except OSError:
                    self._reply(502, b'{"error": "action server unreachable"}')

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def stop(self) -> None:
        self.stopping.set()
        self.close()
