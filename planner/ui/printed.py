"""The printable plan: a PDF for the nation, one committee or one province — what gets signed
and sent — with the dates, the legal basis of each level's window and the binding constraints,
in Vietnamese (English on request).

Built with fpdf2 (pure Python, maintained) and a Unicode TrueType font, so every Vietnamese
diacritic prints: Debian's DejaVu Sans (``fonts-dejavu-core``), or the font file named by
``PLANNER_PDF_FONT`` (its bold face beside it, ``…-Bold.ttf``, when there is one). No Streamlit
here: the Export page calls :func:`printed_plan` and offers the bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
from fpdf import FPDF
from fpdf.fonts import FontFace

from planner.errors import PlannerError
from planner.problem.units import Problem
from planner.rules.calendar import date_vi_padded
from planner.rules.families import catalogue
from planner.rules.preparation import (
    STANDING_COMMITTEE,
    STEP_KINDS,
    STEP_NAMES,
    PreparationSettings,
)
from planner.tree.hierarchy import Level
from planner.tree.names import level_label
from planner.ui.binding import family_source, national_basis, rule_source

FONT_PLACES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
)
MAX_ROWS = 3000  # congress rows in one document; beyond, lower levels are summarised


def font_file() -> Path:
    """The TrueType font with Vietnamese glyphs; a bilingual error with the fix when none."""
    wanted = os.environ.get("PLANNER_PDF_FONT")
    for place in ([wanted] if wanted else []) + list(FONT_PLACES):
        if place and Path(place).is_file():
            return Path(place)
    raise PlannerError(
        "không tìm thấy phông chữ Unicode để in (DejaVu Sans).",
        "no Unicode font found to print with (DejaVu Sans).",
        field="PLANNER_PDF_FONT",
        hint_vi="Cài gói fonts-dejavu-core, hoặc đặt PLANNER_PDF_FONT là đường dẫn tệp .ttf.",
        hint_en="Install fonts-dejavu-core, or set PLANNER_PDF_FONT to a .ttf file.",
    )


def _d(day: dt.date | None) -> str:
    return date_vi_padded(day)


class _Doc(FPDF):
    """A4 portrait with a footer: the title and ``page x/y``."""

    footer_text = ""
    page_word = "Trang"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("body", size=7)
        self.cell(0, 5, f"{self.footer_text} · {self.page_word} {self.page_no()}/{{nb}}",
                  align="C")  # fmt: skip


def _fit(pdf: FPDF, widths: Sequence[int], rows: Sequence[Sequence[str]],
         ids: Sequence[int]) -> tuple[float, ...]:  # fmt: skip
    """Column widths (mm, the page's width) where the columns of ids are wide enough for their
    longest id, so an id is never broken across lines; the widest other column gives way."""
    scale = pdf.epw / sum(widths)
    out = [w * scale for w in widths]
    pad = 2 * pdf.c_margin + 1
    for col in ids:
        need = pad + max(
            (pdf.get_string_width(word) for row in rows for word in str(row[col]).split()),
            default=0.0,
        )
        if need > out[col]:
            give = max((i for i in range(len(out)) if i not in ids), key=lambda i: out[i])
            out[give] -= need - out[col]
            out[col] = need
    return tuple(out)


def _table(pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]],
           widths: Sequence[int], ids: Sequence[int] = ()) -> None:  # fmt: skip
    """A table with a repeated heading; the columns ``ids`` hold ids, never broken."""
    pdf.set_font("body", size=7.5)
    with pdf.table(
        col_widths=_fit(pdf, widths, rows, ids),
        text_align="LEFT",
        line_height=4,
        headings_style=FontFace(emphasis="BOLD", fill_color=(225, 225, 225)),
        repeat_headings=1,
    ) as table:
        head = table.row()
        for cell in header:
            head.cell(cell)
        for values in rows:
            row = table.row()
            for cell in values:
                row.cell(cell)
    pdf.ln(3)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font("body", style="B", size=11)
    pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def printed_plan(
    problem: Problem,
    plan: pd.DataFrame,
    scope: str | None,
    lang: str = "vi",
    report: dict[str, object] | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The PDF of a plan for the nation (``scope`` None) or one committee (its org id: a
    central-level committee is also its province), in ``vi`` or ``en``."""
    en = lang == "en"
    tr = _tr(en)
    tree = problem.tree
    name_attr = "name_en" if en else "name_vi"
    where = tr("Toàn quốc", "Nationwide") if scope is None else getattr(tree.get(scope), name_attr)
    title = tr("KẾ HOẠCH ĐẠI HỘI", "CONGRESS PLAN") + f" — {where}"
    pdf = _document(title, en)
    _front(pdf, problem, title, en, report, today)
    _windows_section(pdf, problem, en)
    _constraints_section(pdf, problem, en)
    ids = {o.org_id for o in tree.subtree(scope)} if scope is not None else set()
    listed = _congress_section(pdf, plan, scope, ids, en)
    _election_section(pdf, plan, en)
    in_scope = plan if scope is None else plan[plan["org_id"].isin(ids)]
    _steps_section(pdf, problem, in_scope, listed, en)
    return bytes(pdf.output())


def _level_name(level: str, en: bool) -> str:
    label = level_label(level)
    return label.en if en else label.vi


def _document(title: str, en: bool) -> _Doc:
    """An empty A4 document with the Unicode font, its metadata and footer, on its first page."""
    tr = _tr(en)
    pdf = _Doc(format="A4")
    font = font_file()
    pdf.add_font("body", "", str(font))
    bold = font.with_name(font.stem + "-Bold" + font.suffix)
    pdf.add_font("body", "B", str(bold if bold.is_file() else font))
    pdf.set_lang("en" if en else "vi")
    pdf.set_title(title)
    pdf.set_creator("planner")
    pdf.footer_text = title
    pdf.page_word = tr("Trang", "Page")
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    return pdf


def _front(
    pdf: FPDF,
    problem: Problem,
    title: str,
    en: bool,
    report: dict[str, object] | None,
    today: dt.date | None,
) -> None:
    """The title and the lines under it: the scenario, a projection's warning, the election
    day and the printing day, and the plan's status."""
    tr = _tr(en)
    scenario = problem.scenario
    pdf.set_font("body", style="B", size=14)
    pdf.multi_cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", size=9)
    lines = [getattr(scenario, "name_en" if en else "name_vi")]
    if scenario.projection is not None:
        lines.append(
            tr(
                f"DỰ PHÓNG — không phải lịch chính thức: mọi ngày là chu kỳ "
                f"{scenario.projection.source_cycle} dời {scenario.projection.shift_years} năm.",
                f"PROJECTION — not an official schedule: every date is the "
                f"{scenario.projection.source_cycle} cycle shifted by "
                f"{scenario.projection.shift_years} years.",
            )
        )
    lines.append(
        tr("Ngày bầu cử: ", "Election day: ")
        + _d(scenario.election_day or _plan_election_day(report))
        + " · "
        + tr("Lập ngày ", "Printed on ")
        + _d(today or dt.date.today())
    )
    if report:
        status = str(report.get("status", ""))
        words = {
            "OPTIMAL": tr("tối ưu (đã chứng minh)", "optimal (proven)"),
            "FEASIBLE": tr("hợp lệ, chưa chứng minh tối ưu", "valid, not proven optimal"),
        }
        lines.append(
            tr("Kế hoạch: ", "Plan: ")
            + words.get(status, status)
            + tr("; đã qua kiểm tra độc lập.", "; checked by the independent validator.")
        )
    for line in lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _windows_section(pdf: FPDF, problem: Problem, en: bool) -> None:
    """1. Each planned level's window, its days, rules and their legal basis."""
    tr = _tr(en)
    scenario = problem.scenario
    _heading(pdf, tr("1. Khung thời gian và căn cứ pháp lý", "1. Windows and their legal basis"))
    rows = []
    for level in scenario.planned_levels():
        lp = scenario.levels[level]
        rules = [r for r in (*lp.window_rules, lp.duration_rule) if r]
        sources = dict.fromkeys(rule_source(problem, r) for r in rules if rule_source(problem, r))
        rows.append(
            [
                _level_name(level.value, en),
                f"{_d(lp.window[0])} – {_d(lp.window[1])}",
                str(lp.days),
                ", ".join(rules) or "—",
                "; ".join(sources)
                or (
                    national_basis(scenario, en)
                    if level == Level.NATIONAL
                    else tr("Kịch bản đang dùng", "The scenario in force")
                ),
            ]
        )
    _table(
        pdf,
        [tr("Cấp", "Level"), tr("Khung thời gian", "Window"), tr("Số ngày", "Days"),
         tr("Quy tắc", "Rules"), tr("Căn cứ", "Legal basis")],
        rows,
        (30, 34, 14, 40, 72),
        ids=(3,),
    )  # fmt: skip


def _constraints_section(pdf: FPDF, problem: Problem, en: bool) -> None:
    """2. The hard constraint families in force, their parameters and source."""
    tr = _tr(en)
    _heading(pdf, tr("2. Ràng buộc cứng đang áp dụng", "2. Binding constraints in force"))
    families = catalogue()
    rows = []
    for family_id, setting in problem.scenario.families.items():
        if not (setting.enabled and setting.hard) or family_id not in families:
            continue
        family = families[family_id]
        rows.append(
            [
                family.name_en if en else family.name_vi,
                _parameters(problem, family_id, en),
                family_source(problem, family_id),
            ]
        )
    _table(pdf, [tr("Ràng buộc", "Constraint"), tr("Tham số", "Parameters"),
                 tr("Nguồn", "Source")], rows, (40, 60, 90))  # fmt: skip


def _congress_section(
    pdf: FPDF, plan: pd.DataFrame, scope: str | None, ids: set[str], en: bool
) -> set[str]:
    """3. The congresses of the scope (``ids``, its organisations), by level and date; the
    nation's below the central level, or a scope's beyond :data:`MAX_ROWS`, summarised by
    level. Returns the organisations listed one by one."""
    tr = _tr(en)
    _heading(pdf, tr("3. Lịch đại hội", "3. Congress dates"))
    congress = plan[plan["kind"] == "congress"]
    if scope is not None:
        congress = congress[congress["org_id"].isin(ids)]
    congress = congress.assign(depth=[Level(str(lv)).depth for lv in congress["level"]])
    congress = congress.sort_values(["depth", "start", "org_id"])
    listed = congress
    if scope is None:  # the nation: the national and central congresses, the rest summarised
        listed = congress[congress["depth"] <= Level.CENTRAL.depth]
    elif len(congress) > MAX_ROWS:
        listed = congress[congress["depth"] <= Level.CENTRAL.depth + 1]
    org_attr = "org_name_en" if en else "org_name"
    _table(
        pdf,
        [tr("Đơn vị", "Unit"), tr("Mã", "Id"), tr("Cấp", "Level"), tr("Từ ngày", "From"),
         tr("Đến ngày", "To"), tr("Số ngày", "Days")],
        [
            [str(name), str(org), _level_name(str(lv), en), _d(s), _d(e), str((e - s).days + 1)]
            for name, org, lv, s, e in zip(
                listed[org_attr], listed["org_id"], listed["level"], listed["start"],
                listed["end"], strict=True,
            )
        ],
        (70, 18, 40, 22, 22, 14),
        ids=(1,),
    )  # fmt: skip
    _congress_summary(pdf, congress[~congress.index.isin(listed.index)], en)
    return set(listed["org_id"])


def _congress_summary(pdf: FPDF, rest: pd.DataFrame, en: bool) -> None:
    """The congresses not listed one by one: how many per level, the earliest and latest day."""
    if rest.empty:
        return
    tr = _tr(en)
    summary = rest.groupby("level").agg(n=("org_id", "size"), lo=("start", "min"),
                                        hi=("end", "max"))  # fmt: skip
    _table(
        pdf,
        [tr("Cấp (tóm tắt)", "Level (summary)"), tr("Số đại hội", "Congresses"),
         tr("Sớm nhất", "Earliest"), tr("Muộn nhất", "Latest")],
        [[_level_name(str(lv), en), str(int(r.n)), _d(r.lo), _d(r.hi)]
         for lv, r in summary.iterrows()],
        (70, 30, 45, 45),
    )  # fmt: skip


def _election_section(pdf: FPDF, plan: pd.DataFrame, en: bool) -> None:
    """4. The dated steps of the statutory election timetable, with their rule and source."""
    tr = _tr(en)
    _heading(pdf, tr("4. Các mốc bầu cử", "4. Election timetable"))
    steps = plan[(plan["kind"] == "election_step") & plan["start"].notna()].sort_values("start")
    _table(
        pdf,
        [tr("Bước", "Step"), tr("Từ ngày", "From"), tr("Đến ngày", "To"), tr("Quy tắc", "Rule"),
         tr("Nguồn", "Source")],
        [
            [str(n), _d(s), _d(e), str(r), str(src)]
            for n, s, e, r, src in zip(
                steps["name_en" if en else "name_vi"], steps["start"], steps["end"],
                steps["rule"], steps["source"], strict=True,
            )
        ],
        (70, 22, 22, 20, 56),
        ids=(3,),
    )  # fmt: skip


def _tr(en: bool) -> Callable[[str, str], str]:
    """The text of the printout's language: ``tr(vi, en)``."""
    return lambda vi, english: english if en else vi


def _steps_section(
    pdf: FPDF, problem: Problem, plan: pd.DataFrame, listed: set[str], en: bool
) -> None:
    """5. The preparation steps (issue 20): the reviews by reviewing body (how many, first and
    last day, then each), then the announcements, reports and approvals, then the rules with
    their legal source and status; steps of congresses summarised in section 3 are counted."""
    tr = _tr(en)
    settings = problem.scenario.preparation
    steps = plan[plan["kind"].isin(STEP_KINDS) & plan["start"].notna()]
    if steps.empty and (settings is None or not settings.active):
        return
    _heading(pdf, tr("5. Các bước chuẩn bị", "5. Preparation steps"))
    shown = steps[steps["org_id"].isin(listed)]
    _review_tables(pdf, settings, shown[shown["kind"] == "review"], en)
    org_attr = "org_name_en" if en else "org_name"
    others = shown[shown["kind"] != "review"]
    others = others.assign(order=[STEP_KINDS.index(str(k)) for k in others["kind"]])
    others = others.sort_values(["order", "start", "org_id"])
    if not others.empty:
        _table(pdf, [tr("Bước", "Step"), tr("Đơn vị", "Unit"), tr("Mã", "Id"),
                     tr("Từ ngày", "From"), tr("Đến ngày", "To")],
               [[_step_kind(str(k), en), str(n), str(o), _d(s), _d(e)]
                for k, n, o, s, e in zip(others["kind"], others[org_attr], others["org_id"],
                                         others["start"], others["end"], strict=True)],
               (60, 70, 18, 22, 22), ids=(2,))  # fmt: skip
    rest = steps[~steps["org_id"].isin(listed)]
    if not rest.empty:
        counts = rest.groupby("kind").size()
        _table(pdf, [tr("Bước (tóm tắt)", "Step (summary)"), tr("Số bước", "Steps")],
               [[_step_kind(str(k), en), str(int(counts[k]))]
                for k in STEP_KINDS if k in counts.index],
               (120, 70))  # fmt: skip
    _step_rules(pdf, settings, set(steps["rule"]), en)


def _review_tables(
    pdf: FPDF, settings: PreparationSettings | None, reviews: pd.DataFrame, en: bool
) -> None:
    """The reviews counted by reviewing body (first and last day), then each review."""
    if reviews.empty:
        return
    tr = _tr(en)
    known = settings.data.bodies if settings is not None else ()
    bodies = {b.id: b.name_en if en else b.name_vi for b in known}
    bodies[STANDING_COMMITTEE] = tr("Ban thường vụ cấp ủy cấp trên",
                                    "The superior standing committee")  # fmt: skip
    reviews = reviews.assign(who=[bodies.get(str(b), "—") for b in reviews["body"]])
    reviews = reviews.sort_values(["who", "start", "org_id"])
    summary = reviews.groupby("who", sort=True).agg(
        n=("org_id", "size"), lo=("start", "min"), hi=("end", "max")
    )
    body = tr("Cơ quan duyệt", "Reviewing body")
    _table(pdf, [body, tr("Số cuộc duyệt", "Reviews"), tr("Sớm nhất", "Earliest"),
                 tr("Muộn nhất", "Latest")],
           [[str(who), str(int(r.n)), _d(r.lo), _d(r.hi)] for who, r in summary.iterrows()],
           (90, 30, 35, 35))  # fmt: skip
    org_attr = "org_name_en" if en else "org_name"
    _table(pdf, [body, tr("Đơn vị", "Unit"), tr("Mã", "Id"), tr("Ngày duyệt", "Review day")],
           [[str(w), str(n), str(o), _d(s)]
            for w, n, o, s in zip(reviews["who"], reviews[org_attr], reviews["org_id"],
                                  reviews["start"], strict=True)],
           (70, 70, 18, 30), ids=(2,))  # fmt: skip


def _step_kind(kind: str, en: bool) -> str:
    vi, english = STEP_NAMES[kind]
    return english if en else vi


def _step_rules(
    pdf: FPDF, settings: PreparationSettings | None, used: set[object], en: bool
) -> None:
    """The rules of the steps printed, with their legal source and how sure the data is."""
    if settings is None or settings.data.ruleset is None:
        return
    rules = [r for r in settings.data.ruleset.rules if r.id in used]
    if not rules:
        return
    sure = {True: ("đã kiểm chứng", "verified"), False: ("chưa kiểm chứng", "unverified")}
    _table(
        pdf,
        [
            "Quy tắc" if not en else "Rule",
            "Căn cứ" if not en else "Legal basis",
            "Mức kiểm chứng" if not en else "How sure",
        ],
        [
            [r.name_en if en else r.name_vi, r.source.cite(), sure[r.verified][1 if en else 0]]
            for r in rules
        ],
        (80, 80, 30),
    )


def _plan_election_day(report: dict[str, object] | None) -> dt.date | None:
    value = (report or {}).get("election_day")
    return dt.date.fromisoformat(str(value)) if value else None


def _parameters(problem: Problem, family_id: str, en: bool) -> str:
    """A family's parameters in words (capacities, gaps), or ``—``."""
    scenario = problem.scenario

    def name(level: Level) -> str:
        label = level_label(level.value)
        return label.en if en else label.vi

    if family_id == "level_capacity":
        parts = [
            f"{name(lv)}: ≤ {lp.daily_capacity}" + ("/day" if en else "/ngày")
            for lv, lp in scenario.levels.items()
            if lp.plan and lp.daily_capacity is not None
        ]
    elif family_id == "parent_capacity":
        parts = [
            f"{name(lv)}: ≤ {lp.parent_daily_capacity}"
            + ("/day per parent" if en else "/ngày dưới một cấp trên")
            for lv, lp in scenario.levels.items()
            if lp.plan and lp.parent_daily_capacity is not None
        ]
    elif family_id == "precedence":
        days = scenario.child_before_parent_days
        parts = [f"≥ {days} " + ("days before the parent" if en else "ngày trước cấp trên")]
    elif family_id == "election_alignment":
        days = scenario.central_before_national_days
        parts = [f"≥ {days} " + ("days before the national one" if en else "ngày trước toàn quốc")]
    else:
        parts = []
    return "; ".join(parts) or "—"
