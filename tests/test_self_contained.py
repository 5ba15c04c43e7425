"""Nothing in the repository points outside it: every citation names a document and clause, or a
section of docs/sources.md, so a figure can be checked against its source from a clone."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.policy import load_rulebook

ROOT = Path(__file__).resolve().parents[1]
# Spelled in pieces so that this file does not match itself.
OUTSIDE = ("POLICY" + "_SPEC", "shared" + "/seeds", "../" + "shared", "/wo" + "rk/")


def _tracked_text_files() -> list[Path]:
    try:
        names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                               check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    files = []
    for name in filter(None, names):
        path = ROOT / name
        if path.is_file() and b"\0" not in path.read_bytes()[:4096]:
            files.append(path)
    return files


def test_no_file_refers_to_anything_outside_the_repository():
    found = []
    for path in _tracked_text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path.relative_to(ROOT)}: {marker}" for marker in OUTSIDE if marker in text]
    assert not found


def test_sources_page_names_every_document_of_the_rules():
    page = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for rule_set in load_rulebook().rule_sets.values():
        for doc in rule_set.documents.values():
            assert f"`{doc.id}`" in page and doc.title in page, doc.id
