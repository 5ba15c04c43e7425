"""Property tests the other suites do not have yet (tests/nlp and tests/faq cover the normaliser,
the extractor, masking and FaqIndex.search on arbitrary text and FTS syntax).

- the FTS query builder (bot.faq.index.match_expression) and the module-level search the actions
  call never raise, also on lone surrogates and control characters, and build quoted tokens only;
- every calculator of bot.policy, given arbitrary numbers (Decimal NaN/sNaN/±Infinity, negative,
  huge, floats, numeric strings, None) and arbitrary codes of the declared types, either returns
  a Result or raises a typed PolicyError — InvalidInputError for any impossible number (naming
  its field); nothing else ever escapes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import policy
from bot.dialogue.decision import Reading, State, decide
from bot.dialogue.replies import clauses
from bot.faq import default_index, search
from bot.faq.index import match_expression
from bot.nlp import extract, normalize
from bot.policy import InvalidInputError, PolicyError, Result
from bot.policy.codes import EXEMPT, GROUPS, INSURED_TYPES, LEVELS, PRICE_CLASSES
from tests.policy.golden_inputs import INPUTS

# Any code point, lone surrogates and control characters included.
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
FTS_PIECES = st.sampled_from(['"', "'", "(", ")", "*", "^", ":", "+", "-", "{", "}", "NEAR", "NEAR(",
                              "AND", "OR", "NOT", " ", "医保", "报销", "\x00", "\ud800", "😀",
                              "' OR 1=1 --", "'); DROP TABLE events;--"])
QUERIES = st.one_of(ANY_TEXT, st.lists(FTS_PIECES, max_size=40).map("".join))


@pytest.fixture(scope="module")
def faq_index():
    return default_index()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_match_expression_quotes_every_token(faq_index, query: str) -> None:
    expression = match_expression(query, faq_index._tk)
    assert isinstance(expression, str)
    if expression:
        for part in expression.split(" OR "):
            assert part.startswith('"') and part.endswith('"'), expression
            assert '"' not in part[1:-1].replace('""', ""), expression


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES, rule_set=st.sampled_from([None, "shandong", "yantai", "shanxi", "jiangxi",
                                                 "xinjiang", "not_covered"]))
def test_search_never_raises(faq_index, query: str, rule_set: str | None) -> None:
    hits = faq_index.search(query, rule_set=rule_set)
    assert isinstance(hits, list) and len(hits) <= 3


@settings(max_examples=100, deadline=None)
@given(query=QUERIES, intent=st.sampled_from(["ask_policy", "nlu_fallback", "ask_cap", "greet", "inform"]))
def test_the_decision_never_raises_and_is_one_of_its_kinds(query: str, intent: str) -> None:
    reading = Reading(normalize(query), intent, 0.5, extract(query).slots)
    decision = decide(reading, State(region="xinjiang"), clauses(),
                      search=lambda text, region: [h.id for h in search(text, rule_set=region)])
    assert decision.act in ("calculate", "faq", "fill", "clarify", "decline", "handoff", "noted")


# -- the engine ----------------------------------------------------------------------------------

NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=-10, max_value=10 ** 12),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-1, max_value=10 ** 9, places=4),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
                     Decimal("1e30"), Decimal("-5"), Decimal("1e-30"), Decimal("0.0001"),
                     Decimal("999999999999"), Decimal("-0"), 10 ** 40, -1]),
    st.sampled_from(["1e30", "NaN", "-5", "abc", "", "２００００", "3.5万"]),
    st.none(),
)


def _codes(codes: Any) -> st.SearchStrategy[Any]:
    """A known code, None or any value of the code's own type (a code field is never a number
    unless its codes are numbers: the callers pass what the contract says)."""
    other = st.integers() if all(isinstance(c, int) for c in codes) else st.text(max_size=10)
    return st.one_of(st.sampled_from(list(codes)), st.none(), other)


FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "year": st.one_of(st.integers(min_value=2025, max_value=2040), st.integers(), st.none(),
                      st.text(max_size=6)),
    "in_period": st.booleans(), "flexible_employee": st.booleans(), "after_gap": st.booleans(),
    "retired": st.booleans(), "flexible": st.booleans(),
    "exempt": _codes(EXEMPT),
    "paid_on": st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))),
    "price_class": _codes(PRICE_CLASSES),
    "level": _codes(LEVELS),
    "insured_type": _codes(INSURED_TYPES),
    "group": _codes(GROUPS),
    "groups": st.one_of(st.lists(st.sampled_from(list(GROUPS)), max_size=3).map(tuple),
                        st.sampled_from(list(GROUPS)), st.text(max_size=10),
                        st.lists(st.text(max_size=6), max_size=3).map(tuple)),
}
# A region where each calculation exists (NotCoveredError is not what these tests are about).
REGIONS = {"waiting": "xinjiang", "cap": "shandong", "inpatient": "shanxi", "outpatient": "jiangxi",
           "account": "jiangxi", "critical": "yantai", "drug": "yantai", "assistance": "yantai",
           "chain": "yantai"}
NUMBER_FIELDS = {"gap_years", "paid_back_years", "years_insured", "zero_claim_years",
                 "original_cap", "expense", "paid_this_year", "base", "burden"}


def inputs_for(kind: str, numbers: st.SearchStrategy[Any] = NUMBERS) -> st.SearchStrategy[Any]:
    cls = INPUTS[kind]
    strategies = {}
    for f in dataclasses.fields(cls):
        if f.name == "region":
            strategies[f.name] = st.just(REGIONS[kind])
        elif f.name in NUMBER_FIELDS:
            strategies[f.name] = numbers
        else:
            strategies[f.name] = FIELDS[f.name]
    return st.builds(cls, **strategies)


@pytest.fixture(scope="module")
def rules():
    return policy.load_rulebook()


@pytest.mark.parametrize("kind", list(INPUTS))
def test_calculators_return_a_result_or_a_typed_error(rules, kind: str) -> None:
    @settings(max_examples=200, deadline=None)
    @given(inputs=inputs_for(kind))
    def check(inputs: Any) -> None:
        try:
            result = policy.CALCULATORS[kind](rules, inputs)
        except PolicyError as exc:
            assert isinstance(exc.message, str) and exc.message
            return
        assert isinstance(result, Result)
        if result.value is not None:
            assert result.value.is_finite()
    check()


BAD_NUMBERS = st.one_of(
    st.sampled_from([Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"),
                     Decimal("1e30"), Decimal("-5"), Decimal("-0.01"), 10 ** 40, -1, float("nan"),
                     float("inf"), "abc", "1e30"]),
    st.integers(max_value=-1),
    st.decimals(max_value=Decimal("-0.0001"), allow_nan=False, allow_infinity=False),
    st.integers(min_value=10 ** 9),
)


@pytest.mark.parametrize("kind", list(INPUTS))
def test_impossible_numbers_are_refused_with_invalid_input_error(rules, kind: str) -> None:
    """One impossible number (negative, NaN, infinite, beyond any bill or life), the rest valid:
    always InvalidInputError, naming that field."""
    valid = {"waiting": dict(gap_years=2), "cap": dict(years_insured=3, zero_claim_years=1),
             "inpatient": dict(price_class="2-county", expense=20000),
             "outpatient": dict(level=2, expense=3000, insured_type="employee"),
             "account": dict(base=5000, insured_type="employee"),
             "critical": dict(burden=50000), "drug": dict(expense=50000),
             "assistance": dict(burden=50000, groups=("dibao",)),
             "chain": dict(burden=50000, groups=("dibao",))}[kind]
    cls = INPUTS[kind]
    fields = [f.name for f in dataclasses.fields(cls) if f.name in NUMBER_FIELDS]
    baseline = policy.CALCULATORS[kind](rules, cls(region=REGIONS[kind], year=2026, **valid))
    assert isinstance(baseline, Result)

    @settings(max_examples=60, deadline=None)
    @given(field=st.sampled_from(fields), value=BAD_NUMBERS)
    def check(field: str, value: Any) -> None:
        inputs = cls(region=REGIONS[kind], year=2026, **{**valid, field: value})
        with pytest.raises(InvalidInputError) as refused:
            policy.CALCULATORS[kind](rules, inputs)
        assert refused.value.field == field
    check()
