"""Resolve a place name said by a resident to the rule set that governs it.

The administrative divisions come from the `cpca` package's adcode table (resources/adcodes.csv,
derived from the national statistics bureau's division codes), so no list is typed by hand.
Which division each rule set governs is declared in rules/index.yml.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from opencc import OpenCC

from .index import load_index

NOT_COVERED = "not_covered"

# Suffixes removed to make the short names people say (龙口市 → 龙口, 伊犁哈萨克自治州 → 伊犁).
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县",
             "地区", "林区", "新区", "省", "市", "县", "区", "盟", "旗")
_ETHNIC = ("哈萨克", "蒙古", "柯尔克孜", "回族", "塔吉克", "锡伯", "土家族", "苗族", "藏族", "彝族",
           "壮族", "满族", "朝鲜族", "布依族", "侗族", "瑶族", "白族", "哈尼族", "傣族", "黎族",
           "傈僳族", "佤族", "畲族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "土族",
           "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "普米族",
           "怒族", "鄂温克族", "裕固族", "保安族", "独龙族", "鄂伦春族", "各族", "蒙古族")
# Names too generic to mean a place on their own inside a sentence.
_TOO_SHORT = 2


@dataclass(frozen=True)
class Division:
    adcode: str
    name: str

    @property
    def province_code(self) -> str:
        return self.adcode[:2]

    @property
    def rule_set(self) -> str:
        return load_index().rule_set_of(self.adcode) or NOT_COVERED

    @property
    def level(self) -> int:
        """1 province, 2 prefecture, 3 county."""
        if self.adcode[2:] == "0000000000":
            return 1
        if self.adcode[4:] == "00000000":
            return 2
        return 3


@dataclass(frozen=True)
class RegionMatch:
    said: str
    rule_set: str                      # rule-set id or "not_covered"
    name: str | None = None            # canonical full name: 龙口市
    province: str | None = None        # 山东省
    adcode: str | None = None
    ambiguous: bool = False            # a short name shared by places under different rule sets

    @property
    def covered(self) -> bool:
        return self.rule_set != NOT_COVERED


def short_name(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            base = name[: -len(suffix)]
            for ethnic in _ETHNIC:
                if base.endswith(ethnic) and len(base) - len(ethnic) >= 2:
                    base = base[: -len(ethnic)]
                    break
            return base
    return name


@dataclass(frozen=True)
class Gazetteer:
    divisions: dict[str, Division]                 # adcode → division
    by_name: dict[str, tuple[Division, ...]]       # surface form → divisions

    def province_name(self, division: Division) -> str | None:
        province = self.divisions.get(division.province_code + "0" * 10)
        return province.name if province else None


def _read_adcodes() -> list[Division]:
    text = resources.files("cpca").joinpath("resources/adcodes.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return [Division(adcode=r["adcode"], name=r["name"]) for r in rows if r.get("name")]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    divisions = {d.adcode: d for d in _read_adcodes()}
    by_name: dict[str, list[Division]] = {}
    for d in divisions.values():
        for form in {d.name, short_name(d.name)}:
            if len(form) >= _TOO_SHORT:
                by_name.setdefault(form, []).append(d)
    # 兵团 cities and the common abbreviation of 新疆 are in the table under their full names;
    # the short forms above cover 石河子, 乌鲁木齐, 伊犁 …
    return Gazetteer(divisions=divisions,
                     by_name={k: tuple(sorted(v, key=lambda d: (d.level, d.adcode)))
                              for k, v in by_name.items()})


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def _clean(name: str) -> str:
    text = _t2s().convert(name.strip())
    return "".join(ch for ch in text if not ch.isspace() and ch not in ",。,.、!?!?")


@lru_cache(maxsize=4096)
def resolve_region(name: str) -> RegionMatch:
    """Resolve a province, prefecture or county name (simplified or Traditional)."""
    said = name
    cleaned = _clean(name or "")
    g = gazetteer()
    candidates = g.by_name.get(cleaned) or g.by_name.get(short_name(cleaned)) or ()
    if not candidates:
        return RegionMatch(said=said, rule_set=NOT_COVERED)
    # Prefer the highest level (a province over a county of the same short name).
    top_level = min(d.level for d in candidates)
    best = [d for d in candidates if d.level == top_level]
    rule_sets = {d.rule_set for d in best}
    covered = [d for d in best if d.rule_set != NOT_COVERED]
    chosen = covered[0] if covered else best[0]
    return RegionMatch(said=said, rule_set=chosen.rule_set, name=chosen.name,
                       province=g.province_name(chosen), adcode=chosen.adcode,
                       ambiguous=len(rule_sets) > 1)


def region_surface_forms() -> Iterable[str]:
    """Every place name resolve_region knows (full and short), for gazetteer matching."""
    return tuple(gazetteer().by_name)


def covered_regions_text() -> str:
    """«山东省(含烟台市的大病保险和医疗救助规定)、山西省、江西省、新疆维吾尔自治区», from rules/index.yml."""
    return load_index().covered_text()
