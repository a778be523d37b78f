"""The documentation site's generated tables equal the code and data (issue 22, point 5):
the CLI reference is the parser's, the scenario keys the schema's, the families and the rule
catalogue the data's; every page is in the site's navigation."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from planner.cli import docs
from planner.cli.main import build_parser

from .conftest import REPO

DOCS = REPO / "docs"


@pytest.mark.parametrize("block", docs.BLOCKS, ids=lambda b: f"{b.page}:{b.name}")
def test_generated_block_is_up_to_date(block: docs.Block) -> None:
    """The text between the markers is what the code generates now."""
    assert docs.current(DOCS, block) == block.generate(), (
        f"docs/{block.page} ({block.name}) is out of date: run `{docs.REGENERATE}` "
        "(or `make docs-gen`) and commit the result"
    )


def _commands(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    out = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                out += [child, *_commands(child)]
    return out


def test_cli_reference_has_every_command_and_option() -> None:
    """Each command has its section, and each of its options appears with its help."""
    parser = build_parser()
    text = docs.cli_reference(parser)
    commands = _commands(parser)
    assert {c.prog for c in commands} >= {"planner solve", "planner actuals import"}
    for command in commands:
        section = text.split(f"### `{command.prog}`\n", 1)[1].split("\n### ", 1)[0]
        for action in command._actions:
            if action.help == argparse.SUPPRESS:
                continue
            for flag in action.option_strings:
                if flag not in ("-h", "--help"):
                    assert f"`{flag}" in section or f", {flag}" in section, (command.prog, flag)


def test_check_reports_and_regeneration_repairs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stale block makes ``--check`` fail with the command to run; regenerating repairs it."""
    root = tmp_path / "docs"
    shutil.copytree(DOCS, root)
    page = root / "reference" / "cli.md"
    stale = page.read_text(encoding="utf-8").replace("### `planner solve`", "### `x`")
    page.write_text(stale, encoding="utf-8")
    assert docs.main(["--check", "--root", str(root)]) == 1
    assert docs.REGENERATE in capsys.readouterr().err
    assert docs.main(["--root", str(root)]) == 0
    assert docs.main(["--check", "--root", str(root)]) == 0
    assert page.read_text(encoding="utf-8") == (DOCS / "reference" / "cli.md").read_text("utf-8")


def test_every_page_is_in_the_navigation() -> None:
    """mkdocs.yml lists every page of docs/ (the strict build fails on links, not on these)."""
    nav = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        assert f": {page.relative_to(DOCS).as_posix()}" in nav, page
