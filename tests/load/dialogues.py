"""Concurrent multi-turn conversations against a running assistant (REST), shared by
tests/load/test_load.py (modest numbers) and bench/bench_load.py (50 × 20).

Each simulated resident gets its own sender id and M turns built from the conversations of
tests/conversation/conversations.yml (one after another, separated by 「重新开始」, starting at a
different conversation for each resident), so every turn has the replies it must contain. All
residents talk at once (one thread each); every turn must be answered (HTTP 200, the expected
texts). Afterwards the tracker store must hold every user turn exactly once per sender, in order.
"""
from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.web.safety import clean_text
from tests.load.harness import LiveAssistant

ROOT = Path(__file__).resolve().parents[2]
CONVERSATIONS_FILE = ROOT / "tests" / "conversation" / "conversations.yml"
RESTART = {"say": "重新开始", "expect": ["重新开始"]}


@dataclass(frozen=True)
class Turn:
    say: str
    expect: tuple[str, ...]
    absent: tuple[str, ...] = ()


def conversations() -> list[list[Turn]]:
    raw = yaml.safe_load(CONVERSATIONS_FILE.read_text(encoding="utf-8"))
    return [[Turn(t["say"], tuple(map(str, t.get("expect") or ())), tuple(map(str, t.get("absent") or ())))
             for t in c["turns"]] for c in raw]


def dialogue(index: int, turns: int, pool: list[list[Turn]] | None = None) -> list[Turn]:
    """`turns` turns for resident `index`: whole conversations from position `index` on, each
    after a 「重新开始」 (the last one may be cut short: its turns only depend on earlier ones)."""
    pool = pool or conversations()
    out: list[Turn] = []
    k = index
    while len(out) < turns:
        if out:
            out.append(Turn(RESTART["say"], tuple(RESTART["expect"])))
        out.extend(pool[k % len(pool)])
        k += 1
    return out[:turns]


@dataclass
class Outcome:
    sender: str
    sent: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def run_resident(assistant: LiveAssistant, sender: str, turns: list[Turn]) -> Outcome:
    outcome = Outcome(sender)
    for n, turn in enumerate(turns):
        try:
            reply = assistant.rest(sender, turn.say, timeout=300)
        except Exception as exc:          # a lost connection counts as an error, not a crash
            outcome.errors.append(f"{sender} turn {n} «{turn.say}»: {type(exc).__name__}: {exc}")
            outcome.sent.append(turn.say)
            continue
        outcome.sent.append(turn.say)
        outcome.seconds.append(reply.seconds)
        text = reply.text
        missing = [e for e in turn.expect if e not in text]
        present = [a for a in turn.absent if a in text]
        if reply.status != 200 or not text or missing or present:
            outcome.errors.append(f"{sender} turn {n} «{turn.say}» → HTTP {reply.status} «{text[:200]}»"
                                  f" missing {missing} present {present}")
    return outcome


@dataclass
class LoadResult:
    residents: int
    turns_each: int
    seconds: float
    outcomes: list[Outcome]
    store_problems: list[str]
    stored_user_events: int

    @property
    def turns(self) -> int:
        return sum(len(o.sent) for o in self.outcomes)

    @property
    def errors(self) -> list[str]:
        return [e for o in self.outcomes for e in o.errors]

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def latency(self, q: float) -> float:
        values = sorted(s for o in self.outcomes for s in o.seconds)
        if not values:
            return 0.0
        return values[min(len(values) - 1, int(q * len(values)))]

    def summary(self) -> dict[str, Any]:
        values = [s for o in self.outcomes for s in o.seconds]
        return {"residents": self.residents, "turns_each": self.turns_each, "turns": self.turns,
                "seconds": round(self.seconds, 1), "turns_per_second": round(self.turns_per_second, 2),
                "errors": len(self.errors), "stored_user_events": self.stored_user_events,
                "store_problems": len(self.store_problems),
                "latency_median_s": round(statistics.median(values), 2) if values else None,
                "latency_p95_s": round(self.latency(0.95), 2)}


def check_store(assistant: LiveAssistant, outcomes: list[Outcome]) -> tuple[list[str], int]:
    """Every user turn in the tracker store exactly once per sender, in the order sent (as the
    channel passed it on: bot.web.safety.clean_text)."""
    problems, total = [], 0
    for o in outcomes:
        stored = assistant.user_texts(o.sender)
        total += len(stored)
        expected = [clean_text(t) for t in o.sent]
        if stored != expected:
            problems.append(f"{o.sender}: stored {len(stored)} user turns, sent {len(expected)}; "
                            f"first difference at "
                            f"{next((i for i, (a, b) in enumerate(zip(stored, expected)) if a != b), min(len(stored), len(expected)))}")
    return problems, total


def run_load(assistant: LiveAssistant, residents: int, turns: int, prefix: str = "load") -> LoadResult:
    pool = conversations()
    plans = {f"{prefix}-{i:03d}": dialogue(i, turns, pool) for i in range(residents)}
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=residents) as executor:
        outcomes = list(executor.map(lambda item: run_resident(assistant, *item), plans.items()))
    seconds = time.monotonic() - started
    problems, stored = check_store(assistant, outcomes)
    return LoadResult(residents, turns, seconds, outcomes, problems, stored)
