"""Answer text a resident can check: the figure first, numbered steps, the clause, one caveat."""
from __future__ import annotations

from .context import LOCAL_OFFICE
from .model import DRAFT_WARNING
from .model import Result, fmt_money, fmt_number


def figure(result: Result) -> str:
    if result.value is None:
        return f"{result.label}:我们掌握的文件里没有这个数额。"
    if result.unit == "个月":
        return f"{result.label}:{fmt_number(result.value)} 个月。"
    if result.unit.startswith("元(在原封顶线"):
        sign = "提高" if result.value >= 0 else "降低"
        return f"{result.label}:在所在市原封顶线基础上{sign} {fmt_money(abs(result.value))} 元。"
    return f"{result.label}:{fmt_money(result.value)} {result.unit}。"


def render(result: Result) -> str:
    lines = [figure(result)]
    for p in result.parts:
        if p.value is not None and result.kind in ("assistance", "chain"):
            lines.append(f"  · {p.label}:{fmt_money(p.value)} {p.unit}")
    for i, step in enumerate(result.steps, 1):
        lines.append(f"{i}. {step.text}")
    for note in result.notes:
        lines.append(f"说明:{note}")
    for unknown in result.unknowns:
        lines.append(f"文件未给出:{unknown}")
    cited = result.citations
    if cited:
        lines.append("依据:" + ";".join(c.render() for c in cited))
    for reading in result.readings:
        lines.append(f"我们的理解:{reading}")
    for warning in result.warnings:
        if warning != DRAFT_WARNING:
            lines.append(f"注意:{warning}")
    if any(c.draft for c in cited):                 # result.draft, without collecting them again
        lines.append("提示:该文件为征求意见稿;" + LOCAL_OFFICE)
    else:
        lines.append("提示:" + LOCAL_OFFICE)
    return "\n".join(lines)
