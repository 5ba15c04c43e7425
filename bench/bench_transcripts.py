"""Transcript batch throughput: caller turns per second through the whole pipeline.

    python bench/bench_transcripts.py [--min-turns 500] [--workers N] [--actions inprocess|server]
                                      [--uncached-validation] [--profile FILE] [--model PATH]

The sample data/samples/hotline.jsonl is repeated (call ids made distinct) until it holds at
least --min-turns caller turns, then processed into a temporary database exactly as
`python -m bot transcripts` does (mask → normalise → Rasa with the custom actions → figure →
SQLite), after the model is loaded and one pass over the sample (per worker) has warmed it up.
Prints caller turns per wall-clock second (and, with one process, per CPU second of it).
--workers N runs the calls in N processes as `python -m bot transcripts --workers N` does
(--uncached-validation applies to one process only); without it, as many as the CLI chooses for
that many caller turns (bot.transcripts.workers.auto_workers: 2 on 2 cores for ≥ 500).
Target: ≥ 100 caller turns/s on the 2-core reference machine.

Measured (~550 caller turns, wall-clock; bench/README.md has every run):
  2026-11-24, CI model: with TEDPolicy 13.8/s, without 26.0/s, fake features 29.6/s, 2 workers 56.5/s
  session 5 (full model):                           33.0/s one process, 64.6/s 2 workers
  session 6: response validation fast path           43.2/s one process
             + FaqResponseSelector                   50.3/s
             + turns of 16 calls parsed together     66.2/s one process, 152.6/s 2 workers
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.rasa.quiet import quiet_environment  # noqa: E402
from bot.transcripts.reader import Call, Transcript, read_transcript  # noqa: E402
from bot.transcripts.workers import auto_workers  # noqa: E402

SAMPLE = ROOT / "data" / "samples" / "hotline.jsonl"
TARGET = 100.0


def repeated(transcript: Transcript, min_turns: int) -> Transcript:
    per_copy = sum(len(c.caller_turns) for c in transcript.calls)
    copies = max(1, -(-min_turns // per_copy))
    calls = []
    for k in range(copies):
        for call in transcript.calls:
            call_id = f"{call.call_id}-r{k}"
            calls.append(Call(call_id, tuple(dataclasses.replace(t, call_id=call_id) for t in call.turns)))
    return Transcript(calls=tuple(calls), bad_lines=())


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--min-turns", type=int, default=500)
    parser.add_argument("--actions", choices=("inprocess", "server"), default="inprocess")
    parser.add_argument("--uncached-validation", action="store_true",
                        help="Rasa's own response validation (re-checks the schema every action)")
    parser.add_argument("--profile", help="write a pyinstrument profile (text) of the timed part here")
    parser.add_argument("--model", default=str(ROOT / "models" / "yibao-ci.tar.gz"))
    parser.add_argument("--workers", type=int, default=None,
                        help="processes (python -m bot transcripts --workers); 1 = this process; "
                             "default: what the CLI chooses")
    args = parser.parse_args(argv)

    quiet_environment()
    from bot.rasa.fixes.response_validation import cached_response_validation
    from bot.transcripts.batch import run_batch
    from bot.transcripts.store import TranscriptStore
    from bot.transcripts.cli import loaded_assistant, worker_pool

    transcript = repeated(read_transcript(SAMPLE), args.min_turns)
    turns = sum(len(c.caller_turns) for c in transcript.calls)
    if args.workers is None:
        args.workers = auto_workers(turns)
    validation = contextlib.nullcontext() if args.uncached_validation else cached_response_validation()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        with contextlib.ExitStack() as stack:
            load = time.perf_counter()
            model = Path(args.model)
            if args.workers > 1:            # exactly as `python -m bot transcripts --workers N`
                assistant = stack.enter_context(
                    worker_pool(model, args.actions, db, args.workers, err=_stderr))
            else:
                assistant = stack.enter_context(loaded_assistant(model, args.actions, db, err=_stderr))
                stack.enter_context(validation)
            # warm-up: every path once in each process (FAQ index …); the model loads meanwhile
            warm = read_transcript(SAMPLE).calls
            for _ in assistant.run_calls([dataclasses.replace(c, call_id="warm-up-" + c.call_id)
                                          for c in warm * args.workers]):
                pass
            load = time.perf_counter() - load
            store = TranscriptStore(db)
            profiler = None
            if args.profile:
                from pyinstrument import Profiler
                profiler = Profiler()
                profiler.start()
            wall, cpu = time.perf_counter(), time.process_time()
            result = run_batch(transcript, store, assistant, source="bench")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if profiler:
                profiler.stop()
                Path(args.profile).write_text(profiler.output_text(unicode=True, color=False))
            store.close()
    assert result.caller_turns == turns and not result.failed, result
    rate = turns / wall
    per_cpu = f"{turns / cpu:.1f} per CPU second of this process" if args.workers == 1 else \
        f"{args.workers} worker processes"
    print(f"transcripts: {rate:.1f} caller turns/s wall-clock, {per_cpu} "
          f"({turns} caller turns, {len(transcript.calls)} calls, {wall * 1000 / turns:.0f} ms each; "
          f"actions={args.actions}, validation={'uncached' if args.uncached_validation else 'cached'}; "
          f"model loaded and warmed up in {load:.0f} s) — target ≥ {TARGET:.0f}/s: "
          f"{'met' if rate >= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
