"""Extractor throughput: sentences per second on one core (normalise + extract, distinct inputs).

    python bench/bench_extractor.py [--n 5000]

Inputs are made distinct (a running number is appended) so the normaliser's cache never hits.
Target: ≥ 2,000 sentences/s.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.nlp.extractor import get_extractor  # noqa: E402

SENTENCES = (
    "我在伊宁,断保两年了,现在交多久能报销",
    "低保户在烟台住院花了五万块,自己负担多少",
    "连续交了六年,去年一分钱没报,到2030年大病封顶多少",
    "太原县医院住院 花了三万五千块 能报多少",
    "南昌退休职工 二级医院门诊花了三千二",
    "嗯那个 就是我我想问一下 斷保兩年半 补缴一年 要等多久",
    "缴费基数六千 个人账户每个月多少",
    "你好",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    args = parser.parse_args(argv)
    extractor = get_extractor()
    # warm-up: every sentence kind once, so the one-time set-up (cn2an's and the place-name
    # patterns are compiled on first use, about 0.5 s) is not counted as throughput
    for text in SENTENCES:
        extractor.extract(text)
    inputs = [f"{SENTENCES[i % len(SENTENCES)]} {i}号" for i in range(args.n)]
    start = time.perf_counter()
    for text in inputs:
        extractor.extract(text)
    elapsed = time.perf_counter() - start
    rate = args.n / elapsed
    print(f"extractor: {rate:,.0f} sentences/s ({args.n} sentences, {elapsed * 1000 / args.n:.3f} ms each)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
