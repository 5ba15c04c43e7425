"""The chat widget in a real browser (headless Debian Chromium via Playwright), 360 px wide.

The page is the one the assistant serves at `/`. Screenshot: var/widget.png.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from tests.running import ROOT, RunningAssistant
from tests.web.widget_page import (HEIGHT, WIDTH, bot_texts, say, sender_token, user_texts,
                                   wait_ready, wait_reply, widget_page)

QUESTION = "断保以后再交医保要等多久才能报销?"
XSS = '<script>window.__x=1</script><img src=x onerror="window.__y=1">'
SCREENSHOT = ROOT / "var" / "widget.png"
# Records whether the typing indicator was ever shown (it may be gone before a test can look).
WATCH_TYPING = """() => {
  window.__typingSeen = false;
  new MutationObserver(() => { if (document.querySelector('.typing')) window.__typingSeen = true; })
    .observe(document.getElementById('log'), {childList: true, subtree: true});
}"""


@pytest.fixture
def page(chromium: Any, assistant: RunningAssistant) -> Iterator[Any]:
    with widget_page(chromium, assistant.base_url) as page:
        yield page


def test_conversation_buttons_safety_counter_and_reload(page: Any, assistant: RunningAssistant) -> None:
    token = sender_token(page)
    assert token.startswith("web-")
    page.evaluate(WATCH_TYPING)

    # a waiting-period question, a region quick reply, the gap
    say(page, QUESTION)
    assert page.evaluate("() => window.__typingSeen") is True
    assert user_texts(page)[-1] == QUESTION
    region = page.locator(".quick button", has_text="新疆")
    region.wait_for()
    before = page.locator(".row.bot .bubble").count()
    region.click()
    wait_reply(page, before)
    assert user_texts(page)[-1] == "新疆"
    assert page.locator(".quick button", has_text="新疆").count() == 0   # old quick replies go
    say(page, "两年")
    answer = page.locator(".row.bot .bubble.card").last
    assert answer.locator(".figure-value").text_content() == "4"       # the answer card
    welcome = page.locator(".row.bot .bubble").first
    assert "\n1. " in welcome.text_content()                             # a text keeps its lines
    assert welcome.evaluate("e => getComputedStyle(e).whiteSpace") == "pre-wrap"
    assert welcome.bounding_box()["height"] > 100

    # the layout at 360 px: nothing wider than the screen, the shortcuts and send always there
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
    for selector in ("#restart", "#handoff", "#send", "#size-xlarge", "#contrast", "#counter"):
        b = page.locator(selector).bounding_box()
        assert b and b["x"] >= 0 and b["x"] + b["width"] <= WIDTH and b["y"] + b["height"] <= HEIGHT, selector
    user_box = page.locator(".row.user .bubble").last.bounding_box()
    bot_box = page.locator(".row.bot .bubble").last.bounding_box()
    assert user_box["x"] + user_box["width"] > WIDTH * 0.75 and bot_box["x"] < WIDTH * 0.25
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    page.fill("#input", "请问")
    assert page.locator("#send").is_enabled()
    assert page.locator("#send").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(5, 115, 58)"
    page.fill("#input", "")

    # markup is shown as the characters typed and never runs
    say(page, XSS)
    assert user_texts(page)[-1] == XSS
    assert page.evaluate("() => [window.__x, window.__y]") == [None, None]
    assert page.locator("#log img, #log script").count() == 0

    # the counter, the client limit and the server's limit
    page.locator("#input").click()
    page.keyboard.insert_text("问" * 499)
    assert page.locator("#counter").text_content() == "499/500"
    page.keyboard.insert_text("问问问")
    assert page.input_value("#input") == "问" * 500
    assert page.locator("#counter").text_content() == "500/500"
    assert "full" in page.locator("#counter").get_attribute("class")
    page.evaluate("() => { const i = document.getElementById('input'); i.removeAttribute('maxlength');"
                  " i.value = '问'.repeat(501); i.dispatchEvent(new Event('input')); }")
    before = page.locator(".row.bot .bubble").count()
    page.click("#send")
    wait_reply(page, before)
    assert "最多 500 个字" in bot_texts(page)[-1]
    assert page.locator(".row.bot .bubble.notice").count() == 1

    # a reload continues the same conversation and shows it again
    page.reload()
    wait_ready(page)
    assert sender_token(page) == token
    shown = user_texts(page)
    assert shown[:3] == [QUESTION, "新疆", "两年"] and shown[-1] == XSS
    assert page.locator(".row.bot .bubble.card .figure-value").first.text_content() == "4"
    assert page.evaluate("() => [window.__x, window.__y]") == [None, None]
    say(page, "谢谢")
    sender_id = token.rpartition(".")[0]
    assert assistant.stored_user_texts(sender_id)[0] == QUESTION
    assert assistant.stored_user_texts(sender_id)[-1] == "谢谢"
    assert sender_token(page) == token


def test_forged_id_gets_a_new_conversation(page: Any, assistant: RunningAssistant) -> None:
    say(page, "新疆断保两年,现在交多久能报销?")
    token = sender_token(page)
    sender_id, _, signature = token.rpartition(".")
    page.evaluate("t => localStorage.setItem('yibao.sender', t)",
                  sender_id + "." + signature[:-1] + ("A" if signature[-1] != "A" else "B"))
    page.reload()
    wait_ready(page)
    assert sender_token(page) not in (token, None)
    assert user_texts(page) == []
    assert page.locator(".bubble.card").count() == 0


def test_restart_handoff_and_large_font(page: Any, assistant: RunningAssistant) -> None:
    size = page.locator(".row.bot .bubble").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    page.click("#size-large")
    assert page.locator("#size-large").get_attribute("aria-pressed") == "true"
    assert page.locator(".row.bot .bubble").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)") > size
    assert page.evaluate("() => document.documentElement.scrollWidth") <= WIDTH

    before = page.locator(".row.bot .bubble").count()
    page.click("#handoff")
    wait_reply(page, before)
    assert user_texts(page)[-1] == "转人工" and "12393" in bot_texts(page)[-1]

    say(page, "新疆断保两年,现在交多久能报销?")
    page.click("#restart")
    page.wait_for_function("() => document.querySelectorAll('.row.user').length === 0"
                           " && !document.querySelector('.typing')")
    assert "重新开始" in " ".join(bot_texts(page))
    page.reload()
    wait_ready(page)
    assert user_texts(page) == []
    assert page.locator("#size-large").get_attribute("aria-pressed") == "true"   # remembered


def test_server_errors_and_timeouts_show_a_polite_retry(page: Any) -> None:
    page.route("**/webhooks/widget/webhook", lambda route: route.fulfill(status=500, body=""))
    say(page, "你好")
    notice = page.locator(".row.bot .bubble.notice").last
    assert notice.text_content() == "系统繁忙,请稍后再试。"
    page.unroute("**/webhooks/widget/webhook")

    page.route("**/webhooks/widget/webhook", lambda route: route.abort("timedout"))
    say(page, "你好")
    assert page.locator(".row.bot .bubble.notice").last.text_content() == "系统繁忙,请稍后再试。"
    page.unroute("**/webhooks/widget/webhook")

    before = page.locator(".row.bot .bubble").count()
    page.locator(".quick button", has_text="重试").last.click()
    wait_reply(page, before)
    assert "notice" not in page.locator(".row.bot .bubble").last.get_attribute("class")
    assert user_texts(page) == ["你好", "你好"]          # a retry does not repeat the question
