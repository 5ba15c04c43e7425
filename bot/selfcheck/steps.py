"""The self-check's steps, for every front end: where → what to know → the facts → the answer.

The terminal (bot.selfcheck.terminal) asks them one at a time; the web page (bot.web.check)
sends everything answered so far and `replay` reads it again, in the same order, with the same
readers (bot.selfcheck.answers): the place first (any place name; one outside our documents is
refused naming the covered regions), then the calculations available there (the menu is skipped
when there is only one), then only the facts that calculation needs for that region
(bot.dialogue.catalogue.required_slots, the list the chat forms ask). Each answer is the
resident's own words («两年», «3.5万», or the number of an option); the first one that cannot be
read is asked again with the reason.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

from bot.dialogue.catalogue import KINDS, check_region, required_slots, rules, this_year
from bot.nlp import mask_personal_data
from bot.policy import RegionMatch, Result
from bot.policy.regions import covered_regions_text
from bot.selfcheck.answers import (CHOICE, BadAnswer, Option, Question, choose, find_region,
                                   parse_amount, parse_choice, question_for, shown)
from bot.selfcheck.printable import Fact, Report

PLACE, KIND, FACT = "place", "kind", "fact"

# The menu: what each calculation answers, in the resident's words, and words they may type.
MENU: dict[str, Option] = {
    "waiting": Option("waiting", "断保或新参保后,要等多久才能报销(待遇等待期)",
                      ("等待期", "等多久", "多久", "断保")),
    "cap": Option("cap", "大病保险一年最多能报多少(最高支付限额)", ("封顶", "最高支付限额", "最多")),
    "inpatient": Option("inpatient", "住院能报销多少(居民医保住院)", ("住院",)),
    "outpatient": Option("outpatient", "门诊能报销多少(职工医保普通门诊统筹)", ("门诊",)),
    "account": Option("account", "个人账户每月划入多少(职工医保个人账户)", ("个人账户", "账户")),
    "critical": Option("critical", "大病保险能补偿多少(大病保险)", ("大病",)),
    "drug": Option("drug", "特殊药品能报销多少(大病保险特药)", ("特药", "特殊药", "药")),
    "assistance": Option("assistance", "医疗救助和再救助能给多少", ("救助",)),
    "chain": Option("chain", "大病保险加医疗救助,最后自己还要付多少(全流程)",
                    ("全流程", "最后", "自己还要付", "一共")),
}
PLACE_PROMPT = "您在哪里参保?请输入省、市或县的名称(例如:伊宁、龙口、平遥、南昌)。"
KIND_PROMPT = "您想了解什么?"
COVERED_ONLY = "我们目前只能回答{regions}的规定,请重新输入您参保的地方。"
TEXT_NO_PLACE = "没有找到这个地名。"
TEXT_NOT_COVERED = "{place}不在我们掌握的文件范围内。"
TEXT_PLACE_NOTED = "好的,地区:{place}(适用{rules}的规定)。"
TEXT_DRAFT = "注意:我们掌握的{region}文件是征求意见稿(草案),正式文件可能不同。"
TEXT_ONLY_KIND = "在{place},我们可以帮您算:{label}。"
TEXT_EMPTY = "您还没有输入内容。"


@dataclass(frozen=True)
class Place:
    match: RegionMatch
    display: str                  # 新疆维吾尔自治区伊宁市

    @property
    def rule_set(self) -> str:
        return self.match.rule_set

    def notices(self) -> tuple[str, ...]:
        """What the resident is told once the place is known: which rules apply, a draft."""
        rule_set = rules().rule_sets[self.rule_set]
        said = [TEXT_PLACE_NOTED.format(place=self.display, rules=rule_set.name)]
        if any(d.draft for d in rule_set.documents.values()):
            said.append(TEXT_DRAFT.format(region=rule_set.short_name))
        return tuple(said)


def place_name(match: RegionMatch) -> str:
    name = match.name or ""
    if match.province and match.province != name:
        return match.province + name
    return name


def parse_place(text: str) -> Place:
    """The place a resident named, if our documents cover it (BadAnswer otherwise)."""
    match = find_region(text)
    where = COVERED_ONLY.format(regions=covered_regions_text())
    if match is None:
        raise BadAnswer(TEXT_NO_PLACE + where)
    if not match.covered:
        raise BadAnswer(TEXT_NOT_COVERED.format(place=place_name(match)) + where)
    return Place(match=match, display=place_name(match))


def kind_options(place: Place) -> tuple[Option, ...]:
    """The menu for `place`: the calculations its rules allow."""
    return tuple(MENU[k] for k in KINDS if check_region(k, place.rule_set) is None)


def parse_kind(options: tuple[Option, ...], text: str) -> str:
    if not (text or "").strip():
        raise BadAnswer(TEXT_EMPTY)
    return choose(options, text.strip())


def next_question(kind: str, slots: Mapping[str, Any]) -> Question | None:
    """The next fact `kind` still needs, in its chat form's words; None when it has them all."""
    missing = [s for s in required_slots(kind, slots) if slots.get(s) is None]
    return question_for(kind, missing[0]) if missing else None


def parse_fact(question: Question, text: str, place: Place) -> Any:
    if question.kind == CHOICE:
        return parse_choice(question, text, place.display)
    return parse_amount(question, text)


def report_of(place: Place, kind: str, facts: tuple[Fact, ...], result: Result) -> Report:
    """The printable result (bot.selfcheck.printable): only the facts the resident gave."""
    return Report(region=mask_personal_data(place.display), question=MENU[kind].label, facts=facts,
                  result=result, on=dt.date.today(), year=this_year())


@dataclass(frozen=True)
class Ask:
    """What to ask next."""

    step: str                            # PLACE, KIND or FACT
    number: int                          # 第 n 步
    prompt: str
    options: tuple[Option, ...] = ()     # the choices (answered by their number or words)
    slot: str | None = None              # FACT: the fact asked
    example: str = ""                    # amounts: 「两年、1.5、0」
    error: str | None = None             # why the answer given for this step was not taken


@dataclass(frozen=True)
class Progress:
    place: Place | None
    kind: str | None
    facts: tuple[Fact, ...]              # the answers taken, as shown back («断保年数: 2 年»)
    slots: Mapping[str, Any]
    ask: Ask | None                      # None: everything is known, the answer can be computed


def replay(place_text: str | None, kind_text: str | None,
           answers: Mapping[str, str]) -> Progress:
    """Read the answers so far (the resident's words by step: place, kind, and each fact by its
    slot) and say what comes next. Answers for facts not (or no longer) needed are ignored."""
    if not (place_text or "").strip():
        return Progress(None, None, (), {}, Ask(PLACE, 1, PLACE_PROMPT))
    try:
        place = parse_place(place_text)
    except BadAnswer as bad:
        return Progress(None, None, (), {}, Ask(PLACE, 1, PLACE_PROMPT, error=bad.message))
    facts: list[Fact] = [Fact("地区", place.display)]
    options = kind_options(place)
    number = 2
    if len(options) == 1:
        kind = options[0].value
    else:
        number = 3
        if not (kind_text or "").strip():
            return Progress(place, None, tuple(facts), {}, Ask(KIND, 2, KIND_PROMPT, options))
        try:
            kind = parse_kind(options, kind_text)
        except BadAnswer as bad:
            return Progress(place, None, tuple(facts), {},
                            Ask(KIND, 2, KIND_PROMPT, options, error=bad.message))
    slots: dict[str, Any] = {"region": place.rule_set}
    while (question := next_question(kind, slots)) is not None:
        ask = Ask(FACT, number, question.prompt, question.options if question.kind == CHOICE else (),
                  question.slot, question.example)
        text = answers.get(question.slot)
        if text is None or not str(text).strip():
            return Progress(place, kind, tuple(facts), slots, ask)
        try:
            value = parse_fact(question, str(text), place)
        except BadAnswer as bad:
            return Progress(place, kind, tuple(facts), slots,
                            Ask(ask.step, ask.number, ask.prompt, ask.options, ask.slot, ask.example,
                                bad.message))
        slots[question.slot] = value
        facts.append(Fact(question.label, shown(question, value)))
        number += 1
    return Progress(place, kind, tuple(facts), slots, None)
