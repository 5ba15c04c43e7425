"""Mask personal data (ID-card and mobile numbers) before any text is logged or stored.

Runs on raw user text: digits may be ASCII, full-width or spoken Chinese digits (幺三八…), and
may be broken up by spaces or dashes. Pure Python, no heavy imports.
"""
from __future__ import annotations

import re

ID_MASK = "[身份证]"
PHONE_MASK = "[手机号]"

_SEP = r"[ \t\u3000\-‐-―_.·]*"
# Two digit alphabets: typed (ASCII / full-width) and spoken (Chinese digits, 幺 for 1). A number
# is matched within one alphabet; its neighbours must not be digits of the same alphabet.
_ALPHABETS = {
    "typed": (r"[0-9０-９]", r"[1１]", r"[3-9３-９]", r"[0-9０-９XxＸｘ]", r"[0-9０-９A-Za-z]"),
    "spoken": (r"[〇零一二三四五六七八九幺]", r"[一幺]", r"[三四五六七八九]", r"[〇零一二三四五六七八九幺Xx]",
               r"[〇零一二三四五六七八九十百千万幺]"),
}


def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for digit, one, three_nine, id_last, neighbour in _ALPHABETS.values():
        # 18-digit resident ID, last character may be X
        out.append((re.compile(rf"(?<!{neighbour}){digit}(?:{_SEP}{digit}){{16}}{_SEP}{id_last}"
                               rf"(?!{neighbour})"), ID_MASK))
    for digit, one, three_nine, _id_last, neighbour in _ALPHABETS.values():
        # mainland mobile: 1[3-9] + 9 digits, optional +86 / 0086
        out.append((re.compile(rf"(?<!{neighbour})(?:(?:\+|00)?86{_SEP})?{one}{_SEP}{three_nine}"
                               rf"(?:{_SEP}{digit}){{9}}(?!{neighbour})"), PHONE_MASK))
    return tuple(out)


_MASKS = _patterns()


def mask_personal_data(text: str) -> str:
    """Replace ID-card numbers by [身份证] and mobile numbers by [手机号]."""
    if not text:
        return "" if text is None else text
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return text
