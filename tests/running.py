"""Fixtures for the tests of the running assistant (tests/conftest.py loads them): a running
assistant (action server + Rasa server with the widget), the in-process hotline assistant and a
headless Chromium.

`assistant` starts, once per session, the action server and bot.rasa.server on free loopback
ports with the CI model (bot.run.ensure_model: trains only when its inputs changed), a temporary
tracker store and hand-off database (both servers use it: the action server writes the requests,
the operator page reads them), a fixed signing secret and an operator token (the operator page is
on). Tests talk to it over HTTP
(`assistant.base_url`, `assistant.rest_url`) and may read what it stored (`assistant.tracker_db`).

`chromium` is Debian's /usr/bin/chromium driven by Playwright (never a downloaded browser); tests
using it are skipped, saying so, when that file is missing (`make test` installs it).
"""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
import yaml

from bot.rasa.quiet import quiet_environment
from bot.run import ensure_model, free_port, start_action_server, start_rasa_server, stop
from tests.load.harness import stored_sender

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: Any     # parsed JSON, else the text


@dataclass(frozen=True)
class RunningAssistant:
    base_url: str        # http://127.0.0.1:<port> — the widget page is base_url + "/"
    tracker_db: Path     # SQLite tracker store of this server
    handoff_db: Path     # hand-off requests recorded by the action server
    secret: str          # YIBAO_SENDER_SECRET of this server
    rest_token: str      # YIBAO_REST_TOKEN of this server
    operator_token: str  # YIBAO_OPERATOR_TOKEN of this server (/operator)

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    def post(self, path: str, body: Any, raw: bytes | None = None,
             content_type: str = "application/json", headers: dict[str, str] | None = None) -> Reply:
        """POST JSON (or `raw` bytes) to `path`; any HTTP status is returned, never raised. The
        REST API gets the bearer token unless `headers` says otherwise."""
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        sent = {"Content-Type": content_type}
        if path.startswith("/webhooks/rest"):
            sent["Authorization"] = f"Bearer {self.rest_token}"
        request = urllib.request.Request(self.base_url + path, data=data, method="POST",
                                         headers={**sent, **(headers or {})})
        return _open(request)

    def conversation(self, sender_id: str) -> str:
        return stored_sender(self.secret, sender_id)

    def get(self, path: str) -> Reply:
        return _open(urllib.request.Request(self.base_url + path))

    def rest(self, sender: str, message: str) -> Reply:
        return self.post("/webhooks/rest/webhook", {"sender": sender, "message": message})

    def stored_user_texts(self, sender_id: str) -> list[str]:
        """Texts of the sender's `user` events in the tracker store (what Rasa kept)."""
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' "
                              "ORDER BY id", (self.conversation(sender_id),)).fetchall()
        return [json.loads(data).get("text") or "" for (data,) in rows]

    def stored_events(self, sender_id: str) -> list[dict[str, Any]]:
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id",
                              (self.conversation(sender_id),)).fetchall()
        return [json.loads(data) for (data,) in rows]


def _open(request: urllib.request.Request) -> Reply:
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, headers, payload = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, headers, payload = error.code, dict(error.headers), error.read()
    text = payload.decode("utf-8", "replace")
    try:
        body: Any = json.loads(text)
    except ValueError:
        body = text
    return Reply(status, {k.lower(): v for k, v in headers.items()}, body)


@pytest.fixture(scope="session")
def channel_model_path() -> Path:
    config = os.environ.get("YIBAO_TEST_CONFIG")
    if not config:
        config = "config.ci.yml" if (ROOT / "config.ci.yml").is_file() else "config.yml"
    return ensure_model(config, os.environ.get("YIBAO_TEST_MODEL", "yibao-ci"))


@pytest.fixture(scope="session")
def assistant(channel_model_path: Path, tmp_path_factory) -> Iterator[RunningAssistant]:
    work = tmp_path_factory.mktemp("assistant")
    tracker_db, handoff_db = work / "tracker.db", work / "assistant.db"
    action_port, rasa_port = free_port(), free_port()
    endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    endpoints["action_endpoint"] = {**endpoints["action_endpoint"],
                                    "url": f"http://127.0.0.1:{action_port}/webhook"}
    endpoints["tracker_store"] = {**endpoints["tracker_store"], "db": str(tracker_db)}
    (work / "endpoints.yml").write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
    secret, rest_token, operator_token = secrets.token_hex(32), secrets.token_hex(16), secrets.token_hex(16)
    actions = server = None
    try:
        actions = start_action_server(action_port, quiet=True,
                                      extra_env={"YIBAO_ASSISTANT_DB": str(handoff_db),
                                                 "YIBAO_SENDER_SECRET": secret})
        server = start_rasa_server(channel_model_path, rasa_port, host="127.0.0.1",
                                   endpoints=work / "endpoints.yml", quiet=True,
                                   extra_env={"YIBAO_SENDER_SECRET": secret,
                                              "YIBAO_REST_TOKEN": rest_token,
                                              "YIBAO_ASSISTANT_DB": str(handoff_db),
                                              "YIBAO_OPERATOR_TOKEN": operator_token}, timeout=900)
        yield RunningAssistant(f"http://127.0.0.1:{rasa_port}", tracker_db, handoff_db, secret,
                               rest_token, operator_token)
    finally:
        stop(server)
        stop(actions)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Debian Chromium (Playwright sync API); skipped when it is not installed.

    Module scope: Playwright's sync API keeps an asyncio loop running in this thread until it
    stops, and later tests that call asyncio.run() would fail while it lives."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} 不存在:浏览器测试需要 Debian 的 chromium(make test 会用 apt 安装)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def hotline(tmp_path_factory) -> Iterator[tuple[object, Path]]:
    """An in-process assistant (bot.transcripts.assistant.HotlineAssistant) with the CI
    model and the real custom actions, and the database its actions write hand-offs and audit
    rows to."""
    quiet_environment()
    # after quiet_environment(): these load Rasa and TensorFlow
    from bot.transcripts.action_modes import in_process_actions
    from bot.transcripts.assistant import HotlineAssistant

    model = ensure_model("config.ci.yml", "yibao-ci")
    actions_db = tmp_path_factory.mktemp("hotline-actions") / "assistant.db"
    with in_process_actions(actions_db) as endpoint:
        assistant = HotlineAssistant(model, endpoint)
        yield assistant, actions_db
        assistant.close()
