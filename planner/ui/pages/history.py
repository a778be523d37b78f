"""Lịch sử / History: every version of the open scenario, who saved it and when, what changed;
open one to look at it, or restore it (saved as a new version: nothing is ever rewritten)."""

from __future__ import annotations

import streamlit as st

from planner.errors import PlannerError
from planner.store import scenarios
from planner.store.access import may_admin
from planner.ui.changelog import action, history_line
from planner.ui.common import saved_message
from planner.ui.notices import when
from planner.ui.opened import error_text, save
from planner.ui.session import identity, open_version, store, t, working
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
    head = f"**v{entry.number}** · {when(entry.created_at)} · {either(entry.author)}{mark}"
    if entry.error is not None or entry.version is None:
        left.markdown(head + "  \n" + either(entry.summary))
        left.error(error_text(entry.error) if entry.error else "?")
        continue
    version = entry.version
    try:  # compared with the latest version when it was saved: the one before it
        before = by_number.get(entry.number - 1)
        previous = before.version if before else None
        if before is None and entry.number > 1:  # beyond the list's limit
            previous = scenarios.load(store(), state.document, entry.number - 1)
        line = either(entry.summary)
        if previous is not None or entry.number == 1:
            line = history_line(store(), version, previous)
    except PlannerError:
        line = either(entry.summary)
    left.markdown(head + "  \n" + line)
    if right.button(t("Mở", "Open"), key=f"open_{entry.number}"):
        open_version(version)
        st.rerun()
    if right.button(
        t("Khôi phục", "Restore"),
        key=f"restore_{entry.number}",
        disabled=entry.number == state.version,
    ):
        summary = action("restore", entry.number)
        allowed = may_admin(identity(), "khôi phục một phiên bản", "restore a version")
        if not allowed:  # restoring is an administrator's decision (issue 21)
            st.error(t("Không khôi phục: ", "Not restored: ") + t(allowed.message_vi,
                     allowed.message_en))  # fmt: skip
            st.stop()
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
