"""What the answer card shows, the same on the chat page and on the self-check /check (one
renderer, bot/web/static/card.js): checked on the card of a waiting period in 新疆 after two
years without insurance. Shared by tests/web/test_widget_card.py and test_check_browser.py."""
from __future__ import annotations

from typing import Any

WAITING_STEPS = ["断保 2 年后再参保 → 固定等待期 3 个月",
                 "断保第 2 年起每多断保 1 年加 1 个月 → 变动等待期 1 个月"]
WAITING_SOURCE = "新疆参保长效机制实施意见 二、(五)"
SMALL_PRINT = "以当地医保经办机构核定为准,可拨打 12393 咨询。"


def px(locator: Any) -> float:
    return locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def check_waiting_card(page: Any, card: Any) -> None:
    """The figure large and first with its unit and what it is, what it means, the draft badge,
    the small print; «怎么算的» folded and opened by keyboard; the source as short name and
    clause, its full title on tap. Leaves the steps and the source open."""
    assert card.locator("p").first.get_attribute("class") == "card-figure"
    assert card.locator(".figure-value").text_content() == "4"
    assert card.locator(".figure-unit").text_content() == "个月"
    assert card.locator(".card-label").text_content() == "待遇等待期"
    assert px(card.locator(".figure-value")) >= 2 * px(card.locator(".card-meaning")) * 0.9
    assert card.locator(".card-meaning").text_content() == "也就是说:交费以后还要再等 4 个月,看病才能用医保报销。"
    badge = card.locator(".card-badge")
    assert badge.is_visible() and badge.text_content() == "征求意见稿"
    assert card.locator(".card-small").text_content() == SMALL_PRINT
    assert px(card.locator(".card-small")) < px(card.locator(".card-meaning"))

    steps = card.locator(".card-steps")
    assert steps.locator("summary").text_content() == "怎么算的"
    assert not steps.evaluate("e => e.open") and not steps.locator("li").first.is_visible()
    steps.locator("summary").focus()
    page.keyboard.press("Enter")
    assert steps.evaluate("e => e.open")
    assert steps.locator("li").all_text_contents() == WAITING_STEPS

    source = card.locator(".card-source")
    assert source.locator("summary").text_content() == WAITING_SOURCE
    full = source.locator("p")
    assert not full.is_visible()
    source.locator("summary").click()
    assert full.is_visible() and full.text_content().startswith("新疆《关于贯彻落实〈国务院办公厅")
    assert full.text_content().endswith("》二、(五)")
