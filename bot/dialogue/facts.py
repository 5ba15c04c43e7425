"""What a message's facts mean for the calculation it continues.

The extractor reads a bare amount («要是二十五万呢») as an expense and a hospital word («县医院»)
as a national hospital level unless 山西 is named in the same message. When the calculation and
the region are known from the conversation, those facts mean the calculation's own inputs.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from bot.nlp.price_class_words import shanxi_price_class

from . import wording
from .catalogue import CATALOGUE

# «不对,是三年»: a bare number of years corrects the calculation's one years fact.
BARE_YEARS = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d+)?)\s*年(?!级|度|底|初|前|后)")
YEARS_FACT = {"waiting": "gap_years", "cap": "years_insured"}


def facts_for(kind: str, said: Mapping[str, Any], region: str | None, text: str) -> dict[str, Any]:
    """Slot values this message states for calculation `kind` beyond what the extractor set
    (`text` normalised: digits, Simplified)."""
    facts: dict[str, Any] = {}
    years = BARE_YEARS.findall(text) if wording.is_correction(text) else []
    if kind in YEARS_FACT and len(years) == 1 and not any(
            said.get(f) is not None for f in ("gap_years", "years_insured", "paid_back_years", "zero_claim_years")):
        value = float(years[0])
        facts[YEARS_FACT[kind]] = int(value) if value == int(value) else value
    if CATALOGUE[kind].amount_is_burden and said.get("expense") is not None and said.get("burden") is None:
        facts.update(burden=said["expense"], expense=None)
    if kind == "inpatient" and region == "shanxi" and said.get("price_class") is None:
        price_class = shanxi_price_class(text)
        if price_class is not None:
            facts["price_class"] = price_class
    return facts
