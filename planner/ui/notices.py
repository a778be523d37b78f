"""What every page shows above its own content: confirmations, a save conflict to resolve, an
edit not saved yet, a version that no longer validates, files kept aside, and a data folder
that cannot be written. Each says what happened and offers the ways out, in both languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.store import recovery, scenarios
from planner.store.access import may_admin
from planner.store.changes import BASE_FILE, Content, diff, key_label
from planner.store.db import StoreError
from planner.store.recovery import read_scenario_text, still_valid
from planner.store.scenarios import Version, changed_keys, keep_mine
from planner.ui.changelog import action, between, content, described, unsaved_changes
from planner.ui.common import flash, reset_to_builtin, saved_message
from planner.ui.opened import current, error_text, save
from planner.ui.session import author, conflict, identity, open_version, opened, store, t, working
from planner.ui.state import merge_edits
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
        shown = {"success": st.success, "warning": st.warning, "info": st.info, "error": st.error}
        shown.get(kind, st.info)(message)
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
            allowed = may_admin(identity(), "khôi phục tệp được giữ", "restore a kept file")
            if not allowed:
                box.error(t(allowed.message_vi, allowed.message_en))
                continue
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
            "đổi của bạn chưa được lưu: hãy chọn.",
            f"“{state.document}” has a version {head.number}, saved by {either(head.author)} at "
            f"{when(head.created_at)}, after the version {pending.expected} you were editing. "
            "Your change is not saved yet: choose.",
        )
    )
    try:
        base = scenarios.load(store(), state.document, pending.expected)
    except PlannerError as exc:
        box.error(error_text(exc))
        return
    mine = Content.of(state.base_text, state.base_name, state.sets)
    box.markdown(
        t("Họ đã đổi: ", "They changed: ")
        + described(between(store(), state.document, base, head))
        + "  \n"
        + t("Bạn đã đổi: ", "You changed: ")
        + described(diff(content(base), mine, _everything(mine, base, author())))
    )
    _conflict_choices(box, base, pending.expected)


def _everything(mine: Content, base: Version, who: str) -> dict[str, str]:
    """Every key of my edit, attributed to me."""
    keys = changed_keys(base.sets, mine.sets) | {BASE_FILE}
    return dict.fromkeys(keys, who)


def _choice_text(label: str, head: Version, text: str, name: str, sets: list[str]) -> str:
    """What a choice would save, relative to the latest version (every key it changes)."""
    changes = diff(content(head), Content.of(text, name, sets))
    return (
        f"**{label}** — "
        + t(f"so với v{head.number}: ", f"against v{head.number}: ")
        + (described(changes, who=False))
    )


def _conflict_choices(box: Any, base: Version, expected: int) -> None:
    """The three ways out, each saying what it would save relative to the latest version."""
    pending = conflict()
    assert pending is not None
    state, head = working(), pending.head
    kept = keep_mine(base, state.base_text, state.base_name, state.sets, head)
    merged, both = merge_edits(base, state, head)
    mine_label = t("Giữ bản của tôi (phiên bản mới)", "Keep mine as a new version")
    merge_label = t("Gộp cả hai", "Merge both")
    box.markdown(
        _choice_text(mine_label, head, *kept)
        + (
            ""
            if merged is None
            else "  \n" + _choice_text(merge_label, head, head.base_text, head.base_name, merged)
        )
    )
    left, mid, right = box.columns(3)
    if left.button(t("Tải bản của họ (bỏ của tôi)", "Reload theirs (drop mine)"), key="c_theirs"):
        dropped = described(unsaved_changes(store(), state), who=False)
        open_version(head)
        flash(
            t(f"Đã mở phiên bản {head.number}; đã bỏ: ", f"Opened version {head.number}; dropped: ")
            + dropped,
            "info",
        )
        st.rerun()
    if mid.button(mine_label, key="c_mine"):
        _save_resolution(box, head, kept, action("keep_mine", head.number), expected)
    reason = (
        t("Cả hai cùng đổi ", "Both changed ")
        + ", ".join(key_label(k, t("vi", "en")) for k in sorted(both))
        if merged is None
        else t("Gộp: thay đổi của họ và của bạn", "Merge: their changes and yours")
    )
    if right.button(merge_label, key="c_merge", disabled=merged is None, help=reason):
        assert merged is not None
        content_of = (head.base_text, head.base_name, merged)
        _save_resolution(box, head, content_of, action("merge", head.number), None)
    if merged is None:
        box.caption(reason)


def _save_resolution(
    box: Any, head: Version, new: tuple[str, str, list[str]], summary: str, parent: int | None
) -> None:
    """Save a resolved conflict on top of the latest version (refused when it does not
    validate, with the reason)."""
    try:
        read_scenario_text(*new)
    except PlannerError as exc:
        box.error(t("Bản lưu không hợp lệ: ", "That version does not validate: ") + error_text(exc))
        return
    state = working()
    state.version = head.number
    st.session_state.pop("conflict", None)
    saved_message(save(*new, summary, parent), summary)
    st.rerun()


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
        + described(unsaved_changes(store(), state), who=False)
        + ". "
        + str(state.problem)
    )
    if box.button(t("Thử lưu lại", "Retry saving"), key="retry_save"):
        summary = action("retry")
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
        kept, _dropped = still_valid(state.base_text, state.base_name, state.sets)
        try:
            read_scenario_text(state.base_text, state.base_name, kept)
        except PlannerError as exc:  # the base file itself no longer validates
            box.error(error_text(exc))
            return
        summary = action("still_valid")
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
