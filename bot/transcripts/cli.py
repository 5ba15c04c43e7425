"""`python -m bot transcripts FILE [--db var/hotline.db] [--encoding E] [--strict] [--redo] [--report] …`.

Runs the caller turns of recorded hotline calls (JSON Lines, CSV in UTF-8/GBK/GB18030 or xlsx,
English or Chinese column names; see bot.transcripts.reader) through the assistant and stores
every turn, the agent's too, with its intent, answer and figure in a SQLite database
(bot.transcripts.store), then prints a Chinese summary (bot.transcripts.summary). `--report`
prints the summary of the database without processing anything and writes the one-page HTML
report next to it (bot.transcripts.report_html); `--search 文字` lists the turns that hold every
word of a Chinese query typed without spaces (the database's full-text index).

Exit codes: 0 the run completed (lines that had to be skipped and calls that failed are each
reported on stderr, and counted); 1 nothing could be processed (no valid call in the file, or
every call failed), or with --strict any line was skipped or any call failed; 2 bad options, an
unreadable file, no model, or a database that cannot be written.
"""
from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from tqdm import tqdm

from bot.arguments import ChineseArgumentParser
from bot.rasa.quiet import quiet_environment
from bot.run import DEFAULT_NAME, ROOT, model_is_current, model_path
from bot.transcripts.batch import BatchResult, run_batch
from bot.transcripts.reader import Transcript, TranscriptFileError, read_transcript
from bot.transcripts.store import TranscriptStore
from bot.transcripts.report_html import write_report
from bot.transcripts.summary import render, summarize
from bot.transcripts.workers import auto_workers

if TYPE_CHECKING:
    from bot.transcripts.assistant import HotlineAssistant
    from bot.transcripts.pool import WorkerPool

# The modules that load Rasa (4 s, 600 MB) are imported inside the functions that run a model,
# after quiet_environment(): `--help`, `--report` and bad options answer without them.

DEFAULT_DB = ROOT / "var" / "hotline.db"
FALLBACK_MODELS = ("yibao-ci",)      # same pipeline as config.yml, fewer epochs


class TranscriptsArgumentParser(ChineseArgumentParser):
    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            message = message.replace("python -m bot calc --help", "python -m bot transcripts --help")
        super().exit(status, message)


def build_parser() -> argparse.ArgumentParser:
    p = TranscriptsArgumentParser(prog="python -m bot transcripts",
                                  description="批量处理热线通话记录(JSON Lines、CSV 或 Excel),结果写入 SQLite")
    p.add_argument("file", nargs="?", help="通话记录文件(.jsonl、.csv 或 .xlsx)")
    p.add_argument("--db", default=str(DEFAULT_DB), help="结果数据库(默认 var/hotline.db)")
    p.add_argument("--encoding", help="CSV 文件的编码(默认自动识别:UTF-8、GBK、GB18030)")
    p.add_argument("--strict", action="store_true", help="有任何一行被跳过或任何通话失败时,以 1 退出")
    p.add_argument("--redo", action="store_true", help="重新处理数据库中已有的通话(替换原结果)")
    p.add_argument("--report", action="store_true",
                   help="只打印数据库的汇总,并在数据库旁写一页网页版汇总(.html),不处理")
    p.add_argument("--search", metavar="文字", help="在数据库的所有发言中查找(中文不用空格),不处理")
    p.add_argument("--model", help="Rasa 模型(默认 models/yibao.tar.gz,没有时用 models/yibao-ci.tar.gz)")
    p.add_argument("--actions", choices=("inprocess", "server"), default="inprocess",
                   help="自定义动作在本进程内运行(默认),或启动动作服务器")
    p.add_argument("--workers", type=_workers, default=None, metavar="N",
                   help="并行处理的进程数(默认按待处理的来电者发言数自动决定:"
                        "每 500 句加一个进程,不超过 CPU 核数和 4;每个进程各自加载模型)")
    return p


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 64:
        raise argparse.ArgumentTypeError(f"进程数应为 1–64 的整数,不是 {text!r}")
    return value


def default_model(err: Callable[[str], None]) -> Path | None:
    """The model `make run` serves; else a fallback model of the same pipeline; else None."""
    served = model_path(DEFAULT_NAME)
    if served.is_file():
        if not model_is_current("config.yml", DEFAULT_NAME):
            err(f"提示:{served.relative_to(ROOT)} 不是当前数据和配置的训练结果(make train 可更新)。")
        return served
    for name in FALLBACK_MODELS:
        candidate = model_path(name)
        if candidate.is_file():
            err(f"提示:没有 {served.relative_to(ROOT)},改用 {candidate.relative_to(ROOT)}"
                f"(流程相同,训练轮数较少;make train 可生成正式模型)。")
            return candidate
    return None


def _search(db: Path, query: str, out: Callable[[str], None]) -> int:
    store = TranscriptStore(db)
    try:
        found = store.search(query)
    finally:
        store.close()
    who = {"caller": "来电人", "agent": "坐席"}
    for row in found:
        out(f"通话 {row['call_id']} 第 {row['position']} 句({who.get(row['speaker'], row['speaker'])}):{row['text']}")
    out(f"共找到 {len(found)} 句。")
    return 0


def source_of(file: str) -> str:
    return str(Path(file).resolve())


def _stderr(message: str) -> None:
    tqdm.write(message, file=sys.stderr)     # never tears the progress bar


def main(argv: Sequence[str] | None = None, out: Callable[[str], None] = print,
         err: Callable[[str], None] = _stderr,
         assistant: "HotlineAssistant | None" = None) -> int:
    """Exit code (see the module docstring). `assistant`: an already loaded one (tests)."""
    a = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    db = Path(a.db)
    if a.report or a.search is not None:
        if not db.is_file():
            err(f"错误:数据库 {db} 不存在。")
            return 2
        if a.search is not None:
            return _search(db, a.search, out)
        out(render(summarize(db, source_of(a.file) if a.file else None)))
        out(f"网页版汇总:{write_report(db)}")
        return 0
    if not a.file:
        err("错误:请给出通话记录文件,或用 --report 只看汇总。用法见:python -m bot transcripts --help")
        return 2
    if a.model and not Path(a.model).is_file():
        err(f"错误:找不到模型 {a.model}。")
        return 2
    try:
        transcript = read_transcript(a.file, a.encoding)
    except TranscriptFileError as exc:
        err(f"错误:{exc.message}")
        return 2
    for bad in transcript.bad_lines:
        err(bad.render())
    if not transcript.calls:
        err("错误:文件中没有可以处理的通话(每一行都被跳过了,或文件是空的)。")
        return 1
    try:
        store = TranscriptStore(db)
    except (OSError, sqlite3.Error) as exc:
        err(f"错误:无法写入数据库 {db}:{exc}")
        return 2
    try:
        done = set() if a.redo else store.done_calls()
        if not any(c.call_id not in done for c in transcript.calls):
            result = BatchResult(processed=0, skipped=len(transcript.calls), failed=(),
                                 caller_turns=0, seconds=0.0, unconfirmed=0)
        elif assistant is not None:
            result = _run(transcript, store, assistant, a, err)
        else:
            model = Path(a.model) if a.model else default_model(err)
            if model is None:
                err("错误:没有训练好的模型,请先运行 make train。")
                return 2
            todo_turns = sum(len(c.caller_turns) for c in transcript.calls if c.call_id not in done)
            workers = a.workers or auto_workers(todo_turns)
            if workers > 1:
                try:
                    with worker_pool(model, a.actions, store.path, workers, err) as pool:
                        result = _run(transcript, store, pool, a, err)
                except BrokenProcessPool:
                    err("错误:处理进程意外退出(模型无法加载或内存不足)。已处理完的通话已写入数据库,"
                        "重新运行会从未处理的通话继续。")
                    return 2
            else:
                with loaded_assistant(model, a.actions, store.path, err) as loaded:
                    result = _run(transcript, store, loaded, a, err)
    finally:
        store.close()
    speed = f",{result.caller_turns / result.seconds:.1f} 句/秒" if result.seconds else ""
    out(f"本次处理 {result.processed} 通通话(已在数据库中而跳过 {result.skipped} 通,"
        f"失败 {len(result.failed)} 通,格式错误的行 {len(transcript.bad_lines)} 行),"
        f"来电者发言 {result.caller_turns} 句,用时 {result.seconds:.1f} 秒{speed}。")
    out(render(summarize(db)))
    if result.failed and not result.processed:
        return 1                                  # every call to do failed: nothing processed
    if a.strict and (transcript.bad_lines or result.failed):
        return 1
    return 0


@contextlib.contextmanager
def loaded_assistant(model: Path, actions: str, db: Path,
                     err: Callable[[str], None]) -> Iterator["HotlineAssistant"]:
    """The model loaded once, with the custom actions run as `actions` says (stopped after)."""
    quiet_environment()
    # Rasa loads here, after quiet_environment(), only when a model runs (see the note above).
    from bot.transcripts.action_modes import ACTION_MODES
    from bot.transcripts.assistant import HotlineAssistant

    err(f"加载模型 {model} ……")
    with ACTION_MODES[actions](db) as endpoint:
        assistant = HotlineAssistant(model, endpoint)
        try:
            yield assistant
        finally:
            assistant.close()


@contextlib.contextmanager
def worker_pool(model: Path, actions: str, db: Path, workers: int,
                err: Callable[[str], None]) -> Iterator["WorkerPool"]:
    """`workers` processes, each with the model loaded; one shared action server with
    `--actions server`."""
    quiet_environment()
    # Rasa loads here, after quiet_environment(), only when a model runs (see the note above).
    from bot.transcripts.action_modes import action_server, assistant_db
    from bot.transcripts.pool import WorkerPool

    err(f"用 {workers} 个进程处理,每个进程加载模型 {model} ……")
    with contextlib.ExitStack() as stack:
        url = None
        if actions == "server":
            url = stack.enter_context(action_server(db)).url
        else:
            stack.enter_context(assistant_db(db))      # inherited by the workers
        pool = WorkerPool(model, workers, action_url=url)
        try:
            yield pool
        finally:
            pool.close()


def _run(transcript: Transcript, store: TranscriptStore, assistant: "HotlineAssistant | WorkerPool",
         a: argparse.Namespace, err: Callable[[str], None]) -> BatchResult:
    # loads Rasa: only when a model runs (see the note above)
    from bot.rasa.fixes.response_validation import cached_response_validation

    with cached_response_validation():
        return run_batch(transcript, store, assistant, source_of(a.file), redo=a.redo, err=err)
