"""One printable HTML page (A4) with the result of a `python -m bot check` self-check.

Self-contained: inline CSS, no scripts, no external fonts or images. Every piece of text goes
through html.escape, whatever its origin (engine text, rule files, what the resident typed).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from bot.policy import Result
from bot.policy.context import LOCAL_OFFICE
from bot.policy.model import DRAFT_WARNING
from bot.policy.model import fmt_money
from bot.policy.render import figure

TITLE = "医保自助查询结果"


@dataclass(frozen=True)
class Fact:
    """One fact the resident gave, as shown back to them: 「断保年数」「2 年」."""

    label: str
    value: str


@dataclass(frozen=True)
class Report:
    """Everything the page shows; nothing else of what the resident typed is kept."""

    region: str                 # 新疆维吾尔自治区伊宁市
    question: str               # the menu entry chosen
    facts: tuple[Fact, ...]
    result: Result
    on: dt.date                 # date of the query
    year: int                   # benefit year the rules were applied for


CSS = """
@page { size: A4; margin: 12mm 15mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 178mm; padding: 8mm 0; color: #1a1a1a; background: #fff;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Heiti SC", "SimHei", sans-serif;
  font-size: 11pt; line-height: 1.6; }
header { border-bottom: 2px solid #1f4e79; padding-bottom: 3mm; margin-bottom: 4mm; }
h1 { font-size: 20pt; margin: 0 0 1mm; color: #1f4e79; letter-spacing: 0.05em; }
h2 { font-size: 12.5pt; margin: 5mm 0 1.5mm; color: #1f4e79; border-left: 4px solid #1f4e79;
  padding-left: 2.5mm; }
.meta { margin: 0; color: #444; font-size: 10pt; }
.meta span + span::before { content: "|"; margin: 0 2mm; color: #999; }
.draft { border: 2px solid #b00020; color: #b00020; background: #fff3f3; padding: 2mm 3mm;
  margin: 3mm 0; font-weight: bold; }
.question { font-size: 12pt; margin: 0; }
table.facts { border-collapse: collapse; width: 100%; }
table.facts th, table.facts td { border: 1px solid #c9d3de; padding: 1.2mm 2.5mm; text-align: left;
  vertical-align: top; }
table.facts th { width: 38%; background: #f1f5f9; font-weight: normal; color: #333; }
.answer { border: 2px solid #1f4e79; border-radius: 2mm; padding: 3mm 4mm; margin: 4mm 0;
  background: #f5f9fd; break-inside: avoid; }
.answer .label { margin: 0; font-size: 11pt; color: #333; }
.answer .figure { margin: 0.5mm 0 0; font-size: 28pt; font-weight: bold; line-height: 1.25;
  color: #0b3a66; }
.answer ul.parts { margin: 2mm 0 0; padding-left: 5mm; font-size: 10.5pt; }
ol.steps { margin: 0; padding-left: 7mm; }
ol.steps li { margin: 0.6mm 0; }
ul.plain { margin: 0; padding-left: 5mm; }
.warn li { color: #8a4b00; }
footer { margin-top: 6mm; padding-top: 2.5mm; border-top: 1px solid #c9d3de; font-size: 10.5pt; }
footer .office { font-weight: bold; margin: 0; }
footer .small { color: #666; font-size: 9pt; margin: 1mm 0 0; }
@media print {
  body { padding: 0; max-width: none; font-size: 10.5pt; line-height: 1.5; }
  h2 { break-after: avoid; margin-top: 4mm; }
  li { break-inside: avoid; }
  .answer { margin: 3mm 0; }
}
"""


def big_figure(result: Result) -> str:
    """The figure without its label: 「4 个月」, 「4,410 元」, 「在所在市原封顶线基础上提高 … 元」."""
    text = figure(result)
    prefix = f"{result.label}:"
    if text.startswith(prefix):
        text = text[len(prefix):]
    return text.rstrip("。")


def cited_documents(result: Result) -> dict[str, list[str]]:
    """「新疆《…》」→ its clauses in the order cited, so a long title is printed once."""
    docs: dict[str, list[str]] = {}
    for c in result.citations:
        docs.setdefault(f"{c.region_name}《{c.title}》", []).append(c.clause)
    return docs


def _items(values: tuple[str, ...] | list[str], css: str = "plain") -> str:
    return f'<ul class="{css}">' + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>"


def _section(title: str, body: str) -> str:
    return f"<section><h2>{escape(title)}</h2>{body}</section>"


def render_html(report: Report) -> str:
    r = report.result
    parts = [p for p in r.parts if p.value is not None and r.kind in ("assistance", "chain")]
    parts_html = ("" if not parts else '<ul class="parts">' + "".join(
        f"<li>{escape(p.label)}:{escape(fmt_money(p.value))} {escape(p.unit)}</li>" for p in parts)
        + "</ul>")
    facts = "".join(f"<tr><th>{escape(f.label)}</th><td>{escape(f.value)}</td></tr>"
                    for f in report.facts)
    steps = "".join(f"<li>{escape(s.text)}</li>" for s in r.steps)
    cites = "".join(f'<li class="cite">{escape(doc)}{escape(";".join(clauses))}</li>'
                    for doc, clauses in cited_documents(r).items())
    warnings = [w for w in r.warnings if w != DRAFT_WARNING]
    body = [
        "<header>",
        f"<h1>{escape(TITLE)}</h1>",
        '<p class="meta">'
        f"<span>查询日期:{escape(report.on.isoformat())}</span>"
        f"<span>地区:{escape(report.region)}</span>"
        f"<span>按 {escape(str(report.year))} 年度的规定计算</span></p>",
        "</header>",
    ]
    if r.draft:
        body.append(f'<p class="draft">{escape("提示:本结果" + DRAFT_WARNING)}</p>')
    body.append(_section("您的问题", f'<p class="question">{escape(report.question)}</p>'))
    body.append(_section("您提供的情况", f'<table class="facts"><tbody>{facts}</tbody></table>'))
    body.append('<div class="answer" id="answer">'
                f'<p class="label">{escape(r.label)}</p>'
                f'<p class="figure" id="figure">{escape(big_figure(r))}</p>{parts_html}</div>')
    body.append(_section("计算步骤", f'<ol class="steps">{steps}</ol>'))
    if r.notes:
        body.append(_section("说明", _items(r.notes)))
    if r.unknowns:
        body.append(_section("文件未给出", _items(r.unknowns, "plain warn")))
    if cites:
        body.append(_section("依据", f'<ul class="plain">{cites}</ul>'))
    if r.readings:
        body.append(_section("我们的理解", _items(r.readings)))
    if warnings:
        body.append(_section("注意", _items(warnings, "plain warn")))
    body.append("<footer>"
                f'<p class="office">{escape(LOCAL_OFFICE)}</p>'
                f'<p class="small">{escape("本页由医保助手自助查询生成,计算依据为上列文件条款;")}'
                f'{escape("页面只记录了您回答的情况,没有保存其他信息。")}</p>'
                "</footer>")
    return ("<!DOCTYPE html>\n"
            '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(TITLE)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
