"""The questions of `python -m bot check` and how a resident's own words become slot values.

Numbers go through bot.nlp.normalize (「两年」→ 2, 「3.5万」→ 35000, 「一万二」→ 12000) and are
checked with the engine's own sanity bounds (bot.policy.bounds), so a refused answer gets the
same Chinese message as in the chat. Choices accept the number of the option, its words, or
what the slot extractor (bot.nlp.extract) reads from the answer.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from bot.dialogue.catalogue import NO_GROUP
from bot.dialogue.questions import asked
from bot.dialogue.short_answers import UNREADABLE_NUMBER_REPLY, has_unreadable_number
from bot.nlp import extract, normalize
from bot.policy import InvalidInputError, RegionMatch, resolve_region
from bot.policy import bounds
from bot.policy.codes import GROUPS, LEVELS, PRICE_CLASSES
from bot.policy.model import fmt_money, fmt_number
from bot.policy.regions import region_surface_forms

MAX_ANSWER_CHARS = 200

YEARS, WHOLE_YEARS, MONEY, CHOICE = "years", "whole_years", "money", "choice"


class BadAnswer(Exception):
    """An answer we cannot use; `message` is a polite Chinese explanation."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Option:
    value: Any                     # slot value (codes of docs/CONTRACTS.md)
    label: str                     # shown in the menu and on the result page
    words: tuple[str, ...] = ()    # words a resident may type instead of the number


@dataclass(frozen=True)
class Question:
    slot: str
    label: str                     # the fact's name on the result page
    prompt: str
    kind: str                      # YEARS | WHOLE_YEARS | MONEY | CHOICE
    example: str = ""
    options: tuple[Option, ...] = ()
    zero_words: bool = False       # 「没有」「一直没断」 mean 0
    negative: Any = None           # yes/no questions: the value a negated answer means


_NO_WORDS = ("都不是", "都不", "不是", "没有", "普通", "一般", "不属于", "无")


def _options(slot: str, values_and_words: tuple[tuple[Any, tuple[str, ...]], ...]) -> tuple[Option, ...]:
    """The chat form's buttons for `slot` (bot.dialogue.questions), with their codes and the words
    a resident may type: the same titles, in the same order."""
    titles = asked(slot).buttons
    if len(titles) != len(values_and_words):
        raise ValueError(f"domain.yml utter_ask_{slot}: {len(titles)} buttons, the self-check reads "
                         f"{len(values_and_words)} choices")
    return tuple(Option(value, title, words) for title, (value, words) in zip(titles, values_and_words))


def _question(slot: str, label: str, kind: str, example: str = "", options: tuple[Option, ...] = (),
              zero_words: bool = False, negative: Any = None, worded_by: str | None = None) -> Question:
    return Question(slot, label, asked(slot, worded_by).text, kind, example, options, zero_words, negative)


QUESTIONS: dict[str, Question] = {
    "gap_years": _question("gap_years", "断保年数", YEARS, example="两年、1.5、0", zero_words=True),
    "in_period": _question("in_period", "是否在集中缴费期内参保缴费", CHOICE, negative=False, options=_options(
        "in_period", ((True, ("是", "在", "对", "嗯", "期内")), (False, ("不", "没", "否", "期外"))))),
    "years_insured": _question("years_insured", "连续参保年数", WHOLE_YEARS, example="5、三年", zero_words=True),
    "zero_claim_years": _question("zero_claim_years", "连续零报销年数", WHOLE_YEARS, example="2、0",
                                  zero_words=True),
    "price_class": _question("price_class", "医院收费价格类别", CHOICE, options=_options(
        "price_class", tuple(zip(PRICE_CLASSES, (("三类",), ("二类县级", "县级"), ("二类省市级", "省市级"),
                                                 ("一类",)))))),
    "hospital_level": _question("hospital_level", "医院等级", CHOICE, options=_options(
        "hospital_level", tuple((level, (name[:2],)) for level, name in LEVELS.items()))),
    "retired": _question("retired", "在职或退休", CHOICE, options=_options(
        "retired", ((False, ("在职", "上班", "没退休", "未退休", "没有退休")), (True, ("退休", "退了"))))),
    "insured_type": _question("insured_type", "参保类型", CHOICE, options=_options(
        "insured_type", (("resident", ("居民", "城乡")), ("employee", ("职工", "单位"))))),
    "group": _question("group", "人员类别", CHOICE, options=_options(
        "group", tuple(zip(GROUPS, (("特困", "五保", "供养"), ("低保",), ("返贫致贫", "返贫"), ("低保边缘",),
                                    ("监测",), ("因病致贫",)))) + ((NO_GROUP, _NO_WORDS),))),
    # amounts are asked in each calculation's own words (question_for); these are the defaults
    "expense": _question("expense", "政策范围内费用", MONEY, example="20000、3.5万、一万二", worded_by="inpatient"),
    "burden": _question("burden", "基本医保报销后的个人负担", MONEY, example="50000、5万", worded_by="critical"),
    "contribution_base": _question("contribution_base", "本人月缴费基数", MONEY, example="6000、六千"),
}
# What the fact is called on the result page when a calculation words its question its own way.
LABEL_BY_KIND: dict[tuple[str, str], str] = {
    ("inpatient", "expense"): "住院政策范围内费用",
    ("outpatient", "expense"): "今年门诊政策范围内费用",
    ("drug", "expense"): "今年合规的特殊药品费用",
}


def question_for(kind: str, slot: str) -> Question:
    """The question for `slot` in the words the chat form of `kind` uses."""
    q = QUESTIONS[slot]
    prompt = asked(slot, kind).text
    label = LABEL_BY_KIND.get((kind, slot), q.label)
    if (prompt, label) == (q.prompt, q.label):
        return q
    return Question(q.slot, label, prompt, q.kind, q.example, q.options, q.zero_words, q.negative)


# ---- numbers -----------------------------------------------------------------------------
_NUMBER = re.compile(r"(负|-)?\s*(\d+(?:\.\d+)?)")
_CN_NUMERAL = set("零〇一二两三四五六七八九十百千万亿点")
_ZERO_WORDS = ("没有", "没", "无", "从未", "一直", "不曾", "零")


def _clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise BadAnswer("您还没有输入内容。")
    if len(text) > MAX_ANSWER_CHARS:
        raise BadAnswer("回答太长了,请简短回答。")
    return text


def parse_amount(question: Question, text: str) -> Decimal:
    """The single number of an answer, in years or yuan, checked with the engine's bounds."""
    norm = normalize(_clean(text))
    if has_unreadable_number(norm):
        raise BadAnswer(UNREADABLE_NUMBER_REPLY)
    found = list(_NUMBER.finditer(norm))
    if not found:
        if question.zero_words and any(w in norm for w in _ZERO_WORDS):
            return Decimal(0)
        raise BadAnswer(f"没有看懂,请用数字回答,例如:{question.example}。")
    if len(found) > 1:
        raise BadAnswer(f"请只回答一个数,例如:{question.example}。")
    m = found[0]
    before = norm[m.start() - 1] if m.start() else ""
    after = norm[m.end():]
    if before in _CN_NUMERAL or after[:1] in _CN_NUMERAL:
        raise BadAnswer(f"这个数没有看懂,请直接写数字,例如:{question.example}。")
    value = Decimal(m.group(2))
    if m.group(1):
        value = -value
    try:
        if question.kind == MONEY:
            return bounds.money(question.slot, question.label, value)
        if after.startswith(("个月", "月")):
            value = value / 12
        if question.kind == WHOLE_YEARS:
            return Decimal(bounds.whole_years(question.slot, question.label, value))
        return bounds.years(question.slot, question.label, value)
    except InvalidInputError as exc:
        raise BadAnswer(exc.message) from None


def shown(question: Question, value: Any) -> str:
    """How an accepted answer is shown back: 「2 年」「20,000 元」「二级医疗机构」."""
    if question.kind == CHOICE:
        return next(o.label for o in question.options if o.value == value)
    if question.kind == MONEY:
        return f"{fmt_money(value)} 元"
    return f"{fmt_number(value)} 年"


# ---- choices -----------------------------------------------------------------------------
_INDEX = re.compile(r"第?\s*(\d+)\s*(?:个|项|号|条|种)?\s*[.。、,,)]?")
_NEGATIONS = ("不", "没", "否", "非", "未")
_AFFIRMING = ("没错", "不错", "对不对")     # contain a negation character but say yes


def parse_choice(question: Question, text: str, context: str = "") -> Any:
    """The value of the chosen option. `context` (the place name) helps the extractor."""
    return choose(question.options, _clean(text), question.slot, context, question.negative)


def choose(options: tuple[Option, ...], text: str, slot: str | None = None, context: str = "",
           negative: Any = None) -> Any:
    norm = normalize(text).strip()
    index = _INDEX.fullmatch(norm)
    if index:
        n = int(index.group(1))
        if 1 <= n <= len(options):
            return options[n - 1].value
        raise BadAnswer(f"请输入 1 到 {len(options)} 之间的序号。")
    plain = norm
    for phrase in _AFFIRMING:
        plain = plain.replace(phrase, "对")
    if negative is not None and any(w in plain for w in _NEGATIONS):
        return negative
    best: dict[Any, int] = {}
    for option in options:
        longest = max((len(w) for w in option.words if w in plain), default=0)
        if longest:
            best[option.value] = longest
    if best:
        top = max(best.values())
        winners = [v for v, n in best.items() if n == top]
        if len(winners) == 1:
            return winners[0]
    if slot is not None:
        said = _extracted(f"{context} {norm}".strip()).get(slot)
        for option in options:
            if said is not None and option.value == said:
                return option.value
    # Part of several options' words («二类»: 二类县级 and 二类省市级): say which ones.
    partial = [str(i) for i, option in enumerate(options, 1)
               if len(plain) >= 2 and any(plain in word for word in option.words)]
    if len(partial) > 1:
        raise BadAnswer(f"「{norm}」可能是第 {'、'.join(partial)} 项,请输入其中一个的序号。")
    raise BadAnswer(f"没有看懂您的选择,请输入序号(1 到 {len(options)})。")


def _extracted(text: str) -> dict[str, Any]:
    return dict(extract(text).slots)


# ---- places ------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    return frozenset(region_surface_forms())


def find_region(text: str) -> RegionMatch | None:
    """The place a resident named (「伊宁」「我在龙口市」「平遙」); None when no place is named."""
    said = _clean(text)
    match = resolve_region(said)
    if match.name is not None:
        return match
    norm = normalize(said).replace(" ", "")
    names = _place_names()
    for size in range(min(len(norm), 12), 1, -1):
        for start in range(len(norm) - size + 1):
            piece = norm[start:start + size]
            if piece in names:
                return resolve_region(piece)
    return None
