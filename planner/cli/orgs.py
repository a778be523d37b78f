"""``planner orgs``: the party organisation tree."""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.options import (
    EXIT_OK,
)
from planner.files.tables import FORMATS, render
from planner.scenario.builder import load_scenario, tree_for
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level, parse_level


def run(args: argparse.Namespace) -> int:
    """List the party organisations, by level or under one, or count them per level."""
    if args.scenario:
        tree = tree_for(load_scenario(Path(args.scenario), args.set or []))
    else:
        tree = build_tree(args.era) if args.era else build_tree()
    orgs = tree.subtree(args.under) if args.under else list(tree)
    if args.level:
        level = parse_level(args.level)
        orgs = [o for o in orgs if o.level == level]
    if args.count:
        counts: dict[str, int] = {}
        for org in orgs:
            counts[org.level.value] = counts.get(org.level.value, 0) + 1
        rows = [{"level": lv.value, "count": counts[lv.value]} for lv in Level if lv in counts]
        print(render(rows, ["level", "count"], args.format))
        return EXIT_OK
    rows = [o.as_dict() for o in orgs]
    print(
        render(
            rows, ["org_id", "level", "parent_id", "synthetic", "name_vi", "name_en"], args.format
        )
    )
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner orgs`` command and its options."""
    orgs = sub.add_parser(
        "orgs",
        help="cây tổ chức đảng / the party organisation tree",
        description=(
            "Liệt kê tổ chức đảng theo cấp hoặc dưới một tổ chức.\n"
            "List party organisations by level or under one organisation "
            "(e.g. --under p37 for Ninh Bình)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    orgs.add_argument(
        "--level",
        metavar="LEVEL",
        help="cấp / level: national | central | district (2020) | commune (2025) | grassroots",
    )
    orgs.add_argument(
        "--scenario", metavar="FILE", help="cây của thời kỳ kịch bản / the tree of its era"
    )
    orgs.add_argument(
        "--era", choices=("2015", "2020", "2025"), help="cây của thời kỳ / the tree of an era"
    )
    orgs.add_argument("--set", action="append", metavar="KEY=VALUE", help=argparse.SUPPRESS)
    orgs.add_argument("--under", metavar="ORG_ID", help="chỉ cây con này / only this subtree")
    orgs.add_argument(
        "--count", action="store_true", help="chỉ đếm theo cấp / only counts per level"
    )
    orgs.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    orgs.set_defaults(func=run)
