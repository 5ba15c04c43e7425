"""FAQ: clause summaries written by the project, searchable (SQLite FTS5 + jieba), cited.

    from bot.faq import search, render_hit
    for hit in search("户口不在本地能参保吗", rule_set="shandong"):
        print(render_hit(hit))
"""
from .index import DEFAULT_DB, FaqIndex, default_index, search
from .loader import DEFAULT_CLAUSES, load_entries, parse_entries
from .model import RULE_SETS, FaqDataError, FaqEntry, FaqHit, documents
from .render import CAVEAT, DRAFT_NOTE, citation_text, render_hit

__all__ = [
    "CAVEAT",
    "DEFAULT_CLAUSES",
    "DEFAULT_DB",
    "documents",
    "DRAFT_NOTE",
    "RULE_SETS",
    "FaqDataError",
    "FaqEntry",
    "FaqHit",
    "FaqIndex",
    "citation_text",
    "default_index",
    "load_entries",
    "parse_entries",
    "render_hit",
    "search",
]
