"""Sanity bounds for what a resident can tell us. These are not policy parameters: they only
refuse impossible input (negative money, 200 gap years) with a polite Chinese message."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import InvalidInputError

MAX_YEARS = 80                      # nobody alive has a longer insurance history
MAX_MONEY = Decimal("100000000")    # one hundred million yuan: beyond any medical bill
MAX_MONEY_INT = int(MAX_MONEY)
MIN_BENEFIT_YEAR = 2000
MAX_BENEFIT_YEAR = 2100


def this_year() -> int:
    """Default benefit year of every calculation's inputs."""
    return dt.date.today().year


def money(field: str, label: str, value: Any) -> Decimal:
    if type(value) is int and 0 <= value <= MAX_MONEY_INT:      # the usual case: whole yuan
        return Decimal(value)
    try:
        d = value if type(value) is Decimal else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInputError(field, f"{label}“{value}”不是有效的金额,请输入数字,例如 20000。") from None
    if not d.is_finite():
        raise InvalidInputError(field, f"{label}不是有效的金额,请输入数字。")
    if d < 0:
        raise InvalidInputError(field, f"{label}不能是负数,请核对后重新输入。")
    if d > MAX_MONEY:
        raise InvalidInputError(field, f"{label}{d:,.0f} 元超出了合理范围(1 亿元以内),请核对后重新输入。")
    return d


def years(field: str, label: str, value: Any) -> Decimal:
    if type(value) is int and 0 <= value <= MAX_YEARS:          # the usual case: whole years
        return Decimal(value)
    try:
        d = value if type(value) is Decimal else Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInputError(field, f"{label}“{value}”不是有效的年数。") from None
    if not d.is_finite() or d < 0:
        raise InvalidInputError(field, f"{label}不能是负数,请核对后重新输入。")
    if d > MAX_YEARS:
        raise InvalidInputError(field, f"{label}{d} 年不合常理(最多 {MAX_YEARS} 年),请核对后重新输入。")
    return d


def whole_years(field: str, label: str, value: Any) -> int:
    if type(value) is int and 0 <= value <= MAX_YEARS:
        return value
    d = years(field, label, value)
    if d != d.to_integral_value():
        raise InvalidInputError(field, f"{label}请按整年填写。")
    return int(d)


def benefit_year(value: Any) -> int:
    if type(value) is int and MIN_BENEFIT_YEAR <= value <= MAX_BENEFIT_YEAR:
        return value
    try:
        y = int(value)
    except (TypeError, ValueError):
        raise InvalidInputError("year", f"年份“{value}”无效,请输入四位数年份,例如 2026。") from None
    if not MIN_BENEFIT_YEAR <= y <= MAX_BENEFIT_YEAR:
        raise InvalidInputError("year", f"年份 {y} 不在可计算的范围内({MIN_BENEFIT_YEAR}–{MAX_BENEFIT_YEAR})。")
    return y


def choice(field: str, label: str, value: Any, allowed: dict[Any, str]) -> Any:
    if value not in allowed:
        options = "、".join(f"{k}({v})" for k, v in allowed.items())
        raise InvalidInputError(field, f"{label}“{value}”无法识别,可选:{options}。")
    return value
