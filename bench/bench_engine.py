"""Engine answers per second: mixed kinds, full results with traces, one core.

Every step's Chinese text is built while computing (nothing is deferred to render), so the first
figure includes all the formatting an answer needs. The second adds render(result), the text a
resident is sent, which is what one reply costs the assistant. Each figure is the median of
BENCH_RUNS runs (default 5) of BENCH_SECONDS each (default 1), printed with the slowest and the
fastest run: this VM's speed swings by ±20% within minutes, and one long run took whatever the
machine did at that moment.

One core: the engine runs in one thread. The process is not pinned to a core: it was pinned to the
first one until session 7, and on the reference VM that core measured about a fifth slower than
the other (interleaved runs of the same code: 32.7k–43.3k answers/s pinned to CPU 0, 44.2k–49.7k
pinned to CPU 1, 47.5k–50.0k unpinned), so the figure depended on which core the pin chose.
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.policy import (CALCULATORS, AssistanceInputs, CapInputs, ChainInputs,  # noqa: E402
                        CriticalInputs, DrugInputs, InpatientInputs, OutpatientInputs,
                        AccountInputs, WaitingInputs, load_rulebook, render)

MIX = [
    ("waiting", WaitingInputs(region="新疆", year=2026, gap_years=5, paid_back_years=3)),
    ("waiting", WaitingInputs(region="龙口", year=2026, gap_years=2)),
    ("cap", CapInputs(region="新疆", year=2040, years_insured=16, zero_claim_years=2)),
    ("cap", CapInputs(region="山东", year=2026, zero_claim_years=1)),
    ("inpatient", InpatientInputs(region="平遥", price_class="2-county", expense=20000, year=2026)),
    ("outpatient", OutpatientInputs(region="江西", level=3, expense=6000, retired=True, year=2026)),
    ("account", AccountInputs(region="南昌", base=6000, year=2026)),
    ("critical", CriticalInputs(region="烟台", burden=150000, group="dibao", year=2026)),
    ("drug", DrugInputs(region="烟台", expense=100000, group="tekun", year=2026)),
    ("assistance", AssistanceInputs(region="烟台", burden=50000, groups="tekun", year=2026)),
    ("chain", ChainInputs(region="烟台", burden=50000, groups="dibao", year=2026)),
]


def answers_per_second(seconds: float, rendered: bool) -> tuple[float, int]:
    rules = load_rulebook()
    n = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for kind, inputs in MIX:
            result = CALCULATORS[kind](rules, inputs)
            assert result.steps
            if rendered:
                render(result)
        n += len(MIX)
    return n / (time.perf_counter() - start), n


TARGET = 50_000          # answers/s (issue 6)


def runs(count: int, seconds: float, rendered: bool) -> list[float]:
    return [answers_per_second(seconds, rendered)[0] for _ in range(count)]


def main() -> None:
    rules = load_rulebook()
    for kind, inputs in MIX:                                         # warm caches
        render(CALCULATORS[kind](rules, inputs))
    seconds = float(os.environ.get("BENCH_SECONDS", "1"))
    count = int(os.environ.get("BENCH_RUNS", "5"))
    how = f"{count} runs of {seconds:g} s"
    rates = runs(count, seconds, rendered=False)
    median = statistics.median(rates)
    print(f"engine: {median:,.0f} answers/s, median of {how} (slowest {min(rates):,.0f}, fastest "
          f"{max(rates):,.0f}; mixed {len(MIX)} kinds, with traces, one thread) — target ≥ "
          f"{TARGET:,}/s: {'met' if median >= TARGET else 'NOT met'}")
    rates = runs(count, seconds, rendered=True)
    print(f"engine + render: {statistics.median(rates):,.0f} answers/s, median of {how} (the same, "
          f"each also rendered as the reply text)")


if __name__ == "__main__":
    main()
