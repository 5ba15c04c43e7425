"""A conversation's cost stays flat however long it runs: a session is rolled over at a size.

Rasa loads a conversation's latest session for every turn (twice) and saves it back, so a turn's
cost grows with the session: in a 300-turn conversation a turn went from 0.09 s to 0.4–1.2 s, and
every other conversation on the server waited meanwhile. Sessions end only after
`session_expiration_time` (domain.yml) without a message.

`rollover(tracker, max_events)`: when the latest session holds more than `max_events` events, the
events that start a new one in its place: `action_session_start`, SessionStarted, every slot
that has a value, the open form (ActiveLoop) and `action_listen`: what Rasa's own session start
carries over (`carry_over_slots_to_new_session`), plus the form, so the resident notices nothing
and the next turn loads only these. The tracker store (bot.rasa.tracker_store) appends them when
it saves a turn; the earlier sessions stay in the database.
"""
from __future__ import annotations

from typing import List

from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SessionStarted, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

DEFAULT_MAX_SESSION_EVENTS = 400      # ~25 turns of this assistant


def events_in_latest_session(tracker: DialogueStateTracker) -> int:
    """Events since the latest SessionStarted (all of them if there is none)."""
    for position in range(len(tracker.events) - 1, -1, -1):
        if isinstance(tracker.events[position], SessionStarted):
            return len(tracker.events) - position
    return len(tracker.events)


def rollover(tracker: DialogueStateTracker, max_events: int) -> List[Event]:
    """The events that start a fresh session carrying everything over, or [] below the size."""
    if events_in_latest_session(tracker) <= max_events:
        return []
    carried: List[Event] = [ActionExecuted(ACTION_SESSION_START_NAME), SessionStarted()]
    carried += [SlotSet(name, value) for name, value in tracker.current_slot_values().items()
                if value is not None]
    if tracker.active_loop_name:
        carried.append(ActiveLoop(tracker.active_loop_name))
    carried.append(ActionExecuted(ACTION_LISTEN_NAME))
    return carried
