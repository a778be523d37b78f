"""The views a planner works with, through AppTest: search and the unit page, the province
filter, the month calendar, the comparison, the printable plan, the cycles, and a Vietnamese
page that shows no English word or raw code of the catalogue."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from planner.plan.frame import neutralise
from planner.store import plans
from planner.store.db import Store
from planner.tree.build import build_tree
from planner.tree.hierarchy import Level
from planner.tree.names import congress_label, level_label, level_short
from planner.ui.compare import differences
from planner.ui.search import Index

from .apptest import app, page, solved
from .language import english_left

ALL_PAGES = (
    "plan", "month", "unit", "compare", "constraints", "feasibility", "election", "export",
    "history", "progress",
)  # fmt: skip


def _plan(at: AppTest, home: Path) -> pd.DataFrame:
    record = plans.latest(Store(home / "planner.sqlite3"), at.session_state["working"].content_key)
    assert record is not None and record.has_plan
    return plans.plan_frame(Store(home / "planner.sqlite3"), record.id)


def _texts(at: AppTest) -> list[str]:
    """Everything a person reads on the page (code blocks aside: `--set` syntax is code)."""
    out: list[str] = []
    kinds = ("title", "header", "subheader", "markdown", "caption", "success", "info", "warning")
    for kind in (*kinds, "error", "button", "text_input", "number_input", "date_input"):
        for element in at.get(kind):
            out.append(str(getattr(element, "label", "") or ""))
            value = getattr(element, "value", "")
            if isinstance(value, str):
                out.append(value)
    for element in at.get("metric"):
        out += [element.label, str(element.value)]
    for kind in ("selectbox", "radio"):
        for element in at.get(kind):
            out += [element.label, *element.options]
    for element in at.get("dataframe") + at.get("table"):
        if getattr(element.proto, "editing_mode", 0):  # an editor: its headings are labels
            continue
        frame = element.value
        out += [str(c) for c in frame.columns]
        out += [str(v) for v in frame.astype(str).to_numpy().ravel()]
    for element in at.get("html"):
        body = str(element.proto.body)
        if "<script" not in body:
            out.append(re.sub(r"<[^>]+>", " ", body))
    for element in at.get("page_link"):
        out.append(element.proto.label)
    return out


def _english_left(texts: list[str]) -> list[str]:
    """The catalogue's English words and the raw codes found on a Vietnamese page."""
    return [word for text in texts for word in english_left(text)]


# search --------------------------------------------------------------------------------------


def test_search_finds_a_unit_with_or_without_diacritics_or_by_id() -> None:
    """ "ninh binh", "Ninh Bình" and "NINH BINH" find the province first; "p37" finds p37; in
    the 2025 tree the same search finds the new province."""
    tree = build_tree("2020")
    index = Index(tree)
    for query in ("ninh binh", "Ninh Bình", "NINH  BINH"):
        found = index.find(query)
        assert found[0] == "p37", found
        assert all("ninh binh" in tree.get(o).name_vi.lower().replace("ì", "i") for o in found[:3])
    assert index.find("p37")[0] == "p37"
    assert index.find("zzzz không có") == []
    district = next(o for o in tree.children("p37") if "Hoa Lư" in o.name_vi)
    assert district.org_id in index.find("hoa lu")
    new = build_tree("2025")
    assert new.get(Index(new).find("ninh binh")[0]).level == Level.CENTRAL


def test_unit_page_shows_congress_parent_children_rules_and_feed(_home: Path) -> None:
    """A unit opened by link: its congress dates from the plan on screen, its parent and
    children as links, the rules that apply (binding ones said so) with their sources, and
    the name of its feed; the sidebar search lists it."""
    at = solved(app().run())
    plan = _plan(at, _home)
    row = plan[plan["org_id"] == "p37"].iloc[0]
    at.session_state["unit"] = "p37"  # as a link to the unit's page leaves it
    page(at, "unit")
    assert at.header[0].value == "Đảng bộ tỉnh Ninh Bình"
    assert "Ngày họp (kế hoạch)" in [c.value for c in at.caption]
    dates = f"**{row['start']:%d/%m/%Y} – {row['end']:%d/%m/%Y}**"
    assert dates in [m.value for m in at.markdown]
    rules = at.table[0].value
    assert "Khung thời gian theo cấp" in set(rules["Họ ràng buộc"])
    assert any("Chỉ thị 35-CT/TW" in s for s in rules["Nguồn"])
    assert set(rules["Đang ràng buộc"]) <= {"có", "không"}
    links = [p.proto.label for p in at.get("page_link")]
    assert any(label.startswith("Cấp trên: Đảng Cộng sản Việt Nam") for label in links)
    assert sum("· d" in label for label in links) >= 5  # its district-level committees
    assert any("central-p37.ics" in m.value for m in at.markdown)
    at.sidebar.text_input(key="search_q").input("ninh binh").run()
    found = [p.proto for p in at.sidebar.get("page_link") if " · " in p.proto.label]  # not pages
    assert found and found[0].label == "Đảng bộ tỉnh Ninh Bình · p37"
    assert "unit=p37" in found[0].query_string


# province filter and month -------------------------------------------------------------------


def test_province_filter_limits_the_plan_page_and_export(_home: Path) -> None:
    """With Ninh Bình chosen (in the URL), the charts' tables, the Gantt chart and the export
    cover Ninh Bình only; the choice stays in the URL."""
    at = solved(app(province="p37").run())
    plan = _plan(at, _home)
    tree = build_tree("2020")
    ninh_binh = {o.org_id for o in tree.subtree("p37")}
    assert any("Đảng bộ tỉnh Ninh Bình" in h.value for h in at.header)
    gantt = at.table[-1].value
    assert set(gantt["Mã đơn vị"]) <= ninh_binh and len(gantt) == 30
    assert dict(at.query_params).get("province") == "p37"
    page(at, "export")
    count = int(((plan["kind"] == "congress") & plan["org_id"].isin(ninh_binh)).sum())
    national = "đại hội và Đại hội đại biểu toàn quốc"  # D18: the National Congress named
    assert any(c.value.startswith(f"{count:,} {national}".replace(",", ".")) for c in at.caption)
    scope = at.selectbox(key="ical_scope_2020_p37_vi")
    assert scope.value == "org:p37" and not any("org:p01" in o for o in scope.options)


def test_export_offers_a_feed_per_reviewing_body(_home: Path) -> None:
    """Issue 20.3: nationwide, the Export page offers the review calendar of each reviewing body
    that reviews in the plan (the whole Politburo's lists its groups' reviews too), by its name;
    built, the Politburo's feed holds one event per review of the plan."""
    import zipfile

    import icalendar

    from planner.store import feeds
    from planner.store.recovery import DEFAULT_DOCUMENT
    from planner.ui import jobs

    at = solved(app().run())
    plan = _plan(at, _home)
    reviews = plan[plan["kind"] == "review"]
    reviewing = set(reviews["body"])
    assert "politburo" in reviewing and {"group-1", "group-2", "group-3"} <= reviewing
    page(at, "export")
    scope = at.selectbox(key="ical_scope_2020_all_vi")
    offered = {o for o in scope.options if "duyệt" in o}
    assert len(offered) == len(reviewing)  # one per body, named, not a raw id
    assert any(o.startswith("Bộ Chính trị — lịch duyệt") for o in offered)
    assert not any("body:" in o for o in scope.options)
    scope.set_value("body:politburo").run()
    at.button(key="build_ical").click().run()
    record = plans.latest(Store(_home / "planner.sqlite3"), at.session_state["working"].content_key)
    assert record is not None
    job = jobs.pool().find(f"export:{DEFAULT_DOCUMENT}:{record.id}:body:politburo")
    assert job is not None and jobs.pool().wait(job, 180) and job.state == "done", job.error
    at.run()
    assert any(b.proto.label.startswith("Lịch iCal") for b in at.get("download_button"))
    done = feeds.last_export(Store(_home / "planner.sqlite3"), DEFAULT_DOCUMENT, "body:politburo")
    assert done is not None
    with zipfile.ZipFile(_home / done.archive) as archive:
        names = [n for n in archive.namelist() if n.endswith(".ics")]
        assert names == ["body-politburo.ics"]
        feed = icalendar.Calendar.from_ical(archive.read(names[0]))
    assert len(list(feed.walk("VEVENT"))) == len(reviews)


def test_month_calendar_counts_each_day_and_drills_down(_home: Path) -> None:
    """The month opens on the busiest month; each day's count is the congresses in session
    that day; choosing a day lists exactly them."""
    at = solved(app().run())
    plan = _plan(at, _home)
    congress = plan[plan["kind"] == "congress"]
    page(at, "month")
    chosen = at.selectbox(key="month_xiii-2020_all_vi").value
    assert chosen == dt.date(2020, 5, 1)
    day = at.selectbox(key="month_day_xiii-2020_all_2020-05-01_vi")
    picked = day.value
    expected = congress[(congress["start"] <= picked) & (congress["end"] >= picked)]
    assert len(at.dataframe[0].value) == len(expected)
    calendar = next(str(h.proto.body) for h in at.get("html") if 'class="cal"' in h.proto.body)
    assert f">{len(expected)}<" in calendar.replace(".", "")
    other = dt.date(2020, 5, 20)
    day.set_value(other).run()
    expected = congress[(congress["start"] <= other) & (congress["end"] >= other)]
    assert set(at.dataframe[0].value["Mã đơn vị"]) == set(expected["org_id"])


# comparison ---------------------------------------------------------------------------------


def test_compare_two_versions(_home: Path) -> None:
    """After a change of the central window, comparing v1 with v2 lists every congress whose
    dates differ (old → new, days), the counts per level, the changed key, and a CSV."""
    at = solved(app().run())
    first = _plan(at, _home)
    page(at, "constraints")
    suffix = at.session_state["working"].content_key[:10]
    at.date_input(key=f"form_central_start_{suffix}").set_value(dt.date(2020, 9, 10)).run()
    at.button(key="apply_central").click().run()
    assert at.session_state["working"].version == 2
    page(at, "compare")
    assert at.selectbox(key="cmp_version_A_xiii-2020").value == 1
    at.button(key="cmp_solve_B").click().run()
    solved(at)
    second = _plan(at, _home)
    found = differences(first, second)
    assert found, "moving the window's start moves some central-level congress"
    assert any("01/09/2020 – 31/10/2020 → 10/09/2020 – 31/10/2020" in m.value for m in at.markdown)
    table = at.dataframe[0].value
    assert len(table) == len(found)
    assert set(table["Mã đơn vị"]) == {d.org_id for d in found}
    shift = {d.org_id: d.shift for d in found}
    for org_id, moved in zip(table["Mã đơn vị"], table["Dời (ngày)"], strict=True):
        assert moved == f"{shift[org_id]:+d}"
    counts = at.table[0].value
    assert int(counts["Khác nhau"].astype(str).str.replace(".", "").astype(int).sum()) == len(found)
    assert at.get("download_button")


def test_spreadsheet_cells_never_run_as_formulas() -> None:
    """The browser's CSV downloads put an apostrophe before text a spreadsheet would run."""
    from planner.ui.common import csv_bytes

    frame = pd.DataFrame({"a": ["=HYPERLINK(1)", "+1", "-x", "@y", "\tz", "ok"], "b": [1] * 6})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert text.splitlines()[1:6] == ["'=HYPERLINK(1),1", "'+1,1", "'-x,1", "'@y,1", "'\tz,1"]
    assert neutralise("ok") == "ok"


def test_the_xlsx_download_neutralises_formulas_too(default_report: Any) -> None:
    """A plan whose event names start with = or @ (as a user's blackout may) goes into the
    workbook behind an apostrophe, as into the CSV."""
    import openpyxl

    from planner.ui.common import xlsx_bytes

    plan = default_report.plan.copy()
    blackouts = plan.index[plan["kind"] != "congress"][:2]
    plan.loc[blackouts[0], "name_vi"] = '=HYPERLINK("http://x","y")'
    plan.loc[blackouts[1], "name_vi"] = "@SUM(A1)"  # D12: the sheet is in the page's language
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(plan))).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert '\'=HYPERLINK("http://x","y")' in cells and "'@SUM(A1)" in cells
    assert not any(c.startswith(("=", "@")) for c in cells)


# printable plan ------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_printed_plan_for_a_province_and_the_nation(
    default_problem: Any, default_report: Any
) -> None:
    """The PDF is rendered and read back: the title, each level's window with its legal basis,
    the hard constraints, every congress of the province with its dates, the election steps;
    in English on request; nationwide, the central level listed and the rest summarised."""
    from planner.ui.printed import printed_plan

    plan = default_report.plan
    report = default_report.as_dict()
    day = dt.date(2026, 1, 2)
    text = _pdf_text(printed_plan(default_problem, plan, "p37", "vi", report, day))
    flat = " ".join(text.split())
    assert "KẾ HOẠCH ĐẠI HỘI — Đảng bộ tỉnh Ninh Bình" in flat
    assert "Chỉ thị 35-CT/TW" in flat and "Ràng buộc cứng đang áp dụng" in flat
    assert "Cấp dưới trước cấp trên" in flat and "Lập ngày 02/01/2026" in flat
    ninh_binh = {o.org_id for o in default_problem.tree.subtree("p37")}
    rows = plan[(plan["kind"] == "congress") & plan["org_id"].isin(ninh_binh)]
    for org_id, start in zip(rows["org_id"].head(40), rows["start"].head(40), strict=True):
        assert org_id in flat and f"{start:%d/%m/%Y}" in flat
    assert "Nộp hồ sơ ứng cử" in flat
    english = " ".join(
        _pdf_text(printed_plan(default_problem, plan, "p37", "en", report, day)).split()
    )
    assert f"CONGRESS PLAN — {default_problem.tree.get('p37').name_en}" in english
    assert "Windows and their legal basis" in english and "KẾ HOẠCH" not in english
    nation = " ".join(
        _pdf_text(printed_plan(default_problem, plan, None, "vi", report, day)).split()
    )
    assert "Toàn quốc" in nation and "Cấp (tóm tắt)" in nation
    assert "Đảng bộ thành phố Hà Nội" in nation


# language and cycles -------------------------------------------------------------------------


def test_vietnamese_pages_show_no_english_word_or_raw_code_of_the_catalogue(_home: Path) -> None:
    """Every page in Vietnamese, with a plan and a unit open: none of the catalogue's English
    words, no raw code (FEASIBLE, central, None…); numbers with a dot (1.818)."""
    at = solved(app(unit="d369").run())
    assert "1.818 đại hội và Đại hội đại biểu toàn quốc" in at.caption[0].value
    for name in ALL_PAGES:
        page(at, name)
        left = _english_left(_texts(at))
        assert not left, (name, left)
    at.sidebar.radio(key="lang").set_value("en").run()
    page(at, "plan")
    assert "1,818 congresses and the National Congress" in at.caption[0].value


def test_the_2025_cycle_plans_communes_and_never_says_district(_home: Path) -> None:
    """Choosing the 2025–2026 cycle opens its built-in scenario as a document; the plan page
    solves it (validated) and shows commune-level congresses; no page says district, in
    either language."""
    at = app().run()
    at.sidebar.selectbox(key="cycle_choice_vi").set_value("xiv-2025").run()
    assert at.session_state["working"].document == "xiv-2025"
    solved(at)
    assert "2025–2026" in at.caption[0].value
    assert at.metric[0].value in ("Tối ưu", "Hợp lệ")
    levels = set(at.table[0].value["Cấp"])
    assert "Cấp xã (xã, phường, đặc khu và tương đương)" in levels
    plan = _plan(at, _home)
    assert "commune" in set(plan["level"]) and "district" not in set(plan["level"])
    district = [level_label("district"), level_short("district"), congress_label("district")]
    names = {n.lower() for label in district for n in (label.vi, label.en)}
    # the election law's steps keep the law's own words (a core data matter: see the report)
    scenario = at.session_state["working"].scenario()
    books = [scenario.election_law, *scenario.rulesets.values()]
    statute = {text for book in books for r in book for text in (r.name_vi, r.name_en)}
    for lang in ("vi", "en"):
        if lang == "en":
            at.sidebar.radio(key="lang").set_value("en").run()
        for name in ALL_PAGES:
            page(at, name)
            for text in _texts(at):
                if text in statute:
                    continue
                low = text.lower()
                assert not any(n in low for n in names), (lang, name, text)
                assert not re.search(r"(?<!\w)district", low), (lang, name, text)


def test_a_projection_says_so_on_every_page() -> None:
    """The 2030–2031 projection: every page says it is a projection."""
    at = app().run()
    at.sidebar.selectbox(key="cycle_choice_vi").set_value("xv-2030").run()
    for name in ALL_PAGES:
        page(at, name)
        assert any(w.value.startswith("DỰ PHÓNG") for w in at.warning), name


def test_progress_names_its_stage_in_words() -> None:
    """The solver's stage codes (``subtree 24/67``…) reach the page as words."""
    from planner.ui.progress import stage_text

    assert stage_text("subtree 24/67").startswith("đảng bộ 24/67")
    assert stage_text("repair: 12") == "sửa chữa nhanh: dời 12 đại hội"
    assert "OPTIMAL" not in stage_text("stage central: OPTIMAL")
    assert stage_text("something new") == "đang tính"


def test_the_election_page_names_the_law_in_force_and_each_steps_law(_home: Path) -> None:
    """D5: the 2026 election follows Luật 85/2015/QH13 as amended by Luật 83/2025/QH15: the
    page says so at the top, and each step cites its article with its law (a step the
    amendment changed cites the amending law too); the 2021 election cites Law 85 alone."""
    at = page(app().run(), "election")
    law = [m.value for m in at.markdown if "Luật áp dụng" in m.value]
    assert law and "Luật 85/2015/QH13" in law[0] and "83/2025" not in law[0], law
    table = at.table[0].value
    assert set(table["Căn cứ"]) >= {"Điều 5 Luật 85/2015/QH13", "Điều 25 Luật 85/2015/QH13"}
    at.sidebar.selectbox(key="cycle_choice_vi").set_value("xiv-2025").run()
    page(at, "election")
    assert not at.exception
    law = [m.value for m in at.markdown if "Luật áp dụng" in m.value]
    assert law and "Luật 85/2015/QH13, sửa đổi, bổ sung bởi Luật 83/2025/QH15" in law[0], law
    basis = dict(zip(at.table[0].value["Bước"], at.table[0].value["Căn cứ"], strict=True))
    assert basis["Công bố ngày bầu cử"] == "Điều 5 Luật 85/2015/QH13"  # confirmed, unchanged
    amended = "Điều 25 Luật 85/2015/QH13, sửa đổi bởi Luật 83/2025/QH15"
    assert amended in basis.values(), basis
    at.sidebar.radio(key="lang").set_value("en").run()
    law = [m.value for m in at.markdown if "Law in force" in m.value]
    assert law and "Law 85/2015/QH13, as amended by Law 83/2025/QH15" in law[0], law
