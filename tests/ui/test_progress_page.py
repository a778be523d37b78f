"""The Progress page through AppTest (issue 21, points 1–2): actuals recorded in the province's
table (counts change, a bad row refused by row and column with nothing saved, a user outside
the province refused with the access message), the Unit page's history of entries, and the
progress report (PDF read back with pypdf, XLSX with openpyxl), every figure checked against a
count made here from the stored plan."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.analysis.progress import progress
from planner.analysis.validate import validate
from planner.plan.actuals import Actual, ActualsError
from planner.store import access, plans, scenarios
from planner.store import actuals as stored
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT, builtin, open_store
from planner.tree.build import build_tree
from planner.ui import actuals_table, jobs
from planner.ui.progress_report import report_pdf, report_xlsx

from ..conftest import REPO
from .language import english_left

APP = str(REPO / "app.py")
PAGES = "planner/ui/pages/"
DAY = dt.date(2020, 7, 20)


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, pd.DataFrame]]:
    """One home with the built-in scenario solved once (the plan is found by content, so every
    test's own document of the same content shows it); the plan is checked by the validator."""
    home = tmp_path_factory.mktemp("progress") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANNER_HOME", str(home))
        at = AppTest.from_file(APP, default_timeout=120).run()
        key = f"plan:{at.session_state['working'].content_key}"
        job = jobs.pool().find(key)
        assert job is not None and jobs.pool().wait(job, 240) and job.state == "done", job
        store = Store(home / "planner.sqlite3")
        record = plans.latest(store, at.session_state["working"].content_key)
        assert record is not None and record.has_plan
        plan = plans.plan_frame(store, record.id)
        from planner.ui.common import loaded

        version = scenarios.load(store, DEFAULT_DOCUMENT)
        _scenario, problem = loaded(version.base_text, version.base_name, version.sets)
        assert validate(problem, plan, complete=True).ok
        yield home, plan
        jobs.shutdown()


@pytest.fixture
def home(solved: tuple[Path, pd.DataFrame], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PLANNER_HOME", str(solved[0]))
    return solved[0]


def _document(home: Path, name: str) -> Store:
    store = open_store(home).store
    text, base = builtin()
    scenarios.create(store, name, text, base, [], "test", "progress test")
    return store


def _page(home: Path, doc: str, page: str = "progress", day: dt.date = DAY) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["scenario"] = doc
    at.query_params["province"] = "p37"
    at.run()
    at.switch_page(PAGES + f"{page}.py").run()
    if page == "progress":
        at.date_input(key="progress_day").set_value(day).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if "Đã xảy ra lỗi" in e.value]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _editor(at: AppTest) -> tuple[str, pd.DataFrame]:
    """The table's key (document, province, language, saves so far) and what it shows."""
    serial = at.session_state.get("actuals_saved", 0)
    key = f"actuals_{at.session_state['working'].document}_p37_vi_{serial}"
    frame = next(d.value for d in at.dataframe if "org_id" in d.value.columns)
    return str(key), frame


def _edit(at: AppTest, key: str, rows: dict[int, dict[str, Any]]) -> None:
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_actuals").click().run()
    assert not at.exception, [e.value for e in at.exception]


def _p37(plan: pd.DataFrame) -> pd.DataFrame:
    """The congresses of Ninh Bình's units, counted here from the plan (not by the page)."""
    tree = build_tree("2020")
    ids = {o.org_id for o in tree.subtree("p37")}
    return plan[(plan["kind"] == "congress") & plan["org_id"].isin(ids)]


def test_recording_a_held_congress_changes_the_counts(home: Path, solved: Any) -> None:
    """Issue 21 point 1: a late congress of Ninh Bình recorded held in the table is saved with
    the user's name, counted held (late one less), and the Unit page lists its entries (who,
    when, what) newest first, a correction included."""
    plan = solved[1]
    store = _document(home, "held")
    at = _page(home, "held")
    congress = _p37(plan)
    before_day = congress[congress["end"] < DAY]
    assert len(before_day) > 1
    figures = _metrics(at)
    assert figures["Kế hoạch đến nay"] == f"{len(before_day):,}".replace(",", ".")
    assert figures["Đã họp"] == "0" and figures["Chậm"] == figures["Kế hoạch đến nay"]
    key, frame = _editor(at)
    target = before_day.sort_values("end").iloc[0]
    row = int(frame.index[frame["org_id"] == target["org_id"]][0])
    start, end = target["start"].isoformat(), target["end"].isoformat()
    _edit(at, key, {row: {"status": "Đã họp", "start": start, "end": end}})
    assert any("Đã lưu 1 kết quả" in s.value for s in at.success), [e.value for e in at.error]
    entries = stored.history(store, "held")
    assert [(e.org_id, e.status, e.start, e.end) for e in entries] == [
        (target["org_id"], "held", target["start"], target["end"])
    ]
    assert entries[0].author == "khách / guest"
    figures = _metrics(at)
    assert figures["Đã họp"] == "1"
    assert int(figures["Chậm"].replace(".", "")) == len(before_day) - 1
    key, frame = _editor(at)  # a correction: postponed after all, a new entry
    _edit(at, key, {row: {"status": "Hoãn", "reason": "dịch COVID-19"}})
    assert [e.status for e in stored.history(store, "held")] == ["held", "postponed"]
    at.session_state["unit"] = at.query_params["unit"] = target["org_id"]
    at.switch_page(PAGES + "unit.py").run()
    shown = next(d.value for d in at.dataframe if "Ghi lúc" in d.value.columns)
    assert list(shown["Kết quả"]) == ["Hoãn", "Đã họp"]
    assert list(shown["Lý do"]) == ["dịch COVID-19", "—"]
    assert set(shown["Người ghi"]) == {"khách / guest"}


def test_a_bad_row_is_refused_by_row_and_column_and_nothing_is_saved(
    home: Path, solved: Any
) -> None:
    """Issue 21 point 1: a held congress without its end date and a postponement without a
    reason are refused with their row numbers and columns, in Vietnamese with the table's words
    (no column or outcome code); nothing is saved and the table keeps what was typed."""
    store = _document(home, "bad")
    at = _page(home, "bad")
    key, _frame = _editor(at)
    edits = {
        1: {"status": "Đã họp", "start": "2020-07-01"},
        3: {"status": "Hoãn", "start": "2020-08-01", "end": "2020-08-02"},
    }
    _edit(at, key, edits)
    message = at.error[0].value
    assert "Dòng 2 (Đến ngày)" in message and "Dòng 4 (Lý do)" in message, message
    assert "Chưa lưu gì" in message
    assert "(Từ ngày và Đến ngày)" in message and not english_left(message), message
    assert stored.history(store, "bad") == []
    assert at.session_state[key]["edited_rows"] == {1: edits[1], 3: edits[3]} or at.session_state[
        key
    ]["edited_rows"] == {str(k): v for k, v in edits.items()}
    assert _metrics(at)["Đã họp"] == "0"


def test_outside_the_province_is_refused_with_the_scope(home: Path, solved: Any) -> None:
    """Issue 21 points 1 and 4: the function the page saves with refuses a Ninh Bình editor's
    outcome for a Hà Nội unit with a message naming the scope, and records nothing; the same
    editor's outcome for a Ninh Bình unit is recorded under their name. Behind a proxy with no
    user header, the page itself refuses as read-only."""
    store = _document(home, "scope")
    tree = build_tree("2020")
    editor = access.Identity("nb", access.PROVINCE_EDITOR, frozenset({37}))
    row = {"org_id": "p01", "kind": "congress", "status": "held", "start": "2020-10-10",
           "end": "2020-10-14", "reason": ""}  # fmt: skip
    with pytest.raises(access.AccessRefused) as refused:
        actuals_table.save(store, "scope", tree, editor, "nb", [(1, row)], "bảng")
    assert "Ninh Bình (p37)" in refused.value.decision.message_vi
    assert stored.history(store, "scope") == []
    mine = {**row, "org_id": "p37"}
    assert actuals_table.save(store, "scope", tree, editor, "nb", [(1, mine)], "bảng") == 1
    assert [(e.org_id, e.author) for e in stored.history(store, "scope")] == [("p37", "nb")]
    with pytest.raises(ActualsError):  # checked before the rights: a bad row is named first
        actuals_table.save(store, "scope", tree, editor, "nb", [(1, {**mine, "end": ""})], "b")


def test_the_page_behind_a_proxy_refuses_a_user_without_rights(
    home: Path, solved: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 21 point 4 on the page: PLANNER_AUTH=header and no user header (AppTest sends
    none) make a viewer; the save is refused with the access message and nothing is saved."""
    roles = tmp_path / "roles.toml"
    roles.write_text(
        '[[users]]\nuser = "nb"\nrole = "province_editor"\nprovinces = [37]\n', encoding="utf-8"
    )
    monkeypatch.setenv("PLANNER_AUTH", "header")
    monkeypatch.setenv("PLANNER_ROLES", str(roles))
    store = _document(home, "proxy")
    at = _page(home, "proxy")
    key, _frame = _editor(at)
    _edit(at, key, {0: {"status": "Hủy"}})
    assert any("chỉ có quyền xem" in e.value for e in at.error), [e.value for e in at.error]
    assert stored.history(store, "proxy") == []


def test_the_report_has_the_figures_of_an_independent_count(home: Path, solved: Any) -> None:
    """Issue 21 point 2: with two Ninh Bình congresses held and one postponed, the report's
    PDF (pypdf) and XLSX (openpyxl: real date cells) give the figures counted here from the
    plan: planned by the day, held, late, what is due in the next 14 days."""
    from openpyxl import load_workbook
    from pypdf import PdfReader

    plan = solved[1]
    store = _document(home, "report")
    congress = _p37(plan).sort_values(["end", "org_id"])
    done = congress[congress["end"] < DAY]
    held = [
        Actual(o, "congress", "held", s, e)
        for o, s, e in zip(done["org_id"][:2], done["start"][:2], done["end"][:2], strict=True)
    ]
    moved = Actual(str(done["org_id"].iloc[2]), "congress", "postponed", DAY + dt.timedelta(3),
                   DAY + dt.timedelta(4), "dịch COVID-19")  # fmt: skip
    stored.record(store, "report", [*held, moved], "test")
    tree = build_tree("2020")
    result = progress(plan, stored.current(store, "report"), DAY, tree)
    province = dict(result.provinces)["p37"]
    due = congress[(congress["start"] >= DAY) & (congress["start"] < DAY + dt.timedelta(14))]
    assert province.planned_by_today == len(done)
    assert province.held == 2 and province.postponed == 1
    assert province.late == len(done) - 3
    assert province.due_14d == len(due) + 1  # the postponed one is due on its new dates
    text = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(result, tree, "x"))).pages
    )
    text = " ".join(text.split())
    every = plan[plan["kind"] == "congress"]
    late_all = int((every["end"] < DAY).sum()) - 3  # nationwide: every province's units
    soon = (every["start"] >= DAY) & (every["start"] < DAY + dt.timedelta(14))
    due_all = int(soon.sum()) + 1
    assert "BÁO CÁO TIẾN ĐỘ ĐẠI HỘI" in text and "20/07/2020" in text
    assert "I. Kết quả đã thực hiện" in text and "III. Nhiệm vụ sắp tới" in text
    assert f"Đơn vị chậm: {late_all} đơn vị." in text
    assert f"(14 ngày) {due_all} đơn vị." in text
    book = load_workbook(io.BytesIO(report_xlsx(result, tree)))
    assert book.sheetnames == ["Đã thực hiện", "Tỉnh", "Chậm", "Sắp tới"]
    late = list(book["Chậm"].iter_rows(min_row=2, values_only=True))
    assert len(late) == late_all
    assert all(isinstance(r[3], dt.datetime) and isinstance(r[4], dt.datetime) for r in late)
    assert book["Chậm"].cell(2, 4).number_format == "DD/MM/YYYY"
    assert set(done["org_id"][3:]) <= {r[1] for r in late}
    assert {r[1] for r in late}.isdisjoint({a.org_id for a in [*held, moved]})
    provinces = {r[1]: r for r in book["Tỉnh"].iter_rows(min_row=2, values_only=True)}
    assert provinces["p37"][2:7] == (len(done), 2, len(done) - 3, 1, len(due) + 1)
    at = _page(home, "report")  # the page gives the same figures and offers both files
    assert _metrics(at)["Đã họp"] == "2"
    assert len(at.get("download_button")) == 2
    curve = next(tb.value for tb in at.table if "Theo kế hoạch (cộng dồn)" in tb.value.columns)
    assert curve["Kế hoạch đến nay"].astype(int).sum() == len(done)  # the chart's data
    assert curve["Đã họp"].astype(int).sum() == 2
    assert curve["Theo kế hoạch (cộng dồn)"].astype(int).sum() == len(congress)
    assert any(c.value.startswith("Đến 20/07/2020: theo kế hoạch") for c in at.caption)
    at.sidebar.radio(key="lang").set_value("en").run()  # the page and its report in English
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Held"] == "2" and "Late" in _metrics(at)
    assert [b.label for b in at.get("download_button")] == [
        "Download the report (PDF)", "Download the report (XLSX)"
    ]  # fmt: skip
    english = " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO(report_pdf(result, tree, "x", "en"))).pages
    )
    assert "CONGRESS PROGRESS REPORT" in english and "III. What comes next" in english
