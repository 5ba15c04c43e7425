"""Command line: `python -m bot calc KIND [options] [--json]`, and the subcommands `extract TEXT`
(bot.nlp.cli), `check` (bot.selfcheck.terminal) and `transcripts FILE` (bot.transcripts.cli).

Bad options exit with code 2 and a Chinese message on stderr.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Sequence

from bot.arguments import ChineseArgumentParser
from bot.dialogue.catalogue import CATALOGUE
from bot.nlp.cli import main as extract_main
from bot.policy import (CALCULATORS, AccountInputs, AssistanceInputs, CapInputs, ChainInputs,
                        CriticalInputs, DrugInputs, InpatientInputs, OutpatientInputs, PolicyError,
                        WaitingInputs, load_rulebook, render)
from bot.policy.codes import GROUPS as GROUP_NAMES
from bot.selfcheck.terminal import main as check_main
from bot.transcripts.cli import main as transcripts_main

KINDS = {kind: calculation.title for kind, calculation in CATALOGUE.items()}
EXEMPT_CHOICES = ("newborn", "assistance", "veteran")
GROUP_CHOICES = ("tekun", "dibao", "fanpin", "dibao-edge", "monitored", "illness-poverty")

# Which options each calculation reads; the first list is required.
NEEDED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "waiting": (("region",), ("year", "gap_years", "paid_back", "in_period", "exempt",
                              "flexible_employee", "paid_on")),
    "cap": (("region",), ("year", "years_insured", "zero_claim_years", "after_gap",
                          "original_cap", "insured_type")),
    "inpatient": (("region", "price_class", "expense"), ("year", "paid_this_year")),
    "outpatient": (("region", "level", "expense"), ("year", "retired", "paid_this_year",
                                                      "insured_type")),
    "account": (("region",), ("year", "base", "retired", "flexible_employee", "insured_type")),
    "critical": (("region", "burden"), ("year", "group", "insured_type")),
    "drug": (("region", "expense"), ("year", "group", "paid_this_year")),
    "assistance": (("region", "burden"), ("year", "group")),
    "chain": (("region", "burden"), ("year", "group", "insured_type")),
}
OPTION_LABELS = {
    "region": "--region(地区)", "price_class": "--price-class(医院收费价格类别)",
    "expense": "--expense(费用金额)", "level": "--level(医院等级)", "burden": "--burden(个人负担金额)",
}


def _decimal(text: str) -> Decimal:
    cleaned = text.replace(",", "").replace(",", "").strip()
    if cleaned.endswith("万"):
        cleaned = str(Decimal(cleaned[:-1]) * 10000) if _is_number(cleaned[:-1]) else cleaned
    if cleaned.endswith("元"):
        cleaned = cleaned[:-1]
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的数字") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的数字")
    return value


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
        return True
    except InvalidOperation:
        return False


def _year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"“{text}”不是四位数年份")
    return int(text)


def _level(text: str) -> int:
    if text not in ("1", "2", "3"):
        raise argparse.ArgumentTypeError(f"医院等级应为 1、2 或 3,收到“{text}”")
    return int(text)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期(YYYY-MM-DD)") from None


def _groups(text: str) -> tuple[str, ...]:
    items = tuple(x.strip() for x in text.replace(",", ",").split(",") if x.strip())
    bad = [x for x in items if x not in GROUP_CHOICES]
    if bad or not items:
        raise argparse.ArgumentTypeError(f"人员类别“{text}”无法识别,可选:{'、'.join(GROUP_CHOICES)}")
    return items


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="python -m bot", description="医保助手命令行")
    sub = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser)
    calc = sub.add_parser("calc", help="计算一项医保待遇并给出步骤和依据",
                          description="计算:" + ";".join(f"{k} {v}" for k, v in KINDS.items()))
    calc.add_argument("kind", choices=tuple(KINDS), help="计算类型")
    calc.add_argument("--region", help="地区名(省、市、县均可,如 伊宁、龙口、平遥)")
    calc.add_argument("--year", type=_year, help="待遇年度,默认今年")
    calc.add_argument("--gap-years", type=_decimal, help="断保年数")
    calc.add_argument("--paid-back", type=_decimal, help="补缴年数")
    calc.add_argument("--in-period", action="store_true", help="在集中缴费期内缴费")
    calc.add_argument("--exempt", choices=EXEMPT_CHOICES, help="免等待期人群")
    calc.add_argument("--flexible-employee", action="store_true", help="灵活就业人员(参加职工医保)")
    calc.add_argument("--paid-on", type=_date, help="缴费日期 YYYY-MM-DD,用于推算开始享受待遇的日期")
    calc.add_argument("--years-insured", type=_decimal, help="连续参保年数")
    calc.add_argument("--zero-claim-years", type=_decimal, help="连续零报销年数")
    calc.add_argument("--after-gap", action="store_true", help="断保后本年度再参保")
    calc.add_argument("--original-cap", type=_decimal, help="原大病保险封顶线(元)")
    calc.add_argument("--insured-type", choices=("resident", "employee"),
                      help="居民医保或职工医保(默认:门诊和个人账户为职工,其余为居民)")
    calc.add_argument("--retired", action="store_true", help="退休人员")
    calc.add_argument("--price-class", choices=("3", "2-county", "2-city", "1"), help="山西医院收费价格类别")
    calc.add_argument("--level", type=_level, help="医院等级 1/2/3")
    calc.add_argument("--expense", type=_decimal, help="费用(元)")
    calc.add_argument("--paid-this-year", type=_decimal, help="今年已报销/已支付(元)")
    calc.add_argument("--base", type=_decimal, help="本人月缴费基数(元)")
    calc.add_argument("--burden", type=_decimal, help="报销后政策范围内个人负担(元)")
    calc.add_argument("--group", type=_groups, help="人员类别,可用逗号给出多个:" + "、".join(GROUP_CHOICES))
    calc.add_argument("--json", action="store_true", help="输出 JSON")
    sub.add_parser("extract", help="显示规范化文本和识别出的信息(不加载 Rasa)", add_help=False)
    sub.add_parser("check", help="一步一步自助查询", add_help=False)
    sub.add_parser("transcripts", help="批量处理热线通话记录", add_help=False)
    return parser


def _inputs(kind: str, a: argparse.Namespace) -> Any:
    year = a.year or dt.date.today().year
    if kind == "waiting":
        return WaitingInputs(region=a.region, year=year, in_period=a.in_period,
                             gap_years=a.gap_years or 0, paid_back_years=a.paid_back or 0,
                             exempt=a.exempt, flexible_employee=a.flexible_employee, paid_on=a.paid_on)
    if kind == "cap":
        return CapInputs(region=a.region, year=year, years_insured=a.years_insured,
                         zero_claim_years=a.zero_claim_years or 0, after_gap=a.after_gap,
                         original_cap=a.original_cap, insured_type=a.insured_type or "resident")
    if kind == "inpatient":
        return InpatientInputs(region=a.region, price_class=a.price_class, expense=a.expense,
                               paid_this_year=a.paid_this_year or 0, year=year)
    if kind == "outpatient":
        return OutpatientInputs(region=a.region, level=a.level, expense=a.expense, retired=a.retired,
                                paid_this_year=a.paid_this_year or 0, insured_type=a.insured_type,
                                year=year)
    if kind == "account":
        return AccountInputs(region=a.region, base=a.base, retired=a.retired,
                             flexible=a.flexible_employee, insured_type=a.insured_type, year=year)
    group = a.group[0] if a.group else None        # several: see _calculate
    if kind == "critical":
        return CriticalInputs(region=a.region, burden=a.burden, group=group,
                              insured_type=a.insured_type or "resident", year=year)
    if kind == "drug":
        return DrugInputs(region=a.region, expense=a.expense, group=group,
                          paid_this_year=a.paid_this_year or 0, year=year)
    if kind == "assistance":
        return AssistanceInputs(region=a.region, burden=a.burden, groups=a.group or (), year=year)
    return ChainInputs(region=a.region, burden=a.burden, groups=a.group or (),
                       insured_type=a.insured_type or "resident", year=year)


# Calculations that take one group; given several, each is computed and the most favourable kept
# (assistance and chain take them all and do the same inside the engine).
ONE_GROUP_KINDS = ("critical", "drug")


def _calculate(a: argparse.Namespace, err: Callable[[str], None]) -> Any:
    rules = load_rulebook()
    calculate = CALCULATORS[a.kind]
    if a.kind not in ONE_GROUP_KINDS or not a.group or len(a.group) == 1:
        return calculate(rules, _inputs(a.kind, a))
    results = [(calculate(rules, _inputs(a.kind, argparse.Namespace(**{**vars(a), "group": (g,)}))), g)
               for g in a.group]
    # the largest amount paid; an unknown figure (None) only when no group has one
    best, group = max(results, key=lambda r: (r[0].value is not None, r[0].value or 0))
    err(f"提示:给出了多个人员类别,按待遇最高的「{GROUP_NAMES[group]}」计算。")
    return best


def run_calc(a: argparse.Namespace, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    required, optional = NEEDED[a.kind]
    missing = [OPTION_LABELS.get(o, "--" + o.replace("_", "-")) for o in required if getattr(a, o) is None]
    if missing:
        err(f"错误:计算{KINDS[a.kind]}需要 {'、'.join(missing)}。")
        return 2
    given = {k for k, v in vars(a).items() if v not in (None, False)} - {"command", "kind", "json"}
    ignored = sorted(given - set(required) - set(optional))
    if ignored:
        err("提示:" + "、".join("--" + o.replace("_", "-") for o in ignored) + f" 与{KINDS[a.kind]}无关,已忽略。")
    try:
        result = _calculate(a, err)
    except PolicyError as exc:
        err(f"错误:{exc.message}")
        return 2
    if a.json:
        out(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        out(render(result))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "extract":
        return extract_main(args[1:])
    if args and args[0] == "check":
        return check_main(args[1:])
    if args and args[0] == "transcripts":
        return transcripts_main(args[1:])
    parser = build_parser()
    if not args:
        parser.print_help()
        return 0
    a = parser.parse_args(args)
    if a.command == "calc":
        return run_calc(a, print, lambda m: print(m, file=sys.stderr))
    parser.print_help()
    return 0
