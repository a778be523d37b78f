"""Actuals: what really happened to a congress or a preparation step (issue 21, point 1).

An :class:`Actual` says that a unit's congress (``kind`` = ``congress``) or one of its preparation
steps (``review``, ``announce``, ``report``, ``approval``) was **held** (actual dates),
**postponed** (new expected dates and a reason), **cancelled** or **merged**. Provinces send them
as CSV files ``org_id,kind,status,start,end,reason`` (UTF-8 with or without BOM; dates
``yyyy-mm-dd`` or ``dd/mm/yyyy``); :func:`read_actuals` checks every row and refuses the whole
file when one row is bad, listing each bad row with its file, line, field and fix
(:class:`ActualsError`). Stored entries (:mod:`planner.store.actuals`) also carry who recorded
them and when; a correction is a new entry, and the latest entry per ``(org_id, kind)`` is the
one in force (:func:`latest`).
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.files.paths import display_path
from planner.files.tomlio import read_text_file
from planner.rules.calendar import MAX_YEAR, MIN_YEAR
from planner.tree.hierarchy import OrgTree

COLUMNS = ("org_id", "kind", "status", "start", "end", "reason")
KINDS = ("congress", "review", "announce", "report", "approval")
STATUSES = ("held", "postponed", "cancelled", "merged")
MAX_ACTUALS_BYTES = 64 * 1024 * 1024
MAX_REASON = 500
SHOWN_PROBLEMS = 20  # bad rows listed in full; the rest are counted
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


@dataclass(frozen=True, slots=True)
class Actual:
    """One report on a unit's congress or preparation step.

    ``start``/``end`` are the actual dates (held) or the new expected ones (postponed), optional
    for cancelled and merged. ``author``, ``recorded_at`` (UTC, ISO 8601) and ``entry_id`` are set
    once the entry is stored; ``line`` is the row of the file it was read from.
    """

    org_id: str
    kind: str
    status: str
    start: dt.date | None
    end: dt.date | None
    reason: str = ""
    author: str | None = None
    recorded_at: str | None = None
    entry_id: int | None = None
    line: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What the entry reports on: ``(org_id, kind)``."""
        return (self.org_id, self.kind)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ``yyyy-mm-dd`` (``None`` when absent)."""
        return {
            "org_id": self.org_id,
            "kind": self.kind,
            "status": self.status,
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "reason": self.reason,
            "author": self.author,
            "recorded_at": self.recorded_at,
        }


class ActualsError(PlannerError):
    """A file of actuals with bad rows: nothing is imported; ``problems`` lists every bad row."""

    def __init__(self, problems: list[PlannerError], file: str) -> None:
        self.problems = problems
        first = problems[0]
        more = len(problems) - 1
        super().__init__(
            first.message_vi + (f" (và {more} dòng lỗi khác)" if more else ""),
            first.message_en + (f" (and {more} more bad rows)" if more else ""),
            file=file,
            line=first.line,
            field=first.field,
            hint_vi=first.hint_vi,
            hint_en=first.hint_en,
        )

    def lines(self) -> list[str]:
        """Each bad row on its own line (the first :data:`SHOWN_PROBLEMS`), then what to do."""
        out = [p.one_line() for p in self.problems[:SHOWN_PROBLEMS]]
        hidden = len(self.problems) - SHOWN_PROBLEMS
        if hidden > 0:
            out.append(f"… và {hidden} dòng lỗi khác / … and {hidden} more bad rows")
        out.append(
            f"Không nhập gì: {len(self.problems)} dòng lỗi; sửa rồi nhập lại cả tệp. / "
            f"Nothing imported: {len(self.problems)} bad rows; fix them and import the whole "
            "file again."
        )
        return out


def parse_day(text: str) -> dt.date | None:
    """``yyyy-mm-dd`` or ``dd/mm/yyyy`` (day first, as Vietnamese documents write it); ``None``
    when empty; ``ValueError`` when it is neither or not a real date in the planner's years."""
    value = text.strip()
    if not value:
        return None
    iso, dmy = _ISO.match(value), _DMY.match(value)
    if iso:
        day = dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
    elif dmy:
        day = dt.date(int(dmy[3]), int(dmy[2]), int(dmy[1]))
    else:
        raise ValueError(value)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(value)
    return day


def _problem(
    file: str, line: int, field: str, vi: str, en: str, hint_vi: str, hint_en: str
) -> PlannerError:
    return PlannerError(vi, en, file=file, line=line, field=field, hint_vi=hint_vi, hint_en=hint_en)


class _RowChecker:
    """Checks rows one by one, collecting a bilingual problem for each bad one."""

    def __init__(self, file: str, tree: OrgTree | None) -> None:
        self.file = file
        self.tree = tree
        self.problems: list[PlannerError] = []
        self.seen: dict[tuple[str, str], int] = {}
        self.suggested = 0  # close-id suggestions are costly on 53,000 ids: the first few only
        self.days: dict[str, dt.date | None] = {}  # good cells already read

    def bad(self, line: int, field: str, vi: str, en: str, hint_vi: str, hint_en: str) -> None:
        self.problems.append(_problem(self.file, line, field, vi, en, hint_vi, hint_en))

    def org(self, line: int, org_id: str) -> bool:
        if not org_id:
            self.bad(
                line,
                "org_id",
                "thiếu org_id.",
                "org_id is empty.",
                "Ghi mã tổ chức, ví dụ p37 (xem `planner orgs`).",
                "Give the organisation's id, e.g. p37 (see `planner orgs`).",
            )
            return False
        if self.tree is None or org_id in self.tree:
            return True
        close: list[str] = []
        if self.suggested < 5:
            self.suggested += 1
            ids = (o.org_id for o in self.tree)
            close = difflib.get_close_matches(org_id, ids, n=3, cutoff=0.75)
        self.bad(
            line,
            "org_id",
            f"không có tổ chức '{org_id}' trong cây của kịch bản.",
            f"no organisation '{org_id}' in the scenario's tree.",
            f"Có phải: {', '.join(close)}?" if close else "Xem mã bằng `planner orgs`.",
            f"Did you mean: {', '.join(close)}?" if close else "List ids with `planner orgs`.",
        )
        return False

    def choice(self, line: int, field: str, value: str, allowed: tuple[str, ...]) -> bool:
        if value in allowed:
            return True
        self.bad(
            line,
            field,
            f"cột {field}: '{value}' không hợp lệ.",
            f"column {field}: '{value}' is not valid.",
            f"Dùng một trong: {', '.join(allowed)}.",
            f"Use one of: {', '.join(allowed)}.",
        )
        return False

    def day(self, line: int, field: str, value: str) -> tuple[bool, dt.date | None]:
        if value in self.days:  # a few hundred distinct days in 50,000 rows
            return True, self.days[value]
        try:
            day = self.days[value] = parse_day(value)
            return True, day
        except ValueError:
            self.bad(
                line,
                field,
                f"cột {field}: '{value}' không phải ngày hợp lệ.",
                f"column {field}: '{value}' is not a valid date.",
                f"Dùng YYYY-MM-DD hoặc DD/MM/YYYY (năm {MIN_YEAR}–{MAX_YEAR}), ví dụ 2020-08-15.",
                f"Use YYYY-MM-DD or DD/MM/YYYY (years {MIN_YEAR}–{MAX_YEAR}), e.g. 15/08/2020.",
            )
            return False, None

    def row(self, line: int, record: dict[str, str]) -> Actual | None:
        """The row as an :class:`Actual`, or ``None`` after recording its problems."""
        org_id = record.get("org_id", "").strip()
        kind = record.get("kind", "").strip().lower()
        status = record.get("status", "").strip().lower()
        reason = " ".join(record.get("reason", "").split())
        ok = self.org(line, org_id)
        ok = self.choice(line, "kind", kind, KINDS) and ok
        ok = self.choice(line, "status", status, STATUSES) and ok
        good_start, start = self.day(line, "start", record.get("start", ""))
        good_end, end = self.day(line, "end", record.get("end", ""))
        ok = ok and good_start and good_end
        if len(reason) > MAX_REASON:
            self.bad(
                line,
                "reason",
                f"lý do quá dài (tối đa {MAX_REASON} ký tự).",
                f"the reason is too long (at most {MAX_REASON} characters).",
                "Rút gọn lý do.",
                "Shorten the reason.",
            )
            ok = False
        if ok and not self.consistent(line, status, start, end, reason):
            ok = False
        if ok and not self.first(line, (org_id, kind)):
            ok = False
        return Actual(org_id, kind, status, start, end, reason, line=line) if ok else None

    def consistent(
        self, line: int, status: str, start: dt.date | None, end: dt.date | None, reason: str
    ) -> bool:
        """Held needs its dates; postponed its new dates and a reason; end never before start."""
        if status in ("held", "postponed") and (start is None or end is None):
            field = "start" if start is None else "end"
            what_vi = "ngày thực tế" if status == "held" else "ngày dự kiến mới"
            what_en = "actual dates" if status == "held" else "new expected dates"
            self.bad(
                line,
                field,
                f"trạng thái {status} cần {what_vi} (start và end).",
                f"status {status} needs its {what_en} (start and end).",
                "Điền cả start và end.",
                "Fill in both start and end.",
            )
            return False
        if status == "postponed" and not reason:
            self.bad(
                line,
                "reason",
                "hoãn cần ghi lý do.",
                "a postponement needs a reason.",
                "Ghi lý do ở cột reason, ví dụ: dịch COVID-19.",
                "Give the reason in column reason, e.g. COVID-19 outbreak.",
            )
            return False
        if start is not None and end is not None and end < start:
            self.bad(
                line,
                "end",
                f"ngày kết thúc {end} trước ngày bắt đầu {start}.",
                f"end {end} is before start {start}.",
                "Sửa start hoặc end.",
                "Correct start or end.",
            )
            return False
        return True

    def first(self, line: int, key: tuple[str, str]) -> bool:
        """One row per (org_id, kind) in a file: a correction is a later import."""
        earlier = self.seen.setdefault(key, line)
        if earlier == line:
            return True
        self.bad(
            line,
            "org_id",
            f"'{key[0]}' ({key[1]}) đã có ở dòng {earlier}.",
            f"'{key[0]}' ({key[1]}) is already on line {earlier}.",
            "Giữ một dòng; muốn sửa thì nhập tệp mới sau.",
            "Keep one row; to correct it, import a new file later.",
        )
        return False


def read_actuals_text(text: str, file: str, tree: OrgTree | None = None) -> list[Actual]:
    """Parse actuals given as CSV text; :class:`ActualsError` (every bad row) when any is bad.

    ``tree`` (the scenario's organisation tree) makes unknown org ids bad rows.
    """
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise PlannerError(
            f"dòng tiêu đề không đọc được ({exc}).",
            f"cannot read the header row ({exc}).",
            file=file,
            line=1,
        ) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise PlannerError(
            f"thiếu cột: {', '.join(missing)}.",
            f"missing columns: {', '.join(missing)}.",
            file=file,
            line=1,
            hint_vi=f"Dòng đầu phải là: {','.join(COLUMNS)}.",
            hint_en=f"The first line must be: {','.join(COLUMNS)}.",
        )
    position = {name: header.index(name) for name in COLUMNS}
    checker = _RowChecker(file, tree)
    out: list[Actual] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader, None)
        except csv.Error as exc:
            checker.bad(
                line,
                "",
                f"dòng CSV không đọc được ({exc}).",
                f"cannot read this CSV row ({exc}).",
                "Kiểm tra dấu ngoặc kép.",
                "Check the quotes.",
            )
            break
        if cells is None:
            break
        if not "".join(cells).strip():
            continue  # a blank line
        record = {name: cells[i] if i < len(cells) else "" for name, i in position.items()}
        actual = checker.row(line, record)
        if actual is not None:
            out.append(actual)
    if checker.problems:
        raise ActualsError(checker.problems, file)
    return out


def check_rows(
    rows: Iterable[tuple[int, Mapping[str, str]]], source: str, tree: OrgTree | None = None
) -> list[Actual]:
    """Check rows typed elsewhere (the browser's table): ``(line, {column: text})`` with the
    :data:`COLUMNS` as keys, exactly as a file's rows are checked; :class:`ActualsError` naming
    ``source`` and the line of every bad row when any is bad."""
    checker = _RowChecker(source, tree)
    out: list[Actual] = []
    for line, row in rows:
        record = {name: str(row.get(name) or "") for name in COLUMNS}
        if not any(v.strip() for v in record.values()):
            continue  # an empty row of the table
        actual = checker.row(line, record)
        if actual is not None:
            out.append(actual)
    if checker.problems:
        raise ActualsError(checker.problems, source)
    return out


def read_actuals(path: Path, tree: OrgTree | None = None) -> list[Actual]:
    """Read a CSV file of actuals (see :func:`read_actuals_text`)."""
    shown = display_path(path)
    text = read_text_file(path, shown, MAX_ACTUALS_BYTES, "tệp kết quả thực tế", "actuals file")
    return read_actuals_text(text, shown, tree)


def latest(entries: Iterable[Actual]) -> dict[tuple[str, str], Actual]:
    """The entry in force per ``(org_id, kind)``: the last one given (entries in the order they
    were recorded, as :func:`planner.store.actuals.history` returns them)."""
    out: dict[tuple[str, str], Actual] = {}
    for entry in entries:
        out[entry.key] = entry
    return out


def stamped(entries: Iterable[Actual], author: str, recorded_at: str) -> list[Actual]:
    """The entries as stored: with their author and time."""
    return [replace(e, author=author, recorded_at=recorded_at) for e in entries]
