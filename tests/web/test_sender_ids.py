"""bot.web.sender_ids: server-issued, HMAC-signed sender ids and their secret."""
from __future__ import annotations

import os
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.server_secret import SECRET_ENV, load_secret
from bot.web.sender_ids import SENDER_PREFIX, SenderSigner

SIGNER = SenderSigner(b"s" * 32)


def test_issued_tokens_verify_to_their_sender() -> None:
    issued = SIGNER.issue()
    assert issued.sender_id.startswith(SENDER_PREFIX)
    assert issued.token.startswith(issued.sender_id + ".")
    assert SIGNER.verify(issued.token) == issued.sender_id
    assert SIGNER.issue().sender_id != issued.sender_id      # random, never reused


def test_forged_tokens_are_refused() -> None:
    issued = SIGNER.issue()
    sender_id, _, signature = issued.token.rpartition(".")
    other = SIGNER.issue()
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forgeries = [
        None, 42, "", sender_id, f"{sender_id}.", f"{sender_id}.{flipped}",
        f"{other.sender_id}.{signature}",                    # someone else's id, my signature
        f"{sender_id}x.{signature}",
        "web-admin.AAAA", "default", "rest-user.abc",
        f"{sender_id}.{signature}é", issued.token + "." + signature,
        issued.token * 10,
    ]
    for token in forgeries:
        assert SIGNER.verify(token) is None, token
    assert SenderSigner(b"t" * 32).verify(issued.token) is None   # another server's secret


def test_secret_from_environment() -> None:
    assert load_secret(Path("/nonexistent/secret"), {SECRET_ENV: "e" * 20}) == b"e" * 20
    with pytest.raises(ValueError):
        load_secret(Path("/nonexistent/secret"), {SECRET_ENV: "short"})


def test_secret_file_is_created_once_with_owner_only_permissions(tmp_path: Path) -> None:
    path = tmp_path / "var" / "sender_secret"
    first = load_secret(path, {})
    assert len(first) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(path, {}) == first                    # kept, not regenerated


def test_loose_permissions_are_tightened(tmp_path: Path) -> None:
    path = tmp_path / "sender_secret"
    path.write_text("x" * 40)
    os.chmod(path, 0o644)
    assert load_secret(path, {}) == b"x" * 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_signer_does_not_show_its_secret() -> None:
    assert "sss" not in repr(SIGNER)


def test_servers_starting_together_share_one_secret(tmp_path: Path) -> None:
    path = tmp_path / "sender_secret"
    with ThreadPoolExecutor(max_workers=8) as pool:
        secrets_read = set(pool.map(lambda _: load_secret(path, {}), range(32)))
    assert len(secrets_read) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["sender_secret"]     # no temporary files left
