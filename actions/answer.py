"""Route a question to its calculation form, and answer when the form is complete.

Both actions only translate: slots → bot.dialogue.catalogue → bot.policy → the engine's own text.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot import audit as log
from bot.dialogue import catalogue
from bot.dialogue.card import card_for, shows_cards
from bot.dialogue.decision import CALCULATE, DECLINE, HANDOFF, PARAMETER, Decision
from bot.dialogue.declines import GENERIC, not_covered_message
from bot.dialogue.facts import facts_for
from bot.dialogue.topics import entity_values
from bot.nlp import normalize
from bot.policy.regions import NOT_COVERED

from .decide import decision_for, respond
from .forms import VALIDATORS


class ActionRouteTopic(Action):
    """Act on the one decision for this message (bot.dialogue.decision).

    A calculation sets `topic` (remembered for follow-ups and corrections) and `route` (read by
    the rules: the form to start); any other active form is dropped. Anything else (a clause, a
    question back, a decline) is said here, `route` is `none` and an open form asks again.
    """

    def name(self) -> Text:
        return "action_route_topic"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        decision = decision_for(tracker)
        if decision.act != CALCULATE:
            return answer_otherwise(decision, dispatcher, tracker)
        kind = decision.target
        events: List[Dict[Text, Any]] = []
        if tracker.active_loop.get("name"):
            events.append(ActiveLoop(None))
        events.append(SlotSet("requested_slot", None))
        region = tracker.get_slot("region")
        if region == NOT_COVERED:
            events.append(SlotSet("region", None))
        elif region is not None:
            problem = catalogue.check_region(kind, region)
            if problem:
                dispatcher.utter_message(text=problem)
                return events + [SlotSet("route", "none"), SlotSet("decision", f"decline:{GENERIC}")]
        said = entity_values(tracker.latest_message)
        events += [SlotSet(slot, value) for slot, value in
                   facts_for(kind, said, said.get("region") or region,
                             normalize(tracker.latest_message.get("text") or "")).items()]
        events += prevalidate(kind, tracker, dispatcher, domain)
        return events + [SlotSet("topic", kind), SlotSet("route", kind), SlotSet("decision", decision.label)]


def answer_otherwise(decision: Decision, dispatcher: CollectingDispatcher,
                     tracker: Tracker) -> List[Dict[Text, Any]]:
    """A decision that is not a calculation: say it, forget a region outside the five, and let an
    open form ask its question again."""
    events = respond(decision, dispatcher, not_covered_message(bool(decision.calculation)),
                     tracker.latest_message.get("text") or "")
    if decision.act == HANDOFF:
        return events
    if tracker.get_slot("region") == NOT_COVERED:
        events.append(SlotSet("region", None))
    if decision.act in (DECLINE, PARAMETER) and decision.calculation:
        # asked again with another region; a parameter's calculation is the one «那我…呢» goes on with
        events.append(SlotSet("topic", decision.calculation))
    form = tracker.active_loop.get("name")
    return events + [SlotSet("route", "none")] + ([FollowupAction(form)] if form else [])


class ActionAnswer(Action):
    """The answer of the calculation in `topic`, rendered by the engine, with its answer card
    (bot.dialogue.card) for the front ends that show one."""

    def name(self) -> Text:
        return "action_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
            domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        kind = tracker.get_slot("topic")
        if kind not in catalogue.KINDS:
            dispatcher.utter_message(response="utter_help")
            return []
        answer = catalogue.compute(kind, tracker.current_slot_values())
        if answer.result is not None:
            audit(tracker, answer)
        card = (card_for(answer, tracker.get_slot("region"))
                if shows_cards(tracker.get_latest_input_channel()) else None)
        # the card travels as Rasa's `custom` payload beside the unchanged text
        dispatcher.utter_message(text=answer.text, json_message=card.as_dict() if card else None)
        slot = catalogue.slot_of_field(answer.field)
        events: List[Dict[Text, Any]] = [SlotSet("route", None)]
        if slot and slot in tracker.slots:
            events.append(SlotSet(slot, None))      # refused value: never reused silently
            if slot in catalogue.required_slots(kind, {**tracker.current_slot_values(), slot: None}):
                events.append(FollowupAction(f"{kind}_form"))     # ask for it again
        return events


def audit(tracker: Tracker, answer: "catalogue.Answer") -> None:
    """Record the figure in the audit log; a failing log never withholds the answer."""
    log.record_answer(tracker.sender_id, tracker.get_latest_input_channel() or "", answer.inputs,
                      answer.result, catalogue.rules().version)


def prevalidate(kind: str, tracker: Tracker, dispatcher: CollectingDispatcher,
                domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
    """Refuse impossible values given before the form starts (the form then asks again).

    A value from this very message is refused silently here: the form, when it starts, extracts
    it again and its own validation says why (saying it here too repeated the message)."""
    validator = VALIDATORS[kind]()
    said = entity_values(tracker.latest_message)
    events: List[Dict[Text, Any]] = []
    for slot in catalogue.required_slots(kind, tracker.current_slot_values()):
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
