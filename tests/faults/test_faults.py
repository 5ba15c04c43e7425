"""Faults around a running assistant: action server down or slow, tracker database locked or
missing, a broken rules file.

One assistant for the module (tests/load/harness.py), its action endpoint pointing at a
switchable proxy on loopback (tests/faults/proxy.py) in front of the real action server. A turn
that cannot be completed must get the polite 「系统繁忙」 reply — for action-server faults within
10 s (bot.rasa.server bounds each action call with $YIBAO_ACTION_TIMEOUT, default 5 s, and
abandons the turn) — and the conversation must carry on once the fault is gone, with every turn
the resident got an answer to stored exactly once, in order, and no failed turn stored.
"""
from __future__ import annotations

import json
import shutil
import socket
import sqlite3
import threading
from pathlib import Path
from typing import Iterator

import pytest

from bot.run import start_action_server, stop
from bot.web.safety import TEXT_BUSY
from tests.faults.proxy import ActionProxy
from tests.load.harness import LiveAssistant, Reply, free_port, http

FUNCTIONAL_BOUND = 10.0      # seconds: a resident must hear back within this
QUESTION = "断保以后再交医保,要等多久才能报销?"
ASKS_REGION, ASKS_GAP, ANSWER = "哪个地区", "断保了几年", "4 个月"
BUSY_STATUSES = {500, 503}


@pytest.fixture(scope="module")
def proxy() -> Iterator[ActionProxy]:
    p = ActionProxy(free_port(), target=lambda: 0)
    p.open()
    yield p
    p.stop()


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory, proxy: ActionProxy) -> Iterator[LiveAssistant]:
    with LiveAssistant.start(tmp_path_factory.mktemp("faults"), action_url=proxy.url) as a:
        proxy.target = lambda: a.action_port
        yield a


def busy(reply: Reply) -> bool:
    return reply.status in BUSY_STATUSES and reply.text == TEXT_BUSY


def say(assistant: LiveAssistant, sender: str, text: str, expect: str) -> Reply:
    reply = assistant.rest(sender, text)
    assert reply.status == 200 and expect in reply.text, (text, reply)
    return reply


def start_waiting_question(assistant: LiveAssistant, sender: str) -> None:
    say(assistant, sender, QUESTION, ASKS_REGION)


def finish_waiting_question(assistant: LiveAssistant, sender: str) -> None:
    say(assistant, sender, "新疆", ASKS_GAP)
    say(assistant, sender, "两年", ANSWER)
    assert assistant.user_texts(sender) == [QUESTION, "新疆", "两年"]


# -- (a) action server down ----------------------------------------------------------------------

def test_action_server_down_gets_busy_reply_then_recovers(assistant: LiveAssistant,
                                                          proxy: ActionProxy) -> None:
    sender = "fault-down"
    start_waiting_question(assistant, sender)

    assistant.stop_actions()                       # behind the proxy: it answers 502
    reply = assistant.rest(sender, "新疆")
    assert busy(reply) and reply.seconds <= FUNCTIONAL_BOUND, reply

    proxy.close()                                  # nothing listens at the endpoint: refused
    reply = assistant.rest(sender, "新疆")
    assert busy(reply) and reply.seconds <= FUNCTIONAL_BOUND, reply

    assistant.pacer.wait(sender)                   # a streamed reply ends too (?stream=true)
    streamed = http(assistant.rest_url + "?stream=true", {"sender": sender, "message": "新疆"},
                    timeout=FUNCTIONAL_BOUND + 5, headers=assistant.rest_headers)
    lines = ([streamed.body] if isinstance(streamed.body, dict) else
             [json.loads(line) for line in str(streamed.body).splitlines() if line.strip()])
    assert streamed.status == 200 and [m.get("text") for m in lines] == [TEXT_BUSY], streamed
    assert streamed.seconds <= FUNCTIONAL_BOUND, streamed

    assistant.action_port = free_port()            # back (on another port, behind the proxy)
    assistant.start_actions()
    proxy.open()
    finish_waiting_question(assistant, sender)
    assert "执行失败" in assistant.logs()          # the rasa server said why


# -- (b) action server slow ----------------------------------------------------------------------

def test_slow_action_server_gets_busy_reply_within_bound(assistant: LiveAssistant,
                                                         proxy: ActionProxy) -> None:
    sender = "fault-slow"
    start_waiting_question(assistant, sender)
    proxy.mode = "slow"
    try:
        result: dict[str, Reply] = {}
        slow = threading.Thread(target=lambda: result.update(slow=assistant.rest(sender, "新疆")))
        slow.start()
        # another conversation is answered meanwhile (the server is not stuck on the slow call);
        # thanks are a rule's response (a greeting goes through the decision, an action call)
        other = assistant.rest("fault-slow-other", "谢谢")
        other_done_first = slow.is_alive()
        slow.join(60)
        assert other.status == 200 and "不客气" in other.text, other
        assert other_done_first, "the thanks had to wait for the slow action call"
        reply = result["slow"]
        assert busy(reply) and reply.seconds <= FUNCTIONAL_BOUND, reply
    finally:
        proxy.mode = "pass"
    # the lock was released and the failed turn left nothing behind: the form goes on
    finish_waiting_question(assistant, sender)


# -- (c) tracker database locked, missing, restart -----------------------------------------------

def test_locked_tracker_database_gets_busy_reply_then_continues(assistant: LiveAssistant) -> None:
    sender = "fault-locked"
    start_waiting_question(assistant, sender)
    holder = sqlite3.connect(assistant.tracker_db, timeout=0, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        reply = assistant.rest(sender, "新疆")
        assert busy(reply), reply
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    finish_waiting_question(assistant, sender)
    assert "TrackerStoreUnavailable" in assistant.logs()
    assert "Falling back to use the 'InMemoryTrackerStore'" not in assistant.logs()


def test_missing_tracker_directory_and_file_then_continues(assistant: LiveAssistant) -> None:
    sender = "fault-missing"
    start_waiting_question(assistant, sender)
    directory = assistant.tracker_db.parent
    away = directory.with_name("tracker-away")
    directory.rename(away)
    try:
        reply = assistant.rest(sender, "新疆")
        assert busy(reply), reply
    finally:
        away.rename(directory)
    say(assistant, sender, "新疆", ASKS_GAP)

    moved = assistant.tracker_db.with_name("tracker.db.away")
    assistant.tracker_db.rename(moved)
    try:
        reply = assistant.rest(sender, "两年")     # SQLite makes a new, empty file: no tables
        assert busy(reply), reply
    finally:
        moved.replace(assistant.tracker_db)
    say(assistant, sender, "两年", ANSWER)
    assert assistant.user_texts(sender) == [QUESTION, "新疆", "两年"]


def test_restart_without_tracker_directory_then_continues(assistant: LiveAssistant) -> None:
    """Restarted while the database directory is gone: it starts (no crash), answers 「系统繁忙」,
    and continues the conversation from before the restart once the directory is back."""
    sender = "fault-restart"
    start_waiting_question(assistant, sender)
    directory = assistant.tracker_db.parent
    away = directory.with_name("tracker-away")
    assistant.stop_rasa()
    directory.rename(away)
    try:
        assistant.start_rasa()
        reply = assistant.rest(sender, "新疆")
        assert busy(reply), reply
    finally:
        if not directory.exists():
            away.rename(directory)
    finish_waiting_question(assistant, sender)


# -- (d) a broken rules file ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


def _break_citation(rules: Path) -> tuple[str, str]:
    path = rules / "xinjiang.yml"
    text = path.read_text(encoding="utf-8")
    old = "    values: {2025-01-01: 1}\n    cite: {doc: ltm2024draft, clause: 二、(五)}\n    readings: [A]"
    assert old in text, "the test's edit no longer applies to rules/xinjiang.yml"
    path.write_text(text.replace(old, old.replace("ltm2024draft", "nosuchdoc"), 1), encoding="utf-8")
    return str(path), "parameters.waiting.months_per_extra_gap_year.cite.doc"


def _break_yaml(rules: Path) -> tuple[str, str]:
    path = rules / "shanxi.yml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  bad: [unclosed\n", encoding="utf-8")
    return str(path), "(YAML)"


def _remove_file(rules: Path) -> tuple[str, str]:
    path = rules / "jiangxi.yml"
    path.unlink()
    return str(path), "(文件)"


@pytest.mark.parametrize("damage", [_break_citation, _break_yaml, _remove_file],
                         ids=["unknown-document", "yaml-syntax", "missing-file"])
def test_broken_rules_stop_the_action_server_naming_file_and_key(tmp_path: Path, damage) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    path, key = damage(rules)
    port, log = free_port(), tmp_path / "actions.log"
    proc = None
    with pytest.raises(RuntimeError, match="进程已退出") as failed:
        proc = start_action_server(port, log=log, extra_env={"YIBAO_RULES_DIR": str(rules)})
    if proc is not None:          # pragma: no cover - only when the server wrongly started
        stop(proc)
    assert "代码 0" not in str(failed.value)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert "RuleFileError" in output and path in output and key in output, output[-2000:]
    with socket.socket() as s:                     # it never listened
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_valid_rules_dir_override_starts(tmp_path: Path) -> None:
    """The override itself works: an intact copy of rules/ starts the action server."""
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    proc = start_action_server(free_port(), log=tmp_path / "actions.log",
                               extra_env={"YIBAO_RULES_DIR": str(rules)})
    try:
        assert proc.poll() is None
    finally:
        stop(proc)
