"""Processing a transcript: each call's caller turns through the assistant, the call stored whole.

Per caller turn: personal data masked (bot.nlp.mask_personal_data) → ASR normaliser
(bot.nlp.normalize) → the assistant, in turn order, one conversation per call (sender id
`hotline-<call_id>`). Agent turns are stored as said (masked), without an answer. A call already
in the database is skipped unless `redo`; a call that fails is reported and not written.
"""
from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from tqdm import tqdm

from bot.dialogue.topics import INTENT_KINDS
from bot.nlp import mask_personal_data
from bot.transcripts.prepare import prepared, sender_for
from bot.transcripts.reader import Call, Transcript
from bot.transcripts.store import CallRecord, TranscriptStore, TurnRecord, to_json

if TYPE_CHECKING:       # these load Rasa; the batch only reads their results
    from bot.transcripts.assistant import HotlineAssistant
    from bot.transcripts.outcome import TurnOutcome
    from bot.transcripts.pool import WorkerPool

# Caller turns asking one of these are unanswered unless a figure follows in the call.
CALCULATION_INTENTS = frozenset(INTENT_KINDS)


@dataclass(frozen=True)
class BatchResult:
    processed: int
    skipped: int                 # already in the database
    failed: tuple[str, ...]      # call ids not written
    caller_turns: int
    seconds: float               # time spent in the assistant and the database
    unconfirmed: int             # answers whose figure could not be matched to the reply


def unanswered_flags(intents: Sequence[str | None], figures: Sequence[bool],
                     fell_back: Sequence[bool], calculation: frozenset[str]) -> list[bool]:
    """A caller turn is unanswered when it fell back, or asked for a calculation and no figure
    was given in that turn or any later one of the call."""
    out = [False] * len(intents)
    figure_later = False
    for i in range(len(intents) - 1, -1, -1):
        figure_later = figure_later or figures[i]
        out[i] = fell_back[i] or (intents[i] in calculation and not figure_later)
    return out


def records_for(call: Call, outcomes: Sequence["TurnOutcome"], source: str, model: str,
                processed_at: str) -> tuple[CallRecord, list[TurnRecord]]:
    caller = call.caller_turns
    assert len(caller) == len(outcomes)
    by_position = dict(zip((t.position for t in caller), outcomes))
    unanswered = dict(zip((t.position for t in caller), unanswered_flags(
        [o.intent for o in outcomes], [o.figure is not None for o in outcomes],
        [o.fell_back for o in outcomes], CALCULATION_INTENTS)))
    turns = []
    for t in call.turns:
        masked, normalized = prepared(t.text)
        o = by_position.get(t.position)
        turns.append(TurnRecord(
            call_id=call.call_id, position=t.position, turn=t.turn, speaker=t.speaker, ts=t.ts,
            text=masked,
            normalized=normalized if o else None,
            intent=o.intent if o else None, confidence=o.confidence if o else None,
            entities=to_json(o.entities) if o else None, slots=to_json(o.slots) if o else None,
            answer=o.answer if o else None,
            figure=o.figure.value if o and o.figure else None,
            unit=o.figure.unit if o and o.figure else None,
            calculation=o.figure.calculation if o and o.figure else None,
            fell_back=bool(o and o.fell_back), unanswered=unanswered.get(t.position, False)))
    stamps = [t.ts for t in call.turns if t.ts]
    record = CallRecord(
        call_id=call.call_id, sender_id=sender_for(call.call_id), source=source,
        turns=len(call.turns), caller_turns=len(caller), agent_turns=len(call.turns) - len(caller),
        figures=sum(o.figure is not None for o in outcomes),
        fallbacks=sum(o.fell_back for o in outcomes),
        first_ts=stamps[0] if stamps else None, last_ts=stamps[-1] if stamps else None,
        model=model, processed_at=processed_at)
    return record, turns


class _CallFailed(Exception):
    """The assistant could not run a call (the reason comes from where it ran)."""


def _stderr(message: str) -> None:
    tqdm.write(message, file=sys.stderr)


def run_batch(transcript: Transcript, store: TranscriptStore,
              assistant: "HotlineAssistant | WorkerPool",
              source: str, redo: bool = False, err: Callable[[str], None] = _stderr) -> BatchResult:
    done = set() if redo else store.done_calls()
    todo = [c for c in transcript.calls if c.call_id not in done]
    failed: list[str] = []
    caller_turns = unconfirmed = 0
    started = time.perf_counter()
    # Always shown on stderr; redrawn at most every 5 s when stderr is a log file, not a terminal.
    bar = tqdm(total=len(todo), unit="通话", desc="处理通话", file=sys.stderr, dynamic_ncols=True,
               mininterval=0.1 if sys.stderr.isatty() else 5.0)
    try:
        for run in assistant.run_calls(todo):
            call, outcomes = run.call, run.outcomes
            try:
                if outcomes is None:
                    raise _CallFailed(run.error or "")
                record, turns = records_for(
                    call, outcomes, source, assistant.model_path.name,
                    dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
                store.save_call(record, turns)
            except Exception as exc:  # one bad call never stops the batch
                failed.append(call.call_id)
                reason = str(exc) if isinstance(exc, _CallFailed) else f"{type(exc).__name__}: {exc}"
                err(f"通话 {call.call_id} 处理失败,未写入数据库:{mask_personal_data(reason)}")
                continue
            finally:
                bar.update(1)
            caller_turns += len(outcomes)
            unconfirmed += sum(o.figure_unconfirmed for o in outcomes)
            elapsed = time.perf_counter() - started
            bar.set_postfix_str(f"{caller_turns / elapsed:.1f} 句/秒" if elapsed else "")
    finally:
        bar.close()
    if unconfirmed:
        err(f"注意:{unconfirmed} 个回答的数字无法与回复文字核对一致,未记录数字。")
    return BatchResult(processed=len(todo) - len(failed), skipped=len(transcript.calls) - len(todo),
                       failed=tuple(failed), caller_turns=caller_turns,
                       seconds=time.perf_counter() - started, unconfirmed=unconfirmed)
