"""``planner timetable``: the statutory election timetable."""

from __future__ import annotations

import argparse

from planner.cli.options import (
    EXIT_OK,
)
from planner.files.tables import FORMATS, render
from planner.rules.calendar import parse_date
from planner.rules.timetable import election_timetable


def run(args: argparse.Namespace) -> int:
    """Print every statutory step of the election law in force, from election day."""
    from planner.rules.rulebook import load_rulebook

    day = parse_date(args.election_day, "--election-day")
    book = load_rulebook()
    law = book.law(args.law) if args.law else book.law_for_election(day)
    timetable = election_timetable(day, law)
    rows = []
    for row in timetable:
        record = row.as_dict()
        record["law"] = law.id
        if row.status == "belief":  # kept as a parameter: the law in force was not verified
            record["status"] = "belief (chưa kiểm chứng / unverified)"
        rows.append(record)
    if args.format == "table":
        print(f"Luật / law: {law.id} — {law.document}")
    columns = ["rule", "date", "start", "end", "time", "article", "status", "name_vi", "name_en"]
    print(render(rows, columns, args.format))
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner timetable`` command and its options."""
    tt = sub.add_parser(
        "timetable",
        help="lịch bầu cử theo luật / the statutory election timetable",
        description=(
            "Mọi bước theo luật bầu cử có hiệu lực, tính từ ngày bầu cử E (phải là Chủ nhật):\n"
            "Luật 85/2015/QH13, sửa đổi bởi Luật 83/2025/QH15 cho cuộc bầu cử 2026.\n"
            "Every statutory step of the election law in force, counted from election day E\n"
            "(a Sunday): Law 85/2015/QH13, as amended by Law 83/2025/QH15 for 2026."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tt.add_argument(
        "--election-day",
        required=True,
        metavar="YYYY-MM-DD",
        help="ngày bầu cử, một ngày Chủ nhật / election day, a Sunday (e.g. 2021-05-23)",
    )
    tt.add_argument(
        "--law",
        metavar="LAW",
        help="ép dùng một luật (mặc định: luật có hiệu lực cho ngày bầu cử) / force a law "
        "(default: the one in force for that election), e.g. election-law-85-2015 or "
        "election-law-85-2015+election-law-83-2025",
    )
    tt.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    tt.set_defaults(func=run)
