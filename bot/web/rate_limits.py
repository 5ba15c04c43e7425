"""Rate limits that hold across servers, and the client address they count by.

`Limiter` counts hits with the `limits` library (moving windows): in Redis when the servers share
one ($YIBAO_REDIS_HOST, the lock store's Redis, database 2), so that a client cannot walk around
a limit by reaching another server; in this process's memory otherwise (`make run`, one server).
Each count is a rate item (`limits.parse("20/10 seconds")`) and its keys (what is counted: a
sender, an address, everything).

`client_address(request, trusted)` is the address a request came from: the socket's peer, or,
when that peer is a trusted reverse proxy ($YIBAO_TRUSTED_PROXIES: addresses or networks, comma
separated), the nearest address in X-Forwarded-For that is not a trusted proxy. A client cannot
choose its address by sending X-Forwarded-For itself, and behind the README's reverse proxy each
visitor is counted as itself, not all as the proxy.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import os
import time
from typing import Iterable, Mapping, Sequence, Union

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sanic.request import Request

TRUSTED_PROXIES_ENV = "YIBAO_TRUSTED_PROXIES"
REDIS_DB = 2            # the lock store uses database 1 of the same Redis

logger = logging.getLogger(__name__)

Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]


def storage_uri(environ: Mapping[str, str] = os.environ) -> str:
    """redis://… of the servers' shared Redis, or memory:// when there is none."""
    host = environ.get("YIBAO_REDIS_HOST")
    if not host:
        return "memory://"
    password = environ.get("YIBAO_REDIS_PASSWORD") or ""
    auth = f":{password}@" if password else ""
    return f"redis://{auth}{host}:{environ.get('YIBAO_REDIS_PORT') or 6379}/{REDIS_DB}"


class Limiter:
    """Moving-window counts in one storage (memory or Redis)."""

    def __init__(self, uri: str = "memory://") -> None:
        self.uri = uri
        self._window = MovingWindowRateLimiter(storage_from_string(uri))
        # When Redis cannot be reached, this server counts on its own meanwhile (logged).
        self._local = MovingWindowRateLimiter(storage_from_string("memory://"))

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "Limiter":
        return cls(storage_uri(environ))

    def hit(self, item: RateLimitItem, *keys: str) -> float:
        """Count one hit: 0.0 when allowed, else the seconds until one is allowed (at least 1)."""
        return self._wait(True, item, keys)

    def waiting(self, item: RateLimitItem, *keys: str) -> float:
        """Without counting: 0.0 when a hit would be allowed, else the seconds until one is."""
        return self._wait(False, item, keys)

    def _wait(self, count: bool, item: RateLimitItem, keys: tuple[str, ...]) -> float:
        window = self._window
        try:
            allowed = window.hit(item, *keys) if count else window.test(item, *keys)
        except Exception as exc:          # redis errors: counted here until Redis is back
            logger.warning("限流计数存储不可用(%s),本服务器暂时单独计数。", type(exc).__name__)
            window = self._local
            allowed = window.hit(item, *keys) if count else window.test(item, *keys)
        if allowed:
            return 0.0
        reset = window.get_window_stats(item, *keys).reset_time
        return float(max(1, math.ceil(reset - time.time())))


def per_seconds(count: int, seconds: float) -> RateLimitItem:
    """`count` hits in any `seconds` seconds."""
    return parse(f"{count}/{max(1, round(seconds))} seconds")


def trusted_networks(environ: Mapping[str, str] = os.environ) -> tuple[Network, ...]:
    """$YIBAO_TRUSTED_PROXIES as networks (a bad entry stops the server, naming it)."""
    raw = environ.get(TRUSTED_PROXIES_ENV, "")
    networks = []
    for entry in (e.strip() for e in raw.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"环境变量 {TRUSTED_PROXIES_ENV} 中的 {entry!r} 不是地址或网段") from None
    return tuple(networks)


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def address_of(peer: str, forwarded_for: Iterable[str], trusted: Sequence[Network]) -> str:
    """The client's address: walk back from the peer through trusted proxies only."""
    address = peer
    hops = [h.strip() for part in forwarded_for for h in part.split(",") if h.strip()]
    while _trusted(address, trusted) and hops:
        address = hops.pop()
    return address


def from_trusted_proxy(request: Request, trusted: Sequence[Network]) -> bool:
    """Whether the request's connection is one of the trusted reverse proxies."""
    peer = request.conn_info.client_ip if request.conn_info else (request.ip or "")
    return _trusted(peer or "", trusted)


def client_address(request: Request, trusted: Sequence[Network]) -> str:
    peer = request.conn_info.client_ip if request.conn_info else (request.ip or "")
    return address_of(peer or "unknown", request.headers.getall("x-forwarded-for", []), trusted)
