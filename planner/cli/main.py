"""``planner …`` commands. Bad input exits 2 with one bilingual line, never a traceback.

Each command is a module of :mod:`planner.cli` with ``add_parser(subparsers)`` and ``run(args)``;
:func:`build_parser` assembles them in the order ``planner --help`` lists them.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

import planner
from planner.cli import (
    actuals,
    benchmark,
    check,
    ical,
    orgs,
    replan,
    rules,
    scenarios,
    serve,
    solve,
    timetable,
)
from planner.cli.options import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK, Parser
from planner.errors import PlannerError

DESCRIPTION = """\
Lập lịch đại hội Đảng các cấp và lịch bầu cử 2020–2021.
Planner for Vietnam's 2020–2021 party congresses and election timetable."""

COMMANDS = (timetable, orgs, scenarios, rules, solve, replan, check, ical, serve, benchmark)


def build_parser() -> argparse.ArgumentParser:
    """The ``planner`` argument parser with its subcommands."""
    parser = Parser(
        prog="planner",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        command.add_parser(sub)
    actuals.add_parsers(sub, Parser)  # actuals import|list, progress (issue 21)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planner`` console script.

    Run as a command (``argv`` None), the time budget counts from the start of the process, so
    imports and reading are inside it; called with arguments (tests, scripts), from this call.
    """
    started = planner.STARTED if argv is None else time.monotonic()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.started = started
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PlannerError as exc:
        print(exc.one_line(), file=sys.stderr)
        return EXIT_INPUT
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(
            "Đã dừng; tệp cũ giữ nguyên. / Interrupted; existing files unchanged.", file=sys.stderr
        )
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
