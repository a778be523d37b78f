"""The planner's views in a real browser (Debian's Chromium through Playwright): the unit
search, the province filter with the month calendar and the printable plan, the comparison,
switching the cycle, and every page in Vietnamese checked for English words of the catalogue
and by axe-core (no serious or critical violation). Screenshots of failures are kept under
``tests/artifacts/`` (``tests/ui/conftest.py``), and so is each page's axe report.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from planner.tree.build import build_tree

from ..conftest import REPO
from .browser import (
    ARTIFACTS,
    HEADINGS,
    SLOW,
    STEP,
    choose,
    document,
    download,
    go,
    needs_chromium,
    open_page,
    press,
    type_day,
)
from .language import english_left

pytestmark = needs_chromium
NODE = REPO / "tests" / "node"
AXE = NODE / "node_modules" / "axe-core" / "axe.min.js"
NAV = {  # page → its link in the navigation (Vietnamese)
    "plan": "Kế hoạch",
    "month": "Lịch tháng",
    "unit": "Đơn vị",
    "compare": "So sánh",
    "constraints": "Ràng buộc",
    "feasibility": "Kiểm tra",
    "election": "Bầu cử",
    "export": "Xuất và in",
    "history": "Lịch sử",
    "progress": "Tiến độ",
}


@pytest.fixture(scope="module")
def axe() -> Path:
    """axe-core from npm, pinned by tests/node/package-lock.json (``npm ci`` on first use)."""
    npm = shutil.which("npm")
    if not AXE.is_file():
        if npm is None:
            pytest.skip("npm is needed for axe-core: run `npm ci --prefix tests/node`")
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(NODE)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.skip(f"cannot install axe-core ({done.stderr.strip()[-200:]})")
    return AXE


def _solved(tab: Any) -> None:
    from playwright.sync_api import expect

    expect(tab.get_by_text("Mục tiêu", exact=True)).to_be_visible(timeout=SLOW)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_search_opens_a_units_page(context: Any, server: str, home: Path) -> None:
    """ "ninh binh" typed without diacritics in the sidebar finds Ninh Bình; its page shows
    its congress, its parent and children, the rules with their sources and its feed; a child
    opens the same way."""
    from playwright.sync_api import expect

    document(home, "e2e-search")
    tab = open_page(context, server, "e2e-search", "plan")
    _solved(tab)
    tab.get_by_role("textbox", name="Tìm đơn vị (tên hoặc mã)").fill("ninh binh")
    tab.keyboard.press("Enter")
    sidebar = tab.get_by_test_id("stSidebarUserContent")
    sidebar.get_by_role("link", name="Đảng bộ tỉnh Ninh Bình · p37").click()
    expect(tab.get_by_role("heading", name="Đảng bộ tỉnh Ninh Bình", exact=True)).to_be_visible(
        timeout=STEP
    )
    assert "unit=p37" in tab.url
    main = tab.get_by_test_id("stMainBlockContainer")
    expect(main.get_by_text("Ngày họp (kế hoạch)").first).to_be_visible()
    expect(main.get_by_role("cell", name="Chỉ thị 35-CT/TW", exact=False).first).to_be_visible()
    expect(main.get_by_text("central-p37.ics")).to_be_visible()
    expect(main.get_by_role("link", name=re.compile("^Cấp trên: Đảng Cộng sản"))).to_be_visible()
    main.get_by_role("link", name="Đảng bộ thành phố Ninh Bình · d369").click()
    expect(
        tab.get_by_role("heading", name="Đảng bộ thành phố Ninh Bình", exact=True)
    ).to_be_visible(timeout=STEP)


def test_province_filter_month_view_and_printable_plan(
    context: Any, server: str, home: Path
) -> None:
    """Ninh Bình chosen in the sidebar limits the plan page, the month calendar (with a day's
    congresses), the CSV download and the printable plan, whose PDF text is read back."""
    from playwright.sync_api import expect

    document(home, "e2e-province")
    tab = open_page(context, server, "e2e-province", "plan")
    _solved(tab)
    choose(tab, "Tỉnh, thành phố", "Đảng bộ tỉnh Ninh Bình")
    expect(
        tab.get_by_role("heading", name="Toàn bộ chu kỳ — Đảng bộ tỉnh Ninh Bình")
    ).to_be_visible(timeout=STEP)
    assert "province=p37" in tab.url
    go(tab, "Lịch tháng", "Lịch tháng")
    calendar = tab.locator("table.cal")
    expect(calendar).to_be_visible(timeout=STEP)
    expect(calendar.locator("caption")).to_have_text(re.compile("^Đại hội đang họp mỗi ngày"))
    expect(tab.get_by_text(re.compile(r"đại hội họp trong tháng; đông nhất ngày"))).to_be_visible()
    go(tab, "Xuất và in", "Xuất và in")
    ninh_binh = {o.org_id for o in build_tree("2020").subtree("p37")}
    data = download(tab, "Kế hoạch (CSV)")
    assert data.startswith(b"\xef\xbb\xbf")  # D12: Excel reads the diacritics
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    congresses = {r["Mã đơn vị"] for r in rows if r["Loại sự kiện"] == "Đại hội"} - {"vn"}
    assert congresses and congresses <= ninh_binh
    press(tab, "Tạo bản in", "Tải bản in (PDF)")
    text = _pdf_text(download(tab, "Tải bản in (PDF)"))
    assert "KẾ HOẠCH ĐẠI HỘI — Đảng bộ tỉnh Ninh Bình" in text
    assert "Khung thời gian và căn cứ pháp lý" in text and "Chỉ thị 35-CT/TW" in text
    assert "d369" in text and "Ràng buộc cứng đang áp dụng" in text


def test_compare_two_versions(context: Any, server: str, home: Path) -> None:
    """Moving the central window's start, then comparing v1 with v2: B is solved from the
    page, the congresses that differ are listed with their days and the CSV holds them."""
    from playwright.sync_api import expect

    document(home, "e2e-compare")
    tab = open_page(context, server, "e2e-compare", "plan")
    _solved(tab)
    go(tab, "Ràng buộc", "Ràng buộc")
    type_day(tab, "Đảng bộ trực thuộc Trung ương: từ ngày", "10")
    press(tab, "Áp dụng", "Đã lưu phiên bản 2")
    go(tab, "So sánh", "So sánh kịch bản")
    press(tab, "Lập kế hoạch cho B", "Đang lập kế hoạch", "Đang chờ", "đại hội khác ngày")
    heading = tab.get_by_role("heading", name=re.compile(r"^\d+ đại hội khác ngày$"))
    expect(heading).to_be_visible(timeout=SLOW)
    count = int(heading.inner_text().split()[0].replace(".", ""))
    assert count > 0
    expect(tab.get_by_text("Khung thời gian (Đảng bộ trực thuộc Trung ương)").first).to_be_visible()
    rows = list(
        csv.DictReader(io.StringIO(download(tab, "Tải bảng so sánh (CSV)").decode("utf-8-sig")))
    )
    assert len(rows) == count and all(re.fullmatch(r"-?\d+", r["Dời (ngày)"]) for r in rows)


def test_switching_the_cycle_changes_the_captions(context: Any, server: str, home: Path) -> None:
    """The cycle chosen in the sidebar opens that cycle's scenario: the captions, the level
    names and the URL follow it."""
    from playwright.sync_api import expect

    document(home, "e2e-cycle")
    tab = open_page(context, server, "e2e-cycle", "election")
    expect(tab.get_by_text(re.compile("Chu kỳ đại hội 2020–2021")).first).to_be_visible()
    choose(tab, "Chu kỳ", "2025–2026 · Đại hội XIV")  # a short label: the box shows it whole
    expect(
        tab.get_by_text(re.compile(r"Chủ nhật, 15/3/2026 · Chu kỳ đại hội 2025–2026"))
    ).to_be_visible(timeout=STEP)
    expect(tab.get_by_text(re.compile(r"Chu kỳ đại hội 2020–2021"))).to_have_count(0)
    # the level's name is in the caption and, once the units' table has drawn, in its rows
    level = tab.get_by_text("Cấp xã (xã, phường, đặc khu và tương đương)", exact=True)
    expect(level.first).to_be_visible(timeout=STEP)
    assert "scenario=xiv-2025" in tab.url


def _visible_text(tab: Any) -> str:
    """What the page shows a person (code blocks aside), chart labels included."""
    return str(
        tab.evaluate(
            """() => {
              const main = document.querySelector('[data-testid=stAppViewContainer]');
              const clone = main.cloneNode(true);
              clone.querySelectorAll('code, pre, script, style').forEach(e => e.remove());
              const svg = Array.from(main.querySelectorAll('svg text')).map(t => t.textContent);
              return clone.innerText + '\\n' + svg.join('\\n');
            }"""
        )
    )


def test_every_page_is_vietnamese_and_accessible(
    context: Any, server: str, home: Path, axe: Path
) -> None:
    """On every page in Vietnamese: <html lang="vi">, one h1, no English word or raw code of
    the catalogue (chart labels too, months as T5/2020), a table alternative for each chart,
    and axe-core finds no serious or critical violation. In English the language follows."""
    from playwright.sync_api import expect

    document(home, "e2e-a11y")
    tab = open_page(context, server, "e2e-a11y", "plan")
    _solved(tab)
    expect(tab.locator(".js-plotly-plot")).to_have_count(3, timeout=STEP)
    report: dict[str, Any] = {}
    for page, link in NAV.items():
        if page != "plan":
            go(tab, link, HEADINGS[page])
        if page == "plan":
            charts = tab.locator(".js-plotly-plot").count()
            alternatives = tab.get_by_text("Dữ liệu của biểu đồ (bảng)").count()
            assert charts == alternatives == 3
            ticks = tab.evaluate(
                "Array.from(document.querySelectorAll('.xtick text')).map(t => t.textContent)"
            )
            assert any(re.fullmatch(r"T\d{1,2}/20\d\d", t) for t in ticks), ticks
        if page == "constraints":  # the app's own limit, not Streamlit's 1 MB
            expect(tab.get_by_text("Tối đa 512 KiB mỗi tệp • TOML")).to_be_visible(timeout=STEP)
        expect(tab.locator("html")).to_have_attribute("lang", "vi", timeout=STEP)
        assert tab.locator("h1").count() == 1, page
        left = english_left(_visible_text(tab))
        assert not left, (page, left)
        tab.add_script_tag(path=str(axe))
        found = tab.evaluate(
            """async () => {
              const r = await axe.run(document, {runOnly: {type: 'tag',
                values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
              return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}));
            }"""
        )
        report[page] = found
        serious = [v for v in found if v["impact"] in ("serious", "critical")]
        assert not serious, (page, serious)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    tab.get_by_text("English", exact=True).click()
    expect(tab.locator("html")).to_have_attribute("lang", "en", timeout=STEP)
