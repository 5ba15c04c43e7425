"""A tracker store for the transcript batch: trackers kept as objects, in memory, per call.

Rasa's InMemoryTrackerStore serialises the whole tracker to JSON on every save and rebuilds it
from JSON on every retrieve (twice per message, a third time when the batch reads the turn) —
about 6 % of a turn in the profile, growing with the conversation. One batch process handles
one conversation at a time and drops it when the call is done, so the tracker object itself can
be kept: save stores it, retrieve hands the same object back.
"""
from __future__ import annotations

from typing import Iterable, Optional, Text

from rasa.core.tracker_store import TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker


class CallTrackerStore(TrackerStore):
    def __init__(self, domain: Optional[Domain] = None) -> None:
        super().__init__(domain)
        self.trackers: dict[str, DialogueStateTracker] = {}

    async def save(self, tracker: DialogueStateTracker) -> None:
        self.trackers[tracker.sender_id] = tracker

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return self.trackers.get(sender_id)

    async def retrieve_full_tracker(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        return self.trackers.get(sender_id)

    async def keys(self) -> Iterable[Text]:
        return self.trackers.keys()

    def forget(self, sender_id: str) -> None:
        self.trackers.pop(sender_id, None)
