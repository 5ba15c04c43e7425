"""Hostile input through the REST channel of one running assistant (tests/hostile/corpus.yml).

Every entry of the corpus is sent to POST /webhooks/rest/webhook, each group from a few senders
(rotated, and paced under the channel's limit of 20 messages per sender in 10 s). Each reply must
be **polite Chinese**, which here means, checkably:

- HTTP 200, or one of the channel's own refusals: 400 (empty or not a text), 413 (too long),
  429 (too fast) — never 5xx;
- a JSON list with at least one message, every message addressed to the sender;
- the texts contain CJK characters;
- no traceback, exception or English error text (Traceback, Exception, Error, NoneType …) —
  unless it is the resident's own text quoted back;
- no markup of the bot's own: an HTML tag, `javascript:` or an event handler may appear in a
  reply only as part of the resident's own text quoted back. That echo is data, not markup: the
  REST reply is JSON (`application/json`, `nosniff`) and the widget puts every text on the page
  with textContent only (tests/web checks that the page has no innerHTML);
- the same message not twice in one reply.

After each group, both servers' logs (stdout + stderr, captured to files) must hold no traceback
and no ERROR line, and every conversation of the group must still answer a normal question
correctly (「新疆断保两年,现在交多久能报销」 → 「4 个月」).

Figures: an entry with `input` or `no_figure` is also sent once from a fresh conversation, and
the audit log (every figure the assistant gives is recorded there with the engine's inputs) must
show no figure (`no_figure`) or only figures computed from exactly the amount said (`input`):
never a silent wrong figure. Entries marked `known_defect` are strict xfails.

At once: the whole corpus is sent again, 20 requests started together, each from a new
conversation, so the server parses hostile texts side by side in shared batches
(bot/rasa/fixes/parse_together.py; batches of up to 20 formed when this was written). Every reply
must be polite Chinese, and every message must be understood (intent and entities in the tracker
store) exactly as when the same text is sent alone.
"""
from __future__ import annotations

import asyncio
import json
import math
import re
import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import aiohttp
import pytest
import yaml

from tests.load.harness import (CJK, NORMAL_ANSWER, NORMAL_QUESTION, TRACEBACK, LiveAssistant,
                                Reply, live_assistant)

CORPUS_FILE = Path(__file__).with_name("corpus.yml")
POLITE_STATUSES = {200, 400, 413, 429}
PER_SENDER = 8           # corpus entries per sender within a group
AT_ONCE = 20             # requests released together in the whole-corpus burst
ERROR_TEXT = re.compile(r"Traceback|Exception|\bError\b|\berror\b|NoneType|KeyError|ValueError|"
                        r"Internal Server|Sanic|\brasa\b|\bnull\b|\bNone\b|\bundefined\b")
MARKUP = re.compile(r"<\s*[A-Za-z!/?][^<>]*>?|javascript:|\bon[a-z]+\s*=", re.IGNORECASE)
FIGURE = re.compile(r"报销:[\d,.]+ 元|等待期:\d+ 个月|限额:[\d,.]+ 元|:[\d,.]+ 元。")
LOG_ERROR = re.compile(r"^.*\b(ERROR|CRITICAL)\b.*$", re.MULTILINE)


@dataclass(frozen=True)
class Entry:
    group: str
    index: int
    message: Any                       # str, or any JSON value for the non_text group
    input: dict[str, str] | None = None
    no_figure: bool = False
    known_defect: str | None = None

    @property
    def id(self) -> str:
        return f"{self.group}-{self.index}"

    @property
    def text(self) -> str:
        return self.message if isinstance(self.message, str) else json.dumps(self.message)


def _entry(group: str, index: int, raw: Any) -> Entry:
    if isinstance(raw, str):
        return Entry(group, index, raw)
    if "repeat" in raw:
        message: Any = raw["repeat"] * raw["times"]
    elif "json" in raw:
        message = raw["json"]
    else:
        message = raw["text"]
    return Entry(group, index, message, raw.get("input"), bool(raw.get("no_figure")),
                 raw.get("known_defect"))


def load_corpus(path: Path = CORPUS_FILE) -> dict[str, list[Entry]]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {group: [_entry(group, i, item) for i, item in enumerate(items)]
            for group, items in raw.items()}


CORPUS = load_corpus()
FIGURE_ENTRIES = [e for entries in CORPUS.values() for e in entries if e.input or e.no_figure]


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAssistant]:
    yield from live_assistant(tmp_path_factory, "hostile")


# -- checks --------------------------------------------------------------------------------------

def _own_text(entry: Entry) -> list[str]:
    """Forms in which the resident's own text may be quoted back."""
    text = entry.text
    forms = {text, text.strip(), unicodedata.normalize("NFKC", text).strip()}
    return [f for f in forms if f]


def _without_quotes(reply_text: str, entry: Entry) -> str:
    for own in sorted(_own_text(entry), key=len, reverse=True):
        reply_text = reply_text.replace(own, " ")
    return reply_text


def impoliteness(entry: Entry, sender: str, reply: Reply) -> list[str]:
    """Everything that keeps `reply` from being polite Chinese (empty list: it is)."""
    where = f"{entry.id} {entry.text[:60]!r}"
    problems = []
    if reply.status not in POLITE_STATUSES:
        problems.append(f"{where}: HTTP {reply.status}")
    if not isinstance(reply.body, list) or not reply.messages:
        return problems + [f"{where}: no messages: {str(reply.body)[:200]!r}"]
    # a body over the server's size limit is refused before anyone reads its sender
    allowed = {sender, None} if reply.status == 413 else {sender}
    if any(m.get("recipient_id") not in allowed for m in reply.messages):
        problems.append(f"{where}: a message for someone else: {reply.body!r:.200}")
    text = reply.text
    if not CJK.search(text):
        problems.append(f"{where}: no Chinese in {text[:200]!r}")
    own_removed = _without_quotes(text, entry)
    if ERROR_TEXT.search(own_removed):
        problems.append(f"{where}: error text in {text[:300]!r}")
    if MARKUP.search(own_removed):
        problems.append(f"{where}: markup of the bot's own in {text[:300]!r}")
    texts = [m.get("text") for m in reply.messages if m.get("text")]
    if any(a == b for a, b in zip(texts, texts[1:])):
        problems.append(f"{where}: the same message twice: {texts!r:.300}")
    return problems


def new_log_errors(assistant: LiveAssistant, sizes: tuple[int, int]) -> list[str]:
    logs = assistant.logs_since(sizes)
    found = [line for line in LOG_ERROR.findall(logs)]
    if TRACEBACK in logs:
        start = logs.index(TRACEBACK)
        found.append(logs[max(0, start - 300):start + 1500])
    return found


def audit_rows(assistant: LiveAssistant, sender: str) -> list[dict[str, Any]]:
    if not assistant.assistant_db.is_file():
        return []
    with sqlite3.connect(assistant.assistant_db) as db:
        db.row_factory = sqlite3.Row
        try:
            rows = db.execute("SELECT * FROM audit WHERE sender = ? ORDER BY id",
                              (assistant.audit_sender(sender),)).fetchall()
        except sqlite3.OperationalError:        # no figure given yet: no table
            return []
    return [dict(r) for r in rows]


# -- tests ---------------------------------------------------------------------------------------

def test_corpus_size_and_groups() -> None:
    sizes = {group: len(entries) for group, entries in CORPUS.items()}
    assert sum(sizes.values()) >= 200, sizes
    for group in ("empty", "whitespace", "long", "emoji", "control", "mixed_scripts", "traditional",
                  "english", "sql_fts", "html_js", "absurd_numbers", "number_forms",
                  "prompt_injection", "rasa_syntax"):
        assert sizes.get(group, 0) >= 10, (group, sizes)
    assert any(len(e.text) >= 10_000 for e in CORPUS["long"])


@pytest.mark.parametrize("group", list(CORPUS))
def test_group_gets_polite_chinese_and_the_conversation_survives(assistant: LiveAssistant,
                                                                  group: str) -> None:
    entries = CORPUS[group]
    senders = [f"hostile-{group}-{k}" for k in range(math.ceil(len(entries) / PER_SENDER))]
    sizes = assistant.log_sizes()
    problems: list[str] = []
    for i, entry in enumerate(entries):
        sender = senders[i % len(senders)]
        problems += impoliteness(entry, sender, assistant.rest(sender, entry.message))
    for sender in senders:
        reply = assistant.rest(sender, NORMAL_QUESTION)
        if reply.status != 200 or NORMAL_ANSWER not in reply.text:
            problems.append(f"{sender}: after the group, {NORMAL_QUESTION!r} → "
                            f"{reply.status} {reply.text[:300]!r}")
    problems += [f"server log: {line}" for line in new_log_errors(assistant, sizes)]
    assert not problems, "\n".join(problems)


def test_rasa_syntax_is_never_obeyed(assistant: LiveAssistant) -> None:
    """After the rasa_syntax group: no text reached Rasa with its leading "/", so no intent or
    slot was taken from `/intent{json}`. (The plain word left over may still be understood: «restart»
    restarts the resident's own conversation, as the 「重新开始」 button does.)"""
    group = CORPUS["rasa_syntax"]
    senders = [f"hostile-rasa_syntax-{k}" for k in range(math.ceil(len(group) / PER_SENDER))]
    for sender in senders:
        events = assistant.events(sender)
        if not events:
            pytest.skip("the rasa_syntax group did not run (run the whole module)")
        for _, e in events:
            if e["event"] == "user":
                assert not e["text"].startswith("/"), e["text"]
                assert all(x.get("extractor") != "RegexMessageHandler"
                           for x in e["parse_data"].get("entities", [])), e
            if e["event"] == "slot":
                # (a number left in the text is read like any typed number: 99999999 元 is fine)
                assert (e["name"], e["value"]) not in {("region", "shandong"), ("gap_years", 9),
                                                       ("expense", "NaN")}, e


@pytest.mark.parametrize("entry", [
    pytest.param(e, id=e.id, marks=[pytest.mark.xfail(strict=True, reason=e.known_defect)]
                 if e.known_defect else [])
    for e in FIGURE_ENTRIES])
def test_amounts_never_give_a_wrong_figure(assistant: LiveAssistant, entry: Entry) -> None:
    sender = f"figure-{entry.id}"
    reply = assistant.rest(sender, entry.message)
    assert reply.status == 200 and not impoliteness(entry, sender, reply), reply
    rows = audit_rows(assistant, sender)
    if entry.no_figure:
        assert not rows, f"{entry.text!r} → a figure: {rows} / {reply.text!r}"
        assert not FIGURE.search(reply.text), reply.text
        return
    assert entry.input
    for row in rows:
        given = json.loads(row["inputs"])
        for field, value in entry.input.items():
            assert Decimal(str(given[field])) == Decimal(value), \
                f"{entry.text!r}: figure {row['value']} computed from {field}={given[field]}, said {value}"
    if not rows:        # not understood: it must ask again, never answer with another amount
        assert not FIGURE.search(reply.text), reply.text


def test_a_new_question_while_a_form_waits_is_answered(assistant: LiveAssistant) -> None:
    """A complete question for another calculation is not taken as the answer to the open
    form's question (it used to be: the inpatient form took 新疆 as its region and refused it)."""
    sender = "hostile-form-switch"
    assert "哪个地区" in assistant.rest(sender, "住院怎么报销").text
    reply = assistant.rest(sender, NORMAL_QUESTION)
    assert reply.status == 200 and NORMAL_ANSWER in reply.text, reply


def _understood(assistant: LiveAssistant, sender: str) -> list[tuple[Any, Any]]:
    """(intent, entities) of each user turn the tracker store holds for `sender`."""
    return [((e.get("parse_data") or {}).get("intent", {}).get("name"),
             (e.get("parse_data") or {}).get("entities"))
            for _, e in assistant.events(sender) if e.get("event") == "user"]


async def _at_once(url: str, entries: list[Entry], headers: dict[str, str]) -> list[Reply]:
    """Each entry from a new sender `burst-<id>`, AT_ONCE requests started together (aiohttp:
    threads with urllib reach the server too far apart to be parsed together)."""
    async def send(session: "aiohttp.ClientSession", entry: Entry) -> Reply:
        body = json.dumps({"sender": f"burst-{entry.id}", "message": entry.message}).encode("ascii")
        started = time.monotonic()
        async with session.post(url, data=body, headers={"Content-Type": "application/json", **headers}) as r:
            payload = await r.read()
        return Reply.of(r.status, r.headers, payload, time.monotonic() - started)

    replies: list[Reply] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as session:
        for start in range(0, len(entries), AT_ONCE):
            replies += await asyncio.gather(*(send(session, e) for e in entries[start:start + AT_ONCE]))
    return replies


def test_the_whole_corpus_at_once_is_understood_as_each_entry_alone(assistant: LiveAssistant) -> None:
    """Every entry of the corpus sent at the same moment as others (AT_ONCE requests released
    together, a new conversation each), so that the server parses them in shared batches
    (bot/rasa/fixes/parse_together.py): every reply is polite Chinese, and each message is
    understood (intent and entities) exactly as when it is sent alone."""
    entries = [e for group in CORPUS.values() for e in group]
    sizes = assistant.log_sizes()
    replies = asyncio.run(_at_once(assistant.rest_url, entries, assistant.rest_headers))
    problems = [p for e, r in zip(entries, replies) for p in impoliteness(e, f"burst-{e.id}", r)]
    understood_together = 0
    for entry in entries:
        assistant.rest(f"alone-{entry.id}", entry.message)
        together, alone = _understood(assistant, f"burst-{entry.id}"), _understood(assistant, f"alone-{entry.id}")
        understood_together += bool(together)
        if together != alone:
            problems.append(f"{entry.id} {entry.text[:60]!r}: at once {together!r:.300}, alone {alone!r:.300}")
    problems += [f"server log: {line}" for line in new_log_errors(assistant, sizes)]
    assert not problems, "\n".join(problems)
    assert understood_together > len(entries) // 2      # most reached NLU (others were refused before)
