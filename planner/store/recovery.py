"""Opening the store without ever losing the user's work.

- A database file that cannot be read is renamed ``planner.sqlite3.unreadable-<time>`` and a new
  one is started; the kept file is listed (``kept_aside``) so the user is told what was kept and
  why, and can restore what is still readable from it or discard it.
- The state file of earlier versions (``working-scenario.json``) is imported as a new version
  when it still validates; otherwise it is kept aside the same way.
- A ``PLANNER_HOME`` that cannot be written (read-only, missing permission) does not stop the
  app: the data goes to a temporary folder (with a copy of what the old file holds) and every
  page says so, with the fix.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.scenario.builder import scenario_from_text
from planner.scenario.reader import default_scenario_path
from planner.store import actuals, scenarios
from planner.store.db import (
    DB_NAME,
    Store,
    StoreError,
    check_readable,
    create_schema,
    now_iso,
    planner_home,
    stamp,
    store_error,
)
from planner.tree.names import plural_en

LEGACY_FILE = "working-scenario.json"
DEFAULT_DOCUMENT = "xiii-2020"
SYSTEM = "planner"


@dataclass(frozen=True)
class Opened:
    """The store in use; ``temporary`` when PLANNER_HOME could not be used (``problem``)."""

    store: Store
    home: Path
    temporary: bool = False
    problem: PlannerError | None = None


@dataclass(frozen=True)
class KeptAside:
    """A file kept aside because it could not be read or no longer validates."""

    id: int
    kind: str
    file: str
    reason_vi: str
    reason_en: str
    created_at: str


def read_scenario_text(text: str, name: str, sets: list[str] | tuple[str, ...] = ()) -> Any:
    """:func:`scenario_from_text`, with a too deeply nested file refused like any bad input."""
    try:
        return scenario_from_text(text, name, sets)
    except RecursionError:
        raise PlannerError(
            "tệp lồng nhau quá sâu (mảng hoặc bảng lồng hàng nghìn cấp).",
            "the file nests too deeply (arrays or tables thousands of levels deep).",
            file=name,
            hint_vi="Kiểm tra lại tệp; kịch bản hợp lệ chỉ lồng vài cấp.",
            hint_en="Check the file; a valid scenario nests only a few levels.",
        ) from None


def still_valid(
    base_text: str, base_name: str, sets: list[str] | tuple[str, ...]
) -> tuple[list[str], list[str]]:
    """The changes that still validate, each on top of those kept before it, and the ones
    dropped (both in their order)."""
    kept: list[str] = []
    dropped: list[str] = []
    for item in sets:
        try:
            read_scenario_text(base_text, base_name, [*kept, item])
            kept.append(item)
        except PlannerError:
            dropped.append(item)
    return kept, dropped


def builtin() -> tuple[str, str]:
    """The built-in scenario's text and file name."""
    path = default_scenario_path()
    return path.read_text(encoding="utf-8"), path.name


def ensure_default(store: Store) -> None:
    """Create the built-in document when the store holds none."""
    if scenarios.documents(store):
        return
    text, name = builtin()
    with contextlib.suppress(PlannerError):  # created meanwhile by another process
        scenarios.create(
            store, DEFAULT_DOCUMENT, text, name, [], SYSTEM, "Kịch bản gốc / Built-in scenario"
        )


def _keep(path: Path) -> Path:
    kept = path.with_name(f"{path.name}.unreadable-{stamp()}")
    path.rename(kept)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(kept.with_name(kept.name + suffix))
    return kept


def record(store: Store, kind: str, file: Path, reason_vi: str, reason_en: str) -> None:
    """List a kept-aside file, so the user is told and can restore or discard it."""
    with store.write() as conn:
        conn.execute(
            "INSERT INTO kept_aside (kind, file, reason_vi, reason_en, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (kind, file.name, reason_vi, reason_en, now_iso()),
        )


def pending(store: Store) -> list[KeptAside]:
    """Kept-aside files the user has not dealt with yet."""
    with store.read() as conn:
        rows = conn.execute(
            "SELECT id, kind, file, reason_vi, reason_en, created_at FROM kept_aside"
            " WHERE resolved IS NULL ORDER BY id"
        ).fetchall()
    return [KeptAside(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]


def _resolve(store: Store, entry: KeptAside, how: str) -> None:
    with store.write() as conn:
        conn.execute("UPDATE kept_aside SET resolved = ? WHERE id = ?", (how, entry.id))


def open_store(home: Path | None = None) -> Opened:
    """Open (or create) the store under ``home``; see the module docstring."""
    home = home or planner_home()
    path = home / DB_NAME
    try:
        home.mkdir(parents=True, exist_ok=True)
        store = Store(path)
        kept: tuple[Path, str] | None = None
        if path.exists():
            try:
                check_readable(store)
            except sqlite3.OperationalError as exc:
                raise store_error(exc, path) from None
            except sqlite3.DatabaseError as exc:
                kept = (_keep(path), str(exc))
        create_schema(store)
        if kept is not None:
            record(
                store,
                "database",
                kept[0],
                f"Tệp cơ sở dữ liệu không đọc được ({kept[1]}); đã cất sang bên và bắt đầu "
                "tệp mới.",
                f"The database file could not be read ({kept[1]}); it was kept aside and a new "
                "one was started.",
            )
        import_legacy(store, home)
        ensure_default(store)
        return Opened(store, home)
    except (OSError, StoreError) as exc:
        problem = exc if isinstance(exc, StoreError) else store_error(exc, home)
        return _temporary(path, home, problem)


def _temporary(path: Path, home: Path, problem: PlannerError) -> Opened:
    folder = Path(tempfile.mkdtemp(prefix="planner-home-"))
    store = Store(folder / DB_NAME)
    if path.exists():  # bring what the unwritable file holds (read-only, no locks)
        with contextlib.suppress(sqlite3.Error):
            source = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
            target = sqlite3.connect(store.path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
    try:
        check_readable(store)
    except sqlite3.DatabaseError:
        store.path.unlink(missing_ok=True)
    create_schema(store)
    ensure_default(store)
    return Opened(store, home, temporary=True, problem=problem)


# ---------------------------------------------------------------------------------------------
# the state file of earlier versions
# ---------------------------------------------------------------------------------------------


def _legacy_payload(text: str) -> tuple[str, str, list[str]]:
    payload = json.loads(text)
    if not isinstance(payload, dict):
        raise ValueError("not an object")
    base_text, base_name = payload["base_text"], payload["base_name"]
    sets = payload.get("sets", [])
    if not isinstance(base_text, str) or not isinstance(base_name, str):
        raise ValueError("base_text/base_name are not text")
    if not isinstance(sets, list) or not all(isinstance(s, str) for s in sets):
        raise ValueError("sets is not a list of text")
    return base_text, base_name, sets


def import_legacy(store: Store, home: Path) -> None:
    """Bring ``working-scenario.json`` (earlier versions) into the store, or keep it aside."""
    path = home / LEGACY_FILE
    if not path.exists():
        return
    try:
        base_text, base_name, sets = _legacy_payload(path.read_text(encoding="utf-8"))
        read_scenario_text(base_text, base_name, sets)
    except PlannerError as exc:
        kept = _keep(path)
        record(
            store,
            "working-state",
            kept,
            f"Trạng thái đã lưu không còn hợp lệ: {exc.text_vi()}",
            f"The saved state no longer validates: {exc.text_en()}",
        )
        return
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        kept = _keep(path)
        deep = isinstance(exc, RecursionError)
        record(
            store,
            "working-state",
            kept,
            f"Không đọc được trạng thái đã lưu ({'lồng nhau quá sâu' if deep else exc}).",
            f"The saved state could not be read ({'nested too deeply' if deep else exc}).",
        )
        return
    ensure_default(store)
    current = scenarios.load(store, DEFAULT_DOCUMENT)
    if (current.base_text, list(current.sets)) != (base_text, sets):
        scenarios.commit(
            store,
            DEFAULT_DOCUMENT,
            current.number,
            base_text,
            base_name,
            sets,
            SYSTEM,
            f"nhập từ {LEGACY_FILE} / imported from {LEGACY_FILE}",
        )
    path.rename(path.with_name(f"{LEGACY_FILE}.imported-{stamp()}"))


def discard(store: Store, entry: KeptAside) -> None:
    """Delete a kept-aside file (the user chose to)."""
    folder = store.folder
    for name in (entry.file, entry.file + "-wal", entry.file + "-shm"):
        (folder / name).unlink(missing_ok=True)
    _resolve(store, entry, "discarded")


def restore(store: Store, entry: KeptAside, author: str) -> tuple[str, str]:
    """Bring back what is still usable from a kept-aside file as new documents or versions.

    Returns a bilingual account of what came back and what could not.
    """
    path = store.folder / entry.file
    if entry.kind == "working-state":
        vi, en, ok = _restore_state(store, path, author)
    else:
        vi, en, ok = _restore_database(store, path, author)
    if ok:
        _resolve(store, entry, "restored")
    return vi, en


def _restore_state(store: Store, path: Path, author: str) -> tuple[str, str, bool]:
    try:
        base_text, base_name, sets = _legacy_payload(path.read_text(encoding="utf-8"))
        read_scenario_text(base_text, base_name)
    except (OSError, ValueError, KeyError, TypeError, RecursionError, PlannerError):
        return (
            "Không khôi phục được gì: tệp không còn đọc được. Tệp vẫn được giữ.",
            "Nothing could be restored: the file cannot be read. The file is still kept.",
            False,
        )
    kept, dropped = still_valid(base_text, base_name, sets)
    name = _free_name(store, f"{Path(base_name).stem} (khôi phục)")
    scenarios.create(store, name, base_text, base_name, kept, author, _restored(path.name))
    vi = f"Đã khôi phục thành kịch bản '{name}' ({len(kept)} thay đổi)."
    en = f"Restored as scenario '{name}' ({plural_en(len(kept), 'change')})."
    if dropped:
        vi += " Bỏ các thay đổi không còn hợp lệ: " + "; ".join(dropped)
        en += " Dropped the changes that no longer validate: " + "; ".join(dropped)
    return vi, en, True


def _restore_database(store: Store, path: Path, author: str) -> tuple[str, str, bool]:
    restored: list[str] = []
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            rows = source.execute(
                "SELECT scenario, base_name, base_text, sets FROM versions"
                " ORDER BY scenario, number DESC"
            ).fetchall()
        finally:
            source.close()
    except sqlite3.Error:
        rows = []
    renamed: dict[str, str] = {}
    for scenario, base_name, base_text, sets_text in rows:
        if scenario in renamed:
            continue
        try:
            sets = json.loads(sets_text)
            read_scenario_text(str(base_text), str(base_name), [str(s) for s in sets])
        except (ValueError, TypeError, RecursionError, PlannerError):
            continue
        name = _free_name(store, f"{scenario} (khôi phục)")
        renamed[scenario] = name
        scenarios.create(
            store,
            name,
            str(base_text),
            str(base_name),
            [str(s) for s in sets],
            author,
            _restored(path.name),
        )
        restored.append(name)
    if restored:
        actuals.copy_from_file(store, path, renamed)  # the actuals recorded for them, as kept
    if not restored:
        return (
            "Không khôi phục được kịch bản nào từ tệp hỏng. Tệp vẫn được giữ.",
            "No scenario could be restored from the damaged file. The file is still kept.",
            False,
        )
    return (
        "Đã khôi phục: " + ", ".join(restored) + ".",
        "Restored: " + ", ".join(restored) + ".",
        True,
    )


def _restored(file: str) -> str:
    """The summary of a document brought back from a kept-aside file (both languages)."""
    return f"khôi phục từ {file} / restored from {file}"


def _free_name(store: Store, wanted: str) -> str:
    taken = {d.name for d in scenarios.documents(store)}
    wanted = wanted[: scenarios.MAX_NAME - 4]
    if wanted not in taken:
        return wanted
    k = 2
    while f"{wanted} {k}" in taken:
        k += 1
    return f"{wanted} {k}"
