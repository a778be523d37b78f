"""The generated parts of the documentation site (``docs/``), kept equal to the code and data.

Each generated block sits between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->`` in a page
of ``docs/``: the CLI reference from :func:`planner.cli.main.build_parser`, the scenario keys from
:mod:`planner.scenario.schema`, the constraint families from ``data/constraints.toml`` and the
rule catalogue from ``data/rules/``, the module map of ``docs/architecture.md`` from the
package's docstrings. ``python -m planner.cli.docs`` (or ``make docs-gen``) rewrites them;
``python -m planner.cli.docs --check`` exits 1 when one is out of date (the tests do the same).
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REGENERATE = (
    "python -m planner.cli.docs"  # what the tests tell a developer to run (or make docs-gen)
)
USAGE_WIDTH = 100  # usage lines are wrapped at a fixed width, whatever the terminal


@dataclass(frozen=True)
class Block:
    """One generated block: the page under ``docs/``, its marker name and its generator."""

    page: str
    name: str
    generate: Callable[[], str]


def _cli() -> str:
    from planner.cli.main import build_parser

    return cli_reference(build_parser())


def _scenario_keys() -> str:
    from planner.scenario.schema import markdown_table

    return markdown_table()


def _families() -> str:
    from planner.rules.families import family_catalogue_markdown

    return family_catalogue_markdown()


def _rules() -> str:
    from planner.rules.catalogue import rule_catalogue_markdown

    return rule_catalogue_markdown()


# The packages of ``planner`` by layer, bottom to top: a module imports only its own layer or a
# lower one (tests/test_architecture.py checks every import, function-level ones too).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("planner", "planner.__main__", "planner.errors", "planner.interrupt", "planner.sources"),
    ("planner.files",),
    ("planner.tree",),
    ("planner.rules",),
    ("planner.scenario",),
    ("planner.problem",),
    ("planner.plan",),
    ("planner.solver",),
    ("planner.analysis",),
    ("planner.export", "planner.store"),
    ("planner.cli", "planner.ui"),
)
PACKAGE = Path(__file__).resolve().parents[1]


def _summary(path: Path) -> str:
    """The first sentence of a module's docstring (read, never imported)."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    first = " ".join(doc.split("\n\n", 1)[0].split())
    return _cell(first)


def module_map() -> str:
    """Every package and module of ``planner`` by layer, with its docstring's first paragraph."""
    rows = ["| tầng / layer | mô-đun / module | nội dung / what it is |", "|---|---|---|"]
    for number, layer in enumerate(LAYERS):
        for name in layer:
            parts = name.split(".")[1:]
            folder = PACKAGE.joinpath(*parts)
            if not parts:
                paths = [PACKAGE / "__init__.py"]
            elif folder.is_dir():
                paths = sorted(folder.rglob("*.py"))
            else:
                paths = [folder.with_suffix(".py")]
            for path in paths:
                rel = path.relative_to(PACKAGE.parent).with_suffix("")
                dotted = ".".join(rel.parts).removesuffix(".__init__")
                rows.append(f"| {number} | `{dotted}` | {_summary(path)} |")
    return "\n".join(rows)


BLOCKS = (
    Block("reference/cli.md", "cli", _cli),
    Block("reference/scenario.md", "scenario-keys", _scenario_keys),
    Block("reference/rules.md", "families", _families),
    Block("reference/rules.md", "catalogue", _rules),
    Block("architecture.md", "modules", module_map),
)


def _cell(text: str) -> str:
    """A help text as one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _usage(parser: argparse.ArgumentParser) -> str:
    """The usage line of one parser, wrapped at :data:`USAGE_WIDTH`."""
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _options(parser: argparse.ArgumentParser) -> list[str]:
    """The table of a parser's arguments and options, with their help."""
    formatter = argparse.HelpFormatter(parser.prog, width=USAGE_WIDTH)
    rows = ["| đối số / argument | trợ giúp / help |", "|---|---|"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue  # the commands have their own sections; every command has --help
        if action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            name = ", ".join(action.option_strings)
            if action.nargs != 0:
                name += " " + formatter._format_args(action, action.dest.upper())
        else:
            name = formatter._format_args(action, action.dest)
        help_text = formatter._expand_help(action) if action.help else ""
        if action.default not in (None, False, argparse.SUPPRESS) and "default" not in help_text:
            help_text += f" (mặc định / default: {action.default})"
        rows.append(f"| `{_cell(name)}` | {_cell(help_text)} |")
    return rows


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """Every command under ``parser``, depth first, in the parser's order."""
    out: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                out.append((child.prog, child))
                out.extend(_commands(child))
    return out


def cli_reference(parser: argparse.ArgumentParser) -> str:
    """Every command and option of ``parser`` with its help, as Markdown."""
    lines: list[str] = []
    for prog, command in [(parser.prog, parser), *_commands(parser)]:
        lines += [f"### `{prog}`", ""]
        if command.description:
            lines += [command.description.strip().replace("\n", "  \n"), ""]
        lines += ["```text", _usage(command), "```", ""]
        lines += [*_options(command), ""]
    return "\n".join(lines).strip()


def _bounds(text: str, name: str, page: str) -> tuple[int, int]:
    start_mark, end_mark = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start_mark not in text or end_mark not in text:
        raise ValueError(f"docs/{page}: markers {start_mark} … {end_mark} missing")
    return text.index(start_mark) + len(start_mark), text.index(end_mark)


def current(root: Path, block: Block) -> str:
    """What the page holds between the block's markers, stripped."""
    text = (root / block.page).read_text(encoding="utf-8")
    start, end = _bounds(text, block.name, block.page)
    return text[start:end].strip()


def regenerate(root: Path) -> list[str]:
    """Rewrite every generated block under ``root`` (the docs folder); the pages changed."""
    changed: list[str] = []
    for block in BLOCKS:
        path = root / block.page
        text = path.read_text(encoding="utf-8")
        start, end = _bounds(text, block.name, block.page)
        new = text[:start] + "\n" + block.generate() + "\n" + text[end:]
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(f"{block.page} ({block.name})")
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m planner.cli.docs [--check] [--root DOCS]``."""
    parser = argparse.ArgumentParser(
        prog="python -m planner.cli.docs",
        description="Sinh lại các bảng của tài liệu / regenerate the docs' generated tables",
    )
    parser.add_argument("--check", action="store_true", help="chỉ kiểm tra / only check")
    parser.add_argument("--root", type=Path, default=Path("docs"), help="thư mục / docs folder")
    args = parser.parse_args(argv)
    if args.check:
        stale = [f"{b.page} ({b.name})" for b in BLOCKS if current(args.root, b) != b.generate()]
        for page in stale:
            print(f"Cũ / out of date: docs/{page}; chạy / run: {REGENERATE}", file=sys.stderr)
        return 1 if stale else 0
    for page in regenerate(args.root):
        print(f"Đã sinh lại / regenerated: docs/{page}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
