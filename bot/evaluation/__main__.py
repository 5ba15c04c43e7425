"""`make eval`: run tests/eval/*.yml through the whole assistant and score every message.

    python -m bot.evaluation [--model models/yibao.tar.gz] [FILE ...]

Without files, every file of tests/eval/. The model is trained first when its inputs changed
(config.yml unless --config); the custom actions run in a real action server on loopback, the
tracker store is in memory. Prints right / weak / wrong per file with a confusion table and the
wrong and weak items; writes the same as JSON to var/eval/<file>.json. Always exits 0 when it ran:
the figures are the output.
"""
from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path

from bot.run import ensure_model, stop

from .assistant import Assistant, load_assistant
from .items import Conversation, Question, is_conversations, load_conversations, load_questions
from .report import FileReport, Scored
from .scoring import WRONG, Outcome, same_value, verdict

ROOT = Path(__file__).resolve().parents[2]
EVAL_DIR = ROOT / "tests" / "eval"
OUT_DIR = ROOT / "var" / "eval"


def score_questions(assistant: Assistant, name: str, questions: list[Question]) -> FileReport:
    report = FileReport(name)
    for q in questions:
        outcome, reply = assistant.say(assistant.start(), q.text)
        report.scored.append(Scored(q.id, q.text, q.expect.outcomes, outcome.label,
                                    verdict(q.expect, outcome), _facts_note(q.expect.facts, outcome)))
    return report


def _facts_note(expected: dict, outcome: Outcome) -> str:
    diff = {k: outcome.facts.get(k) for k, v in expected.items()
            if outcome.facts.get(k) is None or not same_value(v, outcome.facts[k])}
    return f"facts {diff}" if diff else ""


def score_conversations(assistant: Assistant, name: str, conversations: list[Conversation]) -> FileReport:
    report = FileReport(name)
    for c in conversations:
        sender = assistant.start()
        outcome, reply, turn_ok = None, "", True
        for i, turn in enumerate(c.turns, start=1):
            outcome, reply = assistant.say(sender, turn.say)
            if turn.expect is not None:
                v = verdict(turn.expect, outcome)
                turn_ok = turn_ok and v != WRONG
                report.scored.append(Scored(f"{c.id}/{i}", turn.say, turn.expect.outcomes, outcome.label,
                                            v, _facts_note(turn.expect.facts, outcome)))
        ended = (all(t in reply for t in c.end.contains) if c.end.contains
                 else outcome is not None and outcome.label == c.end.outcome)
        report.conversations += 1
        if ended and turn_ok:
            report.conversations_right += 1
        else:
            wanted = c.end.outcome or " + ".join(c.end.contains)
            report.scored.append(Scored(f"{c.id}/end", c.turns[-1].say, (f"end:{wanted}",),
                                        outcome.label if outcome else "silence", WRONG,
                                        "last reply: " + reply.replace("\n", " ")[:160]))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluation", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--model", type=Path, help="a trained model (default: train/reuse models/yibao.tar.gz)")
    parser.add_argument("--config", default="config.yml")
    parser.add_argument("--show", type=int, default=200, help="how many wrong/weak items to list per file")
    args = parser.parse_args(argv)
    files = args.files or sorted(EVAL_DIR.glob("*.yml"))
    model = args.model or ensure_model(args.config, "yibao" if args.config == "config.yml" else "yibao-ci")
    loop = asyncio.new_event_loop()
    assistant, proc = load_assistant(model, loop)
    try:
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        for path in files:
            if is_conversations(path):
                report = score_conversations(assistant, path.name, load_conversations(path))
            else:
                report = score_questions(assistant, path.name, load_questions(path))
            print("\n".join(report.lines(args.show)), flush=True)
            (OUT_DIR / f"{path.stem}.json").write_text(
                json.dumps(report.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        stop(proc)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
