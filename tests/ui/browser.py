"""Helpers for the real-browser tests (Debian's Chromium driven by Playwright against
``streamlit run``): open a page of a scenario document, follow a link, press a button until
its effect shows, type a date or a number, choose in a select box, download a file.

Every wait is on something appearing on the page, never a fixed sleep, so a slow machine
only makes the tests slower. The server, the browser and the per-test context are fixtures in
``tests/ui/conftest.py`` (one server for the whole session).
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from planner.store import scenarios
from planner.store.db import Store
from planner.store.recovery import builtin, open_store

from ..conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "tests" / "artifacts"
SLOW = 240_000  # ms: a solve or a check on a loaded 2-core machine
STEP = 60_000  # ms: a page render or a save

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Chromium not installed: run `apt-get install -y chromium` (.ci/run does it)",
)

HEADINGS = {
    "constraints": "Ràng buộc",
    "plan": "Kế hoạch đại hội",
    "feasibility": "Kiểm tra khả thi",
    "export": "Xuất và in",
    "election": "Bầu cử",
    "month": "Lịch tháng",
    "unit": "Đơn vị",
    "compare": "So sánh kịch bản",
    "history": "Lịch sử phiên bản",
    "progress": "Tiến độ",
}


def document(home: Path, name: str, nationwide: bool = False) -> Store:
    """A scenario document of its own for one test (the built-in scenario, or the nationwide
    one down to every grassroots organisation; version 1)."""
    store = open_store(home).store
    text, base = builtin()
    if nationwide:
        base = "xiii-2020-full.toml"
        text = (REPO / "data" / "scenarios" / base).read_text(encoding="utf-8")
    scenarios.create(store, name, text, base, [], "test", "e2e")
    return store


def open_page(context: Any, server: str, doc: str, page: str = "constraints", **more: str) -> Any:
    """A new tab on one page of a document (the heading and the sidebar shown)."""
    from playwright.sync_api import expect

    tab = context.new_page()
    query = "&".join(f"{k}={v}" for k, v in {"scenario": doc, "page": page, **more}.items())
    tab.goto(f"{server}/?{query}")
    heading = HEADINGS[page]
    expect(tab.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=STEP)
    expect(tab.get_by_text("Phiên bản ", exact=False).first).to_be_visible(timeout=STEP)
    # the browser's id cookie is given by a script on the first render: a second tab opened
    # before it ran would be another browser (a race of the test, not of a person)
    tab.wait_for_function("document.cookie.includes('planner_browser=')", timeout=STEP)
    return tab


def go(tab: Any, link: str, heading: str) -> None:
    """Follow a page link of the navigation and wait for the page's heading."""
    from playwright.sync_api import expect

    tab.get_by_role("link", name=link, exact=True).click()
    expect(tab.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=STEP)


def press(tab: Any, button: str, *signs: str, timeout: int = STEP) -> None:
    """Click until one of the signs shows (a click that lands during a rerun can be lost).

    Signs match case-sensitively, anywhere in an element's text."""
    from playwright.sync_api import expect

    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        target = tab.get_by_role("button", name=button, exact=True)
        if target.count():
            target.first.click()
        for sign in signs:
            try:
                expect(tab.get_by_text(re.compile(re.escape(sign))).first).to_be_visible(
                    timeout=5_000
                )
                return
            except AssertionError:
                continue
    raise AssertionError(f"{button}: none of {signs} appeared")


def type_day(tab: Any, label: str, day: str, month: str | None = None) -> None:
    """Type into a date input's day (and month) fields, then commit the value (the fields are
    named "day, …" by Streamlit, "ngày, …" on a Vietnamese page)."""
    tab.get_by_role("spinbutton", name=re.compile(f"^(day|ngày), {re.escape(label)}$")).click()
    tab.keyboard.type(day)
    if month is not None:
        name = re.compile(f"^(month|tháng), {re.escape(label)}$")
        tab.get_by_role("spinbutton", name=name).click()
        tab.keyboard.type(month)
    tab.keyboard.press("Escape")  # closes the calendar and commits the typed date


def number(tab: Any, label: str, value: str) -> None:
    """Type a number into a number input and leave it."""
    field = tab.get_by_role("spinbutton", name=label, exact=True)
    field.fill(value)
    field.press("Tab")


def choose(tab: Any, label: str, option: str) -> None:
    """Choose an option of a select box by typing part of it (long lists are virtual)."""
    box = tab.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option[:40])
    tab.get_by_role("option", name=option, exact=True).click()


def download(tab: Any, button: str) -> bytes:
    """Press a download button and return the file."""
    from playwright.sync_api import expect

    target = tab.get_by_role("button", name=button, exact=True)
    expect(target).to_be_visible(timeout=SLOW)
    with tab.expect_download(timeout=STEP) as done:
        target.click()
    return Path(done.value.path()).read_bytes()
