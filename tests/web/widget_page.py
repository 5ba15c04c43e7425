"""Driving the chat page in the browser tests: open it, say something, wait for the reply, run
axe-core. Shared by tests/web/test_widget_*.py (fixtures come from tests/running.py)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from axe_playwright_python.sync_playwright import Axe

WIDTH, HEIGHT = 360, 740            # a phone
DESKTOP = (1280, 800)
TIMEOUT_MS = 30_000
BLOCKING = ("serious", "critical")  # axe impacts a page must not have
MODES = ("normal", "large", "xlarge", "contrast")


@contextmanager
def widget_page(chromium: Any, base_url: str, width: int = WIDTH, height: int = HEIGHT,
                init_script: str | None = None) -> Iterator[Any]:
    """The chat page, ready; fails the test on any JavaScript error."""
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    if init_script:
        context.add_init_script(init_script)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base_url + "/")
    wait_ready(page)
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def wait_ready(page: Any) -> None:
    page.locator(".row.bot .bubble").first.wait_for()
    page.wait_for_function("() => !document.getElementById('restart').disabled")


def bot_texts(page: Any) -> list[str]:
    return page.locator(".row.bot .bubble").all_text_contents()


def user_texts(page: Any) -> list[str]:
    return page.locator(".row.user .bubble").all_text_contents()


def say(page: Any, text: str) -> None:
    """Type and send; returns once the reply (or a notice) is on the page."""
    before = page.locator(".row.bot .bubble").count()
    page.fill("#input", text)
    page.press("#input", "Enter")
    wait_reply(page, before)


def press(page: Any, locator: Any) -> None:
    """Click a button that sends something; returns once the reply is on the page."""
    before = page.locator(".row.bot .bubble").count()
    locator.click()
    wait_reply(page, before)


def wait_reply(page: Any, bot_count_before: int) -> None:
    page.wait_for_function(
        "n => document.querySelectorAll('.row.bot .bubble').length > n && !document.querySelector('.typing')"
        " && !document.getElementById('restart').disabled", arg=bot_count_before)


def sender_token(page: Any) -> str:
    return page.evaluate("() => localStorage.getItem('yibao.sender')")


def set_mode(page: Any, mode: str) -> None:
    """标准 / 大字 / 特大字 (sizes), or 高对比 on at 标准 size."""
    size = "normal" if mode == "contrast" else mode
    page.click(f"#size-{size}")
    high = page.locator("#contrast").get_attribute("aria-pressed") == "true"
    if high != (mode == "contrast"):
        page.click("#contrast")


def violations(page: Any) -> list[str]:
    """axe-core's violations on the page as it is now, whatever their impact."""
    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]]


def blocking_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    return [v for v in violations(page) if any(f"({impact})" in v for impact in BLOCKING)]


def font_px(page: Any, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
