"""Which calculation a message asks for: its intent, its `service` entity and a few words."""
from __future__ import annotations

import re
from typing import Any, Mapping

from .catalogue import INTENT_KINDS

SERVICE_KINDS = {"inpatient": "inpatient", "outpatient": "outpatient", "critical": "critical",
                 "drug": "drug", "assistance": "assistance"}

_DRUG = re.compile(r"特药|特殊药|特藥|特殊藥")
_CHAIN = re.compile(r"一共|总共|總共|全流程|全部算|最后自己|最後自己|最终自己|最終自己|"
                    r"大病.{0,12}救助|救助.{0,12}大病")
# The burden is what is left after critical-illness insurance too («医保和大病都报完以后»,
# «各项报销后»), or the total asked is of assistance and re-assistance: assistance alone.
_AFTER_CRITICAL = re.compile(r"(医保|基本医保)[^,。!?]{0,2}(和|跟|、)大病[^,。!?]{0,3}(报完|报销完|报销后|报了以后|报销以后)"
                             r"|各项(报销|报完)")
_ASSISTANCE_TOTAL = re.compile(r"救助[^,。!?]{0,3}(加|和|跟)[^,。!?]{0,2}再救助")
_CAP = re.compile(r"封顶|最高支付限额|最高限额|限额|顶多|最多能?报|最高能?报|最多给报|一年最多")
_ACCOUNT = re.compile(r"个人账户|個人賬戶|個人帳戶|账户|賬戶")


def _assistance_only(text: str) -> bool:
    return bool(_AFTER_CRITICAL.search(text) or _ASSISTANCE_TOTAL.search(text))


def _is_chain(text: str) -> bool:
    """Critical-illness insurance and assistance together, worked out from one burden."""
    return bool(_CHAIN.search(text)) and not _assistance_only(text)


def entity_values(latest_message: Mapping[str, Any]) -> dict[str, Any]:
    return {e.get("entity"): e.get("value") for e in latest_message.get("entities") or []}


def kind_for(intent: str | None, latest_message: Mapping[str, Any]) -> str | None:
    """The calculation asked for in this message, or None when it names none."""
    text = latest_message.get("text") or ""
    service = entity_values(latest_message).get("service")
    kind = INTENT_KINDS.get(intent or "")
    if (kind == "critical" or (kind is None and service == "critical")) and _CAP.search(text) \
            and not _DRUG.search(text):
        return "cap"
    if kind in ("critical", "assistance") or service in ("critical", "assistance", "drug"):
        if _is_chain(text):
            return "chain"
        if _DRUG.search(text) or service == "drug":
            return "drug"
    if kind is None and service in SERVICE_KINDS:
        kind = SERVICE_KINDS[service]
        if kind == "outpatient" and _ACCOUNT.search(text):
            kind = "account"
    return kind


# Entities that only make sense inside a calculation, and the calculation they point to.
_NUMERIC_KINDS = (("gap_years", "waiting"), ("paid_back_years", "waiting"), ("exempt", "waiting"),
                  ("years_insured", "cap"), ("zero_claim_years", "cap"), ("original_cap", "cap"),
                  ("price_class", "inpatient"), ("contribution_base", "account"),
                  ("burden", "critical"))
_KEYWORD_KINDS = ((re.compile(r"封顶|最高支付限额|最高限额|限额|大病保险最高能?报|大病.{0,6}(顶多|最多|最高)"), "cap"),
                  (re.compile(r"等待期|多久能报|多久才能|等多久|多长时间能报"), "waiting"),
                  (re.compile(r"个人账户|個人賬戶|账户每月|划入|劃入"), "account"),
                  (re.compile(r"救助"), "assistance"),
                  (re.compile(r"大病"), "critical"),
                  (re.compile(r"住院"), "inpatient"),
                  (re.compile(r"门诊|門診"), "outpatient"))
_ASKS_FIGURE = re.compile(r"多少|多久|几个月|幾個月|多长|能报|能報|怎么算|算一下|算算")


def kind_from_message(latest_message: Mapping[str, Any], keywords: bool = True) -> str | None:
    """A calculation implied by what the message states («新疆断保三年»), whatever its intent.

    Used when the classifier took a calculation question for an FAQ or a fallback: a number
    only a calculation uses (gap years, burden …), or a question for a figure naming the topic.
    """
    text = latest_message.get("text") or ""
    said = entity_values(latest_message)
    kind = None
    for entity, k in _NUMERIC_KINDS:
        if said.get(entity) is not None:
            kind = k
            break
    if kind is None and said.get("expense") is not None:
        kind = SERVICE_KINDS.get(said.get("service")) or {"shanxi": "inpatient", "jiangxi": "outpatient"}.get(
            said.get("region"))
        if kind is None and said.get("hospital_level") is not None:
            kind = "outpatient"
    if kind is None and keywords and _ASKS_FIGURE.search(text):
        kind = next((k for pattern, k in _KEYWORD_KINDS if pattern.search(text)), None)
    if kind in ("critical", "assistance"):
        if _is_chain(text):
            return "chain"
        if _DRUG.search(text) or said.get("service") == "drug":
            return "drug"
        if kind == "critical" and re.search(r"救助", text):
            return "chain" if re.search(r"大病", text) and not _assistance_only(text) else "assistance"
    if kind == "outpatient" and _ACCOUNT.search(text):
        return "account"
    if kind == "cap" and said.get("service") in ("inpatient", "outpatient") and not re.search(r"大病", text):
        return SERVICE_KINDS[said["service"]]
    return kind


CALCULATION_ENTITIES = ("gap_years", "paid_back_years", "years_insured", "zero_claim_years",
                        "original_cap", "expense", "burden", "contribution_base", "price_class",
                        "hospital_level", "group", "insured_type", "retired", "in_period", "exempt",
                        "benefit_year", "paid_this_year")


def states_calculation_facts(latest_message: Mapping[str, Any]) -> bool:
    """The message gives a fact a calculation uses (a follow-up «那要是花了15万呢»)."""
    said = entity_values(latest_message)
    return any(said.get(e) is not None for e in CALCULATION_ENTITIES)
