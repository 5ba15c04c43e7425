"""The 5-second rule: a turn done within the budget is the reply; a slower one goes out once
through the API; a retry never runs a turn again (memory ledger, and Redis when there is one)."""
from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from typing import Iterator

import pytest

from bot.run import free_port
from bot.web.safety import TEXT_BUSY
from bot.wechat.desk import Desk
from bot.wechat.ledger import LATER, REPLIED, MemoryLedger, Outcome, RedisLedger
from bot.wechat.settings import Timing
from bot.wechat.text import MAX_TEXT_BYTES

BUDGET = 0.3


class Resident:
    """Counts turns run and collects what reached the resident through the API."""

    def __init__(self) -> None:
        self.turns = 0
        self.later: list[str] = []

    def turn(self, seconds: float, text: str = "待遇等待期:4 个月。"):
        async def run() -> str:
            self.turns += 1
            await asyncio.sleep(seconds)
            return text
        return run

    async def send(self, piece: str) -> None:
        self.later.append(piece)


def desk(ledger=None) -> Desk:
    return Desk(ledger or MemoryLedger(300), Timing(passive_budget=BUDGET))


def test_a_quick_turn_is_the_reply_and_a_retry_gets_the_same_text() -> None:
    async def scenario() -> None:
        d, r = desk(), Resident()
        assert await d.answer("msg:1", r.turn(0.01), r.send) == "待遇等待期:4 个月。"
        assert await d.answer("msg:1", r.turn(0.01), r.send) == "待遇等待期:4 个月。"
        assert r.turns == 1 and r.later == []
    asyncio.run(scenario())


def test_a_slow_turn_replies_empty_in_time_then_sends_once() -> None:
    async def scenario() -> None:
        d, r = desk(), Resident()
        started = time.monotonic()
        assert await d.answer("msg:2", r.turn(1.0), r.send) == ""
        assert time.monotonic() - started < BUDGET + 0.2
        assert d.ledger.outcome("msg:2") == Outcome(LATER)
        assert await d.answer("msg:2", r.turn(1.0), r.send) == ""      # WeChat's retry
        await asyncio.sleep(1.2)
        assert r.turns == 1 and r.later == ["待遇等待期:4 个月。"]
    asyncio.run(scenario())


def test_a_retry_while_the_first_is_running_waits_for_its_reply() -> None:
    async def scenario() -> None:
        d, r = desk(), Resident()
        first = asyncio.ensure_future(d.answer("msg:3", r.turn(0.15), r.send))
        await asyncio.sleep(0.05)
        retry = await d.answer("msg:3", r.turn(0.15), r.send)
        assert retry == await first == "待遇等待期:4 个月。" and r.turns == 1
    asyncio.run(scenario())


def test_a_long_answer_replies_with_its_first_piece_and_sends_the_rest() -> None:
    async def scenario() -> None:
        d, r = desk(), Resident()
        text = "\n".join(f"{i}. " + "按比例支付" * 40 for i in range(12))
        first = await d.answer("msg:4", r.turn(0.01, text), r.send)
        assert len(first.encode("utf-8")) <= MAX_TEXT_BYTES
        await asyncio.sleep(1.3)
        assert "\n".join([first, *r.later]) == text
    asyncio.run(scenario())


def test_a_failing_turn_says_busy_politely() -> None:
    async def scenario() -> None:
        async def broken() -> str:
            raise RuntimeError("tracker store down")
        d, r = desk(), Resident()
        assert await d.answer("msg:5", broken, r.send) == TEXT_BUSY
    asyncio.run(scenario())


def test_the_memory_ledger_forgets_after_its_time() -> None:
    ledger = MemoryLedger(seconds=0)
    assert ledger.claim("k") and ledger.claim("k")
    kept = MemoryLedger(seconds=60)
    assert kept.claim("k") and not kept.claim("k")


@pytest.fixture
def redis_uri(tmp_path) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server 未安装(make test 会用 apt 安装)")
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        ledger = RedisLedger(f"redis://127.0.0.1:{port}/2", 60)
        while time.monotonic() < deadline:
            try:
                ledger._redis.ping()
                break
            except Exception:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/2"
    finally:
        proc.terminate()
        proc.wait(10)


def test_two_servers_sharing_redis_run_a_retried_message_once(redis_uri: str) -> None:
    async def scenario() -> None:
        one, two = desk(RedisLedger(redis_uri, 60)), desk(RedisLedger(redis_uri, 60))
        r = Resident()
        first = await one.answer("msg:6", r.turn(0.01), r.send)
        retry_elsewhere = await two.answer("msg:6", r.turn(0.01), r.send)
        assert first == retry_elsewhere == "待遇等待期:4 个月。" and r.turns == 1
        assert two.ledger.outcome("msg:6") == Outcome(REPLIED, first)
    asyncio.run(scenario())
