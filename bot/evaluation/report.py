"""Counts, a confusion table and the items to read, for one evaluation file."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .scoring import RIGHT, WEAK, WRONG


@dataclass(frozen=True)
class Scored:
    """One scored message: the item id, what was said, accepted outcomes, what happened."""
    id: str
    text: str
    expected: tuple[str, ...]
    got: str
    verdict: str
    note: str = ""


@dataclass
class FileReport:
    name: str
    scored: list[Scored] = field(default_factory=list)
    conversations: int = 0
    conversations_right: int = 0

    def counts(self) -> Counter:
        return Counter(s.verdict for s in self.scored)

    def confusion(self) -> Counter:
        return Counter((s.expected[0].split(":", 1)[0], s.got.split(":", 1)[0]) for s in self.scored)

    def lines(self, show: int = 200) -> list[str]:
        n = len(self.scored)
        c = self.counts()
        pct = (lambda k: f"{100 * c[k] / n:.1f}%") if n else (lambda k: "-")
        out = [f"== {self.name}: {n} messages — right {c[RIGHT]} ({pct(RIGHT)}), "
               f"weak {c[WEAK]} ({pct(WEAK)}), wrong {c[WRONG]} ({pct(WRONG)})"]
        if self.conversations:
            out.append(f"   conversations ending right: {self.conversations_right}/{self.conversations} "
                       f"({100 * self.conversations_right / self.conversations:.1f}%)")
        out.append("   confusion (expected → got: count):")
        for (exp, got), k in sorted(self.confusion().items(), key=lambda kv: -kv[1]):
            out.append(f"     {exp:>14} → {got:<14} {k}")
        for verdict in (WRONG, WEAK):
            items = [s for s in self.scored if s.verdict == verdict]
            if items:
                out.append(f"   {verdict}:")
                for s in items[:show]:
                    note = f"  ({s.note})" if s.note else ""
                    out.append(f"     {s.id} «{s.text}» expected {'|'.join(s.expected)}, got {s.got}{note}")
        return out

    def as_dict(self) -> dict:
        return {"name": self.name, "counts": dict(self.counts()),
                "conversations": self.conversations, "conversations_right": self.conversations_right,
                "items": [s.__dict__ for s in self.scored]}
