"""Hotline exports as call centres write them: CSV in UTF-8 (with or without BOM), GBK or GB18030,
Excel, English or Chinese column names and speakers, turns numbered per utterance or per exchange;
the exit codes of a run; and what a caller says in a greeting counting for the rest of the call.
Every file here is made by the test."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
import sqlite_utils

from bot.transcripts.cli import main
from bot.transcripts.reader import TranscriptFileError, read_transcript

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
QUESTION = "您好 我在伊宁 断保两年了 现在交医保多久能报销"      # 4 个月
EXCHANGES = [  # per exchange: the agent's line and the caller's answer share a number
    ("C-1", 1, "坐席", "您好 医保服务热线 请问有什么可以帮您"),
    ("C-1", 1, "来电人", QUESTION),
    ("C-1", 2, "坐席", "好的 我帮您看一下"),
    ("C-1", 2, "来电人", "好的 谢谢"),
]
HEADERS = {"chinese": ["通话ID", "序号", "角色", "内容", "时间"],
           "english": ["call_id", "turn", "speaker", "text", "ts"]}


def csv_bytes(rows, header: list[str], encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([*row, ""] for row in rows)
    return buf.getvalue().encode(encoding)


def xlsx(path: Path, rows, header: list[str]) -> Path:
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(list(row))
    book.save(path)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("header", ["chinese", "english"])
def test_csv_in_every_encoding_and_header_language(tmp_path: Path, encoding: str, header: str):
    path = tmp_path / "calls.csv"
    path.write_bytes(csv_bytes(EXCHANGES, HEADERS[header], encoding))
    transcript = read_transcript(path)
    assert not transcript.bad_lines
    (call,) = transcript.calls
    assert [(t.position, t.turn, t.speaker) for t in call.turns] == [
        (1, 1, "agent"), (2, 1, "caller"), (3, 2, "agent"), (4, 2, "caller")]
    assert call.caller_turns[0].text == QUESTION


def test_a_gb18030_character_gbk_lacks_is_read(tmp_path: Path):
    rows = [("C-2", 1, "市民", "我叫䶮 新疆断保两年多久能报")]     # 䶮: in GB18030, not in GBK
    path = tmp_path / "calls.csv"
    path.write_bytes(csv_bytes(rows, HEADERS["chinese"], "gb18030"))
    assert read_transcript(path).calls[0].turns[0].text.startswith("我叫䶮")


def test_the_encoding_can_be_given_and_a_wrong_one_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "calls.csv"
    path.write_bytes(csv_bytes(EXCHANGES, HEADERS["chinese"], "gbk"))
    assert read_transcript(path, "gbk").calls[0].caller_turns[0].text == QUESTION
    with pytest.raises(TranscriptFileError, match="不是有效的 utf-8"):
        read_transcript(path, "utf-8")
    with pytest.raises(TranscriptFileError, match="不认识的编码"):
        read_transcript(path, "no-such-encoding")


def test_excel_with_chinese_headers(tmp_path: Path):
    transcript = read_transcript(xlsx(tmp_path / "calls.xlsx", EXCHANGES, HEADERS["chinese"]))
    (call,) = transcript.calls
    assert [(t.turn, t.speaker, t.line) for t in call.turns] == [
        (1, "agent", 2), (1, "caller", 3), (2, "agent", 4), (2, "caller", 5)]


def test_a_header_without_the_needed_columns_names_them(tmp_path: Path):
    path = tmp_path / "calls.csv"
    path.write_bytes(csv_bytes(EXCHANGES, ["编号", "序号", "角色", "内容", "时间"], "gbk"))
    with pytest.raises(TranscriptFileError, match="call_id"):
        read_transcript(path)
    with pytest.raises(TranscriptFileError, match="Excel"):
        read_transcript(path.rename(tmp_path / "not-a-workbook.xlsx"))


def test_per_utterance_numbering_and_a_true_duplicate(tmp_path: Path):
    rows = [("D-1", 1, "agent", "您好"), ("D-1", 2, "caller", QUESTION), ("D-1", 2, "caller", QUESTION),
            ("D-1", 3, "agent", "好的")]
    path = tmp_path / "calls.csv"
    path.write_bytes(csv_bytes(rows, HEADERS["english"], "utf-8"))
    transcript = read_transcript(path)
    assert [b.line for b in transcript.bad_lines] == [4] and "重复" in transcript.bad_lines[0].reason
    assert [t.turn for t in transcript.calls[0].turns] == [1, 2, 3]


def test_the_samples_are_the_same_calls_in_three_files():
    plain = read_transcript(SAMPLES / "hotline.csv")
    for twin in ("hotline_chinese_headers_gbk.csv", "hotline_chinese_headers.xlsx"):
        other = read_transcript(SAMPLES / twin)
        assert not other.bad_lines
        assert [(c.call_id, [(t.speaker, t.text, t.ts) for t in c.turns]) for c in other.calls] == \
               [(c.call_id, [(t.speaker, t.text, t.ts) for t in c.turns]) for c in plain.calls]


# ---- whole runs (the in-process assistant of tests/running.py) --------------------------------

def run(hotline, db: Path, *argv: str) -> tuple[int, list[str], list[str]]:
    out: list[str] = []
    err: list[str] = []
    code = main([*argv, "--db", str(db)], out=out.append, err=err.append, assistant=hotline[0])
    return code, out, err


@pytest.mark.parametrize("twin", ["hotline_chinese_headers_gbk.csv", "hotline_chinese_headers.xlsx"])
def test_a_gbk_csv_and_an_excel_export_give_the_figures_of_the_plain_csv(hotline, tmp_path, twin):
    code, _, err = run(hotline, tmp_path / "plain.db", str(SAMPLES / "hotline.csv"))
    assert code == 0, err
    code, _, err = run(hotline, tmp_path / "twin.db", str(SAMPLES / twin))
    assert code == 0, err
    plain, other = (sqlite_utils.Database(tmp_path / name)["turns"] for name in ("plain.db", "twin.db"))
    def seen(table):
        return sorted((r["call_id"], r["position"], r["speaker"], r["text"], r["figure"]) for r in table.rows)
    assert seen(other) == seen(plain)
    assert any(r["speaker"] == "agent" for r in other.rows)            # the agent's side is kept
    assert {r["figure"] for r in other.rows if r["figure"]} >= {"4", "14700"}


def test_exit_codes(hotline, tmp_path: Path):
    good = json.dumps({"call_id": "E-1", "turn": 1, "speaker": "caller", "text": QUESTION}, ensure_ascii=False)
    bad = '{"call_id": "E-2", "turn": '
    some_bad = tmp_path / "some_bad.jsonl"
    some_bad.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    all_bad = tmp_path / "all_bad.jsonl"
    all_bad.write_text(bad + "\n" + bad + "\n", encoding="utf-8")
    code, out, err = run(hotline, tmp_path / "a.db", str(some_bad))
    assert code == 0 and "格式错误的行 1 行" in out[0] and err[0].startswith("第 2 行格式错误")
    assert run(hotline, tmp_path / "b.db", str(some_bad), "--strict")[0] == 1
    code, _, err = run(hotline, tmp_path / "c.db", str(all_bad))
    assert code == 1 and "没有可以处理的通话" in err[-1]
    blocked = tmp_path / "dir"
    blocked.mkdir()
    code, _, err = run(hotline, blocked, str(some_bad))                # the database is a directory
    assert code == 2 and "无法写入数据库" in err[-1]


def test_facts_said_in_a_greeting_count_for_the_rest_of_the_call(hotline, tmp_path: Path):
    """The caller's city, insured type and group, said while greeting, are used by a later
    question of the same call (one conversation per call), and never by another call."""
    rows = [
        {"call_id": "CTX-1", "turn": 1, "speaker": "agent", "text": "您好 医保服务热线"},
        {"call_id": "CTX-1", "turn": 2, "speaker": "caller", "text": "你好 我是伊宁的 灵活就业 低保户"},
        {"call_id": "CTX-1", "turn": 3, "speaker": "agent", "text": "好的 请问您想咨询什么"},
        {"call_id": "CTX-1", "turn": 4, "speaker": "caller", "text": "我断保两年了 现在交多久能报销"},
        {"call_id": "CTX-2", "turn": 1, "speaker": "caller", "text": "我断保两年了 现在交多久能报销"},
    ]
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    code, _, err = run(hotline, tmp_path / "h.db", str(path))
    assert code == 0, err
    turns = {(r["call_id"], r["turn"]): r for r in sqlite_utils.Database(tmp_path / "h.db")["turns"].rows}
    later = turns[("CTX-1", 4)]
    assert later["figure"] == "6" and later["calculation"] == "waiting"      # 新疆 灵活就业: 6 个月
    assert json.loads(later["slots"])["region"] == "xinjiang"
    assert json.loads(later["slots"])["insured_type"] == "flexible"
    other = turns[("CTX-2", 1)]                                               # a new call knows nothing
    assert other["figure"] is None and "哪个地区" in other["answer"]
