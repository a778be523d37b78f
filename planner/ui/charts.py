"""Plotly figures built from a plan, each with a text summary and its data as a table.

Every chart aggregates or pages, so it draws a few thousand marks at most and is never taller
than a screen: the timeline is one small panel per level (each with its own scale, so the
grassroots peak does not flatten the others), the heatmap counts congresses opening per week
and committee (each congress once), the Gantt chart shows one page of bars with the date axis
above and below. Dates are written ``dd/mm/yyyy`` and months in the page's language
(:mod:`planner.ui.words`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from planner.rules.preparation import PreparationSettings
from planner.tree.hierarchy import Level, OrgTree
from planner.tree.names import congress_label, level_label
from planner.ui import step_marks
from planner.ui.common import name_col
from planner.ui.session import lang, t
from planner.ui.words import count_en, day, month_tick, number, span, word

TIER_COLOURS = {
    "national": "#b71c1c",
    "central": "#e65100",
    "upper_grassroots": "#1565c0",
    "grassroots": "#2e7d32",
    "cell": "#6d4c41",
}
BAND_COLOURS = {"plenum": "#6a1b9a", "blackout": "#9e9e9e", "national": "#b71c1c"}
MAX_HEIGHT = 760  # px: a chart fits on a laptop screen
GANTT_PAGE = 30  # bars per page of the Gantt chart
ROW_PX = 18
NEAR_DAYS = 60  # the progress curves reach out to today when it is this close to the campaign


@dataclass(frozen=True)
class Chart:
    """A figure, a one-sentence summary of what it shows and its data as a table."""

    figure: go.Figure
    summary: str
    table: pd.DataFrame


def level_name(level: str) -> str:
    """A level's name from the eras' data, in the page's language."""
    label = level_label(level)
    return label.en if lang() == "en" else label.vi


def count_text(others: int, national: bool) -> str:
    """A count of congresses that names the National Congress apart when it is among them:
    ``604 đại hội và Đại hội đại biểu toàn quốc`` (the same words on every page)."""
    text = t(f"{number(others)} đại hội", count_en(others, "congress"))
    if national:
        label = congress_label(Level.NATIONAL.value)
        text += t(f" và {label.vi}", f" and the {label.en}")
    return text


def congress_count(plan: pd.DataFrame) -> str:
    """The congresses of a plan (or of its province's part) in words (:func:`count_text`)."""
    congress = plan["kind"] == "congress"
    national = int((congress & (plan["level"] == Level.NATIONAL.value)).sum())
    return count_text(int(congress.sum()) - national, national > 0)


def colour(level: str) -> str:
    """A level's colour, by its Charter tier (the same in every era)."""
    try:
        return TIER_COLOURS.get(Level(level).tier, "#455a64")
    except ValueError:
        return "#455a64"


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


def _month_ticks(first: dt.date, last: dt.date) -> tuple[list[dt.date], list[str]]:
    """Month starts between two days, thinned to at most about 14 labels; for a span of two
    months or less, each Monday (``dd/mm``)."""
    if (last - first).days <= 62:
        monday = first - dt.timedelta(days=first.weekday())
        weeks = [monday + dt.timedelta(weeks=k) for k in range((last - monday).days // 7 + 1)]
        return weeks, [f"{w.day:02d}/{w.month:02d}" for w in weeks]
    months = []
    cursor = dt.date(first.year, first.month, 1)
    while cursor <= last:
        months.append(cursor)
        cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
    step = max(1, -(-len(months) // 14))
    shown = months[::step]
    return shown, [month_tick(m.year, m.month) for m in shown]


def _date_axis(figure: go.Figure, first: dt.date, last: dt.date, **where: object) -> None:
    values, texts = _month_ticks(first, last)
    figure.update_xaxes(
        type="date", tickmode="array", tickvals=values, ticktext=texts, tickangle=0, **where
    )  # fmt: skip


def _numbers(figure: go.Figure) -> None:
    """Numbers on axes and in tooltips in the page's format (``1.234,5`` / ``1,234.5``)."""
    figure.update_layout(separators=".," if lang() == "en" else ",.")


def _in_session(spans: Iterable[tuple[dt.date, dt.date]]) -> Counter[dt.date]:
    """How many of the spans (first and last day, inclusive) include each day."""
    load: Counter[dt.date] = Counter()
    for start, end in spans:
        load.update(_days(start, end))
    return load


def load_by_level(plan: pd.DataFrame) -> dict[str, Counter[dt.date]]:
    """Congresses in session per day, for each level below the national one."""
    congress = plan[(plan["kind"] == "congress") & (plan["level"] != Level.NATIONAL.value)]
    spans: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for level, start, end in zip(
        congress["level"], congress["start"], congress["end"], strict=True
    ):
        spans.setdefault(str(level), []).append((start, end))
    return {level: _in_session(own) for level, own in spans.items()}


def reviews_by_day(plan: pd.DataFrame) -> Counter[dt.date]:
    """Reviews in session on each day (a review spanning several days counts on each)."""
    rows = plan[(plan["kind"] == "review") & plan["start"].notna()]
    return _in_session(zip(rows["start"], rows["end"], strict=True))


def _band_legend(figure: go.Figure, kind: str, name: str) -> None:
    """A legend entry for shaded bands (plotly gives shapes none)."""
    figure.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="markers", name=name, showlegend=True,
            marker={"symbol": "square", "size": 12, "color": BAND_COLOURS[kind], "opacity": 0.5},
        )
    )  # fmt: skip


class _LevelFacts(NamedTuple):
    """What the timeline says of one level: its congresses, their first and last day, and the
    most in session on one day (the earliest such day)."""

    name: str
    congresses: int
    first: dt.date
    last: dt.date
    peak: int
    peak_day: dt.date


def _level_panel(
    figure: go.Figure, plan: pd.DataFrame, level: str, load: Counter[dt.date], row: int
) -> _LevelFacts:
    """One level's panel: its congresses in session per day, on the panel's own scale."""
    days = _days(min(load), max(load))
    peak_day = max(days, key=lambda d: (load[d], -d.toordinal()))
    figure.add_trace(
        go.Scatter(
            x=days,
            y=[load[d] for d in days],
            customdata=[day(d) for d in days],
            mode="lines",
            name=level_name(level),
            line={"color": colour(level), "width": 1},
            fill="tozeroy",
            hovertemplate="%{customdata}: %{y} " + t("đại hội", "congresses") + "<extra></extra>",
        ),
        row=row,
        col=1,
    )
    small = {"dtick": 1} if load[peak_day] <= 5 else {}  # whole congresses only
    figure.update_yaxes(
        title_text=t("số đại hội/ngày", "congresses/day"), tickformat=",d", row=row, col=1,
        rangemode="tozero", **small,
    )  # fmt: skip
    count = int(((plan["kind"] == "congress") & (plan["level"] == level)).sum())
    return _LevelFacts(level_name(level), count, min(load), max(load), load[peak_day], peak_day)


def _windows(figure: go.Figure, plan: pd.DataFrame) -> None:
    """Plenums, blackouts and the National Congress as bands across every panel, each kind
    with a legend entry."""
    bands = plan[plan["kind"].isin(["plenum", "blackout"])]
    for kind, start, end in zip(bands["kind"], bands["start"], bands["end"], strict=True):
        figure.add_vrect(
            x0=start, x1=end + dt.timedelta(days=1), fillcolor=BAND_COLOURS[str(kind)],
            opacity=0.15, line_width=0, row="all", col=1,
        )  # fmt: skip
    national = plan[(plan["kind"] == "congress") & (plan["level"] == Level.NATIONAL.value)]
    for start, end in zip(national["start"], national["end"], strict=True):
        figure.add_vrect(
            x0=start, x1=end + dt.timedelta(days=1), fillcolor=BAND_COLOURS["national"],
            opacity=0.35, line_width=0, row="all", col=1,
        )  # fmt: skip
    for kind in ("plenum", "blackout"):
        if (bands["kind"] == kind).any():
            _band_legend(figure, kind, word(kind))
    if not national.empty:
        _band_legend(figure, "national", level_name(Level.NATIONAL.value))


def _election_steps(figure: go.Figure, plan: pd.DataFrame, row: int) -> None:
    """The dated election steps as diamonds on the bottom panel."""
    steps = plan[(plan["kind"] == "election_step") & plan["start"].notna()]
    names = steps["name_en"] if lang() == "en" else steps["name_vi"]
    figure.add_trace(
        go.Scatter(
            x=list(steps["start"]),
            y=[0] * len(steps),
            mode="markers",
            name=word("election_step"),
            marker={"symbol": "diamond", "size": 8, "color": "#000"},
            customdata=[[day(s), str(n)] for s, n in zip(steps["start"], names, strict=True)],
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ),
        row=row,
        col=1,
    )


def _timeline_summary(first: dt.date, last: dt.date, facts: list[_LevelFacts]) -> str:
    """The timeline's sentences: the cycle's span, then each level's count and busiest day."""
    summary = t("Toàn bộ chu kỳ: ", "The whole cycle: ") + span(first, last) + ". "
    return summary + " ".join(
        t(
            f"{f.name}: {number(f.congresses)} đại hội, nhiều nhất {number(f.peak)} cùng họp "
            f"ngày {day(f.peak_day)}.",
            f"{f.name}: {count_en(f.congresses, 'congress')}, at most {number(f.peak)} in "
            f"session on {day(f.peak_day)}.",
        )
        for f in facts
    )


def _timeline_table(facts: list[_LevelFacts]) -> pd.DataFrame:
    """The timeline's data: one row per level."""
    return pd.DataFrame(
        [
            {
                word("level"): f.name,
                word("count"): number(f.congresses),
                t("Ngày đầu", "First day"): day(f.first),
                t("Ngày cuối", "Last day"): day(f.last),
                t("Nhiều nhất trong một ngày", "Most in one day"): number(f.peak),
                t("Vào ngày", "On"): day(f.peak_day),
            }
            for f in facts
        ]
    )


def timeline(plan: pd.DataFrame, levels: Sequence[str], today: dt.date) -> Chart:
    """The whole cycle: one panel per level with its congresses in session per day (each on
    its own scale), above them the reviews by the level above in session per day when the plan
    has them, the National Congress, plenums and blackouts as bands, the election steps and
    today."""
    loads = load_by_level(plan)
    shown = [lv for lv in levels if lv in loads]
    reviews = reviews_by_day(plan)
    dated = plan[plan["start"].notna()]
    first, last = min(dated["start"]), max(dated["end"])
    top = 1 if reviews else 0
    rows = max(1, len(shown) + top)
    titles = [step_marks.review_panel_name()] * top + [level_name(lv) for lv in shown]
    figure = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, vertical_spacing=0.09,
        subplot_titles=titles or [""],
    )  # fmt: skip
    review = _review_panel(figure, plan, reviews) if reviews else None
    facts = [
        _level_panel(figure, plan, level, loads[level], row)
        for row, level in enumerate(shown, start=1 + top)
    ]
    _windows(figure, plan)
    _election_steps(figure, plan, rows)
    if first <= today <= last:
        figure.add_vline(x=today, line_dash="dash", line_color="#000", row="all", col=1)
    _date_axis(figure, first, last)
    figure.update_layout(
        height=min(MAX_HEIGHT, 150 + 170 * rows),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.08},
        hovermode="closest",
    )
    _numbers(figure)
    summary = _timeline_summary(first, last, facts)
    if review is not None:
        summary += " " + step_marks.reviews_sentence(
            review.congresses, review.peak, review.peak_day
        )
    return Chart(figure, summary, _timeline_table([*([review] if review else []), *facts]))


def _review_panel(figure: go.Figure, plan: pd.DataFrame, load: Counter[dt.date]) -> _LevelFacts:
    """The top panel: reviews by the level above in session per day (issue 20: the
    Politburo's load next to the congresses)."""
    days = _days(min(load), max(load))
    peak_day = max(days, key=lambda d: (load[d], -d.toordinal()))
    name = step_marks.review_panel_name()
    figure.add_trace(
        go.Bar(
            x=days, y=[load[d] for d in days], customdata=[day(d) for d in days], name=name,
            marker={"color": step_marks.STEP_COLOURS["review"],
                    "line": {"color": step_marks.STEP_COLOURS["review"], "width": 1}},
            hovertemplate="%{customdata}: %{y} " + t("cuộc duyệt", "reviews") + "<extra></extra>",
        ),
        row=1, col=1,
    )  # fmt: skip
    figure.update_yaxes(
        title_text=t("số cuộc duyệt/ngày", "reviews/day"), tickformat=",d", rangemode="tozero",
        row=1, col=1, **({"dtick": 1} if load[peak_day] <= 5 else {}),
    )  # fmt: skip
    count = int((plan["kind"] == "review").sum())
    return _LevelFacts(name, count, min(load), max(load), load[peak_day], peak_day)


def heatmap(plan: pd.DataFrame, tree: OrgTree, level: str, province: str | None) -> Chart:
    """Congresses of one level opening per week and per committee: every central-level
    committee nationwide, or the units directly under the province's committee. Each congress
    is counted once, in the week it opens (a two-day congress is one congress, not two)."""
    congress = plan[(plan["kind"] == "congress") & (plan["level"] == level)]
    grid: dict[tuple[str, dt.date], int] = defaultdict(int)
    row_of: dict[str, str] = {}
    for org_id, start in zip(congress["org_id"], congress["start"], strict=True):
        org_id = str(org_id)
        if org_id not in row_of:
            path = tree.path_to_root(org_id)
            depth = 2 if province else 1  # the row's depth in the tree
            row_of[org_id] = next((o.org_id for o in path if o.level.depth == depth), org_id)
        grid[(row_of[org_id], start - dt.timedelta(days=start.weekday()))] += 1
    attr = name_col()
    rows = sorted({r for r, _w in grid}, key=lambda r: getattr(tree.get(r), attr))
    weeks = sorted({w for _r, w in grid})
    names = [getattr(tree.get(r), attr) for r in rows]
    z = [[grid.get((r, w), 0) for w in weeks] for r in rows]
    measure = t("đại hội khai mạc", "congresses opening")
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=weeks,
            y=names,
            customdata=[[day(w) for w in weeks] for _r in rows],
            colorscale="YlOrRd",
            colorbar={
                "title": {"text": measure},
                "tickformat": ",d",
                "dtick": max(1, -(-max((max(r) for r in z), default=1) // 5)),
            },
            hovertemplate="%{y}<br>"
            + t("tuần từ", "week of")
            + " %{customdata}: %{z} "
            + measure
            + "<extra></extra>",
        )
    )
    row_px = max(9, min(ROW_PX, (MAX_HEIGHT - 120) // max(1, len(rows))))
    figure.update_yaxes(tickmode="array", tickvals=names, ticktext=names, tickfont={"size": 9},
                        autorange="reversed")  # fmt: skip
    if weeks:
        _date_axis(figure, weeks[0], weeks[-1])
    figure.update_layout(
        height=min(MAX_HEIGHT, 120 + row_px * len(rows)),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
    )
    _numbers(figure)
    return Chart(figure, _heatmap_summary(len(congress), level, len(rows), len(weeks)),
                 _heatmap_table(grid, rows, weeks, tree))  # fmt: skip


def _heatmap_summary(congresses: int, level: str, rows: int, weeks: int) -> str:
    """The heatmap's sentence: what is counted, and how (once, in the week it opens)."""
    return t(
        f"{number(congresses)} đại hội — {level_name(level)} — theo tuần khai mạc (mỗi đại "
        f"hội tính một lần, vào tuần khai mạc), {number(rows)} hàng, {number(weeks)} tuần.",
        f"{count_en(congresses, 'congress')} ({level_name(level)}) by the week they open (each "
        f"counted once, in its opening week), {count_en(rows, 'row')}, "
        f"{count_en(weeks, 'week')}.",
    )


def _heatmap_table(
    grid: dict[tuple[str, dt.date], int], rows: list[str], weeks: list[dt.date], tree: OrgTree
) -> pd.DataFrame:
    """The heatmap's data: each row's congresses and its busiest week (by congresses opening)."""
    attr = name_col()
    out = []
    for r in rows:
        busiest = _busiest(grid, r, weeks)
        out.append(
            {
                word("unit"): getattr(tree.get(r), attr),
                word("count"): number(sum(grid.get((r, w), 0) for w in weeks)),
                t("Tuần khai mạc nhiều nhất", "Busiest week"): day(busiest),
                t("Số đại hội khai mạc tuần đó", "Congresses opening that week"): number(
                    grid[(r, busiest)]
                ),
            }
        )
    return pd.DataFrame(out)


def _busiest(grid: dict[tuple[str, dt.date], int], row: str, weeks: list[dt.date]) -> dt.date:
    return max(weeks, key=lambda w: grid.get((row, w), 0))


def gantt_rows(plan: pd.DataFrame, ids: frozenset[str] | set[str]) -> pd.DataFrame:
    """The congresses of a set of units, top level first, then by start."""
    rows = plan[(plan["kind"] == "congress") & plan["org_id"].isin(ids)].copy()
    rows["depth"] = [Level(str(lv)).depth for lv in rows["level"]]
    return rows.sort_values(["depth", "start", "org_id"])


def gantt(
    rows: pd.DataFrame,
    page: int,
    steps: pd.DataFrame | None = None,
    settings: PreparationSettings | None = None,
) -> Chart:
    """One page (:data:`GANTT_PAGE` congresses) as bars, each congress's preparation steps
    (``steps``: the plan's step rows, :mod:`planner.ui.step_marks`) as thin bars on its row,
    the date axis above and below."""
    part = rows.iloc[page * GANTT_PAGE : (page + 1) * GANTT_PAGE]
    attr = "org_name_en" if lang() == "en" else "org_name"
    figure = go.Figure()
    org_ids = [str(o) for o in part["org_id"]]
    labels = [f"{n} · {o}" for n, o in zip(part[attr], org_ids, strict=True)]
    _gantt_bars(figure, part, labels)
    own = step_marks.page_steps(steps, org_ids)
    step_marks.add_gantt_steps(figure, own, dict(zip(org_ids, labels, strict=True)), settings)
    if not part.empty:
        first = min([*part["start"], *own["start"]]) - dt.timedelta(days=1)
        last = max([*part["end"], *own["end"]]) + dt.timedelta(days=1)
        _gantt_axes(figure, first, last, labels[0])
    figure.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels)
    figure.update_layout(
        barmode="overlay",
        height=min(MAX_HEIGHT, 140 + ROW_PX * max(1, len(part))),
        margin={"l": 10, "r": 10, "t": 40, "b": 30},
        legend={"orientation": "h", "y": -0.15},
    )
    _numbers(figure)
    table = pd.DataFrame(
        {
            word("unit"): list(part[attr]),
            word("unit_id"): org_ids,
            word("level"): [level_name(str(lv)) for lv in part["level"]],
            word("start"): [day(s) for s in part["start"]],
            word("end"): [day(e) for e in part["end"]],
            **step_marks.step_columns(org_ids, own),
        }
    )
    summary = t(
        f"Trang {page + 1}: {number(len(part))} trong {number(len(rows))} đại hội.",
        f"Page {page + 1}: {number(len(part))} of {count_en(len(rows), 'congress')}.",
    )
    return Chart(figure, summary, table)


def _gantt_bars(figure: go.Figure, part: pd.DataFrame, labels: list[str]) -> None:
    """The congresses as bars, one trace per level."""
    for level in dict.fromkeys(part["level"]):
        chosen = part["level"] == level
        starts, ends = list(part.loc[chosen, "start"]), list(part.loc[chosen, "end"])
        figure.add_trace(
            go.Bar(
                base=[pd.Timestamp(s) for s in starts],
                x=[((e - s).days + 1) * 86_400_000 for s, e in zip(starts, ends, strict=True)],
                y=[lbl for lbl, c in zip(labels, chosen, strict=True) if c],
                customdata=[span(s, e) for s, e in zip(starts, ends, strict=True)],
                orientation="h",
                name=level_name(str(level)),
                marker_color=colour(str(level)),
                hovertemplate="%{y}<br>%{customdata}<extra></extra>",
            )
        )


def _gantt_axes(figure: go.Figure, first: dt.date, last: dt.date, label: str) -> None:
    """The same dates above and below the bars (an invisible trace on a second axis)."""
    figure.add_trace(
        go.Scatter(x=[first, last], y=[label] * 2, xaxis="x2", mode="markers",
                   marker={"opacity": 0}, showlegend=False, hoverinfo="skip")
    )  # fmt: skip
    values, texts = _month_ticks(first, last)
    axis = {"type": "date", "tickmode": "array", "tickvals": values, "ticktext": texts,
            "range": [first, last], "tickangle": 0}  # fmt: skip
    figure.update_layout(
        xaxis={**axis, "side": "top"},
        xaxis2={**axis, "side": "bottom", "overlaying": "x", "matches": "x"},
    )


def _campaign_range(
    points: dict[str, list[tuple[dt.date, int, int]]], today: dt.date
) -> tuple[dt.date, dt.date]:
    """The days the curves span, stretched to today when today is within
    :data:`NEAR_DAYS` of them (a day years later would squash the campaign into a corner)."""
    days = [p[0] for level in points.values() for p in level] or [today]
    first, last = min(days), max(days)
    if first - dt.timedelta(days=NEAR_DAYS) <= today < first:
        first = today
    if last < today <= last + dt.timedelta(days=NEAR_DAYS):
        last = today
    return first, last


def progress_curves(points: dict[str, list[tuple[dt.date, int, int]]], today: dt.date) -> Chart:
    """Planned against held, cumulative, one small panel per level (each on its own scale),
    today marked when it falls within the campaign: the curves of
    :func:`planner.analysis.progress.curves`, each drawn on to the last day shown."""
    levels = list(points)
    first, last = _campaign_range(points, today)
    figure = make_subplots(
        rows=max(1, len(levels)), cols=1, shared_xaxes=True, vertical_spacing=0.1,
        subplot_titles=[level_name(lv) for lv in levels],
    )  # fmt: skip
    rows: list[dict[str, str | int]] = []
    planned_total = held_total = 0
    for index, level in enumerate(levels, start=1):
        drawn = [*points[level], (last, *points[level][-1][1:])]
        days = [p[0] for p in drawn]
        for position, (name, colour_of) in enumerate(
            ((word("planned_cum"), "#90a4ae"), (word("held_cum"), colour(level)))
        ):
            figure.add_trace(
                go.Scatter(
                    x=days, y=[p[1 + position] for p in drawn], mode="lines",
                    line={"shape": "hv", "color": colour_of, "width": 2,
                          "dash": "dot" if position == 0 else "solid"},
                    name=name, legendgroup=name, showlegend=index == 1,
                    customdata=[day(d) for d in days],
                    hovertemplate="%{customdata}: %{y}<extra>" + name + "</extra>",
                ),
                row=index, col=1,
            )  # fmt: skip
        planned = sum(1 for p in points[level] if p[0] < today)
        by_today = points[level][planned - 1] if planned else (today, 0, 0)
        held = max((p[2] for p in points[level] if p[0] <= today), default=0)
        planned_total += by_today[1]
        held_total += held
        rows.append({word("level"): level_name(level), word("planned_by_today"): by_today[1],
                     word("held"): held, word("planned_cum"): points[level][-1][1]})  # fmt: skip
    if levels and first <= today <= last:
        figure.add_vline(x=today.isoformat(), line_color="#c62828", line_dash="dash",
                         row="all", col=1)  # fmt: skip
        figure.add_annotation(
            x=today.isoformat(), y=1.04, xref="x", yref="paper", text=word("today"),
            showarrow=False, xanchor="right", font={"color": "#c62828"},
        )  # fmt: skip
    first, last = first - dt.timedelta(days=3), last + dt.timedelta(days=3)
    _date_axis(figure, first, last, range=[first, last])
    figure.update_layout(
        height=min(MAX_HEIGHT, 120 + 150 * max(1, len(levels))),
        margin={"l": 10, "r": 10, "t": 50, "b": 30},
        legend={"orientation": "h", "y": -0.08},
    )
    _numbers(figure)
    table = pd.DataFrame(rows)
    summary = t(
        f"Đến {day(today)}: theo kế hoạch {number(planned_total)} đại hội đã kết thúc; "
        f"{number(held_total)} đại hội được báo cáo đã họp.",
        f"By {day(today)}: {count_en(planned_total, 'congress')} planned to have ended; "
        f"{number(held_total)} reported held.",
    )
    return Chart(figure, summary, table)
