"""What the operator page shows of one hand-off request, masked (no Rasa, no web server).

From the request (bot.handoffs) and its conversation's tracker events (Rasa's `as_dict()`): when,
through which channel, the region the conversation had reached (the `region` slot: a rule set,
shown by the short name residents use, 山东 …), what the
resident said when asking for a person, and the user and bot lines up to the request
(bot.web.history.transcript: since the last restart, at most its last 200). Every text goes
through bot.nlp.mask_personal_data again on the way out, whatever was stored.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Mapping

from bot.dialogue.replies import region_names
from bot.handoffs import HandoffRequest
from bot.nlp import mask_personal_data
from bot.web.history import transcript

# Where a conversation id comes from (bot.web.sender_ids, bot.web.rest's pseudonyms).
CHANNELS: Mapping[str, str] = {"web-": "网页聊天", "rest-": "对接系统"}
OTHER_CHANNEL = "其他渠道"
# Events up to this long after the request's time (stored to the second) belong to it: the
# reply that says the request was received is written just after it.
AFTER_REQUEST_SECONDS = 2.0


def channel_of(sender_id: str) -> str:
    return next((name for prefix, name in CHANNELS.items() if sender_id.startswith(prefix)),
                OTHER_CHANNEL)


def _timestamp(iso: str) -> float | None:
    try:
        return dt.datetime.fromisoformat(iso).timestamp()
    except ValueError:
        return None


def until_request(events: Iterable[Mapping[str, Any]], created_at: str) -> list[Mapping[str, Any]]:
    """The events written before the request (and its reply); all of them when its time is unknown."""
    at = _timestamp(created_at)
    events = list(events)
    if at is None:
        return events
    end = at + AFTER_REQUEST_SECONDS
    return [e for e in events if not isinstance(e.get("timestamp"), (int, float)) or e["timestamp"] < end]


def region_of(events: Iterable[Mapping[str, Any]]) -> str | None:
    """The `region` slot's value at the end of `events` (a restart clears it)."""
    region = None
    for event in events:
        if event.get("event") == "restart":
            region = None
        elif event.get("event") == "slot" and event.get("name") == "region":
            value = event.get("value")
            region = str(value) if value not in (None, "") else None
    return region


def request_view(request: HandoffRequest, events: Iterable[Mapping[str, Any]] | None,
                 user_labels: Mapping[str, str]) -> dict[str, Any]:
    """The request as the operator page's JSON; `events` None when the conversation could not be
    read (then `conversation` is None and the region unknown)."""
    cut = until_request(events, request.created_at) if events is not None else None
    region = region_of(cut) if cut is not None else None
    region = region_names().get(region, region) if region else None
    lines = ([{"who": line["who"], "text": line["text"]} for line in transcript(cut, user_labels)]
             if cut is not None else None)
    return {
        "id": request.id,
        "created_at": request.created_at,
        "channel": channel_of(request.sender_id),
        "region": mask_personal_data(region) if region else None,
        "asked": mask_personal_data(request.text),
        "state": request.state,
        "operator": mask_personal_data(request.operator) if request.operator else None,
        "claimed_at": request.claimed_at,
        "done_at": request.done_at,
        "conversation": lines,
    }
