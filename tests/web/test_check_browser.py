"""The self-check page /check in a real browser (headless Debian Chromium via Playwright), on a
light server (no model needed): by keyboard on a 360 px phone to the answer card, a bad answer
asked again, 「上一步」/「重新开始」, the printable page, choices on a desktop; the answer card with
the chat card's parts (one renderer, card.js); the display modes shared with the chat page and
remembered; axe-core in every mode and state at 360 px and desktop: no serious or critical
violations. Screenshot: var/check.png.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from bot.run import stop
from tests.running import ROOT
from tests.web.answer_card import check_waiting_card
from tests.web.light_server import LightServer, start
from tests.web.widget_page import BLOCKING, MODES, blocking_violations, set_mode, violations, wait_ready

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


def fits(page: Any, width: int) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth") <= width


def test_by_keyboard_on_a_phone_to_the_answer_and_the_printable_page(open_page: Any) -> None:
    page = open_page(PHONE)
    assert blocking_violations(page) == [] and fits(page, PHONE["width"])
    page.locator("#answer").focus()
    page.keyboard.type("伊宁")
    page.keyboard.press("Enter")
    page.locator("#question-title", has_text="第 2 步").wait_for()
    assert "新疆维吾尔自治区伊宁市" in page.locator("#facts").text_content()
    assert "征求意见稿" in page.locator("#notices").text_content()
    first = page.locator("#choices button").first
    assert first.evaluate("e => e === document.activeElement")       # focus moved to the choices
    assert blocking_violations(page) == [] and fits(page, PHONE["width"])
    page.keyboard.press("Enter")                                     # 1. 断保……要等多久
    page.locator("#question-title", has_text="第 3 步").wait_for()
    assert "断保了几年" in page.locator("#prompt").text_content()
    assert page.locator("#answer").evaluate("e => e === document.activeElement")
    page.keyboard.type("1e5")
    page.keyboard.press("Enter")
    page.locator("#error", has_text="科学计数法").wait_for()
    assert page.locator("#question-title").text_content() == "第 3 步"
    assert blocking_violations(page) == []
    page.keyboard.type("两年")
    page.keyboard.press("Enter")
    page.locator("#result").wait_for()
    assert page.locator("#result-title").evaluate("e => e === document.activeElement")
    assert page.locator("#card .card-figure").text_content() == "4个月"
    assert page.locator("#card .card-label").text_content() == "待遇等待期"
    assert page.locator("#card .card-badge").text_content() == "征求意见稿"
    assert page.locator("#card .card-steps").evaluate("e => !e.open")      # 怎么算的: folded
    assert "断保年数" in page.locator("#facts").text_content()
    assert blocking_violations(page) == [] and fits(page, PHONE["width"])
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
    assert blocking_violations(page) == []
    page.fill("#answer", "平遥")
    page.click("#next")
    page.locator("#choices button", has_text="二类省市级").click()
    page.locator("#prompt", has_text="住院").wait_for()
    page.fill("#answer", "两万")
    page.click("#next")
    page.locator("#result").wait_for()
    assert page.locator("#card .card-label").text_content()
    assert page.locator("#card .figure-unit").text_content() == "元"
    assert "20,000 元" in page.locator("#facts").text_content()
    assert blocking_violations(page) == []


def to_the_card(page: Any) -> None:
    """From the first step to the answer card of a waiting period in 伊宁 (新疆)."""
    page.fill("#answer", "伊宁")
    page.click("#next")
    page.locator("#choices button").first.click()            # 断保……要等多久
    page.locator("#prompt", has_text="断保了几年").wait_for()
    page.fill("#answer", "两年")
    page.click("#next")
    page.locator("#result").wait_for()


def test_the_card_shows_what_the_chat_card_shows(open_page: Any) -> None:
    page = open_page(PHONE)
    to_the_card(page)
    card = page.locator("#card .card")
    assert card.count() == 1 and page.locator("#card").locator(":scope > *").count() == 1
    check_waiting_card(page, card)
    assert page.locator("#print").is_visible()                  # and this page's 打印/保存
    assert fits(page, PHONE["width"])


def html_classes(page: Any) -> list[str]:
    return sorted(page.evaluate("() => document.documentElement.className").split())


def body_px(page: Any) -> float:
    return page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")


def test_the_modes_chosen_in_the_chat_hold_here_and_are_remembered(open_page: Any, server: LightServer) -> None:
    page = open_page(PHONE)
    assert html_classes(page) == [] and page.locator("#size-normal").get_attribute("aria-pressed") == "true"
    normal = body_px(page)
    page.goto(server.base_url + "/")                             # the chat page: 特大字 and 高对比
    wait_ready(page)
    set_mode(page, "xlarge")
    page.click("#contrast")
    page.click("a.bar-link")                                     # 自助测算
    page.locator("#question-title", has_text="第 1 步").wait_for()
    assert page.url == server.base_url + "/check"
    assert html_classes(page) == ["contrast", "size-xlarge"]
    assert page.locator("#size-xlarge").get_attribute("aria-pressed") == "true"
    assert page.locator("#contrast").get_attribute("aria-pressed") == "true"
    assert body_px(page) >= 28 and body_px(page) == pytest.approx(normal * 1.5625)
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    assert fits(page, PHONE["width"])

    page.locator("#size-large").focus()                          # changed here, by keyboard
    page.keyboard.press("Enter")
    page.locator("#contrast").focus()
    page.keyboard.press("Space")
    assert html_classes(page) == ["size-large"] and body_px(page) >= 22
    page.reload()
    page.locator("#question-title", has_text="第 1 步").wait_for()
    assert html_classes(page) == ["size-large"]
    assert page.locator("#size-large").get_attribute("aria-pressed") == "true"
    page.click("a.bar-link")                                     # 回到聊天: the chat has it too
    wait_ready(page)
    assert html_classes(page) == ["size-large"]
    assert page.locator("#size-large").get_attribute("aria-pressed") == "true"
    set_mode(page, "normal")


def states(page: Any) -> Iterator[str]:
    """Bring /check into each state to check, yielding its name."""
    yield "start"
    page.fill("#answer", "伊宁")
    page.click("#next")
    page.locator("#choices button").first.wait_for()
    yield "choices"
    page.locator("#choices button").first.click()
    page.locator("#prompt", has_text="断保了几年").wait_for()
    page.fill("#answer", "1e5")
    page.click("#next")
    page.locator("#error", has_text="科学计数法").wait_for()
    yield "error"
    page.fill("#answer", "两年")
    page.click("#next")
    page.locator("#result").wait_for()
    page.locator("#card .card-steps summary").click()
    page.locator("#card .card-source summary").click()
    yield "card open"


SMALL_TARGETS = """() => [...document.querySelectorAll('button, summary, input:not([type=hidden]), a')]
    .filter(e => e.offsetParent !== null)
    .map(e => [e.textContent.trim() || e.id, e.getBoundingClientRect()])
    .filter(([, r]) => r.width < 44 || r.height < 44).map(([t, r]) => `${t} ${r.width}x${r.height}`)"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360px", "desktop"])
def test_axe_finds_nothing_serious_in_any_mode_or_state(open_page: Any, viewport: dict[str, int]) -> None:
    page = open_page(viewport)
    found: dict[str, list[str]] = {}
    for state in states(page):
        for mode in MODES:
            set_mode(page, mode)
            found[f"{state} / {mode}"] = violations(page)
            assert page.evaluate(SMALL_TARGETS) == [], f"{state} / {mode}"
            assert fits(page, viewport["width"]), f"{state} / {mode}"
        set_mode(page, "normal")
    print(f"axe on /check at {viewport['width']}px:", {k: len(v) for k, v in found.items()})
    assert len(found) == 4 * len(MODES)
    blocking = {k: [v for v in here if v.split(" (")[1].split(")")[0] in BLOCKING] for k, here in found.items()}
    assert {k: v for k, v in blocking.items() if v} == {}
    assert {k: v for k, v in found.items() if v} == {}       # nor anything moderate or minor
