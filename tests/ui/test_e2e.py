"""End to end in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

Each test works on its own scenario document (created in the server's store beforehand), so
the tests do not depend on each other's order; the server, the browser and the helpers are
shared (``tests/ui/conftest.py``, ``tests/ui/browser.py``). The server's log and screenshots
of failures go under the ignored ``tests/artifacts/``. Skipped, with the install command,
where Chromium is missing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from planner.store import scenarios
from planner.store.recovery import builtin

from .browser import ARTIFACTS, SLOW, STEP, needs_chromium
from .browser import document as _document
from .browser import download as _download
from .browser import go as _go
from .browser import number as _number
from .browser import open_page as _open
from .browser import press as _press
from .browser import type_day as _type_day
from .ics import sequences

pytestmark = needs_chromium


def test_language_and_election_day_follow_the_user(context: Any, server: str, home: Path) -> None:
    """English chosen on one page stays on the others and after a reload; election day set to
    30/05/2021 (a Saturday first refused at once) is what the Election page and the captions
    show."""
    from playwright.sync_api import expect

    _document(home, "e2e-election")
    tab = _open(context, server, "e2e-election", "plan")
    tab.get_by_text("English", exact=True).click()
    expect(tab.get_by_role("heading", name="Congress plan")).to_be_visible(timeout=STEP)
    _go(tab, "Constraints", "Constraints")
    assert "lang=en" in tab.url and "scenario=e2e-election" in tab.url
    _type_day(tab, "Election day (a Sunday)", "29", "05")
    expect(tab.get_by_text("is not a Sunday").first).to_be_visible(timeout=STEP)
    _press(tab, "Apply", "Not applied")
    _type_day(tab, "Election day (a Sunday)", "30")
    expect(tab.get_by_text("Not applied")).to_have_count(0, timeout=STEP)  # nothing stale
    expect(tab.get_by_text("is not a Sunday")).to_have_count(0, timeout=STEP)
    _press(tab, "Apply", "Saved version 2")
    _go(tab, "Election", "Election")
    expect(tab.get_by_text("30/05/2021").first).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("23/05/2021")).to_have_count(0)
    _go(tab, "Plan", "Congress plan")
    expect(tab.get_by_text(re.compile("the 30/5/2021 election"))).to_be_visible(timeout=STEP)
    tab.reload()
    expect(tab.get_by_role("heading", name="Congress plan")).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("Version 2").first).to_be_visible(timeout=STEP)


def test_two_tabs_never_lose_each_others_change(context: Any, server: str, home: Path) -> None:
    """Tab B was opened before tab A saved; B's change is not saved over A's: B is told, and
    merging keeps both. The display name is asked once and labels the history."""
    from playwright.sync_api import expect

    store = _document(home, "e2e-tabs")
    a = _open(context, server, "e2e-tabs")
    b = _open(context, server, "e2e-tabs")
    a.get_by_label("Tên của bạn (ghi vào lịch sử)").fill("An")
    _press(a, "Lưu tên", "Bạn: An")
    _number(a, "Đảng bộ trực thuộc Trung ương: tối đa đại hội mỗi ngày", "4")
    _press(a, "Áp dụng", "Đã lưu phiên bản 2")
    _number(b, "Cấp dưới xong trước cấp trên (ngày)", "2")
    _press(b, "Áp dụng", "chưa được lưu")
    cap = "Tối đa đại hội mỗi ngày, toàn quốc (Đảng bộ trực thuộc Trung ương)"  # D3: label, who
    expect(b.get_by_text(f"Họ đã đổi: {cap}: 8 → 4 (An)").first).to_be_visible(timeout=STEP)
    assert scenarios.head(store, "e2e-tabs") == 2  # nothing was overwritten
    _press(b, "Gộp cả hai", "Đã lưu phiên bản 3")
    version = scenarios.load(store, "e2e-tabs")
    assert set(version.sets) == {
        "levels.central.daily_capacity=4",
        "gaps.child_before_parent_days=2",
    }
    assert [h.author for h in scenarios.history(store, "e2e-tabs")][1] == "An"
    _go(b, "Lịch sử", "Lịch sử phiên bản")  # D24: entries in the third person, by label
    gap = "Cấp dưới xong trước cấp trên (ngày): 7 → 2"
    expect(b.get_by_text(f"gộp thay đổi của mình với v2: {gap}")).to_be_visible(timeout=STEP)
    expect(b.get_by_text(f"An đổi: {cap}: 8 → 4")).to_be_visible()
    c = _open(context, server, "e2e-tabs")  # the same browser: the name is not asked again
    expect(c.get_by_text("Bạn: An")).to_be_visible(timeout=STEP)


def test_refresh_during_a_solve_shows_it_again(context: Any, server: str, home: Path) -> None:
    """A nationwide solve (53,334 congresses), then a reload: its progress, the budget and the
    cancel button are back; cancelling ends it, and the page says so."""
    from playwright.sync_api import expect

    _document(home, "e2e-refresh", nationwide=True)
    tab = _open(context, server, "e2e-refresh", "plan", budget="120")
    expect(tab.get_by_text("53.333 đại hội và").first).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("Đang lập kế hoạch").first).to_be_visible(timeout=SLOW)
    tab.reload()
    expect(tab.get_by_text(re.compile("Đang lập kế hoạch|Đang chờ")).first).to_be_visible(
        timeout=STEP
    )
    budget = tab.get_by_role("spinbutton", name="Giới hạn tính toán (giây)", exact=True)
    assert budget.input_value() == "120"
    _press(tab, "Dừng", "Đang dừng", "Đã dừng", "Trạng thái")
    expect(tab.get_by_text(re.compile("Đã dừng|Trạng thái")).first).to_be_visible(timeout=SLOW)
    expect(tab.get_by_text("Đang lập kế hoạch")).to_have_count(0)


def test_upload_replaces_changes_only_after_confirmation(
    context: Any, server: str, home: Path, tmp_path: Path
) -> None:
    """An upload over a changed scenario asks first; the sidebar and the list follow at once;
    after a reset the same file is asked about again instead of being ignored."""
    from playwright.sync_api import expect

    _document(home, "e2e-upload")
    tab = _open(context, server, "e2e-upload")
    _number(tab, "Đảng bộ trực thuộc Trung ương: tối đa đại hội mỗi ngày", "4")
    _press(tab, "Áp dụng", "Đã lưu phiên bản 2")
    text, _name = builtin()
    upload = tmp_path / "mine.toml"
    upload.write_text(text.replace("daily_capacity = 8", "daily_capacity = 7"), encoding="utf-8")
    tab.locator("input[type=file]").set_input_files(str(upload))
    expect(tab.get_by_text("mine.toml hợp lệ")).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("toàn quốc (Đảng bộ trực thuộc Trung ương): 8 → 4")).to_be_visible()
    _press(tab, "Thay thế", "Đã lưu phiên bản 3")
    expect(tab.get_by_text("Phiên bản 3 · 0 thay đổi")).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("(không có)")).to_be_visible()
    _press(tab, "Về kịch bản gốc", "Đã lưu phiên bản 4")
    tab.locator("input[type=file]").set_input_files(str(upload))
    expect(tab.get_by_text("mine.toml hợp lệ")).to_be_visible(timeout=STEP)
    _press(tab, "Hủy", "Đã hủy tải lên")


def test_export_remembers_and_sequence_rises(context: Any, server: str, home: Path) -> None:
    """Export the plan's feeds; move the central window, re-plan (the offer survives a reload),
    export again: the moved congresses have SEQUENCE 1, so subscribed calendars update."""
    from playwright.sync_api import expect

    _document(home, "e2e-export")
    tab = _open(context, server, "e2e-export", "plan")
    expect(tab.get_by_text("Trạng thái").first).to_be_visible(timeout=SLOW)

    def export() -> dict[str, int]:
        _go(tab, "Xuất và in", "Xuất và in")
        _press(tab, "Tạo lịch iCal", "Đang tạo lịch", "Đang chờ", "Lịch iCal (")
        button = tab.get_by_role("button", name=re.compile(r"Lịch iCal \("))
        expect(button).to_be_visible(timeout=SLOW)
        with tab.expect_download(timeout=STEP) as download:
            button.click()
        return sequences(Path(download.value.path()).read_bytes())

    first = export()
    assert first and set(first.values()) == {0}
    _go(tab, "Ràng buộc", "Ràng buộc")
    _type_day(tab, "Đảng bộ trực thuộc Trung ương: từ ngày", "10")
    _press(tab, "Áp dụng", "Đã lưu phiên bản 2")
    _go(tab, "Kế hoạch", "Kế hoạch đại hội")
    expect(tab.get_by_role("button", name="Lập lại, dời ít nhất")).to_be_visible(timeout=STEP)
    tab.reload()
    _press(tab, "Lập lại, dời ít nhất", "Đang lập kế hoạch", "Đang chờ", "Đại hội phải dời")
    expect(tab.get_by_text("Đại hội phải dời", exact=True)).to_be_visible(timeout=SLOW)
    moved = tab.get_by_test_id("stMetric").filter(has_text="Đại hội phải dời")
    count = int(moved.get_by_test_id("stMetricValue").inner_text().replace(".", ""))
    moves = _download(tab, "Tải danh sách đại hội phải dời (CSV)").decode("utf-8-sig")
    assert count > 0 and len(moves.strip().splitlines()) == count + 1  # a header, then each
    second = export()
    raised = {uid for uid, sequence in second.items() if sequence == 1}
    assert raised and raised <= set(first)
    expect(tab.get_by_text(re.compile(r"dời [1-9]")).first).to_be_visible()


def test_feasibility_needs_and_applies_a_pair(context: Any, server: str, home: Path) -> None:
    """Central window 15/09–20/10/2020 with capacity 1: the page says no single change is
    enough and offers a verified pair; one click applies both."""
    from playwright.sync_api import expect

    store = _document(home, "e2e-check")
    tab = _open(context, server, "e2e-check")
    _type_day(tab, "Đảng bộ trực thuộc Trung ương: từ ngày", "15")
    _type_day(tab, "Đảng bộ trực thuộc Trung ương: hạn chót", "20")
    _number(tab, "Đảng bộ trực thuộc Trung ương: tối đa đại hội mỗi ngày", "1")
    _press(tab, "Áp dụng", "Đã lưu phiên bản 2")
    _go(tab, "Kiểm tra", "Kiểm tra khả thi")
    _press(tab, "Kiểm tra", "Đang kiểm tra", "Đang chờ", "Cách gỡ")
    expect(tab.get_by_role("heading", name="Cách gỡ")).to_be_visible(timeout=SLOW)
    expect(tab.get_by_text("Không khả thi").first).to_be_visible()
    expect(tab.get_by_text("Không thay đổi đơn lẻ nào đủ")).to_be_visible()
    pair = tab.get_by_text(re.compile("^✓ Cả hai cùng lúc"))
    expect(pair.first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "feasibility.png"))
    _press(tab, "Áp dụng", "Đã lưu phiên bản 3")
    keys = {s.split("=")[0] for s in scenarios.load(store, "e2e-check").sets}
    assert {"levels.central.daily_capacity", "levels.central.window"} <= keys
