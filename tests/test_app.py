"""The Streamlit app's election page (AppTest), in Vietnamese and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from planner.ui import jobs
from planner.ui.common import shared_results

from .conftest import REPO

APP = str(REPO / "app.py")
ELECTION = "planner/ui/pages/election.py"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("PLANNER_HOME", str(tmp_path / "home"))
    shared_results().clear()  # results are shared across sessions: start every test clean
    yield
    jobs.shutdown()


def test_election_page_renders_in_vietnamese() -> None:
    """The election page shows the timetable and the tree with Vietnamese headings."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(ELECTION).run()
    assert not at.exception
    assert [h.value for h in at.header] == ["Lịch bầu cử theo luật", "Cây tổ chức đảng"]
    assert len(at.dataframe) == 2
    timetable = at.dataframe[0].value
    assert "Nộp hồ sơ ứng cử" in set(timetable["Bước"])


def test_english_and_a_saturday() -> None:
    """English labels after switching; a Saturday election day shows an error, no exception."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(ELECTION).run()
    at.sidebar.radio[0].set_value("en").run()
    assert at.header[0].value == "Statutory election timetable"
    at.date_input(key="election_day").set_value(dt.date(2021, 5, 22)).run()
    assert not at.exception
    assert at.error and "2021-05-23" in at.error[0].value
