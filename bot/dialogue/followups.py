"""The follow-up questions offered after a figure answer: data, one place.

Each is a question the assistant answers (tests/conversation/test_followups.py sends every one
after an answer of its kind and checks the real reply), worded as residents ask it. A follow-up
is offered only where the rules it is answered from apply (`needs`: a calculation kind, checked
with catalogue.check_region), so a resident in 山西 is never offered a 新疆-only question.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from bot.dialogue.catalogue import check_region

MAX_SHOWN = 3


@dataclass(frozen=True)
class FollowUp:
    label: str      # the button's text
    question: str   # what pressing it sends
    needs: str      # the calculation kind whose rules answer it


WAITING_REPAIR = FollowUp("补缴能缩短等待期吗", "断保后补缴能缩短等待期吗?", "waiting")
CONTINUITY = FollowUp("连续参保有什么好处", "连续参保有什么好处?", "cap")
WAITING = FollowUp("断保后要等多久", "断保后再交医保,要等多久才能报销?", "waiting")
INPATIENT_LIMIT = FollowUp("住院一年最多报多少", "住院一年最多能报多少钱?", "inpatient")
INPATIENT_DEDUCTIBLE = FollowUp("住院起付线是多少", "住院报销的起付线是多少?", "inpatient")
OUTPATIENT_DEDUCTIBLE = FollowUp("门诊起付线是多少", "门诊统筹的起付线是多少?", "outpatient")
OUTPATIENT = FollowUp("门诊看病能报多少", "门诊看病能报多少?", "outpatient")
ACCOUNT = FollowUp("个人账户每月划多少", "职工医保个人账户每月能划多少钱?", "account")
CRITICAL = FollowUp("大病保险能报多少", "大病保险能报多少?", "critical")
DRUG = FollowUp("特殊药品能报多少", "特殊药品能报多少?", "drug")
ASSISTANCE = FollowUp("医疗救助能给多少", "医疗救助能救助多少钱?", "assistance")
CHAIN = FollowUp("都报完自己还付多少", "大病保险和医疗救助都报完,自己还要付多少?", "chain")

# calculation kind answered → its follow-ups, most useful first
FOLLOWUPS: Mapping[str, tuple[FollowUp, ...]] = MappingProxyType({
    "waiting": (WAITING_REPAIR, CONTINUITY),
    "cap": (CONTINUITY, WAITING, WAITING_REPAIR),
    "inpatient": (INPATIENT_LIMIT, INPATIENT_DEDUCTIBLE),
    "outpatient": (OUTPATIENT_DEDUCTIBLE, ACCOUNT),
    "account": (OUTPATIENT, OUTPATIENT_DEDUCTIBLE),
    "critical": (ASSISTANCE, CHAIN, DRUG),
    "drug": (CRITICAL, ASSISTANCE),
    "assistance": (CHAIN, CRITICAL),
    "chain": (ASSISTANCE, DRUG),
})


def followups(kind: str, region: str | None) -> tuple[FollowUp, ...]:
    """The follow-ups after an answer of `kind` in `region` (a rule-set id), at most MAX_SHOWN."""
    if not region:
        return ()
    return tuple(f for f in FOLLOWUPS.get(kind, ()) if check_region(f.needs, region) is None)[:MAX_SHOWN]
