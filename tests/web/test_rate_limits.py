"""bot.web.rate_limits: limits counted by client address (X-Forwarded-For only from trusted
proxies), a ceiling for everyone, and counts that hold across servers sharing Redis."""
from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from bot.run import free_port
from bot.web.rate_limits import Limiter, address_of, per_seconds, storage_uri, trusted_networks
from bot.web.sender_ids import SenderSigner
from bot.web.widget import WidgetInput

PROXY = trusted_networks({"YIBAO_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1"})


@pytest.mark.parametrize("peer, forwarded, address", [
    ("203.0.113.7", [], "203.0.113.7"),                              # straight from the client
    ("203.0.113.7", ["198.51.100.1"], "203.0.113.7"),                # a client cannot choose
    ("10.0.0.5", ["198.51.100.1"], "198.51.100.1"),                  # through our proxy
    ("10.0.0.5", ["1.2.3.4, 198.51.100.1"], "198.51.100.1"),         # the nearest untrusted hop
    ("10.0.0.5", ["198.51.100.1, 10.1.1.1"], "198.51.100.1"),        # through two of our proxies
    ("10.0.0.5", [], "10.0.0.5"),                                    # a proxy's own request
    ("127.0.0.1", ["garbage"], "garbage"),
])
def test_the_client_address_trusts_forwarded_for_only_from_our_proxies(peer, forwarded, address):
    assert address_of(peer, forwarded, PROXY) == address


def test_a_bad_trusted_proxy_stops_the_server():
    with pytest.raises(ValueError, match="YIBAO_TRUSTED_PROXIES"):
        trusted_networks({"YIBAO_TRUSTED_PROXIES": "10.0.0.0/8, proxy.local"})


def test_the_storage_is_redis_when_the_servers_share_one():
    assert storage_uri({}) == "memory://"
    assert storage_uri({"YIBAO_REDIS_HOST": "10.0.0.9", "YIBAO_REDIS_PORT": "6380",
                        "YIBAO_REDIS_PASSWORD": "pw"}) == "redis://:pw@10.0.0.9:6380/2"


def test_new_conversations_have_a_ceiling_for_everyone():
    widget = WidgetInput(SenderSigner(b"s" * 32), new_senders_per_minute=2,
                         new_conversations_per_minute=3, limiter=Limiter())
    assert [widget.guard_new_sender("a") is None for _ in range(3)] == [True, True, False]   # per address
    assert widget.guard_new_sender("b") is None                 # the third new conversation
    refused = widget.guard_new_sender("c")                       # a fourth: nobody gets one
    assert refused is not None and refused.status == 429 and refused.retry_after >= 1


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("没有安装 redis-server(make test 会用 apt 安装)")
    port = free_port()
    work = Path(tmp_path_factory.mktemp("redis"))
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(work)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/2"
    finally:
        proc.terminate()
        proc.wait(10)


def test_a_limit_holds_across_two_servers_sharing_redis(redis_url: str):
    """Two servers (two limiters, as two processes have) on the same Redis: a client that
    alternates between them gets the limit once, not once per server."""
    one, two = Limiter(redis_url), Limiter(redis_url)
    item = per_seconds(4, 60)
    waits = [(one if k % 2 == 0 else two).hit(item, "widget", "new", "198.51.100.1") for k in range(6)]
    assert waits[:4] == [0.0] * 4 and all(w >= 1 for w in waits[4:])
    assert Limiter("memory://").hit(item, "widget", "new", "198.51.100.1") == 0.0   # a server on its own
    widgets = [WidgetInput(SenderSigner(b"s" * 32), new_senders_per_minute=3, limiter=Limiter(redis_url))
               for _ in range(2)]
    allowed = [widgets[k % 2].guard_new_sender("203.0.113.9") is None for k in range(5)]
    assert allowed == [True, True, True, False, False]


def test_without_redis_a_server_still_counts_on_its_own():
    limiter = Limiter(f"redis://127.0.0.1:{free_port()}/2")        # nothing listens there
    item = per_seconds(2, 60)
    assert [limiter.hit(item, "x") for _ in range(2)] == [0.0, 0.0]
    assert limiter.hit(item, "x") >= 1
