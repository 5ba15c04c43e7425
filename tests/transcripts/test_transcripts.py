"""Hotline transcript batch (`python -m bot transcripts`).

The sample (data/samples/hotline.jsonl) runs end to end into a temporary database through the
trained CI model and the real custom actions; figures are checked against `python -m bot calc`.
Also: masking of ID/phone numbers in every column, resumability and --redo, malformed lines
reported with their line numbers, CSV input, the --report summary. The model is loaded once per
session (the slow part); the reading and storage tests need no model.
"""
from __future__ import annotations

import dataclasses
import json
import sqlite3
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import sqlite_utils

from bot.cli import build_parser, run_calc
from bot.run import ensure_model
from bot.transcripts.batch import unanswered_flags
from bot.transcripts.cli import main
from bot.transcripts.prepare import caller_texts, sender_for
from bot.transcripts.reader import TranscriptFileError, read_transcript
from bot.transcripts.store import CallRecord, TranscriptStore, TurnRecord
from bot.transcripts.workers import auto_workers
from tests.rasa.parses import same_parse, sample_texts

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "hotline.jsonl"
SAMPLE_CSV = ROOT / "data" / "samples" / "hotline.csv"
# Personal data said in the samples, in every form it could end up in if it were not masked.
RAW_PERSONAL = ("370682198503124567", "13812345678", "15900001234", "15012348888",
                "幺三八", "一五九 零零零零", "幺五零")


def jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                              for r in rows) + "\n", encoding="utf-8")
    return path


# ---- reading and storage (no model) ---------------------------------------------------------

MALFORMED = [
    {"call_id": "M-1", "turn": 1, "speaker": "agent", "text": "您好 医保服务热线"},      # 1
    {"call_id": "M-1", "turn": 2, "speaker": "caller", "text": "我在伊宁 断保两年 多久能报销"},  # 2
    '{"call_id": "M-1", "turn": 3, "speaker": "caller", "text": "好的',                 # 3 bad JSON
    {"call_id": "M-2", "speaker": "caller", "text": "没有轮次"},                          # 4 missing turn
    {"call_id": "M-2", "turn": 1, "speaker": "robot", "text": "说话人不对"},              # 5 bad speaker
    {"call_id": "M-2", "turn": "二", "speaker": "caller", "text": "轮次不是数字"},         # 6 non-integer
    {"call_id": "M-2", "turn": 1.5, "speaker": "caller", "text": "轮次是小数"},           # 7 non-integer
    {"call_id": "M-2", "turn": 4, "speaker": "caller", "text": "   "},                    # 8 empty text
    "",                                                                                   # 9 blank: ignored
    {"call_id": "M-1", "turn": 2, "speaker": "caller", "text": "我在伊宁 断保两年 多久能报销"},  # 10 duplicate
    "[1, 2, 3]",                                                                          # 11 not an object
    {"call_id": "13812345678", "turn": 1, "speaker": "caller", "text": "通话编号是手机号"},  # 12
    {"call_id": "M-3", "turn": "2", "speaker": "Caller", "text": "江西在职职工 二级医院门诊 花了三千 能报多少"},
]
MALFORMED_LINES = {3: "JSON", 4: "turn", 5: "说话人", 6: "turn", 7: "turn", 8: "text", 10: "重复",
                   11: "JSON 对象", 12: "call_id"}


def test_malformed_lines_are_reported_with_their_line_numbers(tmp_path):
    transcript = read_transcript(jsonl(tmp_path / "calls.jsonl", MALFORMED))
    assert {b.line: b.reason for b in transcript.bad_lines}.keys() == MALFORMED_LINES.keys()
    for bad in transcript.bad_lines:
        assert MALFORMED_LINES[bad.line] in bad.reason
        assert bad.render().startswith(f"第 {bad.line} 行格式错误")
    calls = {c.call_id: c for c in transcript.calls}
    assert sorted(calls) == ["M-1", "M-3"]
    assert [(t.turn, t.speaker) for t in calls["M-1"].turns] == [(1, "agent"), (2, "caller")]
    assert calls["M-1"].turns[1].text == "我在伊宁 断保两年 多久能报销"   # the first of the duplicates
    assert calls["M-3"].turns[0].turn == 2 and calls["M-3"].turns[0].speaker == "caller"


def test_turns_are_ordered_even_when_calls_are_interleaved(tmp_path):
    rows = [{"call_id": "B", "turn": 3, "speaker": "caller", "text": "三"},
            {"call_id": "A", "turn": 1, "speaker": "caller", "text": "一"},
            {"call_id": "B", "turn": 1, "speaker": "agent", "text": "一", "ts": 1717200000}]
    transcript = read_transcript(jsonl(tmp_path / "calls.jsonl", rows))
    assert [c.call_id for c in transcript.calls] == ["B", "A"]
    assert [t.turn for t in transcript.calls[0].turns] == [1, 3]
    assert transcript.calls[0].turns[0].ts == "1717200000"


def test_csv_reports_the_line_where_a_record_starts(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("\ufeffcall_id,turn,speaker,text\n"
                    'C-1,1,caller,"两行的\n文字"\n'
                    "C-1,x,caller,轮次不对\n"
                    "C-1,2,caller\n"
                    "C-1,3,agent,好的,多余,列\n", encoding="utf-8")
    transcript = read_transcript(path)
    assert [(b.line, b.reason[:4]) for b in transcript.bad_lines] == [
        (4, "turn"), (5, "缺少字段"), (6, "列数过多")]
    assert transcript.calls[0].turns[0].text == "两行的\n文字"


def test_format_is_detected_from_the_content_without_an_extension(tmp_path):
    (tmp_path / "a").write_text('{"call_id": "X", "turn": 1, "speaker": "caller", "text": "你好"}\n')
    (tmp_path / "b").write_text("call_id,turn,speaker,text\nY,1,caller,你好\n")
    assert read_transcript(tmp_path / "a").calls[0].call_id == "X"
    assert read_transcript(tmp_path / "b").calls[0].call_id == "Y"


def test_a_csv_header_without_the_columns_stops_with_a_chinese_message(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("id,speaker,words\n1,caller,你好\n", encoding="utf-8")
    with pytest.raises(TranscriptFileError, match="表头缺少列 call_id、turn、text"):
        read_transcript(path)


def _call(call_id: str, turns: int) -> CallRecord:
    return CallRecord(call_id=call_id, sender_id="hotline-" + call_id, source="x", turns=turns,
                      caller_turns=turns, agent_turns=0, figures=0, fallbacks=0, first_ts=None,
                      last_ts=None, model="m", processed_at="2024-06-01T00:00:00+00:00")


def _turn(call_id: str, turn: int, text: str) -> TurnRecord:
    return TurnRecord(call_id=call_id, position=turn, turn=turn, speaker="caller", ts=None, text=text,
                      normalized=text, intent=None, confidence=None, entities=None, slots=None,
                      answer=None, figure=None, unit=None, calculation=None, fell_back=False,
                      unanswered=False)


def test_a_call_is_written_all_or_nothing(tmp_path):
    store = TranscriptStore(tmp_path / "h.db")
    store.save_call(_call("K", 1), [_turn("K", 1, "第一版")])
    with pytest.raises(sqlite3.IntegrityError):      # the second turn 1 breaks the primary key
        store.save_call(_call("K", 2), [_turn("K", 1, "第二版"), _turn("K", 1, "第二版")])
    with pytest.raises(sqlite3.IntegrityError):
        store.save_call(_call("L", 2), [_turn("L", 1, "新"), _turn("L", 1, "新")])
    rows = list(store.db["turns"].rows)
    assert [(r["call_id"], r["text"]) for r in rows] == [("K", "第一版")]   # old version intact
    assert [r["call_id"] for r in store.db["calls"].rows] == ["K"]          # L left no trace
    store.close()


def test_the_store_masks_whatever_it_is_given(tmp_path):
    store = TranscriptStore(tmp_path / "h.db")
    store.save_call(_call("K", 1), [_turn("K", 1, "电话 13812345678 身份证 370682198503124567")])
    assert store.db["turns"].get(("K", 1))["text"] == "电话 [手机号] 身份证 [身份证]"
    store.close()


def test_schema_keys_and_indexes(tmp_path):
    store = TranscriptStore(tmp_path / "h.db")
    turns = store.db["turns"]
    assert store.db["calls"].pks == ["call_id"]
    assert turns.pks == ["call_id", "position"]
    assert [(fk.column, fk.other_table, fk.other_column) for fk in turns.foreign_keys] == [
        ("call_id", "calls", "call_id")]
    assert {tuple(i.columns) for i in turns.indexes} >= {("intent",), ("fell_back",)}
    store.close()


def test_a_database_written_before_positions_is_converted(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    old["calls"].insert({"call_id": "C", "source": "s", "processed_at": "t"}, pk="call_id")
    old["turns"].insert_all([{"call_id": "C", "turn": k, "speaker": "caller", "text": f"第{k}句"}
                             for k in (1, 2)], pk=("call_id", "turn"))
    old.close()
    store = TranscriptStore(path)
    assert store.db["turns"].pks == ["call_id", "position"]
    assert [(r["position"], r["turn"]) for r in store.db["turns"].rows] == [(1, 1), (2, 2)]
    store.close()


def test_unanswered_means_fallback_or_a_calculation_no_figure_followed():
    calc = frozenset({"ask_waiting_period"})
    # asks → region asked → answered with a figure two turns later: answered
    assert unanswered_flags(["ask_waiting_period", "inform", "inform"], [False, False, True],
                            [False, False, False], calc) == [False, False, False]
    # asked, never got a figure; a fallback; a greeting
    assert unanswered_flags(["greet", "ask_waiting_period", "nlu_fallback"], [False, False, False],
                            [False, False, True], calc) == [False, True, True]


# ---- with the trained model and the real actions --------------------------------------------

@dataclass
class Run:
    code: int
    db: Path
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)


def run_cli(hotline, db: Path, *argv: str) -> Run:
    run = Run(code=-1, db=db)
    run.code = main([*argv, "--db", str(db)], out=run.out.append, err=run.err.append,
                    assistant=hotline[0])
    return run


@pytest.fixture(scope="session")
def sample(hotline, tmp_path_factory) -> Run:
    return run_cli(hotline, tmp_path_factory.mktemp("sample") / "hotline.db", str(SAMPLE))


def turn(db: Path, call_id: str, number: int) -> dict:
    """The stored row of the call's turn with the export's number `number` (the first if the
    numbering is per exchange)."""
    rows = list(sqlite_utils.Database(db)["turns"].rows_where(
        "call_id = ? and turn = ?", [call_id, number], order_by="position", limit=1))
    if not rows:
        raise KeyError((call_id, number))
    return rows[0]


def calc(*argv: str) -> dict:
    """What `python -m bot calc KIND … --json` says."""
    out: list[str] = []
    assert run_calc(build_parser().parse_args(["calc", *argv, "--json"]), out.append, out.append) == 0
    return json.loads(out[0])


FIGURES = [  # (call, turn, calc arguments) — the figure the caller was told = the engine's
    ("HL-0601-001", 2, ("waiting", "--region", "伊宁", "--gap-years", "2")),
    ("HL-0601-003", 2, ("waiting", "--region", "济南", "--gap-years", "5")),
    ("HL-0601-004", 5, ("waiting", "--region", "新疆", "--gap-years", "2")),       # asked step by step
    ("HL-0601-031", 3, ("waiting", "--region", "新疆", "--gap-years", "3")),       # corrected
    ("HL-0601-010", 2, ("inpatient", "--region", "太原", "--price-class", "2-county", "--expense", "20000")),
    ("HL-0601-011", 3, ("inpatient", "--region", "平遥", "--price-class", "1", "--expense", "150000")),
    ("HL-0601-013", 2, ("outpatient", "--region", "江西", "--level", "2", "--expense", "3000")),
    ("HL-0601-015", 2, ("account", "--region", "江西", "--base", "6000")),
    ("HL-0601-017", 2, ("critical", "--region", "烟台", "--group", "dibao", "--burden", "150000")),
    ("HL-0601-020", 2, ("assistance", "--region", "烟台", "--group", "dibao", "--burden", "22050")),
]


def test_the_sample_runs_end_to_end(sample):
    assert sample.code == 0, sample.err
    db = sqlite_utils.Database(sample.db)
    assert db["calls"].count == 36
    assert db.execute("select count(*) from turns where speaker = 'caller'").fetchone()[0] == 55
    assert db.execute("select count(*) from turns where speaker = 'agent'").fetchone()[0] == 44
    call = db["calls"].get("HL-0601-004")
    assert (call["caller_turns"], call["agent_turns"], call["figures"]) == (3, 2, 1)
    assert call["sender_id"] == "hotline-HL-0601-004" and call["source"] == str(SAMPLE.resolve())
    assert "本次处理 36 通通话" in sample.out[0]


def test_xinjiang_two_years_gap_is_four_months(sample):
    row = turn(sample.db, "HL-0601-001", 2)
    assert (row["figure"], row["unit"], row["calculation"]) == ("4", "个月", "waiting")
    assert row["intent"] == "ask_waiting_period" and row["fell_back"] == 0
    assert "断保2年" in row["normalized"] and "医保" in row["normalized"]   # ASR: 断报, 医宝 fixed
    assert row["answer"].startswith("待遇等待期:4 个月")


@pytest.mark.parametrize("call_id,number,args", FIGURES, ids=[f[0] for f in FIGURES])
def test_figures_are_the_engines(sample, call_id, number, args):
    row = turn(sample.db, call_id, number)
    expected = calc(*args)
    assert row["figure"] is not None, row
    assert Decimal(row["figure"]) == Decimal(str(expected["result"]))
    assert row["unit"] == expected["unit"] and row["calculation"] == args[0]


def test_turns_without_a_figure(sample):
    retired = turn(sample.db, "HL-0601-016", 2)           # 江西 retiree: no amount in the documents
    assert retired["figure"] is None and retired["unanswered"] == 1
    beijing = turn(sample.db, "HL-0601-029", 2)
    assert beijing["figure"] is None and "不在我们掌握的文件范围内" in beijing["answer"]
    for number in (2, 3):                                  # weather, plane tickets
        row = turn(sample.db, "HL-0601-028", number)
        assert row["fell_back"] == 1 and row["unanswered"] == 1 and row["figure"] is None
    asks_region = turn(sample.db, "HL-0601-004", 2)        # figure came two turns later
    assert asks_region["figure"] is None and asks_region["unanswered"] == 0


def test_agent_turns_are_stored_without_an_answer(sample):
    rows = list(sqlite_utils.Database(sample.db)["turns"].rows_where("speaker = 'agent'"))
    assert rows and all(r["answer"] is None and r["intent"] is None and r["figure"] is None
                        and r["fell_back"] == 0 for r in rows)
    assert turn(sample.db, "HL-0601-004", 3)["text"] == "您是哪个地方参保的"


def test_no_id_or_phone_number_is_written_anywhere(sample, hotline):
    for path in (sample.db, hotline[1]):                   # ours, and the actions' hand-offs/audit
        db = sqlite_utils.Database(path)
        for table in db.table_names():
            for row in db[table].rows:
                for column, value in row.items():
                    for raw in RAW_PERSONAL:
                        assert raw not in str(value), (path.name, table, column, value)
    assert "[身份证]" in turn(sample.db, "HL-0601-027", 2)["text"]
    assert "[手机号]" in turn(sample.db, "HL-0601-026", 2)["text"]
    assert "[手机号]" in turn(sample.db, "HL-0601-033", 2)["normalized"]
    assert turn(sample.db, "HL-0601-033", 2)["figure"] == "3"   # the question still got its answer
    handoffs = list(sqlite_utils.Database(hotline[1])["handoffs"].rows)
    assert any("[手机号]" in h["text"] and h["sender_id"] == "hotline-HL-0601-026" for h in handoffs)


def test_report_prints_the_summary_again_from_the_database(sample, hotline):
    report = run_cli(hotline, sample.db, "--report")
    assert report.code == 0 and report.out[0] == sample.out[-1]
    assert report.out[1] == f"网页版汇总:{sample.db.with_suffix('.html')}"
    text = report.out[0]
    for line in ("通话:36 通", "来电者发言:55 句(坐席发言 44 句)", "带数字的回答:", "未能回答(兜底):",
                 "最常见的意图:", "ask_waiting_period(待遇等待期)", "最常见的未解答问题:", "今天天气怎么样"):
        assert line in text
    only_csv = run_cli(hotline, sample.db, "--report", str(SAMPLE_CSV))
    assert "通话:0 通" in only_csv.out[0]
    missing = run_cli(hotline, sample.db.with_name("none.db"), "--report")
    assert missing.code == 2 and "不存在" in missing.err[0]


def test_resumable_and_redo(hotline, tmp_path):
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines()
             if '"HL-0601-004"' in line or '"HL-0601-001"' in line]
    path = tmp_path / "calls.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "h.db"
    first = run_cli(hotline, db, str(path))
    assert first.code == 0 and "本次处理 2 通通话" in first.out[0]
    snapshot = [sorted(sqlite_utils.Database(db)[t].rows, key=str) for t in ("calls", "turns")]

    again = run_cli(hotline, db, str(path))                # nothing to do: skipped, unchanged
    assert "本次处理 0 通通话(已在数据库中而跳过 2 通" in again.out[0]
    assert [sorted(sqlite_utils.Database(db)[t].rows, key=str) for t in ("calls", "turns")] == snapshot

    changed = path.read_text(encoding="utf-8").replace("就是那个 断了两年", "断了三年")
    changed += json.dumps({"call_id": "HL-NEW", "turn": 1, "speaker": "caller",
                           "text": "新疆断保两年 现在交多久能报销"}, ensure_ascii=False) + "\n"
    path.write_text(changed, encoding="utf-8")
    resumed = run_cli(hotline, db, str(path))              # only the new call
    assert "本次处理 1 通通话(已在数据库中而跳过 2 通" in resumed.out[0]
    assert turn(db, "HL-0601-004", 5)["figure"] == "4"
    assert turn(db, "HL-NEW", 1)["figure"] == "4"

    redone = run_cli(hotline, db, str(path), "--redo")     # everything again, replaced
    assert "本次处理 3 通通话" in redone.out[0]
    assert turn(db, "HL-0601-004", 5)["figure"] == "5" and "3年" in turn(db, "HL-0601-004", 5)["normalized"]
    # a fresh conversation: the first question asks for the region again
    assert "哪个地区" in turn(db, "HL-0601-004", 2)["answer"]
    assert sqlite_utils.Database(db)["turns"].count == 4 + 5 + 1     # replaced, not added


def test_malformed_lines_are_skipped_and_the_batch_goes_on(hotline, tmp_path):
    run = run_cli(hotline, tmp_path / "h.db", str(jsonl(tmp_path / "calls.jsonl", MALFORMED)))
    assert run.code == 0                       # completed: the skipped lines are reported
    assert [e.split(" 行")[0] for e in run.err] == [f"第 {n}" for n in sorted(MALFORMED_LINES)]
    assert turn(run.db, "M-1", 2)["figure"] == "4"
    assert turn(run.db, "M-3", 2)["figure"] == "1320"
    assert "格式错误的行 9 行" in run.out[0]


def test_csv_input(hotline, tmp_path):
    run = run_cli(hotline, tmp_path / "h.db", str(SAMPLE_CSV))
    assert run.code == 0, run.err
    assert turn(run.db, "CSV-0602-001", 2)["figure"] == "4"          # 伊犁 → 新疆, 断报 → 断保
    assert turn(run.db, "CSV-0602-002", 2)["figure"] == "14700"
    assert turn(run.db, "CSV-0602-003", 2)["intent"] == "human_handoff"
    assert "[手机号]" in turn(run.db, "CSV-0602-003", 2)["text"]
    assert turn(run.db, "CSV-0602-002", 1)["ts"] == "2024-06-02T10:12:00"


def test_bad_invocations_exit_2_in_chinese(hotline, tmp_path):
    no_file = run_cli(hotline, tmp_path / "h.db")
    assert no_file.code == 2 and "请给出通话记录文件" in no_file.err[0]
    missing = run_cli(hotline, tmp_path / "h.db", str(tmp_path / "none.jsonl"))
    assert missing.code == 2 and "无法读取文件" in missing.err[0]
    no_model = run_cli(hotline, tmp_path / "h.db", str(SAMPLE), "--model", str(tmp_path / "m.tar.gz"))
    assert no_model.code == 2 and "找不到模型" in no_model.err[0]


# ---- several worker processes (bot.transcripts.pool) --------------------------------

def test_auto_workers_adds_a_process_per_500_caller_turns_up_to_the_cores():
    assert [auto_workers(n, cpus=2) for n in (0, 55, 499, 500, 5000)] == [1, 1, 1, 2, 2]
    assert [auto_workers(n, cpus=8) for n in (999, 1000, 1500, 100000)] == [2, 3, 4, 4]
    assert auto_workers(100000, cpus=1) == 1


def _stored(db: Path) -> list[dict]:
    keep = ("call_id", "turn", "speaker", "text", "normalized", "intent", "entities", "slots",
            "answer", "figure", "unit", "calculation", "fell_back", "unanswered")
    rows = sqlite_utils.Database(db).execute_returning_dicts(
        "select * from turns order by call_id, turn")
    return [{k: r[k] for k in keep} | {"confidence": round(r["confidence"] or 0, 4)} for r in rows]


def test_two_worker_processes_store_what_one_process_stores(sample, tmp_path):
    """The sample through `--workers 2` (each worker loads the model, actions in-process):
    every turn's intent, slots, answer and figure as in the one-process run."""
    model = ensure_model("config.ci.yml", "yibao-ci")
    out: list[str] = []
    err: list[str] = []
    db = tmp_path / "pool.db"
    code = main([str(SAMPLE), "--db", str(db), "--model", str(model), "--workers", "2"],
                out=out.append, err=err.append)
    assert code == 0, err
    assert "用 2 个进程处理" in err[0] and "本次处理 36 通通话" in out[0]
    assert _stored(db) == _stored(sample.db)
    assert sqlite_utils.Database(db)["calls"].count == 36
    # the workers' custom actions wrote their audit rows (one per figure told) where the batch said
    figures = sqlite_utils.Database(db).execute("select count(*) from turns where figure is not null")
    assert sqlite_utils.Database(db)["audit"].count >= figures.fetchone()[0] > 0


def test_a_worker_that_cannot_load_the_model_stops_the_batch_in_chinese(tmp_path):
    bogus = tmp_path / "broken.tar.gz"
    bogus.write_bytes(b"not a model")
    err: list[str] = []
    code = main([str(SAMPLE), "--db", str(tmp_path / "h.db"), "--model", str(bogus), "--workers", "2"],
                out=err.append, err=err.append)
    assert code == 2 and "处理进程意外退出" in err[-1]
    assert sqlite_utils.Database(tmp_path / "h.db")["calls"].count == 0


def test_workers_option_is_checked(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([str(SAMPLE), "--workers", "0"])
    assert exit_.value.code == 2 and "进程数应为 1–64 的整数" in capsys.readouterr().err


# ------------------------------------------------------------------ turns understood ahead

def test_turns_parsed_together_are_parsed_as_one_at_a_time(hotline):
    """parse_ahead (one DIET call for many turns) gives each turn what Rasa's
    processor.parse_message gives it alone: intent, ranking, entities, FAQ choice; confidences
    equal up to float32 rounding."""
    assistant = hotline[0]
    texts = sample_texts()
    messages = [assistant.message("hotline-parse", t) for t in texts]
    assistant.parse_ahead(messages)
    alone = [assistant.loop.run_until_complete(assistant.agent.processor.parse_message(
        assistant.message("hotline-parse", t))) for t in texts]
    assert len({m.parse_data["intent"]["name"] for m in messages}) > 5
    for message, single in zip(messages, alone):
        together = message.parse_data
        single.pop("message_id", None)
        together.pop("message_id", None)
        assert same_parse(together, single), message.text
        assert together["intent"]["name"] == single["intent"]["name"], message.text


def test_a_call_runs_the_same_with_its_turns_parsed_ahead(hotline):
    assistant = hotline[0]
    calls = read_transcript(SAMPLE).calls[:12]
    for call in calls:
        texts = caller_texts(call)
        messages = [assistant.message(sender_for(call.call_id), t) for t in texts]
        assistant.parse_ahead(messages)
        ahead = assistant.run_messages(sender_for(call.call_id), messages)
        alone = assistant.run_call(sender_for(call.call_id), texts)
        # everything equal; the intent's confidence up to float32 rounding
        assert same_parse([dataclasses.asdict(o) for o in ahead], [dataclasses.asdict(o) for o in alone]), \
            call.call_id


def test_a_bad_parse_ahead_falls_back_to_each_call_parsing_its_own_turns(hotline, monkeypatch):
    assistant = hotline[0]
    calls = read_transcript(SAMPLE).calls[:3]
    expected = [run.outcomes for run in assistant.run_calls(calls)]

    def broken(messages):
        raise RuntimeError("boom")

    monkeypatch.setattr(assistant, "parse_ahead", broken)
    runs = list(assistant.run_calls(calls))
    assert [r.outcomes for r in runs] == expected and all(r.error is None for r in runs)
