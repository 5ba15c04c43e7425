"""`rasa.shared.core.events.Event.resolve_by_type` without walking the class tree on every event.

Rasa turns every stored or received event dict into an Event through `resolve_by_type`, which
lists all subclasses of Event recursively (about 26 lists and an `inspect.isabstract` each) and
returns the first whose `type_name` matches. Rebuilding a conversation of a few hundred events
from the tracker store did that for each event: 30% of the tracker store's time (cProfile,
issue 6). Here the class found for a name is remembered; a name not found is looked up by Rasa's
own function every time (it also handles the old `topic` events, defaults and errors). Rasa
defines every event class when `rasa.shared.core.events` is imported, so the answer for a name
cannot change afterwards.
"""
from __future__ import annotations

import functools
from typing import Optional, Text, Type

from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

_ORIGINAL = Event.resolve_by_type


@functools.lru_cache(maxsize=None)
def _class_named(type_name: Text) -> Optional[Type[Event]]:
    """The first non-abstract Event subclass with this type name, in Rasa's order."""
    return next((cls for cls in all_subclasses(Event) if cls.type_name == type_name), None)


def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    found = _class_named(type_name) if isinstance(type_name, str) else None
    return found if found is not None else _ORIGINAL(type_name, default)


def install() -> None:
    Event.resolve_by_type = staticmethod(resolve_by_type)


def original() -> object:
    return _ORIGINAL
