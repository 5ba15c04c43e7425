"""The words of a decision that is not a calculation: a clause for its region, a question back
with candidate buttons, or a decline. Rasa-free; actions send what these return."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Mapping

import yaml

from bot.faq import RULE_SETS, FaqEntry, load_entries, render_hit, search

from . import parameters
from .catalogue import rules
from .decision import Clause
from .declines import REGION_NOT_COVERED, declines

CLARIFY_TEXT = "我不太确定您问的是哪一件事。您是想问下面这些吗?请点一个;都不是的话,请换个说法,或拨打 12393 咨询。"


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[dict[str, str], ...] = field(default_factory=tuple)


@lru_cache(maxsize=1)
def entries() -> dict[str, FaqEntry]:
    return {e.id: e for e in load_entries()}


def search_clauses(text: str, region: str | None) -> list[str]:
    """Clause ids by full-text relevance, in the resident's rule set when known (the decision's
    `search`): never given as an answer on their own."""
    try:
        return [h.id for h in search(text, rule_set=region if region in RULE_SETS else None)]
    except Exception:          # the index must never break a conversation
        return []


COUNTERPARTS_FILE = Path(__file__).resolve().parents[2] / "data" / "faq" / "counterparts.yml"


@lru_cache(maxsize=1)
def clauses() -> dict[str, Clause]:
    """Every clause summary, with the questions it shares with other regions' clauses
    (data/faq/counterparts.yml; an unknown id there is an error)."""
    groups = (yaml.safe_load(COUNTERPARTS_FILE.read_text(encoding="utf-8")) or {}).get("topics") or {}
    topics: dict[str, set[str]] = {}
    for topic, ids in groups.items():
        for clause_id in ids:
            if clause_id not in entries():
                raise ValueError(f"{COUNTERPARTS_FILE}: unknown clause {clause_id!r} in {topic!r}")
            topics.setdefault(clause_id, set()).add(topic)
    return {e.id: Clause(e.id, e.rule_set, e.question, frozenset(topics.get(e.id, ())))
            for e in entries().values()}


def region_names() -> Mapping[str, str]:
    """Rule set → the short name residents use (山东 …), from rules/."""
    book = rules()
    return {rs: book.rule_sets[rs].short_name for rs in book.rule_sets}


def clause_reply(clause_id: str) -> Reply:
    """The clause summary, opening with whose rule it is («在山东,……»), cited."""
    entry = entries()[clause_id]
    name = region_names().get(entry.rule_set, "")
    hit = entry.as_hit()
    text = render_hit(hit)
    return Reply(f"在{name},{text}" if name else text)


NOT_UNDERSTOOD_TEXT = "抱歉,我没能理解这句话。请换个说法再说一次,比如「断保两年要等多久」;也可以说「转人工」。"


def clarify_reply(candidates: tuple[str, ...]) -> Reply:
    """«您是想问……吗?» with the candidates as buttons (each sends the clause's own question)."""
    if not candidates:
        return Reply(NOT_UNDERSTOOD_TEXT)
    names = region_names()
    buttons = tuple({"title": f"{names.get(entries()[c].rule_set, '')}:{entries()[c].question}",
                     "payload": entries()[c].question} for c in candidates if c in entries())
    return Reply(CLARIFY_TEXT, buttons)


NOTED_TEXT = "好的,记下了{facts}。请问您想了解什么?比如:断保后要等多久才能报销、住院能报多少、大病保险最高能报多少。"


def noted_reply(region: str | None) -> Reply:
    """Facts said before any question: say they are kept, and ask what the resident wants to know."""
    name = region_names().get(region or "")
    return Reply(NOTED_TEXT.format(facts=f"您在{name}" if name else "您说的情况"))


GREETING_RESPONSE = "utter_greet"      # domain.yml: a greeting with nothing else said


def parameter_reply(calculation: str, rule_set: str, text: str, on: dt.date) -> Reply | None:
    found = parameters.answer(rules(), calculation, rule_set, text, on)
    return Reply(found.text) if found else None


def figure_asked(calculation: str, region: str | None, text: str, on: dt.date) -> tuple[str, str] | None:
    """(rule set, parameter) when `text` asks one figure of `calculation` that the region (or
    the only rule set that has such figures) states; for bot.dialogue.decision.decide."""
    book = rules()
    rule_set = parameters.by_region(book, region, calculation)
    found = parameters.answer(book, calculation, rule_set, text, on) if rule_set else None
    return (found.rule_set, found.name) if found else None


def decline_reply(topic: str, not_covered_text: str) -> Reply:
    if topic == REGION_NOT_COVERED:
        return Reply(not_covered_text)
    return Reply(declines().message(topic))
