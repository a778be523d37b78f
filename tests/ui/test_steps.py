"""The preparation steps on the pages (issue 20, point 3): the Plan page's table, counts and
review load, the province filter, the Unit page's own steps, the Month calendar's steps by
day, and the printable plan's section — each count computed again from the plan frame."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner.analysis.validate import validate
from planner.rules.preparation import STANDING_COMMITTEE, STEP_KINDS
from planner.store import plans
from planner.store.db import Store
from planner.tree.build import build_tree
from planner.tree.names import level_label
from planner.ui.province import members, subset

from .apptest import app, page, solved

KIND_VI = {
    "review": "Cấp trên duyệt văn kiện, nhân sự",
    "announce": "Thông báo ngày khai mạc",
    "report": "Báo cáo kết quả",
    "approval": "Chuẩn y kết quả",
}
KIND_EN = {
    "review": "Review by the level above",
    "announce": "Opening announced",
    "report": "Results reported",
    "approval": "Results approved",
}
RAW = re.compile(r"(?<!\w)(None|nan|NaN|NaT|group-\d|politburo|review|announce)(?!\w)")


def _plan(at: AppTest, home: Path) -> pd.DataFrame:
    store = Store(home / "planner.sqlite3")
    record = plans.latest(store, at.session_state["working"].content_key)
    assert record is not None and record.has_plan
    return plans.plan_frame(store, record.id)


def _steps(plan: pd.DataFrame) -> pd.DataFrame:
    return plan[plan["kind"].isin(STEP_KINDS)]


def _frame(at: AppTest, column: str) -> pd.DataFrame | None:
    """The first table on the page with this column (None when there is none)."""
    for element in at.get("dataframe") + at.get("table"):
        if column in element.value.columns:
            return element.value
    return None


def _no_raw(table: pd.DataFrame) -> None:
    cells = [str(v) for v in table.astype(str).to_numpy().ravel()]
    assert not [c for c in cells if RAW.search(c)], [c for c in cells if RAW.search(c)][:5]


def test_province_filter_keeps_exactly_the_steps_of_its_congresses(
    default_problem: Any, default_report: Any
) -> None:
    """A province keeps the step rows whose congress is in it and no other; the rows that
    belong to no congress (election steps, plenums, holidays) are all kept."""
    plan = default_report.plan
    assert validate(default_problem, plan, complete=True).ok
    tree = default_problem.tree
    steps = _steps(plan)
    assert len(steps) == 4 * 67
    for province in ("p37", "p01", "p79"):
        ids = {o.org_id for o in tree.subtree(province)}
        kept = subset(plan, tree, province)
        expected = set(steps.loc[steps["org_id"].isin(ids), "event_id"])
        assert set(_steps(kept)["event_id"]) == expected and len(expected) == 4
        free = plan[~plan["kind"].isin(("congress", *STEP_KINDS))]
        assert set(free["event_id"]) <= set(kept["event_id"])
    assert members(tree, "p37") >= {"p37"}


def test_plan_page_lists_the_steps_counts_them_and_shows_the_review_load(_home: Path) -> None:
    """The Plan page counts the steps (in all and by kind, as the plan frame has them), lists
    each with its kind in words and its reviewing body, hides them on request, and shows the
    reviews a week of each body against its capacity; in English too."""
    at = solved(app().run())
    plan = _plan(at, _home)
    steps = _steps(plan)
    counts = Counter(steps["kind"])
    captions = [c.value for c in at.caption]
    expected = f"{len(steps)} bước chuẩn bị — " + " · ".join(
        f"{KIND_VI[k]}: {counts[k]}" for k in STEP_KINDS
    )
    assert expected in captions, [c for c in captions if "bước" in c]
    table = _frame(at, "Bước chuẩn bị")
    assert table is not None and len(table) == len(steps)
    assert Counter(table["Bước chuẩn bị"]) == {KIND_VI[k]: n for k, n in counts.items()}
    reviews = steps[steps["kind"] == "review"]
    assert set(table.loc[table["Bước chuẩn bị"] == KIND_VI["review"], "Mã đơn vị"]) == set(
        reviews["org_id"]
    )
    bodies = set(table.loc[table["Bước chuẩn bị"] == KIND_VI["review"], "Cơ quan duyệt"])
    assert bodies and all("Bộ Chính trị" in b for b in bodies)
    assert set(table.loc[table["Bước chuẩn bị"] != KIND_VI["review"], "Cơ quan duyệt"]) == {"—"}
    assert set(table["Mức kiểm chứng"]) == {"đã kiểm chứng", "chưa kiểm chứng"}
    _no_raw(table)
    load = _frame(at, "Số cuộc duyệt")
    assert load is not None
    assert sum(int(n) for n in load["Số cuộc duyệt"]) == len(reviews)
    weeks = Counter(s - dt.timedelta(days=s.weekday()) for s in reviews["start"])
    for week, n in weeks.items():
        rows = load[load["Tuần từ"] == f"{week:%d/%m/%Y}"]
        assert sum(int(v) for v in rows["Số cuộc duyệt"]) == n
    assert set(load["Vượt sức duyệt"]) == {"không"}  # the solver keeps the capacity
    at.toggle(key="show_steps_vi").set_value(False).run()
    assert _frame(at, "Bước chuẩn bị") is None
    assert expected in [c.value for c in at.caption]
    at.toggle(key="show_steps_vi").set_value(True).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    english = _frame(at, "Preparation step")
    assert english is not None and len(english) == len(steps)
    assert Counter(english["Preparation step"]) == {KIND_EN[k]: n for k, n in counts.items()}
    assert set(english["How sure"]) == {"verified", "unverified"}
    assert any(c.value.startswith(f"{len(steps)} preparation steps — ") for c in at.caption)


def test_plan_page_of_a_province_lists_only_its_steps(_home: Path) -> None:
    """With Ninh Bình chosen, the steps listed are exactly those of its congresses."""
    at = solved(app(province="p37").run())
    plan = _plan(at, _home)
    steps = _steps(plan)
    ids = {o.org_id for o in build_tree("2020").subtree("p37")}
    ninh_binh = steps[steps["org_id"].isin(ids)]
    table = _frame(at, "Bước chuẩn bị")
    assert table is not None and len(table) == len(ninh_binh) == 4
    assert set(table["Mã đơn vị"]) == {"p37"}
    assert any(c.value.startswith("4 bước chuẩn bị — ") for c in at.caption)


def test_unit_page_lists_its_own_steps_in_date_order(_home: Path) -> None:
    """Ninh Bình's page lists its four steps in date order with their days as in the plan,
    before or after its congress, the reviewing body, the rule, its source and status."""
    at = solved(app().run())
    plan = _plan(at, _home)
    own = _steps(plan[plan["org_id"] == "p37"]).sort_values("start")
    congress = plan[plan["event_id"] == "congress:p37"].iloc[0]
    at.session_state["unit"] = "p37"
    page(at, "unit")
    table = _frame(at, "Bước chuẩn bị")
    assert table is not None and len(table) == len(own) == 4
    days = [
        f"{s:%d/%m/%Y}" if s == e else f"{s:%d/%m/%Y} – {e:%d/%m/%Y}"
        for s, e in zip(own["start"], own["end"], strict=True)
    ]
    assert list(table["Ngày"]) == days
    for kind, when, start, end in zip(
        own["kind"], table["So với đại hội"], own["start"], own["end"], strict=True
    ):
        if kind in ("review", "announce"):
            assert when == f"{(congress['start'] - end).days} ngày trước khai mạc"
        else:
            assert when == f"{(start - congress['end']).days} ngày sau bế mạc"
    assert list(table["Nguồn"]) == list(own["source"])
    review = table[table["Bước chuẩn bị"] == KIND_VI["review"]].iloc[0]
    assert "Bộ Chính trị" in review["Cơ quan duyệt"]
    assert review["Mức kiểm chứng"] == "chưa kiểm chứng"  # p20.review.central: a belief
    report = table[table["Bước chuẩn bị"] == KIND_VI["report"]].iloc[0]
    assert report["Mức kiểm chứng"] == "đã kiểm chứng" and "29-QĐ/TW" in report["Nguồn"]
    _no_raw(table)
    at.session_state["unit"] = at.query_params["unit"] = "d369"  # a district: no steps
    page(at, "unit")
    assert _frame(at, "Bước chuẩn bị") is None
    central = level_label("central").vi
    assert any(
        c.value.startswith("Kế hoạch không có bước chuẩn bị nào") and central in c.value
        for c in at.caption
    )


def _cells(calendar: str) -> dict[int, str]:
    """The calendar's cells of the month by day number."""
    out = {}
    for cell in re.findall(r"<td>(.*?)</td>", calendar):
        found = re.match(r'<div class="d">(\d+)</div>', cell)
        if found:
            out[int(found.group(1))] = cell
    return out


def test_month_calendar_shows_the_steps_on_their_days(_home: Path) -> None:
    """In September 2020 each day's cell counts the steps under way by kind (◆, apart from
    the congresses) as the plan frame has them; a chosen day lists exactly its steps."""
    at = solved(app().run())
    plan = _plan(at, _home)
    steps = _steps(plan)
    page(at, "month")
    at.selectbox(key="month_xiii-2020_all_vi").set_value(dt.date(2020, 9, 1)).run()
    calendar = next(str(h.proto.body) for h in at.get("html") if 'class="cal"' in h.proto.body)
    cells = _cells(calendar)
    busiest = None
    for number in range(1, 31):
        when = dt.date(2020, 9, number)
        under_way = steps[(steps["start"] <= when) & (steps["end"] >= when)]
        counts = Counter(under_way["kind"])
        shown = re.findall(r'<div class="s">◆ ([^<:]+): (\d+)</div>', cells[number])
        assert shown == [(KIND_VI[k], str(counts[k])) for k in STEP_KINDS if counts[k]], when
        if counts["review"] and busiest is None:
            busiest = when
    assert busiest is not None
    first, last = dt.date(2020, 9, 1), dt.date(2020, 9, 30)
    in_month = Counter(steps.loc[(steps["start"] <= last) & (steps["end"] >= first), "kind"])
    kinds = " · ".join(f"{KIND_VI[k]}: {in_month[k]}" for k in STEP_KINDS if in_month[k])
    said = f"Trong tháng: {in_month.total()} bước chuẩn bị ({kinds})."
    assert any(c.value.endswith(said) for c in at.caption), said
    day = at.selectbox(key="month_day_xiii-2020_all_2020-09-01_vi")
    day.set_value(busiest).run()
    table = _frame(at, "Bước chuẩn bị")
    expected = steps[(steps["start"] <= busiest) & (steps["end"] >= busiest)]
    assert table is not None and len(table) == len(expected)
    assert Counter(zip(table["Mã đơn vị"], table["Bước chuẩn bị"], strict=True)) == Counter(
        zip(expected["org_id"], [KIND_VI[k] for k in expected["kind"]], strict=True)
    )


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_printed_plan_has_the_steps_section(default_problem: Any, default_report: Any) -> None:
    """The PDF's section 5: reviews counted by reviewing body with their first and last day,
    each review, then the announcements, reports and approvals, the rules with their source
    and status; Ninh Bình's own steps only in its printout; in English on request."""
    from planner.ui.printed import printed_plan

    plan = default_report.plan
    assert validate(default_problem, plan, complete=True).ok
    settings = default_problem.scenario.preparation
    day = dt.date(2026, 1, 2)
    nation = _pdf_text(printed_plan(default_problem, plan, None, "vi", None, day))
    assert "5. Các bước chuẩn bị" in nation
    reviews = plan[(plan["kind"] == "review") & (plan["body"] != STANDING_COMMITTEE)]
    for body, rows in reviews.groupby("body"):
        name = settings.data.body(str(body)).name_vi
        first, last = min(rows["start"]), max(rows["end"])
        assert f"{name} {len(rows)} {first:%d/%m/%Y} {last:%d/%m/%Y}" in nation, name
    assert "Quy định 29-QĐ/TW ngày 25/7/2016, Điều 16, 16.1 đã kiểm chứng" in nation
    province = _pdf_text(printed_plan(default_problem, plan, "p37", "vi", None, day))
    section = province[province.index("5. Các bước chuẩn bị") :]
    own = _steps(plan[plan["org_id"] == "p37"])
    for kind, start in zip(own["kind"], own["start"], strict=True):
        assert f"{start:%d/%m/%Y}" in section
        if kind != "review":
            assert KIND_STEP_NAMES_VI[kind] in section
    assert "p01" not in section
    english = _pdf_text(printed_plan(default_problem, plan, "p37", "en", None, day))
    assert "5. Preparation steps" in english and "Congress results reported above" in english
    assert "Các bước chuẩn bị" not in english


KIND_STEP_NAMES_VI = {
    "announce": "Thông báo ngày khai mạc đại hội",
    "report": "Báo cáo kết quả đại hội lên cấp trên",
    "approval": "Cấp trên chuẩn y kết quả bầu cử",
}
