"""Who may change what, in a real browser (issue 21, point 4): a server of its own runs with
``PLANNER_AUTH=header`` and a roles file; each browser context sends the user's header as the
trusted proxy would (Playwright's ``extra_http_headers``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.store import scenarios

from .browser import STEP, needs_chromium
from .browser import document as _document
from .browser import go as _go
from .browser import open_page as _open
from .browser import press as _press
from .browser import type_day as _type_day
from .conftest import serve

pytestmark = needs_chromium

ROLES = """schema_version = 1

[[users]]
user = "nb@example.vn"
role = "province_editor"
provinces = [37]

[[users]]
user = "btc@example.vn"
role = "central_editor"
"""
CENTRAL_START = "Đảng bộ trực thuộc Trung ương: từ ngày"
SCOPE = "Bạn chỉ được sửa các đơn vị của tỉnh Ninh Bình (p37)"


@pytest.fixture(scope="module")
def auth_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The signed-in server's PLANNER_HOME, with its roles file beside it."""
    folder = tmp_path_factory.mktemp("planner-auth")
    (folder / "roles.toml").write_text(ROLES, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def auth_server(auth_home: Path) -> Iterator[str]:
    """A server behind a (pretend) proxy: the user is the X-Forwarded-User header."""
    yield from serve(
        auth_home / "home",
        "server-auth.log",
        PLANNER_AUTH="header",
        PLANNER_ROLES=str(auth_home / "roles.toml"),
    )


def _as(browser: Any, user: str | None) -> Any:
    headers = {} if user is None else {"X-Forwarded-User": user}
    return browser.new_context(viewport={"width": 1400, "height": 1000}, extra_http_headers=headers)


def test_province_editor_refused_on_the_central_window(
    browser: Any, auth_server: str, auth_home: Path
) -> None:
    """Issue 21: the editor of Ninh Bình sees their name (not editable) and is refused when
    changing the central window, with the scope; nothing is saved."""
    from playwright.sync_api import expect

    store = _document(auth_home / "home", "roles-nb")
    context = _as(browser, "nb@example.vn")
    try:
        tab = _open(context, auth_server, "roles-nb")
        sidebar = tab.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text("nb@example.vn")).to_be_visible(timeout=STEP)
        expect(sidebar.get_by_role("button", name="Lưu tên")).to_have_count(0)
        _type_day(tab, CENTRAL_START, "10")
        _press(tab, "Áp dụng", SCOPE)
        assert scenarios.head(store, "roles-nb") == 1
    finally:
        context.close()


def test_central_editor_saves_and_history_names_them(
    browser: Any, auth_server: str, auth_home: Path
) -> None:
    """Issue 21: the central editor changes the central window; the version records the
    authenticated user, and the History page shows it."""
    from playwright.sync_api import expect

    store = _document(auth_home / "home", "roles-central")
    context = _as(browser, "btc@example.vn")
    try:
        tab = _open(context, auth_server, "roles-central")
        _type_day(tab, CENTRAL_START, "10")
        _press(tab, "Áp dụng", "Đã lưu phiên bản 2")
        assert scenarios.load(store, "roles-central", 2).author == "btc@example.vn"
        _go(tab, "Lịch sử", "Lịch sử phiên bản")
        main = tab.get_by_test_id("stMain")
        expect(main.get_by_text("v2 ·", exact=False).first).to_contain_text(
            "btc@example.vn", timeout=STEP
        )
    finally:
        context.close()


def test_no_user_header_is_a_viewer_with_a_notice(
    browser: Any, auth_server: str, auth_home: Path
) -> None:
    """Issue 21: without the proxy's header the page is read-only and says so."""
    from playwright.sync_api import expect

    store = _document(auth_home / "home", "roles-none")
    context = _as(browser, None)
    try:
        tab = _open(context, auth_server, "roles-none")
        expect(tab.get_by_text("Chưa đăng nhập", exact=False)).to_be_visible(timeout=STEP)
        _type_day(tab, CENTRAL_START, "10")
        _press(tab, "Áp dụng", "chỉ có quyền xem")
        assert scenarios.head(store, "roles-none") == 1
    finally:
        context.close()
