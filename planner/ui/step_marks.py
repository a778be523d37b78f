"""The preparation steps on the Plan page's charts (issue 20, point 3): each congress's review,
announcement, report and approval as thin bars on its row of the Gantt chart (one trace per
kind, a colour per kind apart from the levels'), their dates as columns of the chart's table,
and the words of the timeline's review panel.

Names come from the catalogue (:mod:`planner.ui.words`) and the reviewing bodies' from the data
(:mod:`planner.rules.preparation`), never a code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from planner.rules.preparation import STANDING_COMMITTEE, PreparationSettings
from planner.ui.session import t
from planner.ui.steps import body_text, step_rows
from planner.ui.words import count_en, day, number, span, word

DAY_MS = 86_400_000
# a colour per step kind, apart from the levels' (planner.ui.charts.TIER_COLOURS) and the bands'
STEP_COLOURS = {
    "review": "#fbc02d",
    "lower_review": "#ffab91",
    "announce": "#ec407a",
    "report": "#00acc1",
    "approval": "#9575cd",
}
# where a kind's thin bar sits on the congress's row (bar offset, in rows): the steps before a
# congress (review, announcement) and after it (report, approval) in two lanes, so a report and
# its approval, which overlap, are both seen
LANE = {"review": -0.42, "lower_review": -0.42, "report": -0.42, "announce": 0.07, "approval": 0.07}
LANE_WIDTH = 0.35
KEYS = tuple(STEP_COLOURS)


def step_key(kind: object, body: object) -> str:
    """A step's kind as drawn: a lower level's contents approval apart from a review."""
    return "lower_review" if kind == "review" and body == STANDING_COMMITTEE else str(kind)


def page_steps(steps: pd.DataFrame | None, org_ids: list[str]) -> pd.DataFrame:
    """The step rows of the congresses on a page (none when the plan has no steps)."""
    if steps is None or steps.empty:
        return pd.DataFrame(columns=["kind", "org_id", "start", "end", "body", "event_id"])
    rows = step_rows(steps[steps["org_id"].isin(org_ids)])
    return rows.assign(
        key=[step_key(k, b) for k, b in zip(rows["kind"], rows["body"], strict=True)]
    )


def _when(start: dt.date, end: dt.date) -> str:
    return day(start) if start == end else span(start, end)


def add_gantt_steps(
    figure: go.Figure,
    rows: pd.DataFrame,
    label_of: Mapping[str, str],
    settings: PreparationSettings | None,
) -> None:
    """The steps of :func:`page_steps` as thin bars on their congresses' rows, one trace per
    kind present; the hover gives the step, its dates and the reviewing body of a review."""
    for key in KEYS:
        chosen = rows[rows["key"] == key] if "key" in rows else rows.iloc[0:0]
        if chosen.empty:
            continue
        starts, ends = list(chosen["start"]), list(chosen["end"])
        bodies = [
            body_text(settings, b) if k == "review" else ""
            for k, b in zip(chosen["kind"], chosen["body"], strict=True)
        ]
        figure.add_trace(
            go.Bar(
                base=[pd.Timestamp(s) for s in starts],
                x=[((e - s).days + 1) * DAY_MS for s, e in zip(starts, ends, strict=True)],
                y=[label_of[str(o)] for o in chosen["org_id"]],
                customdata=[
                    [_when(s, e), f"<br>{word('body')}: {b}" if b else "", str(i)]
                    for s, e, b, i in zip(starts, ends, bodies, chosen["event_id"], strict=True)
                ],
                orientation="h",
                width=LANE_WIDTH,
                offset=LANE[key],
                name=word(key),
                marker={"color": STEP_COLOURS[key], "line": {"color": STEP_COLOURS[key],
                                                             "width": 2}},
                hovertemplate="%{y}<br>" + word(key) + ": %{customdata[0]}%{customdata[1]}"
                "<extra></extra>",
            )
        )  # fmt: skip


def step_columns(org_ids: list[str], rows: pd.DataFrame) -> dict[str, list[str]]:
    """The table's step columns: one per kind present, each congress's step dates (``—`` when
    it has none of that kind)."""
    out: dict[str, list[str]] = {}
    for key in KEYS:
        chosen = rows[rows["key"] == key] if "key" in rows else rows.iloc[0:0]
        if chosen.empty:
            continue
        when = {
            str(o): _when(s, e)
            for o, s, e in zip(chosen["org_id"], chosen["start"], chosen["end"], strict=True)
        }
        out[word(key)] = [when.get(o, word("empty")) for o in org_ids]
    return out


def review_panel_name() -> str:
    """The timeline's review panel: «Duyệt của cấp trên» / «Reviews»."""
    return word("reviews_panel")


def reviews_sentence(reviews: int, peak: int, peak_day: dt.date) -> str:
    """The timeline's sentence on the reviews: how many, and the most in session on one day."""
    return t(
        f"{review_panel_name()}: {number(reviews)} cuộc duyệt, nhiều nhất {number(peak)} cùng "
        f"ngày {day(peak_day)}.",
        f"{review_panel_name()}: {count_en(reviews, 'review')}, at most {number(peak)} in "
        f"session on {day(peak_day)}.",
    )
