"""Privacy and access, against a running assistant (tests/load/harness.py).

- Personal data never stored or logged: a conversation over REST and over the widget gives an
  18-digit ID number and mobile numbers (plain, split by spaces and dashes, full-width), asks for
  a figure and for a person, and every example of tests/privacy/personal_data.yml (IDs, mobiles,
  landlines, bank cards, e-mail and QQ ids, names, street addresses, in every way residents write
  them) is sent over REST, the widget and the hotline batch; then every store is searched for the
  raw data, in every encoding
  they could be written in (UTF-8, JSON \\u escapes, the NFKC/ASCII form of full-width digits):
  the tracker SQLite files (raw bytes), the hand-off/audit database (var/assistant.db in
  production; YIBAO_ASSISTANT_DB here), a hotline database made by `python -m bot transcripts`
  from a one-call JSONL containing them, and both servers' logs.
- The action server listens on loopback only (/proc/net/tcp, and a connection attempt on this
  machine's non-loopback address), needs the shared token (401 without), never echoes the request
  in its errors and refuses a deflate body that inflates too far.
- Rasa's HTTP API is off: /status, /conversations/<id>/tracker, /model/parse are 404. With
  $YIBAO_API_TOKEN set (environment only) it is on and needs `?token=`: 401 without or with a
  wrong token, 200 with it.
- Telemetry is off in both servers' environment.
"""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path
from typing import Iterator

import pytest
import yaml

from bot.rasa.action_server import MAX_INFLATED_BYTES
from bot.run import ROOT, action_token, env
from tests.load.harness import LiveAssistant, http, live_assistant

ID_NUMBER = "110101199003074514"
MOBILE = "13812345678"
MOBILE_SPACED = "139 8765 4321"
MOBILE_DASHED = "137-2468-1357"
MOBILE_FULLWIDTH = "１３６１１２２３３４４"
ID_FULLWIDTH = "３７０６０２１９８５０１０１１２３Ｘ"
CORPUS = yaml.safe_load((ROOT / "tests" / "privacy" / "personal_data.yml").read_text(encoding="utf-8"))["examples"]
SECRETS = (ID_NUMBER, MOBILE, MOBILE_SPACED, MOBILE_DASHED, MOBILE_FULLWIDTH, ID_FULLWIDTH,
           *(e["secret"] for e in CORPUS))
CHUNK = 15        # corpus messages per sender: under the channels' rate limit, no waiting

REST_TURNS = (
    f"我的身份证号是{ID_NUMBER},手机{MOBILE},新疆断保两年,现在交多久能报销",
    f"我的电话是{MOBILE_SPACED},另一个号码{MOBILE_DASHED}",
    f"身份证{ID_FULLWIDTH},手机{MOBILE_FULLWIDTH}",
    f"转人工,请打{MOBILE_DASHED}联系我",
)
WIDGET_TURNS = (
    f"伊宁,断保三年,身份证{ID_NUMBER}",
    f"手机{MOBILE_FULLWIDTH},也可以打{MOBILE_SPACED}",
    f"转人工,我的手机号是{MOBILE}",
)


def forms(secret: str) -> set[bytes]:
    """Every byte string the secret (or its bare digits) could be stored or logged as."""
    texts = {secret, unicodedata.normalize("NFKC", secret)}
    texts |= {"".join(c for c in t if c.isalnum()) for t in list(texts)}
    out: set[bytes] = set()
    for t in texts:
        out.add(t.encode("utf-8"))
        out.add(json.dumps(t)[1:-1].encode("ascii"))              # JSON with \u escapes
        if len(t) >= 6:       # shorter UTF-16 strings turn up by chance in binary pages
            out.add(t.encode("utf-16-le"))
    return out


def leaks(data: bytes) -> list[str]:
    return [secret for secret in SECRETS if any(f in data for f in forms(secret))]


def files_under(*paths: Path) -> list[Path]:
    out = []
    for p in paths:
        if p.is_dir():
            out += [q for q in p.rglob("*") if q.is_file()]
        elif p.is_file():
            out.append(p)
    return out


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveAssistant]:
    yield from live_assistant(tmp_path_factory, "privacy")


@pytest.fixture(scope="module")
def conversation(assistant: LiveAssistant) -> LiveAssistant:
    """The conversations with personal numbers, over REST and the widget (once per module)."""
    for text in REST_TURNS:
        reply = assistant.rest("privacy-rest", text)
        assert reply.status == 200 and reply.messages, reply
    token = assistant.widget_session()
    for text in WIDGET_TURNS:
        reply = assistant.widget(token, text)
        assert reply.status == 200 and reply.messages, reply
    reply = assistant.post("/webhooks/widget/webhook", {"sender": token, "command": "handoff"})
    assert reply.status == 200 and "转人工" in reply.text, reply
    texts = [e["text"] for e in CORPUS]
    for k in range(0, len(texts), CHUNK):
        for text in texts[k:k + CHUNK]:
            reply = assistant.rest(f"privacy-corpus-{k}", text)
            assert reply.status == 200 and reply.messages, (text, reply)
        corpus_token = assistant.widget_session()
        for text in texts[k:k + CHUNK]:
            reply = assistant.widget(corpus_token, text)
            assert reply.status == 200 and reply.messages, (text, reply)
        reply = assistant.rest(f"privacy-corpus-{k}", "转人工," + texts[k])
        assert reply.status == 200 and "转人工" in reply.text, reply
    history = assistant.post("/webhooks/widget/session", {"sender": token})
    assert history.status == 200 and history.body["history"], history
    assert not leaks(json.dumps(history.body, ensure_ascii=False).encode("utf-8"))
    return assistant


def test_the_numbers_reached_the_stores_masked(conversation: LiveAssistant) -> None:
    """Sanity for the searches below: the turns were stored (masked) and the hand-offs made."""
    texts = conversation.user_texts("privacy-rest")
    assert len(texts) == len(REST_TURNS)
    assert "[身份证]" in texts[0] and "[手机号]" in texts[0]
    assert conversation.assistant_db.is_file()


def test_tracker_store_holds_no_raw_numbers(conversation: LiveAssistant) -> None:
    found = {str(p): leaks(p.read_bytes()) for p in files_under(conversation.tracker_db.parent)}
    assert found and not any(found.values()), found


def test_assistant_db_holds_no_raw_numbers(conversation: LiveAssistant) -> None:
    with sqlite3.connect(conversation.assistant_db) as db:
        handoffs = db.execute("SELECT count(*) FROM handoffs").fetchone()[0]
        audits = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    assert handoffs >= 2 + len(CORPUS) // CHUNK and audits >= 1   # the searched tables are really there
    files = files_under(conversation.assistant_db.parent)
    found = {str(p): leaks(p.read_bytes()) for p in files if p.name.startswith("assistant.db")}
    assert found and not any(found.values()), found


def test_server_logs_hold_no_raw_numbers(conversation: LiveAssistant) -> None:
    logs = conversation.logs().encode("utf-8")
    assert logs and not leaks(logs)


def test_transcripts_database_holds_no_raw_numbers(tmp_path: Path, assistant: LiveAssistant) -> None:
    call = [
        {"call_id": "PRIV-1", "turn": 1, "speaker": "agent", "text": "您好,医保服务热线"},
        {"call_id": "PRIV-1", "turn": 2, "speaker": "caller",
         "text": f"我身份证{ID_NUMBER},电话{MOBILE_SPACED},新疆断保两年多久能报销"},
        {"call_id": "PRIV-1", "turn": 3, "speaker": "agent", "text": f"好的,您的号码是{MOBILE}吗"},
        {"call_id": "PRIV-1", "turn": 4, "speaker": "caller",
         "text": f"对,也可以打{MOBILE_FULLWIDTH}或者{MOBILE_DASHED},身份证{ID_FULLWIDTH}"},
        *({"call_id": "PRIV-2", "turn": k + 1, "speaker": "caller" if k % 2 == 0 else "agent",
           "text": e["text"]} for k, e in enumerate(CORPUS)),
    ]
    source = tmp_path / "call.jsonl"
    source.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in call) + "\n",
                      encoding="utf-8")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    db = out_dir / "hotline.db"
    done = subprocess.run([sys.executable, "-m", "bot", "transcripts", str(source), "--db", str(db),
                           "--model", str(assistant.model)],
                          cwd=ROOT, env={**env(), "YIBAO_ASSISTANT_DB": str(out_dir / "assistant.db")},
                          capture_output=True, timeout=900)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output.decode("utf-8", "replace")[-3000:]
    assert db.is_file()
    found = {str(p): leaks(p.read_bytes()) for p in files_under(out_dir)}
    assert not any(found.values()), found
    assert not leaks(output), output.decode("utf-8", "replace")[-3000:]


# -- access ----------------------------------------------------------------------------------------

def _listening(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp*) with a socket listening on `port`."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            address, state = fields[1], fields[3]
            if state == "0A" and int(address.rsplit(":", 1)[1], 16) == port:
                out.append(address.rsplit(":", 1)[0])
    return out


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))            # TEST-NET: nothing is sent
            address = s.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_action_server_listens_on_loopback_only(assistant: LiveAssistant) -> None:
    addresses = _listening(assistant.action_port)
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp on this system")
    assert addresses == ["0100007F"], addresses           # 127.0.0.1 only, no 0.0.0.0 / ::
    address = _non_loopback_address()
    if address is not None:
        with socket.socket() as s:
            s.settimeout(3)
            assert s.connect_ex((address, assistant.action_port)) != 0


def test_the_action_server_needs_the_token_and_echoes_nothing(assistant: LiveAssistant) -> None:
    """rasa-sdk 3.6 runs any action for any caller and answers an action that raises with HTTP 500
    and the whole request body (the conversation) echoed back. bot/rasa/action_server.py: 401
    without the token, and a 500 that says only that the action failed."""
    body = {"next_action": "action_answer_faq", "sender_id": "x",
            "tracker": {"sender_id": "x", "latest_message": "not a dict", "marker": "请求体回显标记"},
            "domain": {}}
    base = f"http://127.0.0.1:{assistant.action_port}"
    for path in ("/webhook", "/webhook?token=wrong", "/actions"):
        reply = http(base + path, body if path.startswith("/webhook") else None)
        assert reply.status == 401, (path, reply)
    reply = http(f"{base}/webhook?token={action_token()}", body)
    assert reply.status == 500 and reply.body == {"error": "action failed"}, reply
    assert "请求体回显标记" not in assistant.logs()
    assert http(base + "/health").status == 200
    assert _listening(assistant.action_port) == ["0100007F"]


def test_the_action_server_refuses_a_body_that_inflates_too_far(assistant: LiveAssistant) -> None:
    bomb = zlib.compress(b" " * (MAX_INFLATED_BYTES + 1024 * 1024), 9)
    assert len(bomb) < 64 * 1024
    reply = http(f"http://127.0.0.1:{assistant.action_port}/webhook?token={action_token()}", raw=bomb,
                 headers={"Content-Encoding": "deflate"})
    assert reply.status == 413, reply


@pytest.mark.parametrize("method,path", [("GET", "/status"), ("GET", "/conversations/privacy-rest/tracker"),
                                         ("POST", "/model/parse"), ("GET", "/conversations/privacy-rest/story"),
                                         ("POST", "/conversations/privacy-rest/messages")])
def test_rasa_http_api_is_off_by_default(assistant: LiveAssistant, method: str, path: str) -> None:
    reply = http(assistant.base_url + path, {"text": "你好", "sender": "user"} if method == "POST" else None,
                 method=method)
    assert reply.status in (404, 405), (path, reply.status)


def test_api_token_turns_the_api_on_with_authentication(assistant: LiveAssistant) -> None:
    """Restarts this module's Rasa server with $YIBAO_API_TOKEN (runs last in the module)."""
    token = os.urandom(16).hex()
    assistant.stop_rasa()
    assistant.extra_rasa_env["YIBAO_API_TOKEN"] = token
    assistant.start_rasa()
    base = assistant.base_url
    for path in ("/status", "/conversations/privacy-rest/tracker"):
        assert http(base + path).status == 401, path
        assert http(f"{base}{path}?token=wrong").status == 401, path
        assert http(f"{base}{path}?token={token}").status == 200, path
    parse = http(f"{base}/model/parse?token={token}", {"text": "新疆断保两年"})
    assert parse.status == 200 and parse.body["intent"]["name"]
    assert http(f"{base}/model/parse", {"text": "你好"}).status == 401
    # the channels and the page are unchanged
    page = http(base + "/")        # the chat page, not Rasa's "Hello from Rasa"
    assert page.status == 200 and "<title>医保助手</title>" in str(page.body)
    reply = assistant.rest("privacy-api", "新疆断保两年,现在交多久能报销")
    assert reply.status == 200 and "4 个月" in reply.text


def test_telemetry_is_off_in_both_servers(assistant: LiveAssistant) -> None:
    for proc in (assistant.actions, assistant.server):
        assert proc is not None and proc.poll() is None
        environ = Path(f"/proc/{proc.pid}/environ").read_bytes().split(b"\0")
        assert b"RASA_TELEMETRY_ENABLED=false" in environ
