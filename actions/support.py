"""FAQ, fallback, hand-off and restart actions."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

RETRIEVAL_INTENT = "ask_policy"
# Below this ResponseSelector confidence the prepared answer is not trusted: full-text search.
MIN_RETRIEVAL_CONFIDENCE = 0.5
FAQ_RULE_SETS = ("shandong", "yantai", "shanxi", "jiangxi", "xinjiang")


def _resume(tracker: Tracker) -> List[Dict[Text, Any]]:
    """Ask the pending question again after a side answer (the form stays active)."""
    form = tracker.active_loop.get("name")
    return [FollowupAction(form)] if form else []


def _calculation_instead(tracker: Tracker, keywords: bool = True) -> List[Dict[Text, Any]]:
    """A calculation question the classifier took for FAQ/fallback: route it to its form.

    A number only a calculation uses always counts; topic words only when `keywords`
    (the prepared FAQ answer was not confident)."""
    from .topics import kind_from_message, states_calculation_facts
    if kind_from_message(tracker.latest_message, keywords=keywords) or (
            tracker.get_slot("topic") and states_calculation_facts(tracker.latest_message)):
        return [FollowupAction("action_route_topic")]
    return []


def faq_answer(text: str, region: str | None) -> str | None:
    """Best FAQ clause summary for free text, rendered with its citation; None if nothing fits."""
    from bot.faq import render_hit, search
    rule_set = region if region in FAQ_RULE_SETS else None
    try:
        hits = search(text or "", rule_set=rule_set, limit=1)
    except Exception:          # the index must never break a conversation
        return None
    return render_hit(hits[0]) if hits else None


class ActionAnswerFaq(Action):
    """FAQ: the prepared retrieval answer when confident, else full-text search, else help."""

    def name(self) -> Text:
        return "action_answer_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        selector = (tracker.latest_message.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
        response = selector.get("response") or {}
        key = response.get("intent_response_key")
        confidence = response.get("confidence") or 0.0
        responses = domain.get("responses") or {}
        calculation = _calculation_instead(tracker, keywords=confidence < MIN_RETRIEVAL_CONFIDENCE)
        if calculation:
            return calculation
        if key and confidence >= MIN_RETRIEVAL_CONFIDENCE and f"utter_{key}" in responses:
            dispatcher.utter_message(response=f"utter_{key}")
            return _resume(tracker)
        found = faq_answer(tracker.latest_message.get("text", ""), tracker.get_slot("region"))
        if found:
            dispatcher.utter_message(text=found)
        elif key and f"utter_{key}" in responses:
            dispatcher.utter_message(response=f"utter_{key}")
        else:
            dispatcher.utter_message(response="utter_help")
        return _resume(tracker)


class ActionFallback(Action):
    """Out of scope / low NLU confidence: a FAQ clause if one fits, else what I can do."""

    def name(self) -> Text:
        return "action_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        calculation = _calculation_instead(tracker)
        if calculation:
            return calculation
        found = None
        if intent != "out_of_scope":
            found = faq_answer(tracker.latest_message.get("text", ""), tracker.get_slot("region"))
        if found:
            dispatcher.utter_message(text=found)
        else:
            dispatcher.utter_message(response="utter_help")
        return _resume(tracker)


def record_handoff(sender_id: str, text: str, db_path: Path | str | None = None) -> None:
    """Store the request (personal data masked) in table `handoffs` of var/assistant.db."""
    from bot.audit import assistant_db
    from bot.nlp import mask_personal_data
    from bot.sqlite_writes import open_shared, write_transaction
    path = Path(db_path or assistant_db())
    path.parent.mkdir(parents=True, exist_ok=True)
    db = open_shared(path)
    try:
        with write_transaction(db):
            db["handoffs"].insert({
                "sender_id": sender_id,
                "text": mask_personal_data(text or ""),
                "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            }, pk="id", alter=True)
    finally:
        db.conn.close()


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        if text.startswith("/"):            # the widget's 「转人工」 button sends the intent itself
            text = "(点击了「转人工」按钮)"
        record_handoff(tracker.sender_id, text)
        dispatcher.utter_message(response="utter_handoff")
        events: List[Dict[Text, Any]] = [SlotSet("requested_slot", None), SlotSet("route", None)]
        if tracker.active_loop.get("name"):
            events.insert(0, ActiveLoop(None))
        return events
