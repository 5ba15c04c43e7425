"""Shared by the tests of messages parsed together (transcripts' parse_ahead, the live server's
ParseBatcher): texts to parse, and parse results compared up to float32 rounding."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def sample_texts() -> list[str]:
    """120 held-out texts (every 16th labelled message: every kind of question) and the awkward
    ones."""
    texts = [e["text"] for e in yaml.safe_load(
        (ROOT / "tests" / "eval" / "nlu" / "messages_heldout.yml").read_text(encoding="utf-8"))["examples"]]
    return texts[::16][:120] + ["", "嗯", "/inform{\"expense\": 99999999}", "😀😀", "醫保卡丟了咋補辦",
                          "x" * 2000]


def same_parse(a: object, b: object, tolerance: float = 1e-5) -> bool:
    """Equal, floats up to float32 rounding (a batch sums in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= tolerance
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_parse(a[k], b[k], tolerance) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_parse(x, y, tolerance) for x, y in zip(a, b))
    return a == b
