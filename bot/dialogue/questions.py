"""What the assistant asks for each fact a calculation reads, and the buttons it offers: the form
prompts of domain.yml (`utter_ask_<slot>`, or `utter_ask_<kind>_form_<slot>` where one
calculation words it its own way). Every other front end (the terminal self-check, …) reads the
wording from here, so each fact is asked in one way everywhere."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import yaml

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
PREFIX = "utter_ask_"


@dataclass(frozen=True)
class Asked:
    text: str
    buttons: tuple[str, ...] = ()       # button titles, in the order shown


@lru_cache(maxsize=1)
def prompts() -> Mapping[str, Asked]:
    """`<slot>` or `<kind>_form_<slot>` → its question, from the domain's responses."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    out = {}
    for name, variants in responses.items():
        if name.startswith(PREFIX) and variants:
            first = variants[0]
            out[name[len(PREFIX):]] = Asked(str(first.get("text", "")).strip(),
                                            tuple(str(b["title"]) for b in first.get("buttons") or ()))
    return out


def asked(slot: str, kind: str | None = None) -> Asked:
    """The question for `slot`, in the words of calculation `kind` when it has its own."""
    known = prompts()
    if kind is not None and f"{kind}_form_{slot}" in known:
        return known[f"{kind}_form_{slot}"]
    return known[slot]
