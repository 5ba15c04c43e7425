"""What a message's facts mean for the calculation it continues.

The extractor reads a bare amount («要是二十五万呢») as an expense and a hospital word («县医院»)
as a national hospital level unless 山西 is named in the same message. When the calculation and
the region are known from the conversation, those facts mean the calculation's own inputs.
"""
from __future__ import annotations

from typing import Any, Mapping

from bot.nlp.price_class_words import shanxi_price_class

from .catalogue import CATALOGUE



def facts_for(kind: str, said: Mapping[str, Any], region: str | None, text: str) -> dict[str, Any]:
    """Slot values this message states for calculation `kind` beyond what the extractor set."""
    facts: dict[str, Any] = {}
    if CATALOGUE[kind].amount_is_burden and said.get("expense") is not None and said.get("burden") is None:
        facts.update(burden=said["expense"], expense=None)
    if kind == "inpatient" and region == "shanxi" and said.get("price_class") is None:
        price_class = shanxi_price_class(text)
        if price_class is not None:
            facts["price_class"] = price_class
    return facts
