"""bot.handoffs: requests recorded masked, then claimed by one operator and done by that one —
in the SQLite assistant database and in the servers' PostgreSQL (when installed)."""
from __future__ import annotations

import secrets
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import psycopg2
import pytest

from bot import handoffs
from bot.run import free_port, stop
from bot.scaled import PG_BIN_GLOB, PG_USER, start_local_postgres


@pytest.fixture(scope="module")
def postgres() -> Iterator[dict[str, str]]:
    """A PostgreSQL on loopback (Debian's package), as the YIBAO_PG_* variables of a scaled set-up."""
    if not list(Path("/").glob(PG_BIN_GLOB.lstrip("/"))):
        pytest.skip("没有安装 PostgreSQL(make test 会用 apt 安装)")
    data = Path(tempfile.mkdtemp(prefix="yibao-handoffs-"))
    port, password = free_port(), secrets.token_hex(12)
    proc = start_local_postgres(data / "pg", port, password)
    try:
        conn = psycopg2.connect(host="127.0.0.1", port=port, user=PG_USER, password=password,
                                dbname="postgres")
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute('CREATE DATABASE "handoffs_test"')
        conn.close()
        yield {"YIBAO_PG_HOST": "127.0.0.1", "YIBAO_PG_PORT": str(port), "YIBAO_PG_USER": PG_USER,
               "YIBAO_PG_PASSWORD": password, "YIBAO_PG_DB": "handoffs_test"}
    finally:
        stop(proc)
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def place(request, tmp_path: Path, monkeypatch) -> Path | None:
    """Where the rows go: a SQLite file (returned), or PostgreSQL through the environment (None)."""
    for name in ("YIBAO_PG_HOST", "YIBAO_PG_PORT", "YIBAO_PG_USER", "YIBAO_PG_PASSWORD", "YIBAO_PG_DB"):
        monkeypatch.delenv(name, raising=False)
    if request.param == "sqlite":
        return tmp_path / "assistant.db"
    for name, value in request.getfixturevalue("postgres").items():
        monkeypatch.setenv(name, value)
    return None


def test_a_request_is_recorded_masked_and_new(place: Path | None) -> None:
    handoffs.record_handoff("web-a1", "我的电话是13812345678,帮我转人工", place)
    newest = handoffs.recent_requests(db_path=place)[0]
    assert newest.sender_id == "web-a1" and newest.state == handoffs.NEW and newest.operator is None
    assert "13812345678" not in newest.text and "[手机号]" in newest.text


def test_claim_then_done_by_the_same_operator_only(place: Path | None) -> None:
    handoffs.record_handoff("web-b2", "转人工", place)
    request = handoffs.recent_requests(db_path=place)[0]
    assert handoffs.finish(request.id, "王芳", place).refused == handoffs.NOT_CLAIMED
    claimed = handoffs.claim(request.id, "王芳", place)
    assert claimed.ok and claimed.request.state == handoffs.CLAIMED and claimed.request.operator == "王芳"
    assert handoffs.claim(request.id, "王芳", place).ok                  # a second click is fine
    taken = handoffs.claim(request.id, "李明", place)
    assert taken.refused == handoffs.TAKEN and taken.request.operator == "王芳"
    assert handoffs.finish(request.id, "李明", place).refused == handoffs.NOT_YOURS
    done = handoffs.finish(request.id, "王芳", place)
    assert done.ok and done.request.state == handoffs.DONE and done.request.done_at
    assert handoffs.finish(request.id, "王芳", place).refused == handoffs.ALREADY_DONE
    assert handoffs.claim(request.id, "王芳", place).refused == handoffs.ALREADY_DONE
    assert handoffs.claim(10 ** 9, "王芳", place).refused == handoffs.MISSING
    assert handoffs.finish(10 ** 9, "王芳", place).refused == handoffs.MISSING


def test_of_operators_claiming_at_once_exactly_one_gets_it(place: Path | None) -> None:
    handoffs.record_handoff("web-c3", "转人工", place)
    request = handoffs.recent_requests(db_path=place)[0]
    operators = [f"操作员{n}" for n in range(8)]
    with ThreadPoolExecutor(len(operators)) as pool:
        outcomes = list(pool.map(lambda name: handoffs.claim(request.id, name, place), operators))
    winners = [name for name, outcome in zip(operators, outcomes) if outcome.ok]
    assert len(winners) == 1
    assert all(o.refused == handoffs.TAKEN and o.request.operator == winners[0]
               for o in outcomes if not o.ok)
    assert handoffs.find_request(request.id, place).operator == winners[0]
