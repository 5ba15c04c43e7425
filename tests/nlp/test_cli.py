"""`python -m bot extract "TEXT" [--json]` (bot.nlp.cli.main)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.nlp.cli import main

ROOT = Path(__file__).resolve().parents[2]

ISSUE_EXAMPLES = [
    ("断保两年", {"gap_years": 2}),
    ("花了三万五", {"expense": 35000}),
    ("3.5万", {"expense": 35000}),
    ("一万二", {"expense": 12000}),
    ("两年半没交", {"gap_years": 2.5}),
    ("县医院", {"hospital_level": 2}),
    ("三甲", {"hospital_level": 3}),
    ("低保户", {"group": "dibao"}),
    ("去年一分钱没报", {"zero_claim_years": 1}),
    ("嗯那个就是", {}),
    ("斷保", {}),
    ("醫院", {}),
    ("两年前断保了一年", {"gap_years": 1}),
    ("交了三年断了两年", {"years_insured": 3, "gap_years": 2}),
    ("三万五千块", {"expense": 35000}),
    ("0.8万", {"expense": 8000}),
    ("1,200元", {"expense": 1200}),
]


@pytest.mark.parametrize("text, slots", ISSUE_EXAMPLES)
def test_json(text: str, slots: dict, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([text, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["slots"] == slots
    assert set(out) == {"normalized", "slots"}


def test_json_types(capsys: pytest.CaptureFixture[str]) -> None:
    main(["伊宁 集中缴费期内 断保两年半 三甲 低保边缘户 二类县级", "--json"])
    slots = json.loads(capsys.readouterr().out)["slots"]
    assert slots == {"region": "xinjiang", "in_period": True, "gap_years": 2.5,
                     "hospital_level": 3, "group": "dibao-edge", "price_class": "2-county"}


def test_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["我在伊宁,断保两年了"]) == 0
    out = capsys.readouterr().out
    assert "规范化: 我在伊宁,断保2年了" in out
    assert "region" in out and '"xinjiang"' in out and "伊宁市" in out


def test_cli_does_not_import_rasa() -> None:
    code = ("import sys; from bot.nlp.cli import main; main(['断保两年', '--json']); "
            "assert 'rasa' not in sys.modules and 'tensorflow' not in sys.modules, 'heavy import'")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["slots"] == {"gap_years": 2}
