"""In Chromium, what a Vietnamese page draws and announces: no "None" painted in a grid's canvas
(D14), no English month name in a date picker's ARIA text (D28), a Saturday election day
flagged as soon as the field is left (D27). Skipped where Chromium is missing."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .browser import STEP, document, needs_chromium, open_page

pytestmark = needs_chromium

# Every string the page paints on a canvas (the data grids draw their cells there, out of
# reach of the DOM's text) is recorded before any script of the page runs.
RECORD_CANVAS_TEXT = """(() => {
  window.__drawn = [];
  const fill = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.__drawn.push(String(text));
    return fill.call(this, text, ...rest);
  };
})()"""


def test_the_levels_grid_never_paints_none(context: Any, server: str, home: Path) -> None:
    """D14: the Constraints page's level table, drawn in the grid's canvas, shows an empty
    capacity as "—", never "None" (nor nan); its other cells are painted as before."""
    from playwright.sync_api import expect

    document(home, "e2e-none")
    context.add_init_script(RECORD_CANVAS_TEXT)
    tab = open_page(context, server, "e2e-none", "constraints")
    grid = tab.locator("[data-testid=stDataFrame]").first
    grid.scroll_into_view_if_needed()
    expect(grid.locator("td", has_text="Toàn quốc")).to_have_count(1, timeout=STEP)
    tab.wait_for_function("(window.__drawn || []).includes('Cơ sở')", timeout=STEP)
    drawn = set(tab.evaluate("() => window.__drawn"))
    assert {"Toàn quốc", "Cơ sở", "—"} <= drawn, sorted(drawn)
    raw = {t for t in drawn if re.fullmatch(r"None|nan|NaN|NaT|null", t.strip())}
    assert not raw, raw


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
ARIA_TEXTS = """() => Array.from(document.querySelectorAll('*')).flatMap((el) =>
  Array.from(el.attributes)
    .filter((a) => a.name.startsWith('aria-') || a.name === 'title')
    .map((a) => a.name + '=' + a.value))"""


def _english_months(tab: Any) -> list[str]:
    texts = tab.evaluate(ARIA_TEXTS)
    return [t for t in texts if re.search(rf"\b({MONTHS})\b", t)]


def test_date_pickers_speak_vietnamese_months(context: Any, server: str, home: Path) -> None:
    """D28: on a Vietnamese page no ARIA attribute names an English month, neither the date
    fields' month ("05 – May") nor the open calendar's days."""
    from playwright.sync_api import expect

    document(home, "e2e-months")
    tab = open_page(context, server, "e2e-months", "constraints")
    month = tab.locator("[role=spinbutton][aria-label='tháng, Ngày bầu cử (Chủ nhật)']")
    expect(month).to_have_attribute("aria-valuetext", "tháng 5", timeout=STEP)
    assert not _english_months(tab)
    tab.get_by_role("button", name="Chọn ngày").nth(2).click()
    expect(tab.get_by_role("dialog")).to_be_visible(timeout=STEP)
    expect(tab.get_by_role("dialog").locator("[aria-label*='tháng 5']").first).to_be_attached(
        timeout=STEP
    )
    assert not _english_months(tab), _english_months(tab)[:5]


def test_a_saturday_is_flagged_as_the_date_is_left(context: Any, server: str, home: Path) -> None:
    """D27: election day typed as 29/05/2021 (a Saturday) is flagged as soon as the date's
    text is left for its calendar button (Tab), without pressing Apply; nothing is saved."""
    from playwright.sync_api import expect

    document(home, "e2e-saturday")
    tab = open_page(context, server, "e2e-saturday", "constraints")
    day = tab.locator("[role=spinbutton][aria-label='ngày, Ngày bầu cử (Chủ nhật)']")
    day.scroll_into_view_if_needed()
    day.click()
    tab.keyboard.type("29052021")  # day, month and year: the focus is on the year
    tab.keyboard.press("Tab")  # to the calendar button, the next stop
    focused = tab.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Chọn ngày", focused
    expect(tab.get_by_text("không phải Chủ nhật").first).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("Không áp dụng")).to_have_count(0)
    expect(tab.get_by_text("Phiên bản 1").first).to_be_visible()
