"""Shortcuts the calculations take must give the texts the long way gives.

- A Context is the trace of its answer (one object per answer, not two).
- Figures in the rules are shown with texts formatted at load time (plain dicts); a figure
  computed from them is formatted when shown: `texts.get(figure) or fmt(figure)`.
- A figure equal to one already shown reuses that text (the cap's sum of increments, what is
  left to pay without re-assistance), which relies on fmt_money depending on the value only.
"""
from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

import pytest

from bot import policy
from bot.policy import CALCULATORS, NotCoveredError, load_rulebook
from bot.policy.context import Context
from bot.policy.model import Trace, fmt_money, fmt_ratio
from tests.policy.golden_inputs import seeded_inputs

SEED = 20260311


def _amounts() -> list[Decimal]:
    """Rounding edges (…005, just below and above), negatives, zero, large and long values."""
    rng = random.Random(SEED)
    values = [Decimal(s) for s in (
        "0", "-0", "0.00", "0E+3", "0.005", "-0.005", "0.004999", "0.0049999999999999999999999999999",
        "0.015", "0.025", "1.005", "2.675", "-2.675", "99.995", "999.995", "1000", "1E+3", "1000.00",
        "12345.675", "-12345.675", "70000", "70000.000", "99999999.995", "100000000",
        "123456789.125", "1E+30", "112345.0049999999999999999999999999",
        "12345678901234567890123456.785")]
    for _ in range(2000):                       # up to 28 digits, up to 24 before the point
        digits = rng.randint(1, 28)
        value = Decimal(rng.randint(0, 10 ** digits - 1)).scaleb(-rng.randint(max(0, digits - 24), digits))
        values.append(-value if rng.random() < 0.2 else value)
    for _ in range(500):
        values.append(Decimal(rng.randint(0, 10 ** 9)) / 1000 + Decimal("0.005"))
    return values


def _reference_money(value: Decimal) -> str:
    """fmt_money written the plain way: round half-up to the fen, group, drop a zero fraction."""
    with localcontext() as exact:
        exact.prec = 100
        cents = int((abs(value) * 100).to_integral_value(rounding=ROUND_HALF_UP))
    if cents == 0:
        return "0"
    yuan, fen = divmod(cents, 100)
    text = f"{yuan:,}" + (f".{fen:02d}" if fen else "")
    return "-" + text if value < 0 else text


def test_fmt_money_depends_on_the_value_only() -> None:
    for value in _amounts():
        text = fmt_money(value)
        assert text == _reference_money(value), value
        # the same value written with another exponent (what a sum with 0 or a product with
        # 1.00 gives) is shown the same
        for same in (value + Decimal("0.00"), value * 1, value.normalize()):
            if same == value:
                assert fmt_money(same) == text, (value, same)


def test_rule_figure_texts_are_plain_dicts_of_the_formatted_figures() -> None:
    rules = load_rulebook()
    for texts, fmt in ((rules.money_texts, fmt_money), (rules.ratio_texts, fmt_ratio)):
        assert type(texts) is dict and texts
        assert all(text == fmt(figure) for figure, text in texts.items())
        # the lookup a calculation makes for a figure computed from the rules
        for figure in list(texts)[:50]:
            for computed in (figure + Decimal("0.00"), figure * 2, figure + Decimal("0.05"),
                             figure - Decimal("0.005")):
                assert (texts.get(computed) or fmt(computed)) == fmt(computed)


def test_a_context_is_the_trace_of_its_answer() -> None:
    rules = load_rulebook()
    ctx = Context.for_region(rules, "烟台", 2026, "x", ("critical.special_groups",))
    assert isinstance(ctx, Trace)
    assert (ctx.steps, ctx.noted, ctx.unknowns, ctx.notes) == ([], {}, (), ())
    ctx.step("一")
    ctx.step("二", "critical.special_groups")
    ctx.unknown_text("未给出")
    ctx.unknown_text("未给出")
    ctx.note("说明")
    result = ctx.result("x", Decimal(1), "元", "标签")
    plain = Trace()
    plain.step("一")
    plain.step("二", "critical.special_groups", ctx.cite("critical.special_groups"))
    p = ctx.param("critical.special_groups")
    if p.notes is not None:
        plain.noted[p.notes] = None
    plain.unknown_text("未给出")
    plain.note("说明")
    assert result == plain.result("x", Decimal(1), "元", "标签")
    assert result.unknowns == ("未给出",)


def test_a_rule_set_without_the_calculation_says_where_it_applies() -> None:
    rules = load_rulebook()
    with pytest.raises(NotCoveredError) as caught:
        Context.for_region(rules, "江西", 2026, "待遇等待期", ("waiting.fixed_months",))
    have = [rs.short_name for rs in rules.rule_sets.values() if rules.has(rs.id, "waiting.fixed_months")]
    assert caught.value.message == (f"我们掌握的江西省文件里没有待遇等待期的规定;"
                                    f"这项计算目前只适用于:{'、'.join(have)}。")


def _answers(kinds: tuple[str, ...]) -> list[tuple[str, Any, policy.Result]]:
    rules = load_rulebook()
    rng = random.Random(SEED)
    inputs = [(k, i) for k, i in seeded_inputs(300, SEED) if k in kinds]
    for kind in kinds:                              # long and half-fen amounts as well
        if kind == "cap":
            continue
        cls = type(next(i for k, i in inputs if k == kind))
        for i in range(300):                        # up to 34 digits: beyond the context's 28
            if i % 3:
                digits = rng.randint(1, 34)
                amount = Decimal(rng.randint(0, 10 ** digits - 1)).scaleb(-max(0, digits - 8))
            else:                                   # a half fen that rounding to 28 digits moves
                amount = Decimal(f"{rng.randint(0, 10 ** 7)}.{rng.randint(0, 99):02d}"
                                 + rng.choice(("4" + "9" * 26, "5" + "0" * 25 + "1")))
            groups = rng.choice(((), "tekun", "dibao", "dibao-edge", ("dibao", "tekun"),
                                 ("monitored", "illness-poverty")))
            inputs.append((kind, cls(region="烟台", burden=amount, groups=groups, year=2026)))
    out = []
    for kind, given in inputs:
        try:
            out.append((kind, given, CALCULATORS[kind](rules, given)))
        except policy.PolicyError:
            continue
    return out


def test_reused_texts_are_the_formatted_figures() -> None:
    answers = _answers(("cap", "assistance", "chain"))
    assert len(answers) > 500
    for kind, given, result in answers:
        last = result.steps[-1].text
        if kind == "chain":
            assert last.endswith(f"= {fmt_money(result.part('pays').value)} 元"), (given, last)
        elif kind == "assistance":
            total, pays = result.value, result.part("pays").value
            assert last.endswith(f"= {fmt_money(total)} 元;个人还需负担 {fmt_money(pays)} 元"), (given, last)
        elif result.value is not None and result.unit.startswith("元(在原封顶线"):
            sign = "提高" if result.value >= 0 else "降低"
            assert last == f"在所在市原封顶线基础上{sign} {fmt_money(abs(result.value))} 元", (given, last)
