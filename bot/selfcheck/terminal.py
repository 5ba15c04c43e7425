"""`python -m bot check [--html FILE]`: a resident's self-check in the terminal, step by step.

Region first (any place name; an uncovered one gets the list of covered regions), then a
numbered menu of the calculations available there, then only the facts that calculation needs
for that region (bot.dialogue.catalogue.required_slots, the same list the chat forms ask), one at a
time. The answer is the chat's text (bot.policy.render); `--html FILE` also writes a printable
page. Input and output go through a Console, so tests drive a dialogue with a list of answers.
Nothing the resident types is kept except the facts used for the calculation.

Exit codes: 0 answered (or 「退出」), 1 input ended (EOF), 2 bad options or an engine refusal,
130 Ctrl-C.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from bot.dialogue.catalogue import KINDS, build_inputs, check_region, required_slots, rules, this_year
from bot.nlp import mask_personal_data
from bot.policy import CALCULATORS, PolicyError, RegionMatch, render
from bot.policy.regions import covered_regions_text

from bot.selfcheck.answers import (CHOICE, BadAnswer, Option, Question, choose, find_region,
                                parse_amount, parse_choice, question_for, shown)
from bot.selfcheck.printable import Fact, Report, render_html

T = TypeVar("T")

EXIT_OK, EXIT_EOF, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
QUIT_WORDS = ("退出", "结束", "q", "quit", "exit")
GOODBYE = "已结束自助查询,再见。"

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


class Quit(Exception):
    """The resident left: 「退出」, end of input or Ctrl-C."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Console:
    """Where the dialogue reads and writes. `ask` behaves like input(): it shows the prompt and
    returns one line, raising EOFError at end of input and KeyboardInterrupt on Ctrl-C."""

    ask: Callable[[str], str]
    say: Callable[[str], None]

    @classmethod
    def terminal(cls) -> "Console":
        return cls(ask=input, say=print)

    def read(self) -> str:
        try:
            line = self.ask("> ")
        except EOFError:
            raise Quit(EXIT_EOF) from None
        except KeyboardInterrupt:
            raise Quit(EXIT_INTERRUPTED) from None
        if line.strip().lower() in QUIT_WORDS:
            raise Quit(EXIT_OK)
        return line


@dataclass(frozen=True)
class Place:
    match: RegionMatch
    display: str                  # 新疆维吾尔自治区伊宁市

    @property
    def rule_set(self) -> str:
        return self.match.rule_set


@dataclass(frozen=True)
class Outcome:
    report: Report
    text: str                     # the answer as the chat gives it


def ask_until(console: Console, prompt: Sequence[str], parse: Callable[[str], T]) -> T:
    """Show the question, read an answer, and ask again (politely) until `parse` accepts it."""
    while True:
        for line in prompt:
            console.say(line)
        try:
            return parse(console.read())
        except BadAnswer as exc:
            console.say(f"抱歉,{exc.message}")


def place_name(match: RegionMatch) -> str:
    name = match.name or ""
    if match.province and match.province != name:
        return match.province + name
    return name


def ask_place(console: Console, step: int) -> Place:
    def parse(text: str) -> Place:
        match = find_region(text)
        where = f"我们目前只能回答{covered_regions_text()}的规定,请重新输入您参保的地方。"
        if match is None:
            raise BadAnswer(f"没有找到这个地名。{where}")
        if not match.covered:
            raise BadAnswer(f"{place_name(match)}不在我们掌握的文件范围内。{where}")
        return Place(match=match, display=place_name(match))

    place = ask_until(console, ["", f"第 {step} 步 · 您在哪里参保?请输入省、市或县的名称(例如:伊宁、龙口、平遥、南昌)。"],
                      parse)
    rule_set = rules().rule_sets[place.rule_set]
    console.say(f"好的,地区:{place.display}(适用{rule_set.name}的规定)。")
    if any(d.draft for d in rule_set.documents.values()):
        console.say(f"注意:我们掌握的{rule_set.short_name}文件是征求意见稿(草案),正式文件可能不同。")
    if place.match.ambiguous:
        console.say("提示:这个名称有多处同名的地方;如果不是您说的地方,请输入「退出」后重新开始,写上省市全称。")
    return place


def ask_kind(console: Console, place: Place, step: int) -> tuple[str, bool]:
    """(calculation, whether the menu was shown): a region with one calculation skips it."""
    options = tuple(MENU[k] for k in KINDS if check_region(k, place.rule_set) is None)
    if len(options) == 1:
        console.say(f"在{place.display},我们可以帮您算:{options[0].label}。")
        return options[0].value, False
    lines = ["", f"第 {step} 步 · 您想了解什么?请输入序号:"]
    lines += [f"  {i}. {o.label}" for i, o in enumerate(options, 1)]
    return ask_until(console, lines, lambda text: choose(options, text.strip() or _empty())), True


def _empty() -> str:
    raise BadAnswer("您还没有输入内容。")


def ask_fact(console: Console, question: Question, place: Place, step: int) -> Any:
    lines = ["", f"第 {step} 步 · {question.prompt}"]
    if question.kind == CHOICE:
        lines += [f"  {i}. {o.label}" for i, o in enumerate(question.options, 1)]
        lines.append("请输入序号,也可以直接写文字。")
        return ask_until(console, lines, lambda text: parse_choice(question, text, place.display))
    lines[-1] += f"(例如:{question.example})"
    return ask_until(console, lines, lambda text: parse_amount(question, text))


def consult(console: Console) -> Outcome:
    """The whole dialogue; raises Quit when the resident leaves, PolicyError on a refusal."""
    console.say("医保自助查询:我会一步一步问您几个问题,算出结果,并告诉您依据的文件条款。")
    console.say("随时输入「退出」可以结束。")
    place = ask_place(console, 1)
    kind, menu_shown = ask_kind(console, place, 2)
    step = 3 if menu_shown else 2
    slots: dict[str, Any] = {"region": place.rule_set}
    facts: dict[str, Fact] = {"region": Fact("地区", place.display)}
    while missing := [s for s in required_slots(kind, slots) if slots.get(s) is None]:
        question = question_for(kind, missing[0])
        value = ask_fact(console, question, place, step)
        step += 1
        slots[question.slot] = value
        facts[question.slot] = Fact(question.label, shown(question, value))
    result = CALCULATORS[kind](rules(), build_inputs(kind, slots))
    report = Report(region=mask_personal_data(place.display), question=MENU[kind].label,
                    facts=tuple(facts.values()), result=result, on=dt.date.today(), year=this_year())
    return Outcome(report=report, text=render(result))


def run(console: Console, html_path: Path | None = None) -> int:
    try:
        outcome = consult(console)
    except Quit as q:
        console.say("\n" + GOODBYE)
        return q.code
    except KeyboardInterrupt:
        console.say("\n" + GOODBYE)
        return EXIT_INTERRUPTED
    except PolicyError as exc:
        console.say(f"抱歉,{exc.message}")
        return EXIT_REFUSED
    console.say("")
    console.say("—— 查询结果 ——")
    console.say(outcome.text)
    if html_path is not None:
        try:
            html_path.write_text(render_html(outcome.report), encoding="utf-8")
        except OSError as exc:
            console.say(f"抱歉,结果页没能保存到 {html_path}:{exc.strerror or exc}")
            return EXIT_REFUSED
        console.say(f"可打印的结果页已保存:{html_path}")
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """Options errors in Chinese, exit code 2 (as `python -m bot calc`)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        text = (message.replace("unrecognized arguments", "无法识别的参数")
                .replace("expected one argument", "需要一个值").replace("argument", "参数"))
        self.exit(2, f"错误:{text}\n用法见:{self.prog} --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot check",
                                   description="一步一步回答几个问题,算出医保待遇并给出依据")
    parser.add_argument("--html", metavar="FILE", type=Path,
                        help="回答完后把结果另存为一页可打印的 HTML 文件")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.html is not None and not args.html.parent.is_dir():
        print(f"错误:目录 {args.html.parent} 不存在,无法保存结果页。", file=sys.stderr)
        return EXIT_REFUSED
    if sys.stdin.isatty():
        # Loaded only on a terminal: loading `readline` is what turns on line editing for input()
        # (arrows, backspace over 汉字), which piped input must not get.
        with contextlib.suppress(ImportError):
            importlib.import_module("readline")
    return run(Console.terminal(), args.html)
