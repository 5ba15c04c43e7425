"""Route a question to its calculation form, and answer when the form is complete.

Both actions only translate: slots → actions.inputs → bot.policy → the engine's own text.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.policy.regions import covered_regions_text

from . import inputs as I
from .topics import entity_values, kind_for, kind_from_message

NOT_COVERED = "not_covered"
logger = logging.getLogger(__name__)


def not_covered_message() -> str:
    return (f"您说的地区不在我们掌握的文件范围内,我不能套用其他地区的规定。"
            f"我们目前只能回答:{covered_regions_text()}的规定。")


class ActionRouteTopic(Action):
    """Decide which calculation this message asks for; the rules then start its form.

    Sets `topic` (the calculation remembered for follow-ups and corrections) and `route`
    (read by the rules: the form to start, or `none`). Any other active form is dropped.
    """

    def name(self) -> Text:
        return "action_route_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        kind = (kind_for(intent, tracker.latest_message) or kind_from_message(tracker.latest_message)
                or tracker.get_slot("topic"))
        events: List[Dict[Text, Any]] = []
        if tracker.active_loop.get("name"):
            events.append(ActiveLoop(None))
        events.append(SlotSet("requested_slot", None))
        if kind is None:
            dispatcher.utter_message(response="utter_help")
            return events + [SlotSet("route", "none")]
        region = tracker.get_slot("region")
        if region == NOT_COVERED:
            dispatcher.utter_message(text=not_covered_message())
            events.append(SlotSet("region", None))
        elif region is not None:
            problem = I.check_region(kind, region)
            if problem:
                dispatcher.utter_message(text=problem)
                return events + [SlotSet("route", "none")]
        events += prevalidate(kind, tracker, dispatcher, domain)
        return events + [SlotSet("topic", kind), SlotSet("route", kind)]


class ActionAnswer(Action):
    """The answer of the calculation in `topic`, rendered by the engine."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kind = tracker.get_slot("topic")
        if kind not in I.KINDS:
            dispatcher.utter_message(response="utter_help")
            return []
        answer = I.compute(kind, tracker.current_slot_values())
        if answer.result is not None:
            audit(tracker, answer)
        dispatcher.utter_message(text=answer.text)
        slot = I.slot_of_field(answer.field)
        events: List[Dict[Text, Any]] = [SlotSet("route", None)]
        if slot and slot in tracker.slots:
            events.append(SlotSet(slot, None))      # refused value: never reused silently
            if slot in I.required_slots(kind, {**tracker.current_slot_values(), slot: None}):
                events.append(FollowupAction(f"{kind}_form"))     # ask for it again
        return events


def audit(tracker: Tracker, answer: "I.Answer") -> None:
    """Record the figure in the audit log; a failing log never withholds the answer."""
    from bot import audit as log
    try:
        log.record(log.AuditEntry.of(tracker.sender_id, tracker.get_latest_input_channel() or "",
                                     answer.inputs, answer.result, I.rules().version))
    except Exception:
        logger.exception("审计记录写入失败")


def prevalidate(kind: str, tracker: Tracker, dispatcher: CollectingDispatcher,
                domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """Refuse impossible values given before the form starts (the form then asks again).

    A value from this very message is refused silently here: the form, when it starts, extracts
    it again and its own validation says why (saying it here too repeated the message)."""
    from .forms import VALIDATORS
    validator = VALIDATORS[kind]()
    said = entity_values(tracker.latest_message)
    events: List[Dict[Text, Any]] = []
    for slot in I.required_slots(kind, tracker.current_slot_values()):
        value = tracker.get_slot(slot)
        if slot == "region" or value is None:
            continue
        method = getattr(validator, f"validate_{slot}", None)
        if method is None:
            continue
        result = method(value, CollectingDispatcher() if said.get(slot) == value else dispatcher,
                        tracker, domain)
        if result.get(slot) != value:
            events.append(SlotSet(slot, result.get(slot)))
    return events
