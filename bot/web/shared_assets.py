"""The static files the chat page (/) and the self-check (/check) share: the display modes
(`modes.js`, `modes.css`: 标准 / 大字 / 特大字 / 高对比, remembered under the same keys on both
pages, and the page bar) and the answer card (`card.js`, `card.css`: one renderer of
bot.dialogue.card's JSON). Each page serves them from its own fixed asset list
(bot.web.widget.ASSETS, bot.web.check.ASSETS), so both keep their strict
Content-Security-Policy (`script-src 'self'; style-src 'self'`) and their own URLs.
"""
from __future__ import annotations

from types import MappingProxyType

SHARED_ASSETS = MappingProxyType({
    "modes.css": "text/css; charset=utf-8",
    "modes.js": "text/javascript; charset=utf-8",
    "card.css": "text/css; charset=utf-8",
    "card.js": "text/javascript; charset=utf-8",
})
