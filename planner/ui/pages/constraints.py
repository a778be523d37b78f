"""Ràng buộc / Constraints: levels, central window, election day and gaps, families, the changes
in force (undo, reset, upload) and the rule catalogue.

Every edit is applied with an explicit button and answered on screen: accepted (saved as the
next version, with what changed), refused (why and where; the typed values stay for fixing),
or nothing changed. Inputs take any number, so a wrong one is refused by name in both
languages instead of being silently clamped or blocked by a browser tooltip.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.rules.calendar import next_sunday, previous_sunday
from planner.rules.families import catalogue
from planner.store import scenarios
from planner.store.access import may_admin
from planner.tree.hierarchy import Level
from planner.tree.names import level_label, level_short
from planner.ui.a11y import text_table
from planner.ui.binding import family_source
from planner.ui.captions import election_day_text
from planner.ui.changelog import action, changes_in_force
from planner.ui.common import (
    answer,
    editor_key,
    feedback,
    flash,
    page,
    reset_to_builtin,
    saved_message,
)
from planner.ui.opened import change_check, error_text, save
from planner.ui.session import author, identity, open_version, store, t, working
from planner.ui.state import MAX_UPLOAD_BYTES, read_upload
from planner.ui.words import count_en, family_text, word

scenario, problem = page("Ràng buộc", "Constraints")
state = working()
suffix = state.content_key[:10]  # inputs start again from the scenario after every change
st.caption(
    t(
        "Sửa rồi bấm «Áp dụng»; mỗi thay đổi được kiểm tra và lưu thành một phiên bản mới.",
        "Edit, then press Apply; every change is validated and saved as a new version.",
    )
)

# levels ---------------------------------------------------------------------------------------
LEVEL_COLUMNS = {
    "start": ("Từ", "From"),
    "end": ("Đến (hạn)", "To (deadline)"),
    "days": ("Số ngày", "Days"),
    "max_days": ("Tối đa (chỉ thị)", "Max (directive)"),
    "daily_capacity": ("Tối đa/ngày toàn quốc", "Max/day nationwide"),
    "parent_daily_capacity": ("Tối đa/ngày dưới một cấp trên", "Max/day per parent"),
    "buffer_days": ("Dự phòng (ngày)", "Buffer (days)"),
}
MINIMUM = {"days": 1, "daily_capacity": 0, "parent_daily_capacity": 0, "buffer_days": 0}


def _label(column: str) -> str:
    vi, en = LEVEL_COLUMNS.get(column, (column, column))
    return t(vi, en)


def _whole(value: Any, minimum: int) -> tuple[int | None, str | None]:
    """A whole number ≥ minimum, or the reason it is not (bilingual text)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, t("không được để trống", "must not be empty")
    number = float(value)
    if not number.is_integer():
        return None, t(f"{value} không phải số nguyên", f"{value} is not a whole number")
    if number < minimum:
        return None, t(f"{value:g} nhỏ hơn {minimum}", f"{value:g} is less than {minimum}")
    return int(number), None


rows = []
level_ids = [level.value for level in scenario.era_levels]  # the era's levels, top-down
for level in scenario.era_levels:
    plan = scenario.levels[level]
    rows.append(
        {
            "level": t(level_label(level.value).vi, level_label(level.value).en),
            "plan": plan.plan,
            "start": plan.window[0],
            "end": plan.window[1],
            "days": plan.days,
            "max_days": plan.max_days,
            "daily_capacity": plan.daily_capacity,
            "parent_daily_capacity": plan.parent_daily_capacity,
            "buffer_days": plan.buffer_days,
        }
    )
# numbers as floats, shown plainly: a fraction or a minus sign typed by the user reaches the
# check below as typed, instead of being rounded or dropped by an integer column
original = pd.DataFrame(rows).astype({c: "float64" for c in (*MINIMUM, "max_days")})
edited = st.data_editor(
    original,
    key=editor_key("levels"),
    hide_index=True,
    disabled=["level", "max_days"],
    placeholder=word("empty"),  # an empty cell (no limit) shows "—", never "None" (D14)
    column_config={
        "level": st.column_config.TextColumn(word("level")),
        "plan": st.column_config.CheckboxColumn(word("plan")),
        "start": st.column_config.DateColumn(_label("start"), format="DD/MM/YYYY"),
        "end": st.column_config.DateColumn(_label("end"), format="DD/MM/YYYY"),
        **{
            c: st.column_config.NumberColumn(_label(c), format="plain")
            for c in ("days", "max_days", "buffer_days")
        },
        **{
            c: st.column_config.NumberColumn(
                _label(c), format="plain", help=t("Trống: không giới hạn.", "Empty: no limit.")
            )
            for c in ("daily_capacity", "parent_daily_capacity")
        },
    },
)


def _level_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(the --set changes, the refusals) for the edited level table."""
    out: list[str] = []
    problems: list[str] = []
    pairs = zip(level_ids, before.to_dict("records"), after.to_dict("records"), strict=True)
    for level, old, new in pairs:
        label = level_label(level)
        where = t(f"dòng «{label.vi}»", f"row “{label.en}”")
        dates = []
        for column in ("start", "end"):
            value = new[column]
            if value is None or pd.isna(value):
                problems.append(f"{where}, «{_label(column)}»: " + t("trống", "empty"))
            else:
                dates.append(pd.Timestamp(value).date())
        if len(dates) == 2 and tuple(dates) != (old["start"], old["end"]):
            out.append(f"levels.{level}.window=[{dates[0].isoformat()}, {dates[1].isoformat()}]")
        for column, minimum in MINIMUM.items():
            value, was = new[column], old[column]
            if pd.isna(value) and pd.isna(was):
                continue
            number, reason = _whole(value, minimum)
            if reason is not None:
                problems.append(f"{where}, «{_label(column)}»: {reason}")
            elif pd.isna(was) or number != int(was):
                out.append(f"levels.{level}.{column}={number}")
        if bool(new["plan"]) != bool(old["plan"]):
            out.append(f"levels.{level}.plan={'true' if new['plan'] else 'false'}")
    return out, problems


text_table(
    edited,
    {"level": word("level"), "plan": word("plan"), **{c: _label(c) for c in LEVEL_COLUMNS}},
)
changes: list[str]
problems: list[str]
levels_inputs = tuple(map(tuple, edited.astype(str).itertuples(index=False)))
if st.button(t("Áp dụng bảng cấp", "Apply level table"), key="apply_levels", type="primary"):
    changes, problems = _level_changes(original, edited)
    answer("levels", t("bảng cấp", "level table"), changes, problems, levels_inputs)
feedback("levels", levels_inputs)

# central window, election day, gaps -----------------------------------------------------------
CENTRAL = level_label(Level.CENTRAL.value)
st.header(t(f"{CENTRAL.vi}, bầu cử và khoảng cách", "Central-level committees, election and gaps"))
central = scenario.levels[Level.CENTRAL]
C_VI, C_EN = CENTRAL.vi, level_short(Level.CENTRAL.value).en.capitalize() + " committees"
c_start, c_end, c_cap = st.columns(3)
central_start = c_start.date_input(
    t(f"{C_VI}: từ ngày", f"{C_EN}: from"),
    value=central.window[0],
    format="DD/MM/YYYY",
    key=f"form_central_start_{suffix}",
)
central_end = c_end.date_input(
    t(f"{C_VI}: hạn chót", f"{C_EN}: deadline"),
    value=central.window[1],
    format="DD/MM/YYYY",
    key=f"form_central_end_{suffix}",
)
central_cap = c_cap.number_input(
    t(f"{C_VI}: tối đa đại hội mỗi ngày", f"{C_EN}: most congresses a day"),
    value=float(central.daily_capacity if central.daily_capacity is not None else 0),
    step=1.0,
    format="%g",
    key=f"form_central_cap_{suffix}",
)
e_day, e_gap, e_national = st.columns(3)
day = e_day.date_input(
    t("Ngày bầu cử (Chủ nhật)", "Election day (a Sunday)"),
    value=scenario.election_day,
    format="DD/MM/YYYY",
    key=f"form_election_day_{suffix}",
    disabled=scenario.election_day is None,
    help=None
    if scenario.election_day
    else t("Kịch bản để bộ giải chọn ngày.", "The scenario lets the solver choose the day."),
)
if isinstance(day, dt.date) and day.weekday() != 6:  # said at once, never left behind
    e_day.warning(
        t(
            f"{election_day_text(day)} không phải Chủ nhật. Gần nhất: "
            f"{previous_sunday(day):%d/%m/%Y} hoặc {next_sunday(day):%d/%m/%Y}.",
            f"{election_day_text(day)} is not a Sunday. Nearest: {previous_sunday(day)} or "
            f"{next_sunday(day)}.",
        )
    )
gap = e_gap.number_input(
    t("Cấp dưới xong trước cấp trên (ngày)", "Child ends before parent (days)"),
    value=float(scenario.child_before_parent_days),
    step=1.0,
    format="%g",
    key=f"form_gap_{suffix}",
)
national_gap = e_national.number_input(
    t(
        f"{C_VI} xong trước Đại hội toàn quốc (ngày)",
        "Central level ends before the National Congress (days)",
    ),
    value=float(scenario.central_before_national_days),
    step=1.0,
    format="%g",
    key=f"form_national_gap_{suffix}",
)
central_inputs = (str(central_start), str(central_end), central_cap, str(day), gap, national_gap)
if st.button(t("Áp dụng", "Apply"), key="apply_central", type="primary"):
    changes, problems = [], []
    if not isinstance(central_start, dt.date) or not isinstance(central_end, dt.date):
        problems.append(t(f"khung {C_VI}: ngày trống", "central window: a date is empty"))
    elif (central_start, central_end) != central.window:
        changes.append(
            f"levels.central.window=[{central_start.isoformat()}, {central_end.isoformat()}]"
        )
    for value, was, key, label, minimum in (
        (central_cap, central.daily_capacity or 0, "levels.central.daily_capacity",
         t("tối đa đại hội mỗi ngày", "most congresses a day"), 0),
        (gap, scenario.child_before_parent_days, "gaps.child_before_parent_days",
         t("cấp dưới xong trước cấp trên", "child ends before parent"), 0),
        (national_gap, scenario.central_before_national_days,
         "alignment.central_before_national_days",
         t(f"{C_VI} xong trước Đại hội toàn quốc", "central level ends before the National "
           "Congress"), 0),
    ):  # fmt: skip
        number, reason = _whole(value, minimum)
        if reason is not None:
            problems.append(f"«{label}»: {reason}")
        elif number != was:
            changes.append(f"{key}={number}")
    if scenario.election_day is not None:
        if not isinstance(day, dt.date):
            problems.append(t("ngày bầu cử: trống", "election day: empty"))
        elif day != scenario.election_day:
            changes.append(f"election.day={day.isoformat()}")
    title = t(f"{C_VI}, bầu cử và khoảng cách", "central level, election and gaps")
    answer("central", title, changes, problems, central_inputs)
feedback("central", central_inputs)

# families -------------------------------------------------------------------------------------
st.header(t("Họ ràng buộc", "Constraint families"))
lang = t("vi", "en")
fam_rows = [
    {
        "id": fam.id,
        "name": fam.name_en if lang == "en" else fam.name_vi,
        "enabled": scenario.families[fam.id].enabled,
        "hard": scenario.families[fam.id].hard,
        "weight": scenario.families[fam.id].weight,
        "source": family_source(problem, fam.id),
    }
    for fam in catalogue().values()
]
fam_original = pd.DataFrame(fam_rows).astype({"weight": "float64"})
fam_edited = st.data_editor(
    fam_original,
    key=editor_key("families"),
    hide_index=True,
    placeholder=word("empty"),
    disabled=["id", "name", "source"],
    column_order=["name", "enabled", "hard", "weight", "source"],  # the id is for the code
    column_config={
        "name": st.column_config.TextColumn(word("name")),
        "enabled": st.column_config.CheckboxColumn(word("enabled")),
        "hard": st.column_config.CheckboxColumn(word("hard")),
        "weight": st.column_config.NumberColumn(word("weight"), format="plain"),
        "source": st.column_config.TextColumn(word("source")),
    },
)
text_table(
    fam_edited.drop(columns=["id"]),
    {c: word(c) for c in ("name", "enabled", "hard", "weight", "source")},
)
family_inputs = tuple(map(tuple, fam_edited.astype(str).itertuples(index=False)))
if st.button(t("Áp dụng họ ràng buộc", "Apply families"), key="apply_families"):
    changes, problems = [], []
    for old, new in zip(
        fam_original.to_dict("records"), fam_edited.to_dict("records"), strict=True
    ):
        for column in ("enabled", "hard"):
            if bool(new[column]) != bool(old[column]):
                changes.append(
                    f"families.{old['id']}.{column}={'true' if new[column] else 'false'}"
                )
        number, reason = _whole(new["weight"], 0)
        if reason is not None:
            problems.append(f"«{old['name']}», {word('weight').lower()}: {reason}")
        elif number != int(old["weight"]):
            changes.append(f"families.{old['id']}.weight={number}")
    answer("families", t("họ ràng buộc", "constraint families"), changes, problems, family_inputs)
feedback("families", family_inputs)

# changes in force, undo, reset, upload -----------------------------------------------------
st.header(t("Thay đổi đang áp dụng", "Changes in force"))
st.caption(
    t(f"«{state.document}», phiên bản {state.version}, tệp gốc ", f"“{state.document}”, version "
      f"{state.version}, base file ") + f"`{state.base_name}`"
)  # fmt: skip
in_force = changes_in_force(store(), state)
st.markdown("\n".join(f"- {line}" for line in in_force) if in_force else t("(không có)", "(none)"))
try:
    parent = scenarios.load(store(), state.document, state.version).parent if state.saved else None
except PlannerError:
    parent = None
c1, c2 = st.columns(2)
if c1.button(t("Hoàn tác", "Undo"), key="undo", disabled=parent is None):
    assert parent is not None
    older = scenarios.load(store(), state.document, parent)
    summary = action("undo", parent)
    saved_message(
        save(older.base_text, older.base_name, list(older.sets), summary, parent), summary
    )
    st.rerun()
if c2.button(t("Về kịch bản gốc", "Reset to built-in"), key="reset"):
    reset_to_builtin()

upload_key = f"upload_{st.session_state.get('upload_round', 0)}"
limit = MAX_UPLOAD_BYTES // 1024
may_upload = may_admin(identity(), "tải lên kịch bản", "upload a scenario")
upload = st.file_uploader(
    t("Tải lên kịch bản TOML", "Upload a scenario TOML"),
    type=["toml"],
    key=upload_key,
    max_upload_size=1,
    help=t(f"Tệp .toml, tối đa {limit} KiB.", f"A .toml file, at most {limit} KiB."),
    disabled=not may_upload,
)
if not may_upload:  # an upload replaces the whole file: administrators only (issue 21)
    st.caption(t(may_upload.message_vi, may_upload.message_en))
    upload = None


def _clear_upload() -> None:
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.session_state.pop("pending_upload", None)


if upload is not None and st.session_state.get("pending_upload", {}).get("id") != upload.file_id:
    try:
        text, uploaded = read_upload(upload.getvalue(), upload.name)
    except PlannerError as exc:
        st.session_state.pop("pending_upload", None)
        st.error(t("Tệp không được nạp: ", "The file was not loaded: ") + error_text(exc))
    else:
        st.session_state["pending_upload"] = {
            "id": upload.file_id,
            "name": upload.name,
            "text": text,
            "title": t(uploaded.name_vi, uploaded.name_en),
        }
pending = st.session_state.get("pending_upload")
if upload is not None and pending is not None and pending["id"] == upload.file_id:
    box = st.container(border=True)
    box.warning(
        t(
            f"Tệp {pending['name']} hợp lệ ({pending['title']}). Nạp nó sẽ thay nội dung của "
            f"«{state.document}» (phiên bản {state.version}: tệp gốc {state.base_name}, "
            f"{len(state.sets)} thay đổi). Bản hiện tại vẫn còn trong Lịch sử.",
            f"{pending['name']} is valid ({pending['title']}). Loading it replaces the content "
            f"of “{state.document}” (version {state.version}: base file {state.base_name}, "
            f"{count_en(len(state.sets), 'change')}). The current one stays in the History.",
        )
    )
    b1, b2, b3 = box.columns(3)
    if b1.button(t("Thay thế", "Replace"), key="upload_replace", type="primary"):
        summary = action("upload", file=pending["name"])
        _clear_upload()
        saved_message(save(pending["text"], pending["name"], [], summary), summary)
        st.rerun()
    if b2.button(t("Nạp thành kịch bản mới", "Load as a new scenario"), key="upload_new"):
        taken = {d.name for d in scenarios.documents(store())}
        name = Path(pending["name"]).stem[:50] or "upload"
        k = 2
        while name in taken:
            name, k = f"{Path(pending['name']).stem[:50]} {k}", k + 1
        try:
            created = scenarios.create(
                store(), name, pending["text"], pending["name"], [], author(),
                t("Tải lên ", "Uploaded ") + pending["name"], change_check(),
            )  # fmt: skip
        except PlannerError as exc:
            box.error(error_text(exc))
        else:
            _clear_upload()
            open_version(created)
            flash(t("Đã tạo kịch bản ", "Created scenario ") + created.scenario)
            st.rerun()
    if b3.button(t("Hủy", "Cancel"), key="upload_cancel"):
        _clear_upload()
        flash(t("Đã hủy tải lên.", "Upload cancelled."), "info")
        st.rerun()

with st.expander(t("Danh mục quy tắc của chu kỳ", "The cycle's rule catalogue")):
    rules = [
        {
            t("Mã quy tắc", "Rule id"): r.id,
            word("family"): family_text(r.family),
            word("name"): r.name_en if lang == "en" else r.name_vi,
            word("source"): r.source.cite(),
            word("status"): word(r.status),
        }
        for rs in scenario.rulesets.values()
        for r in rs
    ]
    st.dataframe(pd.DataFrame(rules), hide_index=True)
