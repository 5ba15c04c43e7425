"""Load benchmark: 50 residents × 20 turns at once against one assistant (REST channel).

    .venv/bin/python bench/bench_load.py [--residents 50] [--turns 20]

Starts an action server and a Rasa server (CI model, temporary tracker store) on loopback, runs
the concurrent conversations of tests/load/dialogues.py and prints turns/s, latency, errors and
the tracker-store check (every user turn stored exactly once per sender, in order). Exit code 1
when a turn failed or the store lost or reordered a turn.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.load.dialogues import run_load  # noqa: E402
from tests.load.harness import LiveAssistant  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="医保助手并发对话基准")
    ap.add_argument("--residents", type=int, default=50)
    ap.add_argument("--turns", type=int, default=20)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="yibao-bench-load-") as tmp:
        with LiveAssistant.start(Path(tmp)) as assistant:
            result = run_load(assistant, args.residents, args.turns, prefix="bench")
    summary = result.summary()
    print(f"并发对话 {args.residents} × {args.turns} 轮:{summary['turns']} 轮,用时 {summary['seconds']} 秒,"
          f"{summary['turns_per_second']} 轮/秒;中位延迟 {summary['latency_median_s']} 秒,"
          f"p95 {summary['latency_p95_s']} 秒")
    print(f"错误 {summary['errors']};对话存储中用户轮次 {summary['stored_user_events']}"
          f"(应为 {args.residents * args.turns}),顺序/重复问题 {summary['store_problems']}")
    print(json.dumps(summary, ensure_ascii=False))
    for line in (result.errors + result.store_problems)[:20]:
        print("  " + line, file=sys.stderr)
    ok = not result.errors and not result.store_problems and \
        summary["stored_user_events"] == args.residents * args.turns
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
