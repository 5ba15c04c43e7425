"""The index of rule sets (rules/index.yml): which rule sets exist, in which order they are
listed, which places each governs and which one a city rule set adds to. The one place the
list of rule sets is declared; the engine, the region resolver and the FAQ read it from here."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Mapping

import yaml

from .errors import RuleFileError

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
INDEX_FILE = "index.yml"
ENTRY_KEYS = {"division", "place", "inherits", "covers"}
_DIVISION = re.compile(r"^\d{2}(\d{2})?$")


@dataclass(frozen=True)
class RuleSetEntry:
    id: str
    division: str               # "37" a province, "3706" a city
    place: str                  # 山东省, 烟台市
    inherits: str | None = None
    covers: str | None = None   # what a city rule set adds («大病保险和医疗救助»)


@dataclass(frozen=True)
class RuleSetIndex:
    entries: tuple[RuleSetEntry, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.entries)

    def get(self, rule_set: str) -> RuleSetEntry | None:
        return next((e for e in self.entries if e.id == rule_set), None)

    @cached_property
    def parents(self) -> Mapping[str, tuple[str, ...]]:
        """Rule set → the rule sets it inherits from, nearest first (烟台 → 山东); worked out once
        (applicable_rule_sets reads it for every clause checked)."""
        out: dict[str, tuple[str, ...]] = {}
        for entry in self.entries:
            chain: list[str] = []
            parent = entry.inherits
            while parent is not None:
                chain.append(parent)
                parent = self.get(parent).inherits  # type: ignore[union-attr]  (checked at load)
            if chain:
                out[entry.id] = tuple(chain)
        return out

    def rule_set_of(self, adcode: str) -> str | None:
        """The rule set governing a division code (the longest matching prefix), or None."""
        best = max((e for e in self.entries if adcode.startswith(e.division)),
                   key=lambda e: len(e.division), default=None)
        return best.id if best else None

    def covered_text(self) -> str:
        """«山东省(含烟台市的大病保险和医疗救助规定)、山西省、…»: what the assistant can answer for."""
        parts = []
        for entry in self.entries:
            if entry.inherits is not None:
                continue
            children = [e for e in self.entries if e.inherits == entry.id]
            extra = "".join(f"(含{c.place}的{c.covers}规定)" if c.covers else f"(含{c.place})"
                            for c in children)
            parts.append(entry.place + extra)
        return "、".join(parts)


def parse_index(raw: object, path: str) -> RuleSetIndex:
    if not isinstance(raw, dict) or not isinstance(raw.get("rule_sets"), dict) or not raw["rule_sets"]:
        raise RuleFileError(path, "rule_sets", "应为非空映射")
    entries = []
    for rs_id, value in raw["rule_sets"].items():
        key = f"rule_sets.{rs_id}"
        if not isinstance(value, dict):
            raise RuleFileError(path, key, "应为映射")
        unknown = set(value) - ENTRY_KEYS
        if unknown:
            raise RuleFileError(path, key, f"未知的键 {sorted(unknown)}")
        division = str(value.get("division") or "")
        if not _DIVISION.match(division):
            raise RuleFileError(path, f"{key}.division", "应为 2 位(省)或 4 位(市)的行政区划代码")
        if not value.get("place"):
            raise RuleFileError(path, f"{key}.place", "缺少地名")
        entries.append(RuleSetEntry(id=str(rs_id), division=division, place=str(value["place"]),
                                    inherits=value.get("inherits"), covers=value.get("covers")))
    ids = {e.id for e in entries}
    for entry in entries:
        if entry.inherits is not None and entry.inherits not in ids:
            raise RuleFileError(path, f"rule_sets.{entry.id}.inherits", f"没有名为 {entry.inherits} 的规则集")
    index = RuleSetIndex(tuple(entries))
    for entry in entries:                      # a cycle would never end: walk each chain once
        seen = {entry.id}
        parent = entry.inherits
        while parent is not None:
            if parent in seen:
                raise RuleFileError(path, f"rule_sets.{entry.id}.inherits", "继承关系出现循环")
            seen.add(parent)
            parent = index.get(parent).inherits  # type: ignore[union-attr]
    return index


@lru_cache(maxsize=8)
def load_index(directory: Path = RULES_DIR) -> RuleSetIndex:
    """The index of `directory` (rules/ by default)."""
    path = Path(directory) / INDEX_FILE
    if not path.is_file():
        raise RuleFileError(str(path), "(文件)", "规则集索引不存在")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleFileError(str(path), "(YAML)", f"格式错误:{exc}") from None
    return parse_index(raw, str(path))


RULE_SETS: tuple[str, ...] = load_index().ids
