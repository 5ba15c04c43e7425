"""The REST API is for integrations: off without $YIBAO_REST_TOKEN, a bearer token on every
request, the caller's sender id never stored (only its keyed pseudonym), stores private."""
from __future__ import annotations

import os
import sqlite3
import stat
from types import SimpleNamespace

import pytest

from bot import audit, pseudonyms
from bot.pseudonyms import Pseudonyms
from bot.sqlite_writes import open_shared, private_file
from bot.transcripts.store import TranscriptStore
from bot.web.rest import PSEUDONYM_KIND, SafeRestInput
from bot.web.safety import TEXT_REST_OFF, TEXT_REST_UNAUTHORIZED
from tests.running import RunningAssistant

QUESTION = "新疆断保两年,现在交多久能报销?"
PHONE_AS_SENDER = "13912345678"


def _request(authorization: str | None) -> SimpleNamespace:
    return SimpleNamespace(headers={} if authorization is None else {"authorization": authorization})


def test_without_a_token_the_api_is_off():
    rest = SafeRestInput(token=None)
    refused = rest._authorized(_request("Bearer anything"))
    assert refused is not None and refused.status == 404 and refused.text == TEXT_REST_OFF


@pytest.mark.parametrize("authorization, status", [
    (None, 401), ("", 401), ("Bearer", 401), ("Bearer wrong", 401), ("Basic c2VjcmV0", 401),
    ("Token secret-token-123", 401), ("Bearer secret-token-123", None), ("bearer  secret-token-123 ", None),
])
def test_the_bearer_token_is_required(authorization: str | None, status: int | None):
    rest = SafeRestInput(token="secret-token-123", pseudonyms=Pseudonyms(b"k" * 32))
    refused = rest._authorized(_request(authorization))
    assert (refused.status if refused else None) == status
    if refused:
        assert refused.text == TEXT_REST_UNAUTHORIZED and refused.headers() == {"WWW-Authenticate": "Bearer"}


def test_pseudonyms_are_keyed_and_stable():
    one, other = Pseudonyms(b"a" * 32), Pseudonyms(b"b" * 32)
    assert one.of("rest", PHONE_AS_SENDER) == one.of("rest", PHONE_AS_SENDER)
    assert one.of("rest", PHONE_AS_SENDER) != other.of("rest", PHONE_AS_SENDER)
    assert one.of("rest", PHONE_AS_SENDER) != one.of("s", PHONE_AS_SENDER)
    assert PHONE_AS_SENDER not in one.of("rest", PHONE_AS_SENDER)


def test_a_request_without_the_token_is_refused(assistant: RunningAssistant) -> None:
    for authorization in ("", "Bearer wrong"):
        reply = assistant.post("/webhooks/rest/webhook", {"sender": "x-1", "message": QUESTION},
                               headers={"Authorization": authorization})
        assert reply.status == 401 and reply.body[0]["text"] == TEXT_REST_UNAUTHORIZED, reply
        assert reply.headers["www-authenticate"] == "Bearer"


def test_the_callers_sender_id_is_stored_only_as_its_pseudonym(assistant: RunningAssistant) -> None:
    reply = assistant.rest(PHONE_AS_SENDER, QUESTION)
    assert reply.status == 200 and all(m["recipient_id"] == PHONE_AS_SENDER for m in reply.body)
    assert "4 个月" in "".join(m.get("text") or "" for m in reply.body)
    pseudonym = Pseudonyms(assistant.secret.encode()).of(PSEUDONYM_KIND, PHONE_AS_SENDER)
    with sqlite3.connect(assistant.tracker_db) as db:
        senders = {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}
    assert pseudonym in senders and not any(PHONE_AS_SENDER in s for s in senders)
    assert PHONE_AS_SENDER.encode() not in assistant.tracker_db.read_bytes()


def test_the_stores_are_readable_by_their_owner_only(assistant: RunningAssistant) -> None:
    assistant.rest("store-modes", QUESTION)
    assistant.rest("store-modes", "转人工")
    for path in (assistant.tracker_db, assistant.handoff_db):
        assert path.is_file() and stat.S_IMODE(os.stat(path).st_mode) == 0o600, path


def test_the_audit_pseudonym_is_keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YIBAO_SENDER_SECRET", "x" * 32)
    pseudonyms.server_pseudonyms.cache_clear()
    try:
        first = audit.masked_sender(PHONE_AS_SENDER)
        assert first == Pseudonyms(b"x" * 32).of(audit.PSEUDONYM_KIND, PHONE_AS_SENDER)
        assert first == audit.masked_sender(PHONE_AS_SENDER) and PHONE_AS_SENDER not in first
    finally:
        pseudonyms.server_pseudonyms.cache_clear()


def test_a_new_store_file_is_private(tmp_path) -> None:
    loose = tmp_path / "loose.db"
    loose.write_bytes(b"")
    os.chmod(loose, 0o644)
    private_file(loose)
    store = TranscriptStore(tmp_path / "hotline.db")
    store.close()
    open_shared(tmp_path / "assistant.db").conn.close()
    for name in ("loose.db", "hotline.db", "assistant.db"):
        assert stat.S_IMODE(os.stat(tmp_path / name).st_mode) == 0o600, name
