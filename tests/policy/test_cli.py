from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


ALL_KINDS = [
    (["waiting", "--region", "新疆", "--gap-years", "2", "--year", "2026"], 4),
    (["cap", "--region", "新疆", "--zero-claim-years", "1", "--year", "2026"], 305000),
    (["inpatient", "--region", "平遥", "--price-class", "2-county", "--expense", "20000", "--year", "2026"], 14700),
    (["outpatient", "--region", "江西", "--level", "3", "--expense", "6000", "--retired", "--year", "2026"], 2000),
    (["account", "--region", "南昌", "--base", "6000", "--year", "2026"], 120),
    (["critical", "--region", "烟台", "--group", "dibao", "--burden", "150000", "--year", "2026"], 95450),
    (["drug", "--region", "烟台", "--group", "tekun", "--expense", "100000", "--year", "2026"], 80000),
    (["assistance", "--region", "烟台", "--group", "tekun", "--burden", "50000", "--year", "2026"], 40500),
    (["chain", "--region", "烟台", "--group", "dibao", "--burden", "50000", "--year", "2026"], 4410),
]


@pytest.mark.parametrize("args,expected", ALL_KINDS)
def test_every_kind_json(capsys: pytest.CaptureFixture[str], args: list[str], expected: int) -> None:
    code, out, _ = run(capsys, "calc", *args, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["result"] == expected
    assert data["unit"] and data["trace"] and data["citations"]
    assert all(c["clause"] and c["title"] for c in data["citations"])
    assert isinstance(data["warnings"], list)
    if args[0] in ("assistance", "chain"):
        assert "assistance" in data["parts"] and "reassistance" in data["parts"]


@pytest.mark.parametrize("args,expected", ALL_KINDS)
def test_every_kind_text(capsys: pytest.CaptureFixture[str], args: list[str], expected: int) -> None:
    code, out, _ = run(capsys, "calc", *args)
    assert code == 0
    first = out.splitlines()[0]
    assert f"{expected:,}" in first
    assert "依据:" in out and "1. " in out and "12393" in out


def test_chain_parts(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "calc", "chain", "--region", "烟台", "--group", "dibao", "--burden", "50000",
                    "--year", "2026", "--json")
    parts = json.loads(out)["parts"]
    assert parts["critical"]["value"] == 27950 and parts["assistance"]["value"] == 17640
    assert parts["reassistance"]["value"] == 0 and parts["pays"]["value"] == 4410


def test_draft_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "calc", "waiting", "--region", "伊宁", "--gap-years", "2", "--year", "2026")
    assert "征求意见稿" in out
    _, out, _ = run(capsys, "calc", "waiting", "--region", "伊宁", "--gap-years", "2", "--year", "2026", "--json")
    data = json.loads(out)
    assert data["draft"] is True and any("征求意见稿" in w for w in data["warnings"])


def test_unknown_figure_is_null(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "account", "--region", "江西", "--retired", "--json")
    data = json.loads(out)
    assert code == 0 and data["result"] is None and data["unknowns"]


def test_payment_date_gives_first_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "calc", "waiting", "--region", "新疆", "--year", "2026", "--paid-on", "2026-03-10")
    assert code == 0 and "2026 年 6 月 10 日" in out


@pytest.mark.parametrize("args,needle", [
    (["calc", "nonsense"], "无效的选项"),
    (["calc", "waiting"], "--region"),
    (["calc", "inpatient", "--region", "山西", "--expense", "100"], "--price-class"),
    (["calc", "waiting", "--region", "新疆", "--gap-years", "abc"], "不是有效的数字"),
    (["calc", "waiting", "--region", "新疆", "--gap-years", "200"], "不合常理"),
    (["calc", "waiting", "--region", "北京"], "不在我们掌握的文件范围内"),
    (["calc", "waiting", "--region", "新疆", "--year", "2024"], "2025"),
    (["calc", "inpatient", "--region", "山西", "--price-class", "3", "--expense", "-5"], "负数"),
    (["calc", "assistance", "--region", "烟台", "--burden", "100", "--group", "rich"], "无法识别"),
    (["calc", "outpatient", "--region", "江西", "--level", "7", "--expense", "100"], "1、2 或 3"),
    (["calc", "waiting", "--region", "新疆", "--year", "20x6"], "年份"),
])
def test_bad_options_exit_2_in_chinese(capsys: pytest.CaptureFixture[str], args: list[str], needle: str) -> None:
    if args[:2] == ["calc", "nonsense"] or "abc" in args or "20x6" in args or "7" in args or "rich" in args:
        with pytest.raises(SystemExit) as info:
            main(args)
        code = info.value.code
        err = capsys.readouterr().err
    else:
        code, _, err = run(capsys, *args)
    assert code == 2
    assert needle in err


def test_module_entry_point() -> None:
    proc = subprocess.run([sys.executable, "-m", "bot", "calc", "waiting", "--region", "新疆",
                           "--gap-years", "3", "--paid-back", "1", "--year", "2026", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["result"] == 4
    bad = subprocess.run([sys.executable, "-m", "bot", "calc", "waiting", "--region", "火星"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "不在我们掌握的文件范围内" in bad.stderr


def test_unknown_option_message_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["calc", "waiting", "--region", "伊宁", "--gap-years", "2", "--foo", "1"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "无法识别的参数" in err and "参数s" not in err and "--foo" in err


@pytest.mark.parametrize("kind,amount,groups,best,expected,first_alone", [
    ("critical", "--burden", "dibao-edge,dibao", "低保对象", 95450, 84100),   # no tilt for the first
    ("critical", "--burden", "dibao,dibao-edge", "低保对象", 95450, 95450),
    ("drug", "--expense", "dibao-edge,tekun", "特困人员", 80000, None),      # unknown for the first
])
def test_several_groups_take_the_most_favourable(capsys: pytest.CaptureFixture[str], kind: str,
                                                 amount: str, groups: str, best: str,
                                                 expected: int, first_alone: int | None) -> None:
    value = "150000" if kind == "critical" else "100000"
    common = ["--region", "烟台", amount, value, "--year", "2026", "--json"]
    code, out, err = run(capsys, "calc", kind, "--group", groups, *common)
    assert code == 0 and json.loads(out)["result"] == expected
    assert f"按待遇最高的「{best}」计算" in err
    code, out, err = run(capsys, "calc", kind, "--group", groups.split(",")[0], *common)
    assert code == 0 and json.loads(out)["result"] == first_alone and "待遇最高" not in err
