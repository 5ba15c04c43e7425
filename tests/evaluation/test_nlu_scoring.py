"""Scoring of the NLU evaluation (bot.evaluation.nlu): exact slot values, the examples file."""
from __future__ import annotations

from pathlib import Path

from bot.evaluation.nlu import Example, Report, load_examples, score_slots


def test_score_slots_counts_exact_values() -> None:
    examples = [Example("a", "inform", {"gap_years": 2, "region": "xinjiang"}),
                Example("b", "inform", {}),
                Example("c", "inform", {"in_period": False})]
    predicted = {"a": {"gap_years": 2, "region": "shandong"}, "b": {"expense": 5},
                 "c": {"in_period": False}}
    report = Report(n=3)
    score_slots(examples, report, lambda text: predicted[text])
    s = report.slot_scores
    assert (s["gap_years"].tp, s["region"].fp, s["region"].fn, s["expense"].fp) == (1, 1, 1, 1)
    assert s["in_period"].tp == 1
    assert report.overall.tp == 2 and len(report.slot_errors) == 2


def test_load_examples(tmp_path: Path) -> None:
    path = tmp_path / "eval.yml"
    path.write_text('version: "1"\nexamples:\n  - {text: 断保两年, intent: inform, slots: {gap_years: 2}}\n',
                    encoding="utf-8")
    assert load_examples(path) == [Example("断保两年", "inform", {"gap_years": 2})]
