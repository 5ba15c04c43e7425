"""The operator page in a real browser (headless Debian Chromium via Playwright) with the running
assistant: a resident asks for a person in the chat page; an operator signs in on a 360 px phone,
sees the request with the region and the masked conversation, claims it (a second operator's late
claim is refused politely) and marks it done by keyboard. axe-core checks each view: no serious
or critical violations. Screenshot: var/operator.png.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.running import ROOT, RunningAssistant

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 30_000
MOBILE = "13912345678"
SAID = f"我是新疆伊宁的,我的电话是{MOBILE}"
SCREENSHOT = ROOT / "var" / "operator.png"


@pytest.fixture
def contexts(chromium: Any) -> Iterator[list[Any]]:
    """New browser contexts (each its own cookies), closed after the test; no JavaScript errors."""
    made: list[Any] = []
    errors: list[str] = []

    def new(viewport: dict[str, int]) -> Any:
        context = chromium.new_context(viewport=viewport, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield new
    for context in made:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def serious(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations
            if v.get("impact") in ("serious", "critical")]


def chat(page: Any, assistant: RunningAssistant) -> None:
    """A resident says where they are (with a phone number) and asks for a person."""
    page.goto(assistant.base_url + "/")
    bubbles = page.locator(".row.bot .bubble")
    bubbles.first.wait_for()
    page.wait_for_function("() => !document.getElementById('handoff').disabled")
    before = bubbles.count()
    page.fill("#input", SAID)
    page.press("#input", "Enter")
    page.wait_for_function("n => document.querySelectorAll('.row.bot .bubble').length > n"
                           " && !document.querySelector('.typing')", arg=before)
    before = bubbles.count()
    page.click("#handoff")
    page.wait_for_function("n => document.querySelectorAll('.row.bot .bubble').length > n"
                           " && !document.querySelector('.typing')", arg=before)
    received = bubbles.last.text_content()
    assert "已为您记录转人工的请求" in received and "12393" in received


def sign_in(page: Any, assistant: RunningAssistant, name: str) -> None:
    page.goto(assistant.base_url + "/operator")
    page.locator("#signin").wait_for()
    page.fill("#name", name)
    page.fill("#token", assistant.operator_token)
    page.press("#token", "Enter")
    page.locator("#desk").wait_for()


def the_request(page: Any) -> Any:
    """The resident's request on the operator page (newest first: the first that quotes them)."""
    return page.locator("li.request", has_text="我的电话是[手机号]").first


def test_a_resident_asks_for_a_person_and_an_operator_takes_it_up(contexts: Any,
                                                                   assistant: RunningAssistant) -> None:
    chat(contexts(PHONE), assistant)

    operator = contexts(PHONE)
    operator.goto(assistant.base_url + "/operator")
    operator.locator("#signin").wait_for()
    assert serious(operator) == []
    # a wrong token: refused on the form, focus back on the token
    operator.fill("#name", "王芳")
    operator.fill("#token", "not-the-token")
    operator.click("#signin-button")
    operator.locator("#signin-error", has_text="口令不对").wait_for()
    assert operator.locator("#desk").is_hidden()
    # by keyboard: the name is kept, the token typed again, Enter
    operator.fill("#token", "")
    operator.locator("#token").focus()
    operator.keyboard.type(assistant.operator_token)
    operator.keyboard.press("Enter")
    operator.locator("#desk").wait_for()
    assert operator.locator("#who-name").text_content() == "已登录:王芳"

    request = the_request(operator)
    request.wait_for()
    text = request.text_content()
    assert MOBILE not in operator.content() and MOBILE not in text
    assert "新请求" in text and request.locator(".facts dd").first.text_content() == "新疆"
    lines = request.locator(".log li").all_text_contents()
    assert lines[0] == "居民:我是新疆伊宁的,我的电话是[手机号]"
    assert "居民:转人工" in lines and any(line.startswith("助手:") and "12393" in line for line in lines)
    assert serious(operator) == []
    assert operator.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]

    # a second operator on a desktop sees the same request, still new
    late = contexts(DESKTOP)
    sign_in(late, assistant, "李明")
    the_request(late).locator("button", has_text="接手").wait_for()

    # the first one claims it
    request.locator("button", has_text="接手").click()
    request = the_request(operator)
    request.locator(".state", has_text="处理中 · 王芳").wait_for()
    assert "已接手第" in operator.locator("#status").text_content()
    assert request.locator("button", has_text="接手").count() == 0

    # the second one's claim, from the page they still have, is refused politely
    the_request(late).locator("button", has_text="接手").click()
    late.locator("#status", has_text="已由 王芳 接手").wait_for()
    refreshed = the_request(late)
    refreshed.locator(".state", has_text="处理中 · 王芳").wait_for()
    assert refreshed.locator("button").count() == 0                      # no 接手, no 办结 for 李明

    # done, by keyboard
    done = request.locator("button", has_text="办结")
    done.focus()
    operator.keyboard.press("Enter")
    the_request(operator).locator(".state", has_text="已办结 · 王芳").wait_for()
    assert "已办结" in operator.locator("#status").text_content()
    assert serious(operator) == []
    SCREENSHOT.parent.mkdir(exist_ok=True)
    operator.screenshot(path=str(SCREENSHOT), full_page=True)

    # signing out asks for the token again
    operator.click("#signout")
    operator.locator("#signin").wait_for()
    operator.reload()
    operator.locator("#signin").wait_for()
