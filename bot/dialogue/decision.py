"""One decision per message: what the assistant does with it, decided in one place.

From what the classifier made of a message (intent, the response selector's ranking of clause
summaries, the facts it states) and the conversation (active form, pending question, last
calculation, region known), `decide` returns exactly one of:

    calculate K   start (or switch to) calculation K; its form asks what is still missing
    faq C         answer with clause summary C, for the resident's own region
    fill          the message answers the pending question of the open form
    clarify       «您是想问……吗?» with up to three candidate clauses as buttons
    decline T     say honestly the documents do not answer it (topic T of data/dialogue/declines.yml,
                  `not_in_documents`, or `region_not_covered`)
    handoff       the resident asks for a person
    parameter P   a question for one figure of the rules («山西县医院起付线多少»): parameter P
    noted         a greeting, or facts said with no question yet («你好,我是山西太原的»): the facts
                  are kept, and the resident is asked what to know

A clause is given only when the selector is sure of the question (alone, or confirmed by the
full-text index) and the clause is the rule of the resident's region; a neighbouring clause is
never given in place of an answer. Rasa-free: the actions translate the tracker into a Reading
and a State, and the Decision back into events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Tuple

from bot.faq.model import NOT_COVERED, applicable_rule_sets

from . import wording
from .catalogue import CATALOGUE, check_region
from .declines import GENERIC, REGION_NOT_COVERED, declines
from .topics import kind_for, kind_from_message, states_calculation_facts

CALCULATE, FAQ, FILL, CLARIFY, DECLINE, HANDOFF = "calculate", "faq", "fill", "clarify", "decline", "handoff"
NOTED, PARAMETER = "noted", "parameter"
NOT_IN_DOCUMENTS_CLAUSE = "not_in_documents"     # the selector's answer for uncovered questions
CALCULATION_INTENTS = frozenset({"ask_waiting_period", "ask_cap", "ask_inpatient", "ask_outpatient",
                                 "ask_personal_account", "ask_critical_illness", "ask_assistance"})
FOLLOW_UP_INTENTS = frozenset({"inform", "correct"})
RETRIEVAL_INTENT = "ask_policy"


@dataclass(frozen=True)
class Thresholds:
    """Confidences of the response selector, summed over the clauses that answer one question
    (`by_question`), chosen on the tuning questions with `python -m bot.evaluation.thresholds`
    (never on the held-out ones), for the selector of config.yml. Answering from 0.5: 0.25 gave
    2 more right answers and 3 more wrong of 284. Giving, from 0.1, a clause the full-text index
    also ranks first turned 13 weak into right at the cost of 2 wrong. Offering candidates from
    0.2 rather than 0.1 turned 2 questions back into honest declines."""
    answer: float = 0.5         # a clause is given at or above this
    decline: float = 0.3        # «not in the documents» is trusted at or above this
    agreed: float = 0.1         # ... or at or above this when the full-text index ranks it first too
    clarify: float = 0.2        # a clause is offered as a candidate at or above this
    overrule_decline: float = 0.9   # a clause this sure outweighs a decline's words («涨价了还得补吗»)
    max_candidates: int = 3

    def confident(self, ranking: "list[Candidate] | tuple[Candidate, ...]") -> bool:
        """The best of a selector ranking is sure enough to be given as the answer."""
        return bool(ranking) and ranking[0].confidence >= self.answer


@dataclass(frozen=True)
class Candidate:
    clause: str
    confidence: float


@dataclass(frozen=True)
class Clause:
    """What the decision needs to know of a clause summary."""
    id: str
    rule_set: str
    question: str
    topics: frozenset[str] = frozenset()    # questions other regions' clauses answer too

    @property
    def stem(self) -> str:
        """The topic without its region prefix: sd_waiting_period and xj_waiting_period share one."""
        return self.id.split("_", 1)[1] if "_" in self.id else self.id

    def same_question(self, other: "Clause") -> bool:
        """Both answer one question (for their own regions)."""
        return self.stem == other.stem or bool(self.topics & other.topics)


@dataclass(frozen=True)
class Reading:
    """What the classifier made of one message."""
    text: str                                   # normalised text
    intent: str | None = None
    confidence: float = 0.0
    said: Mapping[str, Any] = field(default_factory=dict)   # facts this message states
    faq: tuple[Candidate, ...] = ()             # selector ranking, best first (ask_policy only)

    def as_message(self) -> dict[str, Any]:
        """The shape bot.dialogue.topics reads (Rasa's latest_message)."""
        return {"text": self.text, "entities": [{"entity": k, "value": v} for k, v in self.said.items()]}


@dataclass(frozen=True)
class State:
    """The conversation before this message."""
    form: str | None = None             # calculation whose form is open
    requested_slot: str | None = None   # the form's pending question
    topic: str | None = None            # the last calculation asked for
    region: str | None = None           # rule set (or not_covered) known from earlier messages


@dataclass(frozen=True)
class Decision:
    act: str
    target: str | None = None
    candidates: tuple[str, ...] = ()    # clause ids offered by a clarification
    region: str | None = None           # the region the answer is for, when known
    calculation: str | None = None      # the calculation a parameter belongs to, or that a
                                        # region outside the five asked for

    @property
    def label(self) -> str:
        """The outcome label of tests/eval/README.md (`calc:waiting`, `faq:sd_newborn` …)."""
        if self.act == CALCULATE:
            return f"calc:{self.target}"
        if self.act in (FAQ, DECLINE):
            return f"{self.act}:{self.target}"
        if self.act == NOTED:
            return "greet"
        if self.act == PARAMETER:
            return f"param:{self.target}"
        return self.act


Search = Callable[[str, Optional[str]], Iterable[str]]                      # (text, rule set) → clause ids
Figure = Callable[[str, Optional[str], str], Optional[Tuple[str, str]]]     # (kind, region, text) → (rule set, parameter)


def decide(reading: Reading, state: State, clauses: Mapping[str, Clause], search: Search | None = None,
           thresholds: Thresholds = Thresholds(), figure: Figure | None = None) -> Decision:
    """The one thing to do with this message. `search(text, rule_set)` returns clause ids by
    full-text relevance; they are offered as candidates, and confirm the selector's best when
    they rank the same question first, but are never given as an answer on their own.
    `figure(kind, region, text)` returns (rule set, parameter) when the message asks for one
    figure of the rules that the region has, else None."""
    text = reading.text
    if reading.intent == "human_handoff" or wording.asks_person(text):
        return Decision(HANDOFF)
    said_region = reading.said.get("region")
    region = said_region or state.region
    if len(_plain(text)) < 2 and not reading.said:
        return Decision(CLARIFY)            # «嗯», «?», an emoji: nothing to go on
    by_question = _clause_by_question(text, clauses)
    if by_question:
        return Decision(FAQ, by_question.id, region=by_question.rule_set)
    fills = _fills_pending(reading, state) or _tells_the_form(reading, state)
    topic = declines().topic_of(text)
    if topic == "illegal" or (topic and not fills and not _sure_clause(reading, state, clauses, thresholds,
                                                                      at_least=thresholds.overrule_decline)):
        return Decision(DECLINE, topic, region=region)
    if said_region == NOT_COVERED:           # the calculation asked is remembered for «那按江西算吧»
        return Decision(DECLINE, REGION_NOT_COVERED, calculation=calculation_asked(reading, state, clauses, thresholds))
    kind = _for_the_region(calculation_asked(reading, state, clauses, thresholds), reading, region)
    if fills and (kind in (None, state.form) or not wording.is_question(text)
                  and state.form in CATALOGUE and _reads_what_is_said(state.form, reading.said)):
        return Decision(FILL, state.form, region=region)   # «各项报完了还剩四万» answers the form's question
    insured = reading.said.get("insured_type")
    if kind and insured and not CATALOGUE[kind].applies_to(insured):
        return Decision(DECLINE, GENERIC, region=region)   # «晋中职工医保住院»: 山西's document is for residents
    # a figure of the rules is stated from rules/, exactly, even where a clause says it in words
    named = kind or _named_calculation(reading, reading.as_message())
    if named and figure is not None and _asks_one_figure(reading, state):
        found = figure(named, region, text)
        if found:
            return Decision(PARAMETER, found[1], region=found[0], calculation=named)
    if kind:
        return Decision(CALCULATE, kind, region=region)
    if not state.form and _states_without_asking(reading):
        return Decision(NOTED, "facts" if reading.said else None, region=region)
    return clause_decision(reading, region, clauses, search, thresholds)


def calculation_asked(reading: Reading, state: State, clauses: Mapping[str, Clause],
                      thresholds: Thresholds = Thresholds()) -> str | None:
    """The calculation this message asks for, or None when it asks none (a concept, a yes/no rule,
    a question a clause of the resident's region answers)."""
    message = reading.as_message()
    text = reading.text
    numbers = _states_own_facts(reading)
    figure = wording.asks_figure(text)
    kind = _named_calculation(reading, message)
    if state.topic and kind != state.topic and numbers and wording.is_follow_up(text) \
            and not reading.said.get("service") and _reads_what_is_said(state.topic, reading.said):
        return state.topic                  # «那我在县医院花了一万八能报多少»: the last one, with my figures
    if kind is None and state.topic and (states_calculation_facts(message) or reading.said.get("region")) \
            and not (wording.asks_concept(text) or wording.asks_rule(text) and not figure):
        return state.topic                  # «那要是花了五万呢», «那山东济南呢»: the same calculation again
    if kind is None and state.topic and (reading.intent == "correct" or wording.is_correction(text)):
        return state.topic                  # «不对»: the last calculation, asked again
    if kind is None:
        return None
    asks_rule = wording.asks_concept(text) or (not figure and wording.asks_rule(text))
    if numbers and not (asks_rule and _sure_clause(reading, state, clauses, thresholds)):
        return kind                         # («一年没用医保,第二年有啥好处» is the rule's question)
    if asks_rule:
        return None                         # «大病保险和医疗救助有什么区别», «个人账户的钱能继承吗»
    if wording.is_personal(text) or figure and wording.describes_oneself(text):
        return kind                         # «我的封顶线能提高多少», «我是灵活就业…要等多久»
    if state.topic and wording.is_follow_up(text):
        return kind                         # «那住院呢?» after an answer: that calculation
    if (reading.said.get("region") or state.region) and _sure_clause(reading, state, clauses, thresholds) and (
            reading.intent not in CALCULATION_INTENTS | FOLLOW_UP_INTENTS or wording.asks_parameter(text)):
        return None                         # «山西乡镇卫生院住院报销比例是多少»: a clause states it
    # (with no region known, «大病保险封顶线是多少» is the calculation: it asks the region)
    if reading.intent in CALCULATION_INTENTS | FOLLOW_UP_INTENTS or figure:
        return kind
    return None                             # «低保户大病保险有什么照顾»: a rule, not a figure


# A bill that names neither a hospital stay nor an outpatient visit is read as one of them; when the
# region's documents compute only the other, it is the other («山西…在县医院花了一万八»).
HOSPITAL_BILLS = ("inpatient", "outpatient")


def _for_the_region(kind: str | None, reading: Reading, region: str | None) -> str | None:
    if kind not in HOSPITAL_BILLS or reading.said.get("service") or not region or region == NOT_COVERED:
        return kind
    other = next(k for k in HOSPITAL_BILLS if k != kind)
    if check_region(kind, region) and not check_region(other, region):
        return other
    return kind


def _named_calculation(reading: Reading, message: Mapping[str, Any]) -> str | None:
    """The calculation a message names: the classifier's, unless the service it names says
    otherwise (门诊 classified as a hospital stay); explicit cap words; what its facts imply
    (a burden is the critical-illness calculation even when the message also says 住院); the
    service it names; its words."""
    by_intent = kind_for(reading.intent, message) if reading.intent in CALCULATION_INTENTS else None
    by_words = kind_for(reading.intent, message)
    by_facts = kind_from_message(message, keywords=False)
    service = reading.said.get("service")
    if by_intent in ("inpatient", "outpatient") and service in ("inpatient", "outpatient") and service != by_intent:
        by_intent = service
    if by_intent and by_facts and by_facts != by_intent and not _reads_what_is_said(by_intent, reading.said):
        by_intent = by_facts                # «住院…自己还得出四十万,大病能报多少»: the burden decides
    return (by_intent or (by_words if by_words == "cap" else None) or by_facts or by_words
            or kind_from_message(message))


def _reads_what_is_said(kind: str, said: Mapping[str, Any]) -> bool:
    """The calculation reads every amount or number of years the message states."""
    stated = [f for f in NUMERIC_FACTS if said.get(f) is not None]
    return all(f in CATALOGUE[kind].reads for f in stated)


# Facts that only a calculation uses: stating one asks for that calculation.
NUMERIC_FACTS = ("gap_years", "paid_back_years", "years_insured", "zero_claim_years", "original_cap",
                 "expense", "burden", "contribution_base", "paid_this_year")
# Facts of one's own case that only a calculation reads: with one, a figure question is worked out
# for the resident rather than answered with the rule («过了集中缴费期才交的…交完要等多久»,
# «到2030年封顶能提高多少»).
# (Not `exempt`: «救助对象» names a group as often as an exemption from the waiting period.)
OWN_FACTS = NUMERIC_FACTS + ("in_period", "benefit_year")


def _states_own_facts(reading: Reading) -> bool:
    return any(reading.said.get(f) is not None for f in OWN_FACTS)


def _sure_clause(reading: Reading, state: State, clauses: Mapping[str, Clause], thresholds: Thresholds,
                 at_least: float | None = None) -> bool:
    """The selector is confident of a clause, and it is a rule of the resident's region. Only a
    message the selector's ranking is about counts (`_selector_read_it`): for a calculation
    question its top clause is a guess, however confident."""
    ranking = by_question(reading.faq, clauses)
    if not _selector_read_it(reading) or not thresholds.confident(ranking) \
            or ranking[0].clause == NOT_IN_DOCUMENTS_CLAUSE \
            or (at_least is not None and ranking[0].confidence < at_least):
        return False
    region = reading.said.get("region") or state.region
    clause = clauses.get(_for_region(ranking[0].clause, region, clauses))
    return clause is not None and (not region or region == NOT_COVERED
                                   or clause.rule_set in applicable_rule_sets(region))


def clause_decision(reading: Reading, region: str | None, clauses: Mapping[str, Clause],
                    search: Search | None, thresholds: Thresholds) -> Decision:
    """Answer with a clause only when it answers the question for the resident's region."""
    ranking = by_question([c for c in reading.faq if c.clause in clauses or c.clause == NOT_IN_DOCUMENTS_CLAUSE],
                          clauses)
    if ranking and ranking[0].clause == NOT_IN_DOCUMENTS_CLAUSE and ranking[0].confidence >= thresholds.decline:
        return Decision(DECLINE, GENERIC, region=region)
    real = [c for c in ranking if c.clause != NOT_IN_DOCUMENTS_CLAUSE]
    found: list[str] | None = None          # the full-text hits, searched at most once

    def hits() -> list[str]:
        nonlocal found
        if found is None:
            found = list(search(reading.text, region)) if search is not None else []
        return found

    if real and real[0] == ranking[0] and _selector_read_it(reading) and (
            thresholds.confident(ranking)
            or real[0].confidence >= thresholds.agreed and _index_agrees(real[0].clause, hits(), clauses)):
        return _confident_clause(clauses[real[0].clause], real, region, clauses, thresholds)
    offered = _own_region([_for_region(c.clause, region, clauses) for c in real if c.confidence >= thresholds.clarify],
                          region, clauses)
    if not offered and reading.intent != "out_of_scope":
        offered = _own_region(hits(), region, clauses)
    offered = offered[: thresholds.max_candidates]
    if offered:
        return Decision(CLARIFY, candidates=tuple(offered), region=region)
    return Decision(DECLINE, GENERIC, region=region)


def by_question(ranking: "Iterable[Candidate]", clauses: Mapping[str, Clause]) -> list[Candidate]:
    """The selector's ranking by question rather than by clause: clauses answering one question for
    different regions (sd_waiting_period, xj_waiting_period) share their confidence, under the name
    of the likeliest; best first. Which region's clause answers is decided afterwards."""
    groups: list[tuple[Clause | None, str, float]] = []
    for c in ranking:
        clause = clauses.get(c.clause)
        for i, (head, name, total) in enumerate(groups):
            if clause is not None and head is not None and head.same_question(clause):
                groups[i] = (head, name, total + c.confidence)
                break
        else:
            groups.append((clause, c.clause, c.confidence))
    merged = [Candidate(name, round(total, 6)) for _, name, total in groups]
    return sorted(merged, key=lambda c: -c.confidence)


def _selector_read_it(reading: Reading) -> bool:
    """The selector's ranking is about this question: DIET took it for a policy question, or for
    a calculation's topic asked as a concept or a rule («什么是待遇等待期», «零报销奖励是啥意思»),
    which no calculation answers."""
    if reading.intent == RETRIEVAL_INTENT:
        return True
    return reading.intent in CALCULATION_INTENTS and (wording.asks_concept(reading.text)
                                                      or wording.asks_rule(reading.text)
                                                      and not wording.asks_figure(reading.text))


def _confident_clause(best: Clause, ranking: list[Candidate], region: str | None,
                      clauses: Mapping[str, Clause], thresholds: Thresholds) -> Decision:
    same_topic = [clauses[c.clause] for c in ranking
                  if clauses[c.clause].same_question(best) and c.confidence >= thresholds.clarify]
    same_topic += [c for c in clauses.values() if c.same_question(best) and c not in same_topic]
    if region and region != NOT_COVERED:
        own = [c for c in same_topic if c.rule_set in applicable_rule_sets(region)]
        if own:
            return Decision(FAQ, own[0].id, region=region)
        return Decision(DECLINE, GENERIC, region=region)     # only another region's document says
    regions = {c.rule_set for c in same_topic}
    if len(regions) > 1:                                   # several documents say it differently
        return Decision(CLARIFY, candidates=tuple(c.id for c in same_topic[: thresholds.max_candidates]))
    return Decision(FAQ, best.id, region=best.rule_set)


def _index_agrees(clause_id: str, hits: list[str], clauses: Mapping[str, Clause]) -> bool:
    """The full-text index, which reads the clauses' own words, ranks first a clause answering the
    same question as the selector's best: two independent readings agree."""
    return bool(hits) and hits[0] in clauses and clauses[hits[0]].same_question(clauses[clause_id])


def _for_region(clause_id: str, region: str | None, clauses: Mapping[str, Clause]) -> str:
    """The clause answering the same question for the resident's region, when one does."""
    clause = clauses.get(clause_id)
    if clause is None or not region or region == NOT_COVERED:
        return clause_id
    allowed = applicable_rule_sets(region)
    if clause.rule_set in allowed:
        return clause_id
    return next((c.id for c in clauses.values() if c.rule_set in allowed and c.same_question(clause)), clause_id)


def _own_region(ids: list[str], region: str | None, clauses: Mapping[str, Clause]) -> list[str]:
    if not region or region == NOT_COVERED:
        return ids
    allowed = applicable_rule_sets(region)
    return [i for i in ids if i in clauses and clauses[i].rule_set in allowed]


def _clause_by_question(text: str, clauses: Mapping[str, Clause]) -> Clause | None:
    """A clause's own question, sent back by a clarification button."""
    key = _plain(text)
    return next((c for c in clauses.values() if _plain(c.question) == key), None) if key else None


def _plain(text: str) -> str:
    return "".join(ch for ch in text or "" if ch.isalnum())


def _asks_one_figure(reading: Reading, state: State) -> bool:
    """«江西职工门诊起付线是多少»: a figure of the rules, with nothing of one's own to work out
    (no amount or years, not «我的…», not a follow-up of a calculation whose facts are known)."""
    text = reading.text
    if not wording.asks_parameter(text) or wording.is_personal(text):
        return False
    if state.topic and wording.is_follow_up(text):
        return False
    return not _states_own_facts(reading)


def _states_without_asking(reading: Reading) -> bool:
    """«你好,我是山西太原的», «我是退休职工»: facts, and no question of any kind."""
    text = reading.text
    if reading.intent != "greet" and not reading.said:
        return False
    if reading.intent == RETRIEVAL_INTENT and not wording.describes_oneself(text):
        return False                        # «山东新生儿参保»: a question without a question word
    return (reading.intent in ("greet", "inform", "nlu_fallback", "thanks", "affirm", RETRIEVAL_INTENT)
            and not wording.is_question(text))


def _tells_the_form(reading: Reading, state: State) -> bool:
    """No question, only facts of the open form's calculation («前年断过一年 今年刚续上» while the
    cap form asks something else): the form takes them and asks on."""
    if state.form not in CATALOGUE or wording.is_question(reading.text):
        return False
    stated = [f for f in NUMERIC_FACTS if reading.said.get(f) is not None]
    return bool(stated) and all(f in CATALOGUE[state.form].reads for f in stated)


def _fills_pending(reading: Reading, state: State) -> bool:
    """The open form asks for something and this message states it (or is short enough to be
    an answer the form reads itself: «打工的», «没有»)."""
    if not state.form or not state.requested_slot:
        return False
    if reading.said.get(state.requested_slot) is not None:
        return True
    text = reading.text
    return len(_plain(text)) <= 8 and not (wording.asks_figure(text) or wording.asks_concept(text)
                                           or wording.asks_rule(text))
