"""What is stored, and what the assistant is given, for each line of a call: the text with personal
data masked (bot.nlp.mask_personal_data), then normalised as spoken text (bot.nlp.normalize). Each
call is one conversation, of sender `hotline-<call_id>`."""
from __future__ import annotations

from bot.nlp import mask_personal_data, normalize
from bot.transcripts.reader import Call

SENDER_PREFIX = "hotline-"


def sender_for(call_id: str) -> str:
    return SENDER_PREFIX + call_id


def prepared(text: str) -> tuple[str, str]:
    """(masked text, normalised text) of what was said."""
    masked = mask_personal_data(text)
    return masked, normalize(masked)


def caller_texts(call: Call) -> list[str]:
    """What the assistant is given for each caller turn: the normalised text (masked if empty)."""
    return [normalized or masked for masked, normalized in (prepared(t.text) for t in call.caller_turns)]
