"""The static files of the web pages (chat, /check, /operator), each page with its own fixed list,
read once at start: a request never opens a path a client named, and a name not on the page's
list is a 404.

The page itself goes out with the page's headers (its Content-Security-Policy, framing, no-store);
its scripts and styles with `no-cache` and `nosniff`. `SHARED_FILES` are the files the chat page
and /check both list: the display modes (`modes.js`, `modes.css`: 标准 / 大字 / 特大字 / 高对比,
remembered under the same keys on both pages, and the page bar) and the answer card (`card.js`,
`card.css`: one renderer of bot.dialogue.card's JSON). Each page serves them under its own URLs.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from sanic import response
from sanic.response import HTTPResponse

from bot.web.json_api import NO_STORE

STATIC = Path(__file__).resolve().parent / "static"
FILE_HEADERS = MappingProxyType({"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})
SHARED_FILES = MappingProxyType({
    "modes.css": "text/css; charset=utf-8",
    "modes.js": "text/javascript; charset=utf-8",
    "card.css": "text/css; charset=utf-8",
    "card.js": "text/javascript; charset=utf-8",
})


@dataclass(frozen=True)
class PageFiles:
    types: Mapping[str, str]           # file name → content type: the page's whole list
    page: str                          # the HTML page among them
    page_headers: Mapping[str, str]
    not_found: str                     # the 404's text
    contents: Mapping[str, bytes]

    @classmethod
    def read(cls, types: Mapping[str, str], page: str, page_headers: Mapping[str, str],
             not_found: str, directory: Path = STATIC) -> "PageFiles":
        return cls(types, page, page_headers, not_found,
                   MappingProxyType({name: (directory / name).read_bytes() for name in types}))

    def response(self, name: str) -> HTTPResponse:
        if name not in self.types:
            return response.text(self.not_found, status=404, headers=NO_STORE)
        headers = dict(self.page_headers if name == self.page else FILE_HEADERS)
        return response.raw(self.contents[name], content_type=self.types[name], headers=headers)
