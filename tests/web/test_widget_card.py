"""The answer card, the starter buttons, the follow-ups and 朗读 in a real browser (360 px).

`test_card_screenshots` writes the README's screenshots of the card in 标准 and 特大字 mode to
var/screenshots/, or to the directory in $YIBAO_SCREENSHOTS (docs/screenshots to update the
README's: `YIBAO_SCREENSHOTS=docs/screenshots .venv/bin/python -m pytest tests/web/test_widget_card.py -k screenshots`).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

import pytest

from bot.dialogue.starters import STARTERS
from tests.running import ROOT, RunningAssistant
from tests.web.answer_card import check_waiting_card
from tests.web.widget_page import bot_texts, press, say, set_mode, user_texts, wait_ready, widget_page

ANSWERED = "新疆断保两年,现在交多久能报销?"
# The browser's speech synthesis, recorded instead of spoken (headless Chromium has no voices).
SPEECH = """(() => {
  window.__spoken = [];
  const fake = { speak(u) { window.__spoken.push({text: u.text, lang: u.lang}); },
                 cancel() { window.__cancelled = (window.__cancelled || 0) + 1; },
                 getVoices() { return []; }, speaking: false, pending: false };
  Object.defineProperty(window, 'speechSynthesis', {value: fake, configurable: true});
})();"""
NO_SPEECH = "Object.defineProperty(window, 'speechSynthesis', {value: undefined, configurable: true});"


@pytest.fixture
def page(chromium: Any, assistant: RunningAssistant) -> Iterator[Any]:
    with widget_page(chromium, assistant.base_url, init_script=SPEECH) as page:
        yield page


def test_starter_buttons_on_the_first_screen_by_keyboard(page: Any) -> None:
    starters = page.get_by_role("group", name="常见问题").get_by_role("button")
    assert starters.all_text_contents() == [s.label for s in STARTERS]
    page.focus("#log")
    for _ in range(8):                               # Tab to the first starter, as a keyboard user
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.textContent") == STARTERS[0].label:
            break
    focused = page.locator(":focus")
    assert focused.text_content() == STARTERS[0].label
    assert focused.evaluate("e => getComputedStyle(e).outlineStyle") == "solid"    # focus is visible
    before = page.locator(".row.bot .bubble").count()
    page.keyboard.press("Enter")
    page.wait_for_function("n => document.querySelectorAll('.row.bot .bubble').length > n"
                           " && !document.querySelector('.typing')", arg=before)
    assert user_texts(page) == [STARTERS[0].question]
    assert bot_texts(page)[-1] == "请问您在哪个地区参保?(省、市、县都可以)"
    assert page.get_by_role("group", name="常见问题").count() == 0             # gone once used

    before = page.locator(".row.bot .bubble").count()
    page.click("#restart")
    page.wait_for_function("() => document.querySelectorAll('.row.user').length === 0"
                           " && !document.querySelector('.typing')")
    assert page.get_by_role("group", name="常见问题").get_by_role("button").all_text_contents() == [
        s.label for s in STARTERS]


def test_answer_card_folded_steps_source_speech_and_follow_ups(page: Any) -> None:
    say(page, ANSWERED)
    # the card's parts, as on /check: figure first, folded steps, short source with its full title
    check_waiting_card(page, page.locator(".bubble.card").last)

    # 朗读: zh-CN, the figure, what it means, the unfolded steps; a second press stops
    speak = page.locator(".row.bot").last.locator(".speak")
    speak.click()
    spoken = page.evaluate("() => window.__spoken")
    assert spoken[-1]["lang"] == "zh-CN"
    assert spoken[-1]["text"].startswith("待遇等待期:4 个月。\n也就是说:交费以后还要再等 4 个月")
    assert "怎么算的:断保 2 年后再参保" in spoken[-1]["text"]
    assert speak.get_attribute("aria-pressed") == "true" and speak.text_content() == "停止朗读"
    speak.click()
    assert speak.get_attribute("aria-pressed") == "false" and speak.text_content() == "朗读"
    assert len(page.evaluate("() => window.__spoken")) == 1

    # follow-ups: real questions, really answered
    followups = page.get_by_role("group", name="您可能还想问").get_by_role("button")
    assert followups.all_text_contents() == ["补缴能缩短等待期吗", "连续参保有什么好处"]
    press(page, followups.first)
    assert user_texts(page)[-1] == "断保后补缴能缩短等待期吗?"
    assert "补缴1年能少1个月变动等待期" in bot_texts(page)[-1]

    # a reload shows the card again, its follow-ups no longer offered
    page.reload()
    wait_ready(page)
    again = page.locator(".bubble.card")
    assert again.count() == 1 and again.locator(".figure-value").text_content() == "4"
    assert page.get_by_role("group", name="您可能还想问").count() == 0


def test_a_card_without_a_draft_and_with_parts(page: Any) -> None:
    say(page, "烟台低保户自付5万,医疗救助能给多少")
    card = page.locator(".bubble.card").last
    assert card.locator(".figure-value").text_content() == "40,500"
    assert card.locator(".card-badge").count() == 0
    assert card.locator(".card-parts li").all_text_contents() == [
        "医疗救助:30,000 元", "再救助:10,500 元", "个人还需负担:9,500 元"]
    assert card.locator(".card-source summary").text_content() == "烟台重特大疾病保险和救助方案 三、(六)1"


def test_without_speech_synthesis_there_is_no_speak_button(chromium: Any, assistant: RunningAssistant) -> None:
    with widget_page(chromium, assistant.base_url, init_script=NO_SPEECH) as page:
        say(page, ANSWERED)
        assert page.locator(".bubble.card").count() == 1
        assert page.locator(".speak").count() == 0


def screenshot_dir() -> Path:
    configured = os.environ.get("YIBAO_SCREENSHOTS")
    directory = (ROOT / configured) if configured else ROOT / "var" / "screenshots"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_card_screenshots(page: Any) -> None:
    """The card at 360 px in 标准 and 特大字 mode, scrolled to its top (README)."""
    say(page, ANSWERED)
    directory = screenshot_dir()
    for mode, name in (("normal", "card-normal.png"), ("xlarge", "card-xxlarge.png")):
        set_mode(page, mode)
        page.evaluate("() => { const log = document.getElementById('log');"
                      " const row = document.querySelector('.bubble.card').closest('.row');"
                      " log.scrollTop = row.offsetTop - log.offsetTop - 8; }")
        page.screenshot(path=str(directory / name))
        assert (directory / name).stat().st_size > 10_000
