"""What the charts, the downloads and the printout count, checked against an independent count
from the plan (or from the files offered): the weekly chart, the plan spreadsheet, the iCal
export's figures, the National Congress named where it is counted, and the printed plan."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.analysis.validate import validate
from planner.problem.units import build_problem
from planner.rules.preparation import STEP_KINDS
from planner.scenario.builder import tree_for
from planner.store import feeds, plans
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level
from planner.ui import jobs

from ..conftest import REPO


@pytest.fixture(scope="module")
def plan(default_problem: Any, default_report: Any) -> pd.DataFrame:
    """The built-in scenario's plan, checked by the independent validator."""
    frame: pd.DataFrame = default_report.plan
    assert validate(default_problem, frame, complete=True).ok
    return frame


def _int(text: object) -> int:
    return int(str(text).replace(".", "").replace(",", ""))


def test_weekly_chart_counts_congresses_once_in_their_opening_week(
    default_problem: Any, plan: pd.DataFrame
) -> None:
    """D9: the weekly chart counts congresses, not congress-days: for Ninh Bình each district
    row holds its one congress, nationwide the province's row holds its district-level
    congresses (13), each in the week it opens; the chart, its sentence and its table agree."""
    from planner.ui import charts
    from planner.ui.province import subset

    tree = default_problem.tree
    congress = plan[plan["kind"] == "congress"]
    district = congress[congress["level"] == "district"]
    ninh_binh = {o.org_id for o in tree.subtree("p37")}
    own = district[district["org_id"].isin(ninh_binh)]
    chart = charts.heatmap(subset(plan, tree, "p37"), tree, "district", "p37")
    table = chart.table
    assert "Số đại hội" in table.columns
    assert [_int(v) for v in table["Số đại hội"]] == [1] * len(own)
    assert sum(sum(row) for row in chart.figure.data[0].z) == len(own)
    assert chart.summary.startswith(f"{len(own)} đại hội") and "tính một lần" in chart.summary

    nation = charts.heatmap(plan, tree, "district", None)
    row = nation.table[nation.table["Đơn vị"] == tree.get("p37").name_vi].iloc[0]
    assert _int(row["Số đại hội"]) == len(own) == 13
    opening = Counter(s - dt.timedelta(days=s.weekday()) for s in own["start"])
    week, most = max(opening.items(), key=lambda kv: (kv[1], -kv[0].toordinal()))
    assert _int(row["Số đại hội khai mạc tuần đó"]) == most
    assert row["Tuần khai mạc nhiều nhất"] == f"{week:%d/%m/%Y}"
    z = dict(zip(nation.figure.data[0].y, nation.figure.data[0].z, strict=True))
    weeks = list(nation.figure.data[0].x)
    p37 = z[tree.get("p37").name_vi]
    assert {w: n for w, n in zip(weeks, p37, strict=True) if n} == dict(opening)
    assert nation.summary.startswith(f"{len(district):,} đại hội".replace(",", "."))
    assert sum(sum(r) for r in nation.figure.data[0].z) == len(district)


# the pages: the plan's count, the export's counts --------------------------------------------


def _wait(at: AppTest, key: str, seconds: float = 240) -> None:
    job = jobs.pool().find(key)
    assert job is not None, key
    assert jobs.pool().wait(job, seconds) and job.state == "done", (job.state, job.error)


def test_pages_name_the_national_congress_and_count_the_files_offered(_home: Path) -> None:
    """D18: the Plan page and the Export page count the congresses the same way and name the
    National Congress ("1.818 đại hội và Đại hội đại biểu toàn quốc"; for Ninh Bình "604 đại
    hội và …"). D17: the iCal export of Ninh Bình reports the events of the files offered
    (parsed back from the archive), not those of the whole plan."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["province"] = "p37"
    at.run()
    _wait(at, f"plan:{at.session_state['working'].content_key}")
    at.run()
    db = Store(_home / "planner.sqlite3")
    record = plans.latest(db, at.session_state["working"].content_key)
    assert record is not None and record.has_plan
    plan = plans.plan_frame(db, record.id)
    scenario = at.session_state["working"].scenario()
    assert validate(build_problem(scenario, tree_for(scenario)), plan, complete=True).ok
    congress = plan[plan["kind"] == "congress"]
    assert (congress["level"] == Level.NATIONAL.value).sum() == 1
    national = "và Đại hội đại biểu toàn quốc"
    assert f"{len(congress) - 1:,} đại hội {national}".replace(",", ".") in at.caption[0].value
    tree = build_tree("2020")
    ninh_binh = congress[congress["org_id"].isin({o.org_id for o in tree.subtree("p37")})]
    at.switch_page("planner/ui/pages/export.py").run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith(f"{len(ninh_binh)} đại hội {national}") for c in captions), captions

    at.button(key="build_ical").click().run()
    _wait(at, f"export:{DEFAULT_DOCUMENT}:{record.id}:org:p37", 180)
    at.run()
    export = feeds.last_export(db, DEFAULT_DOCUMENT, "org:p37")
    assert export is not None
    with zipfile.ZipFile(io.BytesIO((_home / export.archive).read_bytes())) as archive:
        texts = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".ics")]
    events = sum(text.count("BEGIN:VEVENT") for text in texts)
    subtree = {o.org_id for o in tree.subtree("p37")}
    steps = plan[plan["kind"].isin(STEP_KINDS) & plan["org_id"].isin(subtree)]
    assert len(steps) > 0  # the province's feed: its congresses and their steps (issue 20.3)
    assert events == len(ninh_binh) + len(steps) < len(plan)
    text = " ".join(c.value for c in at.caption)
    assert f"{events} sự kiện" in text and f"thêm {events}," in text, text


def test_a_second_export_counts_only_the_changes_in_the_files_offered(
    default_problem: Any, plan: pd.DataFrame, tmp_path: Path
) -> None:
    """D17: after a congress of Ninh Bình and one of Hà Nội move, the Ninh Bình export says
    one moved (the one in its file), and its event count is that of its file."""
    from planner.ui.feeds import build_archive

    scenario, tree = default_problem.scenario, default_problem.tree
    folder = tmp_path / "feeds"
    first = build_archive(plan, scenario, tree, "org:p37", folder)
    assert first.summary["events"] == first.summary["added"]
    moved = plan.copy()
    for org_id in ("d369", "p01"):
        row = moved.index[moved["event_id"] == f"congress:{org_id}"][0]
        moved.loc[row, "start"] += dt.timedelta(days=1)
        moved.loc[row, "end"] += dt.timedelta(days=1)
    second = build_archive(moved, scenario, tree, "org:p37", folder)
    with zipfile.ZipFile(io.BytesIO(second.data)) as archive:
        texts = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".ics")]
    unfolded = [text.replace("\r\n ", "") for text in texts]
    offered = {
        uid for text in unfolded for uid in re.findall(r"BEGIN:VEVENT.*?\r\nUID:(\S+)", text, re.S)
    }
    assert second.summary["events"] == len(offered) == first.summary["events"]
    assert (second.summary["moved"], second.summary["added"], second.summary["removed"]) == (
        1, 0, 0,
    )  # fmt: skip


# the printed plan ----------------------------------------------------------------------------


def _pdf_words(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def test_printed_plan_keeps_ids_whole_and_prints_only_planner_text(
    default_problem: Any, default_report: Any, plan: pd.DataFrame
) -> None:
    """D21: the PDF read back with pypdf: every unit id and rule id printed whole (never
    "p37-agenci es"), also for the committee with the longest ids; the National Congress's
    window cites the calendar data's decision, never a file path; under "Đại hội điểm" only
    the catalogue's source for planners, not the maintainers' note."""
    from planner.rules.families import catalogue
    from planner.rules.milestones import national_congress
    from planner.ui.printed import printed_plan

    tree, scenario = default_problem.tree, default_problem.scenario
    report, day = default_report.as_dict(), dt.date(2026, 1, 2)
    congress = plan[plan["kind"] == "congress"]
    central = {o.org_id for o in tree.by_level(Level.CENTRAL)}
    ninh_binh = {o.org_id for o in tree.subtree("p37")}
    longest = max((o for o in congress["org_id"] if o not in ninh_binh), key=len)
    widest = next(o.org_id for o in tree.path_to_root(longest) if o.org_id in central)
    assert widest != "p37" and len(longest) >= 16
    rules = {r for lp in scenario.levels.values() for r in (*lp.window_rules, lp.duration_rule)}
    for scope in ("p37", widest):
        text = _pdf_words(printed_plan(default_problem, plan, scope, "vi", report, day))
        ids = {o.org_id for o in tree.subtree(scope)} & set(congress["org_id"])
        assert len(ids) > 10
        for name in ids | {r for r in rules if r}:
            assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), (scope, name)
        assert "data/" not in text and "vn-2020-2021" not in text
        source = national_congress(scenario.cycle).planned.source
        assert f"9 — {source.cite()} — {national_congress(scenario.cycle).event.name_vi}" in text
        pilot = catalogue()["pilot"]
        assert f"{pilot.name_vi} — {pilot.source} " in text
        assert "truy xuất" not in text and "retrieved" not in text


# the plan as a spreadsheet -------------------------------------------------------------------


def _offered(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The bytes of every download button the pages draw in a column, by key."""
    from streamlit.delta_generator import DeltaGenerator

    seen: dict[str, bytes] = {}
    original = DeltaGenerator.download_button

    def record(self: DeltaGenerator, label: str, data: Any, *args: Any, **kw: Any) -> Any:
        seen[str(kw.get("key"))] = data if isinstance(data, bytes) else str(data).encode()
        return original(self, label, data, *args, **kw)

    monkeypatch.setattr(DeltaGenerator, "download_button", record)
    return seen


def test_plan_downloads_are_vietnamese_first_with_typed_dates(
    _home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D12: the Export page's plan CSV has a byte-order mark, Vietnamese headings, level names
    from the eras' data (never ``central``) and ISO dates; the XLSX has the same headings and
    real date cells; in English the headings are English."""
    import openpyxl

    from planner.tree.names import level_label
    from planner.ui.province import subset

    seen = _offered(monkeypatch)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["province"] = "p37"
    at.run()
    _wait(at, f"plan:{at.session_state['working'].content_key}")
    db = Store(_home / "planner.sqlite3")
    record = plans.latest(db, at.session_state["working"].content_key)
    assert record is not None and record.has_plan
    stored = plans.plan_frame(db, record.id)
    scenario = at.session_state["working"].scenario()
    assert validate(build_problem(scenario, tree_for(scenario)), stored, complete=True).ok
    part = subset(stored, build_tree("2020"), "p37")
    at.switch_page("planner/ui/pages/export.py").run()
    at.button(key="build_xlsx").click().run()
    assert not at.exception

    data = seen["download_csv"]
    assert data.startswith(b"\xef\xbb\xbf")
    sheet = pd.read_csv(io.StringIO(data.decode("utf-8-sig")), dtype=str, keep_default_na=False)
    heads = ["Loại sự kiện", "Đơn vị", "Mã đơn vị", "Cấp", "Mã cấp trên", "Từ ngày", "Đến ngày"]
    assert list(sheet.columns[: len(heads)]) == heads and len(sheet) == len(part)
    congress = part[part["kind"] == "congress"]
    # a central congress's preparation steps (issue 20) carry its org id too: congress rows only
    rows = sheet[sheet["Loại sự kiện"] == "Đại hội"].set_index("Mã đơn vị")
    rows = rows.loc[list(congress["org_id"])]
    assert list(rows["Cấp"]) == [level_label(lv).vi for lv in congress["level"]]
    assert list(rows["Từ ngày"]) == [s.isoformat() for s in congress["start"]]
    assert not {"central", "district", "grassroots"} & set(sheet["Cấp"])

    book = openpyxl.load_workbook(io.BytesIO(seen["download_xlsx"])).active
    cells = list(book.iter_rows(values_only=True))
    assert list(cells[0][: len(heads)]) == heads and len(cells) == len(part) + 1
    first = next(r for r in book.iter_rows(min_row=2) if r[2].value == "p37")
    start = congress.set_index("org_id").loc["p37", "start"]
    assert first[5].is_date and first[5].value.date() == start
    assert first[3].value == level_label("central").vi

    at.sidebar.radio(key="lang").set_value("en").run()
    english = seen["download_csv"].decode("utf-8-sig").splitlines()[0]
    assert english.startswith("Kind of event,Unit,Unit id,Level,Parent id,From,To")
