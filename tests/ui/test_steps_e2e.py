"""The preparation steps in a real browser (Debian's Chromium through Playwright): the Plan
page's steps hidden and shown again by their switch, and the Month calendar's step marks
visible in their cells, in a colour apart from the congress counts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .browser import SLOW, STEP, choose, document, go, needs_chromium, open_page

pytestmark = needs_chromium


def test_steps_switch_and_calendar_marks(context: Any, server: str, home: Path) -> None:
    """The Plan page counts the steps and lists them with the review load; the switch hides
    both and brings them back; in September 2020 the calendar marks reviews with ◆ in their
    own colour."""
    from playwright.sync_api import expect

    document(home, "e2e-steps")
    tab = open_page(context, server, "e2e-steps", "plan")
    main = tab.get_by_test_id("stMainBlockContainer")
    heading = main.get_by_role("heading", name="Các bước chuẩn bị", exact=True)
    expect(heading).to_be_visible(timeout=SLOW)
    expect(main.get_by_text(re.compile(r"^268 bước chuẩn bị — "))).to_be_visible()
    steps = main.get_by_role("heading", name="Số cuộc duyệt mỗi tuần so với sức duyệt")
    expect(steps).to_be_visible()
    tables = main.get_by_test_id("stDataFrame")
    expect(tables.nth(1)).to_be_visible(timeout=STEP)  # the steps and the review load
    shown = tables.count()
    switch = main.get_by_text("Hiện các bước chuẩn bị", exact=True)
    switch.click()
    expect(steps).to_have_count(0, timeout=STEP)
    expect(tables).to_have_count(shown - 2)  # the steps and the review load
    switch.click()
    expect(steps).to_be_visible(timeout=STEP)
    go(tab, "Lịch tháng", "Lịch tháng")
    choose(tab, "Tháng", "tháng 9/2020")
    calendar = tab.locator("table.cal")
    expect(calendar.locator("caption")).to_have_text(re.compile("tháng 9/2020$"), timeout=STEP)
    marks = calendar.locator(".s", has_text=re.compile("^◆ Cấp trên duyệt văn kiện, nhân sự: "))
    expect(marks.first).to_be_visible()
    colours = tab.evaluate(
        """() => ['.s', '.n'].map(c => getComputedStyle(document.querySelector(
             'table.cal ' + c)).color)"""
    )
    assert colours[0] != colours[1], colours
