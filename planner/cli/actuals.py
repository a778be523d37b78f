"""``planner actuals import|list`` and ``planner progress`` (issue 21, points 1–2).

Actuals go into the store under ``$PLANNER_HOME`` (:mod:`planner.store.actuals`), per scenario
document (``--scenario NAME``, the built-in document by default); a file with any bad row is
refused whole. Progress compares a plan with actuals from a file or from the store on a day
(``--today``, the real date in Vietnam by default).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from pathlib import Path
from typing import Any

from planner.analysis.progress import FIGURES, Progress, progress
from planner.cli.options import collector_paused
from planner.errors import PlannerError
from planner.files.tables import FORMATS, render
from planner.plan.actuals import Actual, ActualsError, read_actuals
from planner.plan.frame import read_plan
from planner.rules.calendar import format_date_vi, parse_date, today_in_vietnam
from planner.store import actuals as stored
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT, open_store, read_scenario_text
from planner.store.scenarios import load
from planner.tree.hierarchy import OrgTree
from planner.tree.names import plural_en

EXIT_OK, EXIT_INPUT = 0, 2
SHOWN_LATE = 30  # late units listed in the table (csv/json list them all)
SHOWN_ENTRIES = 100  # entries listed in the table without --org


def _vi_count(count: int) -> str:
    """A count with Vietnamese digit grouping: ``30.000``."""
    return f"{count:,}".replace(",", ".")


def _store() -> Store:
    """The store under ``$PLANNER_HOME``; refused when only a temporary folder could be used
    (actuals written there would be lost)."""
    opened = open_store()
    if opened.temporary and opened.problem is not None:
        raise opened.problem
    return opened.store


def _document_tree(store: Store, name: str) -> OrgTree:
    """The organisation tree of a stored document's newest version."""
    from planner.scenario.builder import tree_for

    version = load(store, name)
    return tree_for(read_scenario_text(version.base_text, version.base_name, version.sets))


def _author(given: str | None) -> str:
    """``--author``, else the account running the command."""
    if given and given.strip():
        return given.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "cli"


def cmd_import(args: argparse.Namespace) -> int:
    """Check the whole file, then record every row, or nothing."""
    path = Path(args.file)
    store = _store()
    tree = _document_tree(store, args.scenario)
    try:
        entries = read_actuals(path, tree)
    except ActualsError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return EXIT_INPUT
    if not entries:
        raise PlannerError(
            "tệp không có dòng dữ liệu nào; không nhập gì.",
            "the file has no data rows; nothing imported.",
            file=path.name,
            hint_vi="Thêm các dòng org_id,kind,status,start,end,reason dưới dòng tiêu đề.",
            hint_en="Add rows org_id,kind,status,start,end,reason under the header.",
        )
    author = _author(args.author)
    count = stored.record(store, args.scenario, entries, author, f"import:{path.name}")
    print(
        f"Đã nhập {_vi_count(count)} kết quả thực tế vào '{args.scenario}' (người ghi: {author})."
        f" / Imported {plural_en(count, 'actual')} into '{args.scenario}' (recorded by {author})."
    )
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    """The entries of a document (or of one unit), oldest first, corrections included."""
    store = _store()
    load(store, args.scenario)  # an unknown document is an error, not an empty list
    if args.org:
        entries = stored.history_of(store, args.scenario, args.org)
    else:
        limit = SHOWN_ENTRIES if args.format == "table" else None
        entries = stored.history(store, args.scenario, limit)
    rows = [e.as_dict() for e in entries]
    columns = ["recorded_at", "author", "org_id", "kind", "status", "start", "end", "reason"]
    if args.format == "table":
        print(
            f"Kết quả thực tế đã ghi ({args.scenario}{', ' + args.org if args.org else ''}),"
            " cũ trước: / Recorded actuals, oldest first:"
        )
        if not rows:
            print("(chưa có / none yet)")
            return EXIT_OK
        if not args.org and len(rows) == SHOWN_ENTRIES:
            print(
                f"(chỉ {SHOWN_ENTRIES} lần ghi mới nhất; --format csv cho tất cả / only the newest"
                f" {SHOWN_ENTRIES}; --format csv for all)"
            )
    print(render(rows, columns, args.format))
    return EXIT_OK


def _actuals_for(args: argparse.Namespace, tree: OrgTree) -> dict[tuple[str, str], Actual]:
    """The entries in force: from the file (checked against the tree) or from the store."""
    from planner.plan.actuals import latest

    if args.actuals:
        return latest(read_actuals(Path(args.actuals), tree))
    store = _store()
    load(store, args.store)
    return stored.current(store, args.store)


def reality_asked(
    args: argparse.Namespace, tree: OrgTree
) -> tuple[dt.date, dict[tuple[str, str], Actual]] | int:
    """The day and the entries in force that ``replan`` and ``check`` take from ``--today``
    and ``--actuals FILE`` or ``--store [NAME]`` (issue 21, point 3); an int is an exit code
    (a bad actuals file, its lines already printed)."""
    if args.actuals and args.store:
        raise PlannerError(
            "chỉ cho một nguồn kết quả thực tế.",
            "give only one source of actuals.",
            field="--actuals",
            hint_vi="Cho --actuals FILE.csv, hoặc --store (kết quả đã nhập vào kho).",
            hint_en="Give --actuals FILE.csv, or --store (actuals imported into the store).",
        )
    today = parse_date(args.today, "--today") if args.today else today_in_vietnam()
    if not (args.actuals or args.store):
        return today, {}
    try:
        return today, _actuals_for(args, tree)
    except ActualsError as exc:
        print("\n".join(exc.lines()[:-1]), file=sys.stderr)
        return EXIT_INPUT


def cmd_progress(args: argparse.Namespace) -> int:
    """Progress of a plan on a day, per level and per province, with the late units."""
    with collector_paused():
        return _progress_command(args)


def _progress_command(args: argparse.Namespace) -> int:
    """:func:`cmd_progress` with the collector paused."""
    from planner.plan.provenance import plan_origin, scenario_for_plan
    from planner.scenario.builder import tree_for

    if bool(args.actuals) == bool(args.store):
        raise PlannerError(
            "cần đúng một nguồn kết quả thực tế.",
            "exactly one source of actuals is needed.",
            field="--actuals",
            hint_vi="Cho --actuals FILE.csv, hoặc --store (kết quả đã nhập vào kho).",
            hint_en="Give --actuals FILE.csv, or --store (actuals imported into the store).",
        )
    today = parse_date(args.today, "--today") if args.today else today_in_vietnam()
    frame = read_plan(Path(args.plan))
    scenario, notes = scenario_for_plan(
        plan_origin(frame), args.scenario, [], plan_file=str(frame.attrs.get("file")), exact=False
    )
    for note in notes:
        print(note, file=sys.stderr)
    tree = tree_for(scenario)
    try:
        in_force = _actuals_for(args, tree)
    except ActualsError as exc:
        print("\n".join(exc.lines()[:-1]), file=sys.stderr)
        return EXIT_INPUT
    result = progress(frame, in_force, today, tree)
    if result.unmatched:
        print(
            f"ℹ {_vi_count(result.unmatched)} báo cáo đại hội về đơn vị không có trong kế hoạch"
            f" (bỏ qua). / {plural_en(result.unmatched, 'congress report')} on units not in the"
            " plan (ignored).",
            file=sys.stderr,
        )
    if args.format == "json":
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    elif args.format == "csv":
        rows = _csv_rows(result)
        print(render(rows, list(rows[0]) if rows else ["section"], "csv"))
    else:
        _print_table(result)
    return EXIT_OK


def _csv_rows(result: Progress) -> list[dict[str, Any]]:
    """One CSV: a row per level, per province and per late unit (``section`` says which)."""
    empty = dict.fromkeys(FIGURES, "")
    base = {"section": "", "today": result.today.isoformat(), "level": "", "province": ""}
    unit = {"org_id": "", "planned_start": "", "planned_end": ""}
    rows = [
        {**base, "section": "level", "level": lv, **c.as_dict(), **unit} for lv, c in result.levels
    ]
    rows += [
        {**base, "section": "province", "province": p, **c.as_dict(), **unit}
        for p, c in result.provinces
    ]
    rows += [
        {
            **base,
            "section": "late_unit",
            "level": u.level,
            "province": u.province or "",
            **empty,
            **u.as_dict(),
        }
        for u in result.late_units
    ]
    return rows


def _print_table(result: Progress) -> None:
    """The figures in Vietnamese then English, like the other commands."""
    day = result.today
    print(
        f"Tiến độ đến ngày {format_date_vi(day)} (so với kế hoạch) / Progress as of {day} "
        "(against the plan)"
    )
    print(
        "Cột / columns: planned_by_today = kế hoạch xong trước hôm nay / planned to end before "
        "today; held = đã họp / held; late = chậm / late; postponed = hoãn / postponed; "
        "due_14d = sắp họp trong 14 ngày / due in the next 14 days"
    )
    print("\nTheo cấp / By level:")
    rows = [{"level": lv, **c.as_dict()} for lv, c in result.levels]
    print(render(rows, ["level", *FIGURES], "table"))
    print("\nTheo tỉnh, thành (cấp ủy trực thuộc Trung ương), chậm nhiều nhất trước /")
    print("By province (central-level committee), most behind first:")
    rows = [
        {"province": p, "name": result.names.get(p, ""), **c.as_dict()} for p, c in result.provinces
    ]
    print(render(rows, ["province", "name", *FIGURES], "table"))
    late = result.late_units
    print(f"\nĐơn vị chậm: {_vi_count(len(late))} / Late units: {len(late):,}")
    if late:
        shown = [{**u.as_dict(), "status": u.status or ""} for u in late[:SHOWN_LATE]]
        print(render(shown, ["org_id", "level", "planned_start", "planned_end", "status"], "table"))
    if len(late) > SHOWN_LATE:
        more = len(late) - SHOWN_LATE
        print(
            f"… và {_vi_count(more)} đơn vị khác (xem --format csv hoặc json). / … and "
            f"{more:,} more (see --format csv or json)."
        )


def add_parsers(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The ``actuals`` and ``progress`` subcommands (``parser_class``: the CLI's parser, whose
    usage errors are one bilingual line)."""
    actuals_cmd = sub.add_parser(
        "actuals",
        help="kết quả thực tế: đã họp, hoãn, hủy, sáp nhập / actuals: held, postponed, …",
        description=(
            "Ghi và xem kết quả thực tế của đại hội và các bước chuẩn bị, theo từng tài liệu\n"
            "kịch bản trong kho ($PLANNER_HOME). Mỗi lần ghi giữ người ghi và thời điểm; sửa là\n"
            "ghi thêm, không ghi đè.\n"
            "Record and list the actuals of congresses and preparation steps, per scenario\n"
            "document in the store ($PLANNER_HOME). Every entry keeps who and when; a correction\n"
            "is a new entry, never an overwrite."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = actuals_cmd.add_subparsers(dest="action", required=True, parser_class=parser_class)
    imp = what.add_parser(
        "import",
        help="nhập tệp CSV / import a CSV file",
        description=(
            "Nhập tệp org_id,kind,status,start,end,reason (UTF-8; ngày YYYY-MM-DD hoặc\n"
            "DD/MM/YYYY). Tệp có một dòng lỗi thì không nhập gì; mọi dòng lỗi được liệt kê.\n"
            "Import a file org_id,kind,status,start,end,reason (UTF-8; dates YYYY-MM-DD or\n"
            "DD/MM/YYYY). A file with any bad row imports nothing; every bad row is listed.\n"
            "kind: congress | review | announce | report | approval;\n"
            "status: held (start, end) | postponed (new start, end, reason) | cancelled | merged"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE.csv", help="tệp kết quả thực tế / actuals file")
    _document_arg(imp)
    imp.add_argument(
        "--author", metavar="NAME", help="người ghi (mặc định: tài khoản) / recorded by (account)"
    )
    imp.set_defaults(func=cmd_import)
    lst = what.add_parser(
        "list",
        help="lịch sử các lần ghi / history of entries",
        description="Mọi lần ghi, cũ trước. / Every entry, oldest first.",
    )
    lst.add_argument("--org", metavar="ID", help="chỉ một đơn vị / one unit only")
    _document_arg(lst)
    lst.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    lst.set_defaults(func=cmd_list)
    _progress_parser(sub)


def _document_arg(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--scenario",
        metavar="NAME",
        default=DEFAULT_DOCUMENT,
        help=f"tài liệu kịch bản trong kho / scenario document in the store ({DEFAULT_DOCUMENT})",
    )


def _progress_parser(sub: Any) -> None:
    cmd = sub.add_parser(
        "progress",
        help="tiến độ so với kế hoạch / progress against the plan",
        description=(
            "Tiến độ đến một ngày, theo cấp và theo tỉnh: kế hoạch xong trước hôm nay, đã họp,\n"
            "chậm, hoãn, sắp họp trong 14 ngày, và danh sách đơn vị chậm.\n"
            "Progress on a day, per level and per province: planned to end before today, held,\n"
            "late, postponed, due in the next 14 days, and the late units."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cmd.add_argument("plan", metavar="PLAN.csv", help="kế hoạch / plan (.csv|.json)")
    cmd.add_argument("--actuals", metavar="FILE.csv", help="tệp kết quả thực tế / actuals file")
    cmd.add_argument(
        "--store",
        nargs="?",
        const=DEFAULT_DOCUMENT,
        metavar="NAME",
        help="lấy kết quả đã nhập vào kho (tài liệu NAME, mặc định "
        f"{DEFAULT_DOCUMENT}) / take the actuals from the store (document NAME)",
    )
    cmd.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="ngày tính tiến độ (mặc định: hôm nay ở Việt Nam) / the day (default: today)",
    )
    cmd.add_argument(
        "--scenario",
        metavar="FILE",
        help="kịch bản (mặc định: kịch bản ghi trong kế hoạch) / scenario (default: the plan's)",
    )
    cmd.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    cmd.set_defaults(func=cmd_progress)


def check_from_today(args: argparse.Namespace, problem: Any, frame: Any) -> Any:
    """``check --plan --actuals FILE | --store [NAME] --today DATE`` (issue 21, point 3): the
    problem the plan is checked against once the actuals apply, as ``replan --today`` builds
    it (held congresses on their actual dates, nothing not yet held before today, cancelled and
    merged ones gone, deadlines already out of reach relaxed and said); an int is an exit code.
    """
    from planner.analysis.replan_today import apply_actuals

    asked = reality_asked(args, problem.tree)
    if isinstance(asked, int):
        return asked
    today, entries = asked
    reality = apply_actuals(problem, frame, entries, today)
    print(
        f"Kiểm tra từ hôm nay / checked from today: {today} — {len(reality.held)} đã họp / "
        f"held, {len(reality.postponed)} hoãn / postponed, {len(reality.removed)} bỏ hoặc sáp "
        "nhập / cancelled or merged",
        file=sys.stderr,
    )
    for slipped in reality.slipped:
        vi, en = slipped.words()
        print(f"ℹ {vi}\n  {en}", file=sys.stderr)
    return reality.problem
