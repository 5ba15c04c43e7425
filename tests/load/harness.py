"""A real assistant for end-to-end tests and benchmarks: action server + Rasa server (bot.run),
free loopback ports, a temporary tracker store, hand-off/audit database and signing secret, and
both servers' output (stdout + stderr) captured to files so tests can read the logs.

Used by tests/hostile, tests/faults, tests/load, tests/privacy (one assistant per test module)
and bench/bench_load.py. `with LiveAssistant.start(tmp_dir) as a:` stops both servers at the end.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from bot.audit import PSEUDONYM_KIND as AUDIT_KIND
from bot.pseudonyms import Pseudonyms
from bot.run import ensure_model, free_port, start_action_server, start_rasa_server, stop
from bot.web.rest import PSEUDONYM_KIND as REST_KIND

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
TRACEBACK = "Traceback (most recent call last)"
NORMAL_QUESTION = "新疆断保两年,现在交多久能报销"
NORMAL_ANSWER = "4 个月"
# The channels allow 20 messages per sender in 10 s; clients here stay below that.
RATE_LIMIT, RATE_WINDOW = 18, 10.0


def model_path() -> Path:
    """The CI model (same pipeline as config.yml, fewer epochs); trains only if its inputs changed."""
    config = os.environ.get("YIBAO_TEST_CONFIG") or "config.ci.yml"
    return ensure_model(config, os.environ.get("YIBAO_TEST_MODEL", "yibao-ci"))


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: Any            # parsed JSON, else the text
    seconds: float       # wall time of the request (reported, never asserted for speed)

    @property
    def messages(self) -> list[dict[str, Any]]:
        if isinstance(self.body, list):
            return [m for m in self.body if isinstance(m, dict)]
        if isinstance(self.body, dict):
            return [m for m in self.body.get("messages") or [] if isinstance(m, dict)]
        return []

    @property
    def text(self) -> str:
        return "\n".join(str(m["text"]) for m in self.messages if m.get("text"))   # not a card

    @classmethod
    def of(cls, status: int, headers: Mapping[str, str], payload: bytes, seconds: float) -> "Reply":
        """A response as received: header names lower-cased, the body parsed when it is JSON."""
        text = payload.decode("utf-8", "replace")
        try:
            parsed: Any = json.loads(text)
        except ValueError:
            parsed = text
        return cls(status, {k.lower(): v for k, v in headers.items()}, parsed, seconds)


def stored_sender(secret: str, sender_id: str) -> str:
    """The id the tracker store keeps a sender under, on a server with this YIBAO_SENDER_SECRET:
    widget and hotline ids as they are, a REST caller's id as its keyed pseudonym."""
    if sender_id.startswith(("web-", "hotline-")):
        return sender_id
    return Pseudonyms(secret.encode("utf-8")).of(REST_KIND, sender_id)


def http(url: str, body: Any = None, raw: bytes | None = None, method: str | None = None,
         timeout: float = 120, headers: dict[str, str] | None = None) -> Reply:
    """One HTTP request; any status is returned, never raised. JSON is sent ASCII-escaped, so
    any code point (lone surrogates included) reaches the server as the client meant it."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode("ascii"))
    request = urllib.request.Request(url, data=data, method=method or ("POST" if data is not None else "GET"),
                                     headers={"Content-Type": "application/json", **(headers or {})})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, hdrs, payload = response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        status, hdrs, payload = error.code, dict(error.headers), error.read()
    return Reply.of(status, hdrs, payload, time.monotonic() - started)


class Pacer:
    """Keeps each sender under the channels' rate limit (client side, thread-safe)."""

    def __init__(self, limit: int = RATE_LIMIT, window: float = RATE_WINDOW) -> None:
        self.limit, self.window = limit, window
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, sender: str) -> None:
        while True:
            with self._lock:
                now = time.monotonic()
                sent = self._sent.setdefault(sender, deque())
                while sent and sent[0] <= now - self.window:
                    sent.popleft()
                if len(sent) < self.limit:
                    sent.append(now)
                    return
                pause = sent[0] + self.window - now + 0.05
            time.sleep(pause)


@dataclass
class LiveAssistant:
    work: Path
    model: Path
    action_port: int
    rasa_port: int
    secret: str
    rest_token: str = field(default_factory=lambda: secrets.token_hex(16))
    extra_rasa_env: dict[str, str] = field(default_factory=dict)
    extra_action_env: dict[str, str] = field(default_factory=dict)
    action_url: str | None = None        # where Rasa calls actions (default: our action server)
    actions: subprocess.Popen | None = None
    server: subprocess.Popen | None = None
    pacer: Pacer = field(default_factory=Pacer)

    # -- paths ---------------------------------------------------------------------------------

    @property
    def tracker_db(self) -> Path:
        return self.work / "tracker" / "tracker.db"

    @property
    def assistant_db(self) -> Path:
        return self.work / "assistant.db"

    @property
    def endpoints(self) -> Path:
        return self.work / "endpoints.yml"

    @property
    def action_log(self) -> Path:
        return self.work / "actions.log"

    @property
    def rasa_log(self) -> Path:
        return self.work / "rasa.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/webhooks/rest/webhook"

    @property
    def rest_headers(self) -> dict[str, str]:
        """What an integration sends to the REST API: its bearer token."""
        return {"Authorization": f"Bearer {self.rest_token}"}

    def conversation(self, sender_id: str) -> str:
        return stored_sender(self.secret, sender_id)

    def audit_sender(self, sender_id: str) -> str:
        """The sender column of the audit rows of this sender's answers."""
        return Pseudonyms(self.secret.encode("utf-8")).of(AUDIT_KIND, self.conversation(sender_id))

    # -- life cycle ----------------------------------------------------------------------------

    @classmethod
    def start(cls, work: Path, model: Path | None = None, action_url: str | None = None,
              rasa_env: dict[str, str] | None = None, action_env: dict[str, str] | None = None,
              with_actions: bool = True) -> "LiveAssistant":
        work.mkdir(parents=True, exist_ok=True)
        a = cls(work=work, model=model or model_path(), action_port=free_port(),
                rasa_port=free_port(), secret=secrets.token_hex(32),
                extra_rasa_env=dict(rasa_env or {}), extra_action_env=dict(action_env or {}),
                action_url=action_url)
        a.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        a.write_endpoints()
        try:
            if with_actions:
                a.start_actions()
            a.start_rasa()
        except BaseException:
            a.stop()
            raise
        return a

    def write_endpoints(self) -> None:
        endpoints = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
        endpoints["action_endpoint"] = {
            **endpoints["action_endpoint"],
            "url": self.action_url or f"http://127.0.0.1:{self.action_port}/webhook"}
        endpoints["tracker_store"] = {**endpoints["tracker_store"], "db": str(self.tracker_db)}
        self.endpoints.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")

    def start_actions(self) -> None:
        self.actions = start_action_server(
            self.action_port, log=self.action_log,
            extra_env={"YIBAO_ASSISTANT_DB": str(self.assistant_db), "YIBAO_SENDER_SECRET": self.secret,
                       **self.extra_action_env})

    def stop_actions(self) -> None:
        stop(self.actions)
        self.actions = None

    def start_rasa(self) -> None:
        self.server = start_rasa_server(
            self.model, self.rasa_port, host="127.0.0.1", endpoints=self.endpoints, log=self.rasa_log,
            extra_env={"YIBAO_SENDER_SECRET": self.secret, "YIBAO_REST_TOKEN": self.rest_token,
                       **self.extra_rasa_env}, timeout=900)

    def stop_rasa(self) -> None:
        stop(self.server)
        self.server = None

    def stop(self) -> None:
        self.stop_rasa()
        self.stop_actions()

    def __enter__(self) -> "LiveAssistant":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- talking -------------------------------------------------------------------------------

    def rest(self, sender: str, message: Any, timeout: float = 120) -> Reply:
        self.pacer.wait(sender)
        return http(self.rest_url, {"sender": sender, "message": message}, timeout=timeout,
                    headers=self.rest_headers)

    def get(self, path: str, **kwargs: Any) -> Reply:
        return http(self.base_url + path, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any) -> Reply:
        if path.startswith("/webhooks/rest"):
            kwargs["headers"] = {**self.rest_headers, **kwargs.get("headers", {})}
        return http(self.base_url + path, body, **kwargs)

    def widget_session(self) -> str:
        reply = self.post("/webhooks/widget/session", {"sender": None})
        assert reply.status == 200, reply
        return reply.body["sender"]

    def widget(self, token: str, message: str) -> Reply:
        return self.post("/webhooks/widget/webhook", {"sender": token, "message": message})

    # -- what the servers kept -----------------------------------------------------------------

    def events(self, sender_id: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        """(sender_id, event) in store order, for one sender or all."""
        query = "SELECT sender_id, data FROM events"
        args: tuple[Any, ...] = ()
        if sender_id is not None:
            query, args = query + " WHERE sender_id = ?", (self.conversation(sender_id),)
        with sqlite3.connect(self.tracker_db) as db:
            rows = db.execute(query + " ORDER BY id", args).fetchall()
        return [(sender, json.loads(data)) for sender, data in rows]

    def user_texts(self, sender_id: str) -> list[str]:
        return [e.get("text") or "" for _, e in self.events(sender_id) if e.get("event") == "user"]

    def logs(self) -> str:
        return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in (self.action_log, self.rasa_log) if p.is_file())

    def log_sizes(self) -> tuple[int, int]:
        return tuple(p.stat().st_size if p.is_file() else 0  # type: ignore[return-value]
                     for p in (self.action_log, self.rasa_log))

    def logs_since(self, sizes: tuple[int, int]) -> str:
        out = []
        for p, start in zip((self.action_log, self.rasa_log), sizes):
            if p.is_file():
                with open(p, "rb") as f:
                    f.seek(start)
                    out.append(f.read().decode("utf-8", "replace"))
        return "\n".join(out)


def live_assistant(tmp_path_factory: Any, name: str, **kwargs: Any) -> Iterator[LiveAssistant]:
    """Generator for a pytest fixture: one assistant, stopped afterwards."""
    with LiveAssistant.start(tmp_path_factory.mktemp(name), **kwargs) as a:
        yield a
