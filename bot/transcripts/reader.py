"""Reading hotline transcripts as call centres export them → calls made of ordered turns.

Formats: JSON Lines (one object per line), CSV and Excel (.xlsx, the first sheet). Encodings of
CSV: UTF-8 with or without BOM, GBK and GB18030, detected (charset-normalizer) unless `encoding`
is given. A row has a call id, a turn number, a speaker, the text and optionally a time; column
names may be English or Chinese (COLUMN_NAMES), speakers too (SPEAKER_NAMES: 坐席/客服 → agent,
来电人/客户/市民 → caller).

Turn numbers may count utterances (1, 2, 3 …) or exchanges (the caller's line and the agent's
reply share one number): a call's rows are ordered by (turn number, place in the file), and each
gets its position in the call. Only a row that repeats another (same call, turn, speaker and
text) is a duplicate.

A malformed row (bad JSON, a missing field, an unknown speaker, a turn that is not a non-negative
integer, empty text, a duplicate) becomes a `BadLine` with its line number and a Chinese reason;
the rest of the file is still read. A call id that contains personal data is refused too (it
would be stored as the key of the call). Rows of one call may be spread over the file.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Union

import charset_normalizer
import openpyxl

from bot.nlp import mask_personal_data

SPEAKERS = ("caller", "agent")
FIELDS = ("call_id", "turn", "speaker", "text")
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
# Our column → the header names exports use for it (compared stripped and lower-cased).
COLUMN_NAMES: Mapping[str, tuple[str, ...]] = {
    "call_id": ("call_id", "callid", "call id", "通话id", "通话编号", "通话号", "会话id"),
    "turn": ("turn", "序号", "轮次", "轮数"),
    "speaker": ("speaker", "role", "角色", "说话人", "发言方", "发言人"),
    "text": ("text", "content", "内容", "文本", "转写", "转写文本", "通话内容"),
    "ts": ("ts", "time", "时间", "时间戳"),
}
# Our speaker → the values exports use for it.
SPEAKER_NAMES: Mapping[str, tuple[str, ...]] = {
    "caller": ("caller", "customer", "来电人", "来电者", "客户", "市民", "用户", "群众"),
    "agent": ("agent", "坐席", "客服", "话务员", "接线员", "座席"),
}
_SPEAKER_OF = {name.lower(): ours for ours, names in SPEAKER_NAMES.items() for name in names}
_COLUMN_OF = {name.lower(): ours for ours, names in COLUMN_NAMES.items() for name in names}
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class Turn:
    call_id: str
    turn: int
    speaker: str          # "caller" | "agent"
    text: str
    ts: str | None
    line: int             # where it was read (1-based; a sheet's row number for Excel)
    position: int = 0     # its place in the call (1-based), set when the call is put together


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
    speaker = _SPEAKER_OF.get(row["speaker"].strip().lower()) if isinstance(row["speaker"], str) else None
    if speaker not in SPEAKERS:
        return BadLine(line, "说话人只能是来电人(caller)或坐席(agent),收到 "
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


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a CSV file: `encoding` if given, else UTF-8 (BOM or not), else what
    charset-normalizer finds (GBK and GB2312 read as GB18030, their superset)."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise TranscriptFileError(f"不认识的编码 {encoding}") from None
        except UnicodeDecodeError as exc:
            raise TranscriptFileError(f"文件不是有效的 {encoding} 文本(第 {exc.start} 个字节附近)") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise TranscriptFileError("无法识别文件的编码,请用 --encoding 指定(如 gbk、gb18030、utf-8)")
    name = best.encoding.lower().replace("-", "_")
    guessed = "gb18030" if name in ("gbk", "gb2312", "gb18030", "hz") else best.encoding
    try:
        return data.decode(guessed)
    except UnicodeDecodeError:
        raise TranscriptFileError(f"文件看起来是 {guessed} 编码,但无法解码,请用 --encoding 指定") from None


def _header(cells: Iterable[Any]) -> list[str]:
    """Our column names for a header row (unknown columns keep their own name)."""
    out = []
    for cell in cells:
        name = str(cell if cell is not None else "").strip().lower()
        out.append(_COLUMN_OF.get(name, name))
    absent = [f for f in FIELDS if f not in out]
    if absent:
        raise TranscriptFileError("表头缺少列 " + "、".join(absent) + "(需要 call_id,turn,speaker,text,可选 ts;"
                                  "中文列名如 通话ID、序号、角色、内容、时间 也可以)")
    return out


def _records(header: list[str], rows: Iterable[tuple[int, list[Any]]]) -> Iterator[Row]:
    for line, record in rows:
        if not any(str(cell).strip() for cell in record if cell is not None):
            continue
        if len(record) > len(header) and any(str(c).strip() for c in record[len(header):] if c is not None):
            yield BadLine(line, f"列数过多({len(record)} 列,表头 {len(header)} 列)")
            continue
        yield row_to_turn(dict(zip(header, record)), line)


def read_csv(data: bytes, encoding: str | None = None) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(decode(data, encoding), newline=""))
    try:
        header = _header(next(reader))
    except StopIteration:
        return

    def rows() -> Iterator[tuple[int, list[Any]]]:
        start = reader.line_num + 1
        for record in reader:
            line, start_next = start, reader.line_num + 1
            yield line, record
            start = start_next

    yield from _records(header, rows())


def read_xlsx(path: Path) -> Iterator[Row]:
    """The first sheet of an Excel workbook: a header row, then one row per utterance."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:            # not a workbook, damaged, encrypted …
        raise TranscriptFileError(f"无法读取 Excel 文件 {path.name}:{type(exc).__name__}") from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        try:
            header = _header(next(rows))
        except StopIteration:
            return
        yield from _records(header, ((number, [_cell(c) for c in row])
                                     for number, row in enumerate(rows, start=2)))
    finally:
        book.close()


def _cell(value: Any) -> Any:
    """An Excel cell as a CSV would give it: whole numbers without «.0», times as text."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, (int, str)):
        return value
    return str(value)


def group_calls(rows: Iterable[Row]) -> Transcript:
    """Calls in order of first appearance, each call's rows ordered by (turn, place in the file)
    and numbered by position; a row repeating another of its call is bad."""
    calls: dict[str, list[Turn]] = {}
    seen: dict[tuple[str, int, str, str], Turn] = {}
    bad: list[BadLine] = []
    for row in rows:
        if isinstance(row, BadLine):
            bad.append(row)
            continue
        key = (row.call_id, row.turn, row.speaker, row.text)
        if key in seen:
            bad.append(BadLine(row.line, f"与第 {seen[key].line} 行重复(通话 {row.call_id} 第 {row.turn} 轮)"))
            continue
        seen[key] = row
        calls.setdefault(row.call_id, []).append(row)
    return Transcript(
        calls=tuple(Call(call_id, tuple(dataclasses.replace(t, position=k) for k, t in enumerate(
                    sorted(turns, key=lambda t: (t.turn, t.line)), start=1)))
                    for call_id, turns in calls.items()),
        bad_lines=tuple(sorted(bad, key=lambda b: b.line)))


def read_transcript(path: Path | str, encoding: str | None = None) -> Transcript:
    """Read and validate a whole file (JSON Lines, CSV or xlsx); `encoding` for CSV."""
    path = Path(path)
    if not path.is_file():
        raise TranscriptFileError(f"无法读取文件 {path}:文件不存在")
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return group_calls(read_xlsx(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TranscriptFileError(f"无法读取文件 {path}:{exc.strerror or exc}") from None
    head = data[:64].decode("utf-8", errors="ignore")
    rows = read_jsonl(data) if detect_format(path, head) == "jsonl" else read_csv(data, encoding)
    return group_calls(rows)
