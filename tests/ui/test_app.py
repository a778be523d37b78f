"""The Streamlit app's election page (AppTest), in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.ui import jobs
from tests.conftest import REPO

APP = str(REPO / "app.py")
ELECTION = "planner/ui/pages/election.py"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))  # a fresh store for each test
    yield
    jobs.shutdown()


def test_election_page_renders_in_vietnamese() -> None:
    """The election page shows the scenario's election day, the timetable and the tree."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(ELECTION).run()
    assert not at.exception
    assert at.title[0].value == "Bầu cử"
    assert [h.value for h in at.header] == ["Lịch bầu cử theo luật", "Cây tổ chức đảng"]
    assert next(m for m in at.metric if m.label == "Ngày bầu cử").value == "23/05/2021"
    assert len(at.table) == 1 and len(at.dataframe) == 1  # the timetable is a static table
    timetable = at.table[0].value
    assert "Nộp hồ sơ ứng cử" in set(timetable["Bước"])


def test_english() -> None:
    """English labels after switching (the day itself is changed on the Constraints page, where
    a Saturday is refused: see tests/ui/test_pages.py)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(ELECTION).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Election"
    assert at.header[0].value == "Statutory election timetable"
    assert "Candidate files submitted" in set(at.table[0].value["Step"])
