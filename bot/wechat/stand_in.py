"""A stand-in for WeChat's API servers on loopback, recording what the assistant sends (for
bot.wechat.try_locally, the tests and the benchmark; the channels' API base address points here).

Answers the calls the WeChat channels make: the Official Account's `token` and
`message/custom/send` (客服消息), WeCom's `gettoken` and `message/send` (应用消息). Tokens are
issued with a short life when asked (`token_seconds`), so refreshing can be watched.
"""
from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Sent:
    path: str
    token: str
    body: dict[str, Any]

    @property
    def recipient(self) -> str:
        return str(self.body.get("touser") or "")

    @property
    def text(self) -> str:
        return str((self.body.get("text") or {}).get("content") or "")


@dataclass
class FakeWeChatApi:
    token_seconds: int = 7200
    token_fetches: int = 0
    sent: list[Sent] = field(default_factory=list)
    issued: list[str] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/cgi-bin/"

    def start(self) -> "FakeWeChatApi":
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802
                url = urllib.parse.urlsplit(self.path)
                if url.path in ("/cgi-bin/token", "/cgi-bin/gettoken"):
                    with api._lock:
                        api.token_fetches += 1
                        token = secrets.token_hex(8)
                        api.issued.append(token)
                    self._json({"access_token": token, "expires_in": api.token_seconds})
                else:
                    self._json({"errcode": 404, "errmsg": "unknown"})

            def do_POST(self) -> None:  # noqa: N802
                url = urllib.parse.urlsplit(self.path)
                token = (urllib.parse.parse_qs(url.query).get("access_token") or [""])[0]
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                with api._lock:
                    if token not in api.issued:
                        self._json({"errcode": 40001, "errmsg": "invalid credential"})
                        return
                    api.sent.append(Sent(url.path, token, body))
                self._json({"errcode": 0, "errmsg": "ok"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def sent_to(self, user: str) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.recipient == user]

    def wait_sent(self, user: str, count: int, timeout: float = 60.0) -> list[Sent]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sent = self.sent_to(user)
            if len(sent) >= count:
                return sent
            time.sleep(0.1)
        return self.sent_to(user)
