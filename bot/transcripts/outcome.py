"""What the assistant did with one caller turn, read from the conversation's tracker events.

Intent and confidence come from the turn's UserUttered event, the answer from its BotUttered
events, the slots from the tracker after the turn.

The figure: when `action_answer` ran in the turn, the calculation is redone with
bot.dialogue.catalogue.compute — the very function that action calls — on the slot values the tracker
had when the action ran (the events up to that ActionExecuted, replayed). The engine's Result
gives the exact Decimal, its unit and the calculation. The figure is kept only when the
recomputed reply is word for word a reply the bot sent in that turn, so a stored figure is always
one the caller was actually told. Parsing numbers out of the reply text was rejected: replies hold
several numbers (steps, thresholds, clause numbers), and the wording belongs to bot.policy.render.

A turn fell back when the assistant did not answer it: the NLU fallback intent, Rasa's core
fallback action, the help text (utter_help), or a decision (the `decision` slot of
bot.dialogue.decision) to decline or to ask back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Sequence

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dialogue.catalogue import KINDS, compute

ANSWER_ACTION = "action_answer"
FALLBACK_INTENT = "nlu_fallback"
FALLBACK_ACTIONS = frozenset({"action_default_fallback"})
HELP_RESPONSE = "utter_help"
DECISION_SLOT = "decision"
NOT_ANSWERED = ("decline:", "clarify")      # decisions that leave the question unanswered
HIDDEN_SLOTS = frozenset({"session_started_metadata", "requested_slot"})


def plain_decimal(value: Decimal) -> str:
    """Exact, without exponent or trailing zeros: 14700.00 → 14700, 0.50 → 0.5."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Figure:
    value: str            # exact decimal (plain_decimal of the engine's Result.value)
    unit: str             # 元 | 个月 | 元/月
    calculation: str      # waiting, cap, inpatient …


@dataclass(frozen=True)
class TurnOutcome:
    intent: str | None
    confidence: float | None
    entities: dict[str, Any]
    slots: dict[str, Any]
    answer: str
    figure: Figure | None
    fell_back: bool
    figure_unconfirmed: bool = False      # action_answer gave a figure we could not match
    responses: tuple[str, ...] = field(default=())   # utter_* names used in the reply


def _turn_start(events: Sequence[Event]) -> int:
    for i in range(len(events) - 1, -1, -1):
        if isinstance(events[i], UserUttered):
            return i
    raise ValueError("no user message in the tracker")


def _texts_after(events: Sequence[Event], start: int) -> list[str]:
    """Bot texts from `start` up to the next action."""
    out = []
    for event in events[start:]:
        if isinstance(event, ActionExecuted):
            break
        if isinstance(event, BotUttered) and event.text:
            out.append(event.text)
    return out


def figure_of(events: Sequence[Event], index: int, sender_id: str,
              domain: Domain) -> tuple[Figure | None, bool]:
    """(figure, unconfirmed) for the action_answer at `events[index]`."""
    before = DialogueStateTracker.from_events(sender_id, list(events[:index]), slots=domain.slots)
    slots = before.current_slot_values()
    kind = slots.get("topic")
    if kind not in KINDS:
        return None, False
    answer = compute(kind, slots)
    if answer.result is None or answer.result.value is None:
        return None, False
    if answer.text not in _texts_after(events, index + 1):
        return None, True
    figure = Figure(value=plain_decimal(Decimal(answer.result.value)), unit=answer.result.unit,
                    calculation=kind)
    return figure, False


def read_turn(tracker: DialogueStateTracker, domain: Domain) -> TurnOutcome:
    """The outcome of the latest user message of `tracker`."""
    events = list(tracker.events)
    start = _turn_start(events)
    user = events[start]
    assert isinstance(user, UserUttered)
    intent = user.intent or {}
    turn_events = events[start:]
    actions = [e.action_name for e in turn_events if isinstance(e, ActionExecuted)]
    bots = [e for e in turn_events if isinstance(e, BotUttered)]
    responses = tuple(str(b.metadata.get("utter_action")) for b in bots
                      if (b.metadata or {}).get("utter_action"))
    figure, unconfirmed = None, False
    for offset, event in enumerate(turn_events):
        if isinstance(event, ActionExecuted) and event.action_name == ANSWER_ACTION:
            found, missed = figure_of(events, start + offset, tracker.sender_id, domain)
            figure, unconfirmed = (found, False) if found else (figure, unconfirmed or missed)
    decisions = [str(e.value) for e in turn_events if isinstance(e, SlotSet) and e.key == DECISION_SLOT and e.value]
    fell_back = (intent.get("name") == FALLBACK_INTENT or bool(FALLBACK_ACTIONS.intersection(actions))
                 or HELP_RESPONSE in responses or any(d.startswith(NOT_ANSWERED) for d in decisions))
    return TurnOutcome(
        intent=intent.get("name"),
        confidence=None if intent.get("confidence") is None else float(intent["confidence"]),
        entities={e.get("entity"): e.get("value") for e in user.entities or []},
        slots={k: v for k, v in tracker.current_slot_values().items()
               if v is not None and k not in HIDDEN_SLOTS},
        answer="\n".join(b.text for b in bots if b.text),
        figure=figure, fell_back=fell_back, figure_unconfirmed=unconfirmed, responses=responses)
