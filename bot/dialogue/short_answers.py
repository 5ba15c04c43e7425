"""How a short answer to a form's question is read: «3», «三年», «2万», «对», «没有», «都不是».

The extractor (bot.nlp) reads facts from whole sentences; these read what a resident types in
reply to one question, where the question gives the answer its meaning («三» after «断保几年?»).
Rasa-free; the form validators (actions/forms.py) call them.
"""
from __future__ import annotations

import re
import unicodedata

from bot.nlp import normalize
from bot.nlp.numbers import UNREADABLE_NUMBER

UNREADABLE_NUMBER_REPLY = "这个数字的写法我读不准(比如 1e5 这种科学计数法)。请直接写出来,比如 12000 或 1.2万。"

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万)?")
_YES_AT_START = re.compile(r"^\s*(对|是的|是|嗯|对的|没错|交了|在)")        # «对,是在那期间交的»
_NO_AT_START = re.compile(r"^\s*(不是|不对|没有|没|不在|错过)")
_NO_GAP = re.compile(r"没有?断|没断|沒斷|连续")
_NONE_WORDS = re.compile(r"都不是|都不|不是|没有|无|普通|一般|不属于|沒有|都沒")
_IN_WORK = re.compile(r"在职|上班|在岗|在職")
_SECOND_CLASS = re.compile(r"[二2两]类")   # «二类» alone: 山西 has two second classes


def normalized(text: str) -> str:
    """The normalised text; the text itself if the normaliser fails (a short answer is still
    read, never lost to an error)."""
    try:
        return normalize(text or "")
    except Exception:
        return text or ""


def number_in(text: str | None) -> float | int | None:
    """The single number of a short answer («3», «三年», «2万»), else None."""
    found = _NUMBER.findall(normalized(text or ""))
    if len(found) != 1:
        return None
    value = float(found[0][0]) * (10000 if found[0][1] else 1)
    return int(value) if value == int(value) else value


def says_something(text: str) -> bool:
    """A word, a letter or a digit: not only punctuation, symbols, emoji or invisible characters
    («*», «😀», a zero-width space), which a classifier may still read as «yes»."""
    return any(unicodedata.category(c)[0] in "LN" for c in unicodedata.normalize("NFKC", text or ""))


def has_unreadable_number(text: str) -> bool:
    """A number written so that it cannot be read as an amount (1e309, 2E5)."""
    return UNREADABLE_NUMBER in normalized(text)


def says_yes(text: str) -> bool:
    return bool(_YES_AT_START.search(text or ""))


def says_no(text: str) -> bool:
    return bool(_NO_AT_START.search(text or ""))


def says_no_gap(text: str) -> bool:
    """«没断过», «一直连续交»: no gap in the insurance."""
    return bool(_NO_GAP.search(text or ""))


def says_none(text: str) -> bool:
    """«都不是», «没有», «普通»: none of the options (no group, no zero-claim years)."""
    return bool(_NONE_WORDS.search(text or ""))


def says_in_work(text: str) -> bool:
    """«在职», «还在上班»: not retired."""
    return bool(_IN_WORK.search(text or ""))


def names_second_class_only(text: str) -> bool:
    """«二类» without saying which: 山西 has a county and a city second class."""
    return bool(_SECOND_CLASS.search(normalized(text)))
