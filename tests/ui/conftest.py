"""Browser tests keep a screenshot of each page of a failed test; one Streamlit server and one
Chromium serve every real-browser test of the session (see ``tests/ui/browser.py``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import REPO
from .browser import ARTIFACTS, CHROMIUM


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item) -> Iterator[None]:
    """Remember each phase's report on the test item, so fixtures know whether it failed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's PLANNER_HOME (each test uses documents of its own in it)."""
    return tmp_path_factory.mktemp("planner-home")


def serve(home: Path, log_name: str, **env_extra: str) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with ``PLANNER_HOME=home`` and the extra
    environment (address, headless, usage stats: .streamlit/config.toml); its log goes to
    tests/artifacts/``log_name``."""
    port = _free_port()
    env = {**os.environ, "PLANNER_HOME": str(home), **env_extra}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / log_name).open("w", encoding="utf-8")  # read it when a test fails
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port",
         str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def server(home: Path) -> Iterator[str]:
    """The shared server (no sign-in: the single-user local tool); see :func:`serve`."""
    yield from serve(home, "server.log", PLANNER_AUTH="")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through the playwright package (never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser profile (its own cookie); a screenshot of every page if the test fails."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    yield ctx
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for k, page in enumerate(ctx.pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{k}.png"), full_page=True)
    ctx.close()
