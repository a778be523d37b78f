"""Lịch tháng / Month: the congresses in session on each day of one month (per level), the
plenums, blackouts, holidays and election steps of each day, and every congress of a chosen
day. The preparation steps under way each day are counted by kind (◆, apart from the
congresses) and listed for the chosen day. Limited to the province chosen in the sidebar."""

from __future__ import annotations

import calendar
import datetime as dt
import html
from collections import Counter

import pandas as pd
import streamlit as st

from planner.rules.calendar import today_in_vietnam
from planner.rules.preparation import STEP_KINDS
from planner.tree.hierarchy import Level
from planner.tree.names import level_short
from planner.ui import charts
from planner.ui.common import name_col, page, plan_frame, shown_plan
from planner.ui.province import ALL, subset
from planner.ui.session import lang, t, working
from planner.ui.steps import (
    count_text,
    kinds_text,
    on_day,
    step_rows,
    steps_by_day,
    steps_table,
)
from planner.ui.words import WEEKDAYS_SHORT, count_en, day, month_name, number, word

DAY_LIST_LIMIT = 2000

scenario, problem = page("Lịch tháng", "Month calendar")
record = shown_plan(working().content_key)
if record is None or not record.has_plan:
    st.info(
        t(
            "Chưa có kế hoạch cho kịch bản này: lập kế hoạch ở trang Kế hoạch.",
            "No plan for this scenario yet: solve it on the Plan page.",
        )
    )
    st.stop()
province = str(st.session_state.get("province", ALL))
plan = subset(plan_frame(record), problem.tree, province)
dated = plan[plan["start"].notna()]
congress = dated[dated["kind"] == "congress"]
steps = step_rows(plan)  # preparation steps: counted by kind apart from the congresses
first = min(congress["start"].min(), steps["start"].min() if len(steps) else dt.date.max)
last = max(congress["end"].max(), steps["end"].max() if len(steps) else dt.date.min)
months = []
cursor = dt.date(first.year, first.month, 1)
while cursor <= last:
    months.append(cursor)
    cursor = dt.date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
today = today_in_vietnam()
here = dt.date(today.year, today.month, 1)
if here not in months:  # outside the cycle: open the month with the most congress-days
    per_month: Counter[dt.date] = Counter()
    for start, end in zip(congress["start"], congress["end"], strict=True):
        per_month[dt.date(start.year, start.month, 1)] += (end - start).days + 1
    here = max(months, key=lambda m: (per_month[m], -m.toordinal()))
chosen: dt.date = st.selectbox(
    word("month"),
    months,
    index=months.index(here) if here in months else 0,
    format_func={m: month_name(m.year, m.month) for m in months}.__getitem__,
    key=f"month_{scenario.id}_{province}_{lang()}",
)
month_end = dt.date(chosen.year, chosen.month, calendar.monthrange(chosen.year, chosen.month)[1])

inside = congress[(congress["start"] <= month_end) & (congress["end"] >= chosen)]
levels = [lv.value for lv in scenario.era_levels]
load: dict[dt.date, Counter[str]] = {}
for level, start, end in zip(inside["level"], inside["start"], inside["end"], strict=True):
    lo, hi = max(start, chosen), min(end, month_end)
    for k in range((hi - lo).days + 1):
        load.setdefault(lo + dt.timedelta(days=k), Counter())[str(level)] += 1
others = dated[~dated["kind"].isin(("congress", *STEP_KINDS)) & (dated["start"] <= month_end)]
others = others[others["end"] >= chosen]
marks: dict[dt.date, list[str]] = {}
for kind, start, end, name in zip(
    others["kind"], others["start"], others["end"], others[name_col()], strict=True
):
    lo, hi = max(start, chosen), min(end, month_end)
    for k in range((hi - lo).days + 1):
        marks.setdefault(lo + dt.timedelta(days=k), []).append(f"{word(str(kind))}: {name}")


step_load = steps_by_day(steps, chosen, month_end)


def short_name(level: str) -> str:
    """A level's short name from the eras' data (``Trên cơ sở``), for a small cell."""
    label = level_short(level)
    text = label.en if lang() == "en" else label.vi
    return text[:1].upper() + text[1:]


def _cell(when: dt.date) -> str:
    counts = load.get(when, Counter())
    total = sum(counts.values())
    parts = [f'<div class="d">{when.day}</div>']
    if total:
        parts.append(f'<div class="n">{number(total)}</div>')
        parts.extend(
            f'<div class="l">{html.escape(short_name(lv))}: {number(counts[lv])}</div>'
            for lv in levels
            if counts[lv]
        )
    under_way = step_load.get(when, Counter())
    parts.extend(
        f'<div class="s">◆ {html.escape(word(k))}: {number(under_way[k])}</div>'
        for k in STEP_KINDS
        if under_way[k]
    )
    parts.extend(f'<div class="e">{html.escape(m)}</div>' for m in marks.get(when, [])[:3])
    return "".join(parts)


weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(chosen.year, chosen.month)
head = "".join(f'<th scope="col">{w}</th>' for w in WEEKDAYS_SHORT[lang()])
body = "".join(
    "<tr>"
    + "".join(
        f"<td>{_cell(d)}</td>" if d.month == chosen.month else '<td class="o"></td>' for d in week
    )
    + "</tr>"
    for week in weeks
)
caption = t(
    f"Đại hội đang họp mỗi ngày, {month_name(chosen.year, chosen.month)}",
    f"Congresses in session each day, {month_name(chosen.year, chosen.month)}",
)
st.html(
    "<style>.cal{border-collapse:collapse;width:100%;table-layout:fixed}"
    ".cal th,.cal td{border:1px solid #bbb;vertical-align:top;padding:4px;font-size:0.85rem}"
    ".cal .d{font-weight:600}.cal .n{font-size:1.1rem;color:#0d47a1}"
    ".cal .l{color:#333}.cal .s{color:#1b5e20;font-size:0.8rem}"
    ".cal .e{color:#4a148c;font-style:italic}.cal .o{background:#f3f3f3}"
    "</style>"
    f'<table class="cal"><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>'
    f"<tbody>{body}</tbody></table>"
)
busiest = max(load, key=lambda d: (sum(load[d].values()), -d.toordinal()), default=None)
st.caption(
    t(
        f"{number(len(inside))} đại hội họp trong tháng"
        + (
            f"; đông nhất ngày {day(busiest)}: {number(sum(load[busiest].values()))}."
            if busiest
            else "."
        ),
        count_en(len(inside), "congress")
        + (" sits" if len(inside) == 1 else " sit")
        + " this month"
        + (
            f"; the busiest day is {day(busiest)}: {number(sum(load[busiest].values()))}."
            if busiest
            else "."
        ),
    )
)
in_month = steps[(steps["start"] <= month_end) & (steps["end"] >= chosen)]
if len(in_month):
    st.caption(
        t("◆: bước chuẩn bị đang diễn ra trong ngày, theo loại. Trong tháng: ",
          "◆: preparation steps under way that day, by kind. This month: ")
        + f"{count_text(len(in_month))} ({kinds_text(in_month)})."
    )  # fmt: skip

st.header(t("Một ngày", "One day"))
days = [chosen + dt.timedelta(days=k) for k in range((month_end - chosen).days + 1)]
picked: dt.date = st.selectbox(
    word("date"),
    days,
    index=days.index(busiest) if busiest in days else 0,
    format_func={
        d: f"{WEEKDAYS_SHORT[lang()][d.weekday()]} {day(d)} — "
        + number(sum(load.get(d, Counter()).values()))
        + " "
        + t("đại hội", "congresses")
        for d in days
    }.__getitem__,
    key=f"month_day_{scenario.id}_{province}_{chosen}_{lang()}",
)
sitting = inside[(inside["start"] <= picked) & (inside["end"] >= picked)]
sitting = sitting.assign(depth=[Level(str(lv)).depth for lv in sitting["level"]])
sitting = sitting.sort_values(["depth", "start", "org_id"])
attr = "org_name_en" if lang() == "en" else "org_name"
shown = sitting.head(DAY_LIST_LIMIT)
st.dataframe(
    pd.DataFrame(
        {
            word("unit"): list(shown[attr]),
            word("unit_id"): list(shown["org_id"]),
            word("level"): [charts.level_name(str(lv)) for lv in shown["level"]],
            word("start"): [day(s) for s in shown["start"]],
            word("end"): [day(e) for e in shown["end"]],
        }
    ),
    hide_index=True,
    key="month_day_table",
)
if len(sitting) > DAY_LIST_LIMIT:
    st.caption(
        t(
            f"Hiện {number(DAY_LIST_LIMIT)} trong {number(len(sitting))}; chọn một tỉnh để xem đủ.",
            f"Showing {number(DAY_LIST_LIMIT)} of {number(len(sitting))}; choose a province to "
            "see them all.",
        )
    )
for mark in marks.get(picked, []):
    st.markdown("- " + mark)
that_day = on_day(steps, picked)
if len(that_day):
    st.subheader(t("Bước chuẩn bị trong ngày", "Preparation steps that day"))
    st.caption(
        t(
            "Các bước đang diễn ra trong ngày (◆ trên lịch); báo cáo và chuẩn y là một khoảng "
            "ngày, kết thúc ở hạn chót.",
            "The steps under way that day (◆ on the calendar); a report or an approval is a "
            "range of days ending on its deadline.",
        )
        + " "
        + count_text(len(that_day))
        + "."
    )
    st.dataframe(
        steps_table(that_day, scenario.preparation), hide_index=True, key="month_day_steps"
    )
