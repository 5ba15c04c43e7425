"""The trained assistant for evaluation: the model with a real action server on loopback, an
in-memory tracker store, one new conversation per `start()`, Rasa's logs kept quiet."""
from __future__ import annotations

import asyncio
import os
import tempfile
import uuid
from pathlib import Path

import yaml
from rasa.core.agent import Agent, load_agent
from rasa.core.utils import AvailableEndpoints
from rasa.utils.endpoints import EndpointConfig

from bot.rasa import overrides
from bot.rasa.quiet import quiet_rasa
from bot.run import action_token, free_port, start_action_server

from .outcome import read_outcome, turn_events
from .scoring import Outcome

ROOT = Path(__file__).resolve().parents[2]


class Assistant:
    """The trained model with a real action server; one new conversation per `start()`."""

    def __init__(self, agent: Agent, loop: asyncio.AbstractEventLoop) -> None:
        self.agent = agent
        self.loop = loop

    def start(self) -> str:
        return f"eval-{uuid.uuid4().hex[:12]}"

    def say(self, sender: str, text: str) -> tuple[Outcome, str]:
        messages = self.loop.run_until_complete(self.agent.handle_text(text, sender_id=sender)) or []
        tracker = self.loop.run_until_complete(self.agent.tracker_store.get_or_create_tracker(sender))
        events = [e.as_dict() for e in tracker.events]
        reply = "\n".join(m["text"] for m in messages if m.get("text"))   # not an answer card
        if not any(e.get("event") == "user" for e in events):
            return Outcome("restart", {}), reply     # the store keeps only what followed the restart
        return read_outcome(turn_events(events), tracker.current_slot_values()), reply


def load_assistant(model: Path, loop) -> tuple[Assistant, object]:
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    os.environ.setdefault("YIBAO_ASSISTANT_DB", str(Path(tempfile.mkdtemp()) / "assistant.db"))
    port = free_port()
    proc = start_action_server(port, quiet=True)
    action = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["action_endpoint"]
    endpoints = AvailableEndpoints(action=EndpointConfig(**{**action, "url": f"http://127.0.0.1:{port}/webhook",
                                                            "token": action_token()}))
    quiet_rasa()
    overrides.install()
    agent = loop.run_until_complete(load_agent(model_path=str(model), endpoints=endpoints, loop=loop))
    return Assistant(agent, loop), proc
