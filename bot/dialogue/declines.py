"""Questions the documents do not answer: which kind, and the polite decline for it
(data/dialogue/declines.yml)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.policy.regions import covered_regions_text

DECLINES_FILE = Path(__file__).resolve().parents[2] / "data" / "dialogue" / "declines.yml"
GENERIC = "not_in_documents"
REGION_NOT_COVERED = "region_not_covered"


@dataclass(frozen=True)
class DeclineTopic:
    name: str
    words: tuple[re.Pattern[str], ...]
    text: str


@dataclass(frozen=True)
class Declines:
    topics: tuple[DeclineTopic, ...]
    generic: str
    covered: str
    where_to_ask: str

    def topic_of(self, text: str) -> str | None:
        """The first topic whose words occur in `text` (normalised), else None."""
        for topic in self.topics:
            if any(p.search(text) for p in topic.words):
                return topic.name
        return None

    def message(self, topic: str) -> str:
        """The decline for `topic` (GENERIC for any other uncovered question)."""
        by_name = {t.name: t.text for t in self.topics}
        parts = [by_name.get(topic, self.generic)]
        if topic != "illegal":
            parts += [self.where_to_ask, self.covered]
        return "\n".join(parts)


def parse_declines(data: dict, source: str = "<declines>") -> Declines:
    try:
        topics = tuple(DeclineTopic(name, tuple(re.compile(w) for w in spec["words"]), spec["text"].strip())
                       for name, spec in data["topics"].items())
        return Declines(topics, data["generic"].strip(), data["covered"].strip(), data["where_to_ask"].strip())
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise ValueError(f"{source}: bad declines file: {exc}") from exc


@lru_cache(maxsize=1)
def declines() -> Declines:
    return parse_declines(yaml.safe_load(DECLINES_FILE.read_text(encoding="utf-8")), str(DECLINES_FILE))


def not_covered_message(calculation_asked: bool = False) -> str:
    """Said once for a region outside the five; with a calculation asked, how to go on."""
    text = (f"您说的地区不在我们掌握的文件范围内,我不能套用其他地区的规定。"
            f"我们目前只能回答:{covered_regions_text()}的规定。")
    return text + ("如果您是在这几个地区参保的,请告诉我是哪个地区,我接着帮您算。" if calculation_asked else "")
