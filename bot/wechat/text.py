"""Replies as WeChat shows them: plain text, buttons as options the resident answers by typing,
split below the text-message size limit. Also reads a typed «1»/«2» back into the option's
payload. Works on the widget's message shape ({"text", "buttons"[, "card"]}, bot.web.history).

An answer that comes with an answer card (bot.dialogue.card) is shown with a short citation line
(the documents' short names and clauses instead of their full titles; the rest of the text as
the engine wrote it) and with the card's follow-up questions as its options."""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable, Mapping, Sequence

from bot.policy.render import CITATION_PREFIX

from . import wording

# WeChat's text messages (passive replies and customer-service messages) hold 2,048 bytes.
MAX_TEXT_BYTES = 2000
MAX_OPTIONS = 9
# An option title with a number in it («1 年», «二级医院») cannot be numbered: «2» would be ambiguous.
_NUMERAL = re.compile(r"[0-9〇零一二两三四五六七八九十百]")
_CHOICE = re.compile(r"^第?([1-9])(?:个|项|号|条)?[.。、)]?$")
_MARKUP = re.compile(r"\*\*|__|`+")


def numbered(buttons: Sequence[Mapping[str, str]]) -> bool:
    """Whether these options are shown with numbers (and a typed number chooses one)."""
    return 0 < len(buttons) <= MAX_OPTIONS and not any(_NUMERAL.search(b["title"]) for b in buttons)


def options_block(buttons: Sequence[Mapping[str, str]], first: int = 1, numbers: bool | None = None) -> str:
    """The options under a message, numbered from `first` when `numbers` (default: when these
    options can be numbered)."""
    if not buttons:
        return ""
    if numbered(buttons) if numbers is None else numbers:
        return "\n".join([wording.OPTIONS_NUMBERED]
                         + [f"{i}. {b['title']}" for i, b in enumerate(buttons, first)])
    return wording.OPTIONS_WORDS + " / ".join(b["title"] for b in buttons)


def card_options(card: Mapping[str, Any] | None) -> list[dict[str, str]]:
    """An answer card's follow-up questions as options."""
    followups = (card or {}).get("followups") or []
    return [{"title": str(f["label"]), "payload": str(f["question"])}
            for f in followups if isinstance(f, Mapping) and f.get("label") and f.get("question")]


def options_of(message: Mapping[str, Any]) -> list[dict[str, str]]:
    """What a message offers: its buttons, else its card's follow-ups."""
    return list(message.get("buttons") or []) or card_options(message.get("card"))


def short_citation(card: Mapping[str, Any]) -> str:
    sources = [s for s in card.get("sources") or () if isinstance(s, Mapping)]
    named = ";".join(f"{s.get('region') or ''}《{s.get('name')}》{s.get('clause') or ''}"
                     + ("(征求意见稿)" if s.get("draft") else "") for s in sources)
    return CITATION_PREFIX + named if named else ""


def _with_short_citation(text: str, card: Mapping[str, Any] | None) -> str:
    line = short_citation(card) if card else ""
    if not line:
        return text
    return "\n".join(line if old.startswith(CITATION_PREFIX) else old for old in text.split("\n"))


def render(messages: Iterable[Mapping[str, Any]]) -> str:
    """The bot's messages of one turn as one plain text; messages without text (a custom
    payload for screens) are left out. The turn's options are numbered on through all its
    messages, as `chosen_option` reads them back (base.offered_buttons)."""
    shown = list(messages)
    numbers = numbered([b for m in shown for b in options_of(m)])
    parts, first = [], 1
    for message in shown:
        text = _MARKUP.sub("", str(message.get("text") or "")).strip()
        text = _with_short_citation(text, message.get("card"))
        options = options_of(message)
        block = options_block(options, first, numbers)
        first += len(options)
        joined = "\n".join(p for p in (text, block) if p)
        if joined:
            parts.append(joined)
    return "\n\n".join(parts)


def _utf8(text: str) -> int:
    return len(text.encode("utf-8"))


def split(text: str, limit: int = MAX_TEXT_BYTES) -> list[str]:
    """`text` in pieces of at most `limit` UTF-8 bytes, cut between lines where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while _utf8(line) > limit:          # a line too long on its own: cut between characters
            cut = len(line.encode("utf-8")[:limit].decode("utf-8", "ignore"))
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:cut])
            line = line[cut:]
        candidate = f"{current}\n{line}" if current else line
        if _utf8(candidate) > limit:
            pieces.append(current)
            candidate = line
        current = candidate
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]


def choice_number(text: str) -> int | None:
    """The option number a message is, if it is one: «1», «２», «第2个»."""
    match = _CHOICE.match(unicodedata.normalize("NFKC", text).strip())
    return int(match.group(1)) if match else None


def chosen_option(text: str, buttons: Sequence[Mapping[str, str]]) -> str | None:
    """The payload of the option a typed «1», «２», «第2个» chooses among numbered `buttons`."""
    index = choice_number(text)
    if index is None or not numbered(buttons):
        return None
    return buttons[index - 1]["payload"] if index <= len(buttons) else None
