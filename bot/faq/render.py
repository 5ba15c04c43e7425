"""Render a FAQ hit for the resident: answer, 依据 line, draft note, caveat."""
from __future__ import annotations

from bot.policy.rules import load_rulebook

from .model import FaqHit, documents

CAVEAT = "以当地医保经办机构核定为准,可拨打 12393 咨询。"
DRAFT_NOTE = "提示:该文件为征求意见稿(草案),正式发布时内容可能调整。"


def citation_text(rule_set: str, doc: str, clause: str) -> str:
    """Document title + clause, as the rule book cites it."""
    return load_rulebook().citation(rule_set, doc, clause).render()


def render_hit(hit: FaqHit) -> str:
    lines = [hit.answer.strip(), f"依据:{citation_text(hit.rule_set, hit.doc, hit.clause)}"]
    if documents()[hit.doc].draft:
        lines.append(DRAFT_NOTE)
    lines.append(CAVEAT)
    return "\n".join(lines)
