"""``planner …`` commands. Bad input exits 2 with one bilingual line, never a traceback.

Each command is a module of :mod:`planner.cli` with ``add_parser(subparsers)`` and ``run(args)``;
:func:`build_parser` assembles them in the order ``planner --help`` lists them.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from collections.abc import Callable, Sequence

import planner
from planner.cli.options import (
    EXIT_BUG,
    EXIT_INPUT,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Parser,
    collector_paused,
)
from planner.errors import InternalError, PlannerError

DESCRIPTION = """\
Lập lịch đại hội Đảng các cấp và lịch bầu cử 2020–2021.
Planner for Vietnam's 2020–2021 party congresses and election timetable."""

# each command → its module in planner.cli, in the order ``planner --help`` lists them; a command
# line naming a command imports that module only, so ``planner progress`` does not load the
# solver's ortools at start-up (issue 21: progress of the nationwide plan in ≤ 2 s)
COMMANDS = {
    "timetable": "timetable",
    "orgs": "orgs",
    "scenarios": "scenarios",
    "rules": "rules",
    "solve": "solve",
    "replan": "replan",
    "check": "check",
    "ical": "ical",
    "serve": "serve",
    "bench": "benchmark",
    "actuals": "actuals",  # actuals import|list and progress (issue 21)
    "progress": "actuals",
}


def _add_command(sub: argparse._SubParsersAction[Parser], module: str) -> None:
    """The subcommands of one module of :mod:`planner.cli`, imported now."""
    found = importlib.import_module(f"planner.cli.{module}")
    if module == "actuals":
        found.add_parsers(sub, Parser)
    else:
        found.add_parser(sub)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``planner`` argument parser with its subcommands; given the name of one
    (``progress``), with only that command's module's, which parse its command line alike."""
    parser = Parser(
        prog="planner",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    if command in COMMANDS:
        _add_command(sub, COMMANDS[command])
    else:
        for module in dict.fromkeys(COMMANDS.values()):
            _add_command(sub, module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``planner`` console script.

    Run as a command (``argv`` None), the time budget counts from the start of the process, so
    imports and reading are inside it; called with arguments (tests, scripts), from this call.
    """
    started = planner.STARTED if argv is None else time.monotonic()
    words = sys.argv[1:] if argv is None else list(argv)
    with collector_paused():  # importing the command's modules: objects that stay
        parser = build_parser(words[0] if words else None)
    args = parser.parse_args(words)
    args.started = started
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except PlannerError as exc:
        print(exc.one_line(), file=sys.stderr)
        return EXIT_INPUT
    except InternalError as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return EXIT_BUG
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        print(
            "Đã dừng; tệp cũ giữ nguyên. / Interrupted; existing files unchanged.", file=sys.stderr
        )
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
