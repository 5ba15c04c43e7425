"""Choose the decision's thresholds on the tuning questions, never on the held-out ones.

    python -m bot.evaluation.thresholds [--model models/yibao.tar.gz]

Parses every question of tests/eval/questions_tuning.yml once with the trained NLU model, then
replays bot.dialogue.decision.decide for each pair of thresholds (answer, clarify) and prints
right / weak / wrong for each: the figures behind the defaults of decision.Thresholds. Single
questions only, without the actions' region checks, so the counts differ a little from
`make eval`.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
from pathlib import Path

from rasa.core.agent import load_agent
from rasa.core.channels.channel import UserMessage

from bot.dialogue.decision import Candidate, Reading, State, Thresholds, decide
from bot.dialogue.replies import clauses, figure_asked, search_clauses
from bot.nlp import normalize
from bot.rasa import overrides
from bot.rasa.quiet import quiet_rasa

from .items import load_questions
from .scoring import Outcome, verdict

ROOT = Path(__file__).resolve().parents[2]
TUNING = ROOT / "tests" / "eval" / "questions_tuning.yml"
ANSWER = (0.25, 0.3, 0.35, 0.4, 0.5, 0.6)
CLARIFY = (0.1, 0.2)
AGREED = (0.05, 0.1, 0.15, 1.0)     # 1.0: the full-text index's agreement is not used



def reading_from_parse(parse: dict) -> Reading:
    selector = (parse.get("response_selector") or {}).get("ask_policy") or {}
    ranking = tuple(Candidate(str(r.get("intent_response_key", "")).split("/", 1)[-1], float(r.get("confidence") or 0))
                    for r in selector.get("ranking") or [])
    said = {e["entity"]: e["value"] for e in parse.get("entities") or [] if e.get("value") is not None}
    intent = parse.get("intent") or {}
    return Reading(normalize(parse.get("text") or ""), intent.get("name"), float(intent.get("confidence") or 0),
                   said, ranking)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.evaluation.thresholds")
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "yibao.tar.gz")
    args = parser.parse_args(argv)
    quiet_rasa()
    loop = asyncio.new_event_loop()
    overrides.install()
    agent = loop.run_until_complete(load_agent(model_path=str(args.model), loop=loop))
    questions = load_questions(TUNING)
    readings = [reading_from_parse(loop.run_until_complete(agent.processor.parse_message(UserMessage(q.text))))
                for q in questions]
    today = dt.date.today()
    print(f"{len(questions)} tuning questions; answer clarify agreed → right weak wrong")
    for answer, clarify, agreed in ((a, c, g) for a in ANSWER for c in CLARIFY for g in AGREED):
        thresholds = Thresholds(answer=answer, clarify=clarify, agreed=agreed)
        counts = {"right": 0, "weak": 0, "wrong": 0}
        for q, r in zip(questions, readings):
            d = decide(r, State(), clauses(), search=search_clauses, thresholds=thresholds,
                       figure=lambda k, region, text: figure_asked(k, region, text, today))
            counts[verdict(q.expect, Outcome(d.label, r.said))] += 1
        print(f"{answer:.2f} {clarify:.2f} {agreed:.2f} → {counts['right']:4d} {counts['weak']:4d} {counts['wrong']:4d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
