"""Every reply of the conversation set, as JSON on stdout, from a model with a real action server:

    python -m tests.conversation.replies MODEL

Run by test_fixes_switch.py with the Rasa fixes on and off (YIBAO_RASA_FIXES), in processes of
their own, since the fixes are installed for a whole process.
"""
from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import yaml
from rasa.utils.tensorflow import model_data_utils

from bot.evaluation.assistant import load_assistant
from bot.rasa.fixes import fake_features

CONVERSATIONS = Path(__file__).resolve().parent / "conversations.yml"


def replies(model: Path) -> dict[str, list[str]]:
    loop = asyncio.new_event_loop()
    assistant, action_server = load_assistant(model, loop)
    try:
        out = {}
        for conversation in yaml.safe_load(CONVERSATIONS.read_text(encoding="utf-8")):
            sender = assistant.start()
            out[conversation["name"]] = [assistant.say(sender, turn["say"])[1] for turn in conversation["turns"]]
        return out
    finally:
        action_server.terminate()
        loop.close()


if __name__ == "__main__":
    said = replies(Path(sys.argv[1]))
    json.dump({"fixes": model_data_utils._create_fake_features is fake_features.create_fake_features,
               "replies": said}, sys.stdout, ensure_ascii=False)
