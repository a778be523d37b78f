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
import datetime as dt
import random
import sys
from pathlib import Path

from planner.plan import read_plan


def rows_for(plan: Path, count: int, seed: int) -> list[list[str]]:
    """``count`` rows ``org_id,kind,status,start,end,reason`` for the plan's congresses."""
    frame = read_plan(plan)
    congresses = frame[frame["kind"] == "congress"].sort_values(["end", "org_id"])
    chosen = list(zip(congresses["org_id"], congresses["start"], congresses["end"], strict=True))
    if count > len(chosen):
        raise SystemExit(f"the plan has {len(chosen)} congresses, fewer than {count}")
    pick = random.Random(seed)
    out = []
    for number, (org_id, start, end) in enumerate(chosen[:count]):
        roll = pick.random()
        shift = dt.timedelta(days=pick.choice((0, 0, 1)))
        if roll < 0.90:
            status, first, last, reason = "held", start + shift, end + shift, ""
        elif roll < 0.95:
            weeks = dt.timedelta(days=14)
            status, first, last, reason = "postponed", start + weeks, end + weeks, "dịch COVID-19"
        else:
            status, first, last, reason = (
                pick.choice(("cancelled", "merged")),
                None,
                None,
                "sáp nhập",
            )
        style = "%d/%m/%Y" if number % 2 else "%Y-%m-%d"
        cells = ["" if d is None else d.strftime(style) for d in (first, last)]
        out.append([org_id, "congress", status, *cells, reason])
    return out


def main() -> int:
    """Parse the arguments and write the file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bom", action="store_true")
    args = parser.parse_args()
    rows = rows_for(args.plan, args.rows, args.seed)
    with args.out.open("w", encoding="utf-8-sig" if args.bom else "utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["org_id", "kind", "status", "start", "end", "reason"])
        writer.writerows(rows)
    print(f"{len(rows)} rows → {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
