"""The normaliser: what residents type or say → one canonical simplified, half-width text.

Steps, in order: Unicode NFKC (full-width → half-width), personal data masked (before numerals
are touched, so spoken ID/phone digits are caught too), Traditional → Simplified (OpenCC t2s),
ASR fillers and stutters removed, homophones and dialect negations (木有 → 没有) fixed, numerals
converted, spacing tidied.
Pure Python: importing this module never imports Rasa or spaCy.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from opencc import OpenCC

from bot.nlp.asr import fix_homophones, remove_fillers, remove_stutter
from bot.nlp.numbers import convert_numerals
from bot.nlp.privacy import mask_personal_data

MAX_CHARS = 20_000  # longer input is cut: nobody types more, and it bounds the work per message

_SPACES_RE = re.compile(r"\s+")
# "2 年", "3 万" → "2年", "3万" (a space inside a quantity); other spaces separate clauses and stay
_SPACE_IN_QUANTITY_RE = re.compile(r"(?<=[0-9])\s+(?=[年月元块万千百岁%]|个半?月)")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\ufeff\ud800-\udfff]")  # lone surrogates too


@dataclass(frozen=True)
class Simplifier:
    """OpenCC t2s, skipped when the text has no character that any t2s entry would change."""
    opencc: OpenCC
    triggers: frozenset[str]

    def convert(self, text: str) -> str:
        if self.triggers.isdisjoint(text):
            return text
        return self.opencc.convert(text)


def _changing_chars(opencc: OpenCC) -> frozenset[str]:
    opencc.convert("")  # loads the dictionaries
    chars: set[str] = set()
    for group in opencc._dict_chain_data:  # list of (max_len, min_len, {key: value})
        for entry in group if isinstance(group, list) else [group]:
            for key, value in entry[2].items():
                if len(key) != len(value):
                    chars.update(key)
                else:
                    chars.update(k for k, v in zip(key, value) if k != v)
    return frozenset(chars)


@lru_cache(maxsize=1)
def _t2s() -> Simplifier:
    opencc = OpenCC("t2s")
    return Simplifier(opencc=opencc, triggers=_changing_chars(opencc))


def to_halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def tidy_spaces(text: str) -> str:
    return _SPACES_RE.sub(" ", text).strip()


CACHED_CHARS = 500  # short messages (nearly all) are cached; long ones are not kept in memory


def normalize(text: str) -> str:
    """Canonical form of one user message (see the module docstring)."""
    if not isinstance(text, str) or not text:
        return ""
    if len(text) <= CACHED_CHARS:
        return _normalize_cached(text)
    return _normalize(text)


@lru_cache(maxsize=4096)
def _normalize_cached(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    text = _CONTROL_RE.sub("", to_halfwidth(text[:MAX_CHARS]))
    text = mask_personal_data(text)
    text = to_simplified(text)
    text = tidy_spaces(text)
    text = remove_fillers(text)
    text = remove_stutter(text)
    text = fix_homophones(text)
    text = convert_numerals(_SPACE_IN_QUANTITY_RE.sub("", text))
    return tidy_spaces(text)
