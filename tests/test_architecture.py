"""The package layout of issue 22: one-way dependencies between layers, tests that mirror the
packages, no function over 100 lines and no class over 250 (docs/architecture.md explains the
layers; tests/test_imports.py checks that no module imports itself back)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from planner.cli.docs import LAYERS
from tests.conftest import REPO

PACKAGE = REPO / "planner"
ENTRY = {"planner.__main__"}  # the entry point starts the CLI: the one import from the top


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every planner module ``name`` imports, top-level or inside a function, with its line."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        for target in targets:
            found = _resolve(target) if target.startswith("planner") else None
            if found and found != name:
                yield found, node.lineno


def _layer(name: str) -> int:
    best, depth = -1, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = i, len(prefix)
    return best


GRAPH = {name: sorted(set(_imports(name, path))) for name, path in MODULES.items()}


def test_every_module_has_a_layer() -> None:
    """A new package must be placed in a layer (and in docs/architecture.md)."""
    assert [m for m in MODULES if _layer(m) < 0] == []


def test_no_upward_import() -> None:
    """Lower layers never import higher ones, not even inside a function."""
    upward = [
        f"{name}:{line} imports {target}"
        for name, targets in GRAPH.items()
        if name not in ENTRY
        for target, line in targets
        if _layer(target) > _layer(name)
    ]
    assert upward == []


def test_tests_mirror_the_packages() -> None:
    """Each test folder is named after a package of planner (or is a helper folder)."""
    helpers = {"fixtures", "node", "artifacts", "__pycache__"}
    folders = {p.name for p in (REPO / "tests").iterdir() if p.is_dir()} - helpers
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert folders <= packages


def test_no_long_function_or_class() -> None:
    """No function over 100 lines, no class over 250 (issue 22, point 4)."""
    long = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                continue
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            limit = 250 if isinstance(node, ast.ClassDef) else 100
            if size > limit:
                long.append(f"{name}.{node.name}: {size} lines")
    assert long == []
