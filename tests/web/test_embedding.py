"""Who may frame the chat page ($YIBAO_FRAME_ANCESTORS, bot.web.embedding): nobody by default
(CSP frame-ancestors 'none' and X-Frame-Options: DENY), else exactly the origins set; a wrong
value stops the server's start with a Chinese message."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bot.run import free_port
from bot.web.embedding import FRAME_ANCESTORS_ENV, framing_headers, parse_frame_ancestors
from bot.web.settings import SettingError
from tests.running import ROOT, RunningAssistant

# The widget page's headers as a server started with `env` sends them (bot.web.widget reads
# the setting when it is imported, so each setting needs its own process).
PAGE_HEADERS_OF = ("import json; from bot.web.widget import WidgetInput; from bot.web.sender_ids import "
                   "SenderSigner; w = WidgetInput(SenderSigner(b'k' * 32)); "
                   "print(json.dumps(dict(w.page().headers)))")


def page_headers_with(value: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != FRAME_ANCESTORS_ENV}
    if value is not None:
        env[FRAME_ANCESTORS_ENV] = value
    done = subprocess.run([sys.executable, "-c", PAGE_HEADERS_OF], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=True)
    return {k.lower(): v for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


@pytest.mark.parametrize("raw, origins", [
    (None, ()), ("", ()), ("  ", ()), ("'none'", ()), ("none", ()),
    ("https://portal.example.gov.cn", ("https://portal.example.gov.cn",)),
    ("https://Portal.Example.gov.cn/, http://localhost:8080",
     ("https://portal.example.gov.cn", "http://localhost:8080")),
    ("https://a.example.cn https://*.example.gov.cn,'self'  https://a.example.cn",
     ("https://a.example.cn", "https://*.example.gov.cn", "'self'")),
])
def test_origins_are_read_and_normalised(raw: str | None, origins: tuple[str, ...]) -> None:
    assert parse_frame_ancestors(raw) == origins


@pytest.mark.parametrize("raw", [
    "*", "https://*", "portal.example.gov.cn", "https://portal.example.gov.cn/path",
    "https://portal.example.gov.cn?x=1", "javascript:alert(1)", "data:", "https:",
    "https://user@portal.example.gov.cn", "https://portal.example.gov.cn:99999",
    "'none' https://portal.example.gov.cn", "'unsafe-inline'", "https://a.cn;script-src *",
    "https://例子.中国", "ftp://portal.example.gov.cn", "<script>", "https://a.cn\"",
    " ".join(f"https://p{n}.example.cn" for n in range(21)),
])
def test_anything_but_origins_is_refused_in_chinese(raw: str) -> None:
    with pytest.raises(SettingError) as refused:
        parse_frame_ancestors(raw)
    assert FRAME_ANCESTORS_ENV in str(refused.value) and "网站来源" in str(refused.value)


def test_headers_for_nobody_and_for_a_list() -> None:
    assert framing_headers("default-src 'none'", ()) == {
        "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'", "X-Frame-Options": "DENY"}
    assert framing_headers("default-src 'none'", ("https://a.cn", "'self'")) == {
        "Content-Security-Policy": "default-src 'none'; frame-ancestors https://a.cn 'self'"}


def test_the_running_page_may_not_be_framed_by_default(assistant: RunningAssistant) -> None:
    page = assistant.get("/")
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["content-security-policy"].endswith("; frame-ancestors 'none'")


def test_a_server_started_with_origins_sends_them_and_no_x_frame_options() -> None:
    default = page_headers_with(None)
    assert default["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in default["content-security-policy"]
    allowed = page_headers_with("https://portal.example.gov.cn, https://*.ybj.example.cn")
    assert "x-frame-options" not in allowed
    csp = allowed["content-security-policy"]
    assert csp.endswith("; frame-ancestors https://portal.example.gov.cn https://*.ybj.example.cn")
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "'none'" not in csp.split("frame-ancestors")[1]


def test_a_wrong_value_stops_the_server_start_with_a_chinese_message(tmp_path) -> None:
    env = {**os.environ, FRAME_ANCESTORS_ENV: "https://portal.example.gov.cn/首页"}
    done = subprocess.run([sys.executable, "-m", "bot.rasa.server", "--model", str(tmp_path / "none.tar.gz"),
                           "--host", "127.0.0.1", "--port", str(free_port())],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    assert "医保助手没有启动" in done.stderr and FRAME_ANCESTORS_ENV in done.stderr
    assert "https://portal.example.gov.cn/首页" in done.stderr and "Traceback" not in done.stderr
