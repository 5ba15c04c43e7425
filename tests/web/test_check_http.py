"""The self-check at /check over HTTP (bot.web.check), on a light server (no model needed)."""
from __future__ import annotations

import json
import sqlite3
import urllib.parse
from typing import Iterator

import pytest

from bot.run import stop
from tests.web.light_server import LightServer, start

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DONE = {"place": "伊宁", "kind": "1", "answers": {"gap_years": "两年"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LightServer]:
    proc, light = start(tmp_path_factory.mktemp("check"), {})
    yield light
    stop(proc)


def step(server: LightServer, body: object) -> dict:
    reply = server.call("POST", "/check/api/step", body)
    assert reply.status == 200, reply.body
    return reply.body


def print_page(server: LightServer, state: object):
    raw = urllib.parse.urlencode({"state": json.dumps(state, ensure_ascii=False)}).encode("utf-8")
    return server.call("POST", "/check/print", raw=raw, headers=FORM)


def test_the_page_and_its_files(server: LightServer) -> None:
    page = server.call("GET", "/check")
    assert page.status == 200 and "<title>医保自助查询 · 医保助手</title>" in page.body
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "form-action 'self'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert "<script>" not in page.body and "style=" not in page.body
    for name in ("check.js", "check.css", "card.js", "card.css", "modes.js", "modes.css"):
        asset = server.call("GET", f"/check/static/{name}")
        assert asset.status == 200 and f"/check/static/{name}" in page.body, name
        assert asset.headers["x-content-type-options"] == "nosniff"
        # one copy of the shared files: the chat page serves the same bytes
        if not name.startswith("check."):
            assert asset.body == server.call("GET", f"/webhooks/widget/static/{name}").body, name
    for name in ("check.js", "card.js", "modes.js"):
        script = server.call("GET", f"/check/static/{name}").body
        assert ".innerHTML" not in script and "insertAdjacentHTML" not in script, name
    for path in ("/check/static/widget.js", "/check/static/..%2Fcheck.py", "/check/else"):
        assert server.call("GET", path).status == 404


def test_step_by_step_to_the_answer_card(server: LightServer) -> None:
    first = step(server, {})
    assert first["ask"]["step"] == "place" and first["ask"]["number"] == 1
    menu = step(server, {"place": "伊宁"})
    assert menu["place"]["display"] == "新疆维吾尔自治区伊宁市"
    assert "征求意见稿" in menu["place"]["notices"][1]
    assert [o["answer"] for o in menu["ask"]["options"]] == ["1", "2"]
    fact = step(server, {"place": "伊宁", "kind": "1"})
    assert fact["ask"]["slot"] == "gap_years" and fact["ask"]["example"] == "两年、1.5、0"
    done = step(server, DONE)
    assert done["ask"] is None and done["kind"]["value"] == "waiting"
    assert done["facts"] == [{"label": "地区", "value": "新疆维吾尔自治区伊宁市"},
                             {"label": "断保年数", "value": "2 年"}]
    card = done["answer"]["card"]
    assert (card["label"], card["figure"], card["unit"]) == ("待遇等待期", "4", "个月")
    assert card["draft"] is True and card["sources"][0]["clause"] == "二、(五)"
    assert done["answer"]["text"].startswith("待遇等待期:4 个月。") and done["answer"]["printable"] is True


def test_a_figure_given_here_is_in_the_audit_log_like_one_given_in_the_chat(server: LightServer) -> None:
    def rows() -> list[tuple]:
        if not server.db.exists():
            return []
        with sqlite3.connect(server.db) as db:
            found = db.execute("SELECT name FROM sqlite_master WHERE name = 'audit'").fetchone()
            return db.execute("SELECT channel, kind, inputs, value, unit FROM audit ORDER BY rowid").fetchall() \
                if found else []
    before = len(rows())
    step(server, {"place": "伊宁", "kind": "1"})                  # a question, no figure yet
    assert len(rows()) == before
    step(server, DONE)
    (channel, kind, inputs, value, unit), = rows()[before:]
    assert (channel, kind, value, unit) == ("check", "waiting", "4", "个月")
    assert json.loads(inputs)["gap_years"] == "2"


def test_bad_answers_get_the_readers_polite_reasons(server: LightServer) -> None:
    again = step(server, {"place": "伊宁", "kind": "1", "answers": {"gap_years": "1e5"}})
    assert again["ask"]["slot"] == "gap_years" and "科学计数法" in again["ask"]["error"]
    phone = step(server, {"place": "平遥", "answers": {"price_class": "13812345678"}})
    assert phone["ask"]["slot"] == "price_class" and "13812345678" not in json.dumps(phone, ensure_ascii=False)
    for place in ("<img src=x onerror=alert(1)>", "' OR 1=1 --", "😀" * 1000, "北" * 5000):
        refused = step(server, {"place": place})
        assert refused["ask"]["step"] == "place" and refused["ask"]["error"]
    for body in (None, [], {"place": 5}, {"answers": {"gap_years": 2}}, {"answers": ["x"]},
                 {"answers": {f"s{n}": "1" for n in range(31)}}):
        reply = server.call("POST", "/check/api/step", body if body is not None else None,
                            raw=b"not json" if body is None else None)
        assert reply.status == 400 and reply.body["message"] == "请求格式不正确,请刷新页面后再试。"


def test_the_printable_page_with_its_style_allowed_by_hash_only(server: LightServer) -> None:
    page = print_page(server, DONE)
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "style-src 'sha256-" in csp and "script" not in csp.replace("default-src", "")
    assert "unsafe-inline" not in csp and page.headers["x-frame-options"] == "DENY"
    assert "<title>医保自助查询结果</title>" in page.body and ">4 个月<" in page.body
    assert "断保年数" in page.body and "新疆维吾尔自治区伊宁市" in page.body
    for state in ({"place": "伊宁"}, {}, "x", None):
        unfinished = print_page(server, state)
        assert unfinished.status == 400 and "把问题答完" in unfinished.body
    empty = server.call("POST", "/check/print", raw=b"", headers=FORM)
    assert empty.status == 400 and "把问题答完" in empty.body
