"""The tracker as the dialogue's Reading and State, and a Decision sent back as events.

The decision itself is bot.dialogue.decision.decide (Rasa-free); this module only translates.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.decision import (CLARIFY, DECLINE, FAQ, HANDOFF, NOTED, PARAMETER, RETRIEVAL_INTENT,
                                   Candidate, Decision, Reading, State, decide)
from bot.dialogue.replies import (GREETING_RESPONSE, clarify_reply, clause_reply, clauses,
                                  decline_reply, figure_asked, noted_reply, parameter_reply, search_clauses)
from bot.nlp import normalize

FORM_SUFFIX = "_form"


def reading_of(tracker: Tracker) -> Reading:
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    selector = (message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    ranked = selector.get("ranking") or ([selector["response"]] if selector.get("response") else [])
    ranking = tuple(Candidate(str(r.get("intent_response_key", "")).split("/", 1)[-1], float(r.get("confidence") or 0))
                    for r in ranked)
    said = {e.get("entity"): e.get("value") for e in message.get("entities") or [] if e.get("value") is not None}
    return Reading(text=normalize(message.get("text") or ""), intent=intent.get("name"),
                   confidence=float(intent.get("confidence") or 0), said=said, faq=ranking)


def state_of(tracker: Tracker) -> State:
    form = tracker.active_loop.get("name") or ""
    return State(form=form[: -len(FORM_SUFFIX)] if form.endswith(FORM_SUFFIX) else None,
                 requested_slot=tracker.get_slot("requested_slot"), topic=tracker.get_slot("topic"),
                 region=tracker.get_slot("region"))


def _figure(calculation: str, region: str | None, text: str) -> tuple[str, str] | None:
    return figure_asked(calculation, region, text, dt.date.today())


def decision_for(tracker: Tracker) -> Decision:
    return decide(reading_of(tracker), state_of(tracker), clauses(), search=search_clauses, figure=_figure)


def respond(decision: Decision, dispatcher: CollectingDispatcher, not_covered_text: str,
            text: str = "") -> List[Dict[Text, Any]]:
    """Say what a non-calculation decision says; returns the events that record it (inside a
    form, the `decision` slot set here also tells Rasa the message was dealt with)."""
    if decision.act == HANDOFF:
        return [SlotSet("decision", decision.label), FollowupAction("action_handoff")]
    if decision.act == FAQ:
        reply = clause_reply(decision.target)
    elif decision.act == CLARIFY:
        reply = clarify_reply(decision.candidates)
    elif decision.act == DECLINE:
        reply = decline_reply(decision.target, not_covered_text)
    elif decision.act == PARAMETER:
        reply = parameter_reply(decision.calculation, decision.region, normalize(text or ""), dt.date.today())
        if reply is None:
            return []
    elif decision.act == NOTED and decision.target is None:
        dispatcher.utter_message(response=GREETING_RESPONSE)
        return [SlotSet("decision", decision.label)]
    elif decision.act == NOTED:
        reply = noted_reply(decision.region)
    else:
        return []
    dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons) or None)
    return [SlotSet("decision", decision.label)]
