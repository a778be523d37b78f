"""Scenario documents with versions: a name, numbered versions, and who changed what when.

A version is immutable: a base scenario text (the built-in file or an upload) plus the ``--set``
changes on top of it, with its author, time and a one-line summary. Saving is optimistic: the
writer names the version it started from, and the commit is refused with
:class:`VersionConflict` when someone else has saved a newer one meanwhile, so nobody's change
is silently overwritten. Restoring an old version saves its content as a new version; nothing
in the history is ever rewritten.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from planner.errors import PlannerError
from planner.store.db import Store, now_iso

MAX_NAME = 60
# A write's access check (:func:`planner.store.access.change_check`): given the content before (None
# for a new document) and after, as (base text, changes), it raises when the write is refused.
Check = Callable[[tuple[str, Sequence[str]] | None, tuple[str, Sequence[str]]], None]


def content_key(base_text: str, sets: Sequence[str]) -> str:
    """Identifies a scenario's content (results are shared by every version with it)."""
    data = json.dumps([base_text, list(sets)], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Version:
    """One saved state of a scenario document."""

    scenario: str
    number: int
    parent: int | None
    base_name: str
    base_text: str
    sets: tuple[str, ...]
    author: str
    created_at: str
    summary: str

    @property
    def content_key(self) -> str:
        """The key of this version's content."""
        return content_key(self.base_text, self.sets)


@dataclass(frozen=True)
class ScenarioInfo:
    """A document in the list: its name and its newest version."""

    name: str
    head: int
    updated_at: str
    updated_by: str


class VersionConflict(Exception):
    """Someone saved a newer version since the one the edit started from."""

    def __init__(self, head: Version, expected: int) -> None:
        super().__init__(f"{head.scenario}: version {head.number} is newer than {expected}")
        self.head = head
        self.expected = expected


def set_key(item: str) -> str:
    """The dotted key of a ``--set`` change."""
    return item.split("=", 1)[0].strip()


def changed_keys(before: Sequence[str], after: Sequence[str]) -> set[str]:
    """Keys whose change differs between two lists (added, removed or given another value)."""
    old = {set_key(s): s for s in before}
    new = {set_key(s): s for s in after}
    return {k for k in old.keys() | new.keys() if old.get(k) != new.get(k)}


def keep_mine(
    base: Version, base_text: str, base_name: str, sets: Sequence[str], head: Version
) -> tuple[str, str, list[str]]:
    """ "Keep mine" after a conflict: the newest version ``head`` plus the keys my edit changed
    relative to ``base`` (the version it started from), never undoing their other changes.

    My edit replaced the base file (an upload or a reset): mine as it is, since two files cannot
    be merged key by key. Returns the new content (base text, base name, changes).
    """
    if base_text != base.base_text:
        return base_text, base_name, list(sets)
    mine = changed_keys(base.sets, sets)
    by_key = {set_key(s): s for s in sets}
    merged = [s for s in head.sets if set_key(s) not in mine]
    merged += [by_key[k] for k in sorted(mine) if k in by_key]
    return head.base_text, head.base_name, merged


def check_name(name: str) -> str:
    """A document name: 1–60 printable characters without ``/``; refused with the fix."""
    clean = unicodedata.normalize("NFC", name.strip())
    bad = [c for c in clean if unicodedata.category(c).startswith("C") or c in "/\\"]
    if not clean or len(clean) > MAX_NAME or bad:
        raise PlannerError(
            f"tên kịch bản '{name[:80]}' không hợp lệ.",
            f"invalid scenario name '{name[:80]}'.",
            field="name",
            hint_vi=f"Dùng 1–{MAX_NAME} ký tự, không có / hay ký tự điều khiển.",
            hint_en=f"Use 1–{MAX_NAME} characters, without / or control characters.",
        )
    return clean


def _sets_of(row: sqlite3.Row) -> list[str]:
    sets = json.loads(row["sets"])
    if not isinstance(sets, list) or not all(isinstance(s, str) for s in sets):
        raise ValueError("sets is not a list of strings")
    return sets


def _version(row: sqlite3.Row) -> Version:
    try:
        sets = _sets_of(row)
    except (ValueError, RecursionError):
        raise PlannerError(
            f"phiên bản {row['number']} của '{row['scenario']}' không đọc được.",
            f"version {row['number']} of '{row['scenario']}' cannot be read.",
            field="versions.sets",
            hint_vi="Khôi phục một phiên bản khác trong trang Lịch sử.",
            hint_en="Restore another version on the History page.",
        ) from None
    return Version(
        scenario=row["scenario"],
        number=int(row["number"]),
        parent=None if row["parent"] is None else int(row["parent"]),
        base_name=row["base_name"],
        base_text=row["base_text"],
        sets=tuple(sets),
        author=row["author"],
        created_at=row["created_at"],
        summary=row["summary"],
    )


def _not_found(name: str, number: int | None) -> PlannerError:
    what = f"'{name}'" if number is None else f"'{name}' v{number}"
    return PlannerError(
        f"không có kịch bản {what}.",
        f"no scenario {what}.",
        field="scenario",
        hint_vi="Chọn một kịch bản trong thanh bên.",
        hint_en="Choose a scenario in the sidebar.",
    )


def _insert(
    conn: sqlite3.Connection,
    name: str,
    number: int,
    parent: int | None,
    base_text: str,
    base_name: str,
    sets: Sequence[str],
    author: str,
    summary: str,
) -> Version:
    when = now_iso()
    conn.execute(
        "INSERT INTO versions (scenario, number, parent, base_name, base_text, sets,"
        " content_key, author, created_at, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            name,
            number,
            parent,
            base_name,
            base_text,
            json.dumps(list(sets), ensure_ascii=False),
            content_key(base_text, sets),
            author,
            when,
            summary,
        ),
    )
    conn.execute("UPDATE scenarios SET head = ? WHERE name = ?", (number, name))
    return Version(name, number, parent, base_name, base_text, tuple(sets), author, when, summary)


def create(
    store: Store,
    name: str,
    base_text: str,
    base_name: str,
    sets: Sequence[str],
    author: str,
    summary: str,
    check: Check | None = None,
) -> Version:
    """A new document with its first version; refused when the name is taken, or by
    ``check`` (the author's rights, see :mod:`planner.store.access`)."""
    name = check_name(name)
    if check is not None:
        check(None, (base_text, list(sets)))
    with store.write() as conn:
        if conn.execute("SELECT 1 FROM scenarios WHERE name = ?", (name,)).fetchone():
            raise PlannerError(
                f"đã có kịch bản tên '{name}'.",
                f"a scenario named '{name}' already exists.",
                field="name",
                hint_vi="Chọn tên khác.",
                hint_en="Choose another name.",
            )
        conn.execute(
            "INSERT INTO scenarios (name, head, created_at, created_by) VALUES (?, 0, ?, ?)",
            (name, now_iso(), author),
        )
        return _insert(conn, name, 1, None, base_text, base_name, sets, author, summary)


def commit(
    store: Store,
    name: str,
    expected: int,
    base_text: str,
    base_name: str,
    sets: Sequence[str],
    author: str,
    summary: str,
    parent: int | None = None,
    check: Check | None = None,
) -> Version:
    """Save a new version on top of ``expected``; :class:`VersionConflict` when it is stale.

    ``parent`` is the version the content derives from (default ``expected``); an undo or a
    restore names the older version it brings back. ``check`` (the author's rights, see
    :mod:`planner.store.access`) judges the new content against the version it is written on top
    of, inside the same write, and raises to refuse it (nothing is written).
    """
    with store.write() as conn:
        row = conn.execute("SELECT head FROM scenarios WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise _not_found(name, None)
        head = int(row[0])
        if head != expected:
            current = conn.execute(
                "SELECT * FROM versions WHERE scenario = ? AND number = ?", (name, head)
            ).fetchone()
            raise VersionConflict(_version(current), expected)
        if check is not None:
            top = conn.execute(
                "SELECT * FROM versions WHERE scenario = ? AND number = ?", (name, head)
            ).fetchone()
            if top is not None:
                before = _version(top)
                check((before.base_text, list(before.sets)), (base_text, list(sets)))
        return _insert(
            conn,
            name,
            head + 1,
            expected if parent is None else parent,
            base_text,
            base_name,
            sets,
            author,
            summary,
        )


def load(store: Store, name: str, number: int | None = None) -> Version:
    """A version of a document (its newest when ``number`` is None)."""
    with store.read() as conn:
        if number is None:
            row = conn.execute("SELECT head FROM scenarios WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise _not_found(name, None)
            number = int(row[0])
        found = conn.execute(
            "SELECT * FROM versions WHERE scenario = ? AND number = ?", (name, number)
        ).fetchone()
    if found is None:
        raise _not_found(name, number)
    return _version(found)


def head(store: Store, name: str) -> int:
    """The newest version number of a document (0 when it does not exist)."""
    with store.read() as conn:
        row = conn.execute("SELECT head FROM scenarios WHERE name = ?", (name,)).fetchone()
    return 0 if row is None else int(row[0])


def documents(store: Store) -> list[ScenarioInfo]:
    """Every document, by name, with who saved its newest version and when."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT s.name, s.head, v.created_at, v.author FROM scenarios s"
            " JOIN versions v ON v.scenario = s.name AND v.number = s.head ORDER BY s.name"
        ).fetchall()
    return [ScenarioInfo(r[0], int(r[1]), r[2], r[3]) for r in rows]


@dataclass(frozen=True)
class HistoryEntry:
    """A line of the history (a version that cannot be read shows its error instead)."""

    number: int
    author: str
    created_at: str
    summary: str
    version: Version | None
    error: PlannerError | None


def history(store: Store, name: str, limit: int = 500) -> list[HistoryEntry]:
    """The versions of a document, newest first."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT * FROM versions WHERE scenario = ? ORDER BY number DESC LIMIT ?",
            (name, limit),
        ).fetchall()
    out = []
    for row in rows:
        try:
            version, error = _version(row), None
        except PlannerError as exc:
            version, error = None, exc
        out.append(
            HistoryEntry(
                int(row["number"]), row["author"], row["created_at"], row["summary"], version, error
            )
        )
    return out


def key_authors(store: Store, name: str, upto: int, since: int = 0) -> dict[str, tuple[str, int]]:
    """Who last changed each key, and in which version, between ``since`` and ``upto``: the
    keys a version's changes differ in from the version before it (unreadable ones skipped)."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT number, author, sets FROM versions WHERE scenario = ? AND number <= ?"
            " AND number >= ? ORDER BY number",
            (name, upto, max(since, 1)),
        ).fetchall()
    out: dict[str, tuple[str, int]] = {}
    before: list[str] | None = None
    for row in rows:
        try:
            sets = _sets_of(row)
        except (ValueError, RecursionError):
            continue
        if before is not None or since < 1:
            for key in changed_keys(before or [], sets):
                out[key] = (row["author"], int(row["number"]))
        before = sets
    return out
