"""So sánh / Compare: two scenarios, or two versions of one, side by side: the status, objective
and bound of each plan, the changed keys, the counts per level, and every congress whose dates
differ (old → new, by how many days, the window rule that holds it), downloadable as CSV."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.rules.history import HistoricalCongress, history_cycle, load_history
from planner.store import plans, scenarios
from planner.store.db import StoreError
from planner.store.scenarios import Version
from planner.ui import charts, progress
from planner.ui.changelog import compared
from planner.ui.common import csv_bytes, loaded, page, plan_frame, version_payload
from planner.ui.compare import counts_by_level, differences, holding_rule, only_units, real_frame
from planner.ui.jobs import Job, pool
from planner.ui.opened import error_text
from planner.ui.province import ALL, subset
from planner.ui.search import place
from planner.ui.session import author, lang, store, t, working
from planner.ui.words import count_en, number, span, status_text, word

TABLE_LIMIT = 2000

scenario_now, _problem_now = page("So sánh kịch bản", "Compare scenarios")
state = working()
docs = [d.name for d in scenarios.documents(store())]
if state.document not in docs:
    docs.append(state.document)
REAL = ":real-dates"  # the side that is the cycle's real dates (data/history), not a document
cycle = history_cycle(scenario_now.cycle, scenario_now.id, scenario_now.raw.get("history"))
if cycle is not None:
    docs.append(REAL)


@dataclass(frozen=True)
class RealDates:
    """The cycle's real congress dates as a side of the comparison."""

    cycle: str
    rows: tuple[HistoricalCongress, ...]

    @property
    def scenario(self) -> str:
        """The side's name in file names."""
        return f"{self.cycle}-real"

    number = 0


def _doc_label(doc: str) -> str:
    return f"{word('real_dates')} · {cycle}" if doc == REAL else doc


def _side(
    column: st.delta_generator.DeltaGenerator, name: str, doc: str, number_: int
) -> Version | RealDates:
    """Choose one side (a document and one of its versions, or the cycle's real dates)."""
    chosen = column.selectbox(
        t(f"Kịch bản {name}", f"Scenario {name}"),
        docs,
        index=docs.index(doc),
        format_func=_doc_label,
        key=f"cmp_doc_{name}",
    )
    if chosen == REAL and cycle is not None:
        return RealDates(cycle, tuple(load_history(cycle)))
    head = scenarios.head(store(), chosen)
    numbers = list(range(head, 0, -1))
    version = column.selectbox(
        t(f"Phiên bản {name}", f"Version {name}"),
        numbers,
        index=numbers.index(number_) if chosen == doc and number_ in numbers else 0,
        key=f"cmp_version_{name}_{chosen}",
    )
    return scenarios.load(store(), chosen, int(version))


def _no_plan_yet(
    column: st.delta_generator.DeltaGenerator, name: str, version: Version, job: Job | None
) -> None:
    """Why a side has no plan (issue 19, D7: the solve ran, then the page said only "no plan
    yet"): how its last solve ended — proven impossible, undecided, failed, cancelled, or not
    saved — and otherwise that none was made."""
    if job is not None and job.state == "failed":
        column.error(t("Lỗi khi tính: ", "The computation failed: ") + str(job.error))
        return
    result = job.result if job is not None and isinstance(job.result, dict) else {}
    if result.get("unsaved"):
        column.warning(
            t("Kết quả chưa được lưu: ", "The result is not saved: ") + result["unsaved"]
        )
    try:
        last = plans.latest(store(), version.content_key)
    except StoreError:
        last = None
    report = last.report if last is not None else result.get("report")
    if isinstance(report, dict) and report.get("cancelled"):
        column.warning(
            t(f"{name}: đã dừng trước khi có kế hoạch.", f"{name}: cancelled before a plan.")
        )
    elif isinstance(report, dict):
        budget = float(st.session_state.get("budget_s", 5.0))
        progress.no_plan(column, report, version.content_key, budget)
    elif job is not None and job.state == "cancelled":
        column.warning(
            t(f"{name}: đã dừng trước khi có kế hoạch.", f"{name}: cancelled before a plan.")
        )
    else:
        column.info(t(f"{name} chưa có kế hoạch.", f"{name} has no plan yet."))


left, right = st.columns(2)
try:
    before = scenarios.load(store(), state.document, state.version)
    a = _side(left, "A", state.document, before.parent or state.version)
    b = _side(right, "B", state.document, state.version)
except PlannerError as exc:
    st.error(error_text(exc))
    st.stop()

records = {}
real: dict[str, pd.DataFrame] = {}  # a side that is the real dates: its congresses
watched: set[str] = set()
for name, version, column in (("A", a, left), ("B", b, right)):
    if isinstance(version, RealDates):
        real[name] = real_frame(version.rows, _problem_now.tree)
        column.markdown(
            f"**{word('real_dates')} · {version.cycle}** · "
            + t(f"{number(len(real[name]))} đại hội", f"{number(len(real[name]))} congresses")
        )
        continue
    record = plans.latest(store(), version.content_key, with_plan=True)
    key = f"plan:{version.content_key}"
    job = pool().find(key)
    if record is None:
        if job is not None and job.active:
            if key not in watched:  # A and B may be the same content: one progress box
                watched.add(key)
                with column:
                    progress.watch(key, "Đang lập kế hoạch…", "Solving…")
        elif key not in watched and column.button(
            t(f"Lập kế hoạch cho {name}", f"Solve {name}"), key=f"cmp_solve_{name}", type="primary"
        ):
            try:
                loaded(version.base_text, version.base_name, version.sets)
            except PlannerError as exc:
                column.error(error_text(exc))
                continue
            budget = float(st.session_state.get("budget_s", 5.0))
            payload = version_payload(
                version.scenario, version.number, version.base_text, version.base_name,
                version.sets, time_limit=budget,
            )  # fmt: skip
            pool().submit("solve", payload, key=key, owner=author())
            st.rerun()
        elif key not in watched:
            _no_plan_yet(column, name, version, job)
        watched.add(key)
        continue
    records[name] = record
    report = record.report
    column.markdown(
        f"**{version.scenario} v{version.number}** · {status_text(report.get('status'))}  \n"
        + word("objective")
        + ": "
        + ("—" if report.get("objective") is None else number(report["objective"]))
        + " · "
        + word("bound")
        + ": "
        + ("—" if report.get("bound") is None else number(report["bound"]))
    )
if len(records) + len(real) < 2:
    st.stop()
if len(real) == 2:
    st.info(t("Hai bên đều là ngày thực tế: chọn một kế hoạch cho A hoặc B.",
              "Both sides are the real dates: choose a plan for A or B."))  # fmt: skip
    st.stop()

province = str(st.session_state.get("province", ALL))
if isinstance(a, Version) and isinstance(b, Version):
    st.header(t("Thay đổi của kịch bản", "Changes of the scenario"))
    st.markdown(compared(store(), a, b))
planned = b if isinstance(b, Version) else a
assert isinstance(planned, Version)
_scenario_b, problem_b = loaded(planned.base_text, planned.base_name, planned.sets)
own = history_cycle(_scenario_b.cycle, _scenario_b.id, _scenario_b.raw.get("history"))
if real and own != cycle:
    st.info(
        t(
            f"Ngày thực tế là của chu kỳ {cycle}; kế hoạch bên kia thuộc chu kỳ khác: chọn một "
            "phiên bản của cùng chu kỳ.",
            f"The real dates are the {cycle} cycle's; the plan on the other side is of another "
            "cycle: choose a version of the same cycle.",
        )
    )
    st.stop()
frames = {n: real[n] if n in real else plan_frame(records[n]) for n in ("A", "B")}
if real:  # a plan next to the real dates: the congresses whose real dates are known
    known = next(iter(real.values()))["org_id"]
    frames = {n: only_units(f, known) for n, f in frames.items()}
    st.caption(
        t(
            f"So với ngày thực tế: {number(len(known))} đại hội có ngày thực tế trong dữ liệu "
            "lịch sử của chu kỳ (mỗi ngày có nguồn công khai).",
            f"Against the real dates: the {number(len(known))} congresses whose real dates the "
            "cycle's history records (each with a public source).",
        )
    )
plan_a = subset(frames["A"], problem_b.tree, province)
plan_b = subset(frames["B"], problem_b.tree, province)
found = differences(plan_a, plan_b)
st.header(t("Số đại hội theo cấp", "Congresses per level"))
st.table(
    pd.DataFrame(
        [
            {
                word("level"): charts.level_name(level),
                "A": number(in_a),
                "B": number(in_b),
                word("changed"): number(differ),
            }
            for level, in_a, in_b, differ in counts_by_level(plan_a, plan_b, found)
        ]
    )
)
holds = {
    "deadline": t("hạn chót của cấp", "the level's deadline"),
    "earliest": t("ngày đầu khung", "the window's first day"),
    "pin": t("ngày đã chốt", "fixed dates"),
}
rows: list[dict[str, object]] = []
for item in found:
    rule = holding_rule(problem_b, item) if len(rows) < TABLE_LIMIT and "B" not in real else None
    rows.append(
        {
            word("unit_id"): item.org_id,
            word("unit"): item.name_en if lang() == "en" else item.name_vi,
            word("province"): place(problem_b.tree, item.org_id) or word("empty"),
            word("level"): charts.level_name(item.level),
            "A": "—" if item.a is None else span(*item.a),
            "B": "—" if item.b is None else span(*item.b),
            word("shift"): "—" if item.shift is None else f"{item.shift:+d}",
            t("Giữ bởi (B)", "Held by (B)"): holds.get(rule or "", "—"),
        }
    )
table = pd.DataFrame(rows)
st.header(
    t(
        f"{number(len(found))} đại hội khác ngày",
        count_en(len(found), "congress") + " on other dates",
    )
)
if rows:
    st.dataframe(table.head(TABLE_LIMIT), hide_index=True, key="cmp_table")
    st.download_button(
        t("Tải bảng so sánh (CSV)", "Download the comparison (CSV)"),
        csv_bytes(
            table.assign(**{word("shift"): pd.Series([d.shift for d in found], dtype="Int64")})
        ),
        file_name=f"compare-{a.scenario}-v{a.number}-{b.scenario}-v{b.number}.csv",
        mime="text/csv",
        key="cmp_download",
    )
