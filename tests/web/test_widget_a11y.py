"""适老化 and accessibility of the chat page in a real browser: the display modes (标准 / 大字 /
特大字 / 高对比), remembered; sizes that follow the reader's own font setting; contrast; touch
targets; the header (title, 「自助测算」, modes) whole at 360 px in every mode, and its link to
/check by keyboard; and axe-core (axe-playwright-python) with no serious or critical violation (and, as it
stands, none at all) in any mode and state, at 360 px and at desktop width."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from bot.web.safety import TEXT_TOO_FAST
from tests.running import RunningAssistant
from tests.web.widget_page import (BLOCKING, DESKTOP, HEIGHT, MODES, WIDTH, blocking_violations,
                                   font_px, press, say, set_mode, violations, wait_ready, wait_reply,
                                   widget_page)

QUESTION = "断保以后再交医保要等多久才能报销?"
# the body text of each mode at the browser's default font size (16 px)
BODY_PX = {"normal": 18, "large": 22, "xlarge": 28}
# WCAG contrast of two computed colours (backgrounds taken from the nearest opaque ancestor)
CONTRAST = """([fg, fgProp, bg, bgProp]) => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const colour = (sel, prop) => {
    let e = document.querySelector(sel);
    let c = getComputedStyle(e)[prop];
    while (prop === 'backgroundColor' && (c === 'rgba(0, 0, 0, 0)' || c === 'transparent') && e.parentElement) {
      e = e.parentElement; c = getComputedStyle(e)[prop];
    }
    return rgb(c);
  };
  const a = lum(colour(fg, fgProp)), b = lum(colour(bg, bgProp));
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""
# (what, foreground selector and property, background selector and property, minimum)
PAIRS = [
    ("send button text", "#send", "color", "#send", "backgroundColor", 4.5),
    ("send button against the dock", "#send", "backgroundColor", ".dock", "backgroundColor", 3.0),
    ("quick reply text", ".quick button", "color", ".quick button", "backgroundColor", 4.5),
    ("quick reply border", ".quick button", "borderTopColor", ".log", "backgroundColor", 3.0),
    ("privacy hint", "#privacy", "color", ".dock", "backgroundColor", 4.5),
    ("counter", "#counter", "color", ".dock", "backgroundColor", 4.5),
    ("shortcut border", "#restart", "borderTopColor", ".dock", "backgroundColor", 3.0),
    ("input border", "#input", "borderTopColor", ".dock", "backgroundColor", 3.0),
    ("pressed mode button", ".mode[aria-pressed=true]", "color", ".mode[aria-pressed=true]", "backgroundColor", 4.5),
    ("mode button border", ".mode[aria-pressed=false]", "borderTopColor", ".bar", "backgroundColor", 3.0),
    ("bot avatar", ".row.bot .avatar", "color", ".row.bot .avatar", "backgroundColor", 4.5),
    ("bot text", ".row.bot .bubble", "color", ".row.bot .bubble", "backgroundColor", 4.5),
    ("speak button border", ".speak", "borderTopColor", ".log", "backgroundColor", 3.0),
    ("self-check link", ".bar-link", "color", ".bar-link", "backgroundColor", 4.5),
    ("self-check link border", ".bar-link", "borderTopColor", ".bar", "backgroundColor", 3.0),
]


@pytest.fixture
def page(chromium: Any, assistant: RunningAssistant) -> Iterator[Any]:
    with widget_page(chromium, assistant.base_url) as page:
        yield page


def overflow(page: Any) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_sizes_follow_the_readers_setting(page: Any) -> None:
    """No font size in px anywhere: the root is a percentage of the reader's own setting."""
    rules = page.evaluate("""() => [...document.styleSheets].flatMap(s => [...s.cssRules])
        .flatMap(r => r.cssRules ? [r, ...r.cssRules] : [r]).filter(r => r.style)
        .map(r => [r.selectorText, r.style.fontSize])""")
    sizes = {selector: size for selector, size in rules if size}
    assert sizes["html"] == "100%" and sizes["html.size-large"] == "125%"
    assert sizes["html.size-xlarge"] == "156.25%"
    assert not [s for s in sizes.values() if s.endswith("px")]
    # a reader whose browser is set to 20 px gets everything a quarter larger
    normal = font_px(page, ".row.bot .bubble")
    page.evaluate("() => document.documentElement.style.setProperty('font-size', '125%')")
    assert font_px(page, ".row.bot .bubble") == pytest.approx(normal * 1.25)


def test_modes_are_remembered_and_large_enough(page: Any) -> None:
    for mode, px in BODY_PX.items():
        set_mode(page, mode)
        assert page.locator(f"#size-{mode}").get_attribute("aria-pressed") == "true"
        assert font_px(page, ".row.bot .bubble") >= px
        assert overflow(page) <= 0, mode
    page.focus("#contrast")                                # by keyboard too
    page.keyboard.press("Space")
    assert page.locator("#contrast").get_attribute("aria-pressed") == "true"
    assert page.evaluate("() => getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    page.reload()
    wait_ready(page)
    assert page.evaluate("() => document.documentElement.className.split(' ').sort()") == [
        "contrast", "size-xlarge"]
    assert page.locator("#size-xlarge").get_attribute("aria-pressed") == "true"
    assert font_px(page, ".row.bot .bubble") >= BODY_PX["xlarge"]
    page.click("#size-normal")
    page.click("#contrast")
    page.reload()
    wait_ready(page)
    assert page.evaluate("() => document.documentElement.className") == ""


def test_a_former_large_font_setting_is_kept(chromium: Any, assistant: RunningAssistant) -> None:
    with widget_page(chromium, assistant.base_url,
                     init_script="localStorage.setItem('yibao.font', 'large')") as page:
        assert page.locator("#size-large").get_attribute("aria-pressed") == "true"


def test_contrast_of_the_main_colour_pairs(page: Any) -> None:
    say(page, QUESTION)                                    # region buttons: quick replies
    page.fill("#input", "问")                              # the send button enabled
    measured = {}
    for mode in ("normal", "contrast"):
        set_mode(page, mode)
        for what, fg, fg_prop, bg, bg_prop, minimum in PAIRS:
            ratio = page.evaluate(CONTRAST, [fg, fg_prop, bg, bg_prop])
            measured[(mode, what)] = round(ratio, 2)
            assert ratio >= minimum, f"{mode}: {what} {ratio:.2f} < {minimum}"
    print("contrast:", measured)


def test_touch_targets_are_44_px_in_every_mode(page: Any) -> None:
    say(page, "新疆断保两年,现在交多久能报销?")
    page.locator(".card-steps summary").click()
    for mode in MODES:
        set_mode(page, mode)
        small = page.evaluate("""() => [...document.querySelectorAll('button, summary, textarea, a')]
            .filter(e => e.offsetParent !== null)
            .map(e => [e.textContent.trim() || e.id, e.getBoundingClientRect()])
            .filter(([, r]) => r.width < 44 || r.height < 44).map(([t, r]) => `${t} ${r.width}x${r.height}`)""")
        assert small == [], f"{mode}: {small}"
        assert overflow(page) <= 0, mode


# Whether an element of the header is cut: outside the screen, or its text wider than its box.
CUT = """e => { const r = e.getBoundingClientRect();
  return r.width < 1 || r.height < 1 || r.left < 0 || r.right > window.innerWidth
    || e.scrollWidth > e.clientWidth + 1 || getComputedStyle(e).visibility !== 'visible'; }"""
HEADER = (".bar-title", ".bar-link", "#size-normal", "#size-large", "#size-xlarge", "#contrast")


def test_the_header_keeps_its_title_and_the_self_check_link_in_every_mode(page: Any) -> None:
    """At 360 px, also in 特大字: the title 医保助手, 自助测算 and the modes, none of them cut."""
    for mode in MODES:
        set_mode(page, mode)
        cut = [s for s in HEADER if page.locator(s).evaluate(CUT)]
        assert cut == [], f"{mode}: {cut}"
        assert page.locator(".bar-title").text_content() == "医保助手"
        assert page.locator(".bar").bounding_box()["height"] <= HEIGHT / 5, mode
        assert overflow(page) <= 0, mode


def test_the_self_check_link_works_by_keyboard(page: Any) -> None:
    set_mode(page, "xlarge")
    page.reload()                                           # focus at the page's start
    wait_ready(page)
    page.keyboard.press("Tab")                              # the first stop on the page
    focused = page.locator(":focus")
    assert focused.text_content() == "自助测算" and focused.get_attribute("href") == "/check"
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"    # focus is visible
    page.keyboard.press("Enter")
    page.locator("#question-title", has_text="第 1 步").wait_for()
    assert page.url.endswith("/check") and page.title() == "医保自助查询 · 医保助手"
    assert page.locator("#size-xlarge").get_attribute("aria-pressed") == "true"   # the same mode
    page.locator("a.bar-link", has_text="回到聊天").click()
    wait_ready(page)
    set_mode(page, "normal")


def states(page: Any) -> Iterator[str]:
    """Bring the page into each state to check, yielding its name."""
    yield "start"
    say(page, QUESTION)
    page.locator(".quick button", has_text="新疆").wait_for()
    yield "mid-form"
    press(page, page.locator(".quick button", has_text="新疆"))
    say(page, "两年")
    card = page.locator(".bubble.card").last
    card.locator(".card-steps summary").click()
    card.locator(".card-source summary").click()
    yield "card open"
    page.evaluate("() => { const i = document.getElementById('input'); i.removeAttribute('maxlength');"
                  " i.value = '问'.repeat(501); i.dispatchEvent(new Event('input')); }")
    before = page.locator(".row.bot .bubble").count()
    page.click("#send")
    wait_reply(page, before)
    assert page.locator(".bubble.notice").count() == 1
    yield "too long"
    page.route("**/webhooks/widget/webhook", lambda route: route.fulfill(
        status=429, content_type="application/json",
        body='{"sender": null, "error": "rate_limited", "messages": [{"text": "%s", "buttons": []}]}'
             % TEXT_TOO_FAST.format(seconds=3)))
    say(page, "你好")
    assert page.locator(".bubble.notice").last.text_content() == TEXT_TOO_FAST.format(seconds=3)
    yield "rate limited"
    page.unroute("**/webhooks/widget/webhook")


@pytest.mark.parametrize("width,height", [(WIDTH, HEIGHT), DESKTOP], ids=["360px", "desktop"])
def test_axe_finds_nothing_serious_in_any_mode_or_state(chromium: Any, assistant: RunningAssistant,
                                                        width: int, height: int) -> None:
    found: dict[str, list[str]] = {}
    with widget_page(chromium, assistant.base_url, width, height) as page:
        for state in states(page):
            for mode in MODES:
                set_mode(page, mode)
                found[f"{state} / {mode}"] = violations(page)
            set_mode(page, "normal")
    print(f"axe at {width}px:", {k: len(v) for k, v in found.items()})
    assert len(found) == 5 * len(MODES)
    blocking = {k: [v for v in found_here if v.split(" (")[1].split(")")[0] in BLOCKING]
                for k, found_here in found.items()}
    assert {k: v for k, v in blocking.items() if v} == {}
    assert {k: v for k, v in found.items() if v} == {}       # nor anything moderate or minor


def test_axe_sees_the_contrast_the_page_used_to_have(page: Any) -> None:
    """The check is live: the former 3.2:1 grey of the privacy hint is a serious violation."""
    assert blocking_violations(page) == []
    page.evaluate("() => { document.getElementById('privacy').style.color = '#8a8a8a'; }")
    assert [v for v in blocking_violations(page) if v.startswith("color-contrast (serious)")]
