"""Conversation harness: a trained model + a real action server, replies checked turn by turn.

The model is trained once per session when its inputs changed (bot.run.ensure_model; the CI
config `config.ci.yml` — same pipeline, fewer epochs — unless YIBAO_TEST_CONFIG says otherwise).
The action server (`python -m bot.rasa.action_server`) runs on a free loopback port for the
session; hand-offs go to a temporary database. Every conversation has its own sender id.
"""
from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import pytest
import yaml

from bot.rasa import overrides
from bot.run import action_token, ensure_model, free_port, start_action_server, stop

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def event_loop_session():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="session")
def handoff_db(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("handoff") / "assistant.db"


@pytest.fixture(scope="session")
def model_path() -> Path:
    config = os.environ.get("YIBAO_TEST_CONFIG")
    if not config:
        config = "config.ci.yml" if (ROOT / "config.ci.yml").is_file() else "config.yml"
    name = os.environ.get("YIBAO_TEST_MODEL", "yibao-ci")
    return ensure_model(config, name)


@pytest.fixture(scope="session")
def action_url(handoff_db):
    os.environ["YIBAO_ASSISTANT_DB"] = str(handoff_db)
    port = free_port()
    proc = start_action_server(port, quiet=True)
    yield f"http://127.0.0.1:{port}/webhook"
    stop(proc)


@pytest.fixture(scope="session")
def agent(model_path, action_url, event_loop_session):
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    # Imported after RASA_TELEMETRY_ENABLED is set, and only when a test needs the agent: the
    # model-free tests of this folder (test_actions.py) never load Rasa or TensorFlow.
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig
    action = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["action_endpoint"]
    # endpoints.yml's action endpoint (enable_selective_domain …) at the test's action server
    endpoints = AvailableEndpoints(action=EndpointConfig(**{**action, "url": action_url, "token": action_token()}))
    overrides.install()        # as every entry point does (YIBAO_RASA_FIXES=0: Rasa as shipped)
    return event_loop_session.run_until_complete(
        load_agent(model_path=str(model_path), endpoints=endpoints, loop=event_loop_session))


class Conversation:
    """One resident: `say(text)` returns the bot's replies (texts joined, buttons listed)."""

    def __init__(self, agent, loop) -> None:
        self.agent = agent
        self.loop = loop
        self.sender_id = f"test-{uuid.uuid4().hex[:12]}"
        self.last: list[dict] = []

    def say(self, text: str) -> str:
        self.last = self.loop.run_until_complete(
            self.agent.handle_text(text, sender_id=self.sender_id)) or []
        return self.reply

    @property
    def reply(self) -> str:
        return "\n".join(m.get("text", "") for m in self.last if m.get("text"))

    @property
    def buttons(self) -> list[str]:
        return [b.get("payload", "") for m in self.last for b in m.get("buttons") or []]

    def slots(self) -> dict:
        tracker = self.loop.run_until_complete(
            self.agent.tracker_store.get_or_create_tracker(self.sender_id))
        return tracker.current_slot_values()


@pytest.fixture
def conversation(agent, event_loop_session):
    def start() -> Conversation:
        return Conversation(agent, event_loop_session)
    return start
