"""Actuals (issue 21, point 1): the checked CSV reader, the append-only store, corrections."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from planner.plan.actuals import ActualsError, latest, parse_day, read_actuals, read_actuals_text
from planner.store import actuals as stored
from planner.store import scenarios
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT, open_store
from planner.tree.build import build_tree
from planner.tree.hierarchy import OrgTree

D = dt.date
GOOD = (
    "\ufefforg_id,kind,status,start,end,reason\n"
    "p37,congress,held,2020-09-03,2020-09-05,\n"
    "d369,congress,postponed,15/08/2020,16/08/2020,dịch COVID-19\n"
    "d370,review,held,1/7/2020,01/07/2020,\n"
    "\n"
    "d372,congress,cancelled,,,sáp nhập huyện\n"
    "d373,approval,merged,,,\n"
)


@pytest.fixture(scope="module")
def tree() -> OrgTree:
    return build_tree()


def _store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "home")
    assert not opened.temporary, opened.problem
    return opened.store


def test_parse_day_reads_iso_and_day_first() -> None:
    """yyyy-mm-dd and dd/mm/yyyy (day first, as Vietnamese documents write it); nothing else."""
    assert parse_day("2020-08-15") == D(2020, 8, 15)
    assert parse_day(" 15/08/2020 ") == D(2020, 8, 15)
    assert parse_day("5/8/2020") == D(2020, 8, 5)
    assert parse_day("") is None
    for bad in ("31/02/2020", "2020-13-01", "08-15-2020", "2020/08/15", "15/08/20", "1/1/1800"):
        with pytest.raises(ValueError):
            parse_day(bad)


def test_good_file_is_read_whole(tmp_path: Path, tree: OrgTree) -> None:
    """BOM, both date styles, a blank line, preparation-step kinds, cancelled/merged without
    dates: every row is read, in order, with its line."""
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    entries = read_actuals(path, tree)
    assert [(e.org_id, e.kind, e.status, e.start, e.end, e.line) for e in entries] == [
        ("p37", "congress", "held", D(2020, 9, 3), D(2020, 9, 5), 2),
        ("d369", "congress", "postponed", D(2020, 8, 15), D(2020, 8, 16), 3),
        ("d370", "review", "held", D(2020, 7, 1), D(2020, 7, 1), 4),
        ("d372", "congress", "cancelled", None, None, 6),
        ("d373", "approval", "merged", None, None, 7),
    ]
    assert entries[1].reason == "dịch COVID-19"


BAD_ROWS = [
    ("p99,congress,held,2020-09-03,2020-09-05,", "org_id", "p99"),
    ("p37,congress,held,2020-09-03,,", "end", "held"),
    ("d369,congress,postponed,2020-08-15,2020-08-16,", "reason", "reason"),
    ("d370,congress,done,2020-08-15,2020-08-16,", "status", "done"),
    ("d372,meeting,held,2020-08-15,2020-08-16,", "kind", "meeting"),
    ("d373,congress,held,2020-02-31,2020-03-01,", "start", "2020-02-31"),
    ("d374,congress,held,2020-08-16,2020-08-15,", "end", "before"),
    ("p37,congress,held,2020-09-04,2020-09-05,", "org_id", "line 2"),  # p37 congress again
]


def test_bad_file_names_every_bad_row_and_returns_nothing(tree: OrgTree) -> None:
    """Each bad row is refused with file, line, field and a fix, in both languages."""
    good = "p37,congress,held,2020-09-03,2020-09-05,"
    text = (
        "org_id,kind,status,start,end,reason\n" + good + "\n" + "\n".join(r for r, *_ in BAD_ROWS)
    )
    with pytest.raises(ActualsError) as err:
        read_actuals_text(text, "bad.csv", tree)
    problems = err.value.problems
    assert [p.line for p in problems] == list(range(3, 3 + len(BAD_ROWS)))
    for problem, (_row, field, needle) in zip(problems, BAD_ROWS, strict=True):
        assert problem.file == "bad.csv" and problem.field == field
        assert needle in problem.message_en + problem.message_vi, problem.one_line()
        assert problem.hint_vi and problem.hint_en
    assert "Did you mean" in problems[0].hint_en or "planner orgs" in problems[0].hint_en
    lines = err.value.lines()
    assert lines[0].startswith("bad.csv:3 [org_id]: Lỗi:") and " / Error: " in lines[0]
    assert "Nothing imported" in lines[-1] and "Không nhập gì" in lines[-1]


def test_missing_column_is_refused(tree: OrgTree) -> None:
    with pytest.raises(Exception, match="reason") as err:
        read_actuals_text("org_id,kind,status,start,end\np37,congress,held,,\n", "x.csv", tree)
    assert "org_id,kind,status,start,end,reason" in str(err.value)


def test_store_records_with_author_and_time(tmp_path: Path, tree: OrgTree) -> None:
    """Recorded entries come back with author, time and id; current() is one per unit/kind."""
    store = _store(tmp_path)
    entries = read_actuals_text(GOOD, "good.csv", tree)
    assert stored.record(store, DEFAULT_DOCUMENT, entries, "Lan (Ninh Bình)", "import:x") == 5
    now = stored.current(store, DEFAULT_DOCUMENT)
    assert set(now) == {(e.org_id, e.kind) for e in entries}
    entry = now[("d369", "congress")]
    assert (entry.status, entry.start, entry.author) == (
        "postponed",
        D(2020, 8, 15),
        "Lan (Ninh Bình)",
    )
    assert entry.recorded_at and entry.recorded_at.endswith("+00:00")
    assert stored.current(store, "another document") == {}


def test_a_correction_is_a_new_entry(tmp_path: Path, tree: OrgTree) -> None:
    """Postponed, then held, then the held dates corrected: three entries in the history, the
    newest in force; the database itself refuses to change or delete an entry."""
    store = _store(tmp_path)
    first = "org_id,kind,status,start,end,reason\nd369,congress,postponed,2020-08-15,2020-08-16,x\n"
    held = "org_id,kind,status,start,end,reason\nd369,congress,held,2020-08-15,2020-08-16,\n"
    fixed = "org_id,kind,status,start,end,reason\nd369,congress,held,2020-08-17,2020-08-18,\n"
    for author, text in (("An", first), ("Bình", held), ("Chi", fixed)):
        stored.record(store, DEFAULT_DOCUMENT, read_actuals_text(text, "f.csv", tree), author)
    history = stored.history_of(store, DEFAULT_DOCUMENT, "d369")
    assert [(e.author, e.status, e.start) for e in history] == [
        ("An", "postponed", D(2020, 8, 15)),
        ("Bình", "held", D(2020, 8, 15)),
        ("Chi", "held", D(2020, 8, 17)),
    ]
    assert [e.entry_id for e in history] == sorted(e.entry_id for e in history)  # type: ignore[type-var]
    assert stored.current(store, DEFAULT_DOCUMENT)[("d369", "congress")].author == "Chi"
    assert latest(history)[("d369", "congress")].start == D(2020, 8, 17)
    conn = sqlite3.connect(store.path)
    try:
        for statement in ("UPDATE actuals SET status = 'held'", "DELETE FROM actuals"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(statement)
    finally:
        conn.close()
    assert len(stored.history(store, DEFAULT_DOCUMENT)) == 3


def test_a_version_1_database_gets_the_actuals_table(tmp_path: Path) -> None:
    """A database made before actuals existed (schema version 1) opens with its documents kept
    and the new table added (version 2)."""
    store = _store(tmp_path)
    scenarios.commit(
        store, DEFAULT_DOCUMENT, 1, *_head(store), ["levels.central.daily_capacity=4"], "An", "cap"
    )
    conn = sqlite3.connect(store.path)
    conn.executescript(
        "DROP TRIGGER actuals_no_update; DROP TRIGGER actuals_no_delete; DROP TABLE actuals;"
        " UPDATE meta SET value = '1' WHERE key = 'schema_version';"
    )
    conn.close()
    again = _store(tmp_path)
    assert scenarios.head(again, DEFAULT_DOCUMENT) == 2
    with again.read() as conn2:
        version = conn2.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version[0] == "2"
    assert stored.record(again, DEFAULT_DOCUMENT, read_actuals_text(GOOD, "g.csv"), "An") == 5


def _head(store: Store) -> tuple[str, str]:
    version = scenarios.load(store, DEFAULT_DOCUMENT)
    return version.base_text, version.base_name


def test_rows_typed_in_a_table_are_checked_like_a_file(tree: OrgTree) -> None:
    """The browser's table goes through the same checks; empty rows are skipped."""
    from planner.plan.actuals import check_rows

    good = {
        "org_id": "d369",
        "kind": "congress",
        "status": "held",
        "start": "10/08/2020",
        "end": "2020-08-12",
        "reason": "",
    }
    empty = dict.fromkeys(("org_id", "kind", "status", "start", "end", "reason"), "")
    (entry,) = check_rows([(1, good), (2, empty)], "bảng / table", tree)
    assert (entry.org_id, entry.start, entry.line) == ("d369", D(2020, 8, 10), 1)
    with pytest.raises(ActualsError) as err:
        check_rows([(1, good), (2, {**good, "org_id": "d370", "status": "postponed"})], "t", tree)
    (problem,) = err.value.problems
    assert (problem.line, problem.field) == (2, "reason")


def test_actuals_come_back_with_a_restored_database(tmp_path: Path, tree: OrgTree) -> None:
    """A damaged database kept aside and then restored brings its documents back under new
    names, and the actuals recorded for them with their authors and times."""
    from planner.store import recovery
    from planner.store.db import DB_NAME

    store = _store(tmp_path)
    stored.record(store, DEFAULT_DOCUMENT, read_actuals_text(GOOD, "g.csv", tree), "Lan")
    before = stored.history(store, DEFAULT_DOCUMENT)
    home = store.folder
    good = (home / DB_NAME).read_bytes()
    (home / DB_NAME).write_bytes(b"this is not a database" * 100)
    reopened = open_store(home).store
    assert stored.history(reopened, DEFAULT_DOCUMENT) == []
    (kept,) = recovery.pending(reopened)
    (home / kept.file).write_bytes(good)
    recovery.restore(reopened, kept, "An")
    after = stored.history(reopened, f"{DEFAULT_DOCUMENT} (khôi phục)")
    assert [(e.org_id, e.status, e.author, e.recorded_at) for e in after] == [
        (e.org_id, e.status, e.author, e.recorded_at) for e in before
    ]
