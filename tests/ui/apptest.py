"""What the AppTest modules share: the app, its pages, opening a tab, switching page, waiting for
the session's solve and reading the store (each test gets its own ``PLANNER_HOME``: the autouse
``_home`` fixture of ``conftest.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from planner.store.db import Store
from planner.ui import jobs

from ..conftest import REPO

APP = str(REPO / "app.py")
PAGES = "planner/ui/pages/"


def app(timeout: float = 120, **params: str) -> AppTest:
    """A new tab on the app, with these URL parameters (not run yet)."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def page(at: AppTest, name: str) -> AppTest:
    """Switch the tab to a page; it must draw without an exception or an error box."""
    at.switch_page(PAGES + f"{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not [e.value for e in at.error if "Đã xảy ra lỗi" in e.value]
    return at


def solved(at: AppTest, seconds: float = 240) -> AppTest:
    """Wait for the solve of the session's content (validated by the job), then render again."""
    key = f"plan:{at.session_state['working'].content_key}"
    job = jobs.pool().find(key)
    assert job is not None, key
    assert jobs.pool().wait(job, seconds) and job.state == "done", (job.state, job.error)
    return at.run()


def working(at: AppTest) -> Any:
    """The tab's working copy of its scenario version."""
    return at.session_state["working"]


def store_of(home: Path) -> Store:
    """The store of a test's ``PLANNER_HOME``."""
    return Store(home / "planner.sqlite3")
