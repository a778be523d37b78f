"""The SQLite store: versions with optimistic concurrency, history, plans, exports, recovery."""

from __future__ import annotations

import json
import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from planner.analysis.validate import validate
from planner.errors import PlannerError
from planner.scenario.reader import default_scenario_path
from planner.store import browsers, feeds, plans, recovery, scenarios
from planner.store.db import DB_NAME, Store, StoreError
from planner.store.recovery import LEGACY_FILE, open_store

BUILTIN = default_scenario_path().read_text(encoding="utf-8")


def _store(tmp_path: Path) -> Store:
    opened = open_store(tmp_path / "home")
    assert not opened.temporary, opened.problem
    return opened.store


def test_a_new_store_holds_the_builtin_document(tmp_path: Path) -> None:
    """A fresh PLANNER_HOME gets one document, version 1, the built-in scenario."""
    store = _store(tmp_path)
    (doc,) = scenarios.documents(store)
    assert (doc.name, doc.head) == (recovery.DEFAULT_DOCUMENT, 1)
    version = scenarios.load(store, doc.name)
    assert version.base_text == BUILTIN and version.sets == ()


def test_stale_commit_is_refused_not_lost(tmp_path: Path) -> None:
    """Two tabs start from v1; the second save is refused with the newer version, and both
    changes stay in the history once the second is saved on top of the first."""
    store = _store(tmp_path)
    name = recovery.DEFAULT_DOCUMENT
    a = scenarios.commit(
        store, name, 1, BUILTIN, "x.toml", ["levels.central.daily_capacity=4"], "An", "cap"
    )
    with pytest.raises(scenarios.VersionConflict) as conflict:
        scenarios.commit(
            store, name, 1, BUILTIN, "x.toml", ["gaps.child_before_parent_days=2"], "Bình", "gap"
        )
    assert conflict.value.head == a and conflict.value.expected == 1
    b = scenarios.commit(
        store, name, a.number, BUILTIN, "x.toml", [*a.sets, "gaps.child_before_parent_days=2"],
        "Bình", "gap",
    )  # fmt: skip
    history = scenarios.history(store, name)
    assert [(h.number, h.author) for h in history] == [(3, "Bình"), (2, "An"), (1, "planner")]
    assert b.parent == 2 and b.sets == ("levels.central.daily_capacity=4", *b.sets[1:])
    assert all(h.created_at.endswith("+00:00") for h in history)


def _hammer(path: str, author: str, count: int) -> None:
    store = Store(Path(path))
    done = 0
    while done < count:
        head = scenarios.head(store, recovery.DEFAULT_DOCUMENT)
        try:
            scenarios.commit(
                store, recovery.DEFAULT_DOCUMENT, head, BUILTIN, "x.toml",
                [f"levels.central.buffer_days={done}"], author, f"{author} {done}",
            )  # fmt: skip
            done += 1
        except scenarios.VersionConflict:
            continue


def test_two_processes_never_overwrite_each_other(tmp_path: Path) -> None:
    """Two processes saving 15 versions each on the newest: 31 versions, none lost, numbered
    without a gap (transactions and the version check, across processes)."""
    store = _store(tmp_path)
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_hammer, args=(str(store.path), who, 15)) for who in ("A", "B")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    history = scenarios.history(store, recovery.DEFAULT_DOCUMENT)
    assert [h.number for h in history] == list(range(31, 0, -1))
    for who in ("A", "B"):
        assert sorted(h.summary for h in history if h.author == who) == sorted(
            f"{who} {k}" for k in range(15)
        )


def test_document_names_are_checked(tmp_path: Path) -> None:
    """Empty, too long, slashes and duplicates are refused with a bilingual message."""
    store = _store(tmp_path)
    for bad in ("", " ", "a/b", "x" * 61, recovery.DEFAULT_DOCUMENT):
        with pytest.raises(PlannerError) as error:
            scenarios.create(store, bad, BUILTIN, "x.toml", [], "An", "new")
        assert error.value.message_vi and error.value.message_en
    assert scenarios.create(store, "Kịch bản của An", BUILTIN, "x.toml", [], "An", "new").number


def test_plans_round_trip_and_validate(tmp_path: Path, default_problem, default_report) -> None:  # type: ignore[no-untyped-def]
    """A stored plan comes back as the same plan, which the validator accepts."""
    from planner.plan.frame import plan_to_csv

    store = _store(tmp_path)
    plan_id = plans.save_plan(
        store, content_key="k", scenario="d", version=1, kind="solve", author="An",
        report=default_report.as_dict(), plan_csv=plan_to_csv(default_report.plan),
    )  # fmt: skip
    record = plans.latest(store, "k", with_plan=True)
    assert record is not None and record.id == plan_id and record.report["status"]
    frame = plans.plan_frame(store, plan_id)
    assert validate(default_problem, frame, complete=True).ok
    assert plans.latest(store, "other") is None
    nothing = plans.save_plan(
        store, content_key="k", scenario="d", version=1, kind="solve", author="An",
        report={"status": "UNKNOWN"}, plan_csv=None,
    )  # fmt: skip
    latest = plans.latest(store, "k")
    assert latest is not None and latest.id == nothing and not latest.has_plan
    assert plans.latest(store, "k", with_plan=True).id == plan_id  # type: ignore[union-attr]


def test_each_document_and_scope_remembers_its_last_export(tmp_path: Path) -> None:
    """A feed folder per document and scope; the last plan exported there and its archive are
    remembered, and a new export says which archive it replaced."""
    store = _store(tmp_path)
    assert feeds.last_export(store, "d", "all") is None
    assert feeds.record_export(store, "d", "all", 7, "a.zip", {"files": 3}) is None
    last = feeds.last_export(store, "d", "all")
    assert last is not None and (last.plan_id, last.archive, last.summary) == (
        7,
        "a.zip",
        {"files": 3},
    )
    assert feeds.record_export(store, "d", "election", 7, "b.zip", {}) is None  # its own scope
    assert feeds.record_export(store, "d", "all", 8, "c.zip", {}) == "a.zip"
    assert feeds.last_export(store, "d", "all").plan_id == 8  # type: ignore[union-attr]
    folders = {feeds.folder(store, d, s) for d in ("d", "e") for s in ("all", "org:p37")}
    assert len(folders) == 4 and all(f.is_relative_to(store.folder / "feeds") for f in folders)


def test_display_names(tmp_path: Path) -> None:
    """A browser's name is remembered; ids we did not issue are recognised as such."""
    store = _store(tmp_path)
    bid = "0123456789abcdef0123456789abcdef"
    assert browsers.valid_id(bid) and not browsers.valid_id("../etc")
    assert browsers.name_of(store, bid) is None
    assert browsers.set_name(store, bid, "  Nguyễn  An ") == "Nguyễn An"
    assert browsers.name_of(store, bid) == "Nguyễn An"
    with pytest.raises(PlannerError):
        browsers.set_name(store, bid, "\x00")


def test_unreadable_database_is_kept_aside_and_restorable(tmp_path: Path) -> None:
    """A damaged file is renamed with a timestamp, listed, and what it held can come back."""
    store = _store(tmp_path)
    scenarios.commit(
        store, recovery.DEFAULT_DOCUMENT, 1, BUILTIN, "x.toml", ["levels.central.days=2"], "An", ""
    )
    home = store.folder
    good = (home / DB_NAME).read_bytes()
    (home / DB_NAME).write_bytes(b"this is not a database" * 100)
    reopened = open_store(home)
    assert not reopened.temporary
    (kept,) = recovery.pending(reopened.store)
    assert kept.kind == "database" and kept.file.startswith(f"{DB_NAME}.unreadable-")
    assert "kept aside" in kept.reason_en and "cất sang bên" in kept.reason_vi
    assert scenarios.load(reopened.store, recovery.DEFAULT_DOCUMENT).number == 1  # fresh start
    _vi, en = recovery.restore(reopened.store, kept, "An")
    assert en.startswith("No scenario could be restored")  # the kept bytes are garbage
    assert recovery.pending(reopened.store) == [kept]
    (home / kept.file).write_bytes(good)  # pretend the file was readable after all
    vi, en = recovery.restore(reopened.store, kept, "An")
    assert "Restored" in en and "khôi phục" in vi
    names = {d.name for d in scenarios.documents(reopened.store)}
    restored = scenarios.load(reopened.store, f"{recovery.DEFAULT_DOCUMENT} (khôi phục)")
    assert restored.sets == ("levels.central.days=2",) and len(names) == 2
    assert recovery.pending(reopened.store) == []


def test_legacy_state_is_imported_or_kept_aside(tmp_path: Path) -> None:
    """The state file of earlier versions becomes a version when valid; a broken, invalid or
    deeply nested one is kept aside (no RecursionError), and restore keeps what validates."""
    home = tmp_path / "home"
    home.mkdir()
    state = {"base_text": BUILTIN, "base_name": "x.toml", "sets": ["levels.central.days=2"]}
    (home / LEGACY_FILE).write_text(json.dumps(state), encoding="utf-8")
    store = open_store(home).store
    assert scenarios.load(store, recovery.DEFAULT_DOCUMENT).sets == ("levels.central.days=2",)
    assert not (home / LEGACY_FILE).exists()
    assert list(home.glob(f"{LEGACY_FILE}.imported-*"))

    (home / LEGACY_FILE).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    open_store(home)
    bad = {**state, "sets": ["levels.central.days=2", "levels.central.nonsense=1"]}
    (home / LEGACY_FILE).write_text(json.dumps(bad), encoding="utf-8")
    open_store(home)
    nested, invalid = recovery.pending(store)
    assert "nested too deeply" in nested.reason_en
    assert "no longer validates" in invalid.reason_en and "nonsense" in invalid.reason_en
    vi, en = recovery.restore(store, invalid, "An")
    assert "levels.central.nonsense=1" in en and "levels.central.nonsense=1" in vi
    doc = [d.name for d in scenarios.documents(store) if "khôi phục" in d.name]
    assert scenarios.load(store, doc[0]).sets == ("levels.central.days=2",)
    recovery.discard(store, nested)
    assert not (home / nested.file).exists() and recovery.pending(store) == []


def test_unusable_home_falls_back_to_a_temporary_store(tmp_path: Path) -> None:
    """PLANNER_HOME that cannot be a folder: a bilingual problem, and work goes on elsewhere."""
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    opened = open_store(blocked / "home")
    assert opened.temporary and isinstance(opened.problem, PlannerError)
    assert opened.problem.message_vi and opened.problem.message_en
    assert scenarios.load(opened.store, recovery.DEFAULT_DOCUMENT).number == 1


def test_read_only_database_gives_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write refused by SQLite (read-only) is a bilingual StoreError, never a traceback,
    and the document is unchanged."""
    store = _store(tmp_path)

    def read_only(self: Store) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
        conn.row_factory = sqlite3.Row
        return conn

    monkeypatch.setattr(Store, "_connect", read_only)
    with pytest.raises(StoreError) as error:
        scenarios.commit(store, recovery.DEFAULT_DOCUMENT, 1, BUILTIN, "x.toml", [], "An", "")
    assert "chỉ đọc" in error.value.message_vi and "read-only" in error.value.message_en
    assert scenarios.head(store, recovery.DEFAULT_DOCUMENT) == 1


def test_keep_mine_is_their_version_plus_my_changed_keys(tmp_path: Path) -> None:
    """D2: A sets the capacity to 4 and the gap to 3; B, from the older version, keeps their
    capacity 5. "Keep mine" is A's version plus B's changed key: gap 3 and capacity 5, and the
    only key it changes relative to the latest version is the capacity (4 → 5)."""
    from planner.store.changes import Content, diff
    from planner.store.recovery import read_scenario_text
    from planner.tree.hierarchy import Level

    store = _store(tmp_path)
    name = recovery.DEFAULT_DOCUMENT
    start = scenarios.load(store, name)
    theirs = ["levels.central.daily_capacity=4", "gaps.child_before_parent_days=3"]
    scenarios.commit(store, name, 1, BUILTIN, start.base_name, theirs, "An", "edit")
    mine = ["levels.central.daily_capacity=5"]
    with pytest.raises(scenarios.VersionConflict) as conflict:
        scenarios.commit(store, name, 1, BUILTIN, start.base_name, mine, "Bình", "edit")
    head = conflict.value.head
    text, base_name, sets = scenarios.keep_mine(start, BUILTIN, start.base_name, mine, head)
    kept = scenarios.commit(store, name, head.number, text, base_name, sets, "Bình", "k", 1)
    scenario = read_scenario_text(kept.base_text, kept.base_name, kept.sets)
    assert scenario.child_before_parent_days == 3
    assert scenario.levels[Level.CENTRAL].daily_capacity == 5
    before = Content.of(head.base_text, head.base_name, head.sets)
    after = Content.of(kept.base_text, kept.base_name, kept.sets)
    assert [(c.key, c.old, c.new) for c in diff(before, after)] == [
        ("levels.central.daily_capacity", 4, 5)
    ]


def test_keep_mine_after_an_upload_is_mine_as_it_is(tmp_path: Path) -> None:
    """D2: an edit that replaced the base file cannot be merged key by key: it is kept whole
    (and what it undoes of theirs is then listed by the diff against the latest version)."""
    store = _store(tmp_path)
    start = scenarios.load(store, recovery.DEFAULT_DOCUMENT)
    head = scenarios.commit(
        store, start.scenario, 1, BUILTIN, start.base_name, ["gaps.child_before_parent_days=3"],
        "An", "edit",
    )  # fmt: skip
    other = BUILTIN.replace("child_before_parent_days = 7", "child_before_parent_days = 9")
    kept = scenarios.keep_mine(start, other, "other.toml", [], head)
    assert kept == (other, "other.toml", [])


def test_changes_are_shown_with_labels_values_and_who(tmp_path: Path) -> None:
    """D3/D11/D24: a change reads as the field's label, old → new and who made it, in
    Vietnamese (English in English mode), never as a raw key; every schema key has a label."""
    from planner.scenario.schema import FIELDS, LABELS
    from planner.store.changes import Content, diff, line

    assert {f.key for f in FIELDS} == set(LABELS)
    store = _store(tmp_path)
    name = recovery.DEFAULT_DOCUMENT
    start = scenarios.load(store, name)
    v2 = scenarios.commit(
        store, name, 1, BUILTIN, start.base_name, ["levels.central.daily_capacity=6"],
        "Trần Thị Bình", "edit",
    )  # fmt: skip
    v3 = scenarios.commit(
        store, name, 2, BUILTIN, start.base_name, [*v2.sets, "families.duration.hard=false"],
        "Nguyễn Văn An", "edit",
    )  # fmt: skip
    authors = scenarios.key_authors(store, name, v3.number)
    assert authors == {
        "levels.central.daily_capacity": ("Trần Thị Bình", 2),
        "families.duration.hard": ("Nguyễn Văn An", 3),
    }
    who = {key: author for key, (author, _) in authors.items()}
    changes = diff(Content.of(BUILTIN, "x", ()), Content.of(BUILTIN, "x", v3.sets), who)
    vi = [line(c, "vi") for c in changes]
    en = [line(c, "en") for c in changes]
    assert vi == [
        "Ràng buộc cứng (Thời gian đại hội): mặc định → không (Nguyễn Văn An)",
        "Tối đa đại hội mỗi ngày, toàn quốc (Đảng bộ trực thuộc Trung ương): 8 → 6 (Trần Thị Bình)",
    ]
    assert en[1] == (
        "Most a day, nationwide (Directly under the Central Committee): 8 → 6 (Trần Thị Bình)"
    )
    assert not any("levels." in text or "=" in text for text in vi + en)
