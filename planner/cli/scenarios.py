"""``planner scenarios``: the built-in scenarios of every cycle."""

from __future__ import annotations

import argparse

from planner.cli.options import (
    EXIT_OK,
)
from planner.files.paths import data_dir
from planner.files.tables import FORMATS, render
from planner.scenario.builder import load_scenario


def run(args: argparse.Namespace) -> int:
    """The built-in scenarios of every cycle, with their era, law and title."""
    rows = []
    for path in sorted((data_dir() / "scenarios").glob("*.toml")):
        scenario = load_scenario(path)
        rows.append(
            {
                "file": f"data/scenarios/{path.name}",
                "cycle": scenario.cycle or "",
                "era": scenario.era,
                "election": str(scenario.election_day or scenario.election_choose),
                "law": scenario.election_law.id,
                "projection": "yes" if scenario.projection else "",
                "name_vi": scenario.name_vi,
                "name_en": scenario.name_en,
            }
        )
    print(render(rows, ["file", "cycle", "era", "election", "law", "name_vi"], args.format))
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``planner scenarios`` command and its options."""
    scen = sub.add_parser(
        "scenarios",
        help="kịch bản của mọi chu kỳ / the scenarios of every cycle",
        description=(
            "Các kịch bản có sẵn (2015–16, 2020–21, 2025–26, dự phóng 2030–31).\n"
            "The built-in scenarios (2015–16, 2020–21, 2025–26, the 2030–31 projection)."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scen.add_argument("--format", choices=FORMATS, default="table", help="table | csv | json")
    scen.set_defaults(func=run)
