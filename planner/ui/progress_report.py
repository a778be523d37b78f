"""The printable progress report (issue 21, point 2) in the form a review conference uses: what
was done (per level: planned by the day, held), what is late (provinces most behind first, then
the late units with their planned dates), what comes next (due in the next 14 days). Vietnamese
first, English on request; a PDF (fpdf2, the font of :mod:`planner.ui.printed`) and an XLSX
workbook with real date cells. No Streamlit here: the Progress page offers the bytes.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from planner.analysis.progress import LateUnit, Progress
from planner.tree.hierarchy import OrgTree
from planner.tree.names import level_label
from planner.ui.printed import MAX_ROWS, _d, _Doc, _heading, _table, font_file


def _tr(en: bool, vi: str, english: str) -> str:
    return english if en else vi


def _level(level: str, en: bool) -> str:
    label = level_label(level)
    return label.en if en else label.vi


def _share(held: int, planned: int) -> str:
    if not planned:
        return "—"
    return f"{100 * held / planned:.0f} %"


def done_frame(result: Progress, en: bool) -> pd.DataFrame:
    """I. What was done: per level, planned by the day, held, share, postponed, late."""
    return pd.DataFrame(
        [
            {
                _tr(en, "Cấp", "Level"): _level(level, en),
                _tr(en, "Kế hoạch đến nay", "Planned by today"): c.planned_by_today,
                _tr(en, "Đã họp", "Held"): c.held,
                _tr(en, "Tỷ lệ", "Share"): _share(c.held, c.planned_by_today),
                _tr(en, "Hoãn", "Postponed"): c.postponed,
                _tr(en, "Chậm", "Late"): c.late,
                _tr(en, "Đến hạn trong 14 ngày", "Due in 14 days"): c.due_14d,
            }
            for level, c in result.levels
        ]
    )


def provinces_frame(result: Progress, tree: OrgTree, en: bool) -> pd.DataFrame:
    """The provinces, most behind first (late, then postponed)."""
    attr = "name_en" if en else "name_vi"
    return pd.DataFrame(
        [
            {
                _tr(en, "Tỉnh, thành phố", "Province"): str(getattr(tree.get(p), attr)),
                _tr(en, "Mã", "Id"): p,
                _tr(en, "Kế hoạch đến nay", "Planned by today"): c.planned_by_today,
                _tr(en, "Đã họp", "Held"): c.held,
                _tr(en, "Chậm", "Late"): c.late,
                _tr(en, "Hoãn", "Postponed"): c.postponed,
                _tr(en, "Đến hạn trong 14 ngày", "Due in 14 days"): c.due_14d,
            }
            for p, c in result.provinces
        ]
    )


def units_frame(units: list[LateUnit], tree: OrgTree, en: bool) -> pd.DataFrame:
    """Late or due units: name, id, level, planned dates and expected dates (real dates)."""
    attr = "name_en" if en else "name_vi"
    columns = [
        _tr(en, "Đơn vị", "Unit"), _tr(en, "Mã đơn vị", "Unit id"), _tr(en, "Cấp", "Level"),
        _tr(en, "Kế hoạch từ", "Planned from"), _tr(en, "Kế hoạch đến", "Planned to"),
        _tr(en, "Dự kiến từ", "Expected from"), _tr(en, "Dự kiến đến", "Expected to"),
        _tr(en, "Hoãn", "Postponed"),
    ]  # fmt: skip
    rows = [
        [
            str(getattr(tree.get(u.org_id), attr)), u.org_id, _level(u.level, en),
            u.planned_start, u.planned_end, u.expected_start or u.planned_start,
            u.expected_end or u.planned_end,
            _tr(en, "có", "yes") if u.status == "postponed" else _tr(en, "không", "no"),
        ]
        for u in units
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _title(en: bool, where: str, today: dt.date) -> str:
    heading = _tr(en, "BÁO CÁO TIẾN ĐỘ ĐẠI HỘI", "CONGRESS PROGRESS REPORT")
    return f"{heading} — {where} — {_d(today)}"


def _cells(frame: pd.DataFrame) -> list[list[str]]:
    return [[_d(v) if isinstance(v, dt.date) else str(v) for v in row] for row in frame.values]


def report_pdf(result: Progress, tree: OrgTree, where: str, lang: str = "vi") -> bytes:
    """The report as a PDF: I. what was done, II. what is late, III. what comes next."""
    en = lang == "en"
    title = _title(en, where, result.today)
    pdf = _Doc(format="A4")
    font = font_file()
    pdf.add_font("body", "", str(font))
    bold = font.with_name(font.stem + "-Bold" + font.suffix)
    pdf.add_font("body", "B", str(bold if bold.is_file() else font))
    pdf.set_lang("en" if en else "vi")
    pdf.set_title(title)
    pdf.set_creator("planner")
    pdf.footer_text = title
    pdf.page_word = _tr(en, "Trang", "Page")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    pdf.set_font("body", style="B", size=14)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    done = done_frame(result, en)
    _heading(pdf, _tr(en, "I. Kết quả đã thực hiện", "I. What was done"))
    _table(pdf, list(done.columns), _cells(done), (20, 12, 10, 9, 9, 9, 13))
    _heading(pdf, _tr(en, "II. Chậm so với kế hoạch", "II. What is late"))
    behind = provinces_frame(result, tree, en)
    if not behind.empty:
        behind = behind[(behind.iloc[:, 4] > 0) | (behind.iloc[:, 5] > 0)]
    if behind.empty:
        pdf.set_font("body", size=9)
        pdf.multi_cell(0, 5, _tr(en, "Không tỉnh nào chậm.", "No province is behind."),
                       new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    else:
        _table(pdf, list(behind.columns), _cells(behind), (22, 8, 12, 9, 9, 9, 13), ids=(1,))
    _units(pdf, result.late_units, tree, en, _tr(en, "Đơn vị chậm", "Late units"))
    _heading(pdf, _tr(en, "III. Nhiệm vụ sắp tới (14 ngày)", "III. What comes next (14 days)"))
    _units(pdf, result.due_units, tree, en, "")
    return bytes(pdf.output())


def _units(pdf: _Doc, units: list[LateUnit], tree: OrgTree, en: bool, label: str) -> None:
    pdf.set_font("body", size=9)
    text = (label + ": " if label else "") + f"{len(units)} " + _tr(en, "đơn vị.", "units.")
    if len(units) > MAX_ROWS:
        text += " " + _tr(en, f"In {MAX_ROWS} đơn vị đầu.", f"The first {MAX_ROWS} printed.")
    pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
    if units:
        frame = units_frame(units[:MAX_ROWS], tree, en)
        _table(pdf, list(frame.columns), _cells(frame), (24, 10, 12, 10, 10, 10, 10, 7), ids=(1,))


def report_xlsx(result: Progress, tree: OrgTree, lang: str = "vi") -> bytes:
    """The report as an XLSX workbook: one sheet per part, dates as real date cells."""
    en = lang == "en"
    sheets = {
        _tr(en, "Đã thực hiện", "Done"): done_frame(result, en),
        _tr(en, "Tỉnh", "Provinces"): provinces_frame(result, tree, en),
        _tr(en, "Chậm", "Late"): units_frame(result.late_units, tree, en),
        _tr(en, "Sắp tới", "Next"): units_frame(result.due_units, tree, en),
    }
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, index=False, sheet_name=name)
            sheet = writer.sheets[name]
            for row in sheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, dt.date):
                        cell.number_format = "DD/MM/YYYY"
    return buffer.getvalue()
