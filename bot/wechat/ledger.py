"""Which WeChat messages have been taken, and how each was answered: WeChat retries a message it
got no reply to within 5 s (three times in all), and a retry must never run a turn again.

A message's key is its MsgId, or sender + CreateTime + event for events, which have none. The first
request for a key claims it; the outcome is then recorded: the text given in the reply itself
(a retry gets the same text back, in case the first reply was lost on the way), or «later»
(the answer goes out through the customer-service API; a retry gets an empty reply). Keys are
forgotten after `seconds`. In Redis when the servers share one ($YIBAO_REDIS_HOST, database 2,
like the rate limits), so a retry that reaches another server is still recognised; in this
process's memory otherwise.
"""
from __future__ import annotations

import logging
import os
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Mapping, Protocol

import redis

from bot.web.rate_limits import storage_uri

logger = logging.getLogger(__name__)

PENDING, LATER, REPLIED = "pending", "later", "replied"
_PREFIX = "yibao:wechat:msg:"


@dataclass(frozen=True)
class Outcome:
    state: str          # PENDING | LATER | REPLIED
    text: str = ""      # the reply's text when REPLIED

    def encode(self) -> str:
        return f"{self.state}\n{self.text}"

    @classmethod
    def decode(cls, raw: str | bytes | None) -> "Outcome | None":
        if raw is None:
            return None
        value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        state, _, text = value.partition("\n")
        return cls(state, text)


class Ledger(Protocol):
    def claim(self, key: str) -> bool:
        """True for the first request with this key (it runs the turn), False for a retry."""

    def settle(self, key: str, outcome: Outcome) -> None: ...

    def outcome(self, key: str) -> Outcome | None: ...


class MemoryLedger:
    """One server's ledger: keys in insertion order, expired ones dropped as new ones come."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self._entries: OrderedDict[str, tuple[float, Outcome]] = OrderedDict()

    def _prune(self, now: float) -> None:
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires > now:
                break
            del self._entries[key]

    def claim(self, key: str) -> bool:
        now = time.monotonic()
        self._prune(now)
        if key in self._entries:
            return False
        self._entries[key] = (now + self.seconds, Outcome(PENDING))
        return True

    def settle(self, key: str, outcome: Outcome) -> None:
        if key in self._entries:
            expires, _ = self._entries[key]
            self._entries[key] = (expires, outcome)

    def outcome(self, key: str) -> Outcome | None:
        self._prune(time.monotonic())
        entry = self._entries.get(key)
        return entry[1] if entry else None


class RedisLedger:
    """The servers' shared ledger (SET NX with an expiry). If Redis cannot be reached, this
    server keeps its own meanwhile (logged), as the rate limits do."""

    def __init__(self, uri: str, seconds: int) -> None:
        self.seconds = seconds
        self._redis = redis.Redis.from_url(uri, socket_timeout=1.0, socket_connect_timeout=1.0)
        self._local = MemoryLedger(seconds)

    def _warn(self, error: Exception) -> None:
        logger.warning("微信消息去重存储不可用(%s),本服务器暂时单独去重。", type(error).__name__)

    def claim(self, key: str) -> bool:
        try:
            return bool(self._redis.set(_PREFIX + key, Outcome(PENDING).encode(), nx=True, ex=self.seconds))
        except redis.RedisError as error:
            self._warn(error)
            return self._local.claim(key)

    def settle(self, key: str, outcome: Outcome) -> None:
        try:
            self._redis.set(_PREFIX + key, outcome.encode(), xx=True, ex=self.seconds)
        except redis.RedisError as error:
            self._warn(error)
        self._local.settle(key, outcome)

    def outcome(self, key: str) -> Outcome | None:
        try:
            return Outcome.decode(self._redis.get(_PREFIX + key))
        except redis.RedisError as error:
            self._warn(error)
            return self._local.outcome(key)


def ledger_from_environment(seconds: int, environ: Mapping[str, str] = os.environ) -> Ledger:
    uri = storage_uri(environ)
    return MemoryLedger(seconds) if uri.startswith("memory:") else RedisLedger(uri, seconds)
