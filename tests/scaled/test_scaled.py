"""Two Rasa servers sharing a Redis lock store and a PostgreSQL tracker store (real servers).

Starts PostgreSQL + Redis (Debian packages, loopback, a temporary data directory), one action
server and two Rasa servers with deploy/endpoints.scaled.yml. The multi-turn conversations of
tests/conversation/conversations.yml are replayed with their turns alternating between the two
servers, several conversations at once, and must give the same replies as the single in-process
assistant; the tracker store must then hold every turn, in order. Finally one server is killed
mid-conversation and the other must finish every conversation.
"""
from __future__ import annotations

import json
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from bot import assistant_rows
from bot.audit import PSEUDONYM_KIND as AUDIT_KIND
from bot.pseudonyms import server_pseudonyms
from bot.run import ensure_model
from bot.scaled import Cluster
from bot.web.rest import PSEUDONYM_KIND as REST_KIND

ROOT = Path(__file__).resolve().parents[2]
CONVERSATIONS = [c for c in yaml.safe_load(
    (ROOT / "tests" / "conversation" / "conversations.yml").read_text(encoding="utf-8"))
    if len(c["turns"]) >= 2]
LOCK_TROUBLE = ("LockError", "Could not acquire lock", "lock_store")


def _missing() -> str | None:
    if shutil.which("redis-server") is None:
        return "redis-server"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/postgres")):
        return "postgresql"
    return None


@pytest.fixture(scope="module")
def cluster():
    missing = _missing()
    if missing:
        pytest.skip(f"没有安装 {missing}(make test 会用 apt 安装;单独运行请先 make test-scaled)")
    model = ensure_model("config.ci.yml", "yibao-ci")
    data = Path(tempfile.mkdtemp(prefix="yibao-scaled-"))
    try:
        with Cluster(model=model, servers=2, data_dir=data) as c:
            yield c
    finally:
        shutil.rmtree(data, ignore_errors=True)


def post(base: str, sender: str, text: str, token: str) -> list[dict]:
    req = urllib.request.Request(f"{base}/webhooks/rest/webhook",
                                 data=json.dumps({"sender": sender, "message": text}).encode(),
                                 headers={"Content-Type": "application/json",
                                          "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def replay(conv: dict, sender: str, servers: list[str], token: str, kill_after: int | None = None,
           kill=None) -> list[tuple[str, str]]:
    """Send each turn to the next server (round robin); on a dead server, fail over to another.

    Returns (server, reply) per turn; asserts the expectations of conversations.yml."""
    out = []
    alive = list(servers)
    for i, turn in enumerate(conv["turns"]):
        if kill_after is not None and i == kill_after and kill is not None:
            kill()
        order = alive[i % len(alive):] + alive[:i % len(alive)]
        for base in order:
            try:
                messages = post(base, sender, str(turn["say"]), token)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                alive.remove(base)        # what a load balancer's health check does
        else:
            raise AssertionError(f"{sender}: 没有可用的服务器")
        reply = "\n".join(m.get("text", "") for m in messages if m.get("text"))
        where = f"{conv['name']} turn {i + 1} «{turn['say']}» via {base} → «{reply}»"
        for want in map(str, turn.get("expect", [])):
            assert want in reply, f"missing «{want}»: {where}"
        for unwanted in turn.get("absent", []):
            assert unwanted not in reply, f"unexpected «{unwanted}»: {where}"
        out.append((base, reply))
    return out


def user_texts(cluster, sender: str) -> list[str]:
    """What the shared tracker store keeps for a REST caller (under its pseudonym)."""
    conversation = server_pseudonyms().of(REST_KIND, sender)
    with cluster.backing.pg_connect() as conn, conn.cursor() as cur:
        cur.execute("SELECT data FROM events WHERE sender_id = %s AND type_name = 'user' "
                    "ORDER BY id", (conversation,))
        return [json.loads(row[0])["text"] for row in cur.fetchall()]


def test_there_are_twenty_multi_turn_conversations():
    assert len(CONVERSATIONS) >= 20


def test_turns_alternate_between_servers_with_the_same_replies(cluster):
    servers = cluster.urls()
    convs = CONVERSATIONS[:20]
    senders = [f"scaled-{i}-{c['name']}" for i, c in enumerate(convs)]
    with ThreadPoolExecutor(max_workers=5) as pool:
        # Each conversation starts on a different server, so both see every kind of turn.
        results = list(pool.map(
            lambda a: replay(a[0], a[1], servers[a[2] % 2:] + servers[:a[2] % 2], cluster.rest_token),
            [(c, s, i) for i, (c, s) in enumerate(zip(convs, senders))]))
    used = {base for turns in results for base, _ in turns}
    assert used == set(servers)
    for conv, sender in zip(convs, senders):
        # Every turn is in the shared tracker store, once, in the order it was said.
        said = [str(t["say"]) for t in conv["turns"]]
        assert user_texts(cluster, sender) == said
    for port in cluster.rasa:
        log = cluster.log(port)
        assert not any(word in log for word in LOCK_TROUBLE), log[-2000:]
        assert "Traceback" not in log, log[-2000:]

def test_a_limit_holds_across_the_servers(cluster):
    """New widget conversations per client address (credentials.yml: 60 a minute) are counted in
    the shared Redis: a client alternating between the two servers gets 60, not 120."""
    statuses = []
    for k in range(62):
        req = urllib.request.Request(f"{cluster.urls()[k % 2]}/webhooks/widget/session",
                                     data=json.dumps({"sender": None}).encode(),
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as resp:
                statuses.append(resp.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert statuses[:60] == [200] * 60 and statuses[60:] == [429, 429], statuses


def test_hand_offs_and_audit_rows_of_both_action_servers_are_in_one_table(cluster):
    """Each Rasa server has its own action server; what both write lands in the shared
    PostgreSQL tables, not in a file on one action server's host."""
    assert len(set(cluster.action_urls)) == 2
    pseudonyms = server_pseudonyms()
    senders = {}
    for k, base in enumerate(cluster.urls()[:2]):
        sender = f"shared-rows-{k}-{uuid.uuid4().hex[:6]}"
        messages = post(base, sender, "新疆断保两年,现在交多久能报销", cluster.rest_token)
        assert "4 个月" in "".join(m.get("text") or "" for m in messages)
        assert "转人工" in "".join(m.get("text") or "" for m in post(base, sender, "转人工", cluster.rest_token))
        senders[k] = pseudonyms.of(REST_KIND, sender)
    environ = cluster.backing.env("")
    handoffs = {r["sender_id"] for r in assistant_rows.rows("handoffs", environ)}
    audited = {r["sender"] for r in assistant_rows.rows("audit", environ)}
    for conversation in senders.values():
        assert conversation in handoffs
        assert pseudonyms.of(AUDIT_KIND, conversation) in audited


def test_the_other_server_keeps_answering_when_one_dies(cluster):
    servers = cluster.urls()
    victim_port = next(iter(cluster.rasa))
    convs = CONVERSATIONS[:10]
    senders = [f"failover-{i}-{c['name']}" for i, c in enumerate(convs)]
    # Every conversation says its first turn while both servers run …
    for conv, sender in zip(convs, senders):
        replay({**conv, "turns": conv["turns"][:1]}, sender, servers, cluster.rest_token)
    # … then one server dies abruptly, and every conversation carries on with the other.
    cluster.kill(victim_port)
    survivors = [u for u in servers if not u.endswith(f":{victim_port}")]
    for conv, sender in zip(convs, senders):
        replay({**conv, "turns": conv["turns"][1:]}, sender, survivors + servers, cluster.rest_token)
        assert user_texts(cluster, sender) == [str(t["say"]) for t in conv["turns"]]

