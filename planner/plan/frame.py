"""Plans: the scheduled events as a pandas DataFrame with a documented schema, CSV/JSON I/O.

Schema (one row per event; dates are ``datetime.date``, ``end`` inclusive):

========== ==============================================================================
event_id   stable id: ``congress:<org_id>``, ``election:<step_id>``, ``plenum:<id>``,
           ``blackout:<id>``, ``holiday:<YYYY-MM-DD>``, ``<step kind>:<org_id>``
kind       ``congress`` | ``election_step`` | ``plenum`` | ``blackout`` | ``holiday`` |
           a preparation step: ``review`` | ``announce`` | ``report`` | ``approval``
org_id     the organisation (congresses; a step: the congress it belongs to)
org_name   its Vietnamese name; ``org_name_en`` its English name
level      ``national`` | ``central`` | ``district`` | ``grassroots`` (congresses)
parent_id  the parent organisation (congresses)
start, end first and last day (``end`` inclusive); empty for undated election steps
name_vi    what happens, in Vietnamese; ``name_en`` in English
rule       the rule behind it: ``E−70`` for election steps, the rule id for congresses
source     the legal source, cited
body       the reviewing body of a preparation step (planner.rules.preparation); empty otherwise
========== ==============================================================================

A written plan also records the scenario it was made from (:mod:`planner.plan.provenance`): the
columns ``scenario`` and ``scenario_fingerprint`` on every CSV row, the same keys in the
``meta`` of a JSON plan; a plan read back keeps them in ``frame.attrs``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from planner.errors import PlannerError
from planner.files.fsio import atomic_write_text
from planner.files.tomlio import check_text_file, not_utf8, read_text_file, unreadable
from planner.plan.provenance import FINGERPRINT_COLUMN, SCENARIO_COLUMN, stamp_plan
from planner.problem.units import Problem
from planner.rules.calendar import MAX_YEAR, MIN_YEAR
from planner.rules.preparation import STEP_KINDS, StepRow, derive_rows, plan_steps, step_name
from planner.rules.timetable import election_timetable
from planner.tree.names import congress_label

PLAN_COLUMNS = [
    "event_id",
    "kind",
    "org_id",
    "org_name",
    "org_name_en",
    "level",
    "parent_id",
    "start",
    "end",
    "name_vi",
    "name_en",
    "rule",
    "source",
    "body",
]
KINDS = ("congress", "election_step", "plenum", "blackout", "holiday", *STEP_KINDS)
# ``body``: the reviewing body of a preparation step (planner.rules.preparation), empty on other
# rows;
# a plan file without the column (written before the steps) reads as before
# optional column ``held``: the congress has already taken place on these dates (re-planning)
HELD_TRUE = frozenset({"1", "true", "yes", "x", "có", "đã họp", "held"})
HELD_FALSE = frozenset({"", "0", "false", "no", "không"})
MAX_PLAN_BYTES = 64 * 1024 * 1024
# frame.attrs key: congresses whose review the placeholder could not place
# (planner.rules.preparation)
UNPLACED = "unplaced_reviews"
_ORIGIN = (SCENARIO_COLUMN, FINGERPRINT_COLUMN)
_REPEATED = frozenset({"kind", "level", "parent_id", "start", "end", "rule", "source", "body"})


def congress_event_id(org_id: str) -> str:
    """The stable event id of an organisation's congress."""
    return f"congress:{org_id}"


def make_plan(
    problem: Problem,
    starts: Mapping[str, dt.date],
    election_day: dt.date,
    reviews: Mapping[str, tuple[dt.date, str]] | None = None,
    kept: Mapping[tuple[str, str], StepRow] | None = None,
) -> pd.DataFrame:
    """The plan of a solved problem: congresses, their preparation steps (``reviews``: those
    the solver scheduled, org id → (day, body id); ``kept``: step rows kept as they are, by
    :func:`planner.rules.preparation.step_key`; the others placed by
    :func:`planner.rules.preparation.derive_rows`), the whole timetable, plenums and blackouts."""
    tree = problem.tree
    scenario = problem.scenario
    held = any(u.held for u in problem.units)
    columns = [*PLAN_COLUMNS, "held"] if held else list(PLAN_COLUMNS)
    data: dict[str, list[Any]] = {c: [] for c in columns}
    labels = {lv: congress_label(lv.value) for lv in scenario.planned_levels()}
    rules = {lv: scenario.levels[lv].duration_rule or "" for lv in scenario.planned_levels()}
    one_day = dt.timedelta(days=1)
    for unit in problem.units:  # column by column: 53,334 congresses nationwide
        org = tree.get(unit.org_id)
        start = starts[unit.org_id]
        data["event_id"].append(congress_event_id(org.org_id))
        data["kind"].append("congress")
        data["org_id"].append(org.org_id)
        data["org_name"].append(org.name_vi)
        data["org_name_en"].append(org.name_en)
        data["level"].append(org.level.value)
        data["parent_id"].append(org.parent_id)
        data["start"].append(start)
        data["end"].append(start + one_day * (unit.days - 1))
        data["name_vi"].append(f"Đại hội {org.name_vi}")
        data["name_en"].append(f"Congress of the {org.name_en}")
        data["rule"].append(rules[org.level])
        data["source"].append(labels[org.level].vi)
        if held:
            data["held"].append(unit.held)
    unplaced: list[str] = []
    others = _step_rows(problem, starts, unplaced, reviews, kept)
    data["body"] = [None] * len(data["event_id"])
    for step in election_timetable(election_day, scenario.election_law):
        others.append(
            {
                "event_id": f"election:{step.step_id}",
                "kind": "election_step",
                "start": step.first_day,
                "end": step.last_day,
                "name_vi": step.name_vi,
                "name_en": step.name_en,
                "rule": step.rule,
                "source": step.source.cite(),
            }
        )
    seen: set[str] = set()
    for blackout in scenario.blackouts:
        kind = {"plenum": "plenum", "holiday": "holiday"}.get(blackout.kind, "blackout")
        event_id = f"{kind}:{blackout.id.removeprefix('holiday.')}"
        if event_id in seen:
            continue
        seen.add(event_id)
        others.append(
            {
                "event_id": event_id,
                "kind": kind,
                "start": blackout.start,
                "end": blackout.end,
                "name_vi": blackout.name_vi,
                "name_en": blackout.name_en,
                "rule": blackout.id,
                "source": blackout.source,
            }
        )
    for row in others:
        for column in columns:
            data[column].append(row.get(column, False if column == "held" else None))
    frame = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in data.items()})
    frame.attrs[UNPLACED] = unplaced
    return stamp_plan(frame, scenario)


def _step_rows(
    problem: Problem,
    starts: Mapping[str, dt.date],
    unplaced: list[str],
    reviews: Mapping[str, tuple[dt.date, str]] | None = None,
    kept: Mapping[tuple[str, str], StepRow] | None = None,
) -> list[dict[str, Any]]:
    """The preparation steps of the planned congresses (none when the scenario has none); the
    congresses whose review no day can hold are appended to ``unplaced``."""
    settings = problem.scenario.preparation
    if settings is None or not settings.active:
        return []
    tree = problem.tree
    one_day = dt.timedelta(days=1)
    dates = {
        u.org_id: (starts[u.org_id], starts[u.org_id] + one_day * (u.days - 1))
        for u in problem.units
        if u.org_id in starts
    }
    steps = plan_steps(settings, ((u.org_id, u.level.value) for u in problem.units))
    rules = {r.id: r for r in settings.data.ruleset or ()}
    out = []
    for row in derive_rows(settings, steps, dates, unplaced, reviews, kept):
        org = tree.get(row.org_id)
        name_vi, name_en = step_name(settings, row, org.name_vi, org.name_en)
        out.append(
            {
                "event_id": f"{row.kind}:{row.org_id}",
                "kind": row.kind,
                "org_id": row.org_id,
                "org_name": org.name_vi,
                "org_name_en": org.name_en,
                "level": org.level.value,
                "parent_id": org.parent_id,
                "start": row.start,
                "end": row.end,
                "name_vi": name_vi,
                "name_en": name_en,
                "rule": row.rule_id,
                "source": rules[row.rule_id].source.cite(),
                "body": row.body,
            }
        )
    return out


def _columns(frame: pd.DataFrame) -> list[str]:
    """The documented columns, plus ``held`` when some congress has already taken place."""
    if "held" in frame.columns and frame["held"].fillna(False).astype(bool).any():
        return [*PLAN_COLUMNS, "held"]
    return PLAN_COLUMNS


# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection",
# DESIGN §3 Files): such text is written behind an apostrophe, which the reader takes off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet shows, never runs: ``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)``."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def _origin(frame: pd.DataFrame) -> list[str]:
    """The scenario id and fingerprint recorded in the plan (empty when it records none)."""
    scenario = frame.attrs.get(SCENARIO_COLUMN)
    return [str(scenario), str(frame.attrs.get(FINGERPRINT_COLUMN) or "")] if scenario else []


def plan_to_csv(frame: pd.DataFrame) -> str:
    """CSV text with ISO dates (``end`` inclusive) and the documented columns, then the
    scenario id and fingerprint on every row (a filtered or re-sorted copy keeps them)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    columns = _columns(frame)
    origin = _origin(frame)
    writer.writerow([*columns, SCENARIO_COLUMN, FINGERPRINT_COLUMN] if origin else columns)
    cells = [[_cell(v) for v in frame[c].tolist()] for c in columns]
    cells += [[value] * len(frame) for value in origin]
    writer.writerows(zip(*cells, strict=True))
    return out.getvalue()


def plan_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows."""
    columns = _columns(frame)
    return [
        {k: _cell(v) or None for k, v in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False)
    ]


def check_plan_suffix(path: Path) -> None:
    """Refuse a plan path that is neither ``.csv`` nor ``.json`` (any case)."""
    if path.suffix.lower() not in (".csv", ".json"):
        raise PlannerError(
            f"không ghi được '{path.name}': chỉ hỗ trợ .csv hoặc .json.",
            f"cannot write '{path.name}': only .csv or .json are supported.",
            field="--out",
        )


def write_plan(frame: pd.DataFrame, path: Path, meta: Mapping[str, Any] | None = None) -> None:
    """Write a plan as ``.csv`` or ``.json`` (JSON carries ``meta`` too)."""
    check_plan_suffix(path)
    if path.suffix.lower() == ".json":
        origin = dict(zip((SCENARIO_COLUMN, FINGERPRINT_COLUMN), _origin(frame), strict=False))
        payload = {"meta": {**origin, **dict(meta or {})}, "events": plan_records(frame)}
        atomic_write_text(path, json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        atomic_write_text(path, plan_to_csv(frame))


def _parse_day(value: str, file: str, line: int, column: str) -> dt.date | None:
    value = value.strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise PlannerError(
            f"'{value}' ở cột {column} không phải ngày YYYY-MM-DD.",
            f"'{value}' in column {column} is not a YYYY-MM-DD date.",
            file=file,
            line=line,
            field=column,
        )
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise PlannerError(
            f"'{value}' ở cột {column}: năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
            f"'{value}' in column {column}: the year must be within {MIN_YEAR}–{MAX_YEAR}.",
            file=file,
            line=line,
            field=column,
        )
    return day


def _parse_held(value: str, file: str, line: int) -> bool:
    word = value.strip().lower()
    if word in HELD_TRUE:
        return True
    if word in HELD_FALSE:
        return False
    raise PlannerError(
        f"cột held: '{value}' không hiểu được; dùng 1/true (đã họp) hoặc 0/false/để trống.",
        f"column held: cannot read '{value}'; use 1/true (already held) or 0/false/empty.",
        file=file,
        line=line,
        field="held",
    )


class _Rows:
    """CSV rows with the problems the csv module raises or hides turned into bilingual errors:
    a cell over the field limit, and an unclosed quote (which swallows the rest of the file
    into one cell)."""

    def __init__(self, reader: Any, file: str) -> None:
        self.reader = reader
        self.file = file
        self.line_num = 0

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> list[str]:
        first = self.reader.line_num + 1
        try:
            cells: list[str] = next(self.reader)
        except csv.Error as exc:
            raise PlannerError(
                f"dòng CSV không đọc được ({exc}).",
                f"cannot read this CSV row ({exc}).",
                file=self.file,
                line=first,
                hint_vi="Một ô quá dài hoặc sai định dạng; kiểm tra dấu ngoặc kép.",
                hint_en="A cell is too long or malformed; check the quotes.",
            ) from None
        self.line_num = self.reader.line_num
        if any("\n" in c or "\r" in c for c in cells):
            raise PlannerError(
                "một ô chứa xuống dòng: có lẽ thiếu dấu ngoặc kép đóng.",
                "a cell holds a line break: probably an unclosed quote.",
                file=self.file,
                line=first,
                hint_vi='Đóng dấu " ở dòng này.',
                hint_en='Close the " on this line.',
            )
        return cells


def read_plan_text(text: str, file: str) -> pd.DataFrame:
    """Parse a plan CSV (a full export or a hand-typed partial plan with ``org_id,start,end``).

    Missing columns default sensibly (``kind`` = congress, ``event_id`` from ``org_id``); bad
    dates, unknown kinds, inverted ranges and duplicate congresses are bilingual errors with the
    line number.
    """
    if len(text.encode("utf-8")) > MAX_PLAN_BYTES:
        raise PlannerError(
            f"tệp kế hoạch quá lớn (tối đa {MAX_PLAN_BYTES // 2**20} MiB).",
            f"the plan file is too large (at most {MAX_PLAN_BYTES // 2**20} MiB).",
            file=file,
        )
    return _read_csv(io.StringIO(text.lstrip("\ufeff")), file)


def _read_csv(lines: TextIO, file: str) -> pd.DataFrame:
    """Column by column when the file is regular (:func:`_regular_frame`), else row by row,
    which names the first bad line."""
    fast = _regular_frame(lines, file)
    if fast is not None:
        return fast
    lines.seek(0)
    reader = _Rows(csv.reader(lines), file)
    fields = next(reader, [])
    rows = ((reader.line_num, cells) for cells in reader)
    return _plan_frame(fields, rows, file)


class _Irregular(Exception):
    """The file needs the row-by-row reader (which names its first bad line)."""


def _regular_rows(lines: Iterable[str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows, every row on its own line and as wide as the header."""
    reader = csv.reader(lines)
    try:
        fields = next(reader, [])
        rows = list(reader)
    except csv.Error:
        raise _Irregular from None
    if not fields or reader.line_num != len(rows) + 1:
        raise _Irregular  # a blank line, or a cell holding a line break
    if any(len(row) != len(fields) for row in rows):
        raise _Irregular
    return fields, rows


def _unneutralised(column: Sequence[str]) -> Sequence[str]:
    """:func:`_unneutralise` on every cell (a quick look first: such cells are rare)."""
    joined = "\0".join(column)
    if not joined.startswith("'") and "\0'" not in joined:
        return column
    return [_unneutralise(cell) for cell in column]


def _mapped(column: Sequence[str], convert: Callable[[str], Any]) -> list[Any]:
    """``convert`` of every cell, computed once per distinct cell; irregular on an error."""
    try:
        known = {cell: convert(cell) for cell in set(column)}
    except PlannerError:
        raise _Irregular from None
    return [known[cell] for cell in column]


def _regular_ids(kinds: list[str], orgs: list[str | None], events: list[str], file: str) -> None:
    """The congress and step rows' org and event ids completed in place, as row by row."""
    for i, kind in enumerate(kinds):
        org_id, event_id = orgs[i], events[i]
        if kind == "congress":
            if org_id is None and event_id.startswith("congress:"):
                org_id = event_id.removeprefix("congress:")
            if org_id is None:
                raise _Irregular
            orgs[i], events[i] = org_id, event_id or congress_event_id(org_id)
        elif kind in STEP_KINDS:
            try:
                orgs[i], events[i] = _step_ids(kind, org_id, event_id, file, 0)
            except PlannerError:
                raise _Irregular from None
    if len(set(events)) != len(events):
        raise _Irregular


def _regular_frame(lines: Iterable[str], file: str) -> pd.DataFrame | None:
    """The frame :func:`_plan_frame` builds, column by column, for a regular file (every row on
    its own line, as wide as the header, and good); ``None`` for any other file."""
    try:
        fields, rows = _regular_rows(lines)
        cells = list(zip(*rows, strict=True)) or [() for _ in fields]
        record = {name: _unneutralised(cells[i]) for i, name in enumerate(fields)}
        empty = [""] * len(rows)
        kinds = _mapped(record.get("kind", empty), lambda k: (k or "congress").strip())
        if not set(kinds) <= set(KINDS) or not {"start", "end"} <= set(fields):
            raise _Irregular
        if "org_id" not in fields and "event_id" not in fields:
            raise _Irregular
        orgs = [o.strip() or None for o in record.get("org_id", empty)]
        events = [e.strip() for e in record.get("event_id", empty)]
        _regular_ids(kinds, orgs, events, file)
        days = {
            c: _mapped(record[c], partial(_parse_day, file=file, line=0, column=c))
            for c in ("start", "end")
        }
        dated = ("congress", *STEP_KINDS)
        for kind, start, end in zip(kinds, days["start"], days["end"], strict=True):
            if (kind in dated and (start is None or end is None)) or (
                start is not None and end is not None and end < start
            ):
                raise _Irregular
        held = _mapped(record.get("held", empty), lambda v: _parse_held(v, file, 0))
        origin = {k: {v.strip() for v in record.get(k, empty)} - {""} for k in _ORIGIN}
        if any(len(values) > 1 for values in origin.values()):
            raise _Irregular
    except _Irregular:
        return None
    parsed = {"event_id": events, "kind": kinds, "org_id": orgs, **days}
    columns = {c: parsed.get(c) or _texts(record.get(c, empty), c) for c in PLAN_COLUMNS}
    frame = pd.DataFrame(
        {
            **{c: pd.Series(columns[c], dtype=object) for c in PLAN_COLUMNS},
            "line": pd.Series(list(range(2, len(rows) + 2)), dtype=object),
            "held": pd.Series(held, dtype=object),
        }
    )
    frame.attrs["file"] = file
    frame.attrs.update({k: values.pop() for k, values in origin.items() if values})
    return frame


def _texts(column: Sequence[str], name: str) -> list[str | None]:
    """A text column as row by row: ``None`` for an empty cell, one object per repeated value."""
    if name not in _REPEATED:
        return [cell or None for cell in column]
    return _mapped(column, lambda cell: cell or None)


def _step_ids(
    kind: str, org_id: str | None, event_id: str, file: str, line: int
) -> tuple[str, str]:
    """A step row's org id (its congress's) and event id (``<kind>:<org_id>`` by default)."""
    if org_id is None and event_id.startswith(f"{kind}:"):
        org_id = event_id.removeprefix(f"{kind}:")
    if org_id is None:
        raise PlannerError(
            f"dòng '{kind}' thiếu org_id (đại hội mà bước này thuộc về).",
            f"a '{kind}' row has no org_id (the congress the step belongs to).",
            file=file,
            line=line,
            field="org_id",
        )
    return org_id, event_id or f"{kind}:{org_id}"


def _plan_frame(
    fields: list[str], rows: Iterable[tuple[int, list[str]]], file: str
) -> pd.DataFrame:
    """The rows of a plan file checked line by line (see :func:`read_plan_text`)."""
    _check_header(fields, file)
    position = {name: i for i, name in enumerate(fields)}
    columns = _Columns(file)
    for line, cells in rows:
        if not cells:
            continue  # a blank line
        record = {name: _unneutralise(cells[i]) for name, i in position.items() if i < len(cells)}
        columns.add(line, record, _parsed_row(record, file, line))
    return columns.frame()


def _check_header(fields: list[str], file: str) -> None:
    """A plan needs the columns ``start`` and ``end``, and ``org_id`` or ``event_id``."""
    for needed in ("start", "end"):
        if needed not in fields:
            raise PlannerError(
                f"thiếu cột '{needed}'.",
                f"missing column '{needed}'.",
                file=file,
                line=1,
                hint_vi="Cần ít nhất các cột org_id,start,end.",
                hint_en="At least the columns org_id,start,end are needed.",
            )
    if "org_id" not in fields and "event_id" not in fields:
        raise PlannerError(
            "thiếu cột 'org_id' (hoặc 'event_id').",
            "missing column 'org_id' (or 'event_id').",
            file=file,
            line=1,
        )


def _parsed_row(record: Mapping[str, str], file: str, line: int) -> dict[str, Any]:
    """One row's event id, kind, organisation and dates, checked."""
    kind = (record.get("kind") or "congress").strip()
    if kind not in KINDS:
        raise PlannerError(
            f"loại sự kiện '{kind}' không hợp lệ; dùng {', '.join(KINDS)}.",
            f"unknown event kind '{kind}'; use {', '.join(KINDS)}.",
            file=file,
            line=line,
            field="kind",
        )
    org_id: str | None = (record.get("org_id") or "").strip() or None
    event_id = (record.get("event_id") or "").strip()
    if kind == "congress":
        org_id, event_id = _congress_ids(org_id, event_id, file, line)
    elif kind in STEP_KINDS:
        org_id, event_id = _step_ids(kind, org_id, event_id, file, line)
    start, end = _row_days(kind, event_id, record, file, line)
    return {"event_id": event_id, "kind": kind, "org_id": org_id, "start": start, "end": end}


def _congress_ids(org_id: str | None, event_id: str, file: str, line: int) -> tuple[str, str]:
    """A congress row's org id (from ``congress:<org_id>`` when the column is empty) and event
    id (``congress:<org_id>`` by default)."""
    if org_id is None and event_id.startswith("congress:"):
        org_id = event_id.removeprefix("congress:")
    if org_id is None:
        raise PlannerError(
            "dòng đại hội thiếu org_id.",
            "a congress row has no org_id.",
            file=file,
            line=line,
            field="org_id",
        )
    return org_id, event_id or congress_event_id(org_id)


def _row_days(
    kind: str, event_id: str, record: Mapping[str, str], file: str, line: int
) -> tuple[dt.date | None, dt.date | None]:
    """A row's first and last day: both given for a congress or a step, never inverted."""
    start = _parse_day(record.get("start") or "", file, line, "start")
    end = _parse_day(record.get("end") or "", file, line, "end")
    if kind in ("congress", *STEP_KINDS) and (start is None or end is None):
        raise PlannerError(
            f"'{event_id}' thiếu ngày bắt đầu hoặc kết thúc.",
            f"'{event_id}' lacks a start or end date.",
            file=file,
            line=line,
        )
    if start is not None and end is not None and end < start:
        raise PlannerError(
            f"'{event_id}': ngày kết thúc {end} trước ngày bắt đầu {start}.",
            f"'{event_id}': end {end} is before start {start}.",
            file=file,
            line=line,
            field="end",
        )
    return start, end


class _Columns:
    """A plan's columns filled row by row, with the checks across rows: no event twice, and one
    scenario (:mod:`planner.plan.provenance`) for the whole plan."""

    NAMES = (*PLAN_COLUMNS, "line", "held")

    def __init__(self, file: str) -> None:
        self.file = file
        self.columns: dict[str, list[Any]] = {c: [] for c in self.NAMES}
        self.seen: dict[str, int] = {}  # event id → its line
        self.origin: dict[str, tuple[str, int]] = {}  # scenario column → its value, first line
        self.shared: dict[Any, Any] = {}

    def add(self, line: int, record: Mapping[str, str], parsed: Mapping[str, Any]) -> None:
        """One checked row (``parsed``: its ids and dates; ``record``: its cells by column)."""
        event_id = parsed["event_id"]
        if event_id in self.seen:
            raise PlannerError(
                f"sự kiện '{event_id}' xuất hiện hai lần (dòng {self.seen[event_id]} và {line}).",
                f"event '{event_id}' appears twice (lines {self.seen[event_id]} and {line}).",
                file=self.file,
                line=line,
            )
        self.seen[event_id] = line
        for column in PLAN_COLUMNS:
            value = parsed[column] if column in parsed else (record.get(column) or None)
            if column in _REPEATED and value is not None:
                value = self.shared.setdefault(value, value)  # one object for 50,000 equal cells
            self.columns[column].append(value)
        self.columns["line"].append(line)
        self.columns["held"].append(_parse_held(record.get("held") or "", self.file, line))
        for key in (SCENARIO_COLUMN, FINGERPRINT_COLUMN):
            self._check_origin(key, (record.get(key) or "").strip(), line)

    def _check_origin(self, key: str, value: str, line: int) -> None:
        """Every row names the same scenario (or none)."""
        if value and self.origin.setdefault(key, (value, line))[0] != value:
            first, at = self.origin[key]
            raise PlannerError(
                f"cột {key}: '{value}' khác '{first}' ở dòng {at}; một kế hoạch chỉ thuộc "
                "một kịch bản.",
                f"column {key}: '{value}' differs from '{first}' on line {at}; a plan "
                "belongs to one scenario.",
                file=self.file,
                line=line,
                field=key,
            )

    def frame(self) -> pd.DataFrame:
        """The plan frame, every column of objects, with its file and scenario in ``attrs``."""
        frame = pd.DataFrame({c: pd.Series(self.columns[c], dtype=object) for c in self.NAMES})
        frame.attrs["file"] = self.file
        for key, (value, _line) in self.origin.items():
            frame.attrs[key] = value
        return frame


def read_plan_json(text: str, file: str) -> pd.DataFrame:
    """Parse a plan written as JSON (``{"meta": {...}, "events": [...]}``), checked like a CSV."""
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlannerError(
            f"JSON không hợp lệ ({exc.msg}).",
            f"invalid JSON ({exc.msg}).",
            file=file,
            line=exc.lineno,
        ) from None
    events = payload.get("events") if isinstance(payload, dict) else None
    meta = payload.get("meta", {}) if isinstance(payload, dict) else None
    if not isinstance(events, list) or not isinstance(meta, dict):
        raise PlannerError(
            "cần một đối tượng JSON có 'events' (danh sách) và 'meta'.",
            "expected a JSON object with 'events' (a list) and 'meta'.",
            file=file,
        )
    fields = [*PLAN_COLUMNS, "held", SCENARIO_COLUMN, FINGERPRINT_COLUMN]
    origin = [str(meta.get(SCENARIO_COLUMN) or ""), str(meta.get(FINGERPRINT_COLUMN) or "")]
    rows = []
    for number, event in enumerate(events, start=1):
        if not isinstance(event, dict):
            raise PlannerError(
                f"sự kiện thứ {number} không phải đối tượng JSON.",
                f"event {number} is not a JSON object.",
                file=file,
            )
        cells = ["" if event.get(f) is None else str(event[f]) for f in fields[:-2]]
        rows.append((number, [*cells, *origin]))
    return _plan_frame(fields, rows, file)


def read_plan(path: Path) -> pd.DataFrame:
    """Read a plan CSV or JSON from disk (see :func:`read_plan_text`)."""
    name, what = path.name, ("tệp kế hoạch", "plan file")
    if path.suffix.lower() == ".json":
        return read_plan_json(read_text_file(path, name, MAX_PLAN_BYTES, *what), name)
    check_text_file(path, name, MAX_PLAN_BYTES, *what)
    try:
        # streamed: a nationwide plan's text held at once (as a str, then in a StringIO
        # buffer) made reading it cost 230 MB
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _read_csv(handle, name)
    except UnicodeDecodeError:
        raise not_utf8(name, *what) from None
    except OSError as exc:
        raise unreadable(name, exc, *what) from None
