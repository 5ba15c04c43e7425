"""The self-check page /check in a real browser (headless Debian Chromium via Playwright), on a
light server (no model needed): by keyboard on a 360 px phone to the answer card, a bad answer
asked again, 「上一步」/「重新开始」, the printable page, choices on a desktop; axe-core in each
state: no serious or critical violations. Screenshot: var/check.png.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe

from bot.run import stop
from tests.running import ROOT
from tests.web.light_server import LightServer, start

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 30_000
SCREENSHOT = ROOT / "var" / "check.png"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LightServer]:
    proc, light = start(tmp_path_factory.mktemp("check-browser"), {})
    yield light
    stop(proc)


@pytest.fixture
def open_page(chromium: Any, server: LightServer) -> Iterator[Any]:
    contexts: list[Any] = []
    errors: list[str] = []

    def new(viewport: dict[str, int]) -> Any:
        context = chromium.new_context(viewport=viewport, locale="zh-CN")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(server.base_url + "/check")
        page.locator("#question-title", has_text="第 1 步").wait_for()
        return page

    yield new
    for context in contexts:
        context.close()
    assert errors == [], f"JavaScript errors: {errors}"


def serious(page: Any) -> list[str]:
    violations = Axe().run(page).response["violations"]
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in violations
            if v.get("impact") in ("serious", "critical")]


def fits(page: Any, width: int) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_by_keyboard_on_a_phone_to_the_answer_and_the_printable_page(open_page: Any) -> None:
    page = open_page(PHONE)
    assert serious(page) == [] and fits(page, PHONE["width"])
    page.locator("#answer").focus()
    page.keyboard.type("伊宁")
    page.keyboard.press("Enter")
    page.locator("#question-title", has_text="第 2 步").wait_for()
    assert "新疆维吾尔自治区伊宁市" in page.locator("#facts").text_content()
    assert "征求意见稿" in page.locator("#notices").text_content()
    first = page.locator("#choices button").first
    assert first.evaluate("e => e === document.activeElement")       # focus moved to the choices
    assert serious(page) == [] and fits(page, PHONE["width"])
    page.keyboard.press("Enter")                                     # 1. 断保……要等多久
    page.locator("#question-title", has_text="第 3 步").wait_for()
    assert "断保了几年" in page.locator("#prompt").text_content()
    assert page.locator("#answer").evaluate("e => e === document.activeElement")
    page.keyboard.type("1e5")
    page.keyboard.press("Enter")
    page.locator("#error", has_text="科学计数法").wait_for()
    assert page.locator("#question-title").text_content() == "第 3 步"
    assert serious(page) == []
    page.keyboard.type("两年")
    page.keyboard.press("Enter")
    page.locator("#result").wait_for()
    assert page.locator("#result-title").evaluate("e => e === document.activeElement")
    assert page.locator(".figure").text_content() == "4个月"
    assert page.locator(".card-label").text_content() == "待遇等待期"
    assert page.locator(".badge").text_content() == "征求意见稿"
    assert page.locator("#card details").first.evaluate("e => !e.open")      # 怎么算的: folded
    assert "断保年数" in page.locator("#facts").text_content()
    assert serious(page) == [] and fits(page, PHONE["width"])
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    with page.context.expect_page() as opened:
        page.click("#print")
    printable = opened.value
    printable.wait_for_load_state()
    assert printable.title() == "医保自助查询结果"
    assert printable.locator("#figure").text_content() == "4 个月"
    assert "断保年数" in printable.locator("table.facts").text_content()
    # its inline style is allowed by its hash: the figure is set large
    assert printable.locator("#figure").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") > 30
    printable.close()

    page.click("#back")
    page.locator("#question-title", has_text="第 3 步").wait_for()
    page.click("#restart")
    page.locator("#question-title", has_text="第 1 步").wait_for()
    assert page.locator("#taken").is_hidden() and page.locator("#back").is_hidden()


def test_choices_and_a_place_outside_our_documents_on_a_desktop(open_page: Any) -> None:
    page = open_page(DESKTOP)
    page.fill("#answer", "北京")
    page.click("#next")
    page.locator("#error", has_text="北京市不在我们掌握的文件范围内").wait_for()
    assert serious(page) == []
    page.fill("#answer", "平遥")
    page.click("#next")
    page.locator("#choices button", has_text="二类省市级").click()
    page.locator("#prompt", has_text="住院").wait_for()
    page.fill("#answer", "两万")
    page.click("#next")
    page.locator("#result").wait_for()
    assert page.locator(".card-label").text_content()
    assert page.locator(".figure .unit").text_content() == "元"
    assert "20,000 元" in page.locator("#facts").text_content()
    assert serious(page) == []
