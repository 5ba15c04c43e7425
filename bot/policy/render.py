"""Answer text a resident can check: the figure first, numbered steps, the clause, one caveat."""
from __future__ import annotations

from .context import LOCAL_OFFICE
from .model import DRAFT_WARNING
from .model import Result, fmt_money, fmt_number


RELATIVE_UNIT = "元(在原封顶线"     # a change of the city's own cap, which our documents lack
CITATION_PREFIX = "依据:"           # the line naming the documents and clauses


def shown_value(result: Result) -> tuple[str, str] | None:
    """The figure as shown and its unit: ("6", "个月"), ("14,700", "元"), ("提高 3,000", "元")
    for a change of a cap; None when our documents do not give it."""
    if result.value is None:
        return None
    if result.unit == "个月":
        return fmt_number(result.value), "个月"
    if result.unit.startswith(RELATIVE_UNIT):
        return f"{change(result)} {fmt_money(abs(result.value))}", "元"
    return fmt_money(result.value), result.unit


def change(result: Result) -> str:
    """提高 or 降低: the direction of a change of a cap."""
    return "提高" if result.value is not None and result.value >= 0 else "降低"


def figure(result: Result) -> str:
    shown = shown_value(result)
    if shown is None:
        return f"{result.label}:我们掌握的文件里没有这个数额。"
    value, unit = shown
    if result.unit.startswith(RELATIVE_UNIT):
        return f"{result.label}:在所在市原封顶线基础上{value} {unit}。"
    return f"{result.label}:{value} {unit}。"


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
        lines.append(CITATION_PREFIX + ";".join(c.render() for c in cited))
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
