"""Seeded random inputs for every calculation, used by the golden-output test.

The inputs favour boundaries (deductibles, band edges, caps ± one fen), odd cents and sub-fen
amounts, because that is where formatting and rounding can silently change.
"""
from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any, Callable

from bot import policy
from bot.policy.codes import EXEMPT, GROUPS, PRICE_CLASSES

INPUTS: dict[str, Callable[..., Any]] = {
    "waiting": policy.WaitingInputs, "cap": policy.CapInputs, "inpatient": policy.InpatientInputs,
    "outpatient": policy.OutpatientInputs, "account": policy.AccountInputs,
    "critical": policy.CriticalInputs, "drug": policy.DrugInputs,
    "assistance": policy.AssistanceInputs, "chain": policy.ChainInputs,
}
KINDS = tuple(INPUTS)

# Figures that appear in rules/ as thresholds, band edges and caps.
EDGES = (0, 100, 400, 500, 600, 1000, 1800, 2000, 3000, 5000, 6000, 7000, 10000, 12000, 14000,
         20000, 22050, 25000, 30000, 36000, 37500, 43000, 50000, 70000, 100000, 200000, 300000,
         400000, 500000)


def money(rng: random.Random) -> Decimal | int | float:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(EDGES)
    if roll < 0.45:
        edge = rng.choice(EDGES)
        return Decimal(edge) + rng.choice((Decimal("-0.01"), Decimal("0.01"), Decimal("0.05"),
                                           Decimal("0.005"), Decimal("-0.005")))
    if roll < 0.65:
        return rng.randint(0, 600000)
    if roll < 0.8:
        return Decimal(rng.randint(0, 60000000)) / 100
    if roll < 0.9:
        return Decimal(rng.randint(0, 6000000)) / 1000
    if roll < 0.95:
        return round(rng.uniform(0, 100000), rng.choice((0, 1, 2)))
    return Decimal(rng.randint(0, 10 ** 9)) / 10 ** rng.randint(0, 4)


def year(rng: random.Random) -> int:
    return rng.choice((2025, 2026, 2026, 2026, 2027, 2028, 2029, 2030, 2031, 2035, 2040, 2060))


def _groups(rng: random.Random) -> tuple[str, ...] | str:
    roll = rng.random()
    if roll < 0.15:
        return ()
    if roll < 0.6:
        return rng.choice(tuple(GROUPS))
    return tuple(rng.sample(tuple(GROUPS), rng.randint(1, 3)))


def make(kind: str, rng: random.Random) -> Any:
    """One valid input of `kind` (the calculation may still answer "unknown")."""
    cls = INPUTS[kind]
    if kind == "waiting":
        gap: Any = rng.choice((0, 0, 1, 2, 3, 4, 5, 6, 8, 10, 20, Decimal("1.5"), Decimal("3.7"),
                               Decimal("0.5")))
        back: Any = rng.choice((0, 0, 0, 1, 2, 3, 5, 9, Decimal("2.5")))
        paid_on = None
        if rng.random() < 0.4:
            paid_on = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
        return cls(region=rng.choice(("新疆", "山东", "烟台", "龙口", "济南", "乌鲁木齐", "shandong",
                                      "xinjiang", "伊犁")),
                   year=year(rng), in_period=rng.random() < 0.4, gap_years=gap,
                   paid_back_years=back,
                   exempt=rng.choice((None, None, None, *EXEMPT)),
                   flexible_employee=rng.random() < 0.1, paid_on=paid_on)
    if kind == "cap":
        return cls(region=rng.choice(("新疆", "山东", "烟台", "青岛", "乌鲁木齐", "shandong")),
                   year=year(rng),
                   years_insured=rng.choice((None, None, 0, 1, 3, 4, 5, 6, 8, 10, 16, 30)),
                   zero_claim_years=rng.choice((0, 0, 1, 2, 3, 5, 10)),
                   after_gap=rng.random() < 0.1,
                   original_cap=rng.choice((None, None, None, 100000, 300000,
                                            Decimal("250000.5"), 12345))
                   if rng.random() < 0.5 else None,
                   insured_type=rng.choice(("resident", "resident", "resident", "employee")))
    if kind == "inpatient":
        return cls(region=rng.choice(("山西", "平遥", "太原", "大同")),
                   price_class=rng.choice(tuple(PRICE_CLASSES)), expense=money(rng),
                   paid_this_year=rng.choice((0, 0, 0, money(rng), 69999, 70000)),
                   year=year(rng))
    if kind == "outpatient":
        return cls(region=rng.choice(("江西", "南昌", "赣州")), level=rng.choice((1, 2, 3)),
                   expense=money(rng), retired=rng.random() < 0.5,
                   paid_this_year=rng.choice((0, 0, 0, 500, 1799, 1800, 2000, money(rng))),
                   insured_type=rng.choice((None, None, "employee")), year=year(rng))
    if kind == "account":
        return cls(region=rng.choice(("江西", "南昌", "九江")), base=money(rng),
                   retired=rng.random() < 0.15, flexible=rng.random() < 0.3,
                   insured_type=rng.choice((None, "employee")), year=year(rng))
    if kind == "critical":
        return cls(region=rng.choice(("烟台", "芝罘", "莱州", "龙口")), burden=money(rng),
                   group=rng.choice((None, None, *GROUPS)),
                   insured_type=rng.choice(("resident", "resident", "employee")), year=year(rng))
    if kind == "drug":
        return cls(region=rng.choice(("烟台", "芝罘", "蓬莱")), expense=money(rng),
                   group=rng.choice((None, None, *GROUPS)),
                   paid_this_year=rng.choice((0, 0, 0, 100000, 399999.99, 400000, money(rng))),
                   year=year(rng))
    if kind in ("assistance", "chain"):
        extra = {"insured_type": rng.choice(("resident", "resident", "employee"))} if kind == "chain" else {}
        return cls(region=rng.choice(("烟台", "芝罘", "莱州")), burden=money(rng),
                   groups=_groups(rng), year=year(rng), **extra)
    raise KeyError(kind)


def seeded_inputs(per_kind: int, seed: int = 20260101) -> list[tuple[str, Any]]:
    rng = random.Random(seed)
    return [(kind, make(kind, rng)) for kind in KINDS for _ in range(per_kind)]
