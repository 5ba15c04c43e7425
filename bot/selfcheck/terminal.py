"""`python -m bot check [--html FILE]`: a resident's self-check in the terminal, step by step.

Region first (any place name; an uncovered one gets the list of covered regions), then a
numbered menu of the calculations available there, then only the facts that calculation needs
for that region (bot.dialogue.catalogue.required_slots, the same list the chat forms ask), one at a
time; the steps and their readers are bot.selfcheck.steps, which the web page /check uses too.
The answer is the chat's text (bot.policy.render); `--html FILE` also writes a printable page.
Input and output go through a Console, so tests drive a dialogue with a list of answers.
Nothing the resident types is kept except the facts used for the calculation.

Exit codes: 0 answered (or 「退出」), 1 input ended (EOF), 2 bad options or an engine refusal,
130 Ctrl-C.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

from bot.dialogue.catalogue import build_inputs, rules
from bot.policy import CALCULATORS, PolicyError, render

from bot.selfcheck.answers import CHOICE, BadAnswer, Question, shown
from bot.selfcheck.printable import Fact, Report, render_html
from bot.selfcheck.steps import (KIND_PROMPT, PLACE_PROMPT, TEXT_ONLY_KIND, Place, kind_options,
                                 next_question, parse_fact, parse_kind, parse_place, report_of)

T = TypeVar("T")

EXIT_OK, EXIT_EOF, EXIT_REFUSED, EXIT_INTERRUPTED = 0, 1, 2, 130
QUIT_WORDS = ("退出", "结束", "q", "quit", "exit")
GOODBYE = "已结束自助查询,再见。"
AMBIGUOUS = "提示:这个名称有多处同名的地方;如果不是您说的地方,请输入「退出」后重新开始,写上省市全称。"


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


def ask_place(console: Console, step: int) -> Place:
    place = ask_until(console, ["", f"第 {step} 步 · {PLACE_PROMPT}"], parse_place)
    for notice in place.notices():
        console.say(notice)
    if place.match.ambiguous:
        console.say(AMBIGUOUS)
    return place


def ask_kind(console: Console, place: Place, step: int) -> tuple[str, bool]:
    """(calculation, whether the menu was shown): a region with one calculation skips it."""
    options = kind_options(place)
    if len(options) == 1:
        console.say(TEXT_ONLY_KIND.format(place=place.display, label=options[0].label))
        return options[0].value, False
    lines = ["", f"第 {step} 步 · {KIND_PROMPT}请输入序号:"]
    lines += [f"  {i}. {o.label}" for i, o in enumerate(options, 1)]
    return ask_until(console, lines, lambda text: parse_kind(options, text)), True


def ask_fact(console: Console, question: Question, place: Place, step: int) -> Any:
    lines = ["", f"第 {step} 步 · {question.prompt}"]
    if question.kind == CHOICE:
        lines += [f"  {i}. {o.label}" for i, o in enumerate(question.options, 1)]
        lines.append("请输入序号,也可以直接写文字。")
    else:
        lines[-1] += f"(例如:{question.example})"
    return ask_until(console, lines, lambda text: parse_fact(question, text, place))


def consult(console: Console) -> Outcome:
    """The whole dialogue; raises Quit when the resident leaves, PolicyError on a refusal."""
    console.say("医保自助查询:我会一步一步问您几个问题,算出结果,并告诉您依据的文件条款。")
    console.say("随时输入「退出」可以结束。")
    place = ask_place(console, 1)
    kind, menu_shown = ask_kind(console, place, 2)
    step = 3 if menu_shown else 2
    slots: dict[str, Any] = {"region": place.rule_set}
    facts: dict[str, Fact] = {"region": Fact("地区", place.display)}
    while (question := next_question(kind, slots)) is not None:
        value = ask_fact(console, question, place, step)
        step += 1
        slots[question.slot] = value
        facts[question.slot] = Fact(question.label, shown(question, value))
    result = CALCULATORS[kind](rules(), build_inputs(kind, slots))
    return Outcome(report=report_of(place, kind, tuple(facts.values()), result), text=render(result))


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
