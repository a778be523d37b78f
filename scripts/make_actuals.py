"""Write a file of actuals for a plan, for measuring ``planner actuals import`` and
``planner progress`` (issue 21: 30,000 actuals, 50,000 rows).

The first ``--rows`` congresses of the plan in order of planned end get a report: nine in ten
held (on the planned dates, or a day later), one in twenty postponed by two weeks ("dịch
COVID-19"), the rest cancelled or merged; dates alternate between ``yyyy-mm-dd`` and
``dd/mm/yyyy``; ``--bom`` starts the file with a UTF-8 BOM. Deterministic (``--seed``). Usage::

    .venv/bin/python -m planner solve data/scenarios/xiii-2020-full.toml --strategy greedy \\
        --out plan.csv
    .venv/bin/python scripts/make_actuals.py plan.csv --rows 30000 --out actuals.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from planner.cli.bench import actuals_rows
from planner.plan.frame import read_plan


def main() -> int:
    """Parse the arguments and write the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bom", action="store_true")
    args = parser.parse_args()
    rows = actuals_rows(read_plan(args.plan), args.rows, args.seed)
    with args.out.open("w", encoding="utf-8-sig" if args.bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["org_id", "kind", "status", "start", "end", "reason"])
        writer.writerows(rows)
    print(f"{len(rows)} rows → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
