"""Chinese understanding for 医保助手: normaliser, slot extractor, Rasa component.

`normalize` and `mask_personal_data` are pure Python; `extract` builds a spaCy pipeline on first
use (once; spaCy and jieba are imported then). Nothing here imports Rasa except bot.rasa.components.
"""
from __future__ import annotations

from bot.nlp.extractor import Extraction, extract
from bot.nlp.normalizer import normalize
from bot.nlp.privacy import mask_personal_data

__all__ = ["normalize", "mask_personal_data", "extract", "Extraction"]
