"""Lịch sử / History: every version of the open scenario, who saved it and when, what changed;
open one to look at it, or restore it (saved as a new version: nothing is ever rewritten)."""

from __future__ import annotations

import streamlit as st

from planner.errors import PlannerError
from planner.store import scenarios
from planner.ui.common import error_text, saved_message
from planner.ui.notices import when
from planner.ui.session import open_version, save, store, t, working
from planner.ui.state import changed_keys
from planner.ui.words import count_en, either

st.title(t("Lịch sử phiên bản", "Version history"))
state = working()
try:
    entries = scenarios.history(store(), state.document)
except PlannerError as exc:
    st.error(error_text(exc))
    st.stop()
st.caption(
    t(
        f"«{state.document}»: {len(entries)} phiên bản, mới nhất trước. Khôi phục lưu nội dung "
        "cũ thành phiên bản mới.",
        f"“{state.document}”: {count_en(len(entries), 'version')}, newest first. Restoring "
        "saves the old content as a new version.",
    )
)
by_number = {e.number: e for e in entries}
for entry in entries:
    box = st.container(border=True)
    left, right = box.columns([4, 1])
    mark = t(" · đang mở", " · open") if entry.number == state.version else ""
    left.markdown(
        f"**v{entry.number}** · {when(entry.created_at)} · {either(entry.author)}{mark}  \n"
        + either(entry.summary)
    )
    if entry.error is not None or entry.version is None:
        left.error(error_text(entry.error) if entry.error else "?")
        continue
    version = entry.version
    parent = by_number.get(version.parent) if version.parent else None
    if parent is not None and parent.version is not None:
        keys = changed_keys(parent.version.sets, version.sets)
        if parent.version.base_text != version.base_text:
            keys.add(t("(tệp gốc: ", "(base file: ") + version.base_name + ")")
        left.caption(
            t("Đổi so với v", "Changed from v")
            + f"{parent.number}: "
            + (", ".join(sorted(keys)) or t("không", "nothing"))
        )
    if right.button(t("Mở", "Open"), key=f"open_{entry.number}"):
        open_version(version)
        st.rerun()
    if right.button(
        t("Khôi phục", "Restore"),
        key=f"restore_{entry.number}",
        disabled=entry.number == state.version,
    ):
        summary = t(f"Khôi phục phiên bản {entry.number}", f"Restored version {entry.number}")
        if not state.saved:  # an unsaved edit is kept until the user decides
            st.warning(
                t(
                    "Hãy lưu hoặc bỏ thay đổi chưa lưu trước.",
                    "Save or drop the unsaved change first.",
                )
            )
            st.stop()
        latest = scenarios.head(store(), state.document)
        state.version = latest  # restoring is a deliberate choice over the newest version
        outcome = save(
            version.base_text, version.base_name, list(version.sets), summary, version.number
        )
        saved_message(outcome, summary)
        st.rerun()
