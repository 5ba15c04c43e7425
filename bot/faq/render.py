"""Render a FAQ hit for the resident: answer, 依据 line, draft note, caveat."""
from __future__ import annotations

import logging

from .model import DOCS, FaqHit

log = logging.getLogger(__name__)

CAVEAT = "以当地医保经办机构核定为准,可拨打 12393 咨询。"
DRAFT_NOTE = "提示:该文件为征求意见稿(草案),正式发布时内容可能调整。"


def citation_text(rule_set: str, doc: str, clause: str) -> str:
    """Document title + clause, from bot.policy's rulebook when it provides one.

    Falls back to the titles in docs/CONTRACTS.md (bot.faq.model.DOCS) while bot.policy has no
    load_rulebook() or does not know the clause.
    """
    rendered = _policy_citation(rule_set, doc, clause)
    if rendered:
        return rendered
    return f"{DOCS[doc].title}{clause}"


def _policy_citation(rule_set: str, doc: str, clause: str) -> str | None:
    try:
        from bot.policy import load_rulebook  # written by the policy engine; may not exist yet
    except ImportError:
        return None
    try:
        rendered = load_rulebook().citation(rule_set, doc, clause).render()
    except Exception as exc:  # a broken rule file must not silence the FAQ: use the fallback
        log.warning("bot.policy citation unavailable for %s/%s %s: %s", rule_set, doc, clause, exc)
        return None
    return rendered if isinstance(rendered, str) and rendered.strip() else None


def render_hit(hit: FaqHit) -> str:
    lines = [hit.answer.strip(), f"依据:{citation_text(hit.rule_set, hit.doc, hit.clause)}"]
    if DOCS[hit.doc].draft:
        lines.append(DRAFT_NOTE)
    lines.append(CAVEAT)
    return "\n".join(lines)
