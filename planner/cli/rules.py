"""``planner rules``: the rule catalogue."""

from __future__ import annotations

import argparse
import json

from planner.cli.options import (
    EXIT_OK,
)
from planner.files.tables import FORMATS, render
from planner.rules.catalogue import load_rulesets, rule_catalogue_markdown


def run(args: argparse.Namespace) -> int:
    """List the rule catalogue with its legal sources (or print it as Markdown)."""
    if args.format == "markdown":
        print(rule_catalogue_markdown())
        return EXIT_OK
    rows = [
        {
            "rule_id": r.id,
            "ruleset": r.ruleset_id,
            "family": r.family,
            "name_vi": r.name_vi,
            "name_en": r.name_en,
            "params": json.dumps(dict(r.params), ensure_ascii=False, default=str),
            "source": r.source.cite(),
            "status": r.status,
        }
        for rs in load_rulesets().values()
        for r in rs
        if not args.family or r.family == args.family
    ]
    print(render(rows, ["rule_id", "family", "status", "source", "name_vi"], args.format))
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner rules`` command and its options."""
    rules = sub.add_parser(
        "rules",
        help="danh mục quy tắc / the rule catalogue",
        description=(
            "Mọi quy tắc trong data/rules với nguồn pháp lý và trạng thái.\n"
            "Every rule in data/rules with its legal source and status."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rules.add_argument("--family", metavar="FAMILY", help="chỉ một họ / one family only")
    rules.add_argument(
        "--format",
        choices=(*FORMATS, "markdown"),
        default="table",
        help="table | csv | json | markdown",
    )
    rules.set_defaults(func=run)
