"""The declared scenario schema: every key, its type, default, bounds and bilingual help.

One declaration serves the loader (:mod:`planner.scenario.values` reads and checks every value
through it), the error messages (they say what the key must be, from the same words), the
README's key table and the JSON Schema published for editors (``data/scenario.schema.json``; a
test keeps both equal to what this module generates). Keys under ``levels`` are per level of the
scenario's era (``<level>``: ``district`` in 2020, ``commune`` in 2025) and keys under
``families`` per constraint family (``<family>``); ``name[]`` is a key of every table in the
list ``name``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.rules.workdays import MAX_WORKING_DAYS

# Bounds on numbers and dates, checked where they are read, so that nothing a scenario says can
# overflow the solver (CP-SAT refuses a model whose objective may exceed 64 bits: MODEL_INVALID)
# or make the horizon absurd (issues 11, 12). Weights multiply days and one another
# (preferred_weight × a preference's weight × days away): 10,000² × 7,306 days × 53,334
# congresses stays below 2⁶³.
MAX_WEIGHT = 10_000
MAX_DAYS = 3_660  # durations, gaps, lead and buffer days: ten years
MAX_CAPACITY = 1_000_000
MAX_HORIZON_DAYS = 7_306  # twenty years
MAX_SCENARIO_BYTES = 1 << 20  # 1 MiB: a scenario is a page of settings, not data
MAX_DEPTH = 12  # tables and arrays nested deeper than this are refused
# Ids go into iCal UIDs, file names and URLs: a safe, lowercase pattern (issue 12, injection).
SAFE_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ALIGNMENT_RULES = ("national_before_step", "national_between_steps")

KINDS = (
    "int",
    "bool",
    "date",
    "window",
    "text",
    "id",
    "choice",
    "strings",
    "levels",
    "provinces",
    "weekdays",
    "step",
    "kind_map",
    "tables",
)


@dataclass(frozen=True, slots=True)
class Field:
    """One scenario key."""

    key: str  # dotted; ``<level>`` / ``<family>`` stand for any level / family id
    kind: str
    help_vi: str
    help_en: str
    default: Any = None  # None: optional, or computed (``default_text`` says how)
    default_text: str = ""  # how the default is found when it is not a plain value
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    required: bool = False

    @property
    def table(self) -> str:
        """The table the key sits in (``levels.<level>``; ``""`` at the top level)."""
        return self.key.rsplit(".", 1)[0] if "." in self.key else ""

    def must_vi(self) -> str:
        """What a value of this key must be, in Vietnamese."""
        return _MUST[self.kind][0].format(lo=self.minimum, hi=self.maximum, ch=_list(self))

    def must_en(self) -> str:
        """What a value of this key must be, in English."""
        return _MUST[self.kind][1].format(lo=self.minimum, hi=self.maximum, ch=_list(self))

    def shown_default(self) -> str:
        """The default as the README shows it."""
        if self.default_text:
            return self.default_text
        if self.default is None:
            return "—"
        return json.dumps(self.default, ensure_ascii=False, default=str)


def _list(field: Field) -> str:
    return ", ".join(field.choices)


_MUST: dict[str, tuple[str, str]] = {
    "int": ("một số nguyên từ {lo} đến {hi}", "a whole number from {lo} to {hi}"),
    "bool": ("true hoặc false", "true or false"),
    "date": ("một ngày YYYY-MM-DD", "a date written YYYY-MM-DD"),
    "window": ("[ngày đầu, ngày cuối]", "[first day, last day]"),
    "text": ("một dòng văn bản", "one line of text"),
    "id": (
        "một mã gồm chữ thường, số, '.', '_', '-' (tối đa 64 ký tự)",
        "an id of lowercase letters, digits, '.', '_', '-' (at most 64 characters)",
    ),
    "choice": ("một trong: {ch}", "one of: {ch}"),
    "strings": ('một danh sách chuỗi, ví dụ ["a", "b"]', 'a list of strings, e.g. ["a", "b"]'),
    "levels": (
        'một danh sách cấp, ví dụ ["central"]',
        'a list of levels, e.g. ["central"]',
    ),
    "provinces": (
        '"all" hoặc danh sách mã tỉnh, ví dụ [37]',
        '"all" or a list of province codes, e.g. [37]',
    ),
    "weekdays": (
        'một danh sách thứ (tiếng Anh), ví dụ ["sunday"]',
        'a list of weekdays (in English), e.g. ["sunday"]',
    ),
    "step": (
        'mã một bước bầu cử, ví dụ "el.consultation_1.na"',
        'an election step id, e.g. "el.consultation_1.na"',
    ),
    "kind_map": (
        'một bảng mã đơn vị → loại đại hội, ví dụ {{ p48 = "two_content" }}',
        'a table of org id → congress kind, e.g. {{ p48 = "two_content" }}',
    ),
    "tables": ("một danh sách bảng", "a list of tables"),
}


def _f(key: str, kind: str, vi: str, en: str, **more: Any) -> Field:
    return Field(key, kind, vi, en, **more)


FIELDS: tuple[Field, ...] = (
    _f(
        "schema_version",
        "int",
        "phiên bản định dạng tệp (1)",
        "file format version (1)",
        default=1,
        minimum=1,
        maximum=1,
        required=True,
    ),
    _f(
        "id",
        "id",
        "mã kịch bản (vào UID của lịch iCal)",
        "scenario id (goes into iCal UIDs)",
        default_text="file name",
    ),
    _f(
        "name_vi",
        "text",
        "tên kịch bản (tiếng Việt)",
        "scenario name (Vietnamese)",
        default_text="file name",
    ),
    _f(
        "name_en",
        "text",
        "tên kịch bản (tiếng Anh)",
        "scenario name (English)",
        default_text="file name",
    ),
    _f("description_vi", "text", "mô tả (tiếng Việt)", "description (Vietnamese)"),
    _f("description_en", "text", "mô tả (tiếng Anh)", "description (English)"),
    _f(
        "cycle",
        "id",
        "chu kỳ đại hội (xii-2015, xiii-2020, xiv-2025, xv-2030)",
        "congress cycle (xii-2015, xiii-2020, xiv-2025, xv-2030)",
        default_text="the directive's cycle",
    ),
    _f(
        "era",
        "id",
        "thời kỳ của cây tổ chức (data/orgs/eras.toml)",
        "era of the organisation tree (data/orgs/eras.toml)",
        default_text="the era of election day",
    ),
    _f(
        "calendar",
        "strings",
        "tệp lịch (data/calendar) có ngày chặn và hội nghị Trung ương",
        "calendar files (data/calendar) whose blackouts and plenums apply",
        default_text="the files of the cycle",
    ),
    _f(
        "history",
        "text",
        "ngày thực tế của chu kỳ (data/history/…csv), để đối chiếu",
        "the cycle's real dates (data/history/…csv), to check against",
    ),
    _f(
        "milestones",
        "choice",
        "dùng ngày dự kiến hay thực tế của Đại hội toàn quốc",
        "use the National Congress's planned or actual dates",
        default="planned",
        choices=("planned", "actual"),
    ),
    _f(
        "rulesets",
        "strings",
        "bộ quy tắc: chỉ thị và luật bầu cử",
        "rule sets: the directive and the election law",
        default_text='["directive-35-2019", "election-law-85-2015"]',
    ),
    _f(
        "horizon.start",
        "date",
        "ngày đầu khung kế hoạch",
        "first day of the horizon",
        required=True,
    ),
    _f(
        "horizon.end",
        "date",
        "ngày cuối khung kế hoạch (tối đa 20 năm)",
        "last day of the horizon (at most 20 years)",
        required=True,
    ),
    _f("election.day", "date", "ngày bầu cử (Chủ nhật)", "election day (a Sunday)"),
    _f(
        "election.choose",
        "window",
        "hoặc: để bộ giải chọn một Chủ nhật trong khoảng này",
        "or: let the solver choose a Sunday in this range",
    ),
    _f(
        "election.announced",
        "date",
        "ngày Quốc hội công bố ngày bầu cử (≤ E−115)",
        "when the National Assembly fixed election day (≤ E−115)",
    ),
    _f(
        "election.law",
        "text",
        '"auto" (luật có hiệu lực cho ngày bầu cử) hoặc mã luật',
        '"auto" (the law in force for election day) or a law id',
        default="auto",
    ),
    _f(
        "levels.<level>.plan",
        "bool",
        "lập lịch cấp này",
        "plan this level",
        default_text="true (grassroots: when its table is present)",
    ),
    _f(
        "levels.<level>.window",
        "window",
        "khung thời gian đại hội của cấp",
        "the level's congress window",
        default_text="from the directive",
    ),
    _f(
        "levels.<level>.days",
        "int",
        "số ngày đại hội (≤ mức tối đa của chỉ thị)",
        "congress length in days (≤ the directive's maximum)",
        default_text="the directive's maximum",
        minimum=1,
        maximum=MAX_DAYS,
    ),
    _f(
        "levels.<level>.daily_capacity",
        "int",
        "tối đa bao nhiêu đại hội của cấp này họp cùng ngày, toàn quốc",
        "at most this many of the level in session on one day, nationwide",
        minimum=0,
        maximum=MAX_CAPACITY,
    ),
    _f(
        "levels.<level>.parent_daily_capacity",
        "int",
        "tối đa bao nhiêu đại hội dưới một cấp trên họp cùng ngày",
        "at most this many under one parent in session on one day",
        minimum=0,
        maximum=MAX_CAPACITY,
    ),
    _f(
        "levels.<level>.buffer_days",
        "int",
        "muốn xong trước hạn bao nhiêu ngày",
        "prefer to finish this many days before the deadline",
        default=0,
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "levels.<level>.provinces",
        "provinces",
        "chỉ các tỉnh này (cấp dưới cấp trực thuộc Trung ương); cũng áp dụng cho cấp dưới nữa",
        "only these provinces (levels below the central one); also applies below",
        default="all",
    ),
    _f(
        "gaps.child_before_parent_days",
        "int",
        "đại hội cấp dưới xong trước đại hội cấp trên bao nhiêu ngày",
        "a congress ends at least this many days before its parent's starts",
        default=1,
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "alignment.rule",
        "choice",
        "cách khớp Đại hội toàn quốc với lịch bầu cử",
        "how the National Congress is aligned with the election",
        default="national_before_step",
        choices=ALIGNMENT_RULES,
    ),
    _f(
        "alignment.central_before_national_days",
        "int",
        "đại hội trực thuộc Trung ương xong trước Đại hội toàn quốc bao nhiêu ngày",
        "central-level congresses end this many days before the national one",
        default=1,
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "alignment.national_before_step",
        "step",
        "Đại hội toàn quốc kết thúc trước bước này",
        "the National Congress ends before this election step",
        default="el.consultation_1.na",
    ),
    _f(
        "alignment.national_before_step_days",
        "int",
        "… ít nhất bấy nhiêu ngày",
        "… by at least this many days",
        default=1,
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "alignment.national_after_step",
        "step",
        "national_between_steps: Đại hội toàn quốc bắt đầu sau bước này",
        "national_between_steps: the National Congress starts after this election step",
    ),
    _f(
        "alignment.national_after_step_days",
        "int",
        "… ít nhất bấy nhiêu ngày",
        "… by at least this many days",
        default=1,
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "pilots.units",
        "strings",
        "đơn vị tổ chức đại hội điểm",
        "units holding pilot congresses",
        default=[],
    ),
    _f(
        "pilots.lead_days",
        "int",
        "đại hội điểm xong trước các đơn vị cùng cấp bao nhiêu ngày",
        "pilots finish this many days before their siblings start",
        default=0,
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "pilots.windows.<level>",
        "window",
        "khung thời gian đại hội điểm của cấp",
        "the level's pilot window",
        default_text="from the directive",
    ),
    _f(
        "blackouts.holidays",
        "bool",
        "không họp vào ngày lễ, Tết",
        "no congress on public holidays",
        default=True,
    ),
    _f(
        "blackouts.holiday_levels",
        "levels",
        "các cấp nghỉ lễ",
        "levels the holidays apply to",
        default_text="every level below national",
    ),
    _f(
        "blackouts.named",
        "strings",
        "khoảng chặn có tên trong data/calendar",
        "named blackouts from data/calendar",
        default=[],
    ),
    _f(
        "blackouts.plenum_levels",
        "levels",
        "các cấp không họp trong ngày hội nghị Trung ương",
        "levels that do not sit on Central Committee plenum days",
        default=["central"],
    ),
    _f(
        "blackouts.weekdays",
        "weekdays",
        "các thứ trong tuần không họp",
        "weekdays without congresses",
        default=[],
    ),
    _f("blackouts.ranges", "tables", "khoảng chặn của riêng bạn", "your own blackouts", default=[]),
    _f("blackouts.ranges[].id", "id", "mã khoảng chặn", "blackout id", default_text="range-N"),
    _f("blackouts.ranges[].name_vi", "text", "tên (tiếng Việt)", "name (Vietnamese)"),
    _f("blackouts.ranges[].name_en", "text", "tên (tiếng Anh)", "name (English)"),
    _f("blackouts.ranges[].source", "text", "nguồn", "source", default="scenario"),
    _f("blackouts.ranges[].start", "date", "ngày đầu", "first day", required=True),
    _f("blackouts.ranges[].end", "date", "ngày cuối", "last day", required=True),
    _f(
        "blackouts.ranges[].levels",
        "levels",
        "các cấp bị chặn",
        "levels blocked",
        default_text="every level below national",
    ),
    _f(
        "blackouts.ranges[].provinces",
        "provinces",
        "chỉ các tỉnh này (giãn cách tại chỗ)",
        "only these provinces (a local lockdown)",
        default="all",
    ),
    _f(
        "families.<family>.enabled",
        "bool",
        "bật họ ràng buộc",
        "switch the family on",
        default=True,
    ),
    _f(
        "families.<family>.hard",
        "bool",
        "cứng (false: mềm, phạt theo trọng số)",
        "hard (false: soft, penalised by its weight)",
        default_text="from the catalogue",
    ),
    _f(
        "families.<family>.weight",
        "int",
        "trọng số phạt khi mềm",
        "penalty weight when soft",
        default_text="100 (hard) / 1 (soft)",
        minimum=0,
        maximum=MAX_WEIGHT,
    ),
    _f(
        "objective.preferred_weight",
        "int",
        "trọng số ngày mong muốn",
        "weight of preferred dates",
        default=10,
        minimum=0,
        maximum=MAX_WEIGHT,
    ),
    _f(
        "objective.buffer_weight",
        "int",
        "trọng số mỗi ngày quá khoảng đệm",
        "weight of each day past a buffer",
        default=1,
        minimum=0,
        maximum=MAX_WEIGHT,
    ),
    _f(
        "objective.peak_weight",
        "int",
        "trọng số số đại hội cùng ngày cao nhất",
        "weight of the peak number in session on one day",
        default=5,
        minimum=0,
        maximum=MAX_WEIGHT,
    ),
    _f(
        "objective.peak_levels",
        "levels",
        "các cấp được dàn đều",
        "levels whose peak is levelled",
        default=["central"],
    ),
    _f("pins", "tables", "ngày đã chốt", "fixed dates", default=[]),
    _f("pins[].org", "text", "mã đơn vị", "org id", required=True),
    _f("pins[].start", "date", "ngày bắt đầu", "first day", required=True),
    _f("pins[].end", "date", "ngày kết thúc", "last day", default_text="start + days − 1"),
    _f("preferred", "tables", "ngày mong muốn (mềm)", "preferred dates (soft)", default=[]),
    _f("preferred[].org", "text", "mã đơn vị", "org id", required=True),
    _f("preferred[].start", "date", "ngày bắt đầu mong muốn", "preferred first day", required=True),
    _f("preferred[].weight", "int", "trọng số", "weight", default=1, minimum=0, maximum=MAX_WEIGHT),
    _f(
        "kinds.sets",
        "strings",
        "nhóm đơn vị (data/kinds.toml) họp theo loại của nhóm",
        "unit sets (data/kinds.toml) whose units hold their set's congress kind",
        default=[],
    ),
    _f(
        "kinds.units",
        "kind_map",
        "loại đại hội của từng đơn vị",
        "congress kind per unit",
        default={},
    ),
    _f(
        "preparation.enabled",
        "bool",
        "lập các bước chuẩn bị (duyệt, thông báo, báo cáo, chuẩn y) khi chu kỳ có dữ liệu",
        "plan the preparation steps (review, announce, report, approval) when the cycle has data",
        default=True,
    ),
    _f(
        "preparation.review_lead_days",
        "int",
        "cấp trên duyệt xong trước đại hội ít nhất bấy nhiêu ngày",
        "the review ends at least this many days before the congress starts",
        default_text="the cycle's data (2020: 20, 2025: 14)",
        minimum=0,
        maximum=MAX_DAYS,
    ),
    _f(
        "preparation.review_window",
        "window",
        "khoảng thời gian Bộ Chính trị làm việc với các đảng bộ",
        "the range of days the Politburo's reviews sit in",
        default_text="the cycle's data (2020: 23/7–27/9; 2025: from 19/8)",
    ),
    _f(
        "preparation.group_capacity",
        "int",
        "mỗi tổ duyệt tối đa bấy nhiêu đảng bộ một ngày",
        "reviews a review group holds a day, at most",
        default_text="the cycle's data (2)",
        minimum=1,
        maximum=1_000,
    ),
    _f(
        "preparation.review_groups",
        "int",
        "số tổ công tác duyệt (thêm tổ: giống tổ cuối của dữ liệu)",
        "review groups in use (more than the data's: copies of its last group)",
        default_text="the cycle's data (3)",
        minimum=1,
        maximum=100,
    ),
    _f(
        "preparation.announce_working_days",
        "int",
        "thông báo ngày khai mạc trước ít nhất bấy nhiêu ngày làm việc",
        "announce the opening at least this many working days ahead",
        default_text="the cycle's data (30)",
        minimum=0,
        maximum=MAX_WORKING_DAYS,
    ),
    _f(
        "preparation.report_working_days",
        "int",
        "báo cáo kết quả trong bấy nhiêu ngày làm việc sau khi bế mạc",
        "report the results within this many working days of the close",
        default_text="the cycle's data (7)",
        minimum=0,
        maximum=MAX_WORKING_DAYS,
    ),
    _f(
        "preparation.approval_working_days",
        "int",
        "cấp trên chuẩn y trong bấy nhiêu ngày làm việc sau báo cáo",
        "the level above approves within this many working days of the report",
        default_text="the cycle's data (15)",
        minimum=0,
        maximum=MAX_WORKING_DAYS,
    ),
    _f(
        "preparation.lower_approval",
        "bool",
        "cấp trên duyệt nội dung đại hội cấp dưới trước (2025, một nguồn)",
        "the superior approves a lower congress's contents ahead (2025, one source)",
        default=False,
    ),
    _f(
        "preparation.lower_approval_working_days",
        "int",
        "… trước khai mạc ít nhất bấy nhiêu ngày làm việc",
        "… at least this many working days before the opening",
        default_text="the cycle's data (45)",
        minimum=0,
        maximum=MAX_WORKING_DAYS,
    ),
    _f(
        "preparation.attendance_limit",
        "int",
        "số đại hội cấp tỉnh họp cùng ngày mà lãnh đạo dự và chỉ đạo được (mềm; CHƯA KIỂM CHỨNG)",
        "provincial-level congresses a day that directing leaders can attend (soft; UNVERIFIED)",
        default_text="off",
        minimum=1,
        maximum=1_000,
    ),
    _f(
        "preparation.step_levels",
        "levels",
        "các cấp có dòng thông báo, báo cáo, chuẩn y trong kế hoạch",
        "levels whose plans carry announce, report and approval rows",
        default_text="the cycle's data (central)",
    ),
    _f("projection.from", "id", "dự báo: chu kỳ được chiếu tới", "projection: the cycle projected"),
    _f(
        "projection.shift_years",
        "int",
        "dự báo: dời bao nhiêu năm",
        "projection: shifted by this many years",
        minimum=0,
        maximum=100,
    ),
    _f("projection.note", "text", "dự báo: các giả định", "projection: its assumptions"),
)
BY_KEY = {f.key: f for f in FIELDS}

# Short bilingual labels of the keys, for every place a change is shown (the conflict box, the
# saved-version message, the changes in force, History, Compare); a test keeps one per field.
# ``<level>`` and ``<family>`` are named by the caller (the level's or the family's own name).
LABELS: dict[str, tuple[str, str]] = {
    "schema_version": ("Phiên bản định dạng tệp", "File format version"),
    "id": ("Mã kịch bản", "Scenario id"),
    "name_vi": ("Tên kịch bản (tiếng Việt)", "Scenario name (Vietnamese)"),
    "name_en": ("Tên kịch bản (tiếng Anh)", "Scenario name (English)"),
    "description_vi": ("Mô tả (tiếng Việt)", "Description (Vietnamese)"),
    "description_en": ("Mô tả (tiếng Anh)", "Description (English)"),
    "cycle": ("Chu kỳ đại hội", "Congress cycle"),
    "era": ("Thời kỳ của cây tổ chức", "Organisation tree era"),
    "calendar": ("Tệp lịch", "Calendar files"),
    "history": ("Ngày thực tế để đối chiếu", "Real dates to check against"),
    "milestones": ("Mốc Đại hội toàn quốc", "National Congress milestones"),
    "rulesets": ("Bộ quy tắc", "Rule sets"),
    "horizon.start": ("Ngày đầu khung kế hoạch", "First day of the horizon"),
    "horizon.end": ("Ngày cuối khung kế hoạch", "Last day of the horizon"),
    "election.day": ("Ngày bầu cử", "Election day"),
    "election.choose": ("Khoảng chọn ngày bầu cử", "Range to choose election day in"),
    "election.announced": ("Ngày công bố ngày bầu cử", "Election day announced on"),
    "election.law": ("Luật bầu cử áp dụng", "Election law applied"),
    "levels.<level>.plan": ("Lập lịch", "Planned"),
    "levels.<level>.window": ("Khung thời gian", "Window"),
    "levels.<level>.days": ("Số ngày đại hội", "Congress length (days)"),
    "levels.<level>.daily_capacity": (
        "Tối đa đại hội mỗi ngày, toàn quốc",
        "Most a day, nationwide",
    ),
    "levels.<level>.parent_daily_capacity": (
        "Tối đa đại hội mỗi ngày dưới một cấp trên",
        "Most a day under one parent",
    ),
    "levels.<level>.buffer_days": (
        "Dự phòng trước hạn (ngày)",
        "Buffer before the deadline (days)",
    ),
    "levels.<level>.provinces": ("Chỉ các tỉnh", "Only the provinces"),
    "gaps.child_before_parent_days": (
        "Cấp dưới xong trước cấp trên (ngày)",
        "Child ends before parent (days)",
    ),
    "alignment.rule": ("Cách khớp Đại hội toàn quốc với bầu cử", "National Congress alignment"),
    "alignment.central_before_national_days": (
        "Cấp trực thuộc Trung ương xong trước Đại hội toàn quốc (ngày)",
        "Central level ends before the National Congress (days)",
    ),
    "alignment.national_before_step": (
        "Đại hội toàn quốc xong trước bước bầu cử",
        "National Congress ends before the election step",
    ),
    "alignment.national_before_step_days": (
        "Đại hội toàn quốc xong trước bước bầu cử (ngày)",
        "National Congress ends before the step (days)",
    ),
    "alignment.national_after_step": (
        "Đại hội toàn quốc bắt đầu sau bước bầu cử",
        "National Congress starts after the election step",
    ),
    "alignment.national_after_step_days": (
        "Đại hội toàn quốc bắt đầu sau bước bầu cử (ngày)",
        "National Congress starts after the step (days)",
    ),
    "pilots.units": ("Đơn vị đại hội điểm", "Pilot units"),
    "pilots.lead_days": ("Đại hội điểm xong trước (ngày)", "Pilots finish ahead (days)"),
    "pilots.windows.<level>": ("Khung đại hội điểm", "Pilot window"),
    "blackouts.holidays": ("Không họp ngày lễ, Tết", "No congress on public holidays"),
    "blackouts.holiday_levels": ("Các cấp nghỉ lễ", "Levels off on holidays"),
    "blackouts.named": ("Khoảng chặn có tên", "Named blackouts"),
    "blackouts.plenum_levels": (
        "Các cấp không họp ngày hội nghị Trung ương",
        "Levels off on plenum days",
    ),
    "blackouts.weekdays": ("Các thứ không họp", "Weekdays without congresses"),
    "blackouts.ranges": ("Khoảng chặn riêng", "Own blackouts"),
    "blackouts.ranges[].id": ("Mã khoảng chặn", "Blackout id"),
    "blackouts.ranges[].name_vi": ("Tên khoảng chặn (tiếng Việt)", "Blackout name (Vietnamese)"),
    "blackouts.ranges[].name_en": ("Tên khoảng chặn (tiếng Anh)", "Blackout name (English)"),
    "blackouts.ranges[].source": ("Nguồn khoảng chặn", "Blackout source"),
    "blackouts.ranges[].start": ("Ngày đầu khoảng chặn", "Blackout first day"),
    "blackouts.ranges[].end": ("Ngày cuối khoảng chặn", "Blackout last day"),
    "blackouts.ranges[].levels": ("Các cấp bị chặn", "Levels blocked"),
    "blackouts.ranges[].provinces": ("Tỉnh bị chặn", "Provinces blocked"),
    "families.<family>.enabled": ("Bật họ ràng buộc", "Family on"),
    "families.<family>.hard": ("Ràng buộc cứng", "Hard constraint"),
    "families.<family>.weight": ("Trọng số phạt", "Penalty weight"),
    "objective.preferred_weight": ("Trọng số ngày mong muốn", "Weight of preferred dates"),
    "objective.buffer_weight": ("Trọng số ngày quá dự phòng", "Weight of days past a buffer"),
    "objective.peak_weight": ("Trọng số đỉnh trong ngày", "Weight of the daily peak"),
    "objective.peak_levels": ("Các cấp được dàn đều", "Levels levelled"),
    "pins": ("Ngày đã chốt", "Fixed dates"),
    "pins[].org": ("Đơn vị chốt ngày", "Fixed unit"),
    "pins[].start": ("Ngày chốt bắt đầu", "Fixed first day"),
    "pins[].end": ("Ngày chốt kết thúc", "Fixed last day"),
    "preferred": ("Ngày mong muốn", "Preferred dates"),
    "preferred[].org": ("Đơn vị có ngày mong muốn", "Unit with a preferred date"),
    "preferred[].start": ("Ngày mong muốn", "Preferred first day"),
    "preferred[].weight": ("Trọng số ngày mong muốn của đơn vị", "Weight of the preferred date"),
    "kinds.sets": ("Nhóm đơn vị theo loại đại hội", "Unit sets by congress kind"),
    "kinds.units": ("Loại đại hội của đơn vị", "Congress kind per unit"),
    "preparation.enabled": ("Lập các bước chuẩn bị", "Preparation steps planned"),
    "preparation.review_lead_days": (
        "Duyệt xong trước đại hội (ngày)",
        "Review ends before the congress (days)",
    ),
    "preparation.review_window": ("Khoảng thời gian duyệt", "Review window"),
    "preparation.review_groups": ("Số tổ công tác duyệt", "Review groups"),
    "preparation.group_capacity": (
        "Số đảng bộ mỗi tổ duyệt một ngày",
        "Reviews a group holds a day",
    ),
    "preparation.announce_working_days": (
        "Thông báo khai mạc trước (ngày làm việc)",
        "Opening announced ahead (working days)",
    ),
    "preparation.report_working_days": (
        "Báo cáo kết quả trong (ngày làm việc)",
        "Results reported within (working days)",
    ),
    "preparation.approval_working_days": (
        "Chuẩn y trong (ngày làm việc)",
        "Approval within (working days)",
    ),
    "preparation.lower_approval": (
        "Duyệt nội dung đại hội cấp dưới",
        "Lower congresses' contents approved",
    ),
    "preparation.lower_approval_working_days": (
        "Duyệt nội dung cấp dưới trước (ngày làm việc)",
        "Lower contents approved ahead (working days)",
    ),
    "preparation.step_levels": ("Các cấp có bước chuẩn bị", "Levels with preparation steps"),
    "preparation.attendance_limit": (
        "Đại hội cấp tỉnh có lãnh đạo dự mỗi ngày",
        "Attended provincial congresses a day",
    ),
    "projection.from": ("Dự báo từ chu kỳ", "Projected from cycle"),
    "projection.shift_years": ("Dự báo dời (năm)", "Projection shift (years)"),
    "projection.note": ("Giả định của dự báo", "Projection assumptions"),
}


def label(dotted: str) -> tuple[str, str]:
    """The short (Vietnamese, English) label of a concrete key's declared field (its help text
    when it has no label; the key itself when it is not declared)."""
    pattern = pattern_of(dotted)
    if pattern in LABELS:
        return LABELS[pattern]
    field = BY_KEY.get(pattern)
    return (field.help_vi, field.help_en) if field else (dotted, dotted)


def pattern_of(dotted: str) -> str:
    """The declared key of a concrete one: ``levels.commune.days`` → ``levels.<level>.days``,
    ``pilots.windows.district`` → ``pilots.windows.<level>``, ``pins[2].org`` → ``pins[].org``
    (unknown level and family ids are refused before, by the key check)."""
    parts = re.sub(r"\[\d+\]", "[]", dotted).split(".")
    if parts[0] == "levels" and len(parts) >= 2:
        parts[1] = "<level>"
    elif parts[:2] == ["pilots", "windows"] and len(parts) == 3:
        parts[2] = "<level>"
    elif parts[0] == "families" and len(parts) >= 2:
        parts[1] = "<family>"
    return ".".join(parts)


def tree(levels: Sequence[str], families: Sequence[str]) -> dict[str, Any]:
    """The schema as nested tables for the given levels and families (leaves are Fields; a
    list of tables holds its item table under ``"[]"``)."""
    root: dict[str, Any] = {}
    for field in FIELDS:
        for key in _expand(field.key, levels, families):
            node = root
            parts = key.split(".")
            for part in parts[:-1]:
                if part.endswith("[]"):
                    node = node.setdefault(part[:-2], {}).setdefault("[]", {})
                else:
                    node = node.setdefault(part, {})
            last = parts[-1]
            if field.kind == "tables":
                node.setdefault(last, {})["__field__"] = field
            else:
                node[last] = field
    return root


def _expand(key: str, levels: Sequence[str], families: Sequence[str]) -> list[str]:
    if "<level>" in key:
        return [key.replace("<level>", lv) for lv in levels]
    if "<family>" in key:
        return [key.replace("<family>", fam) for fam in families]
    return [key]


def _json_type(field: Field) -> dict[str, Any]:
    date = {"type": "string", "format": "date"}
    kind = field.kind
    if kind == "int":
        return {"type": "integer", "minimum": field.minimum, "maximum": field.maximum}
    if kind == "bool":
        return {"type": "boolean"}
    if kind == "date":
        return date
    if kind == "window":
        return {"type": "array", "items": date, "minItems": 2, "maxItems": 2}
    if kind == "text":
        return {"type": "string", "minLength": 1, "pattern": "^[^\\u0000-\\u001f\\u007f]*$"}
    if kind == "id":
        return {"type": "string", "pattern": f"^{SAFE_ID.pattern}$"}
    if kind == "choice":
        return {"enum": list(field.choices)}
    if kind in ("strings", "levels", "weekdays"):
        items: dict[str, Any] = {"type": "string"}
        if kind == "weekdays":
            items = {"enum": list(WEEKDAYS)}
        return {"type": "array", "items": items}
    if kind == "provinces":
        return {
            "anyOf": [
                {"const": "all"},
                {"type": "array", "items": {"type": "integer"}, "minItems": 1},
            ]
        }
    if kind == "step":
        return {"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"}
    if kind == "kind_map":
        return {"type": "object", "additionalProperties": {"type": "string"}}
    return {"type": "array", "items": {"type": "object"}}


def json_schema(levels: Sequence[str], families: Sequence[str]) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of scenario files, for editors (TOML read as JSON)."""

    def table(node: dict[str, Any]) -> dict[str, Any]:
        props: dict[str, Any] = {}
        required: list[str] = []
        for key, value in node.items():
            if key in ("__field__", "[]"):
                continue
            if isinstance(value, Field):
                props[key] = {
                    **_json_type(value),
                    "description": f"{value.help_vi} / {value.help_en}",
                }
                if value.default is not None:
                    props[key]["default"] = value.default
                if value.required:
                    required.append(key)
            else:
                inner = value.get("__field__")
                if inner is not None:
                    props[key] = {
                        "type": "array",
                        "items": table(value.get("[]", {})),
                        "description": f"{inner.help_vi} / {inner.help_en}",
                    }
                else:
                    props[key] = table(value)
        out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            out["required"] = required
        return out

    schema = table(tree(levels, families))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://planner.invalid/scenario.schema.json",
        "title": "Kịch bản planner / planner scenario",
        **schema,
    }


def markdown_table() -> str:
    """The README's table of scenario keys."""
    lines = ["| key | type | default | nghĩa / meaning |", "|---|---|---|---|"]
    for field in FIELDS:
        kind = field.kind
        if kind == "int":
            kind = f"int {field.minimum}–{field.maximum}"
        elif kind == "choice":
            kind = " \\| ".join(f"`{c}`" for c in field.choices)
        lines.append(
            f"| `{field.key}` | {kind} | {field.shown_default()} | "
            f"{field.help_vi} / {field.help_en} |"
        )
    return "\n".join(lines)
