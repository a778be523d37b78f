"""What every page shows above its own content: confirmations, a save conflict to resolve, an
edit not saved yet, a version that no longer validates, files kept aside, and a data folder
that cannot be written. Each says what happened and offers the ways out, in both languages."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from planner.errors import PlannerError
from planner.store import recovery, scenarios
from planner.store.db import StoreError
from planner.store.recovery import read_scenario_text, still_valid
from planner.ui.common import current, error_text, flash, reset_to_builtin, saved_message
from planner.ui.session import (
    author,
    conflict,
    open_version,
    opened,
    save,
    store,
    t,
    working,
)
from planner.ui.state import changed_keys, merge_edits
from planner.ui.words import either

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def when(iso: str) -> str:
    """A stored time (UTC) in Vietnam time, ``20/10/2020 10:15``."""
    try:
        moment = dt.datetime.fromisoformat(iso).astimezone(VIETNAM)
    except ValueError:
        return iso
    return moment.strftime("%d/%m/%Y %H:%M")


def _flashes() -> None:
    for kind, message in st.session_state.pop("flash", []):
        {"success": st.success, "warning": st.warning, "info": st.info}.get(kind, st.info)(message)
    warning = st.session_state.pop("flash_warning", None)
    if warning:
        st.warning(warning)


def _temporary() -> None:
    state = opened()
    if state.temporary and state.problem is not None:
        st.warning(
            t(
                "Không ghi được vào thư mục dữ liệu PLANNER_HOME: "
                + error_text(state.problem)
                + " Công việc đang được giữ trong một thư mục tạm cho tới khi máy chủ dừng.",
                "Cannot write to the data folder PLANNER_HOME: "
                + error_text(state.problem)
                + " Work is kept in a temporary folder until the server stops.",
            )
        )


def _kept_aside() -> None:
    try:
        entries = recovery.pending(store())
    except StoreError:
        return
    for entry in entries:
        box = st.container(border=True)
        box.warning(
            t(entry.reason_vi, entry.reason_en)
            + t(" Tệp được giữ: ", " Kept file: ")
            + f"`{entry.file}` ({when(entry.created_at)})."
        )
        left, right = box.columns(2)
        if left.button(t("Khôi phục", "Restore"), key=f"kept_restore_{entry.id}"):
            vi, en = recovery.restore(store(), entry, author())
            flash(t(vi, en), "info")
            st.rerun()
        confirm = f"kept_confirm_{entry.id}"
        if st.session_state.get(confirm):
            label = t("Bấm lần nữa để xóa hẳn tệp", "Press again to delete the file for good")
        else:
            label = t("Bỏ tệp này", "Discard this file")
        if right.button(label, key=f"kept_discard_{entry.id}"):
            if st.session_state.pop(confirm, False):
                recovery.discard(store(), entry)
                flash(t("Đã xóa tệp ", "Deleted ") + entry.file, "info")
            else:
                st.session_state[confirm] = True
            st.rerun()


def _keys(keys: set[str]) -> str:
    return ", ".join(f"`{k}`" for k in sorted(keys)) or t("(không)", "(none)")


def _conflict() -> None:
    pending = conflict()
    if pending is None:
        return
    state = working()
    head = pending.head
    box = st.container(border=True)
    box.warning(
        t(
            f"«{state.document}» đã có phiên bản {head.number} do {either(head.author)} lưu lúc "
            f"{when(head.created_at)}, sau phiên bản {pending.expected} mà bạn đang sửa. Thay "
            f"đổi của bạn ({pending.summary}) chưa được lưu: hãy chọn.",
            f"“{state.document}” has a version {head.number}, saved by {either(head.author)} at "
            f"{when(head.created_at)}, after the version {pending.expected} you were editing. "
            f"Your change ({pending.summary}) is not saved yet: choose.",
        )
    )
    try:
        base = scenarios.load(store(), state.document, pending.expected)
    except PlannerError as exc:
        box.error(error_text(exc))
        return
    merged, both = merge_edits(base, state, head)
    theirs = changed_keys(base.sets, head.sets)
    mine = changed_keys(base.sets, state.sets)
    box.markdown(
        t("Họ đã đổi: ", "They changed: ")
        + _keys(theirs)
        + "  \n"
        + t("Bạn đã đổi: ", "You changed: ")
        + _keys(mine)
    )
    left, mid, right = box.columns(3)
    if left.button(t("Tải bản của họ (bỏ của tôi)", "Reload theirs (drop mine)"), key="c_theirs"):
        open_version(head)
        flash(
            t(f"Đã mở phiên bản {head.number}; đã bỏ: ", f"Opened version {head.number}; dropped: ")
            + pending.summary,
            "info",
        )
        st.rerun()
    if mid.button(t("Giữ bản của tôi (phiên bản mới)", "Keep mine as a new version"), key="c_mine"):
        state.version = head.number
        summary = pending.summary + t(" (giữ bản của tôi)", " (kept mine)")
        st.session_state.pop("conflict", None)
        saved_message(save(state.base_text, state.base_name, state.sets, summary), summary)
        st.rerun()
    reason = (
        t("Cả hai cùng đổi ", "Both changed ") + _keys(both)
        if merged is None
        else t("Gộp: thay đổi của họ và của bạn", "Merge: their changes and yours")
    )
    if right.button(
        t("Gộp cả hai", "Merge both"), key="c_merge", disabled=merged is None, help=reason
    ):
        assert merged is not None
        try:
            read_scenario_text(head.base_text, head.base_name, merged)
        except PlannerError as exc:
            box.error(
                t("Bản gộp không hợp lệ: ", "The merge does not validate: ") + error_text(exc)
            )
            return
        state.version = head.number
        st.session_state.pop("conflict", None)
        summary = t("Gộp: ", "Merged: ") + pending.summary
        saved_message(save(head.base_text, head.base_name, merged, summary), summary)
        st.rerun()
    if merged is None:
        box.caption(reason)


def _unsaved() -> None:
    state = working()
    if state.saved or state.problem == "conflict":
        return
    box = st.container(border=True)
    box.warning(
        t(
            "Thay đổi chưa được lưu (vẫn giữ trong phiên này): ",
            "The change is not saved (it is kept in this session): ",
        )
        + str(state.problem)
    )
    if box.button(t("Thử lưu lại", "Retry saving"), key="retry_save"):
        summary = t("Lưu lại sau lỗi", "Saved after an error")
        saved_message(save(state.base_text, state.base_name, state.sets, summary), summary)
        st.rerun()


def _invalid() -> None:
    if current() is not None:
        return
    state = working()
    box = st.container(border=True)
    box.error(
        t(
            f"Phiên bản {state.version} của «{state.document}» không còn hợp lệ: ",
            f"Version {state.version} of “{state.document}” no longer validates: ",
        )
        + st.session_state.get("invalid", "")
        + t(" Phiên bản đó vẫn được giữ trong lịch sử.", " That version stays in the history.")
    )
    left, right = box.columns(2)
    if left.button(
        t("Khôi phục phần còn hợp lệ (phiên bản mới)", "Restore what still validates"),
        key="invalid_restore",
    ):
        kept, dropped = still_valid(state.base_text, state.base_name, state.sets)
        try:
            read_scenario_text(state.base_text, state.base_name, kept)
        except PlannerError as exc:  # the base file itself no longer validates
            box.error(error_text(exc))
            return
        summary = t("Khôi phục phần còn hợp lệ; bỏ: ", "Restored what still validates; dropped: ")
        summary += "; ".join(dropped) or "—"
        saved_message(save(state.base_text, state.base_name, kept, summary), summary)
        st.rerun()
    if right.button(t("Bỏ, về kịch bản gốc", "Discard: back to the built-in"), key="invalid_reset"):
        reset_to_builtin()


def _projection() -> None:
    """A projection says so on every page."""
    loaded = current()
    if loaded is None or loaded[0].projection is None:
        return
    projection = loaded[0].projection
    st.warning(
        t(
            f"DỰ PHÓNG — không phải lịch chính thức: mọi ngày là chu kỳ {projection.source_cycle} "
            f"dời {projection.shift_years} năm, là giả định.",
            f"PROJECTION — not an official schedule: every date is the {projection.source_cycle} "
            f"cycle shifted by {projection.shift_years} years, an assumption.",
        ),
        icon="⚠️",
    )


def show() -> None:
    """Draw every notice that applies, above the page."""
    _projection()
    _flashes()
    _temporary()
    _kept_aside()
    _conflict()
    _unsaved()
    _invalid()
