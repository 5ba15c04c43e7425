"""`extract "TEXT" [--json]`: show the normalised text and the slots, without loading Rasa.

`python -m bot extract` calls `main(argv)` with the arguments after `extract`.
"""
from __future__ import annotations

import argparse
import json
import sys

from bot.nlp.extractor import extract

_LABELS = {
    "region": "地区", "gap_years": "断保年数", "years_insured": "连续参保年数",
    "paid_back_years": "补缴年数", "expense": "医疗费用(元)", "burden": "个人负担(元)",
    "contribution_base": "缴费基数(元)", "original_cap": "原封顶线(元)", "benefit_year": "待遇年度",
    "paid_this_year": "今年已报销(元)", "zero_claim_years": "零报销年数", "in_period": "集中缴费期内",
    "insured_type": "参保类型", "retired": "退休", "hospital_level": "医院等级",
    "price_class": "收费价格类别", "group": "特殊人群", "exempt": "免等待期", "service": "待遇类别",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot extract",
                                     description="规范化一句话并抽取槽位(不加载 Rasa)")
    parser.add_argument("text", nargs="+", help="要分析的文字(可加引号)")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    result = extract(" ".join(args.text))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return 0
    print(f"规范化: {result.normalized}")
    if not result.slots:
        print("槽位: (无)")
    for slot, value in result.slots.items():
        shown = json.dumps(value, ensure_ascii=False)
        extra = ""
        if slot == "region" and result.region_name:
            extra = f"  (说的是「{result.region_name}」→ {result.region_canonical or '?'})"
        print(f"{slot:<18} {shown}{extra}  # {_LABELS.get(slot, '')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
