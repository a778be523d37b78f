"""The package's imports form no circle (issue 22, point 1: one-way dependencies): every
``import`` of a planner module, read with :mod:`ast` wherever it stands — at the top of a file,
inside a function, under ``if TYPE_CHECKING`` — counts, so a circle cannot hide in a function
body."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from .conftest import REPO

PACKAGE = REPO / "planner"

# circles still to break, each named once (none left)
KNOWN: set[frozenset[str]] = set()


def _module(path: Path, root: Path) -> str:
    """``planner/solver/solve.py`` → ``planner.solver.solve``; a package's front is its name."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(path: Path, name: str, modules: set[str]) -> Iterator[str]:
    """The modules a file imports, anywhere in it (``from x import y`` counts ``x.y`` when
    ``y`` is a module, else ``x``)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in modules else base


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module of a package → the package's modules it imports (itself and its own
    packages' fronts left out: importing ``planner.solver.x`` runs ``planner.solver`` first,
    which is no edge of the code's design)."""
    files = {_module(p, package.parent): p for p in sorted(package.rglob("*.py"))}
    modules = set(files)
    edges: dict[str, set[str]] = {}
    for name, path in files.items():
        found = {t for t in _targets(path, name, modules) if t in modules and t != name}
        edges[name] = {t for t in found if not name.startswith(t + ".")}
    return edges


def circles(edges: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                top = stack.pop()
                component.add(top)
                if top == node:
                    break
            if len(component) > 1:
                out.append(component)

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return out


def test_the_reader_finds_circles_hidden_in_functions(tmp_path: Path) -> None:
    """A circle through an import inside a function, a relative import, a ``from package
    import module`` and a ``TYPE_CHECKING`` import is found; one-way imports are none."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    files = {
        "__init__.py": "",
        "a.py": "from pkg.b import thing\n",
        "b.py": "def f():\n    from .sub import c\n    return c\nthing = 1\n",
        "sub/__init__.py": "",
        "sub/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n",
        "d.py": "import pkg.a\nfrom pkg import b\n",
    }
    for name, text in files.items():
        (pkg / name).write_text(text, encoding="utf-8")
    edges = graph(pkg)
    assert edges["pkg.b"] == {"pkg.sub.c"} and edges["pkg.d"] == {"pkg.a", "pkg.b"}
    assert circles(edges) == [{"pkg.a", "pkg.b", "pkg.sub.c"}]
    assert circles({"x": {"y"}, "y": set()}) == []


def test_no_import_circle_among_planner_modules() -> None:
    """No planner module imports, directly or through others, a module that imports it back."""
    found = [sorted(c) for c in circles(graph()) if frozenset(c) not in KNOWN]
    assert not found, found
