"""The 山西 price class an everyday hospital word indicates, read without the extractor.

The extractor reads 县医院, 乡镇卫生院, 三甲 … as an indicative price class only when 山西 is
named in the same message (sources §3; elsewhere they are hospital levels). In a
conversation the region often comes later: «在县医院住院花了两万能报多少» → «平遥». The inpatient
form then reads the resident's earlier messages with this function, so the answer is the one the
same words would have given in one message. It uses the extractor's own word lists
(bot.nlp.patterns) and negation rule, and needs neither spaCy nor jieba (the action server does
not load them).
"""
from __future__ import annotations

import re
from functools import lru_cache

from bot.nlp.negation import negated
from bot.nlp.normalizer import normalize
from bot.nlp.patterns import HOSPITAL_WORDS, SHANXI_LEVEL_AS_CLASS


@lru_cache(maxsize=1)
def _words() -> tuple[re.Pattern[str], dict[str, str]]:
    classes = {word: price_class for word, (_level, price_class) in HOSPITAL_WORDS.items()}
    classes.update(SHANXI_LEVEL_AS_CLASS)
    # Longest first, as the extractor's matcher keeps the longest span: 乡镇卫生院 rather than the
    # 卫生院 inside it, 三级医院 rather than 三级.
    pattern = re.compile("|".join(re.escape(w) for w in sorted(classes, key=len, reverse=True)))
    return pattern, classes


def shanxi_price_class(text: str) -> str | None:
    """The price class (a code of bot.policy.codes.PRICE_CLASSES) that the first hospital word
    of `text` not said only to be denied indicates under 山西's rules; None without one."""
    normalized = normalize(text) if isinstance(text, str) else ""
    pattern, classes = _words()
    for match in pattern.finditer(normalized):
        if not negated(normalized, match.start()):
            return classes[match.group()]
    return None
