"""The loader refuses broken rules files at load time, naming the file and the key."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.policy.errors import RuleFileError
from bot.policy.rules import RULES_DIR, load_rulebook, load_rules_dir, tree_hash


@pytest.fixture()
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(RULES_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _error(directory: Path) -> RuleFileError:
    with pytest.raises(RuleFileError) as info:
        load_rules_dir(directory)
    return info.value


def test_real_rules_load() -> None:
    book = load_rulebook()
    assert set(book.rule_sets) == {"shandong", "yantai", "shanxi", "jiangxi", "xinjiang"}
    assert book.rule_sets["yantai"].inherits == "shandong"
    assert book.find("yantai", "cap.step") is book.rule_sets["shandong"].parameters["cap.step"]
    assert all(p.citation.clause for rs in book.rule_sets.values() for p in rs.parameters.values())
    assert book.rule_sets["xinjiang"].documents["ltm2024draft"].draft


def test_unknown_key(rules_copy: Path) -> None:
    _edit(rules_copy / "jiangxi.yml", "    unit: 元\n    values: {2023-01-01: 600}",
          "    unit: 元\n    valeus: {2023-01-01: 600}")
    err = _error(rules_copy)
    assert "jiangxi.yml" in err.path and "employee_outpatient.deductible" in err.key


def test_unknown_parameter_name(rules_copy: Path) -> None:
    _edit(rules_copy / "jiangxi.yml", "employee_outpatient.deductible:", "employee_outpatient.deductable:")
    err = _error(rules_copy)
    assert err.key == "parameters.employee_outpatient.deductable"


def test_value_without_citation(rules_copy: Path) -> None:
    _edit(rules_copy / "shanxi.yml", "    values: {2025-01-01: 70000}\n    cite: {doc: pooling2025, clause: 「六统一」之二(统一待遇标准)}\n",
          "    values: {2025-01-01: 70000}\n")
    err = _error(rules_copy)
    assert "shanxi.yml" in err.path and "inpatient.annual_limit" in err.key and "出处" in str(err)


def test_overlapping_tiers(rules_copy: Path) -> None:
    _edit(rules_copy / "yantai.yml", "- {from: 100000, to: 200000, ratio: 0.70}",
          "- {from: 90000, to: 200000, ratio: 0.70}")
    err = _error(rules_copy)
    assert "yantai.yml" in err.path and "critical.special.resident" in err.key and "重叠" in str(err)


def test_unsorted_tiers(rules_copy: Path) -> None:
    text = (rules_copy / "yantai.yml").read_text(encoding="utf-8")
    a = "        - {from: 7000, to: 100000, ratio: 0.65}\n"
    b = "        - {from: 100000, to: 200000, ratio: 0.70}\n"
    (rules_copy / "yantai.yml").write_text(text.replace(a + b, b + a), encoding="utf-8")
    err = _error(rules_copy)
    assert "critical.special.resident" in err.key


def test_date_with_no_value(rules_copy: Path) -> None:
    _edit(rules_copy / "xinjiang.yml", "values: {2025-01-01: 5000}", "values: {2025-01-01: null}")
    err = _error(rules_copy)
    assert "xinjiang.yml" in err.path and "cap.step" in err.key and "没有取值" in str(err)


def test_unknown_document(rules_copy: Path) -> None:
    _edit(rules_copy / "xinjiang.yml", "cite: {doc: ltm2024draft, clause: 二、(三)}", "cite: {doc: nosuch, clause: 二、(三)}")
    err = _error(rules_copy)
    assert "cite.doc" in err.key


def test_missing_file(rules_copy: Path) -> None:
    (rules_copy / "shanxi.yml").unlink()
    assert "shanxi.yml" in _error(rules_copy).path


def test_broken_yaml(rules_copy: Path) -> None:
    (rules_copy / "jiangxi.yml").write_text("region: [unclosed", encoding="utf-8")
    assert "jiangxi.yml" in _error(rules_copy).path


def test_rules_version_is_the_git_tree_hash_of_rules(tmp_path):
    """The audit log's rules version is what `git rev-parse <commit>:rules` prints."""
    if shutil.which("git") is None:
        pytest.skip("git 不可用")
    copy = tmp_path / "repo"
    shutil.copytree(RULES_DIR, copy / "rules")
    (copy / "rules" / "sub").mkdir()
    (copy / "rules" / "sub" / "a.txt").write_text("x")
    (copy / "rules" / "z.yml").write_text("y")
    git = ["git", "-C", str(copy), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "rules"], check=True)
    want = subprocess.run(git + ["rev-parse", "HEAD:rules"], check=True, capture_output=True,
                          text=True).stdout.strip()
    assert tree_hash(copy / "rules") == want


def test_a_clause_outside_its_documents_format_is_refused(rules_copy: Path) -> None:
    _edit(rules_copy / "jiangxi.yml", "clause: 二、(一)", "clause: 第二条")
    err = _error(rules_copy)
    assert err.path.endswith("jiangxi.yml") and err.key.endswith(".cite.clause")


def test_the_index_decides_which_rule_sets_load(rules_copy: Path) -> None:
    _edit(rules_copy / "index.yml", "  xinjiang:\n", "  guangdong:\n    division: \"44\"\n    place: 广东省\n  xinjiang:\n")
    err = _error(rules_copy)
    assert err.path.endswith("guangdong.yml")                     # listed, but no rules file


def test_inheritance_is_declared_in_the_index_only(rules_copy: Path) -> None:
    _edit(rules_copy / "yantai.yml", "short_name: 烟台\n", "short_name: 烟台\ninherits: shandong\n")
    assert _error(rules_copy).key == "inherits"


def test_every_document_has_a_short_title_that_citations_carry() -> None:
    book = load_rulebook()
    for rule_set in book.rule_sets.values():
        for doc in rule_set.documents.values():
            assert doc.short_title and len(doc.short_title) < len(doc.title), doc.id
        for parameter in rule_set.parameters.values():
            doc = book.rule_sets[parameter.citation.rule_set].documents[parameter.citation.doc]
            assert parameter.citation.short_title == doc.short_title
    assert book.citation("xinjiang", "ltm2024draft", "二、(五)").short_title == "新疆参保长效机制实施意见"


def test_a_document_without_a_short_title_is_refused(rules_copy: Path) -> None:
    _edit(rules_copy / "jiangxi.yml", "    short_title: 江西职工门诊共济实施意见\n", "")
    err = _error(rules_copy)
    assert err.path.endswith("jiangxi.yml") and err.key == "documents.outpatient2023"
