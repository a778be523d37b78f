"""The browser's history and the order of the first paint, in Chromium (``streamlit run``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .browser import STEP, document, go, needs_chromium, open_page

pytestmark = needs_chromium


def test_one_history_entry_per_page_change(context: Any, server: str, home: Path) -> None:
    """D6: each page change through the sidebar or a link in a page adds exactly one entry to
    the browser's history (it added 4), the URL keeps the view (document, version, budget,
    province), and Back returns to the previous page, then to the one before."""
    from playwright.sync_api import expect

    document(home, "e2e-nav")
    tab = open_page(context, server, "e2e-nav", "plan", budget="1", province="p37")
    tab.wait_for_url(re.compile(r"v=1"), timeout=STEP)
    before = tab.evaluate("history.length")
    go(tab, "Đơn vị", "Đơn vị")
    tab.wait_for_url(re.compile(r"/unit\?.*page=unit"), timeout=STEP)
    assert tab.evaluate("history.length") == before + 1
    go(tab, "Bầu cử", "Bầu cử")
    tab.wait_for_url(re.compile(r"/election\?.*page=election"), timeout=STEP)
    assert tab.evaluate("history.length") == before + 2
    for part in ("scenario=e2e-nav", "v=1", "budget=1", "province=p37"):
        assert part in tab.url, (part, tab.url)
    go(tab, "Đổi ngày bầu cử ở trang Ràng buộc", "Ràng buộc")  # a link in the page
    tab.wait_for_url(re.compile(r"/constraints\?.*page=constraints"), timeout=STEP)
    assert tab.evaluate("history.length") == before + 3
    tab.go_back()
    expect(tab.get_by_role("heading", name="Bầu cử", exact=True)).to_be_visible(timeout=STEP)
    tab.go_back()
    expect(tab.get_by_role("heading", name="Đơn vị", exact=True)).to_be_visible(timeout=STEP)
    assert "/unit?" in tab.url
    tab.go_back()
    expect(tab.get_by_role("heading", name="Kế hoạch đại hội", exact=True)).to_be_visible(
        timeout=STEP
    )
    assert "page=plan" in tab.url
