"""Generated user dictionary, config files, evaluation scoring."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.nlp import userdict
from bot.nlp.evaluate import Example, Report, load_examples, score_slots

ROOT = Path(__file__).resolve().parents[2]


def test_userdict_is_current() -> None:
    assert userdict.USERDICT.read_text(encoding="utf-8") == userdict.render(), \
        "run: python -m bot.nlp.userdict"


def _config(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def _without_epochs(node: object) -> object:
    if isinstance(node, dict):
        return {k: _without_epochs(v) for k, v in node.items() if k != "epochs"}
    if isinstance(node, list):
        return [_without_epochs(v) for v in node]
    return node


def test_ci_config_is_the_same_pipeline() -> None:
    assert _without_epochs(_config("config.yml")) == _without_epochs(_config("config.ci.yml"))


def test_jieba_dictionary_path_is_a_directory() -> None:
    jieba = next(c for c in _config("config.yml")["pipeline"] if c["name"] == "JiebaTokenizer")
    path = ROOT / jieba["dictionary_path"]
    assert path.is_dir() and any(path.iterdir())


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
