"""Changes as a planner reads them (issue 19): "keep mine" between two sessions keeps the other
user's changes (D2), every change is shown by its label with old → new and who made it (D3,
D11, D24), History speaks in the third person, and a restore says what it undid (D23)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from planner.store import scenarios
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT

from .apptest import APP, PAGES

CAP_VI = "Tối đa đại hội mỗi ngày, toàn quốc (Đảng bộ trực thuộc Trung ương)"
CAP_EN = "Most a day, nationwide (Directly under the Central Committee)"
GAP_VI = "Cấp dưới xong trước cấp trên (ngày)"
AN, BINH = "Nguyễn Văn An", "Trần Thị Bình"


def _session(name: str, page: str = "constraints") -> AppTest:
    """A tab opened on a page, by a user with a display name."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["page"] = page
    at.session_state["author"] = name
    return at.run()


def _texts(at: AppTest) -> str:
    parts = [e.value for kind in ("success", "info", "warning", "error") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def _markdown(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def _suffix(at: AppTest) -> str:
    return str(at.session_state["working"].content_key[:10])


def _set_central(at: AppTest, cap: int, gap: int | None = None) -> None:
    at.number_input(key=f"form_central_cap_{_suffix(at)}").set_value(cap).run()
    if gap is not None:
        at.number_input(key=f"form_gap_{_suffix(at)}").set_value(gap).run()
    at.button(key="apply_central").click().run()


def _conflict(home: Path) -> tuple[AppTest, AppTest]:
    """The issue's example: A sets the capacity to 4 and the gap to 3 (v2); B, from v1, sets
    the capacity to 5 and meets the conflict."""
    a, b = _session(AN), _session(BINH)
    assert not a.exception and a.title[0].value == "Ràng buộc"
    _set_central(a, 4, 3)
    assert scenarios.head(Store(home / "planner.sqlite3"), DEFAULT_DOCUMENT) == 2
    _set_central(b, 5)
    assert not b.exception
    return a, b


def _version(home: Path) -> Any:
    return scenarios.load(Store(home / "planner.sqlite3"), DEFAULT_DOCUMENT)


def test_keep_mine_keeps_their_other_changes_and_lists_what_it_changes(_home: Path) -> None:
    """D2: "Giữ bản của tôi" saves their version plus my changed key (gap 3 and capacity 5),
    and before saving lists every key it changes relative to the latest version (only the
    capacity, 4 → 5); D3: the conflict box names each change by its label, old → new, who."""
    _a, b = _conflict(_home)
    box, told = _markdown(b), _texts(b)
    b.button(key="c_mine").click().run()
    version = _version(_home)
    assert version.number == 3
    assert set(version.sets) == {
        "levels.central.daily_capacity=5",
        "gaps.child_before_parent_days=3",
    }
    assert f"Họ đã đổi: {GAP_VI}: 7 → 3 ({AN}); {CAP_VI}: 8 → 4 ({AN})" in box
    assert f"Bạn đã đổi: {CAP_VI}: 8 → 5 ({BINH})" in box
    assert f"**Giữ bản của tôi (phiên bản mới)** — so với v2: {CAP_VI}: 4 → 5" in box
    assert "levels.central" not in box + told
    saved = _texts(b)
    assert (
        f"Đã lưu phiên bản 3: {BINH} giữ bản của mình khi xung đột với v2; hoàn tác: {CAP_VI}: "
        "4 → 5"
    ) in saved


def test_history_and_changes_in_force_say_who_changed_what(_home: Path) -> None:
    """D3/D11/D24: History entries are in the third person with labels and old → new values
    (Vietnamese, and English in English mode); the changes in force name who made each."""
    _a, b = _conflict(_home)
    b.button(key="c_mine").click().run()
    in_force = _markdown(b)
    assert f"- {GAP_VI}: 7 → 3 ({AN})" in in_force
    assert f"- {CAP_VI}: 8 → 5 ({BINH})" in in_force
    b.switch_page(PAGES + "history.py").run()
    assert not b.exception
    entries = _markdown(b)
    assert f"{BINH} giữ bản của mình khi xung đột với v2; hoàn tác: {CAP_VI}: 4 → 5" in entries
    assert f"{AN} đổi: {GAP_VI}: 7 → 3; {CAP_VI}: 8 → 4" in entries
    assert "=" not in entries and "levels." not in entries
    b.session_state["lang"] = "en"
    b.run()
    entries = _markdown(b)
    assert f"{BINH} kept their own version in a conflict with v2; undid: {CAP_EN}: 4 → 5" in entries


def test_a_restore_says_what_it_undid(_home: Path) -> None:
    """D23: restoring v1 says what it undid relative to the latest version, in the saved
    message and in History (never "Đổi so với v1: không")."""
    at = _session(AN)
    _set_central(at, 4, 3)
    at.switch_page(PAGES + "history.py").run()
    at.button(key="restore_1").click().run()
    version = _version(_home)
    assert version.number == 3 and version.sets == () and version.parent == 1
    undone = f"{GAP_VI}: 3 → 7; {CAP_VI}: 4 → 8"
    assert f"Đã lưu phiên bản 3: {AN} khôi phục v1; hoàn tác: {undone}" in _texts(at)
    entries = _markdown(at)
    assert f"{AN} khôi phục v1; hoàn tác: {undone}" in entries
    assert "không" not in entries.split("\n")[0]


def test_compare_shows_the_changes_by_label_with_who(_home: Path) -> None:
    """D3: Compare lists what B changes relative to A by label, old → new, with who."""
    at = _session(AN)
    _set_central(at, 4)

    def page() -> None:
        import streamlit as st

        from planner.store import scenarios
        from planner.store.recovery import DEFAULT_DOCUMENT
        from planner.ui.changelog import compared
        from planner.ui.session import store

        a = scenarios.load(store(), DEFAULT_DOCUMENT, 1)
        b = scenarios.load(store(), DEFAULT_DOCUMENT, 2)
        st.markdown(compared(store(), a, b))

    shown = AppTest.from_function(page).run()
    assert not shown.exception
    assert shown.markdown[0].value == f"- {CAP_VI}: 8 → 4 ({AN})"
