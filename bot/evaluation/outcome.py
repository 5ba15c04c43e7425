"""What the assistant did with one message, read from the events of that turn.

Works on event dicts (`Event.as_dict()`), so it needs no Rasa import. The `decision` slot, set by
the dialogue's one decision per message, says it directly; turns that rules answer without a
decision (greetings, hand-off) are read from the response they uttered.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable, Mapping

from bot.faq.loader import load_entries

from .scoring import Outcome

UTTERANCES = {
    "utter_greet": "greet", "utter_goodbye": "goodbye", "utter_thanks": "thanks",
    "utter_iamabot": "bot_challenge", "utter_handoff": "handoff", "utter_restart": "restart",
    "utter_default": "clarify", "utter_help": "decline:not_in_documents",
    "utter_anything_else": "thanks",
}
NOT_COVERED_MARK = "不在我们掌握的文件范围"
FORM_SUFFIX = "_form"


@lru_cache(maxsize=1)
def _clause_answers() -> tuple[tuple[str, str], ...]:
    return tuple((e.id, e.answer.strip()) for e in load_entries())


def clause_in(text: str) -> str | None:
    """The id of the clause summary a reply states, if any."""
    for clause_id, answer in _clause_answers():
        if answer and answer in text:
            return clause_id
    return None


def _utterance_label(event: Mapping[str, Any]) -> str | None:
    action = (event.get("metadata") or {}).get("utter_action") or ""
    if action.startswith("utter_ask_policy/"):
        key = action.split("/", 1)[1]
        return "decline:not_in_documents" if key == "not_in_documents" else f"faq:{key}"
    return UTTERANCES.get(action)


def turn_events(events: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The events after the last user message."""
    for i in range(len(events) - 1, -1, -1):
        if events[i].get("event") == "user":
            return list(events[i + 1:])
    return list(events)


def read_outcome(turn: Iterable[Mapping[str, Any]], slots: Mapping[str, Any]) -> Outcome:
    """The outcome of a turn from its events and the slots held after it."""
    facts = {k: v for k, v in slots.items() if v is not None}
    decision = form = answered = uttered = faq = None
    texts = []
    for event in turn:
        kind = event.get("event")
        if kind == "restart":
            return Outcome("restart", {})
        if kind == "slot" and event.get("name") == "decision" and event.get("value"):
            decision = event["value"]
        elif kind == "active_loop" and (event.get("name") or "").endswith(FORM_SUFFIX):
            form = event["name"][: -len(FORM_SUFFIX)]
        elif kind == "action" and event.get("name") == "action_answer":
            answered = slots.get("topic")
        elif kind == "bot":
            texts.append(event.get("text") or "")
            uttered = uttered or _utterance_label(event)
            faq = faq or clause_in(event.get("text") or "")
    if decision:
        return Outcome(decision, facts)
    if form or answered:
        return Outcome(f"calc:{form or answered}", facts)
    if uttered and uttered.startswith("faq:"):
        return Outcome(uttered, facts)
    if faq:
        return Outcome(f"faq:{faq}", facts)
    if any(NOT_COVERED_MARK in t for t in texts):
        return Outcome("decline:region_not_covered", facts)
    if uttered:
        return Outcome(uttered, facts)
    active = slots.get("requested_slot")
    if active:
        return Outcome(f"calc:{slots.get('topic')}", facts)
    return Outcome("decline:not_in_documents" if texts else "silence", facts)
