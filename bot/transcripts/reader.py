"""Reading hotline transcripts: JSON Lines or CSV rows → calls made of ordered turns.

A row is `{"call_id", "turn", "speaker": "caller"|"agent", "text", "ts"?}` (CSV: the same column
names in a header line). A malformed row (bad JSON, a missing field, an unknown speaker, a turn
that is not a non-negative integer, empty text, a duplicate turn) becomes a `BadLine` with its
line number and a Chinese reason; the rest of the file is still read. A call id that contains an
ID-card or mobile number is refused too (it would be stored as the key of the call). Rows of one call may be
spread over the file; a call's turns are sorted by turn number.
"""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Union

from bot.nlp import mask_personal_data

SPEAKERS = ("caller", "agent")
FIELDS = ("call_id", "turn", "speaker", "text")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Turn:
    call_id: str
    turn: int
    speaker: str          # "caller" | "agent"
    text: str
    ts: str | None
    line: int             # where it was read (1-based)


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str           # Chinese

    def render(self) -> str:
        return f"第 {self.line} 行格式错误,已跳过:{self.reason}"


@dataclass(frozen=True)
class Call:
    call_id: str
    turns: tuple[Turn, ...]

    @property
    def caller_turns(self) -> tuple[Turn, ...]:
        return tuple(t for t in self.turns if t.speaker == "caller")


@dataclass(frozen=True)
class Transcript:
    calls: tuple[Call, ...]
    bad_lines: tuple[BadLine, ...]


class TranscriptFileError(Exception):
    """The file as a whole cannot be read (missing, undecodable, CSV header without the columns)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


Row = Union[Turn, BadLine]


def detect_format(path: Path, head: str) -> str:
    """"jsonl" or "csv": by extension, else by the first non-blank character of the file."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    return "jsonl" if head.lstrip("\ufeff \t\r\n").startswith("{") else "csv"


def _text_field(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, str)):
        return str(value).strip()
    return None


def row_to_turn(row: Mapping[str, Any], line: int) -> Row:
    """Validate one row (JSON object or CSV record)."""
    missing = [f for f in FIELDS if row.get(f) is None or (isinstance(row.get(f), str) and f != "text"
                                                          and not row[f].strip())]
    if missing:
        return BadLine(line, "缺少字段 " + "、".join(missing))
    call_id = _text_field(row["call_id"])
    if not call_id:
        return BadLine(line, "call_id 必须是非空的字符串或整数")
    if mask_personal_data(call_id) != call_id:
        return BadLine(line, "call_id 含有身份证号或手机号,不能用作通话编号")
    raw_turn = row["turn"]
    if isinstance(raw_turn, bool) or not (
            isinstance(raw_turn, int) or (isinstance(raw_turn, str) and _DIGITS.match(raw_turn.strip()))):
        return BadLine(line, f"turn 必须是非负整数,收到 {json.dumps(raw_turn, ensure_ascii=False)}")
    turn = int(raw_turn.strip()) if isinstance(raw_turn, str) else raw_turn
    if turn < 0:
        return BadLine(line, f"turn 必须是非负整数,收到 {turn}")
    speaker = row["speaker"].strip().lower() if isinstance(row["speaker"], str) else None
    if speaker not in SPEAKERS:
        return BadLine(line, "speaker 只能是 caller 或 agent,收到 "
                       + json.dumps(row["speaker"], ensure_ascii=False))
    text = row["text"]
    if not isinstance(text, str) or not text.strip():
        return BadLine(line, "text 为空" if isinstance(text, str) else "text 必须是字符串")
    ts = row.get("ts")
    ts_text = None if ts is None or ts == "" else (str(ts) if not isinstance(ts, (dict, list)) else None)
    if ts is not None and ts != "" and ts_text is None:
        return BadLine(line, "ts 必须是字符串或数字")
    return Turn(call_id=call_id, turn=turn, speaker=speaker, text=text.strip(), ts=ts_text, line=line)


def read_jsonl(data: bytes) -> Iterator[Row]:
    for number, raw in enumerate(data.splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield BadLine(number, "不是有效的 UTF-8 文本")
            continue
        if number == 1:
            line = line.lstrip("\ufeff")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadLine(number, f"不是有效的 JSON(第 {exc.colno} 个字符附近)")
            continue
        if not isinstance(obj, dict):
            yield BadLine(number, "每行必须是一个 JSON 对象")
            continue
        yield row_to_turn(obj, number)


def read_csv(data: bytes) -> Iterator[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TranscriptFileError(f"CSV 文件不是有效的 UTF-8 文本(第 {exc.start} 个字节附近)") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return
    absent = [f for f in FIELDS if f not in header]
    if absent:
        raise TranscriptFileError("CSV 表头缺少列 " + "、".join(absent)
                                  + "(需要 call_id,turn,speaker,text,可选 ts)")
    start = reader.line_num + 1
    for record in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            yield BadLine(line, f"列数过多({len(record)} 列,表头 {len(header)} 列)")
            continue
        yield row_to_turn(dict(zip(header, record)), line)


def group_calls(rows: Iterable[Row]) -> Transcript:
    """Calls in order of first appearance, turns sorted; duplicate (call, turn) rows are bad."""
    calls: dict[str, dict[int, Turn]] = {}
    bad: list[BadLine] = []
    for row in rows:
        if isinstance(row, BadLine):
            bad.append(row)
            continue
        turns = calls.setdefault(row.call_id, {})
        if row.turn in turns:
            bad.append(BadLine(row.line, f"通话 {row.call_id} 的第 {row.turn} 轮重复"
                                         f"(第 {turns[row.turn].line} 行已有)"))
            continue
        turns[row.turn] = row
    return Transcript(
        calls=tuple(Call(call_id, tuple(turns[k] for k in sorted(turns)))
                    for call_id, turns in calls.items()),
        bad_lines=tuple(sorted(bad, key=lambda b: b.line)))


def read_transcript(path: Path | str) -> Transcript:
    """Read and validate a whole file (JSON Lines or CSV)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TranscriptFileError(f"无法读取文件 {path}:{exc.strerror or exc}") from None
    head = data[:64].decode("utf-8", errors="ignore")
    rows = read_jsonl(data) if detect_format(path, head) == "jsonl" else read_csv(data)
    return group_calls(rows)
