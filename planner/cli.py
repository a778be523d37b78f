"""``planner …`` commands. Bad input exits 2 with one bilingual line, never a traceback."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from planner.calendar import parse_date
from planner.errors import PlannerError
from planner.hierarchy import Level, build_tree, parse_level
from planner.rules import load_rulesets, rule_catalogue_markdown
from planner.tables import FORMATS, render
from planner.timetable import election_timetable

EXIT_OK = 0
EXIT_INPUT = 2

DESCRIPTION = """\
Lập lịch đại hội Đảng các cấp và lịch bầu cử 2020–2021.
Planner for Vietnam's 2020–2021 party congresses and election timetable."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one bilingual line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(
            EXIT_INPUT,
            f"{self.prog}: Lỗi: tham số không hợp lệ ({message}). Xem --help. / "
            f"Error: invalid arguments ({message}). See --help.\n",
        )


def _cmd_timetable(args: argparse.Namespace) -> int:
    day = parse_date(args.election_day, "--election-day")
    timetable = election_timetable(day)
    rows = [row.as_dict() for row in timetable]
    columns = ["rule", "date", "start", "end", "time", "article", "name_vi", "name_en"]
    print(render(rows, columns, args.format))
    return EXIT_OK


def _cmd_orgs(args: argparse.Namespace) -> int:
    tree = build_tree()
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


def _cmd_rules(args: argparse.Namespace) -> int:
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


def build_parser() -> argparse.ArgumentParser:
    """The ``planner`` argument parser with its subcommands."""
    parser = _Parser(
        prog="planner",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    tt = sub.add_parser(
        "timetable",
        help="lịch bầu cử theo luật / the statutory election timetable",
        description=(
            "Mọi bước theo Luật 85/2015/QH13 tính từ ngày bầu cử E (phải là Chủ nhật).\n"
            "Every statutory step of Law 85/2015/QH13 counted from election day E "
            "(a Sunday)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tt.add_argument(
        "--election-day",
        required=True,
        metavar="YYYY-MM-DD",
        help="ngày bầu cử, một ngày Chủ nhật / election day, a Sunday (e.g. 2021-05-23)",
    )
    tt.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    tt.set_defaults(func=_cmd_timetable)

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
        help="national | central | district | grassroots",
    )
    orgs.add_argument("--under", metavar="ORG_ID", help="chỉ cây con này / only this subtree")
    orgs.add_argument(
        "--count", action="store_true", help="chỉ đếm theo cấp / only counts per level"
    )
    orgs.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    orgs.set_defaults(func=_cmd_orgs)

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
    rules.set_defaults(func=_cmd_rules)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planner`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PlannerError as exc:
        print(exc.one_line(), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
