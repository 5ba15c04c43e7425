"""FAQ, fallback, hand-off, and restart or repeat actions."""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.dialogue.decision import CALCULATE
from bot.dialogue.wording import asks_repeat
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


NOTHING_TO_REPEAT = "我还没有回答过您的问题。请问您想了解什么?比如:断保后要等多久才能报销、住院能报多少。"


def last_answer(events: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The bot messages between the resident's previous message and the latest one."""
    users = [i for i, e in enumerate(events) if e.get("event") == "user"]
    if len(users) < 2:
        return []
    return [e for e in events[users[-2] + 1:users[-1]] if e.get("event") == "bot"]


class ActionRestartOrRepeat(Action):
    """Rasa's `action_restart`, overridden by name (the intent `restart` always runs it): «重新开始»
    clears the conversation as Rasa's does; «再说一遍» / «重新说一下», which the NLU also reads as
    restart, says the last answer again and keeps everything. In a form the form asks its question
    again, so nothing is said here."""

    def name(self) -> Text:
        return "action_restart"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        if not asks_repeat(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_restart")
            return [Restarted()]
        if tracker.active_loop.get("name"):
            return []
        said = last_answer(tracker.events)
        if not said:
            dispatcher.utter_message(text=NOTHING_TO_REPEAT)
        for message in said:
            data = message.get("data") or {}
            dispatcher.utter_message(text=message.get("text"), buttons=data.get("buttons") or [])
        return []
