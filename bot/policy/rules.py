"""Load and validate rules/<region>.yml into an immutable RuleBook.

Every problem is reported at load time as a RuleFileError naming the file and the key, so the
assistant never runs with half the rules.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from decimal import Decimal
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Mapping

import yaml

from .errors import NotInForceError, RuleFileError
from .index import RULES_DIR, load_index
from .model import DRAFT_WARNING, Citation, Notes, fmt_money, fmt_ratio, fmt_tiers

TOP_KEYS = {"region", "name", "short_name", "documents", "interpretations", "parameters"}
REQUIRED_TOP_KEYS = {"region", "name", "short_name", "documents", "parameters"}
DOC_KEYS = {"title", "short_title", "issuer", "status", "clause_format"}
DOC_STATUSES = {"in_force", "draft"}
PARAM_KEYS = {"label", "unit", "values", "cite", "derived", "unknown", "readings", "note"}
CITE_KEYS = {"doc", "clause"}
NO_LIMIT = "none"

# Every parameter name the calculators read. A name outside this list is a typo in a rules file.
KNOWN_PARAMETERS = frozenset({
    "waiting.fixed_months", "waiting.months_per_extra_gap_year", "waiting.repair_months_per_year",
    "waiting.repair_floor_months", "waiting.repair_floor_min_gap_years", "waiting.exempt_groups",
    "waiting.newborn_in_period_covered_from_payment", "waiting.flexible_employee_months",
    "cap.step", "cap.continuity_min_years", "cap.continuity_counted_from",
    "cap.incentive_limit_ratio", "cap.zero_claim_requires_next_year_enrolment",
    "cap.original.resident", "cap.original.employee",
    "inpatient.price_classes", "inpatient.annual_limit",
    "employee_outpatient.deductible", "employee_outpatient.ratio",
    "employee_outpatient.retiree_ratio_bonus", "employee_outpatient.annual_max",
    "employee_outpatient.retiree_annual_max",
    "personal_account.employee_rate", "personal_account.flexible_rate",
    "personal_account.retiree_rate", "personal_account.retiree_pension_base",
    "critical.special_groups", "critical.special.employee", "critical.special.resident",
    "critical.special.annual_cap", "critical.ordinary.employee", "critical.ordinary.resident",
    "critical.ordinary.annual_cap",
    "drug.special", "drug.special.annual_cap", "drug.ordinary.deductible", "drug.ordinary.ratio",
    "drug.ordinary.annual_cap",
    "assistance.primary", "assistance.edge", "assistance.illness_poverty",
    "reassistance.primary", "reassistance.edge", "assistance.highest_identity_only",
    "two_diseases.ratio", "enrolment.concentrated_period",
})


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    issuer: str
    status: str
    clause_format: str = ".+"       # regular expression every clause label of the document matches
    short_title: str = ""           # what an answer card shows ("新疆参保长效机制实施意见")

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    def clause_ok(self, clause: str) -> bool:
        return re.match(self.clause_format, clause) is not None


@dataclass(frozen=True)
class Parameter:
    name: str
    label: str
    unit: str
    values: tuple[tuple[dt.date, Any], ...]     # sorted by date
    citation: Citation
    derived: str | None = None
    unknown: str | None = None
    readings: tuple[str, ...] = ()              # interpretation texts
    note: str | None = None
    # Worked out once at load time from the fields above: the warnings using this parameter adds
    # to an answer (derived figure, draft document), whether it adds readings or warnings at all,
    # both together as `notes` (None when there are none), and each dated value as answers show
    # it (Parameter.shown).
    warnings: tuple[str, ...] = field(init=False, repr=False, compare=False)
    has_notes: bool = field(init=False, repr=False, compare=False)
    notes: Notes | None = field(init=False, repr=False, compare=False)
    shown: tuple[str | None, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        warnings = []
        if self.derived:
            warnings.append(f"「{self.label}」是根据文件推算的:{self.derived}")
        if self.citation.draft:
            warnings.append(DRAFT_WARNING)
        has_notes = bool(self.readings or warnings)
        object.__setattr__(self, "warnings", tuple(warnings))
        object.__setattr__(self, "has_notes", has_notes)
        object.__setattr__(self, "notes", Notes(tuple(dict.fromkeys(self.readings)), tuple(warnings))
                           if has_notes else None)
        object.__setattr__(self, "shown", tuple(_shown(value, self.unit) for _, value in self.values))

    def index_on(self, on: dt.date) -> int:
        """Index in `values` of the value in force on `on`; NotInForceError before the first."""
        values = self.values
        for i in range(len(values) - 1, -1, -1):
            if values[i][0] <= on:
                return i
        first = values[0][0]
        raise NotInForceError(
            f"「{self.label}」自{first.year}年{first.month}月{first.day}日起执行,"
            f"{on.year}年还没有这项规定。")

    def value_on(self, on: dt.date) -> Any:
        return self.values[self.index_on(on)][1]


def _shown(value: Any, unit: str) -> str | None:
    """A value as answers show it, where it has one fixed text: an amount in yuan ('70,000'),
    a ratio ('85%') or a tier table ('7,000–100,000 元 65%;…'); None otherwise."""
    if isinstance(value, Decimal):
        if unit == "元":
            return fmt_money(value)
        if unit == "ratio":
            return fmt_ratio(value)
    elif isinstance(value, list) and value and isinstance(value[0], dict) and "from" in value[0]:
        return fmt_tiers(value)
    return None


@dataclass(frozen=True)
class InForce:
    """One rule set's parameters as they stand on one date: what a calculation looks up, resolved
    once per rule book and benefit year (RuleBook.in_force) instead of on every lookup."""

    rule_set: str
    on: dt.date
    params: Mapping[str, Parameter]                   # every parameter, in force or not
    # Parameters in force on `on`, and those our documents do not give (value None):
    # name → (value, its Parameter.notes).
    current: Mapping[str, tuple[Any, Notes | None]]
    shown: Mapping[str, str | None]                   # in force: Parameter.shown of that value

    @classmethod
    def resolve(cls, rule_set: str, on: dt.date, params: Mapping[str, Parameter]) -> "InForce":
        current: dict[str, tuple[Any, Notes | None]] = {}
        shown: dict[str, str | None] = {}
        for name, p in params.items():
            if p.unknown:
                current[name] = (None, p.notes)
                continue
            try:
                i = p.index_on(on)
            except NotInForceError:           # raised again when a calculation asks for it
                continue
            current[name] = (p.values[i][1], p.notes)
            shown[name] = p.shown[i]
        return cls(rule_set=rule_set, on=on, params=params, current=current, shown=shown)


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    short_name: str
    inherits: str | None
    documents: Mapping[str, Document]
    interpretations: Mapping[str, str]
    parameters: Mapping[str, Parameter]
    path: str


@dataclass(frozen=True)
class RuleBook:
    rule_sets: Mapping[str, RuleSet]
    version: str                                 # git tree hash of rules/ (tree_hash)
    merged: Mapping[str, Mapping[str, Parameter]] = field(default_factory=dict)
    # Every figure in the rules as the answers show it, formatted once at load time:
    # money_texts[Decimal("70000")] == "70,000", ratio_texts[Decimal("0.85")] == "85%"
    # (a figure computed from them is formatted with fmt_money / fmt_ratio when shown).
    money_texts: Mapping[Decimal, str] = field(default_factory=dict, repr=False, compare=False)
    ratio_texts: Mapping[Decimal, str] = field(default_factory=dict, repr=False, compare=False)
    # Memos owned by this rule book, which never changes, so an entry never goes stale:
    # in_force(): (rule set, benefit year) → InForce, at most len(rule_sets) × the years asked
    # about; places: (place name as said, benefit year) → the same InForce, filled and bounded
    # by Context.for_region.
    _in_force: dict[tuple[str, int], InForce] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    places: dict[tuple[str, int], InForce] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Each rule set's parameters with inherited ones filled in (烟台 over 山东), looked up once.
        merged: dict[str, dict[str, Parameter]] = {}
        for rs_id in self.rule_sets:
            table: dict[str, Parameter] = {}
            for rs in reversed(self.chain(rs_id)):
                table.update(rs.parameters)
            merged[rs_id] = table
        object.__setattr__(self, "merged", merged)
        # Parameters whose readings and warnings are the same texts (one interpretation, one
        # draft document) share one Notes, which a trace then records once (Trace.noted).
        shared: dict[tuple[tuple[str, ...], tuple[str, ...]], Notes] = {}
        for rs in self.rule_sets.values():
            for p in rs.parameters.values():
                if p.notes is not None:
                    key = (p.notes.readings, p.notes.warnings)
                    object.__setattr__(p, "notes", shared.setdefault(key, p.notes))
        figures = {d for rs in self.rule_sets.values() for p in rs.parameters.values()
                   for _, value in p.values for d in _figures(value)}
        # Plain dicts like `merged`: a MappingProxyType's lookup costs a method call, and so does
        # a dict subclass's (CPython looks up and calls its __getitem__ on every [ ], rather than
        # the dict's own lookup; the texts used to be a dict subclass formatting misses).
        object.__setattr__(self, "money_texts", {figure: fmt_money(figure) for figure in figures})
        object.__setattr__(self, "ratio_texts", {figure: fmt_ratio(figure) for figure in figures})

    def chain(self, rule_set: str) -> list[RuleSet]:
        """The rule set, then the ones it inherits from (烟台 → 山东)."""
        out: list[RuleSet] = []
        current: str | None = rule_set
        while current is not None:
            rs = self.rule_sets[current]
            out.append(rs)
            current = rs.inherits
        return out

    def in_force(self, rule_set: str, year: int) -> InForce:
        """`rule_set` as it stands on 1 January of `year` (the start of a benefit year)."""
        key = (rule_set, year)
        try:
            return self._in_force[key]
        except KeyError:
            view = InForce.resolve(rule_set, dt.date(year, 1, 1), self.merged[rule_set])
            self._in_force[key] = view
            return view

    def find(self, rule_set: str, name: str) -> Parameter | None:
        return self.merged[rule_set].get(name)

    def param(self, rule_set: str, name: str) -> Parameter:
        return self.merged[rule_set][name]

    def has(self, rule_set: str, name: str) -> bool:
        return name in self.merged[rule_set]

    def citation(self, rule_set: str, doc: str, clause: str) -> Citation:
        for rs in self.chain(rule_set):
            if doc in rs.documents:
                d = rs.documents[doc]
                return Citation(rule_set=rs.id, doc=doc, title=d.title,
                                clause=clause, region_name=rs.short_name, draft=d.draft,
                                short_title=d.short_title)
        raise KeyError(f"{rule_set}: document {doc}")


def _figures(value: Any) -> Iterator[Decimal]:
    """Every number inside a parameter value (tiers, tables, lists)."""
    if isinstance(value, Decimal):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _figures(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _figures(v)


def _decimals(value: Any) -> Any:
    """Numbers in rules become Decimal (money must never be float)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, list):
        return [_decimals(v) for v in value]
    if isinstance(value, dict):
        return {k: _decimals(v) for k, v in value.items()}
    return value


def _date(path: str, key: str, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise RuleFileError(path, key, f"“{raw}”不是日期(应为 YYYY-MM-DD)") from None


def _check_tiers(path: str, key: str, tiers: list[Any]) -> None:
    previous_to: float | None = None
    for i, tier in enumerate(tiers):
        where = f"{key}[{i}]"
        if not isinstance(tier, dict) or set(tier) != {"from", "to", "ratio"}:
            raise RuleFileError(path, where, "分段应恰好包含 from、to、ratio")
        lower, upper, ratio = tier["from"], tier["to"], tier["ratio"]
        if not isinstance(lower, (int, float)) or lower < 0:
            raise RuleFileError(path, where, "分段下限应为非负数")
        if upper is not None and (not isinstance(upper, (int, float)) or upper <= lower):
            raise RuleFileError(path, where, "分段上限应大于下限")
        if not isinstance(ratio, (int, float)) or not 0 <= ratio <= 1:
            raise RuleFileError(path, where, "比例应在 0 到 1 之间")
        if previous_to is None and i > 0:
            raise RuleFileError(path, where, "前一段没有上限,后面不能再有分段")
        if previous_to is not None and lower < previous_to:
            raise RuleFileError(path, where, "分段重叠或未按从低到高排列")
        previous_to = upper


def _check_value(path: str, key: str, value: Any) -> None:
    if value is None:
        raise RuleFileError(path, key, "该日期没有取值")
    if isinstance(value, list) and value and isinstance(value[0], dict) and "from" in value[0]:
        _check_tiers(path, key, value)
    elif isinstance(value, dict):
        for sub_key, sub in value.items():
            _check_value(path, f"{key}.{sub_key}", sub)
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise RuleFileError(path, key, "取值不能为负数")


def _parse_parameter(path: str, rs_id: str, name: str, raw: Any,
                     documents: Mapping[str, Document], interpretations: Mapping[str, str],
                     short_name: str, inherited_docs: Mapping[str, Document]) -> Parameter:
    key = f"parameters.{name}"
    if name not in KNOWN_PARAMETERS:
        raise RuleFileError(path, key, "未知的参数名(计算程序不使用它,可能是拼写错误)")
    if not isinstance(raw, dict):
        raise RuleFileError(path, key, "参数应为映射")
    extra = set(raw) - PARAM_KEYS
    if extra:
        raise RuleFileError(path, key, f"未知的键 {sorted(extra)}")
    for required in ("label", "unit"):
        if not raw.get(required):
            raise RuleFileError(path, key, f"缺少 {required}")
    cite = raw.get("cite")
    if not isinstance(cite, dict) or set(cite) != CITE_KEYS or not all(cite.values()):
        raise RuleFileError(path, key, "缺少出处 cite(需要 doc 和 clause)")
    all_docs = {**inherited_docs, **documents}
    if cite["doc"] not in all_docs:
        raise RuleFileError(path, f"{key}.cite.doc", f"文件中没有定义文档 {cite['doc']}")
    doc = all_docs[cite["doc"]]
    if not doc.clause_ok(str(cite["clause"])):
        raise RuleFileError(path, f"{key}.cite.clause", f"不符合文档 {doc.id} 的条款格式 clause_format")
    citation = Citation(rule_set=rs_id, doc=doc.id, title=doc.title,
                        clause=str(cite["clause"]), region_name=short_name, draft=doc.draft,
                        short_title=doc.short_title)
    unknown = raw.get("unknown")
    values_raw = raw.get("values")
    if unknown and values_raw is not None:
        raise RuleFileError(path, key, "标为 unknown 的参数不能同时给出取值")
    if not unknown:
        if not isinstance(values_raw, dict) or not values_raw:
            raise RuleFileError(path, key, "缺少按日期给出的取值 values")
        dated: list[tuple[dt.date, Any]] = []
        for raw_date, value in values_raw.items():
            when = _date(path, f"{key}.values", raw_date)
            _check_value(path, f"{key}.values.{when.isoformat()}", value)
            dated.append((when, _decimals(value)))
        if [d for d, _ in dated] != sorted(d for d, _ in dated):
            raise RuleFileError(path, f"{key}.values", "日期未按先后排列")
        values = tuple(dated)
    else:
        values = ()
    reading_ids = raw.get("readings") or []
    readings = []
    for rid in reading_ids:
        if rid not in interpretations:
            raise RuleFileError(path, f"{key}.readings", f"interpretations 中没有 {rid}")
        readings.append(interpretations[rid])
    derived = raw.get("derived")
    return Parameter(name=name, label=str(raw["label"]), unit=str(raw["unit"]), values=values,
                     citation=citation, derived=str(derived) if derived else None,
                     unknown=str(unknown) if unknown else None, readings=tuple(readings),
                     note=raw.get("note"))


def parse_rule_set(path: Path, raw: Any, inherited_docs: Mapping[str, Document] | None = None,
                   inherited_interpretations: Mapping[str, str] | None = None,
                   inherits: str | None = None) -> RuleSet:
    p = str(path)
    if not isinstance(raw, dict):
        raise RuleFileError(p, "(文件)", "应为 YAML 映射")
    extra = set(raw) - TOP_KEYS
    if extra:
        raise RuleFileError(p, ",".join(sorted(extra)), "未知的键")
    missing = REQUIRED_TOP_KEYS - set(raw)
    if missing:
        raise RuleFileError(p, ",".join(sorted(missing)), "缺少必需的键")
    rs_id = raw["region"]
    if rs_id != path.stem:
        raise RuleFileError(p, "region", f"应与文件名一致({path.stem})")
    documents: dict[str, Document] = {}
    for doc_id, d in (raw["documents"] or {}).items():
        key = f"documents.{doc_id}"
        if not isinstance(d, dict):
            raise RuleFileError(p, key, "应为映射")
        if set(d) - DOC_KEYS:
            raise RuleFileError(p, key, f"未知的键 {sorted(set(d) - DOC_KEYS)}")
        if set(DOC_KEYS) - set(d):
            raise RuleFileError(p, key, f"缺少 {sorted(DOC_KEYS - set(d))}")
        if d["status"] not in DOC_STATUSES:
            raise RuleFileError(p, f"{key}.status", f"应为 {sorted(DOC_STATUSES)} 之一")
        try:
            re.compile(str(d["clause_format"]))
        except re.error as exc:
            raise RuleFileError(p, f"{key}.clause_format", f"不是有效的正则表达式:{exc}") from None
        short_title = str(d["short_title"] or "").strip()
        if not short_title or len(short_title) >= len(str(d["title"])):
            raise RuleFileError(p, f"{key}.short_title", "应为比 title 短的文件简称")
        documents[doc_id] = Document(id=doc_id, title=d["title"], issuer=d["issuer"],
                                     status=d["status"],
                                     clause_format=str(d["clause_format"]),
                                     short_title=short_title)
    interpretations = {**(inherited_interpretations or {}),
                       **{str(k): str(v) for k, v in (raw.get("interpretations") or {}).items()}}
    params_raw = raw["parameters"]
    if not isinstance(params_raw, dict):
        raise RuleFileError(p, "parameters", "应为映射")
    parameters = {
        name: _parse_parameter(p, rs_id, name, value, documents, interpretations,
                               raw["short_name"], inherited_docs or {})
        for name, value in params_raw.items()
    }
    return RuleSet(id=rs_id, name=raw["name"], short_name=raw["short_name"],
                   inherits=inherits, documents=documents,
                   interpretations=interpretations, parameters=parameters, path=p)


def load_rules_dir(directory: Path) -> RuleBook:
    """Read and validate every rule set of the index (`directory`/index.yml) from `directory`."""
    index = load_index(Path(directory))
    raws: dict[str, tuple[Path, Any]] = {}
    for rs_id in index.ids:
        path = directory / f"{rs_id}.yml"
        if not path.is_file():
            raise RuleFileError(str(path), "(文件)", "规则文件不存在")
        text = path.read_bytes()
        try:
            raws[rs_id] = (path, yaml.safe_load(text))
        except yaml.YAMLError as exc:
            raise RuleFileError(str(path), "(YAML)", f"格式错误:{exc}") from None
    rule_sets: dict[str, RuleSet] = {}
    for rs_id in sorted(index.ids, key=lambda i: len(index.parents.get(i, ()))):   # parents first
        path, raw = raws[rs_id]
        parent = index.get(rs_id).inherits  # type: ignore[union-attr]
        base = rule_sets[parent] if parent else None
        rule_sets[rs_id] = parse_rule_set(
            path, raw,
            inherited_docs=dict(base.documents) if base else None,
            inherited_interpretations=dict(base.interpretations) if base else None,
            inherits=parent)
    return RuleBook(rule_sets={i: rule_sets[i] for i in index.ids}, version=tree_hash(directory))


def tree_hash(directory: Path) -> str:
    """Git's object id of `directory` as a tree of regular files (what `git rev-parse HEAD:rules`
    prints when the files are committed unchanged), computed without git: an audited answer
    names the exact rules it was computed from, and the commit holding them can be found."""
    entries = []
    for child in directory.iterdir():
        if child.is_dir():
            mode, oid = b"40000", tree_hash(child)
        elif child.is_file():
            data = child.read_bytes()
            blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
            mode, oid = (b"100755" if os.access(child, os.X_OK) else b"100644"), blob
        else:
            continue
        # git orders entries by name, a directory's name compared as if it ended in "/"
        key = child.name.encode() + (b"/" if child.is_dir() else b"")
        entries.append((key, mode + b" " + child.name.encode() + b"\0" + bytes.fromhex(oid)))
    body = b"".join(e for _, e in sorted(entries))
    return hashlib.sha1(b"tree %d\0" % len(body) + body).hexdigest()


RULES_DIR_ENV = "YIBAO_RULES_DIR"     # another rules directory (tests, staging a rules change)


@lru_cache(maxsize=4)
def load_rulebook(directory: str | None = None) -> RuleBook:
    """The validated rules (cached per directory): `directory`, else $YIBAO_RULES_DIR, else rules/."""
    return load_rules_dir(Path(directory or os.environ.get(RULES_DIR_ENV) or RULES_DIR))
