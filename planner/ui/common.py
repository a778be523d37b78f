"""Helpers shared by the pages: text, the scenario and problem on screen, applying edits with
visible feedback, and the results stored for the working copy."""

from __future__ import annotations

import io
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from planner.errors import PlannerError
from planner.plan.frame import neutralise
from planner.problem.units import Problem
from planner.scenario.model import Scenario
from planner.store import plans, scenarios
from planner.store.db import Store, StoreError
from planner.store.plans import PlanRecord
from planner.store.recovery import builtin
from planner.store.scenarios import content_key
from planner.tree.names import level_label
from planner.ui.captions import election_followers
from planner.ui.changelog import action, described, saved_text, unsaved_changes
from planner.ui.opened import built, current, error_text, may_change, save
from planner.ui.session import (
    author,
    heading_place,
    lang,
    store,
    t,
    working,
)
from planner.ui.words import word


def _spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text a spreadsheet would run as a formula behind an apostrophe
    (:func:`planner.plan.frame.neutralise`); other cells as they are."""
    out = frame.copy()
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            cells = [neutralise(v) if isinstance(v, str) else v for v in column]
            out[name] = pd.Series(cells, index=frame.index, dtype=object)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV for a spreadsheet (UTF-8 with a byte-order mark, so spreadsheets read
    the diacritics; dates as ``yyyy-mm-dd``, which spreadsheets read as dates); text a
    spreadsheet would run as a formula is written behind an apostrophe."""
    return _spreadsheet_safe(frame).to_csv(index=False).encode("utf-8-sig")


def plan_sheet(plan: pd.DataFrame) -> pd.DataFrame:
    """A plan for people with a spreadsheet: the page's language first (headings, names,
    levels by their names from the eras' data, kinds in words), dates as dates. The CLI's
    machine format (:func:`planner.plan.frame.plan_to_csv`) is another thing and stays as it is."""
    english = lang() == "en"
    levels = {lv: level_label(str(lv)) for lv in plan["level"].dropna().unique()}
    kinds = {k: word(k) for k in plan["kind"].dropna().unique()}
    starts, ends = _cells(plan["start"]), _cells(plan["end"])
    columns = {
        word("event_kind"): [kinds.get(k, k) for k in plan["kind"]],
        word("unit"): _cells(plan["org_name_en" if english else "org_name"]),
        word("unit_id"): _cells(plan["org_id"]),
        word("level"): [
            (levels[lv].en if english else levels[lv].vi) if lv in levels else None
            for lv in plan["level"]
        ],
        word("parent_id"): _cells(plan["parent_id"]),
        word("start"): starts,
        word("end"): ends,
        word("days"): [
            (e - s).days + 1 if s and e else None for s, e in zip(starts, ends, strict=True)
        ],
        word("event_name"): _cells(plan["name_en" if english else "name_vi"]),
        word("rule"): _cells(plan["rule"]),
        word("source"): _cells(plan["source"]),
    }
    if "held" in plan.columns and plan["held"].fillna(False).astype(bool).any():
        held = plan["held"].fillna(False).astype(bool)
        columns[word("held")] = [word("yes") if h else word("no") for h in held]
    columns[word("event_id")] = list(plan["event_id"])
    days = word("days")  # whole numbers, empty for an undated step; the rest as they are
    return pd.DataFrame(
        {k: pd.Series(v, dtype="Int64" if k == days else object) for k, v in columns.items()}
    )


def _cells(column: pd.Series) -> list[Any]:
    """A column's values with a missing one (``NaN``) as an empty cell."""
    return [None if isinstance(v, float) and v != v else v for v in column]


def xlsx_bytes(plan: pd.DataFrame) -> bytes:
    """A plan as an XLSX workbook: :func:`plan_sheet`'s columns, real date cells
    (``dd/mm/yyyy``), text a spreadsheet would run as a formula behind an apostrophe."""
    frame = _spreadsheet_safe(plan_sheet(plan))
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=t("Kế hoạch", "Plan"))
        sheet = next(iter(writer.sheets.values()))
        for col, name in enumerate(frame.columns, start=1):
            if name in (word("start"), word("end")):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = "DD/MM/YYYY"
    return buffer.getvalue()


def name_col() -> str:
    """The organisation-name column for the chosen language."""
    return "name_en" if lang() == "en" else "name_vi"


def page(title_vi: str, title_en: str) -> tuple[Scenario, Problem]:
    """Open a page: its heading and the working scenario and problem (the page stops when the
    scenario does not validate; the notice above it says why and how to get back)."""
    heading_place().title(t(title_vi, title_en))  # the page's one h1 (where app.py drew it)
    loaded = current()
    if loaded is None:
        st.error(
            t("Kịch bản đang mở không hợp lệ: ", "The open scenario does not validate: ")
            + st.session_state.get("invalid", "")
        )
        st.stop()
    st.session_state.pop("invalid", None)
    return loaded


def flash(message: str, kind: str = "success") -> None:
    """A message shown once at the top of the next render (one shown just before
    ``st.rerun()`` would vanish before anyone could read it)."""
    st.session_state.setdefault("flash", []).append((kind, message))


def refuse(where: str, message: str, inputs: Hashable) -> None:
    """Remember a refusal for the inputs it concerns; shown while they stay as they were."""
    st.session_state[f"feedback:{where}"] = (inputs, message)


def feedback(where: str, inputs: Hashable) -> None:
    """Show the refusal for ``where`` if the inputs are still the refused ones (else drop it:
    a message never outlives the values it was about)."""
    entry = st.session_state.get(f"feedback:{where}")
    if entry is None:
        return
    if entry[0] == inputs:
        st.error(entry[1])
    else:
        del st.session_state[f"feedback:{where}"]


def saved_message(outcome: str, what: str) -> None:
    """The confirmation (or the reason it is not saved) after a save, shown on the next run:
    each change in words, old → new, relative to the version before it (``what``, the stored
    summary, is kept with the version)."""
    state = working()
    if outcome == "saved":
        done = saved_text(store(), state.document, state.version)
        flash(t("Đã lưu phiên bản ", "Saved version ") + f"{state.version}: {done}")
    elif outcome == "refused":
        flash(t("Không lưu: ", "Not saved: ") + str(st.session_state.pop("refused", "")), "error")
    elif outcome == "unsaved":
        flash(
            t("Chưa lưu được (thay đổi vẫn giữ trong phiên này): ", "Not saved (kept in this "
              "session): ") + f"{described(unsaved_changes(store(), state))}. {state.problem}",
            "warning",
        )  # fmt: skip


def apply_changes(changes: Sequence[str], where: str, inputs: Hashable) -> bool:
    """Validate and save ``--set`` changes as the next version. Refused: the reason stays under
    the inputs (nothing changes). Returns True when the page should rerun."""
    state = working()
    try:
        changes = [*changes, *election_followers(state.scenario(), changes)]
        merged = state.changed(changes)
    except PlannerError as exc:
        refuse(where, t("Không áp dụng: ", "Not applied: ") + error_text(exc), inputs)
        return False
    allowed = may_change((state.base_text, state.sets), (state.base_text, merged))
    if not allowed:
        refuse(where, t("Không áp dụng: ", "Not applied: ")
               + t(allowed.message_vi, allowed.message_en), inputs)  # fmt: skip
        return False
    st.session_state.pop(f"feedback:{where}", None)
    summary = action("edit")
    saved_message(save(state.base_text, state.base_name, merged, summary), summary)
    return True


def answer(
    where: str, title: str, changes: list[str], problems: list[str], inputs: Hashable
) -> None:
    """Answer an Apply button on screen: refused (each problem, under the inputs), nothing
    changed, or saved as the next version (the page reruns to show it everywhere)."""
    if problems:
        refusal = t("Không áp dụng — ", "Not applied — ") + f"{title}: " + "; ".join(problems)
        refuse(where, refusal, inputs)
    elif not changes:
        flash(f"{title}: " + t("không có thay đổi.", "nothing changed."), "info")
        st.rerun()
    elif apply_changes(changes, where, inputs):
        st.rerun()


def reset_to_builtin() -> None:
    """Save the built-in scenario as the next version (undoable from the history) and rerun."""
    text, name = builtin()
    summary = action("reset")
    saved_message(save(text, name, [], summary), summary)
    st.rerun()


def editor_key(name: str) -> str:
    """A data editor's key, new for each content: applied edits never linger in the table."""
    return f"{name}_editor_{working().content_key[:10]}"


@st.cache_resource(show_spinner=False, max_entries=4)
def _plan_frame(db: str, plan_id: int) -> pd.DataFrame:
    return plans.plan_frame(Store(Path(db)), plan_id)


def plan_frame(record: PlanRecord) -> pd.DataFrame:
    """A stored plan as a DataFrame (cached: plans never change once stored)."""
    return _plan_frame(str(store().path), record.id)


def shown_plan(content_key: str) -> PlanRecord | None:
    """The newest stored result for a content, or None."""
    try:
        return plans.latest(store(), content_key)
    except StoreError:
        return None


def plan_identity(record: PlanRecord) -> tuple[str, str] | None:
    """The scenario id and era a stored plan was made for (from its report; for a plan stored
    before they were recorded, from its version), or None when that cannot be known."""
    report = record.report
    if report.get("scenario_id") and report.get("era"):
        return str(report["scenario_id"]), str(report["era"])
    try:
        version = scenarios.load(store(), record.scenario, record.version)
        if version.content_key != record.content_key:
            return None
        made, _problem = loaded(version.base_text, version.base_name, version.sets)
    except (PlannerError, StoreError):
        return None
    return made.id, made.era


def _same_scenario(record: PlanRecord, scenario: Scenario) -> bool:
    """A re-plan base must be a plan of the same scenario id and era (issue 19, D1)."""
    return plan_identity(record) == (scenario.id, scenario.era)


def replan_base(scenario: Scenario) -> PlanRecord | None:
    """The plan to re-plan from after a change: the one last shown in this session for another
    content, else the newest plan of the versions this one derives from; only ever a plan of
    the same scenario id and era as the working scenario (another cycle's plan is solved
    afresh, never "re-planned")."""
    state = working()
    seen = st.session_state.get("shown_plan")
    if (
        isinstance(seen, PlanRecord)
        and seen.content_key != state.content_key
        and _same_scenario(seen, scenario)
    ):
        return seen
    try:
        version = scenarios.load(store(), state.document, state.version)
        number = version.number if version.content_key != state.content_key else version.parent
        for _step in range(50):
            if number is None:
                return None
            version = scenarios.load(store(), state.document, number)
            if version.content_key != state.content_key:
                found = plans.latest(store(), version.content_key, with_plan=True)
                if found is not None and _same_scenario(found, scenario):
                    return found
            number = version.parent
    except (PlannerError, StoreError):
        return None
    return None


def job_payload(**extra: Any) -> dict[str, Any]:
    """What a worker needs to rebuild the working scenario and store its result."""
    state = working()
    return version_payload(state.document, state.version, state.base_text, state.base_name,
                           state.sets, **extra)  # fmt: skip


def version_payload(
    document: str, number: int, base_text: str, base_name: str, sets: Sequence[str], **extra: Any
) -> dict[str, Any]:
    """What a worker needs to rebuild one version's scenario and store its result."""
    return {
        "base_text": base_text,
        "base_name": base_name,
        "sets": list(sets),
        "db": str(store().path),
        "content_key": content_key(base_text, sets),
        "scenario": document,
        "version": number,
        "author": author(),
        **extra,
    }


def loaded(base_text: str, base_name: str, sets: Sequence[str]) -> tuple[Scenario, Problem]:
    """Any version's scenario and problem (raises a bilingual error when it does not
    validate); shared with :func:`current`."""
    return built(content_key(base_text, sets), base_text, base_name, tuple(sets))
