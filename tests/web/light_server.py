"""A light server for the web tests that need no model: bot.web.app.build_app with the widget
and REST channels (a temporary credentials file, sender secret and assistant database), run by
Sanic in a subprocess on a free loopback port. The chat itself cannot answer (no agent); the
pages and APIs that do not need one (/check, /operator) work as in production.
"""
from __future__ import annotations

import json
import secrets
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.run import VENV_BIN, env, free_port, stop, wait_http
from tests.running import ROOT

SERVE = ("import sys\nfrom bot.web.app import build_app\n"
         "app = build_app(sys.argv[1], api_token=sys.argv[3] or None)\n"
         "app.run(host='127.0.0.1', port=int(sys.argv[2]), access_log=False, motd=False)\n")
TOKEN = secrets.token_urlsafe(24)    # the operator token of servers that turn the page on
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: Any


@dataclass(frozen=True)
class LightServer:
    base_url: str
    db: Path

    def call(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None,
             cookie: str | None = None, raw: bytes | None = None) -> Reply:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode("utf-8"))
        sent = {**(JSON if data is not None else {}), **(headers or {})}
        if cookie:
            sent["Cookie"] = cookie
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, got, payload = response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            status, got, payload = error.code, dict(error.headers), error.read()
        text = payload.decode("utf-8")
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = text
        return Reply(status, {k.lower(): v for k, v in got.items()}, parsed)

    def sign_in(self, name: str, token: str = TOKEN) -> str:
        """The cookie header value of a signed-in operator."""
        reply = self.call("POST", "/operator/api/session", {"name": name, "token": token})
        assert reply.status == 200, reply.body
        return reply.headers["set-cookie"].split(";")[0]


def start(work: Path, extra: dict[str, str], api_token: str = "") -> tuple[subprocess.Popen, LightServer]:
    work.mkdir(parents=True, exist_ok=True)
    credentials = work / "credentials.yml"
    credentials.write_text(f"bot.web.rest.SafeRestInput: {{}}\nbot.web.widget.WidgetInput:\n"
                           f"  secret_file: {work / 'sender_secret'}\n", encoding="utf-8")
    db, port = work / "assistant.db", free_port()
    environment = {k: v for k, v in env().items() if not k.startswith(("YIBAO_OPERATOR", "YIBAO_PG"))}
    proc = subprocess.Popen([str(VENV_BIN / "python"), "-c", SERVE, str(credentials), str(port), api_token],
                            cwd=ROOT, env={**environment, "YIBAO_ASSISTANT_DB": str(db), **extra},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc, 120)
    except BaseException:
        stop(proc)
        raise
    return proc, LightServer(f"http://127.0.0.1:{port}", db)
