"""The Chinese summary of a hotline database: counts, top intents, top unanswered questions.

Always computed from the database (so `--report` prints the same summary without processing),
optionally restricted to the calls read from one source file.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from bot.transcripts.store import CALLS, TURNS

INTENT_LABELS = {
    "greet": "问候", "goodbye": "告别", "thanks": "致谢", "affirm": "肯定", "deny": "否定",
    "ask_waiting_period": "待遇等待期", "ask_cap": "大病保险封顶线", "ask_inpatient": "住院报销",
    "ask_outpatient": "门诊报销", "ask_personal_account": "个人账户",
    "ask_critical_illness": "大病保险", "ask_assistance": "医疗救助", "inform": "提供信息",
    "correct": "更正", "restart": "重新开始", "human_handoff": "转人工", "bot_challenge": "问是否机器人",
    "out_of_scope": "超出范围", "nlu_fallback": "没听懂", "ask_policy": "政策问答",
}
TOP = 8
MAX_LISTED = 500          # unanswered turns listed in the HTML report


@dataclass(frozen=True)
class Unanswered:
    question: str          # normalised text
    count: int
    intents: str           # comma-separated intents seen for it


@dataclass(frozen=True)
class UnansweredTurn:
    call_id: str
    position: int
    text: str              # as said, masked


@dataclass(frozen=True)
class Summary:
    db: str
    source: str | None
    calls: int
    caller_turns: int
    agent_turns: int
    figure_turns: int
    figure_calls: int
    fallbacks: int
    unanswered: int
    handoffs: int
    top_intents: tuple[tuple[str, int], ...]
    top_unanswered: tuple[Unanswered, ...]
    unanswered_turns: tuple[UnansweredTurn, ...] = ()     # in call order, at most MAX_LISTED


def summarize(db_path: Path | str, source: str | None = None, top: int = TOP) -> Summary:
    db = sqlite_utils.Database(db_path)
    try:
        where, args = ("where c.source = ?", [source]) if source else ("", [])
        join = f"from {TURNS} t join {CALLS} c on c.call_id = t.call_id {where}"
        caller = f"{join} {'and' if where else 'where'} t.speaker = 'caller'"

        def one(sql: str) -> int:
            return int(db.execute(sql, args).fetchone()[0] or 0)

        calls = one(f"select count(*) from {CALLS} c {where}")
        intents = db.execute(
            f"select coalesce(t.intent, '(无)'), count(*) n {caller} "
            f"group by 1 order by n desc, 1 limit {top}",
            args).fetchall()
        unanswered = db.execute(
            f"select t.normalized, count(*) n, group_concat(distinct t.intent) {caller} "
            f"and t.unanswered = 1 group by t.normalized order by n desc, min(t.call_id), min(t.position) "
            f"limit {top}", args).fetchall()
        return Summary(
            db=str(db_path), source=source, calls=calls,
            caller_turns=one(f"select count(*) {caller}"),
            agent_turns=one(f"select count(*) {join} {'and' if where else 'where'} t.speaker = 'agent'"),
            figure_turns=one(f"select count(*) {caller} and t.figure is not null"),
            figure_calls=one(f"select count(distinct t.call_id) {caller} and t.figure is not null"),
            fallbacks=one(f"select count(*) {caller} and t.fell_back = 1"),
            unanswered=one(f"select count(*) {caller} and t.unanswered = 1"),
            handoffs=one(f"select count(*) {caller} and t.intent = 'human_handoff'"),
            top_intents=tuple((str(i), int(n)) for i, n in intents),
            top_unanswered=tuple(Unanswered(str(q), int(n), str(i or "(无)")) for q, n, i in unanswered),
            unanswered_turns=tuple(UnansweredTurn(str(c), int(p), str(x)) for c, p, x in db.execute(
                f"select t.call_id, t.position, t.text {caller} and t.unanswered = 1 "
                f"order by t.call_id, t.position limit {MAX_LISTED}", args).fetchall()))
    finally:
        db.close()


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def render(s: Summary) -> str:
    lines = [f"热线通话汇总(数据库 {s.db}" + (f",来源 {s.source}" if s.source else "") + ")",
             f"通话:{s.calls} 通",
             f"来电者发言:{s.caller_turns} 句(坐席发言 {s.agent_turns} 句)",
             f"带数字的回答:{s.figure_turns} 句({_pct(s.figure_turns, s.caller_turns)}),"
             f"涉及 {s.figure_calls} 通通话",
             f"未能回答(兜底):{s.fallbacks} 句({_pct(s.fallbacks, s.caller_turns)})",
             f"未解答的问题(兜底,或问了计算却没有得到数字):{s.unanswered} 句"]
    if s.top_intents:
        lines.append("最常见的意图:")
        for intent, n in s.top_intents:
            label = INTENT_LABELS.get(intent, "")
            lines.append(f"  {intent}{'(' + label + ')' if label else ''}:{n} 句"
                         f"({_pct(n, s.caller_turns)})")
    if s.top_unanswered:
        lines.append("最常见的未解答问题:")
        for i, u in enumerate(s.top_unanswered, start=1):
            lines.append(f"  {i}. 「{u.question}」 ×{u.count}(意图:{u.intents})")
    return "\n".join(lines)
