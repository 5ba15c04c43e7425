"""Server benchmarks of issue 6: turn latency (ours vs a bare Rasa bot), RSS, full training time.

    python bench/bench_server.py latency [--rounds 4] [--concurrency 1 20] [--model PATH]
    python bench/bench_server.py rss     [--conversations 1000] [--concurrency 20] [--model PATH]
    python bench/bench_server.py train   [--config config.yml]
    python bench/bench_server.py all     # train, latency, rss (what `make bench` runs)

latency: starts our servers (action server + bot.rasa.server with the REST channel, SQLite
  tracker store in a temporary directory, audit log in a temporary database) and, next to them,
  a bare Rasa 3.6 bot made by `rasa init --no-prompt` (cached with its model under
  var/bench/bare; plain `rasa run`, its own REST channel, no action server: its domain has no
  custom actions). Every conversation of tests/conversation/conversations.yml is replayed
  through POST /webhooks/rest/webhook, one sender per conversation; the bare bot gets a
  mood-bot dialogue of the same number of turns for each. For each concurrency (conversations
  at once), rounds alternate ours / bare so that background load hits both alike. Prints
  p50/p95/p99 per side and the ratio ours/bare. Every reply must be HTTP 200 with a non-empty
  list of messages; anything else is counted as an error.
  Target: p95 ratio ≤ 1.3 at 20 concurrent conversations.
rss: fresh servers, then N conversations (the same dialogues, distinct senders, C at once);
  prints VmRSS of the Rasa server + the action server, each with its child processes, at ready
  and after the N conversations. Target: ≤ 1.5 GB after 1,000 conversations.
train: `rasa train` with config.yml into a temporary directory (--force), timed, with the time
  of each component taken from Rasa's "Starting/Finished training component" log lines.
  models/yibao.tar.gz is replaced only when missing. Target: ≤ 5 min on 2 cores.

Each figure is printed with the load average at the time (/proc/loadavg): on a 2-core machine a
load above ~0.5 before a run means something else is using CPU and the figure is pessimistic.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.run import (MODELS, free_port, RASA, VAR, VENV_BIN, env, ensure_model, hash_file, inputs_hash,  # noqa: E402
                     model_path, start_action_server, start_rasa_server, stop, wait_http)
BARE_RASA = str(VENV_BIN / "rasa")          # the bare bot runs Rasa as shipped

BARE_DIR = VAR / "bench" / "bare"
LATENCY_TARGET = 1.3      # p95 ours / bare at 20 concurrent conversations
RSS_TARGET_MB = 1536      # 1.5 GB
TRAIN_TARGET_S = 300      # 5 min
REST_TOKEN = secrets.token_hex(16)   # our REST API's bearer token for this run (the bare bot ignores it)
# Mood-bot dialogues (rasa init's stories: greet → mood → did that help → goodbye).
BARE_DIALOGUES = (
    ("hello", "I am sad", "yes", "bye"),
    ("good morning", "I am feeling very good", "goodbye", "hi"),
    ("hey", "very sad", "no", "see you later"),
    ("hi there", "are you a bot?", "great", "bye bye"),
)


# ---- small helpers ---------------------------------------------------------------------------
def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def busy_processes() -> list[str]:
    """Other heavy Python processes (rasa, pytest, training) running now, for the report."""
    me = {os.getpid(), os.getppid()}
    found = []
    for status in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            pid = int(status.parent.name)
            cmd = status.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ValueError):
            continue
        if pid in me or "bench_server" in cmd:
            continue
        if re.search(r"pytest|rasa |bin/rasa|bot\.rasa\.(action_)?server|rasa_sdk|bench_", cmd):
            found.append(f"{pid}:{cmd[:80]}")
    return found


def process_tree(pid: int) -> list[int]:
    """pid and all its descendants (from /proc/<pid>/task/*/children)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for children in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo += [int(c) for c in children.read_text().split()]
            except OSError:
                pass
    return out


def rss_mb(pid: int) -> float:
    """Sum of VmRSS over pid and its descendants, MiB."""
    total = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def cpu_seconds(pid: int) -> float:
    """utime + stime of pid and its descendants, seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / tick


def percentile(values: Sequence[float], q: float) -> float:
    import numpy
    return float(numpy.percentile(values, q))


# ---- dialogues -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Dialogue:
    name: str
    turns: tuple[str, ...]
    expect: tuple[tuple[str, ...], ...] = ()   # per turn, substrings the reply should contain


def our_dialogues() -> list[Dialogue]:
    data = yaml.safe_load((ROOT / "tests/conversation/conversations.yml").read_text(encoding="utf-8"))
    return [Dialogue(c["name"], tuple(str(t["say"]) for t in c["turns"]),
                     tuple(tuple(str(x) for x in t.get("expect") or ()) for t in c["turns"]))
            for c in data]


def bare_dialogues(ours: Sequence[Dialogue]) -> list[Dialogue]:
    """One mood-bot dialogue per dialogue of ours, with the same number of turns."""
    out = []
    for i, d in enumerate(ours):
        script = BARE_DIALOGUES[i % len(BARE_DIALOGUES)]
        out.append(Dialogue(f"mood-{i}", tuple(script[k % len(script)] for k in range(len(d.turns)))))
    return out


# ---- the load generator ----------------------------------------------------------------------
@dataclass
class RunResult:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    missed: int = 0           # replies without an expected substring (informative only)
    seconds: float = 0.0
    cpu: float = 0.0          # CPU seconds of the server processes (Rasa + actions) meanwhile

    def add(self, other: "RunResult") -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.missed += other.missed
        self.seconds += other.seconds
        self.cpu += other.cpu

    @property
    def cpu_ms_per_turn(self) -> float:
        return self.cpu * 1000 / max(1, len(self.latencies))


async def _replay(base: str, dialogues: Sequence[Dialogue], concurrency: int, tag: str) -> RunResult:
    import aiohttp
    result = RunResult()
    queue: asyncio.Queue = asyncio.Queue()
    for i, d in enumerate(dialogues):
        queue.put_nowait((i, d))
    url = f"{base}/webhooks/rest/webhook"
    run_id = uuid.uuid4().hex[:8]

    async def worker(session: "aiohttp.ClientSession") -> None:
        while True:
            try:
                i, d = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            sender = f"bench-{tag}-{run_id}-{i}"
            for k, text in enumerate(d.turns):
                started = time.perf_counter()
                try:
                    async with session.post(url, json={"sender": sender, "message": text},
                                            headers={"Authorization": f"Bearer {REST_TOKEN}"}) as resp:
                        raw = await resp.read()
                        status = resp.status
                except Exception as e:   # noqa: BLE001 — counted, reported
                    result.errors.append(f"{d.name}#{k}: {type(e).__name__}: {e}")
                    break
                result.latencies.append(time.perf_counter() - started)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = None
                if status != 200 or not isinstance(body, list) or not body:
                    result.errors.append(f"{d.name}#{k}: HTTP {status} {raw[:120]!r}")
                    continue
                if k < len(d.expect) and d.expect[k]:
                    reply = "\n".join(str(m.get("text", "")) for m in body if isinstance(m, dict))
                    if not all(x in reply for x in d.expect[k]):
                        result.missed += 1

    timeout = aiohttp.ClientTimeout(total=300)
    connector = aiohttp.TCPConnector(limit=concurrency)
    started = time.perf_counter()
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result


def replay(base: str, dialogues: Sequence[Dialogue], concurrency: int, tag: str,
           pids: Sequence[int] = ()) -> RunResult:
    """Replay `dialogues`, `concurrency` at a time; CPU time of `pids` (with children) counted."""
    before = sum(cpu_seconds(p) for p in pids)
    result = asyncio.run(_replay(base, dialogues, concurrency, tag))
    result.cpu = sum(cpu_seconds(p) for p in pids) - before
    return result


# ---- servers ---------------------------------------------------------------------------------
@dataclass
class Servers:
    base: str
    pids: dict[str, int]


@contextmanager
def our_servers(model: Path, quiet: bool = True) -> Iterator[Servers]:
    """Action server + our Rasa server on free loopback ports, state in a temporary directory.

    The tracker store is endpoints.yml's, with its database moved there; YIBAO_BENCH_TRACKER_TYPE
    (e.g. `SQL`, Rasa's own) overrides its type, for before/after figures."""
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="yibao-bench-")))
        extra = {"YIBAO_ASSISTANT_DB": str(tmp / "assistant.db"), "YIBAO_REST_TOKEN": REST_TOKEN}
        action_port, port = free_port(), free_port()
        endpoints = tmp / "endpoints.yml"
        ours = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
        tracker_store = ours["tracker_store"]
        tracker_store["type"] = os.environ.get("YIBAO_BENCH_TRACKER_TYPE") or tracker_store["type"]
        endpoints.write_text(yaml.safe_dump({
            "action_endpoint": {**ours["action_endpoint"],
                                "url": f"http://127.0.0.1:{action_port}/webhook"},
            "tracker_store": {**tracker_store, "db": str(tmp / "tracker.db")},
            "lock_store": {"type": "in_memory"},
        }))
        actions = start_action_server(action_port, quiet=quiet, extra_env=extra)
        stack.callback(stop, actions)
        server = start_rasa_server(model, port, host="127.0.0.1", endpoints=endpoints,
                                   quiet=quiet, extra_env=extra)
        stack.callback(stop, server)
        yield Servers(f"http://127.0.0.1:{port}", {"rasa": server.pid, "actions": actions.pid})


def bare_model() -> Path:
    """The bare `rasa init` bot's model, created and trained once under var/bench/bare."""
    models = sorted((BARE_DIR / "models").glob("*.tar.gz"))
    if models:
        return models[-1]
    BARE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"creating the bare Rasa bot in {BARE_DIR.relative_to(ROOT)} (rasa init, trains once) …",
          flush=True)
    if (BARE_DIR / "domain.yml").is_file():
        cmd = [BARE_RASA, "train"]
    else:
        cmd = [BARE_RASA, "init", "--no-prompt", "--init-dir", str(BARE_DIR)]
    subprocess.run(cmd, cwd=BARE_DIR, env=env(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    models = sorted((BARE_DIR / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init left no model in {BARE_DIR / 'models'}")
    return models[-1]


@contextmanager
def bare_server(model: Path, quiet: bool = True) -> Iterator[Servers]:
    """Plain `rasa run` of the bare bot (its credentials.yml: the rest channel)."""
    port = free_port()
    out = subprocess.DEVNULL if quiet else None
    e = env()
    e.pop("PYTHONPATH", None)
    proc = subprocess.Popen([BARE_RASA, "run", "--model", str(model), "--port", str(port),
                             "--interface", "127.0.0.1", "--credentials", "credentials.yml",
                             "--endpoints", "endpoints.yml"],
                            cwd=BARE_DIR, env=e, stdout=out, stderr=out, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/webhooks/rest/", proc, 600)
        yield Servers(f"http://127.0.0.1:{port}", {"rasa": proc.pid})
    finally:
        stop(proc)


def production_model(arg: str | None) -> Path:
    return Path(arg) if arg else ensure_model("config.yml", "yibao")


# ---- latency ---------------------------------------------------------------------------------
def fmt_ms(x: float) -> str:
    return f"{x * 1000:,.0f} ms"


def cmd_latency(args: argparse.Namespace) -> int:
    model = production_model(args.model)
    bare = bare_model()
    ours_d = our_dialogues()
    bare_d = bare_dialogues(ours_d)
    turns = sum(len(d.turns) for d in ours_d)
    print(f"turn latency via POST /webhooks/rest/webhook — {len(ours_d)} dialogues, {turns} turns "
          f"per round, {args.rounds} rounds per side and concurrency; ours: {model.relative_to(ROOT) if model.is_relative_to(ROOT) else model} "
          f"(+ action server, SQLite tracker store); bare: rasa init mood bot ({bare.name})", flush=True)
    failed = False
    with our_servers(model) as ours, bare_server(bare) as bare_srv:
        # warm-up: first requests load lazily (TF functions, action server imports, FAQ index)
        replay(ours.base, ours_d, 2, "warm")
        replay(bare_srv.base, bare_d, 2, "warm")
        for concurrency in args.concurrency:
            res = {"ours": RunResult(), "bare": RunResult()}
            loads = []
            for r in range(args.rounds):
                loads.append(loadavg())
                res["ours"].add(replay(ours.base, ours_d, concurrency, f"c{concurrency}r{r}",
                                       list(ours.pids.values())))
                res["bare"].add(replay(bare_srv.base, bare_d, concurrency, f"c{concurrency}r{r}",
                                       list(bare_srv.pids.values())))
            print(f"\n{concurrency} concurrent conversation{'s' if concurrency > 1 else ''} "
                  f"(load avg before each round: {' | '.join(loads)}; now {loadavg()}):")
            q = {side: {p: percentile(r.latencies, p) for p in (50, 95, 99)} for side, r in res.items()}
            for side, r in res.items():
                print(f"  {side:4}: p50 {fmt_ms(q[side][50]):>9}  p95 {fmt_ms(q[side][95]):>9}  "
                      f"p99 {fmt_ms(q[side][99]):>9}   {len(r.latencies)} turns, "
                      f"{len(r.latencies) / r.seconds:.1f} turns/s, server CPU "
                      f"{r.cpu_ms_per_turn:.0f} ms/turn, errors {len(r.errors)}"
                      + (f", replies missing an expected text {r.missed}" if side == "ours" else ""))
                for e in r.errors[:5]:
                    print(f"        error: {e}")
                failed |= bool(r.errors)
            ratios = {p: q["ours"][p] / q["bare"][p] for p in (50, 95, 99)}
            print(f"  ours/bare: p50 ×{ratios[50]:.2f}  p95 ×{ratios[95]:.2f}  p99 ×{ratios[99]:.2f}"
                  + (f"   — target p95 ≤ ×{LATENCY_TARGET}: "
                     f"{'met' if ratios[95] <= LATENCY_TARGET else 'NOT met'}" if concurrency == 20 else ""))
    busy = busy_processes()
    if busy:
        print(f"  (other heavy processes were running: {len(busy)}; figures are pessimistic)")
    return 1 if failed else 0


# ---- RSS -------------------------------------------------------------------------------------
def cmd_rss(args: argparse.Namespace) -> int:
    model = production_model(args.model)
    ours_d = our_dialogues()
    dialogues = [ours_d[i % len(ours_d)] for i in range(args.conversations)]
    with our_servers(model) as ours:
        at_ready = {k: rss_mb(p) for k, p in ours.pids.items()}
        started, load0 = time.perf_counter(), loadavg()
        result = replay(ours.base, dialogues, args.concurrency, "rss")
        elapsed = time.perf_counter() - started
        after = {k: rss_mb(p) for k, p in ours.pids.items()}
    total = sum(after.values())
    print(f"server RSS (VmRSS, Rasa server + action server, each with children; load avg "
          f"{load0} before, {loadavg()} after):")
    print(f"  at ready:  {sum(at_ready.values()):,.0f} MB (rasa {at_ready['rasa']:,.0f} + "
          f"actions {at_ready['actions']:,.0f})")
    print(f"  after {args.conversations:,} conversations ({len(result.latencies):,} turns, "
          f"{args.concurrency} at once, {elapsed:.0f} s, errors {len(result.errors)}): "
          f"{total:,.0f} MB (rasa {after['rasa']:,.0f} + actions {after['actions']:,.0f})"
          f" — target ≤ {RSS_TARGET_MB:,} MB: {'met' if total <= RSS_TARGET_MB else 'NOT met'}")
    for e in result.errors[:5]:
        print(f"    error: {e}")
    return 1 if result.errors else 0


# ---- training --------------------------------------------------------------------------------
# Rasa 3.6 (rasa/engine/training/hooks.py): "Starting to train component 'X'." / "Finished training
# component 'X'." at INFO, each line led by its timestamp.
COMPONENT_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*?(Starting to train|Finished training) "
                            r"component '([^']+)'")


def component_times(log: str) -> list[tuple[str, float]]:
    """(component, seconds) from Rasa's INFO lines, in training order (1-s resolution)."""
    from datetime import datetime
    open_: dict[str, datetime] = {}
    out = []
    for line in log.splitlines():
        m = COMPONENT_LINE.search(line)
        if not m:
            continue
        t = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        if m.group(2).startswith("Starting"):
            open_[m.group(3)] = t
        elif m.group(3) in open_:
            out.append((m.group(3), (t - open_.pop(m.group(3))).total_seconds()))
    return out


def cmd_train(args: argparse.Namespace) -> int:
    digest = inputs_hash(args.config)
    with tempfile.TemporaryDirectory(prefix="yibao-bench-train-") as tmp:
        load0 = loadavg()
        started = time.perf_counter()
        proc = subprocess.run([*RASA, "train", "--config", args.config, "--domain", "domain.yml",
                               "--data", "data", "--out", tmp, "--fixed-model-name", "yibao",
                               "--force"],
                              cwd=ROOT, env=env(), capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0:
            print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
            print(f"training FAILED (exit {proc.returncode})")
            return 1
        log = proc.stdout + proc.stderr
        print(f"full training (rasa train --force, {args.config}, {os.cpu_count()} cores; load avg "
              f"{load0} before, {loadavg()} after): {elapsed:.0f} s = {elapsed / 60:.1f} min"
              f" — target ≤ {TRAIN_TARGET_S // 60} min: {'met' if elapsed <= TRAIN_TARGET_S else 'NOT met'}")
        times = component_times(log)
        accounted = sum(s for _, s in times)
        for name, seconds in sorted(times, key=lambda x: -x[1]):
            if seconds >= 1:
                print(f"  {name:32} {seconds:6.0f} s  ({seconds / elapsed:4.0%})")
        print(f"  {'rest (loading, packaging, …)':32} {elapsed - accounted:6.0f} s  "
              f"({(elapsed - accounted) / elapsed:4.0%})")
        target = model_path("yibao")
        if args.config == "config.yml" and not target.is_file():
            MODELS.mkdir(exist_ok=True)
            VAR.mkdir(exist_ok=True)
            shutil.copy(Path(tmp) / "yibao.tar.gz", target)
            hash_file("yibao").write_text(digest + "\n")
            print(f"  ({target.relative_to(ROOT)} was missing: installed this model)")
    return 0


# ---- one long conversation -------------------------------------------------------------------
LONG_TARGET = 1.5          # median turn latency, turns 290-300 / turns 5-15


def cmd_long(args: argparse.Namespace) -> int:
    """One conversation of `turns` turns: a turn late in it must cost what an early one does (the
    tracker store rolls a long session over, bot/rasa/session_bound.py)."""
    import urllib.request
    model = production_model(args.model)
    said = [t for d in our_dialogues() for t in d.turns]
    latencies: list[float] = []
    with our_servers(model) as servers:
        url = f"{servers.base}/webhooks/rest/webhook"
        sender = f"bench-long-{uuid.uuid4().hex[:8]}"
        for k in range(args.turns):
            body = json.dumps({"sender": sender, "message": said[k % len(said)]}).encode("utf-8")
            request = urllib.request.Request(url, data=body, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {REST_TOKEN}"})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
            latencies.append(time.perf_counter() - started)
            time.sleep(0.5)            # under the per-sender rate limit (20 in 10 s)
    early = sorted(latencies[4:15])[5]
    late = sorted(latencies[-11:])[5]
    ratio = late / early
    print(f"one conversation of {args.turns} turns ({model.name}): median turn latency turns 5-15 "
          f"{fmt_ms(early)}, last 11 turns {fmt_ms(late)} — ×{ratio:.2f} (target ≤ ×{LONG_TARGET})",
          flush=True)
    return 0 if ratio <= LONG_TARGET else 1


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    lat = sub.add_parser("latency")
    lat.add_argument("--rounds", type=int, default=4)
    lat.add_argument("--concurrency", type=int, nargs="+", default=[1, 20])
    lat.add_argument("--model")
    rss = sub.add_parser("rss")
    rss.add_argument("--conversations", type=int, default=1000)
    rss.add_argument("--concurrency", type=int, default=20)
    rss.add_argument("--model")
    tr = sub.add_parser("train")
    tr.add_argument("--config", default="config.yml")
    lg = sub.add_parser("long")
    lg.add_argument("--turns", type=int, default=300)
    lg.add_argument("--model")
    al = sub.add_parser("all")
    al.add_argument("--model")
    args = ap.parse_args(argv)
    os.chdir(ROOT)
    if args.command == "latency":
        return cmd_latency(args)
    if args.command == "rss":
        return cmd_rss(args)
    if args.command == "train":
        return cmd_train(args)
    if args.command == "long":
        return cmd_long(args)
    status = cmd_train(argparse.Namespace(config="config.yml"))
    status |= cmd_latency(argparse.Namespace(rounds=4, concurrency=[1, 20], model=args.model))
    status |= cmd_rss(argparse.Namespace(conversations=1000, concurrency=20, model=args.model))
    status |= cmd_long(argparse.Namespace(turns=300, model=args.model))
    return status


if __name__ == "__main__":
    sys.exit(main())
