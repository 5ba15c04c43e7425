"""The rules in force per benefit year (RuleBook.in_force) and the place-name memo are only a
faster way to look parameters up: every lookup must give what the parameter itself says on
that date, and a trace's readings and warnings must be those of adding each text as it comes."""
from __future__ import annotations

import datetime as dt
import random
import shutil

import pytest

from bot.policy import NotCoveredError, NotInForceError
from bot.policy.context import PLACES_KEPT, Context
from bot.policy.model import Notes, Trace
from bot.policy.rules import RULES_DIR, RuleBook, load_rulebook, load_rules_dir


@pytest.fixture(scope="module")
def dated_rules(tmp_path_factory: pytest.TempPathFactory) -> RuleBook:
    """A copy of rules/ where one parameter changes in 2028 and one starts only in 2027."""
    target = tmp_path_factory.mktemp("dated") / "rules"
    shutil.copytree(RULES_DIR, target)
    for name, old, new in (
            ("shandong.yml", "values: {2025-01-01: 3000}", "values: {2025-01-01: 3000, 2028-01-01: 3500}"),
            ("yantai.yml", "values: {2023-01-01: [{from: 0, to: null, ratio: 0.80}]}",
             "values: {2027-01-01: [{from: 0, to: null, ratio: 0.80}]}")):
        path = target / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return load_rules_dir(target)


@pytest.mark.parametrize("which", ["rules", "dated"])
def test_lookups_equal_the_parameters_own(which: str, dated_rules: RuleBook) -> None:
    rules = load_rulebook() if which == "rules" else dated_rules
    for rule_set in rules.rule_sets:
        for year in (2000, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2100):
            on = dt.date(year, 1, 1)
            ctx = Context(rules, rules.in_force(rule_set, year))
            assert ctx.rule_set == rule_set and ctx.on == on
            for name, p in rules.merged[rule_set].items():
                if p.unknown:
                    assert ctx.value(name) is None
                    continue
                try:
                    i = p.index_on(on)
                except NotInForceError:
                    with pytest.raises(NotInForceError):
                        ctx.value(name)
                    with pytest.raises(NotInForceError):
                        ctx.shown(name)
                    continue
                assert ctx.value(name) is p.values[i][1]
                assert ctx.shown(name) == p.shown[i]
            with pytest.raises(KeyError):
                ctx.value("no.such.parameter")
    if which == "dated":
        step = dated_rules.param("yantai", "cap.step")
        assert [Context(dated_rules, dated_rules.in_force("yantai", y)).value("cap.step")
                for y in (2027, 2028)] == [step.values[0][1], step.values[1][1]]


def test_in_force_and_places_are_memoised_and_bounded() -> None:
    rules = load_rules_dir(RULES_DIR)                  # a fresh rule book: empty memos
    assert rules.in_force("yantai", 2026) is rules.in_force("yantai", 2026)
    a = Context.for_region(rules, "烟台", 2026, "x", ("critical.special_groups",))
    b = Context.for_region(rules, "芝罘", 2026, "x", ("critical.special_groups",))
    assert a.in_force is b.in_force is rules.in_force("yantai", 2026)
    assert a is not b and a.steps is not b.steps
    with pytest.raises(NotCoveredError):
        Context.for_region(rules, "北京", 2026, "x", ())
    assert ("北京", 2026) not in rules.places         # errors are not remembered
    for year in range(2000, 2101):                    # place names × years kept, up to the bound
        Context.for_region(rules, "山东", year, "x", ())
    assert len(rules.places) == 2 + 101
    while len(rules.places) < PLACES_KEPT:
        rules.places[f"#{len(rules.places)}", 0] = rules.in_force("shandong", 2026)
    assert Context.for_region(rules, "新疆", 2026, "x", ()).rule_set == "xinjiang"
    assert len(rules.places) == PLACES_KEPT and ("新疆", 2026) not in rules.places


def test_parameters_with_the_same_notes_share_them() -> None:
    rules = load_rulebook()
    by_texts: dict[tuple[tuple[str, ...], tuple[str, ...]], Notes] = {}
    for rs in rules.rule_sets.values():
        for p in rs.parameters.values():
            assert (p.notes is None) == (not p.has_notes)
            if p.notes is not None:
                assert p.notes.readings == tuple(dict.fromkeys(p.readings))
                assert p.notes.warnings == p.warnings
                assert by_texts.setdefault((p.notes.readings, p.notes.warnings), p.notes) is p.notes


def test_trace_notes_are_the_texts_in_the_order_first_added() -> None:
    """Trace keeps Notes sources and flattens them; the result must equal adding every text of
    every source as it comes, without repeats (what the trace used to do eagerly)."""
    rng = random.Random(7)
    texts = [f"t{i}" for i in range(6)]
    pool = [Notes(tuple(rng.sample(texts, rng.randint(0, 2))), tuple(rng.sample(texts, rng.randint(0, 2))))
            for _ in range(8)]
    for _ in range(300):
        trace, readings, warnings = Trace(), [], []
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.6:
                source = rng.choice(pool)
                trace.noted[source] = None
            elif roll < 0.8:
                source = Notes((rng.choice(texts),), ())
                trace.reading(source.readings[0])
            else:
                source = Notes((), (rng.choice(texts),))
                trace.warn(source.warnings[0])
            readings += [t for t in source.readings if t not in readings]
            warnings += [t for t in source.warnings if t not in warnings]
        result = trace.result("x", None, "元", "x")
        assert (result.readings, result.warnings) == (tuple(readings), tuple(warnings))
        assert (trace.readings, trace.warnings) == (tuple(readings), tuple(warnings))
