"""The planner's embedded database: one SQLite file under ``$PLANNER_HOME``, used in transactions.

Every write runs in ``BEGIN IMMEDIATE`` … ``COMMIT`` (one writer at a time, across threads and
processes; the others wait up to ``BUSY_SECONDS``), so two tabs, two users or a worker process
cannot corrupt the file or interleave half-written changes. WAL mode lets readers go on while
one process writes. A file that cannot be read is never deleted: it is kept aside under a new
name with a timestamp, recorded in the fresh database, and the user is told (see
:mod:`planner.store.recovery`). A read-only or full folder gives a bilingual
:class:`StoreError`, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PlannerError

DB_NAME = "planner.sqlite3"
SCHEMA_VERSION = 2
# What each version added (a database of an older version is brought up to date on opening;
# every change only adds, so the older tables and rows are read as before):
# 1: scenarios, versions, plans, diagnoses, feed_exports, browsers, kept_aside
# 2: actuals (append-only: triggers refuse UPDATE and DELETE), see planner.store.actuals
BUSY_SECONDS = 20.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS scenarios (
    name TEXT PRIMARY KEY,
    head INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    scenario TEXT NOT NULL REFERENCES scenarios(name),
    number INTEGER NOT NULL,
    parent INTEGER,
    base_name TEXT NOT NULL,
    base_text TEXT NOT NULL,
    sets TEXT NOT NULL,
    content_key TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (scenario, number)
);
CREATE TABLE IF NOT EXISTS plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    content_key TEXT NOT NULL,
    scenario TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    report TEXT NOT NULL,
    plan BLOB,
    base_plan INTEGER REFERENCES plans(id),
    moves TEXT
);
CREATE INDEX IF NOT EXISTS plans_by_content ON plans (content_key, id);
CREATE TABLE IF NOT EXISTS diagnoses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    content_key TEXT NOT NULL,
    author TEXT NOT NULL,
    created_at TEXT NOT NULL,
    result TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS diagnoses_by_content ON diagnoses (content_key, id);
CREATE TABLE IF NOT EXISTS feed_exports (
    scenario TEXT NOT NULL,
    scope TEXT NOT NULL,
    plan_id INTEGER NOT NULL,
    archive TEXT NOT NULL,
    summary TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    PRIMARY KEY (scenario, scope)
);
CREATE TABLE IF NOT EXISTS browsers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS kept_aside (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    file TEXT NOT NULL,
    reason_vi TEXT NOT NULL,
    reason_en TEXT NOT NULL,
    created_at TEXT NOT NULL,
    resolved TEXT
);
CREATE TABLE IF NOT EXISTS actuals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scenario TEXT NOT NULL,
    org_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    start_day TEXT,
    end_day TEXT,
    reason TEXT NOT NULL,
    author TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS actuals_by_unit ON actuals (scenario, org_id, kind, id);
CREATE TRIGGER IF NOT EXISTS actuals_no_update BEFORE UPDATE ON actuals
BEGIN SELECT RAISE(ABORT, 'actuals are append-only: record a correction as a new entry'); END;
CREATE TRIGGER IF NOT EXISTS actuals_no_delete BEFORE DELETE ON actuals
BEGIN SELECT RAISE(ABORT, 'actuals are append-only: record a correction as a new entry'); END;
"""


def planner_home() -> Path:
    """Where the planner keeps its data: ``$PLANNER_HOME``, else the XDG data folder."""
    if os.environ.get("PLANNER_HOME"):
        return Path(os.environ["PLANNER_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "planner"


def now_iso() -> str:
    """The current time, UTC, to the second (stored; shown in Vietnam time)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def stamp() -> str:
    """A timestamp for file names (``20201020T101500``, UTC)."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")


class StoreError(PlannerError):
    """The database could not be read or written (read-only folder, full disk, busy, broken)."""


def store_error(exc: BaseException, path: Path) -> StoreError:
    """A bilingual message for a failed database or folder operation, with the fix."""
    text = str(exc).lower()
    if isinstance(exc, PermissionError) or "readonly" in text or "read-only" in text:
        vi, en = "thư mục dữ liệu chỉ đọc", "the data folder is read-only"
        hint_vi = "Cho phép ghi vào PLANNER_HOME hoặc đặt PLANNER_HOME sang thư mục ghi được."
        hint_en = "Make PLANNER_HOME writable or point PLANNER_HOME to a writable folder."
    elif "full" in text or getattr(exc, "errno", None) == 28:
        vi, en = "ổ đĩa đã đầy", "the disk is full"
        hint_vi, hint_en = "Giải phóng dung lượng rồi thử lại.", "Free some space, then retry."
    elif "locked" in text or "busy" in text:
        vi, en = "cơ sở dữ liệu đang bận", "the database is busy"
        hint_vi, hint_en = "Thử lại sau ít giây.", "Retry in a few seconds."
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        vi, en = "tệp cơ sở dữ liệu bị hỏng", "the database file is damaged"
        hint_vi = "Khởi động lại ứng dụng: tệp hỏng sẽ được cất sang bên và thay bằng tệp mới."
        hint_en = "Restart the app: the damaged file is kept aside and a new one is started."
    else:
        vi, en = "không mở được cơ sở dữ liệu", "cannot open the database"
        hint_vi = "Kiểm tra PLANNER_HOME (phải là thư mục ghi được)."
        hint_en = "Check PLANNER_HOME (it must be a writable folder)."
    reason = str(exc) or type(exc).__name__
    return StoreError(
        f"{vi} ({reason}).",
        f"{en} ({reason}).",
        file=path.name,
        hint_vi=hint_vi,
        hint_en=hint_en,
    )


@dataclass(frozen=True)
class Store:
    """A handle on the database file; every operation opens its own short connection."""

    path: Path

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextlib.contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from None
        try:
            conn.execute(begin)
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise store_error(exc, self.path) from None
            raise
        finally:
            conn.close()

    def read(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """A consistent snapshot for several reads."""
        return self._transaction("BEGIN")

    def write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``): all of it is committed, or none."""
        return self._transaction("BEGIN IMMEDIATE")

    @property
    def folder(self) -> Path:
        """The folder beside the database (feed archives live under it)."""
        return self.path.parent


def _statements(script: str) -> list[str]:
    """The script's statements (a trigger's body holds ``;`` of its own)."""
    out: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                out.append(pending.strip())
            pending = ""
    return out


def create_schema(store: Store) -> None:
    """Create the tables (idempotent) and switch the file to WAL mode."""
    try:
        conn = store._connect()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise store_error(exc, store.path) from None
    with store.write() as conn:
        for statement in _statements(SCHEMA):
            conn.execute(statement)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        elif int(row[0]) < SCHEMA_VERSION:  # an older database: its new tables were just added
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )
        elif int(row[0]) > SCHEMA_VERSION:
            raise StoreError(
                f"cơ sở dữ liệu thuộc phiên bản mới hơn ({row[0]}).",
                f"the database comes from a newer version ({row[0]}).",
                file=store.path.name,
                hint_vi="Cập nhật planner, hoặc đặt PLANNER_HOME sang thư mục khác.",
                hint_en="Update planner, or point PLANNER_HOME to another folder.",
            )


def check_readable(store: Store) -> None:
    """Raise ``sqlite3.DatabaseError`` when the file is not a readable planner database."""
    conn = store._connect()
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise sqlite3.DatabaseError(f"database disk image is malformed ({verdict[0]})")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
