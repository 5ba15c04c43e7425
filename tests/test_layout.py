"""The layout README describes: no import cycles among our modules, nothing under bot/ importing
actions/, and an import written inside a function only with its reason in a comment beside it."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "actions")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in MODULES}
    base = node.module or ""
    if node.level:
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    submodules = {f"{base}.{a.name}" for a in node.names} & set(MODULES)
    return submodules if len(submodules) == len(node.names) else ({base} & set(MODULES)) | submodules


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    inside = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside |= {id(n) for child in node.body for n in ast.walk(child)}
    return inside


def _graph() -> tuple[dict[str, set[str]], list[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    uncommented = []
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source)
        top = {id(n) for n in tree.body}
        typing_only = _type_checking_nodes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if id(node) not in typing_only:
                edges[name] |= _targets(name, path, node) - {name}
            if id(node) in top or id(node) in typing_only:
                continue
            nearby = lines[max(0, node.lineno - 4):node.end_lineno]
            if not any("#" in line for line in nearby):
                uncommented.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    return edges, uncommented


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(set(edges) | {w for targets in list(edges.values()) for w in targets}):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles():
    edges, _ = _graph()
    assert _cycles(edges) == []


def test_nothing_under_bot_imports_the_actions():
    edges, _ = _graph()
    assert [(a, b) for a, targets in edges.items() for b in targets
            if a.startswith("bot") and b.startswith("actions")] == []


def test_an_import_inside_a_function_says_why():
    _, uncommented = _graph()
    assert uncommented == []


def test_a_cycle_is_found():
    assert _cycles(defaultdict(set, {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})) == [["a", "b", "c"]]
