"""`RemoteAction._validate_action_result` of Rasa 3.6.21, without its two wasted walks.

Rasa validates every custom action's response with `jsonschema.validate(result, schema)`:
1. it first checks the (constant) schema itself against the JSON Schema meta-schema, every time;
2. each event is then tried against all 23 branches of the schema's `oneOf` (one per event
   type) and every branch is walked in full: most of a valid response's cost.

`response_validator()` returns a drop-in `_validate_action_result`:
- the schema is checked once, when the validator is built;
- fast path: an event is valid when its common part (the schema of an event without `oneOf`)
  and the one branch whose `event` constant is the event's name are valid. The other branches
  require another constant for the required key `event`, so they cannot match, and `oneOf` holds
  exactly then. A response passes only if it is an object, `events` and `responses` are arrays
  when present, and every item is valid: what the schema says (see `schema_shape_is_known`);
- anything the fast path does not pass is validated exactly as Rasa does (same validator, same
  `best_match` error, same message added), so an invalid response fails as before.
tests/rasa/test_fixes.py compares both on valid and invalid responses.

`cached_response_validation()` puts it in place for a block (the server's run, a transcript
batch); `install_cached_response_validation()` for the life of a transcript worker process.
"""
from __future__ import annotations

import contextlib
from typing import Any, Callable, Dict, Iterator, Text

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from bot.rasa import overrides

Validate = Callable[[RemoteAction, Dict[Text, Any]], bool]


def schema_shape_is_known(schema: Dict[Text, Any]) -> bool:
    """The fast path is only right for the schema shape it was written for (Rasa 3.6)."""
    if set(schema) != {"type", "properties"} or schema["type"] != "object":
        return False
    props = schema["properties"]
    if set(props) != {"events", "responses"}:
        return False
    if any(set(props[k]) != {"type", "items"} or props[k]["type"] != "array" for k in props):
        return False
    if props["responses"]["items"] != {"type": "object"}:
        return False
    event = props["events"]["items"]
    if set(event) != {"type", "properties", "required", "oneOf"} or event["required"] != ["event"]:
        return False
    names = [branch.get("properties", {}).get("event", {}).get("const") for branch in event["oneOf"]]
    return all(isinstance(n, str) for n in names) and len(set(names)) == len(names)


def response_validator(schema: Dict[Text, Any] | None = None) -> Validate:
    schema = schema or RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    full = cls(schema)
    fast_path = schema_shape_is_known(schema)
    if fast_path:
        event_schema = schema["properties"]["events"]["items"]
        common = cls({k: v for k, v in event_schema.items() if k != "oneOf"})
        branches = {b["properties"]["event"]["const"]: cls(b) for b in event_schema["oneOf"]}

    def event_is_valid(event: Any) -> bool:
        if not isinstance(event, dict):
            return False
        name = event.get("event")
        branch = branches.get(name) if isinstance(name, str) else None
        return branch is not None and common.is_valid(event) and branch.is_valid(event)

    def surely_valid(result: Any) -> bool:
        if not fast_path or not isinstance(result, dict):
            return False
        events = result.get("events", [])
        responses = result.get("responses", [])
        return (isinstance(events, list) and isinstance(responses, list)
                and all(isinstance(r, dict) for r in responses)
                and all(event_is_valid(e) for e in events))

    def validate(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        if surely_valid(result):
            return True
        error = best_match(full.iter_errors(result))
        if error is None:
            return True
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error

    return validate


def install_cached_response_validation() -> None:
    """For a process that only ever runs the assistant (a transcript worker): for good. Nothing
    when the overrides are switched off (YIBAO_RASA_FIXES=0)."""
    if not overrides.wanted():
        return
    overrides.check_versions()
    RemoteAction._validate_action_result = response_validator()  # type: ignore[assignment]


@contextlib.contextmanager
def cached_response_validation() -> Iterator[None]:
    """Inside: action responses validated by `response_validator()`; Rasa's method restored on
    exit."""
    original = RemoteAction.__dict__["_validate_action_result"]
    install_cached_response_validation()
    try:
        yield
    finally:
        RemoteAction._validate_action_result = original  # type: ignore[assignment]
