"""End to end in a real browser: Debian's Chromium driven by Playwright against `streamlit run`.

Changes a constraint, solves, checks the timeline and writes a screenshot under the ignored
``tests/artifacts/``. Skipped, with the install command, where Chromium is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..conftest import REPO

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = REPO / "tests" / "artifacts"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PLANNER_HOME": str(tmp_path / "home")}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "server.log").open("w", encoding="utf-8")  # read it when the test fails
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO / "app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
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
        proc.wait(timeout=20)
        log.close()


@pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Chromium not installed: run `apt-get install -y chromium` (.ci/run does it)",
)
def test_planner_session_in_vietnamese(server: str) -> None:
    """Change the central window, solve, see the timeline, diagnose a conflict, apply a
    suggestion, solve again and download the feeds — all in Vietnamese."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
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
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(server)
        expect(page.get_by_text("Kế hoạch đại hội")).to_be_visible(timeout=60_000)

        def constraints() -> None:
            go("Ràng buộc", "Ràng buộc")
            expect(page.get_by_text("Cấp tỉnh, bầu cử và khoảng cách")).to_be_visible(
                timeout=30_000
            )

        def go(link: str, heading: str) -> None:
            page.get_by_role("link", name=link).click()
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(
                timeout=30_000
            )
            page.wait_for_timeout(1_000)  # let the page settle before clicking its buttons

        def press_until(button: str, *signs: str) -> None:
            """Click until one of the signs shows (a click during a rerun can be dropped)."""
            for _attempt in range(3):
                page.get_by_role("button", name=button, exact=True).click()
                for sign in signs:
                    try:
                        expect(page.get_by_text(sign).first).to_be_visible(timeout=5_000)
                        return
                    except AssertionError:
                        continue
            raise AssertionError(f"{button}: none of {signs} appeared")

        def solve() -> None:
            go("Kế hoạch", "Kế hoạch đại hội")
            press_until("Lập kế hoạch", "Đang lập kế hoạch", "Trạng thái")
            try:
                expect(page.get_by_text("Trạng thái")).to_be_visible(timeout=120_000)
            except AssertionError:
                page.screenshot(path=str(ARTIFACTS / "failure.png"))
                raise
            expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)

        constraints()
        day = page.get_by_role("spinbutton", name="day, Cấp tỉnh: hạn chót")
        day.click()
        page.keyboard.type("25")
        page.get_by_role("button", name="Áp dụng", exact=True).click()
        expect(page.get_by_text("levels.central.window=[2020-09-01, 2020-10-25]")).to_be_visible(
            timeout=30_000
        )
        solve()
        page.screenshot(path=str(ARTIFACTS / "plan.png"))

        constraints()
        page.get_by_label("Cấp tỉnh: tối đa đại hội mỗi ngày").fill("1")
        page.get_by_role("button", name="Áp dụng", exact=True).click()
        expect(page.get_by_text("levels.central.daily_capacity=1")).to_be_visible(timeout=30_000)
        go("Kiểm tra", "Kiểm tra khả thi")
        press_until("Kiểm tra", "Đang kiểm tra", "Cách gỡ")
        expect(page.get_by_text("Cách gỡ")).to_be_visible(timeout=180_000)
        page.screenshot(path=str(ARTIFACTS / "feasibility.png"))
        page.get_by_role("button", name="Áp dụng").first.click()
        expect(page.get_by_text("Đã áp dụng.")).to_be_visible(timeout=30_000)

        solve()
        go("Xuất", "Xuất dữ liệu")
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Lịch iCal", exact=False).click()
        assert download.value.suggested_filename == "feeds.zip"
        browser.close()
    assert (ARTIFACTS / "plan.png").stat().st_size > 10_000
