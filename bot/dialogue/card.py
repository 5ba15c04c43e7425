"""The answer card: what a figure answer shows in a front end that can show more than text.

Rasa-free. `card_for(answer, region)` turns the catalogue's Answer into a Card; `Card.as_dict()`
is the JSON the custom action sends beside the unchanged answer text (Rasa's `custom` payload):

    {"type": "answer_card", "kind", "label", "figure", "unit", "meaning", "parts", "steps",
     "notes", "readings", "warnings", "sources": [{"name", "clause", "title", "region", "draft"}],
     "draft", "draft_note", "small_print", "followups": [{"label", "question"}]}

`figure` is the figure as the text shows it ("14,700", "提高 3,000"), null when our documents
do not give it; `label` says what it is (the Result's label). The chat page and the self-check
page render it with one script (bot/web/static/card.js); plain-text channels ignore it and send
the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.dialogue.catalogue import Answer
from bot.dialogue.followups import FollowUp, followups
from bot.dialogue.meanings import meaning
from bot.policy.context import LOCAL_OFFICE
from bot.policy.model import DRAFT_WARNING, Citation, Result, fmt_money
from bot.policy.render import shown_value

CARD_TYPE = "answer_card"
# Channels that would print a custom payload as raw JSON after the text: Rasa's console
# (`make shell`). They get the text alone.
RAW_JSON_CHANNELS = frozenset({"cmdline"})
# the kinds whose parts (the figures the total is made of) the card lists, as the text does
KINDS_WITH_PARTS = ("assistance", "chain")


@dataclass(frozen=True)
class Source:
    name: str       # the document's short name: 新疆参保长效机制实施意见
    clause: str     # 二、(五)
    title: str      # its full title, shown on tap
    region: str     # 新疆
    draft: bool

    @classmethod
    def of(cls, citation: Citation) -> "Source":
        return cls(citation.short_title or citation.title, citation.clause, citation.title,
                   citation.region_name, citation.draft)


@dataclass(frozen=True)
class Card:
    kind: str
    label: str                      # what the figure is: 待遇等待期
    figure: str | None              # "4", "14,700", "提高 3,000"; None: our documents lack it
    unit: str                       # 个月, 元, 元/月
    meaning: str                    # one plain sentence
    parts: tuple[str, ...]          # 医疗救助:30,000 元
    steps: tuple[str, ...]          # how it was worked out, in order
    notes: tuple[str, ...]          # facts that did not matter, notes, figures the documents lack
    readings: tuple[str, ...]       # our readings of the documents
    warnings: tuple[str, ...]       # besides the draft one
    sources: tuple[Source, ...]
    draft: bool                     # built on a draft for comment (征求意见稿)
    small_print: str                # 以当地医保经办机构核定为准 …
    followups: tuple[FollowUp, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "type": CARD_TYPE, "kind": self.kind, "label": self.label, "figure": self.figure,
            "unit": self.unit, "meaning": self.meaning, "parts": list(self.parts),
            "steps": list(self.steps), "notes": list(self.notes), "readings": list(self.readings),
            "warnings": list(self.warnings),
            "sources": [{"name": s.name, "clause": s.clause, "title": s.title, "region": s.region,
                         "draft": s.draft} for s in self.sources],
            "draft": self.draft, "draft_note": DRAFT_WARNING if self.draft else "",
            "small_print": self.small_print,
            "followups": [{"label": f.label, "question": f.question} for f in self.followups],
        }


def shows_cards(channel: str | None) -> bool:
    """Whether an answer on `channel` (the input channel's name) carries its card."""
    return channel not in RAW_JSON_CHANNELS


def card_for(answer: Answer, region: str | None) -> Card | None:
    """The card of a computed answer (None for a refusal); `region` (a rule-set id) chooses
    the follow-ups."""
    result = answer.result
    if result is None:
        return None
    shown = shown_value(result)
    return Card(
        kind=result.kind, label=result.label, figure=shown[0] if shown else None,
        unit=shown[1] if shown else result.unit, meaning=meaning(result), parts=_parts(result),
        steps=tuple(step.text for step in result.steps),
        notes=((answer.note,) if answer.note else ()) + result.notes
        + tuple(f"文件未给出:{u}" for u in result.unknowns),
        readings=result.readings,
        warnings=tuple(w for w in result.warnings if w != DRAFT_WARNING),
        sources=tuple(Source.of(c) for c in result.citations), draft=result.draft,
        small_print=LOCAL_OFFICE, followups=followups(result.kind, region))


def _parts(result: Result) -> tuple[str, ...]:
    if result.kind not in KINDS_WITH_PARTS:
        return ()
    return tuple(f"{p.label}:{fmt_money(p.value)} {p.unit}" for p in result.parts if p.value is not None)
