"""A value said only to be denied: 不是济南(是烟台), 我不是职工, 不是3年."""
from __future__ import annotations

import re

_NEGATION_RE = re.compile(r"(?:不是|并非|并不是|而不是|不在|没在)\s*(?:在|说|去|那个)?\s*$")


def negated(text: str, start: int) -> bool:
    """Whether the value starting at `start` of the normalised `text` follows a negation."""
    return bool(_NEGATION_RE.search(text[max(0, start - 6):start]))
