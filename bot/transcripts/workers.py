"""How many worker processes a transcript batch uses when `--workers` is not given."""
from __future__ import annotations

import os

# Below this many caller turns to process, loading the model in more processes costs more
# than it saves (one caller turn takes ~15 ms; loading the model ~25 s per worker).
MIN_TURNS_PER_EXTRA_WORKER = 500
MAX_WORKERS = 4               # each worker holds a model (~1 GB)


def auto_workers(caller_turns: int, cpus: int | None = None) -> int:
    """One process per MIN_TURNS_PER_EXTRA_WORKER caller turns, at most one per core and
    MAX_WORKERS."""
    cpus = cpus or os.cpu_count() or 1
    wanted = 1 + caller_turns // MIN_TURNS_PER_EXTRA_WORKER
    return max(1, min(wanted, cpus, MAX_WORKERS))
