"""Display names, asked once per browser, so the history can say who saved each version.

No passwords: a browser is recognised by a random id in a cookie, and the name is what its user
typed. It labels work, it does not protect it (expose the app behind a proxy with
authentication; see the README).
"""

from __future__ import annotations

import re

from planner.errors import PlannerError
from planner.store.db import Store, now_iso

MAX_NAME = 40
_ID = re.compile(r"^[0-9a-f]{32}$")
GUEST = "khách / guest"


def valid_id(browser_id: str) -> bool:
    """Whether a cookie value looks like an id we issued (anything else is ignored)."""
    return bool(_ID.match(browser_id))


def name_of(store: Store, browser_id: str) -> str | None:
    """The display name given in this browser, or None."""
    with store.read() as conn:
        row = conn.execute("SELECT name FROM browsers WHERE id = ?", (browser_id,)).fetchone()
    return None if row is None else str(row[0])


def set_name(store: Store, browser_id: str, name: str) -> str:
    """Remember this browser's display name (1–40 printable characters)."""
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME or not clean.isprintable():
        raise PlannerError(
            "tên hiển thị không hợp lệ.",
            "invalid display name.",
            field="name",
            hint_vi=f"Nhập 1–{MAX_NAME} ký tự.",
            hint_en=f"Type 1–{MAX_NAME} characters.",
        )
    with store.write() as conn:
        conn.execute(
            "INSERT INTO browsers (id, name, created_at) VALUES (?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
            (browser_id, clean, now_iso()),
        )
    return clean
