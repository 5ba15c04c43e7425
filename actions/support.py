"""FAQ, fallback, hand-off and restart actions."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.decision import CALCULATE
from bot.handoffs import record_handoff

from .answer import answer_otherwise
from .decide import decision_for


class ActionAnswerFaq(Action):
    """A message classified as a policy question: acts on the one decision for it (a calculation
    goes to action_route_topic; a clause, a question back or a decline is said here)."""

    def name(self) -> Text:
        return "action_answer_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        decision = decision_for(tracker)
        if decision.act == CALCULATE:
            return [FollowupAction("action_route_topic")]
        return answer_otherwise(decision, dispatcher, tracker)


class ActionFallback(ActionAnswerFaq):
    """Out of scope / low NLU confidence: the same decision (never a neighbouring clause)."""

    def name(self) -> Text:
        return "action_fallback"


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
