"""Xuất và in / Export and print: the scenario as TOML, the plan on screen as CSV and XLSX (the
province chosen in the sidebar, or all of it), the printable plan (PDF) for the nation, the
province or one committee, and the iCal feeds by scope.

Feeds are exported in the worker pool into the document's own feed folder under
``$PLANNER_HOME`` (its manifest kept there, so SEQUENCE rises between exports exactly as with
the CLI) and zipped; a visit, or a scope already exported from this plan, is served at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.export.steps import review_bodies
from planner.rules.calendar import today_in_vietnam
from planner.store import actuals as stored_actuals
from planner.store import feeds
from planner.store.db import StoreError
from planner.tree.hierarchy import Level
from planner.ui import charts, progress
from planner.ui.common import (
    csv_bytes,
    job_payload,
    name_col,
    page,
    plan_frame,
    plan_sheet,
    shown_plan,
    xlsx_bytes,
)
from planner.ui.jobs import pool
from planner.ui.notices import when
from planner.ui.opened import error_text
from planner.ui.printed import font_file, printed_plan
from planner.ui.province import ALL, subset
from planner.ui.session import author, lang, store, t, working
from planner.ui.words import count_en, number, word

scenario, problem = page("Xuất và in", "Export and print")
orgs = problem.tree
state = working()
toml_text = state.to_toml()
st.download_button(
    t("Kịch bản (TOML)", "Scenario (TOML)"),
    toml_text.encode("utf-8"),
    file_name=f"{scenario.id}.toml",
    mime="application/toml",
    key="download_toml",
)
record = shown_plan(state.content_key)
if record is None or not record.has_plan:
    st.info(
        t(
            "Chưa có kế hoạch cho kịch bản này: hãy lập kế hoạch ở trang Kế hoạch.",
            "No plan for this scenario yet: solve it on the Plan page.",
        )
    )
    st.stop()
plan_id = record.id
db = store()
province = str(st.session_state.get("province", ALL))
plan = subset(plan_frame(record), orgs, province)
attr = name_col()
where = word("nationwide") if province == ALL else getattr(orgs.get(province), attr)
suffix = "" if province == ALL else f"-{province}"
st.header(t("Kế hoạch dạng bảng", "The plan as a table") + f" — {where}")


def built_file(
    where: Any, what: tuple[object, ...], build_label: str, label: str,
    build: Callable[[], bytes], name: str, mime: str, key: str,
) -> None:  # fmt: skip
    """A file built on request, then offered as bytes (a download built lazily by Streamlit
    can be lost in a rerun and never come): a button builds it once per plan and choice."""
    cache = st.session_state.setdefault("built_files", {})
    if what not in cache and where.button(build_label, key=f"build_{key}"):
        for old in [k for k in cache if k[0] == key]:
            del cache[old]  # one file of each kind in the session
        cache[what] = build()
    if what in cache:
        where.download_button(label, cache[what], file_name=name, mime=mime, key=f"download_{key}")


def _xlsx() -> bytes:  # built only when asked for (seconds for a nationwide plan)
    return xlsx_bytes(plan)


@st.cache_resource(show_spinner=False, max_entries=4)
def _csv(db: str, plan_id: int, province: str, language: str, _plan: Any) -> bytes:
    """The plan's CSV for a spreadsheet (:func:`plan_sheet`: headings in the page's language,
    a byte-order mark), built once per stored plan, province and language (plans never change
    once stored; nationwide it is about 24 MB)."""
    return csv_bytes(plan_sheet(_plan))


left, right = st.columns(2)
left.download_button(
    t("Kế hoạch (CSV)", "Plan (CSV)"), _csv(str(db.path), plan_id, province, lang(), plan),
    file_name=f"plan{suffix}.csv", mime="text/csv",
    key="download_csv",
)  # fmt: skip
built_file(
    right,
    ("xlsx", plan_id, province, lang()),
    t("Tạo tệp XLSX", "Build the XLSX file"),
    t("Kế hoạch (XLSX)", "Plan (XLSX)"),
    _xlsx,
    f"plan{suffix}.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
st.caption(
    t(
        f"{charts.congress_count(plan)}, cùng các mốc khác. Ô bắt đầu bằng =, +, -, @ được "
        "ghi sau dấu ' để bảng tính không chạy như công thức.",
        f"{charts.congress_count(plan)}, with the other events. Cells starting with =, +, -, "
        "@ are written behind a ' so spreadsheets never run them.",
    )
)

st.header(t("Kế hoạch để in (PDF)", "Printable plan (PDF)"))
scopes: list[str | None] = [None]
if province != ALL:
    scopes.append(province)
    scopes += [o.org_id for o in orgs.children(province) if problem.has(o.org_id)]
else:
    scopes += sorted(
        (o.org_id for o in orgs.by_level(Level.CENTRAL) if problem.has(o.org_id)),
        key=lambda o: str(getattr(orgs.get(str(o)), attr)),
    )
print_scope = st.selectbox(
    t("In cho", "Print for"),
    scopes,
    index=1 if province != ALL else 0,
    format_func={
        o: word("nationwide") if o is None else str(getattr(orgs.get(o), attr)) for o in scopes
    }.__getitem__,
    key=f"print_scope_{scenario.era}_{province}_{lang()}",
)
print_lang = st.radio(
    t("Ngôn ngữ của bản in", "Language of the printout"),
    ["vi", "en"],
    index=0,
    format_func=lambda v: "Tiếng Việt" if v == "vi" else "English",
    horizontal=True,
    key="print_lang",
)


shown = record


def _pdf() -> bytes:  # built only when asked for
    return printed_plan(
        problem, plan_frame(shown), print_scope, print_lang, shown.report, today_in_vietnam()
    )


try:
    font_file()
except PlannerError as exc:
    st.error(error_text(exc))
else:
    built_file(
        st,
        ("pdf", plan_id, print_scope, print_lang),
        t("Tạo bản in", "Build the printout"),
        t("Tải bản in (PDF)", "Download the printout (PDF)"),
        _pdf,
        f"plan-{print_scope or 'vn'}-{print_lang}.pdf",
        "application/pdf",
        "pdf",
    )
    st.caption(
        t(
            "Ngày họp, căn cứ pháp lý của khung thời gian từng cấp, các ràng buộc cứng và lịch "
            "bầu cử; toàn quốc: đại hội toàn quốc và trực thuộc Trung ương, các cấp dưới tóm tắt.",
            "The dates, the legal basis of each level's window, the hard constraints and the "
            "election timetable; nationwide: the national and central-level congresses, the "
            "levels below summarised.",
        )
    )

st.header(t("Lịch iCal", "iCal feeds"))
levels = [lv.value for lv in scenario.planned_levels() if lv != Level.NATIONAL]
centrals = sorted(
    (o.org_id for o in orgs.by_level(Level.CENTRAL)), key=lambda o: getattr(orgs.get(o), attr)
)
if province != ALL:
    centrals = [province]
scopes_ical = ["all", "overview", "election"] + [f"level:{lv}" for lv in levels]
bodies = review_bodies(scenario, plan_frame(record))  # issue 20.3: a feed per reviewing body
scopes_ical += [f"body:{b}" for b in bodies]
scopes_ical += [f"org:{c}" for c in centrals]


def _scope_name(scope: str) -> str:
    if scope.startswith("org:"):
        return str(getattr(orgs.get(scope[4:]), attr)) + t(
            " và các đơn vị trực thuộc", " and its units"
        )
    if scope.startswith("level:"):
        return t("Mọi đại hội cấp: ", "Every congress: ") + charts.level_name(scope[6:])
    if scope.startswith("body:"):
        return t(bodies[scope[5:]].title_vi, bodies[scope[5:]].title_en)
    return {
        "all": t("Tất cả các lịch", "Every feed"),
        "overview": t("Tổng quan", "Overview"),
        "election": t("Lịch bầu cử", "Election timetable"),
    }[scope]


scope = st.selectbox(
    t("Phạm vi", "Scope"),
    scopes_ical,
    index=len(scopes_ical) - 1 if province != ALL else 0,
    format_func={s: _scope_name(s) for s in scopes_ical}.__getitem__,
    key=f"ical_scope_{scenario.era}_{province}_{lang()}",
)
key = f"export:{state.document}:{plan_id}:{scope}"
job = progress.watch(key, "Đang tạo lịch iCal…", "Building the iCal feeds…")
if job is not None and job.active:
    st.stop()
try:
    build = feeds.last_export(db, state.document, scope)
    recorded = stored_actuals.current(db, state.document)  # feeds follow reality (issue 21.5)
except StoreError as exc:
    st.error(error_text(exc))
    st.stop()
newest = max((e.entry_id or 0 for e in recorded.values()), default=0)
stale = build is not None and build.summary.get("actuals", 0) != newest
if build is None or build.plan_id != plan_id or stale:
    progress.ended(job)
    if build is not None and build.plan_id == plan_id:
        st.caption(
            t(
                f"Đã ghi kết quả thực tế mới sau lần xuất trước ({when(build.exported_at)}); "
                "xuất lại để lịch hiện ngày thực tế và đánh dấu đại hội hoãn.",
                f"New actuals were recorded after the last export ({when(build.exported_at)}); "
                "export again for the feeds to show the actual dates and mark postponements.",
            )
        )
    elif build is None:
        st.caption(
            t(
                "Phạm vi này chưa được xuất lần nào cho kịch bản này.",
                "This scope has not been exported for this scenario yet.",
            )
        )
    else:
        st.caption(
            t(
                f"Lần xuất trước của phạm vi này ({when(build.exported_at)}) là từ một kế hoạch "
                "khác; xuất kế hoạch này sẽ tăng SEQUENCE của mọi sự kiện đã đổi.",
                f"The last export of this scope ({when(build.exported_at)}) was from another "
                "plan; exporting this one raises SEQUENCE for every event that changed.",
            )
        )
    if st.button(t("Tạo lịch iCal", "Build the iCal feeds"), type="primary", key="build_ical"):
        payload = job_payload(plan_id=plan_id, scope=scope)
        pool().submit("export", payload, key=key, owner=author(), soft_cancel=False)
        st.rerun()
    st.stop()
summary = build.summary
n = {k: number(summary.get(k) or 0) for k in ("files", "events", "added", "removed", "moved",
                                              "changed")}  # fmt: skip
try:
    archive = (db.folder / build.archive).read_bytes()
except OSError as exc:
    st.error(t("Không đọc được tệp lịch đã tạo: ", "Cannot read the built feeds: ") + str(exc))
    st.stop()
safe = "".join(c if c.isalnum() else "-" for c in scope)
st.download_button(
    t(
        f"Lịch iCal ({n['files']} tệp, zip)",
        f"iCal feeds ({count_en(summary.get('files') or 0, 'file')}, zip)",
    ),
    archive,
    file_name=f"feeds-{safe}.zip",
    mime="application/zip",
    key="download_ical",
)
st.caption(
    t(
        f"{n['events']} sự kiện so với lần xuất trước của «{state.document}»: thêm "
        f"{n['added']}, bỏ {n['removed']}, dời {n['moved']}, sửa "
        f"nội dung {n['changed']} (SEQUENCE tăng cho mỗi sự kiện dời hoặc sửa).",
        f"{count_en(summary.get('events') or 0, 'event')} against the previous export of "
        f"“{state.document}”: "
        f"added {n['added']}, removed {n['removed']}, moved "
        f"{n['moved']}, text changed {n['changed']} (SEQUENCE rises for each "
        "moved or changed event).",
    )
)
with st.expander(t("Nhật ký thay đổi", "Change log")):
    st.code(str(summary.get("changelog", "")))
st.caption(  # F8: which feed a role subscribes to
    t(
        "index.html trong tệp zip nói mỗi vai trò đăng ký lịch nào: một lịch gộp role-….ics khi "
        "mọi sự kiện của vai trò vừa 1 MB và 1.000 sự kiện (phạm vi «Tất cả các lịch»), nếu "
        "không thì cả bộ lịch.",
        "index.html in the zip says which feed each role subscribes to: one combined "
        "role-….ics feed when every event of the role fits 1 MB and 1,000 events (scope "
        "“Every feed”), else the whole set.",
    )
)
