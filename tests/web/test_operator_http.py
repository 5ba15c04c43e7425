"""The operator page over HTTP (bot.web.operator), on a light server: bot.web.app.build_app with
the widget and REST channels and no model (the page needs none; conversations cannot be read, so
each request says so). The flow with a real conversation is in test_operator_browser.py.

Covers: off without a token (404, Chinese), with and without Rasa's HTTP API, sign-in (wrong
token, bad names, the cookie's attributes, Secure behind a trusted https proxy), the CSRF checks,
claim / done and a claim race between two operators, personal data masked, too many sign-ins.
"""
from __future__ import annotations

import json
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

import pytest

from bot import assistant_rows, handoffs
from bot.run import env, free_port, stop
from tests.running import ROOT
from tests.web.light_server import TOKEN, LightServer, start

@pytest.fixture(scope="module")
def desk(tmp_path_factory) -> Iterator[LightServer]:
    """The operator page on, Rasa's HTTP API off; 127.0.0.1 is a trusted proxy (for Secure)."""
    proc, server = start(tmp_path_factory.mktemp("desk"),
                         {"YIBAO_OPERATOR_TOKEN": TOKEN, "YIBAO_TRUSTED_PROXIES": "127.0.0.1"})
    yield server
    stop(proc)


@pytest.mark.parametrize("api_token", ["", "api-" + secrets.token_hex(8)])
def test_off_without_a_token_404_in_chinese(tmp_path: Path, api_token: str) -> None:
    proc, server = start(tmp_path, {}, api_token)
    try:
        for method, path, body in [("GET", "/operator", None), ("GET", "/operator/", None),
                                   ("GET", "/operator/static/operator.js", None),
                                   ("GET", "/operator/api/requests", None),
                                   ("POST", "/operator/api/session", {"name": "王芳", "token": ""}),
                                   ("POST", "/operator/api/requests/1/claim", {}),
                                   ("GET", "/operator/anything/else", None)]:
            reply = server.call(method, path, body)
            assert reply.status == 404 and "此页面未开启" in reply.body and "12393" in reply.body, path
        assert server.call("GET", "/").status == 200                       # the chat page is on
    finally:
        stop(proc)


def test_on_with_rasa_http_api_too(tmp_path: Path) -> None:
    api_token = "api-" + secrets.token_hex(8)
    proc, server = start(tmp_path, {"YIBAO_OPERATOR_TOKEN": TOKEN}, api_token)
    try:
        page = server.call("GET", "/operator")
        assert page.status == 200 and "<title>转人工请求 · 医保助手</title>" in page.body
        assert "<title>医保助手</title>" in server.call("GET", "/").body
        cookie = server.sign_in("王芳")
        assert server.call("GET", "/operator/api/requests", cookie=cookie).body["operator"] == "王芳"
        assert server.call("GET", f"/version?token={api_token}").status == 200   # Rasa's API
        # ten wrong tokens a minute from one address, then a polite 429, for the right one too
        statuses = [server.call("POST", "/operator/api/session", {"name": "王芳", "token": "x"}).status
                    for _ in range(11)]
        assert statuses == [401] * 10 + [429]
        assert "请稍等" in server.call("POST", "/operator/api/session",
                                      {"name": "王芳", "token": TOKEN}).body["message"]
    finally:
        stop(proc)


def test_a_short_token_stops_the_server_start(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bot.rasa.server", "--model", str(tmp_path / "none"),
                           "--port", str(free_port())], cwd=ROOT, capture_output=True, text=True,
                          env={**env(), "YIBAO_OPERATOR_TOKEN": "short"}, timeout=300)
    assert done.returncode == 2 and "YIBAO_OPERATOR_TOKEN" in done.stderr and "至少 16 个字符" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_page_and_its_files(desk: LightServer) -> None:
    page = desk.call("GET", "/operator")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    csp = page.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and page.headers["x-frame-options"] == "DENY"
    assert page.headers["cache-control"] == "no-store"
    assert "<script>" not in page.body and "style=" not in page.body and "innerHTML" not in page.body
    for name in ("operator.js", "operator.css"):
        asset = desk.call("GET", f"/operator/static/{name}")
        assert asset.status == 200 and asset.headers["x-content-type-options"] == "nosniff"
    assert "innerHTML" not in desk.call("GET", "/operator/static/operator.js").body
    for path in ("/operator/static/widget.js", "/operator/static/..%2F..%2Fapp.py",
                 "/operator/static/%2Fetc%2Fpasswd", "/operator/nothing"):
        reply = desk.call("GET", path)
        assert reply.status == 404 and reply.body == "未找到此页面。", path


def test_sign_in_wrong_token_bad_names_and_the_cookie(desk: LightServer) -> None:
    anonymous = desk.call("GET", "/operator/api/requests")
    assert anonymous.status == 401 and "请先登录" in anonymous.body["message"]
    for body in ({"name": "王芳", "token": TOKEN[:-1] + "?"}, {"name": "王芳", "token": ""},
                 {"name": "王芳"}, {"name": "王芳", "token": 12345}, {"name": "王芳", "token": ["x"]},
                 {"name": "王芳", "token": "' OR 1=1 --"}):
        refused = desk.call("POST", "/operator/api/session", body)
        assert refused.status == 401 and refused.body["message"] == "口令不对,请核对后再试。"
        assert "set-cookie" not in refused.headers
    for name in ("", "王" * 21, "13812345678", None):
        refused = desk.call("POST", "/operator/api/session", {"name": name, "token": TOKEN})
        assert refused.status == 400 and "姓名或工号" in refused.body["message"]
    for raw in (b"", b"not json", b"[1,2]", b"{" * 5000):
        refused = desk.call("POST", "/operator/api/session", raw=raw)
        assert refused.status == 400 and refused.body["message"] == "请求格式不正确,请刷新页面后再试。"
    signed = desk.call("POST", "/operator/api/session", {"name": "王芳", "token": TOKEN})
    assert signed.status == 200 and signed.body == {"message": "已登录:王芳。", "operator": "王芳"}
    cookie = signed.headers["set-cookie"]
    assert cookie.startswith("yibao_operator=") and TOKEN not in cookie
    assert {"Path=/operator", "HttpOnly", "SameSite=Strict", "Max-Age=43200"} <= set(cookie.split("; "))
    assert "Secure" not in cookie                                       # plain http
    behind_https = desk.call("POST", "/operator/api/session", {"name": "王芳", "token": TOKEN},
                             headers={"X-Forwarded-Proto": "https"})
    assert behind_https.headers["set-cookie"].endswith("; Secure")     # 127.0.0.1 is a trusted proxy
    value = cookie.split(";")[0]
    listed = desk.call("GET", "/operator/api/requests", cookie=value)
    assert listed.status == 200 and listed.body["operator"] == "王芳"
    forged = value[:-1] + ("0" if value[-1] != "0" else "1")
    assert desk.call("GET", "/operator/api/requests", cookie=forged).status == 401
    out = desk.call("POST", "/operator/api/signout", {}, cookie=value)
    assert out.status == 200 and "Max-Age=0" in out.headers["set-cookie"]


def test_state_changes_only_from_this_site_with_json(desk: LightServer) -> None:
    handoffs.record_handoff("web-csrf", "转人工", desk.db)
    request_id = handoffs.recent_requests(db_path=desk.db)[0].id
    cookie = desk.sign_in("王芳")
    path = f"/operator/api/requests/{request_id}/claim"
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                    {"Sec-Fetch-Site": "same-site"}):
        refused = desk.call("POST", path, {}, headers=headers, cookie=cookie)
        assert refused.status == 403 and refused.body["message"] == "请在操作员页面上操作。"
    form = desk.call("POST", path, raw=b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"},
                     cookie=cookie)
    assert form.status == 400
    assert desk.call("POST", path, {}).status == 401                     # no cookie
    assert handoffs.find_request(request_id, desk.db).state == handoffs.NEW
    evil_behind_proxy = desk.call("POST", path, {}, cookie=cookie, headers={
        "Origin": "https://evil.example", "X-Forwarded-Host": "portal.example.gov.cn"})
    assert evil_behind_proxy.status == 403
    same = desk.call("POST", path, {}, cookie=cookie,
                     headers={"Origin": desk.base_url, "Sec-Fetch-Site": "same-origin"})
    assert same.status == 200 and same.body["message"] == f"已接手第 {request_id} 号请求。"
    # behind the trusted reverse proxy (127.0.0.1 here) the site is the host it forwards for
    proxied = desk.call("POST", path, {}, cookie=cookie, headers={
        "Origin": "https://portal.example.gov.cn", "X-Forwarded-Host": "portal.example.gov.cn"})
    assert proxied.status == 200                                        # claiming one's own again


def test_claim_race_done_by_the_claimer_only_and_masked_texts(desk: LightServer) -> None:
    handoffs.record_handoff("web-race", "我电话13812345678,要找人工", desk.db)
    # a row written unmasked (by an older version, say) is masked on the way out too
    assistant_rows.append("handoffs", {"sender_id": "rest-Old", "text": "身份证110101199003074514转人工",
                                       "created_at": "2026-12-01T08:00:00+00:00"}, desk.db)
    rows = handoffs.recent_requests(db_path=desk.db)
    racing, old = rows[1], rows[0]
    operators = ["王芳", "李明", "赵六", "孙七"]
    cookies = {name: desk.sign_in(name) for name in operators}
    path = f"/operator/api/requests/{racing.id}/claim"
    with ThreadPoolExecutor(len(operators)) as pool:
        replies = dict(zip(operators, pool.map(lambda n: desk.call("POST", path, {}, cookie=cookies[n]),
                                               operators)))
    winners = [n for n, r in replies.items() if r.status == 200]
    assert len(winners) == 1
    winner = winners[0]
    for name, reply in replies.items():
        if name != winner:
            assert reply.status == 409 and reply.body["refused"] == "taken"
            assert reply.body["message"] == f"第 {racing.id} 号请求已由 {winner} 接手,不用重复处理。"
    loser = next(n for n in operators if n != winner)
    not_yours = desk.call("POST", f"/operator/api/requests/{racing.id}/done", {}, cookie=cookies[loser])
    assert not_yours.status == 409 and "只有接手的人能标记办结" in not_yours.body["message"]
    done = desk.call("POST", f"/operator/api/requests/{racing.id}/done", {}, cookie=cookies[winner])
    assert done.status == 200 and done.body == {"message": f"第 {racing.id} 号请求已办结。",
                                                "state": "done", "operator": winner}
    listed = {r["id"]: r for r in desk.call("GET", "/operator/api/requests", cookie=cookies[loser]).body["requests"]}
    assert listed[racing.id]["state"] == "done" and listed[racing.id]["operator"] == winner
    assert listed[racing.id]["asked"] == "我电话[手机号],要找人工"
    assert listed[old.id]["asked"] == "身份证[身份证]转人工" and listed[old.id]["channel"] == "对接系统"
    assert listed[old.id]["state"] == "new" and listed[old.id]["conversation"] is None   # no model here
    body = json.dumps(listed, ensure_ascii=False)
    assert "13812345678" not in body and "110101199003074514" not in body
    for path, status in ((f"/operator/api/requests/{10 ** 9}/claim", 404),
                         (f"/operator/api/requests/{racing.id}/delete", 404),
                         ("/operator/api/requests/x/claim", 404)):
        reply = desk.call("POST", path, {}, cookie=cookies[winner])
        assert reply.status == status and ("没有找到" in str(reply.body) or "未找到" in str(reply.body)), path
