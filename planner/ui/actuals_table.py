"""The browser's table of actuals (issue 21, point 1): a province's units with their planned
dates and the outcome in force, edited in a table and saved with an explicit button.

The rows changed in the table are checked exactly as a file's rows are
(:func:`planner.plan.actuals.check_rows`: a bad row is refused with its row number and field,
nothing
is saved), then each unit is checked against the user's rights
(:func:`planner.store.access.may_record_actual`: outside the user's scope, nothing is saved), then
appended to the store (:func:`planner.store.actuals.record`) with the user's name. A unit's
entries (who, when, what) are shown newest first on its page (:func:`history_frame`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from planner.plan.actuals import STATUSES, Actual, check_rows
from planner.store import access
from planner.store import actuals as stored
from planner.store.db import Store
from planner.tree.hierarchy import OrgTree
from planner.ui.words import day, span, word

EDITABLE = ("status", "start", "end", "reason")


def status_labels() -> dict[str, str]:
    """Each outcome's code → its word in the page's language (never the code itself)."""
    return {code: word(f"actual.{code}") for code in STATUSES}


def outcome_text(entry: Actual | None) -> str:
    """The outcome in force in words: ``Đã họp 20/10/2020 – 22/10/2020``, ``Chưa ghi``."""
    if entry is None:
        return word("actual.none")
    text = word(f"actual.{entry.status}")
    if entry.start is not None:
        text += " " + span(entry.start, entry.end)
    return text


def units_frame(
    tree: OrgTree,
    ids: Sequence[str],
    plan: pd.DataFrame | None,
    current: Mapping[tuple[str, str], Actual],
    name_attr: str,
    level_name: Callable[[str], str],
) -> pd.DataFrame:
    """One row per unit (its congress): id, name, level, planned dates, the outcome in force,
    then the editable outcome, dates (text ``dd/mm/yyyy``, checked like a file's) and reason,
    filled with the entry in force; no cell is empty of meaning (``Chưa ghi``, never None)."""
    planned: dict[str, tuple[dt.date, dt.date]] = {}
    if plan is not None:
        congress = plan[plan["kind"] == "congress"]
        for org, start, end in zip(congress["org_id"], congress["start"], congress["end"],
                                   strict=True):  # fmt: skip
            planned[str(org)] = (start, end)
    labels = status_labels()
    rows = []
    for org_id in ids:
        org = tree.get(org_id)
        entry = current.get((org_id, "congress"))
        dates = planned.get(org_id)
        rows.append(
            {
                "org_id": org_id,
                "unit": str(getattr(org, name_attr)),
                "level": level_name(org.level.value),
                "planned": word("empty") if dates is None else span(*dates),
                "recorded": outcome_text(entry),
                "status": word("actual.none") if entry is None else labels[entry.status],
                "start": "" if entry is None or entry.start is None else day(entry.start),
                "end": "" if entry is None or entry.end is None else day(entry.end),
                "reason": "" if entry is None else entry.reason,
            }
        )
    columns = ["org_id", "unit", "level", "planned", "recorded", *EDITABLE]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def _text(value: Any) -> str:
    """A cell as the text a file would hold (dates ``yyyy-mm-dd``; empty for a missing one)."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def changed_rows(before: pd.DataFrame, after: pd.DataFrame) -> list[tuple[int, dict[str, str]]]:
    """The rows whose outcome, dates or reason differ from the table as it was drawn, as
    ``(row number from 1, {column: text})`` for :func:`planner.plan.actuals.check_rows`; the
    outcome's word is given back as its code (an unknown word as it is, to be refused), a row
    emptied (``Chưa ghi`` and no dates) is no entry."""
    codes = {label: code for code, label in status_labels().items()}
    codes[word("actual.none")] = ""
    out = []
    for index in range(len(after)):
        new = [_text(after.iloc[index][c]) for c in EDITABLE]
        new[0] = codes.get(new[0], new[0])
        old = [_text(before.iloc[index][c]) for c in EDITABLE] if index < len(before) else []
        if old:
            old[0] = codes.get(old[0], old[0])
        if new == old or not any(new):
            continue
        status, start, end, reason = new
        row = {
            "org_id": str(after.iloc[index]["org_id"]),
            "kind": "congress",
            "status": status,
            "start": start,
            "end": end,
            "reason": reason,
        }
        out.append((index + 1, row))
    return out


def save(
    store: Store,
    document: str,
    tree: OrgTree,
    identity: access.Identity,
    author: str,
    rows: Sequence[tuple[int, Mapping[str, str]]],
    source: str,
) -> int:
    """Check the rows (:class:`planner.plan.actuals.ActualsError` naming ``source``, each bad row
    and
    field), then the user's rights on each unit (:class:`planner.store.access.AccessRefused`), then
    record them all (all or nothing); returns how many were recorded."""
    entries = check_rows(rows, source, tree)
    for entry in entries:
        decision = access.may_record_actual(identity, entry.org_id, tree)
        if not decision:
            raise access.AccessRefused(decision)
    if not entries:
        return 0
    return stored.record(store, document, entries, author, source="browser")


def table_words(text: str) -> str:
    """A file-row message in the table's words: the column codes as the table's headings and
    the outcome codes as words (``trạng thái held cần … (start và end)`` → ``trạng thái Đã họp
    cần … (Từ ngày và Đến ngày)``)."""
    names = {"start": word("start"), "end": word("end"), "status": word("outcome"),
             "reason": word("reason"), "org_id": word("unit_id")}  # fmt: skip
    names.update(status_labels())
    return re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: names[m[1]], text)


def when(recorded_at: str | None) -> str:
    """A stored UTC time as ``dd/mm/yyyy hh:mm UTC``."""
    if not recorded_at:
        return word("empty")
    moment = dt.datetime.fromisoformat(recorded_at)
    return f"{day(moment.date())} {moment:%H:%M} UTC"


def history_frame(entries: Sequence[Actual]) -> pd.DataFrame:
    """A unit's entries newest first: when, who, what (step, outcome, dates, reason)."""
    rows = [
        {
            word("recorded_at"): when(e.recorded_at),
            word("recorded_by"): e.author or word("empty"),
            word("event_kind"): word(f"kind.{e.kind}"),
            word("outcome"): word(f"actual.{e.status}"),
            word("actual_dates"): word("empty") if e.start is None else span(e.start, e.end),
            word("reason"): e.reason or word("empty"),
        }
        for e in reversed(entries)
    ]
    return pd.DataFrame(rows)
