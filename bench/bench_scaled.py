"""Throughput of one vs two Rasa servers sharing Redis + PostgreSQL (make bench-scaled).

Starts the scaled set-up once (bot.scaled.Cluster: local PostgreSQL and Redis, one action server,
two Rasa servers), then replays the same realistic multi-turn conversations (those of
tests/conversation/conversations.yml) with C concurrent conversations: first every turn to
server 1 only, then turns round-robin over both. Prints caller turns/s and latency percentiles.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.run import ensure_model  # noqa: E402
from bot.scaled import Cluster  # noqa: E402


def conversations() -> list[list[str]]:
    data = yaml.safe_load((ROOT / "tests/conversation/conversations.yml").read_text(encoding="utf-8"))
    return [[str(t["say"]) for t in c["turns"]] for c in data]


def post(base: str, sender: str, text: str, token: str) -> float:
    req = urllib.request.Request(f"{base}/webhooks/rest/webhook",
                                 data=json.dumps({"sender": sender, "message": text}).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {token}"})
    started = time.perf_counter()
    with urllib.request.urlopen(req, timeout=120) as resp:
        body = json.loads(resp.read())
    if not body:
        raise RuntimeError(f"empty reply to «{text}»")
    return time.perf_counter() - started


def run(servers: list[str], convs: list[list[str]], concurrency: int, tag: str, token: str) -> dict:
    def one(job: tuple[int, list[str]]) -> list[float]:
        i, turns = job
        return [post(servers[(i + k) % len(servers)], f"bench-{tag}-{i}", text, token)
                for k, text in enumerate(turns)]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = [x for conv in pool.map(one, enumerate(convs)) for x in conv]
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {"turns": len(latencies), "seconds": elapsed, "turns_per_s": len(latencies) / elapsed,
            "p50": q[49], "p95": q[94]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--concurrency", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=2, help="times each conversation is replayed")
    args = ap.parse_args()
    model = ensure_model("config.ci.yml", "yibao-ci")
    convs = conversations() * args.rounds
    data = Path(tempfile.mkdtemp(prefix="yibao-bench-scaled-"))
    try:
        with Cluster(model=model, servers=2, data_dir=data) as cluster:
            urls = cluster.urls()
            run(urls, convs[:10], 2, "warm", cluster.rest_token)                 # load both servers' caches
            one = run(urls[:1], convs, args.concurrency, "one", cluster.rest_token)
            two = run(urls, convs, args.concurrency, "two", cluster.rest_token)
    finally:
        shutil.rmtree(data, ignore_errors=True)
    print(f"多服务器(Redis 锁 + PostgreSQL 会话库,{args.concurrency} 个并发会话,"
          f"{one['turns']} 轮):")
    for label, r in (("1 台服务器", one), ("2 台服务器", two)):
        print(f"  {label}: {r['turns_per_s']:.1f} 轮/秒  p50 {r['p50'] * 1000:.0f} ms  "
              f"p95 {r['p95'] * 1000:.0f} ms")
    print(f"  2 台 / 1 台 吞吐比:{two['turns_per_s'] / one['turns_per_s']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
