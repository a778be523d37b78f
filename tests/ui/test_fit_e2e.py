"""Nothing a planner needs is cut off at 1280 px (issue 19: D4, D16, D22), in Chromium: the
Unit page's headline dates, the election timetable's window dates, the sidebar's search
results (with the province of each unit) and the cycle box show their whole text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import ARTIFACTS, SLOW, STEP, document, go, needs_chromium, open_page

pytestmark = needs_chromium

# Every element (or text box) that shows less than its text: wider content than box, in an
# element that does not scroll; hidden helpers one pixel wide are left out, and so are the
# canvas grids of st.dataframe (they scroll on their own) and the elements around them.
CUT = """(root) => {
  const out = [];
  const grid = '[data-testid=stDataFrame]';
  for (const e of document.querySelectorAll(root + ' *')) {
    const text = (e.tagName === 'INPUT' ? e.value : e.innerText || '').trim();
    if (!text || e.clientWidth < 8) continue;
    if (['auto', 'scroll'].includes(getComputedStyle(e).overflowX)) continue;
    if (e.closest(grid + ', pre, code') || e.querySelector(grid)) continue;
    if (e.scrollWidth > e.clientWidth + 1) out.push([e.tagName, text.slice(0, 80)]);
  }
  return out;
}"""
SIDEBAR = "[data-testid=stSidebar]"
MAIN = "[data-testid=stMain]"


@pytest.fixture
def narrow(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A browser profile with a 1280 px wide window (a screenshot if the test fails)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for k, page in enumerate(ctx.pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{k}.png"), full_page=True)
    ctx.close()


def _search(tab: Any, query: str) -> Any:
    from playwright.sync_api import expect

    tab.get_by_role("textbox", name="Tìm đơn vị (tên hoặc mã)").fill(query)
    tab.keyboard.press("Enter")
    sidebar = tab.get_by_test_id("stSidebarUserContent")
    # a search result (" · id"), not one of the sidebar's page links
    expect(sidebar.get_by_role("link", name=re.compile(" · ")).first).to_be_visible(timeout=STEP)
    return sidebar


def test_nothing_is_cut_off_at_1280_px(narrow: Any, server: str, home: Path) -> None:
    """D4, D16, D22: at 1280 px, the sidebar (cycle box, search results) and the Unit page of
    Ninh Bình (its plan dates, window, real dates) and the Election page (the timetable's
    dates) show every text whole; same-name communes carry their province."""
    from playwright.sync_api import expect

    document(home, "e2e-fit")
    tab = open_page(narrow, server, "e2e-fit", "plan")
    expect(tab.get_by_text("Mục tiêu", exact=True)).to_be_visible(timeout=SLOW)
    sidebar = _search(tab, "xa ninh binh")
    expect(
        sidebar.get_by_role("link", name=re.compile(r"^Đảng bộ xã Ninh Bình · tỉnh "))
    ).to_be_visible(timeout=STEP)
    assert tab.evaluate(CUT, SIDEBAR) == []
    sidebar = _search(tab, "khoi cac co quan")  # long names: they wrap
    agencies = "Đảng bộ Khối các cơ quan Hà Nội · thành phố Hà Nội · p01-agencies"
    expect(sidebar.get_by_role("link", name=agencies)).to_be_visible(timeout=STEP)
    assert tab.evaluate(CUT, SIDEBAR) == []
    sidebar = _search(tab, "ninh binh")
    sidebar.get_by_role("link", name="Đảng bộ tỉnh Ninh Bình · p37").click()
    heading = tab.get_by_role("heading", name="Đảng bộ tỉnh Ninh Bình", exact=True)
    expect(heading).to_be_visible(timeout=STEP)
    main = tab.get_by_test_id("stMain")
    expect(main.get_by_text("central-p37.ics")).to_be_visible(timeout=STEP)  # the page's end
    expect(main.get_by_text("20/10/2020 – 22/10/2020", exact=True)).to_be_visible()
    expect(main.get_by_text("01/09/2020 – 31/10/2020", exact=True)).to_be_visible()
    assert tab.evaluate(CUT, MAIN) == []
    assert tab.evaluate(CUT, SIDEBAR) == []
    go(tab, "Bầu cử", "Bầu cử")
    date = re.compile(r"^\d\d\/\d\d\/\d{4}$")  # "/" escaped for the selector
    expect(main.get_by_role("cell", name=date).first).to_be_visible(timeout=STEP)
    tree = main.get_by_role("heading", name="Cây tổ chức đảng")  # the page's last section
    expect(tree).to_be_visible(timeout=STEP)
    expect(main.get_by_test_id("stDataFrame").last).to_be_visible(timeout=STEP)
    assert tab.evaluate(CUT, MAIN) == []
