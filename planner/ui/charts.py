"""Plotly figures built from a plan; every chart aggregates so it draws a few thousand marks."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import pandas as pd
import plotly.graph_objects as go

from planner.hierarchy import Level, OrgTree

LEVEL_COLOURS = {
    "national": "#b71c1c",
    "central": "#e65100",
    "district": "#1565c0",
    "grassroots": "#2e7d32",
}


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


def timeline(plan: pd.DataFrame, labels: dict[str, str], today: dt.date) -> go.Figure:
    """The whole cycle: congresses in session per day for each level, the national congress,
    plenums, blackouts and the election milestones, with today."""
    figure = go.Figure()
    congress = plan[plan["kind"] == "congress"]
    for level in ("grassroots", "district", "central"):
        rows = congress[congress["level"] == level]
        if rows.empty:
            continue
        load: Counter[dt.date] = Counter()
        for row in rows.to_dict("records"):
            load.update(_days(row["start"], row["end"]))
        days = _days(min(load), max(load))  # zero days too, so quiet spells show as zero
        figure.add_trace(
            go.Scatter(
                x=days,
                y=[load[d] for d in days],
                mode="lines",
                name=labels.get(level, level),
                line={"color": LEVEL_COLOURS[level], "width": 1},
                fill="tozeroy",
            )
        )
    for row in plan[plan["kind"].isin(["plenum", "blackout"])].to_dict("records"):
        figure.add_vrect(
            x0=row["start"],
            x1=row["end"] + dt.timedelta(days=1),
            fillcolor="#9e9e9e" if row["kind"] == "blackout" else "#6a1b9a",
            opacity=0.15,
            line_width=0,
        )
    national = congress[congress["level"] == "national"]
    for row in national.to_dict("records"):
        figure.add_vrect(
            x0=row["start"],
            x1=row["end"] + dt.timedelta(days=1),
            fillcolor="#b71c1c",
            opacity=0.35,
            line_width=0,
            annotation_text=labels.get("national", "national"),
        )
    steps = plan[(plan["kind"] == "election_step") & plan["start"].notna()]
    figure.add_trace(
        go.Scatter(
            x=list(steps["start"]),
            y=[0] * len(steps),
            mode="markers",
            name=labels.get("election", "election"),
            marker={"symbol": "diamond", "size": 8, "color": "#000"},
            text=list(steps["name_vi"] if labels.get("lang") != "en" else steps["name_en"]),
            hovertemplate="%{x|%d/%m/%Y}: %{text}<extra></extra>",
        )
    )
    first = min(d for d in plan["start"] if d is not None)
    last = max(d for d in plan["end"] if d is not None)
    if first <= today <= last:
        figure.add_vline(x=today, line_dash="dash", line_color="#000")
    figure.update_layout(
        height=380, margin={"l": 10, "r": 10, "t": 30, "b": 10}, legend={"orientation": "h"}
    )
    return figure


def heatmap(plan: pd.DataFrame, tree: OrgTree, level: str, lang: str) -> go.Figure:
    """Congresses of one level in session per week × central-level committee."""
    congress = plan[(plan["kind"] == "congress") & (plan["level"] == level)]
    grid: dict[tuple[str, dt.date], int] = defaultdict(int)
    central_of: dict[str, str] = {}
    for row in congress.to_dict("records"):
        org_id = str(row["org_id"])
        if org_id not in central_of:
            central = tree.central_of(org_id)
            central_of[org_id] = central.org_id if central else org_id
        for day in _days(row["start"], row["end"]):
            week = day - dt.timedelta(days=day.weekday())
            grid[(central_of[org_id], week)] += 1
    centrals = sorted({c for c, _w in grid})
    weeks = sorted({w for _c, w in grid})
    attr = "name_en" if lang == "en" else "name_vi"
    names = [getattr(tree.get(c), attr) for c in centrals]
    z = [[grid.get((c, w), 0) for w in weeks] for c in centrals]
    figure = go.Figure(go.Heatmap(z=z, x=weeks, y=names, colorscale="YlOrRd"))
    figure.update_layout(height=max(300, 14 * len(centrals)), margin={"l": 10, "r": 10, "t": 10})
    return figure


def gantt(plan: pd.DataFrame, tree: OrgTree, central: str, lang: str) -> go.Figure:
    """One committee's congresses (its own and every planned one below it) as bars."""
    ids = {o.org_id for o in tree.subtree(central)}
    rows = plan[(plan["kind"] == "congress") & plan["org_id"].isin(ids)]
    rows = rows.sort_values(["level", "start"])
    attr = "org_name_en" if lang == "en" else "org_name"
    figure = go.Figure()
    for level in sorted(set(rows["level"]), key=lambda lv: Level(lv).depth):
        part = rows[rows["level"] == level]
        if part.empty:
            continue
        figure.add_trace(
            go.Bar(
                base=[pd.Timestamp(s) for s in part["start"]],
                x=[
                    (pd.Timestamp(e) + pd.Timedelta(days=1) - pd.Timestamp(s)).total_seconds()
                    * 1000
                    for s, e in zip(part["start"], part["end"], strict=True)
                ],
                y=list(part[attr]),
                orientation="h",
                name=level,
                marker_color=LEVEL_COLOURS[level],
            )
        )
    figure.update_layout(
        barmode="overlay",
        xaxis={"type": "date"},
        height=max(300, 18 * len(rows)),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    return figure
