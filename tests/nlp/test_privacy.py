"""bot.nlp.privacy: every personal-data form of tests/privacy/personal_data.yml is masked, and the
messages of the project's training and evaluation data (no personal data) are left as they are."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from bot.nlp import extract, mask_personal_data
from bot.nlp.privacy import LABELS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = yaml.safe_load((ROOT / "tests" / "privacy" / "personal_data.yml").read_text(encoding="utf-8"))["examples"]
# Project messages that state personal data on purpose, and what they become.
PERSONAL_IN_PROJECT_TEXTS = {"我叫王秀兰 电话也说了 你给我转人工吧": "我叫[姓名] 电话也说了 你给我转人工吧",
                             "转人工,我叫李明": "转人工,我叫[姓名]"}


def _bare(text: str) -> str:
    """The characters that identify: NFKC, no separators."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum())


def test_the_corpus_covers_every_kind_at_least_a_hundred_times_in_all():
    assert len(CORPUS) >= 100
    assert {e["mask"] for e in CORPUS} == LABELS


@pytest.mark.parametrize("example", CORPUS, ids=[e["text"] for e in CORPUS])
def test_personal_data_is_masked(example: dict) -> None:
    masked = mask_personal_data(example["text"])
    assert example["mask"] in masked, masked
    assert _bare(example["secret"]) not in _bare(masked), masked


@pytest.mark.parametrize("example", [e for e in CORPUS if re.search(r"\d", unicodedata.normalize("NFKC", e["secret"]))],
                         ids=lambda e: e["text"])
def test_a_masked_number_never_becomes_a_slot(example: dict) -> None:
    said = extract(example["text"]).slots
    digits = _bare(example["secret"])
    assert not any(digits in _bare(str(v)) for v in said.values()), said
    assert not any(isinstance(v, (int, float)) and v >= 1_000_000 for v in said.values()), said


def _project_texts() -> set[str]:
    texts: set[str] = set()
    files = [*ROOT.glob("tests/eval/**/*.yml"), ROOT / "tests" / "nlp" / "extractor_slots.yml",
             ROOT / "tests" / "conversation" / "conversations.yml", *ROOT.glob("tests/cases/*.yml")]
    for path in files:
        for m in re.finditer(r"(?:text|say):\s*(.+)", path.read_text(encoding="utf-8")):
            texts.add(m.group(1).strip().strip("\"'"))
    for path in [*ROOT.glob("data/nlu/*.yml"), *ROOT.glob("data/faq/*.yml")]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip().startswith("- "):
                texts.add(line.strip()[2:])
    return texts


def test_messages_without_personal_data_are_left_alone():
    texts = _project_texts()
    assert len(texts) > 5000
    changed = {t: mask_personal_data(t) for t in texts if mask_personal_data(t) != t}
    assert changed == {t: m for t, m in PERSONAL_IN_PROJECT_TEXTS.items() if t in texts}


@pytest.mark.parametrize("text", [
    "2019、2020、2021、2022年都没报销", "花了13800元", "拨打12393", "1、2、3、4", "我是高血压患者",
    "我叫什么", "我叫了救护车", "住在烟台市芝罘区", "我在伊宁市", "封顶线40万", "0.5年",
    "起付线1200元 报销比例70%", "2026年1月1日起施行", "一万二", "花了 一万 一万二",
])
def test_policy_figures_and_places_stay(text: str) -> None:
    assert mask_personal_data(text) == text
