"""Checks on the NLU training data (data/nlu/intents.yml) and the held-out evaluation set
(tests/eval/nlu/messages_heldout.yml, format in docs/CONTRACTS.md)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

ROOT = Path(__file__).resolve().parents[1]
INTENTS_FILE = ROOT / "data" / "nlu" / "intents.yml"
FAQ_FILE = ROOT / "data" / "nlu" / "faq.yml"
# labelled messages trained on; their slots also check the extractor (tests/nlp/extractor_slots.yml)
ANNOTATED_FILE = ROOT / "data" / "nlu" / "annotated.yml"
TRAINING_FILES = (INTENTS_FILE, ANNOTATED_FILE, FAQ_FILE)
EVAL_FILE = ROOT / "tests" / "eval" / "nlu" / "messages_heldout.yml"

REQUIRED_INTENTS = [
    "greet", "goodbye", "thanks", "affirm", "deny",
    "ask_waiting_period", "ask_cap", "ask_inpatient", "ask_outpatient",
    "ask_personal_account", "ask_critical_illness", "ask_assistance",
    "inform", "correct", "restart", "human_handoff", "bot_challenge", "out_of_scope",
]
KNOWN_INTENTS = set(REQUIRED_INTENTS) | {"ask_policy"}
MIN_TRAINING_EXAMPLES = 35
MIN_EVAL_EXAMPLES = 330
MIN_EVAL_PER_INTENT = 12
MIN_EVAL_PER_SLOT = 5

# Slot names and codes from docs/CONTRACTS.md.
CODES = {
    "region": {"shandong", "yantai", "shanxi", "jiangxi", "xinjiang", "not_covered"},
    "group": {"tekun", "dibao", "fanpin", "dibao-edge", "monitored", "illness-poverty"},
    "exempt": {"newborn", "assistance", "veteran"},
    "insured_type": {"resident", "employee", "flexible"},
    "price_class": {"3", "2-county", "2-city", "1"},
    "hospital_level": {1, 2, 3},
    "service": {"inpatient", "outpatient", "critical", "drug", "assistance", "two_diseases"},
}
BOOLEAN_SLOTS = {"in_period", "retired"}
YEAR_COUNT_SLOTS = {"gap_years", "years_insured", "paid_back_years", "zero_claim_years"}
MONEY_SLOTS = {"expense", "burden", "contribution_base", "original_cap", "paid_this_year"}
ALL_SLOTS = set(CODES) | BOOLEAN_SLOTS | YEAR_COUNT_SLOTS | MONEY_SLOTS | {"benefit_year"}


def _norm(text: str) -> str:
    """Lower-case, NFKC (full-width → half-width), drop whitespace, punctuation and symbols."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(
        ch for ch in text
        if not ch.isspace() and unicodedata.category(ch)[0] not in ("P", "S")
    )


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _load_training(path: Path):
    return load_data(str(path))


def _raw_examples(path: Path) -> list[str]:
    """All example texts of a Rasa NLU YAML file, read without Rasa (any intent)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = []
    for block in data.get("nlu", []) or []:
        examples = block.get("examples")
        if isinstance(examples, str):
            for line in examples.splitlines():
                line = line.strip()
                if line.startswith("- "):
                    # strip any entity / synonym markup [text](entity) → text
                    texts.append(re.sub(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\{[^}]*\}",
                                        lambda m: m.group(1) or m.group(2) or "", line[2:]))
        elif isinstance(examples, list):
            for item in examples:
                texts.append(item["text"] if isinstance(item, dict) else str(item))
    return texts


@pytest.fixture(scope="module")
def training():
    return _load_training(INTENTS_FILE).merge(_load_training(ANNOTATED_FILE))


@pytest.fixture(scope="module")
def eval_set():
    data = yaml.safe_load(EVAL_FILE.read_text(encoding="utf-8"))
    assert str(data.get("version")) == "1"
    examples = data["examples"]
    assert isinstance(examples, list)
    return examples


def test_training_has_every_required_intent_with_enough_examples(training):
    counts = Counter(m.get("intent") for m in training.intent_examples)
    short = {i: counts.get(i, 0) for i in REQUIRED_INTENTS if counts.get(i, 0) < MIN_TRAINING_EXAMPLES}
    assert not short, f"intents with fewer than {MIN_TRAINING_EXAMPLES} examples: {short}"


def test_training_intents_are_known_and_ask_policy_is_not_here(training):
    intents = {m.get("intent") for m in training.intent_examples}
    assert intents <= set(REQUIRED_INTENTS), intents - set(REQUIRED_INTENTS)


def test_training_has_no_entity_annotations(training):
    annotated = [m.get("text") for m in training.intent_examples if m.get("entities")]
    assert not annotated, annotated[:10]


def test_training_examples_unique_across_intents(training):
    seen: dict[str, str] = {}
    clashes = []
    for m in training.intent_examples:
        key = _norm(m.get("text"))
        if key in seen and seen[key] != m.get("intent"):
            clashes.append((m.get("text"), seen[key], m.get("intent")))
        seen.setdefault(key, m.get("intent"))
    assert not clashes, clashes


def test_eval_set_size(eval_set):
    assert len(eval_set) >= MIN_EVAL_EXAMPLES, len(eval_set)


def test_eval_examples_are_well_formed(eval_set):
    problems = []
    for ex in eval_set:
        if set(ex) != {"text", "intent", "slots"}:
            problems.append((ex, "keys"))
            continue
        if not isinstance(ex["text"], str) or not ex["text"].strip():
            problems.append((ex, "text"))
        if not isinstance(ex["slots"], dict):
            problems.append((ex, "slots not a mapping"))
    assert not problems, problems[:10]


def test_eval_intents_are_known(eval_set):
    unknown = [(ex["text"], ex["intent"]) for ex in eval_set if ex["intent"] not in KNOWN_INTENTS]
    assert not unknown, unknown


def test_eval_covers_every_intent(eval_set):
    counts = Counter(ex["intent"] for ex in eval_set)
    short = {i: counts.get(i, 0) for i in sorted(KNOWN_INTENTS) if counts.get(i, 0) < MIN_EVAL_PER_INTENT}
    assert not short, short


def test_eval_slot_names_and_codes(eval_set):
    problems = []
    for ex in eval_set:
        for name, value in ex["slots"].items():
            if name not in ALL_SLOTS:
                problems.append((ex["text"], name, "unknown slot"))
            elif name in CODES:
                if value not in CODES[name] or isinstance(value, bool):
                    problems.append((ex["text"], name, value))
            elif name in BOOLEAN_SLOTS:
                if not isinstance(value, bool):
                    problems.append((ex["text"], name, value))
            elif name in YEAR_COUNT_SLOTS:
                if not _is_number(value) or not 0 < value <= 60:
                    problems.append((ex["text"], name, value))
                elif name == "zero_claim_years" and not isinstance(value, int):
                    problems.append((ex["text"], name, value))
            elif name in MONEY_SLOTS:
                if not _is_number(value) or value <= 0:
                    problems.append((ex["text"], name, value))
            elif name == "benefit_year":
                if not isinstance(value, int) or isinstance(value, bool) or not 2024 <= value <= 2100:
                    problems.append((ex["text"], name, value))
    assert not problems, problems


def test_eval_numbers_are_int_when_whole(eval_set):
    floats = [(ex["text"], k, v) for ex in eval_set for k, v in ex["slots"].items()
              if isinstance(v, float) and v.is_integer()]
    assert not floats, floats


def test_eval_covers_every_slot_kind(eval_set):
    counts = Counter(name for ex in eval_set for name in ex["slots"])
    short = {s: counts.get(s, 0) for s in sorted(ALL_SLOTS) if counts.get(s, 0) < MIN_EVAL_PER_SLOT}
    assert not short, short


def test_eval_texts_unique(eval_set):
    counts = Counter(_norm(ex["text"]) for ex in eval_set)
    dups = [t for t, n in counts.items() if n > 1]
    assert not dups, dups


def test_eval_texts_not_in_training_data(eval_set):
    training_texts = [t for path in TRAINING_FILES for t in _raw_examples(path)]
    trained = {_norm(t) for t in training_texts}
    leaked = [ex["text"] for ex in eval_set if _norm(ex["text"]) in trained]
    assert not leaked, f"held-out eval texts found in training data: {leaked}"
