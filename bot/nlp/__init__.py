"""Chinese understanding for 医保助手: normaliser, slot extractor, Rasa component.

`normalize` and `mask_personal_data` are pure Python; `extract` builds a spaCy pipeline on first
use (lazily, once). Nothing here imports Rasa except bot.nlp.rasa_component.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.nlp.normalizer import normalize
from bot.nlp.privacy import mask_personal_data

if TYPE_CHECKING:
    from bot.nlp.extractor import Extraction

__all__ = ["normalize", "mask_personal_data", "extract", "Extraction"]


def extract(text: str) -> "Extraction":
    from bot.nlp.extractor import extract as _extract

    return _extract(text)


def __getattr__(name: str) -> Any:
    if name == "Extraction":
        from bot.nlp.extractor import Extraction

        return Extraction
    raise AttributeError(name)
