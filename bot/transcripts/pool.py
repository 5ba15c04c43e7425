"""Several worker processes for a large transcript batch.

Calls are independent conversations, so a batch spreads over processes: each worker loads the
model once (bot.transcripts.assistant.HotlineAssistant, actions in its own process or the one
shared action server) and runs whole calls; the parent keeps the progress bar and is the only
writer of the call records. Results come back in the order of the calls, so the database is the
same as a one-process run's (tests/transcripts/test_transcripts.py).

Workers are started with `spawn` (TensorFlow must not be forked) and inherit the environment,
so the actions' hand-offs and audit rows go where the parent's YIBAO_ASSISTANT_DB says.
The model takes about half a minute to load in each worker, in parallel: a small file is
quicker with one process, hence `auto_workers` (bot.transcripts.workers).

Import it after bot.rasa.quiet.quiet_environment(): it loads Rasa and TensorFlow.
"""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Iterator, Sequence

from rasa.utils.endpoints import EndpointConfig

from bot.rasa.fixes.response_validation import install_cached_response_validation
from bot.rasa.inprocess_actions import InProcessActionEndpoint, executor
from bot.transcripts.assistant import PARSE_AHEAD_CALLS, CallRun, HotlineAssistant
from bot.run import action_token
from bot.transcripts.reader import Call

# ---- worker side ---------------------------------------------------------------------------
# The worker's assistant lives for the worker process's life: multiprocessing initialisers can
# only hand state to later tasks through the worker module.
_worker: dict[str, HotlineAssistant] = {}


def _start_worker(model: str, action_url: str | None) -> None:
    install_cached_response_validation()
    endpoint = (EndpointConfig(url=action_url, token=action_token()) if action_url
                else InProcessActionEndpoint(executor()))
    _worker["assistant"] = HotlineAssistant(model, endpoint)


def _run_in_worker(calls: Sequence[Call]) -> list[CallRun]:
    return list(_worker["assistant"].run_calls(calls))


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
