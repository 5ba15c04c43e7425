"""Chinese and mixed numerals → Arabic numbers, in running text.

cn2an does the arithmetic of each numeral run (三万五 → 35000, 一万二 → 12000, 3.5万 → 35000);
this module decides *which* runs are numbers. Words whose numeral is lexical (一下, 统一, 万一,
十分, 两病, 五保 …) are left alone, and so are the level/class words the extractor reads
(一级, 三甲, 二类, 一档), so that they survive in a form the extractor recognises.
"""
from __future__ import annotations

import re
import warnings
from functools import lru_cache
from decimal import Decimal, InvalidOperation

from bot.policy.regions import region_surface_forms

_CN_DIGITS = "零〇一二两三四五六七八九幺"
_CN_UNITS = "十百千万亿"
_CN_NUM = _CN_DIGITS + _CN_UNITS

# Words in which a numeral character is not a quantity. Checked before any numeral run that
# starts at the same position, so 三万一 (31000) is still a number while 万一 (if) is not.
LEXICAL_NUMERAL_WORDS: tuple[str, ...] = (
    # everyday words
    "一下子", "一下", "一些", "一点", "一起", "一直", "一样", "一般", "一定", "一共", "一旦", "一切",
    "一致", "一边", "一会儿", "一会", "一开始", "一次性", "一向", "一再", "一律", "一并", "一同",
    "一口气", "一辈子", "一揽子", "一刀切", "一方面", "一块儿", "一模一样", "一路", "一旁", "一线",
    "一体化", "一把手", "一阵", "一面", "一概", "一味", "一心", "一贯", "一齐", "一番", "一半",
    "几十", "几百", "几千", "几万", "十几", "百把", "千把", "万把",
    "统一", "唯一", "之一", "万一", "万万", "千万", "十分", "万分", "百分", "十足", "三心二意",
    "一五一十", "不三不四", "乱七八糟", "七七八八", "七上八下", "三番五次", "五花八门",
    "星期一", "礼拜一", "周一", "初一", "一月", "二月", "三月", "四月", "五月", "六月",
    "七月", "八月", "九月", "十月", "十一月", "十二月",
    # insurance vocabulary: levels, classes, tiers, named policies
    "一级", "二级", "三级", "一甲", "二甲", "三甲", "二乙", "三乙", "一类", "二类", "三类",
    "一档", "二档", "三档", "两病", "两癌", "两定", "两险", "三险", "五险", "一金", "五保",
    "六统一", "一老一小", "一站式", "一单制", "一票制", "一卡通", "一码通", "一门式", "一网通",
    "一分钱", "一分没", "一毛钱", "一毛没", "第三方", "三高", "三无", "三孩", "二孩", "一孩",
)
# "一月"… are kept so that 一月份 is not read as "1 month"; 一个月 (one month) is still converted.

_NUM_RUN = (
    rf"(?:[0-9]+(?:\.[0-9]+)?|[{_CN_NUM}])"
    rf"(?:[0-9]|\.(?=[0-9])|[{_CN_NUM}]|点(?=[{_CN_DIGITS}0-9]))*"
)


def _place_names_with_numerals() -> list[str]:
    """九江, 六安, 十堰, 五家渠, 万荣 … stay names (from the region gazetteer)."""
    return [n for n in region_surface_forms() if any(ch in _CN_NUM for ch in n)]


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    keep = sorted({*LEXICAL_NUMERAL_WORDS, *_place_names_with_numerals()}, key=len, reverse=True)
    firsts = re.escape("".join(sorted({w[0] for w in keep} | set(_CN_NUM) | set("0123456789百"))))
    # the lookahead rejects most positions with one character-class test
    return re.compile(rf"(?=[{firsts}])(?:百分之(?P<pct>{_NUM_RUN})|(?P<keep>"
                      + "|".join(map(re.escape, keep)) + rf")|(?P<num>{_NUM_RUN}))")


_THOUSANDS_RE = re.compile(r"(?<![0-9.])([0-9]{1,3}(?:,[0-9]{3})+)(?![0-9]|,[0-9])")
# 12 000元: a space as thousands separator, only before a money unit (elsewhere a space separates)
_SPACE_THOUSANDS_RE = re.compile(r"(?<![0-9.])([0-9]{1,3}(?: [0-9]{3})+)(?= ?(?:元|块))")
# 1/2万, ⅔万 (NFKC makes it 2⁄3万), 3/4年: a fraction of a unit. A bare 1/2 (a date, a ratio) is left.
_FRACTION_RE = re.compile(r"(?<![0-9./⁄])([0-9]+) ?[/⁄] ?([0-9]+)(?![0-9./⁄])"
                          r"(万|千|百)?(?=(元|块|年|个月)?)")
# 负五千, −5 (U+2212): a minus sign. 自负/抵负 are words (自负 = paid by oneself).
_NEGATIVE_RE = re.compile(r"(?<![自抵正胜])负 ?(?=[0-9])|\u2212(?=[0-9])")
_WK_RE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)\s?([wWkK])(?![A-Za-z])")
_HALF_AFTER_RE = re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?)(个)?(年|月)半")
_HALF_MONTH_RE = re.compile(r"(?<![0-9.])([0-9]+)个半月")
_HALF_ALONE_RE = re.compile(r"(?<![上下前后0-9.多])半(个)?(年|月)")
_REDUP_ONE_RE = re.compile(r"([\u4e00-\u9fff])一\1")      # 看一看, 问一问
# Colloquial 俩 (两个) and 仨 (三个) before a unit: 俩年 → 两年, 俩月 → 两个月, 仨万 → 三万.
# Not elsewhere: 我们俩, 他俩, 哥俩 stay words.
_LIANG_SA_MONTH_RE = re.compile(r"([俩仨])(?=月(?!份))")
_LIANG_SA_RE = re.compile(r"([俩仨])(?=[年万千百块元次天周岁])")
_TRAILING_MULTIPLIER = {"万": 10_000, "亿": 100_000_000, "千": 1_000, "百": 100}


def format_number(value: Decimal | int | float) -> str:
    """35000, 2.5, 0.8 — no trailing zeros, no exponent."""
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _cn2an(run: str) -> Decimal | None:
    import cn2an  # imported on first use: it costs ~1 s (pkg_resources), masking never needs it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return Decimal(str(cn2an.cn2an(run, "smart")))
        except (ValueError, KeyError, IndexError, TypeError, InvalidOperation, AttributeError):
            return None
        except Exception:  # cn2an raises bare Exceptions for some malformed input
            return None


@lru_cache(maxsize=4096)
def parse_numeral(run: str) -> Decimal | None:
    """Value of one numeral run (Chinese, Arabic or mixed); None when it is not a number."""
    run = run.replace("幺", "一").replace("〇", "零").rstrip(".")
    if not run:
        return None
    if run.isascii():
        try:
            return Decimal(run)
        except InvalidOperation:
            return None
    if all(ch in "零一二两三四五六七八九" for ch in run) and len(run) >= 2:
        # digit by digit: 二〇三〇 → 2030, 一三八… (years, codes)
        return Decimal("".join(str("零一二三四五六七八九".index(ch if ch != "两" else "二")) for ch in run))
    value = _cn2an(run)
    if value is not None:
        return value
    # 三点五万, 1.5千: number times a trailing multiplier
    mult = _TRAILING_MULTIPLIER.get(run[-1])
    if mult is not None and len(run) > 1:
        head = _cn2an(run[:-1])
        if head is not None:
            return head * mult
    return None


def _replace(match: re.Match[str]) -> str:
    if match.group("keep"):
        return match.group("keep")
    if match.group("pct") is not None:
        value = parse_numeral(match.group("pct"))
        return match.group(0) if value is None else f"{format_number(value)}%"
    run = match.group("num")
    if run in ("零", "〇") or run.isascii():
        return run  # 零报销 stays a word; plain Arabic numbers need no work
    value = parse_numeral(run)
    return run if value is None else format_number(value)


def _expand_wk(match: re.Match[str]) -> str:
    mult = 10_000 if match.group(2) in "wW" else 1_000
    return format_number(Decimal(match.group(1)) * mult)


def _half_after(match: re.Match[str]) -> str:
    value = Decimal(match.group(1)) + Decimal("0.5")
    return f"{format_number(value)}{match.group(2) or ''}{match.group(3)}"


def _fraction(match: re.Match[str]) -> str:
    numerator, denominator = Decimal(match.group(1)), Decimal(match.group(2))
    multiplier = match.group(3)
    if not (multiplier or match.group(4)) or denominator == 0:
        return match.group(0)
    value = numerator / denominator * _TRAILING_MULTIPLIER.get(multiplier or "", 1)
    # money to the fen, years to the hundredth (the precision of 个月 → years elsewhere)
    return format_number(value.quantize(Decimal("0.01")))


# A number in exponent notation (1e309, 2.5E3) is not an amount anyone means: it is marked, so that
# no slot takes a piece of it (1e309 was read as 309 元) and a form can say why it asks again.
UNREADABLE_NUMBER = "[数字有误]"
_EXPONENT_RE = re.compile(r"(?<![A-Za-z0-9.])[0-9]+(?:\.[0-9]+)?[eE][+\-]?[0-9]+(?![A-Za-z0-9])")


def convert_numerals(text: str) -> str:
    """Rewrite every numeral in `text` as an Arabic number (amounts in yuan, not 万)."""
    if not text:
        return text
    text = _EXPONENT_RE.sub(UNREADABLE_NUMBER, text)
    text = _THOUSANDS_RE.sub(lambda m: m.group(1).replace(",", ""), text)
    text = _SPACE_THOUSANDS_RE.sub(lambda m: m.group(1).replace(" ", ""), text)
    text = _FRACTION_RE.sub(_fraction, text)
    text = _LIANG_SA_MONTH_RE.sub(lambda m: "两个" if m.group(1) == "俩" else "三个", text)
    text = _LIANG_SA_RE.sub(lambda m: "两" if m.group(1) == "俩" else "三", text)
    text = _REDUP_ONE_RE.sub(lambda m: m.group(1) + "\x00" + m.group(1), text)
    text = _token_re().sub(_replace, text).replace("\x00", "一")
    text = _WK_RE.sub(_expand_wk, text)
    text = _NEGATIVE_RE.sub("-", text)
    text = _HALF_AFTER_RE.sub(_half_after, text)
    text = _HALF_MONTH_RE.sub(lambda m: f"{format_number(Decimal(m.group(1)) + Decimal('0.5'))}个月", text)
    return _HALF_ALONE_RE.sub(lambda m: f"0.5{m.group(1) or ''}{m.group(2)}", text)
