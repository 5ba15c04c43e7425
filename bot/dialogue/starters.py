"""The questions most residents start with: the chat page's first buttons and the WeChat menu.

One list for every front end. `key` is stable (a WeChat menu item's EventKey, a button's id);
`question` is what the resident's press sends, worded as residents ask it, so it goes through
the same understanding as a typed question.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class Starter:
    key: str        # "waiting": the menu's EventKey, the button's id
    label: str      # the button's text
    question: str   # what pressing it sends


STARTERS: tuple[Starter, ...] = (
    Starter("waiting", "断保后要等多久", "断保后再交医保,要等多久才能报销?"),
    Starter("inpatient", "住院能报多少", "住院能报销多少钱?"),
    Starter("critical_cap", "大病保险封顶线", "大病保险最高能报多少?"),
    Starter("assistance", "医疗救助", "医疗救助能救助多少钱?"),
)

BY_KEY: Mapping[str, Starter] = {s.key: s for s in STARTERS}
