"""The slot extractor: normalised text → every slot of CONTRACTS.md with its normalised value.

A spaCy 3.4 blank `zh` pipeline (jieba segmenter with the project's user dictionary, no model
download) and a spaCy PhraseMatcher built from bot.nlp.patterns.LEXICON find the categorical
words on token boundaries (longest match wins, spacy.util.filter_spans);
numbers are read from the normalised text and given to slots by their context
(bot.nlp.quantities); place names are matched against bot.policy.regions' gazetteer on token
boundaries. The pipeline is built once, lazily, by `get_extractor()`.
"""
from __future__ import annotations

import logging
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from bot.nlp.negation import negated
from bot.nlp.normalizer import normalize
from bot.nlp.privacy import mask_personal_data
from bot.nlp.patterns import HOSPITAL_WORDS, LEXICON, REGION_STOPWORDS, SHANXI_LEVEL_AS_CLASS
from bot.nlp.quantities import fill_quantities
from bot.policy.regions import NOT_COVERED, region_surface_forms, resolve_region

USERDICT = Path(__file__).with_name("jieba_dict") / "userdict.txt"
MAX_VOCAB = 200_000  # lexemes kept by the spaCy vocab before the pipeline is rebuilt (~0.2 s)

SLOT_NAMES: tuple[str, ...] = (
    "region", "gap_years", "years_insured", "paid_back_years", "expense", "burden",
    "contribution_base", "original_cap", "benefit_year", "paid_this_year", "zero_claim_years",
    "in_period", "insured_type", "retired", "hospital_level", "price_class", "group", "exempt",
    "service",
)

# Phrases that state a number of zero-claim years (or a gap) without a digit.
_ZERO_CLAIM_PHRASES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(?:前年和去年|去年和前年|前年去年|去年前年|这[两2]年|近[两2]年|过去[两2]年|前[两2]年)[^,，。!?！？]{0,6}?"
                r"(?:零报销|没报|没用|没看过病|没住过院|没有报|一分钱|1分钱)"), 2),
    (re.compile(r"(?:去年|上一年|上年|头一年|上个年度)[^,，。!?！？]{0,8}?"
                r"(?:零报销|没报|没用过医保|没用医保|没看过病|没住过院|没有报|一分钱没|1分钱没|"
                r"一分钱都没|1分钱都没|没花医保|没走医保|没用过|没生病|没有用|没动|没去医院|没去过医院|没看病|"
                r"没住院)"), 1),
)
_GAP_PHRASES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"(?:去年|上一年|上年)[^,，。!?！？]{0,3}?(?:没交|没缴|没参保|断保|断缴|断了|没续)"), 1),
    (re.compile(r"(?:前年和去年|去年和前年|前[两2]年|这[两2]年)[^,，。!?！？]{0,3}?(?:都)?(?:没交|没缴|没参保|断保|断缴|断了)"), 2),
)


_DE_WORDS = frozenset({"的确", "的话", "的士", "的哥", "的姐"})

# Categorical values said in words that vary too much for the word list (checked after it, so a
# listed word wins): 新生娃娃, 住了半个月院, 赶上集中缴费期.
_CATEGORY_PHRASES: tuple[tuple[re.Pattern[str], str, Any], ...] = (
    (re.compile(r"新生(?:娃娃?|婴儿|宝宝|小孩|孩子|的(?:孩子|小孩|娃娃?|宝宝|婴儿))"), "exempt", "newborn"),
    (re.compile(r"住(?:了|过)[^,，。!?！？\s]{1,8}?(?<![医卫学法养])院|出院"), "service", "inpatient"),
    # 我在赣州一家公司上班 (a place between 在 and 上班), but not 以前在江西上班
    (re.compile(r"(?<!以前)(?<!之前)(?<!原来)(?<!过去)在[^,，。!?！？\s]{1,12}?(?:上班|打工)(?!时|的时候|那会)"),
     "retired", False),
    # 没有 赶上缴费期 (the lexicon misses it across a pause) before 赶上缴费期: the first one set wins
    (re.compile(r"(?:没\s?有|没\s?能|没|未|不能)\s?赶上了?(?:集中)?(?:缴费|参保|征缴)期"),
     "in_period", False),
    (re.compile(r"(?<![没未能])赶上了?(?:集中)?(?:缴费|参保|征缴)期"), "in_period", True),
    # 集中缴费期 补上了 / 集中缴费期内补缴的
    (re.compile(r"集中(?:缴费|参保|征缴)期(?:内|里|期间|的时候)?\s?(?:补上|补缴|补齐|交上|缴上|续上)"),
     "in_period", True),
    (re.compile(r"集中(?:缴费|参保|征缴)期?(?:那段时间|那段|那阵子?|那会儿?|那几个月|期间|的时候)(?:里|内)?"
                r"(?:交|缴|参保|续)"), "in_period", True),
)


@dataclass
class Extraction:
    """What one message states. `slots` uses the codes of CONTRACTS.md."""
    text: str                               # the message, personal data masked
    normalized: str
    slots: dict[str, Any] = field(default_factory=dict)
    region_name: str | None = None          # the place as said (伊宁)
    region_canonical: str | None = None     # its full name (伊宁市)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # slot → span in `normalized`

    def to_json(self) -> dict[str, Any]:
        return {"normalized": self.normalized, "slots": dict(self.slots)}


def to_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


@contextmanager
def _tensorflow_hidden() -> Iterator[None]:
    """Import spaCy without thinc importing TensorFlow (saves ~6 s in the CLI).

    Only when TensorFlow is not loaded yet (inside Rasa it is, and nothing changes).
    """
    if "tensorflow" in sys.modules:
        yield
        return
    sys.modules["tensorflow"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("tensorflow", 0) is None:
            del sys.modules["tensorflow"]


@dataclass(frozen=True)
class _Segmenter:
    """jieba without its HMM guesser: dictionary words only, faster and predictable."""
    tokenizer: Any

    def cut(self, text: str, cut_all: bool = False) -> Iterator[str]:
        for token in self.tokenizer.cut(text, cut_all=cut_all, HMM=False):
            # The dictionary's 的-cues (的大病, 的住院费 …) would hide the word after 的 from the
            # PhraseMatcher: 原来的大病限额 must still show 大病. 的 is a particle: split it off.
            if len(token) > 1 and token[0] == "的" and token not in _DE_WORDS:
                yield "的"
                yield token[1:]
            else:
                yield token


@dataclass(frozen=True)
class _Pipeline:
    nlp: Any              # spaCy Language: blank zh, jieba segmenter with the user dictionary
    matcher: Any          # spaCy PhraseMatcher over LEXICON and HOSPITAL_WORDS
    filter_spans: Any


def _load_segmenter() -> Any:
    # Imported on first use, with the pipeline: jieba's import gives its logger a DEBUG handler
    # on stderr, quieted here before the dictionary loads (no loading chatter in any CLI).
    import jieba

    jieba.setLogLevel(logging.WARNING)
    segmenter = jieba.Tokenizer()
    segmenter.load_userdict(str(USERDICT))
    return segmenter


def _build_pipeline(segmenter: Any) -> _Pipeline:
    # spaCy is imported when the pipeline is first built, not with this module: it costs 3 s and
    # 500 MB (it loads TensorFlow's wrappers), which masking and normalising never need.
    with _tensorflow_hidden():
        import spacy
        from spacy.matcher import PhraseMatcher
        from spacy.util import filter_spans            # (all three: see above)

    # Equivalent to spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}),
    # except that the tokenizer gets a private jieba instance with our user dictionary instead of
    # initialising (and later mutating) the global one: built as "char", then switched.
    from spacy.lang.zh import Segmenter

    nlp = spacy.blank("zh")
    nlp.tokenizer.segmenter = Segmenter.jieba
    nlp.tokenizer.jieba_seg = _Segmenter(segmenter)
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for surface in list(LEXICON) + list(HOSPITAL_WORDS):
        matcher.add(surface, [nlp.make_doc(surface)])
    return _Pipeline(nlp=nlp, matcher=matcher, filter_spans=filter_spans)


class Extractor:
    """Holds the spaCy pipeline and the region gazetteer; build once via get_extractor()."""

    def __init__(self) -> None:
        self._segmenter = _load_segmenter()
        self.pipeline = _build_pipeline(self._segmenter)
        self._forms = frozenset(f for f in region_surface_forms() if f not in REGION_STOPWORDS)
        lengths: dict[str, set[int]] = {}
        for form in self._forms:
            lengths.setdefault(form[0], set()).add(len(form))
        # first character → the lengths of the names starting with it, longest first
        self._lengths = {ch: tuple(sorted(ls, reverse=True)) for ch, ls in lengths.items()}

    # -- public --------------------------------------------------------------------------
    def extract(self, text: str) -> Extraction:
        normalized = normalize(text if isinstance(text, str) else "")
        result = Extraction(text=mask_personal_data(text) if isinstance(text, str) else "",
                            normalized=normalized)
        if not normalized:
            return result
        if len(self.pipeline.nlp.vocab) > MAX_VOCAB:
            # every new token string (each new amount …) stays in spaCy's vocab: start afresh
            self.pipeline = _build_pipeline(self._segmenter)
        doc = self.pipeline.nlp.make_doc(normalized)
        terms = self.pipeline.filter_spans(self.pipeline.matcher(doc, as_spans=True))
        self._regions(doc, result)
        self._lexicon(terms, result)
        self._quantities(normalized, result)
        self._phrases(normalized, result)
        return result

    # -- parts -----------------------------------------------------------------------------
    @staticmethod
    def _set(result: Extraction, slot: str, value: Any, span: tuple[int, int]) -> None:
        if slot not in result.slots:
            result.slots[slot] = value
            result.spans[slot] = span

    def _regions(self, doc: Any, result: Extraction) -> None:
        """Place names starting on a token boundary or right after another place name (山西太原);
        short (2-char) ones must also end on a boundary or run into another place name."""
        text = doc.text
        ends = {t.idx + len(t.text) for t in doc}
        starts = sorted({t.idx for t in doc})
        chosen = None
        covered_until = 0  # tokens inside a name already matched are not searched again
        while starts:
            start = starts.pop(0)
            if start < covered_until or start >= len(text):
                continue
            for length in self._lengths.get(text[start], ()):
                said = text[start:start + length]
                if said not in self._forms:
                    continue
                if length <= 2 and not (start + length in ends or _suffix_ok(text, start + length)
                                        or self._name_at(text, start + length)):
                    continue
                covered_until = start + length
                if negated(text, start):
                    covered_until = self._glued_end(text, covered_until)   # 不是山西太原的
                    break
                if covered_until not in starts:
                    starts.insert(0, covered_until)     # 山西|太原: the next name may start here
                match = resolve_region(said)
                if chosen is None or _more_specific(match, chosen[0]):
                    chosen = (match, said, start)
                break
        if chosen:
            match, said, start = chosen
            self._set(result, "region", match.rule_set, (start, start + len(said)))
            result.region_name = said
            result.region_canonical = match.name

    def _glued_end(self, text: str, end: int) -> int:
        """The end of the place names written right after one ending at `end` (山西|太原|小店区)."""
        while end < len(text):
            n = next((n for n in self._lengths.get(text[end], ()) if text[end:end + n] in self._forms), 0)
            if not n:
                break
            end += n
        return end

    def _name_at(self, text: str, start: int) -> bool:
        """A known place name starts at `start` (山西|晋中)."""
        if start >= len(text):
            return False
        return any(text[start:start + n] in self._forms for n in self._lengths.get(text[start], ()))

    def _lexicon(self, terms: list[Any], result: Extraction) -> None:
        text = result.normalized
        shanxi = result.slots.get("region") == "shanxi"
        for term in sorted(terms, key=lambda t: t.start):
            surface, span = term.label_, (term.start_char, term.end_char)
            if negated(text, span[0]):
                continue
            if surface in HOSPITAL_WORDS:
                level, price_class = HOSPITAL_WORDS[surface]
                if shanxi:
                    self._set(result, "price_class", price_class, span)
                else:
                    self._set(result, "hospital_level", level, span)
                continue
            for slot, value in LEXICON.get(surface, ()):
                self._set(result, slot, value, span)
            if shanxi and surface in SHANXI_LEVEL_AS_CLASS:
                self._set(result, "price_class", SHANXI_LEVEL_AS_CLASS[surface], span)

    def _quantities(self, text: str, result: Extraction) -> None:
        for f in fill_quantities(text):
            if negated(text, f.start):
                continue
            if f.corrects:
                result.slots.pop(f.slot, None)  # 花了13000多 不对 是13200
            self._set(result, f.slot, to_number(f.value), (f.start, f.end))

    def _phrases(self, text: str, result: Extraction) -> None:
        for pattern, slot, value in _CATEGORY_PHRASES:
            m = pattern.search(text)
            if m and not negated(text, m.start()):
                self._set(result, slot, value, (m.start(), m.end()))
        for table, slot in ((_ZERO_CLAIM_PHRASES, "zero_claim_years"), (_GAP_PHRASES, "gap_years")):
            for pattern, value in table:
                m = pattern.search(text)
                if m:
                    self._set(result, slot, value, (m.start(), m.end()))
                    break


def _more_specific(new: Any, old: Any) -> bool:
    """Prefer a covered place to an uncovered one, and 烟台 (inside 山东) to 山东."""
    if old.rule_set == NOT_COVERED and new.rule_set != NOT_COVERED:
        return True
    if new.adcode and old.adcode and new.adcode != old.adcode:
        prefix = old.adcode.rstrip("0")
        return len(prefix) < len(new.adcode.rstrip("0")) and new.adcode.startswith(prefix)
    return False


def _suffix_ok(text: str, end: int) -> bool:
    """A short place name may run into 市/县/区/人/的 … (伊宁市里, 太原人)."""
    return end < len(text) and text[end] in "市县区省州旗人的那这里这边那边"


@lru_cache(maxsize=1)
def get_extractor() -> Extractor:
    return Extractor()


def extract(text: str) -> Extraction:
    """Normalise `text` and extract every slot it states."""
    return get_extractor().extract(text)
