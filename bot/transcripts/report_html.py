"""The one-page HTML report of a hotline database, for supervisors (`python -m bot transcripts
--report` writes it next to the database as `<name>.html`).

Counts (calls, caller turns, answered with a figure, fallbacks, hand-offs, unanswered), a bar chart
of the topics callers asked about and one of the questions left unanswered (inline SVG: the page
loads nothing from anywhere), and the table of unanswered turns with their call ids. Every text
comes from the database (masked there) and is escaped here; the page runs no script.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Sequence

from bot.transcripts.summary import INTENT_LABELS, Summary, summarize

BAR_WIDTH = 360          # px for the largest bar
ROW_HEIGHT = 26


def report_path(db_path: Path | str) -> Path:
    return Path(db_path).with_suffix(".html")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def bar_chart(title: str, bars: Sequence[tuple[str, int]]) -> str:
    """A horizontal bar chart as inline SVG, labels left, counts right of the bars."""
    if not bars:
        return f"<h2>{escape(title)}</h2><p>(无)</p>"
    top = max(n for _, n in bars) or 1
    label_width = 260
    height = ROW_HEIGHT * len(bars) + 8
    rows = []
    for k, (label, n) in enumerate(bars):
        y = 4 + k * ROW_HEIGHT
        width = max(2, round(BAR_WIDTH * n / top))
        shown = label if len(label) <= 24 else label[:23] + "…"
        rows.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{escape(shown)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="{ROW_HEIGHT - 8}" fill="#2e6b30"/>'
            f'<text x="{label_width + width + 6}" y="{y + 17}">{n}</text>')
    return (f"<h2>{escape(title)}</h2>"
            f'<svg role="img" aria-label="{escape(title)}" width="{label_width + BAR_WIDTH + 60}" '
            f'height="{height}" font-size="14">{"".join(rows)}</svg>')


def render_report(s: Summary) -> str:
    counts = [("通话", f"{s.calls} 通"), ("来电者发言", f"{s.caller_turns} 句(坐席 {s.agent_turns} 句)"),
              ("带数字的回答", f"{s.figure_turns} 句({_pct(s.figure_turns, s.caller_turns)})"),
              ("未能回答(兜底)", f"{s.fallbacks} 句({_pct(s.fallbacks, s.caller_turns)})"),
              ("转人工", f"{s.handoffs} 句"), ("未解答的问题", f"{s.unanswered} 句")]
    topics = [(f"{INTENT_LABELS.get(i, i)}", n) for i, n in s.top_intents]
    unanswered = [(u.question, u.count) for u in s.top_unanswered]
    rows = "".join(f"<tr><td>{escape(t.call_id)}</td><td>{t.position}</td><td>{escape(t.text)}</td></tr>"
                   for t in s.unanswered_turns)
    listed = (f"<p>只列出前 {len(s.unanswered_turns)} 句。</p>"
              if len(s.unanswered_turns) < s.unanswered else "")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>热线通话汇总</title>
<style>body{{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem;color:#1a1a1a}}
table{{border-collapse:collapse}}td,th{{border:1px solid #888;padding:.3rem .6rem;text-align:left}}
svg text{{fill:#1a1a1a}}</style></head>
<body><h1>热线通话汇总</h1>
<p>数据库 {escape(s.db)}</p>
<table>{"".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in counts)}</table>
{bar_chart("来电者问的话题", topics)}
{bar_chart("最常见的未解答问题", unanswered)}
<h2>未解答的发言</h2>{listed}
<table><tr><th>通话</th><th>第几句</th><th>内容</th></tr>{rows}</table>
</body></html>
"""


def write_report(db_path: Path | str) -> Path:
    """Write `<db>.html` next to the database; returns its path."""
    path = report_path(db_path)
    path.write_text(render_report(summarize(db_path)), encoding="utf-8")
    return path
