"""The Progress page in Chromium (issue 21, point 1): a held congress typed into the province's
table and saved is counted held."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from planner.store import actuals as stored

from .browser import SLOW, STEP, document, download, go, needs_chromium, open_page, press

pytestmark = needs_chromium


def _metric(tab: Any, label: str) -> Any:
    return tab.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


_COLUMNS = 12  # more than the table has: enough ArrowLeft presses to reach its first column
_ROWS = 5  # enough ArrowUp presses to reach the first row from wherever a stray key left it


def _open_cell(tab: Any, column: int, editor: Any) -> None:
    """Select the first row's cell in ``column`` (0 = the first) and open its editor.

    Each edit reruns the page, which redraws the grid and can take the keyboard focus away, and
    a key pressed while the grid is still taking focus can be lost; and the grid scrolls
    as the cursor moves: so every attempt clicks the first row afresh, walks to its first
    column and row and then right, and a failed attempt is retried."""
    from playwright.sync_api import expect

    for _ in range(6):
        box = tab.get_by_test_id("stDataFrame").first.bounding_box()
        assert box is not None
        # below the 35-pixel header, in a read-only column (the editable ones are on the right)
        tab.mouse.click(box["x"] + 20, box["y"] + 35 + 17)
        for _ in range(_COLUMNS):
            tab.keyboard.press("ArrowLeft")
        for _ in range(_ROWS):  # a late Enter may have moved the cursor down a row
            tab.keyboard.press("ArrowUp")
        for _ in range(column):
            tab.keyboard.press("ArrowRight")
        tab.keyboard.press("Enter")
        try:
            expect(editor).to_be_visible(timeout=10_000)
            return
        except AssertionError:
            tab.keyboard.press("Escape")
    raise AssertionError(f"column {column}: the cell's editor did not open")


def _type_cell(tab: Any, column: int, text: str) -> None:
    """Type into the first row's text cell in ``column`` and commit with Tab."""
    from playwright.sync_api import expect

    field = tab.locator("#portal textarea, #portal input").first
    _open_cell(tab, column, field)
    field.fill(text)
    tab.keyboard.press("Tab")
    expect(field).to_have_count(0, timeout=STEP)


def test_recording_a_held_congress_in_the_table(context: Any, server: str, home: Path) -> None:
    """Issue 21 point 1: on the Progress page of Ninh Bình, the province's own congress (the
    table's first row) marked held on 14–16/10/2020 and saved is stored with its dates and
    counted: "Đã họp" goes from 0 to 1 and "Chậm" one down; the report's PDF, made when the
    button is pressed, is the province's, on today's date."""
    from playwright.sync_api import expect

    store = document(home, "e2e-progress")
    tab = open_page(context, server, "e2e-progress", "plan", province="p37")
    expect(tab.get_by_text("Mục tiêu", exact=True)).to_be_visible(timeout=SLOW)
    go(tab, "Tiến độ", "Tiến độ")
    expect(_metric(tab, "Đã họp")).to_have_text("0", timeout=STEP)
    late = int(_metric(tab, "Chậm").inner_text().replace(".", ""))
    expect(tab.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=STEP)  # drawn
    option = tab.get_by_role("option", name="Đã họp", exact=True)
    _open_cell(tab, 5, option)  # «Kết quả»: its list of outcomes
    option.click()
    _type_cell(tab, 6, "14/10/2020")
    _type_cell(tab, 7, "16/10/2020")
    press(tab, "Lưu kết quả", "Đã lưu 1 kết quả")
    expect(_metric(tab, "Đã họp")).to_have_text("1", timeout=STEP)
    expect(_metric(tab, "Chậm")).to_have_text(f"{late - 1:,}".replace(",", "."), timeout=STEP)
    entries = stored.history(store, "e2e-progress")
    assert [(e.org_id, e.status, str(e.start), str(e.end)) for e in entries] == [
        ("p37", "held", "2020-10-14", "2020-10-16")
    ]
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(download(tab, "Tải báo cáo (PDF)")))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "BÁO CÁO TIẾN ĐỘ ĐẠI HỘI — Đảng bộ tỉnh Ninh Bình" in text
    assert f"Đơn vị chậm: {late - 1} đơn vị." in text
