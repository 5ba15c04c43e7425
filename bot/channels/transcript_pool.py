"""Several worker processes for a large transcript batch.

Calls are independent conversations, so a batch spreads over processes: each worker loads the
model once (bot.channels.transcript_assistant.HotlineAssistant, actions in its own process or
the one shared action server) and runs whole calls; the parent keeps the progress bar and is
the only writer of the call records. Results come back in the order of the calls, so the
database is the same as a one-process run's (tests/channels/test_transcripts.py).

Workers are started with `spawn` (TensorFlow must not be forked) and inherit the environment,
so the actions' hand-offs and audit rows go where the parent's YIBAO_ASSISTANT_DB says.
The model takes about half a minute to load in each worker, in parallel: a small file is
quicker with one process, hence `auto_workers`.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from bot.channels.transcript_input import Call

if TYPE_CHECKING:
    from rasa.core.channels.channel import UserMessage

    from bot.channels.transcript_assistant import HotlineAssistant
    from bot.channels.transcript_outcome import TurnOutcome

# Below this many caller turns to process, loading the model in more processes costs more
# than it saves (one caller turn takes ~15 ms; loading the model ~25 s per worker).
MIN_TURNS_PER_EXTRA_WORKER = 500
MAX_WORKERS = 4               # each worker holds a model (~1 GB)
# Calls whose caller turns are understood in one go (one DIET call for all their turns); also
# the unit of work a worker is given.
PARSE_AHEAD_CALLS = 16


@dataclass(frozen=True)
class CallRun:
    """One call's outcome: the turns' outcomes, or why the call failed (masked later)."""
    call: Call
    outcomes: "list[TurnOutcome] | None"
    error: str | None = None


def auto_workers(caller_turns: int, cpus: int | None = None) -> int:
    """One process per MIN_TURNS_PER_EXTRA_WORKER caller turns, at most one per core and
    MAX_WORKERS."""
    cpus = cpus or os.cpu_count() or 1
    wanted = 1 + caller_turns // MIN_TURNS_PER_EXTRA_WORKER
    return max(1, min(wanted, cpus, MAX_WORKERS))


def run_calls(assistant: "HotlineAssistant", calls: Sequence[Call]) -> Iterator[CallRun]:
    """Calls one after the other in this process, the caller turns of PARSE_AHEAD_CALLS calls
    understood together first (HotlineAssistant.parse_ahead)."""
    from bot.channels.transcript_batch import process_call

    for start in range(0, len(calls), PARSE_AHEAD_CALLS):
        chunk = calls[start:start + PARSE_AHEAD_CALLS]
        for call, parsed in zip(chunk, _parsed_ahead(assistant, chunk)):
            try:
                yield CallRun(call, process_call(assistant, call, parsed))
            except Exception as exc:      # one bad call never stops the batch
                yield CallRun(call, None, f"{type(exc).__name__}: {exc}")


def _parsed_ahead(assistant: "HotlineAssistant",
                  calls: Sequence[Call]) -> "list[list[UserMessage] | None]":
    """Each call's caller turns as parsed messages. If parsing them together fails, None for
    every call: each then parses its own turns, so one bad call cannot fail the others."""
    from bot.channels.transcript_batch import caller_texts, sender_for

    try:
        per_call = [[assistant.message(sender_for(c.call_id), text) for text in caller_texts(c)]
                    for c in calls]
        assistant.parse_ahead([m for messages in per_call for m in messages])
    except Exception:
        return [None] * len(calls)
    return per_call


# ---- worker side ---------------------------------------------------------------------------
# The worker's assistant lives for the worker process's life: multiprocessing initialisers can
# only hand state to later tasks through the worker module.
_worker: dict[str, object] = {}


def _start_worker(model: str, action_url: str | None) -> None:
    from bot.channels.transcript_assistant import HotlineAssistant, quiet_environment

    quiet_environment()
    from bot.channels.transcript_actions import (InProcessActionEndpoint, _executor,
                                                 install_cached_response_validation)
    from rasa.utils.endpoints import EndpointConfig

    install_cached_response_validation()
    endpoint = EndpointConfig(url=action_url) if action_url else InProcessActionEndpoint(_executor())
    _worker["assistant"] = HotlineAssistant(model, endpoint)


def _run_in_worker(calls: Sequence[Call]) -> list[CallRun]:
    return list(run_calls(_worker["assistant"], calls))   # type: ignore[arg-type]


class WorkerPool:
    """`run_calls(calls)` → one CallRun per call, in order, computed by `workers` processes."""

    def __init__(self, model_path: Path | str, workers: int, action_url: str | None = None) -> None:
        self.model_path = Path(model_path)
        # A worker whose model fails to load breaks the pool (BrokenProcessPool on the first
        # result) instead of being restarted forever.
        self._pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker, initargs=(str(model_path), action_url))

    def run_calls(self, calls: Sequence[Call]) -> Iterator[CallRun]:
        chunks = [calls[k:k + PARSE_AHEAD_CALLS] for k in range(0, len(calls), PARSE_AHEAD_CALLS)]
        for runs in self._pool.map(_run_in_worker, chunks):
            yield from runs

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
