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


def _type_cell(tab: Any, text: str) -> None:
    """Open the selected text cell's editor, type and commit with Tab (which moves to the next
    column; Enter would move down a row)."""
    from playwright.sync_api import expect

    tab.keyboard.press("Enter")
    field = tab.locator("#portal textarea, #portal input").first
    expect(field).to_be_visible(timeout=STEP)
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
    grid = tab.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    assert box is not None
    tab.mouse.click(box["x"] + 20, box["y"] + 35 + 17)  # the first row's first cell
    for _ in range(5):  # to «Kết quả»
        tab.keyboard.press("ArrowRight")
    option = tab.get_by_role("option", name="Đã họp", exact=True)
    for _ in range(3):  # a key pressed while the grid was still taking focus can be lost
        tab.keyboard.press("Enter")  # the outcome's list opens
        try:
            expect(option).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            tab.keyboard.press("Escape")
            tab.keyboard.press("ArrowRight")
    option.click()
    tab.keyboard.press("ArrowRight")
    _type_cell(tab, "14/10/2020")
    _type_cell(tab, "16/10/2020")
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
