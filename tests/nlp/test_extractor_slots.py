"""The rule-based extractor on labelled messages (tests/nlp/extractor_slots.yml): every slot each
text states, nothing else."""
from __future__ import annotations

from pathlib import Path

from bot.evaluation.nlu import Report, load_examples, score_slots
from bot.nlp import extract

SLOTS_FILE = Path(__file__).parent / "extractor_slots.yml"


def test_extractor_reads_the_labelled_slots() -> None:
    examples = load_examples(SLOTS_FILE)
    assert len(examples) >= 600
    report = Report()
    score_slots(examples, report, lambda text: extract(text).slots)
    assert report.overall.f1 >= 0.98, report.slot_errors
