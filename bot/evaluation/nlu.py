"""`make eval-nlu`: intent accuracy and per-slot precision/recall/F1 of the NLU model alone.

    python -m bot.evaluation.nlu [--model models/nlu-….tar.gz] [--eval FILE ...]
    python -m bot.evaluation.nlu --slots-only      # extractor only, no Rasa model needed

--eval may be given several times: each set is scored and reported on its own (the model is
loaded once). Without --eval, tests/eval/nlu/messages_heldout.yml.

Slots are scored on exact normalised values (CONTRACTS.md): a predicted slot is a true positive
when the gold set lists the same slot with the same value; a slot not listed but extracted is a
false positive, a listed slot missed or with another value a false negative (and, for a wrong
value, also a false positive). Intents are predicted by a trained NLU model (the latest under
models/ unless --model is given); retrieval intents are compared on the part before "/".
Always exits 0: the figures are the output.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from rasa.core.agent import Agent

from bot.nlp.extractor import extract
from bot.rasa import overrides
from bot.rasa.quiet import quiet_rasa

DEFAULT_EVAL = Path("tests/eval/nlu/messages_heldout.yml")
DEFAULT_MODELS = Path("models")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    slots: dict[str, Any]


@dataclass
class SlotScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    n: int = 0
    slot_scores: dict[str, SlotScore] = field(default_factory=dict)
    slot_errors: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    intent_correct: int | None = None
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    intent_errors: list[tuple[str, str, str, float]] = field(default_factory=list)

    @property
    def overall(self) -> SlotScore:
        total = SlotScore()
        for s in self.slot_scores.values():
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
        return total


def load_examples(path: Path) -> list[Example]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [Example(text=str(e["text"]), intent=str(e.get("intent", "")),
                    slots=dict(e.get("slots") or {})) for e in data.get("examples", [])]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (isinstance(a, bool) and isinstance(b, bool) and a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    return str(a) == str(b)


def score_slots(examples: Iterable[Example], report: Report,
                extract: Callable[[str], dict[str, Any]]) -> None:
    for ex in examples:
        predicted = extract(ex.text)
        wrong = False
        for slot in set(ex.slots) | set(predicted):
            score = report.slot_scores.setdefault(slot, SlotScore())
            if slot in ex.slots and slot in predicted and _same(ex.slots[slot], predicted[slot]):
                score.tp += 1
                continue
            wrong = True
            if slot in predicted:
                score.fp += 1
            if slot in ex.slots:
                score.fn += 1
        if wrong:
            report.slot_errors.append((ex.text, ex.slots, predicted))


def _latest_model(models: Path) -> Path | None:
    candidates = sorted(models.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def load_agent(model: Path) -> Any:
    quiet_rasa()             # no per-message debug lines on stdout
    overrides.install()
    return Agent.load(str(model))


def score_intents(examples: list[Example], report: Report, model: Path | Any) -> None:
    """`model`: a model path, or an agent from load_agent() (to score several sets with one load)."""
    agent = load_agent(model) if isinstance(model, (str, Path)) else model

    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(ex.text) for ex in examples]

    parsed = asyncio.run(parse_all())
    report.intent_correct = 0
    for ex, result in zip(examples, parsed):
        intent = (result.get("intent") or {})
        name = str(intent.get("name") or "")
        gold = ex.intent.split("/")[0]
        if name.split("/")[0] == gold:
            report.intent_correct += 1
        else:
            report.confusions[(gold, name)] += 1
            report.intent_errors.append((ex.text, gold, name, float(intent.get("confidence") or 0)))


def print_report(report: Report, out: Any = sys.stdout, verbose: bool = True) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"examples: {report.n}")
    if report.intent_correct is not None:
        p(f"intent accuracy: {report.intent_correct / max(report.n, 1):.2%} "
          f"({report.intent_correct}/{report.n})")
        if report.confusions:
            p("intent confusions (gold → predicted: count):")
            for (gold, pred), count in report.confusions.most_common():
                p(f"  {gold} → {pred}: {count}")
        if verbose:
            for text, gold, pred, conf in report.intent_errors:
                p(f"  ✗ {text!r}: {gold} → {pred} ({conf:.2f})")
    p(f"{'slot':<18} {'prec':>6} {'recall':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for slot, s in sorted(report.slot_scores.items()):
        p(f"{slot:<18} {s.precision:6.1%} {s.recall:6.1%} {s.f1:6.1%} {s.tp:4} {s.fp:4} {s.fn:4}")
    o = report.overall
    p(f"{'OVERALL':<18} {o.precision:6.1%} {o.recall:6.1%} {o.f1:6.1%} {o.tp:4} {o.fp:4} {o.fn:4}")
    if verbose and report.slot_errors:
        p("slot errors (text | gold | predicted):")
        for text, gold, pred in report.slot_errors:
            p(f"  {text} | {json.dumps(gold, ensure_ascii=False)} | {json.dumps(pred, ensure_ascii=False)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluation.nlu")
    parser.add_argument("--eval", type=Path, action="append", default=None,
                        help=f"evaluation set; repeat for several (default: {DEFAULT_EVAL})")
    parser.add_argument("--model", type=Path, default=None,
                        help="trained NLU model (default: newest models/*.tar.gz)")
    parser.add_argument("--slots-only", action="store_true", help="score the extractor only")
    parser.add_argument("--quiet", action="store_true", help="figures only, no error listing")
    args = parser.parse_args(argv)

    agent = None
    if not args.slots_only:
        model = args.model or _latest_model(DEFAULT_MODELS)
        if model is None or not model.exists():
            print("no trained model found (run `rasa train nlu` first); slots only", file=sys.stderr)
        else:
            print(f"model: {model}")
            agent = load_agent(model)
    paths = args.eval or [DEFAULT_EVAL]
    for i, path in enumerate(paths):
        if len(paths) > 1:
            print(f"{'' if i == 0 else chr(10)}== {path} ==")
        examples = load_examples(path)
        report = Report(n=len(examples))
        score_slots(examples, report, lambda text: extract(text).slots)
        if agent is not None:
            score_intents(examples, report, agent)
        print_report(report, verbose=not args.quiet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
