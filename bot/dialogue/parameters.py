"""Questions for one figure of the rules («山西县医院起付线多少», «江西退休人员门诊报销比例»).

They ask a parameter, not a calculation: the answer is the parameter itself, straight from
rules/ — its label, value, the date it applies from and its citation — for the resident's region.
A parameter is found by what the question asks of it (its aspect: threshold, ratio, annual limit,
monthly share …) and whom it is for (retirees, 低保 …), both read from the parameter's own label,
so every parameter with a label is askable; which parameters belong to which calculation is
the catalogue's (bot.dialogue.catalogue). Rasa-free.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from bot.faq.render import CAVEAT, DRAFT_NOTE
from bot.policy.codes import GROUPS, PRICE_CLASS_EXAMPLES, PRICE_CLASSES
from bot.policy.errors import NotInForceError
from bot.policy.model import fmt_money, fmt_ratio, fmt_tiers
from bot.policy.rules import Parameter, RuleBook

from .catalogue import CATALOGUE

# What a question asks of a figure, in residents' words and in the labels' words.
ASPECTS = {
    "threshold": re.compile(r"起付|门槛|超过多少|多少钱(才|以上)|起点|开始(救|报|算)"),
    "ratio": re.compile(r"比例|几成|百分之几|百分之多少|多少%|报多少比|补偿比|计入比|划入比"),
    "limit": re.compile(r"限额|封顶|最多|最高|上限|顶多"),
    "step": re.compile(r"提高多少|增加多少|加多少|多加|提高|降低"),
    "months": re.compile(r"等待期|等几个月|等多久|多少个月"),
}
# Whom a figure is for; a label naming someone the question does not name counts against it.
QUALIFIERS = {
    "retiree": re.compile(r"退休"),
    "flexible": re.compile(r"灵活就业"),
    "special": re.compile(r"困难|低保(?!边缘)|特困|五保|返贫致贫|特殊群体"),
    "edge": re.compile(r"低保边缘|监测"),
    "illness": re.compile(r"因病致贫"),
    "again": re.compile(r"再救助"),
    "drug": re.compile(r"特殊药品|特药|特殊药"),
    "employee": re.compile(r"职工"),
    "resident": re.compile(r"居民"),
    "other": re.compile(r"其他参保|普通参保|一般参保"),
}
SUB_KEYS = {"deductible": "起付线", "threshold": "起付标准", "ratio": "支付比例", "cap": "年度限额",
            "annual_cap": "年度最高支付限额"}
LEVEL_KEYS = {"level_1": "一级及以下", "level_2": "二级", "level_3": "三级"}


@dataclass(frozen=True)
class ParameterAnswer:
    rule_set: str
    name: str
    text: str


def aspects_of(text: str) -> frozenset[str]:
    return frozenset(a for a, p in ASPECTS.items() if p.search(text))


def qualifiers_of(text: str) -> frozenset[str]:
    return frozenset(q for q, p in QUALIFIERS.items() if p.search(text))


def find_parameters(book: RuleBook, kind: str, rule_set: str, text: str) -> list[Parameter]:
    """The parameters of `kind` in `rule_set` (and the sets it inherits) that the question asks
    for: best match first, then the ones equally good (a figure for 在职 and one for 退休 when the
    question names neither)."""
    asked = aspects_of(text)
    if not asked:
        return []
    who = qualifiers_of(text)
    scored = []
    for param in _parameters(book, kind, rule_set):
        label = param.label
        has = aspects_of(label) | _value_aspects(param)
        shared = asked & has
        if not shared:
            continue
        named = qualifiers_of(label)
        unsaid = named - who
        if not who & {"employee", "resident"}:
            unsaid -= {"employee", "resident"}      # the question does not say which insurance
        if not who & {"special", "edge", "illness"}:
            unsaid -= {"other"}                     # no group said: the figure for everyone else
        # what is asked counts most, then whom it is for; a figure about more than was asked
        # (a ratio when an amount was asked) counts a little against it
        score = 2 * len(shared) + len(who & named) - len(unsaid) - 0.5 * len(has - asked)
        scored.append((score, param))
    if not scored:
        return []
    best = max(s for s, _ in scored)
    return [p for s, p in scored if s == best][:2]


def _parameters(book: RuleBook, kind: str, rule_set: str) -> Iterable[Parameter]:
    prefixes = CATALOGUE[kind].parameters
    seen = set()
    for rs in book.chain(rule_set):
        for name, param in rs.parameters.items():
            if name.startswith(prefixes) and name not in seen:
                seen.add(name)
                yield param


def _value_aspects(param: Parameter) -> frozenset[str]:
    """Aspects stated by the keys of a table value ({deductible, ratio} …)."""
    value = param.values[-1][1] if param.values else None
    keys: set[str] = set()
    if isinstance(value, list) and value and isinstance(value[0], dict) and "from" in value[0]:
        return frozenset({"threshold", "ratio"})           # a tier table: where it starts, how much
    if isinstance(value, dict):
        for sub in value.values():
            if isinstance(sub, dict):
                keys |= set(sub)
    found = set()
    if keys & {"deductible", "threshold"}:
        found.add("threshold")
    if "ratio" in keys:
        found.add("ratio")
    if keys & {"cap", "annual_cap"}:
        found.add("limit")
    return frozenset(found)


def value_text(param: Parameter, index: int) -> str | None:
    """The value at `index` in words («600 元», «85%», «三类收费价格医疗机构:起付线 100 元,支付比例 85%;…»):
    the rule book's own text of it (Parameter.shown) where it has one; None for a value that is
    not a figure (a list of groups, yes/no)."""
    value, shown = param.values[index][1], param.shown[index]
    if shown is not None:
        return f"{shown} 元" if param.unit == "元" and isinstance(value, Decimal) else shown
    if isinstance(value, Decimal):
        return f"{value} {param.unit}"
    if isinstance(value, dict):
        parts = [f"{_key_name(k)}:{_sub_text(v)}" for k, v in value.items()]
        return ";".join(p for p in parts if p)
    return None


def _key_name(key: str) -> str:
    if key in PRICE_CLASSES:
        return f"{PRICE_CLASSES[key]}({PRICE_CLASS_EXAMPLES[key]})"
    return GROUPS.get(key) or LEVEL_KEYS.get(key) or SUB_KEYS.get(key) or key


def _sub_text(value: Any) -> str:
    if isinstance(value, dict):
        return ",".join(f"{SUB_KEYS.get(k, k)} {_scalar(k, v)}" for k, v in value.items())
    return _scalar("", value)


MONEY_KEYS = frozenset({"deductible", "threshold", "cap", "annual_cap"})


def _scalar(key: str, value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return fmt_tiers(value)
    if isinstance(value, Decimal):
        if key in MONEY_KEYS or (key != "ratio" and value >= 1):
            return f"{fmt_money(value)} 元"
        return fmt_ratio(value)
    return str(value)


def answer(book: RuleBook, kind: str, rule_set: str, text: str, on: dt.date) -> ParameterAnswer | None:
    """The figure(s) the question asks for in `rule_set`, in words with date and citation; None
    when no parameter matches or a matching one is not a figure."""
    params = find_parameters(book, kind, rule_set, text)
    if not params:
        return None
    lines, notes = [], []
    short = book.rule_sets[rule_set].short_name
    for param in params:
        if param.unknown:
            lines.append(f"「{param.label}」:我们收录的文件没有给出这个数。{param.unknown}")
            continue
        try:
            index = param.index_on(on)
        except NotInForceError:
            index = 0                       # not yet in force: stated with the date it starts
        since = param.values[index][0]
        shown = value_text(param, index)
        if shown is None:
            return None
        lines.append(f"「{param.label}」:{shown}(自{since.year}年{since.month}月{since.day}日起)。")
        notes.append(f"依据:{param.citation.render()}")
        if param.citation.draft and DRAFT_NOTE not in notes:
            notes.append(DRAFT_NOTE)
    body = "\n".join([f"在{short}," + lines[0], *lines[1:], *dict.fromkeys(notes), CAVEAT])
    return ParameterAnswer(rule_set, params[0].name, body)


def rule_sets_with(book: RuleBook, kind: str) -> list[str]:
    """The rule sets that have parameters of `kind` of their own."""
    prefixes = CATALOGUE[kind].parameters
    return [rs.id for rs in book.rule_sets.values() if any(n.startswith(prefixes) for n in rs.parameters)]


def by_region(book: RuleBook, region: str | None, kind: str) -> str | None:
    """The rule set to answer from: the resident's, or the only one that has such figures."""
    if region and region in book.rule_sets:
        return region
    if region:
        return None
    own = rule_sets_with(book, kind)
    return own[0] if len(own) == 1 else None


