"""The server secret: the key of every HMAC the assistant makes (widget sender ids, pseudonyms).

It comes from the environment variable YIBAO_SENDER_SECRET (several servers must share it), else
from a file (var/sender_secret by default) created once with permissions 0600.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Mapping

SECRET_ENV = "YIBAO_SENDER_SECRET"
DEFAULT_SECRET_FILE = Path(__file__).resolve().parent.parent / "var" / "sender_secret"
MIN_SECRET_CHARS = 16


def load_secret(path: Path = DEFAULT_SECRET_FILE, environ: Mapping[str, str] = os.environ) -> bytes:
    """The signing secret: $YIBAO_SENDER_SECRET, else `path` (created once, mode 0600)."""
    configured = environ.get(SECRET_ENV, "")
    if configured:
        if len(configured) < MIN_SECRET_CHARS:
            raise ValueError(f"环境变量 {SECRET_ENV} 太短:至少需要 {MIN_SECRET_CHARS} 个字符。")
        return configured.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        _create_secret_file(path)
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        os.chmod(path, 0o600)   # only the owner may read the secret
    secret = path.read_text(encoding="utf-8").strip()
    if len(secret) < MIN_SECRET_CHARS:
        raise ValueError(f"{path} 中的密钥太短:至少需要 {MIN_SECRET_CHARS} 个字符,删除该文件即可重新生成。")
    return secret.encode("utf-8")


def _create_secret_file(path: Path) -> None:
    """Write a new secret to a private temporary file, then link it into place: servers starting
    together all end up with the first one's secret, and none reads a half-written file."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass                       # another process was first: use its secret
    finally:
        temporary.unlink(missing_ok=True)
