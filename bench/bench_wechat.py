"""The WeChat Official Account channel under load: how many answers fit WeChat's five seconds.

    python bench/bench_wechat.py [--concurrency 1 20] [--model PATH] [--no-bare]

Starts our servers (as bench_server.py) with the Official Account channel on in safe mode and a
stand-in for WeChat's API on loopback (bot.wechat.stand_in), then replays every conversation of
tests/conversation/conversations.yml as WeChat would send it (bot.wechat.peer: signed, AES
encrypted), one follower per conversation, `concurrency` conversations at once, each turn as
soon as the previous reply is read (as the REST and bare replays do). For each turn:
answered in the reply itself (passive) or later through the customer-service API, and how long
WeChat waited for the reply. Prints the passive share, the latency budget used
(`passive_budget_seconds`), p50/p95/max of WeChat's wait, duplicates (API messages beyond one
answer per turn: the same text sent twice in a row; must be 0) and errors; then the same conversations through REST on the same
servers and, unless --no-bare, a bare `rasa init` bot's REST turns, for the ratios.
Target: passive share ≥ 95 % at 20 conversations at once; WeChat's wait always < 5 s; 0 duplicates.
"""
from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_server import (Dialogue, bare_dialogues, bare_model, bare_server, fmt_ms,  # noqa: E402
                                loadavg, our_dialogues, our_servers, percentile, production_model, replay)
from bot.wechat.peer import OfficialAccountServer, aes_key, text_message  # noqa: E402
from bot.wechat.stand_in import FakeWeChatApi  # noqa: E402

PASSIVE_TARGET = 0.95
WECHAT_WAIT = 5.0
APP_ID = "wx_bench"


@dataclass
class WeChatRun:
    passive: int = 0
    later: int = 0
    waits: list[float] = field(default_factory=list)     # seconds WeChat waited for each reply
    errors: list[str] = field(default_factory=list)
    duplicates: int = 0


def budget() -> float:
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    return float(credentials["bot.wechat.channel.WeChatInput"]["passive_budget_seconds"])


def converse(wechat: OfficialAccountServer, api: FakeWeChatApi, dialogue: Dialogue, run: WeChatRun) -> None:
    user = "o" + secrets.token_urlsafe(20)
    later = 0
    for k, text in enumerate(dialogue.turns):
        started = time.perf_counter()
        try:
            answer = wechat.push(text_message(user, text), timeout=30)
        except Exception as e:   # noqa: BLE001 — counted, reported
            run.errors.append(f"{dialogue.name}#{k}: {type(e).__name__}")
            return
        run.waits.append(time.perf_counter() - started)
        if answer.status != 200:
            run.errors.append(f"{dialogue.name}#{k}: HTTP {answer.status}")
        elif answer.text:
            run.passive += 1
        else:
            run.later += 1
            later += 1
            api.wait_sent(user, later, timeout=60)   # the resident reads it before answering
    time.sleep(1.5)                                  # the rest of a long answer, if any
    texts = [s.text for s in api.sent_to(user)]
    run.duplicates += sum(1 for a, b in zip(texts, texts[1:]) if a == b)   # one answer sent twice


def wechat_round(wechat: OfficialAccountServer, api: FakeWeChatApi, dialogues: Sequence[Dialogue],
                 concurrency: int) -> WeChatRun:
    run = WeChatRun()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda d: converse(wechat, api, d, run), dialogues))
    return run


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    ap.add_argument("--model")
    ap.add_argument("--no-bare", action="store_true")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    model = production_model(args.model)
    dialogues = our_dialogues()
    api = FakeWeChatApi().start()
    settings = {"YIBAO_WECHAT_TOKEN": secrets.token_hex(8), "YIBAO_WECHAT_APPID": APP_ID,
                "YIBAO_WECHAT_APPSECRET": "bench", "YIBAO_WECHAT_AES_KEY": aes_key(),
                "YIBAO_WECHAT_MODE": "safe", "YIBAO_WECHAT_API_BASE": api.base}
    os.environ.update(settings)       # our_servers passes the environment on to both servers
    status = 0
    waits_p95: dict[int, float] = {}
    turns = sum(len(d.turns) for d in dialogues)
    print(f"WeChat Official Account channel, safe mode — {len(dialogues)} conversations, {turns} turns "
          f"per round; model {model.name}; passive budget {budget():.1f} s (WeChat waits {WECHAT_WAIT:.0f} s)",
          flush=True)
    try:
        with our_servers(model) as servers:
            wechat = OfficialAccountServer(servers.base + "/webhooks/wechat/", settings["YIBAO_WECHAT_TOKEN"],
                                           APP_ID, settings["YIBAO_WECHAT_AES_KEY"])
            for c in args.concurrency:
                print(f"  load {loadavg()}", flush=True)
                run = wechat_round(wechat, api, dialogues, c)
                share = run.passive / max(1, run.passive + run.later)
                rest = replay(servers.base, dialogues, c, f"rest{c}")
                rest_p50 = percentile(rest.latencies, 50)
                wait_p50, wait_p95 = percentile(run.waits, 50), percentile(run.waits, 95)
                waits_p95[c] = wait_p95
                print(f"  {c:>2} at once: passive {run.passive}/{run.passive + run.later} = {share:.1%} "
                      f"(target ≥ {PASSIVE_TARGET:.0%}); later {run.later}; WeChat waited p50 "
                      f"{fmt_ms(wait_p50)}, p95 {fmt_ms(wait_p95)}, max {fmt_ms(max(run.waits))}; "
                      f"duplicates {run.duplicates}; errors {len(run.errors)}; "
                      f"REST p50 {fmt_ms(rest_p50)} (WeChat/REST ×{wait_p50 / rest_p50:.2f})", flush=True)
                if run.errors:
                    print("    " + "; ".join(run.errors[:5]))
                if c == max(args.concurrency) and share < PASSIVE_TARGET:
                    status = 1
                if max(run.waits) >= WECHAT_WAIT or run.duplicates or run.errors:
                    status = 1
        if not args.no_bare:
            with bare_server(bare_model()) as bare:
                for c in args.concurrency:
                    b = replay(bare.base, bare_dialogues(dialogues), c, f"bare{c}")
                    print(f"  bare rasa init bot, REST, {c:>2} at once: p50 {fmt_ms(percentile(b.latencies, 50))}, "
                          f"p95 {fmt_ms(percentile(b.latencies, 95))} (WeChat p95 / bare p95 "
                          f"×{waits_p95[c] / percentile(b.latencies, 95):.2f})", flush=True)
    finally:
        api.stop()
    return status


if __name__ == "__main__":
    sys.exit(main())
