"""The generated jieba user dictionary and the two training configs."""
from __future__ import annotations

from pathlib import Path

import yaml

from bot.nlp import userdict

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
