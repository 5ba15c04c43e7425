"""bot.nlp.price_class_words: a hospital word read as 山西 reads it, without the extractor."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.nlp import extract, normalize
from bot.nlp.patterns import HOSPITAL_WORDS, SHANXI_LEVEL_AS_CLASS
from bot.nlp.price_class_words import shanxi_price_class
from bot.policy.codes import PRICE_CLASSES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text, expected", [
    ("在县医院住院花了两万能报多少?", "2-county"),
    ("县人民医院", "2-county"),                      # the longest word, not a shorter one inside it
    ("在縣醫院住的院", "2-county"),                   # Traditional
    ("市里的医院", "2-city"),
    ("乡镇卫生院住院", "3"),
    ("社区卫生服务中心", "3"),
    ("三甲医院", "1"),
    ("省城大医院", "1"),
    ("不是县医院 是市医院", "2-city"),                # a word said only to be denied is skipped
    ("县医院 后来转到省医院", "2-county"),            # the first word, as the extractor takes it
    ("二级医院", None),                              # a national level 山西 does not map
    ("花了两万", None),
    ("", None),
    ("🏥🏥", None),
])
def test_examples(text, expected):
    assert shanxi_price_class(text) == expected


def test_every_word_gives_a_price_class_of_the_rules():
    for word in [*HOSPITAL_WORDS, *SHANXI_LEVEL_AS_CLASS]:
        assert shanxi_price_class(word) in PRICE_CLASSES, word


def _project_texts() -> list[str]:
    """Every example and test utterance of the project that names no region of its own."""
    texts: set[str] = set()
    files = [*ROOT.glob("data/nlu/*.yml"), *ROOT.glob("tests/*.yml"), *ROOT.glob("tests/**/*.yml")]
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.search(r"(?:- |text: |say: )(.+)$", line)
            if m:
                plain = re.sub(r"\[([^\]]*)\][({][^)}]*[)}]", r"\1", m.group(1))
                texts.add(plain.strip().strip('"'))
    return sorted(texts)


def test_reads_every_project_text_as_the_extractor_does_with_shanxi_named():
    """For each text with a hospital word and no region, the price class equals the one the
    extractor reads when 山西 is named in the same message."""
    words = [*HOSPITAL_WORDS, *SHANXI_LEVEL_AS_CLASS]
    checked = 0
    for text in _project_texts():
        if not any(w in normalize(text) for w in words) or "region" in extract(text).slots:
            continue
        checked += 1
        assert shanxi_price_class(text) == extract("山西," + text).slots.get("price_class"), text
    assert checked >= 100
