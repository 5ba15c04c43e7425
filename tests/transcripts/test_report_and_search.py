"""What supervisors read: the one-page HTML report next to the hotline database, and the search
over every turn that matches a Chinese query typed without spaces."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.transcripts.cli import main
from bot.transcripts.report_html import report_path
from bot.transcripts.store import CallRecord, TranscriptStore, TurnRecord

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "hotline.jsonl"


def _turn(call_id: str, position: int, speaker: str, text: str, unanswered: bool = False) -> TurnRecord:
    return TurnRecord(call_id=call_id, position=position, turn=position, speaker=speaker, ts=None, text=text,
                      normalized=text, intent=None, confidence=None, entities=None, slots=None, answer=None,
                      figure=None, unit=None, calculation=None, fell_back=False, unanswered=unanswered)


def _call(call_id: str, turns: int) -> CallRecord:
    return CallRecord(call_id=call_id, sender_id="hotline-" + call_id, source="t", turns=turns,
                      caller_turns=turns, agent_turns=0, figures=0, fallbacks=0, first_ts=None,
                      last_ts=None, model="m", processed_at="t")


def test_search_matches_a_chinese_query_typed_without_spaces(tmp_path: Path):
    store = TranscriptStore(tmp_path / "h.db")
    store.save_call(_call("A", 2), [_turn("A", 1, "agent", "您好 医保服务热线"),
                                    _turn("A", 2, "caller", "我 断保 两年了 现在交多久能报销")])
    store.save_call(_call("B", 1), [_turn("B", 1, "caller", "住院花了两万能报多少")])
    assert [(r["call_id"], r["position"]) for r in store.search("断保两年")] == [("A", 2)]
    assert [(r["call_id"], r["speaker"]) for r in store.search("医保服务热线")] == [("A", "agent")]
    assert [r["call_id"] for r in store.search("住院")] == ["B"]
    assert store.search("大病保险 封顶") == []                # every word must occur
    for hostile in ('" OR *', "NEAR(a b)", "call_id:A", "", "😀"):
        assert store.search(hostile) == []                    # never an FTS5 syntax error
    store.save_call(_call("A", 1), [_turn("A", 1, "caller", "转人工")])     # redone: index replaced
    assert store.search("断保两年") == [] and [r["call_id"] for r in store.search("转人工")] == ["A"]
    store.close()


def test_an_older_database_gets_its_index_when_opened(tmp_path: Path):
    store = TranscriptStore(tmp_path / "h.db")
    store.save_call(_call("A", 1), [_turn("A", 1, "caller", "新疆断保两年")])
    store.db.execute("drop table turns_search")
    store.close()
    reopened = TranscriptStore(tmp_path / "h.db")
    assert [r["call_id"] for r in reopened.search("新疆断保")] == ["A"]
    reopened.close()


def run(hotline, db: Path, *argv: str) -> tuple[int, list[str], list[str]]:
    out: list[str] = []
    err: list[str] = []
    code = main([*argv, "--db", str(db)], out=out.append, err=err.append, assistant=hotline[0])
    return code, out, err


@pytest.fixture(scope="module")
def processed(hotline, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("report") / "hotline.db"
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows.append({"call_id": "HTML-1", "turn": 1, "speaker": "caller",
                 "text": "<script>alert(1)</script> 这个问题文件里没有吧 补办社保卡去哪"})
    path = db.parent / "calls.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    code, _, err = run(hotline, db, str(path))
    assert code == 0, err
    return db


def test_the_report_is_one_self_contained_page_next_to_the_database(hotline, processed: Path):
    code, out, _ = run(hotline, processed, "--report")
    page = report_path(processed)
    assert code == 0 and out[-1] == f"网页版汇总:{page}" and page.parent == processed.parent
    html = page.read_text(encoding="utf-8")
    for label in ("通话", "来电者发言", "带数字的回答", "未能回答(兜底)", "转人工", "未解答的问题"):
        assert f"<th>{label}</th>" in html
    assert html.count("<svg") == 2 and "来电者问的话题" in html and "最常见的未解答问题" in html
    assert "<script" not in html and "&lt;script&gt;" in html               # text escaped, no script
    assert not re.search(r"(src|href)=", html) and "http" not in html.split("</head>")[1]
    assert "<td>HTML-1</td>" in html                                        # its unanswered turn listed
    calls = re.search(r"<th>通话</th><td>(\d+) 通</td>", html)
    assert calls and int(calls.group(1)) == 37


def test_search_from_the_command_line(hotline, processed: Path):
    code, out, _ = run(hotline, processed, "--search", "断保两年")
    assert code == 0 and out[-1].startswith("共找到 ") and len(out) >= 2
    assert all("断保" in line or "断报" in line or "两年" in line for line in out[:-1])
