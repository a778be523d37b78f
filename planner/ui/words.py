"""The one catalogue of the words the browser shows that are not sentences: statuses, column
names, verdicts, month and weekday names, and how numbers and dates are written.

Every entry is Vietnamese first, then English. Pages take these words from here (through
:func:`word`), and the language test reads the same catalogue: a page in Vietnamese must show
none of its English words nor any :data:`RAW_CODES` (tests/ui/test_language.py and the
Chromium check). Level names never live here: they come from the eras' data
(:func:`planner.tree.names.level_label`), one name per level everywhere.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from planner.rules.calendar import date_vi_padded
from planner.tree.names import plural_en
from planner.ui.session import lang

CATALOGUE: dict[str, tuple[str, str]] = {
    # solver statuses (CP-SAT's codes are never shown as such)
    "OPTIMAL": ("Tối ưu (đã chứng minh)", "Optimal (proven)"),
    "FEASIBLE": ("Hợp lệ, chưa chứng minh tối ưu", "Valid, not proven optimal"),
    "UNKNOWN": ("Chưa có kế hoạch trong giới hạn", "No plan within the budget"),
    "INFEASIBLE": ("Không thể có kế hoạch (đã chứng minh)", "No plan can exist (proven)"),
    "MODEL_INVALID": ("Mô hình không hợp lệ", "Invalid model"),
    "UNREADABLE": ("Kết quả lưu không đọc được", "Stored result unreadable"),
    "OPTIMAL.short": ("Tối ưu", "Optimal"),
    "FEASIBLE.short": ("Hợp lệ", "Valid"),
    "UNKNOWN.short": ("Chưa có", "None yet"),
    "INFEASIBLE.short": ("Không thể", "Impossible"),
    # report metrics
    "status": ("Trạng thái", "Status"),
    "objective": ("Mục tiêu", "Objective"),
    "bound": ("Cận tốt nhất", "Best bound"),
    "gap": ("Khoảng cách tới cận", "Gap to the bound"),
    "time": ("Thời gian", "Time"),
    # rule status (REFERENCE.md)
    "verified": ("đã kiểm chứng", "verified"),
    "belief": ("chưa kiểm chứng", "unverified"),
    "derived": ("suy ra", "derived"),
    # roles (issue 21: who may change what, planner/store/access.py)
    "role.viewer": ("người xem", "viewer"),
    "role.province_editor": ("biên tập viên cấp tỉnh", "provincial editor"),
    "role.central_editor": ("biên tập viên Trung ương", "central editor"),
    "role.admin": ("quản trị viên", "administrator"),
    # booleans and empty cells
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "empty": ("—", "—"),
    "synthetic": ("Sinh tự động (ước lượng)", "Generated (estimate)"),
    # columns
    "level": ("Cấp", "Level"),
    "plan": ("Lập lịch", "Plan"),
    "enabled": ("Bật", "On"),
    "hard": ("Cứng", "Hard"),
    "weight": ("Trọng số", "Weight"),
    "name": ("Tên", "Name"),
    "source": ("Nguồn", "Source"),
    "rule": ("Quy tắc", "Rule"),
    "family": ("Họ ràng buộc", "Family"),
    "unit": ("Đơn vị", "Unit"),
    "unit_id": ("Mã đơn vị", "Unit id"),
    "parent": ("Cấp trên", "Parent"),
    "start": ("Từ ngày", "From"),
    "end": ("Đến ngày", "To"),
    "days": ("Số ngày", "Days"),
    "window": ("Khung thời gian", "Window"),
    "old_dates": ("Ngày cũ", "Old dates"),
    "new_dates": ("Ngày mới", "New dates"),
    "shift": ("Dời (ngày)", "Shift (days)"),
    "why": ("Vì sao", "Why"),
    "count": ("Số đại hội", "Congresses"),
    "binds": ("Đang ràng buộc", "Binding"),
    # the Unit page and the real dates (data/history) as a side of Compare
    "planned_dates": ("Ngày họp (kế hoạch)", "Dates (plan)"),
    "real_dates": ("Ngày thực tế", "Real dates"),
    "basis.actual": ("đã họp", "held"),
    "basis.planned": ("theo chương trình đã công bố", "as announced"),
    "congress_kind": ("Loại đại hội", "Congress kind"),
    "children_page": ("Trang danh sách", "Page of the list"),
    "date": ("Ngày", "Date"),
    "month": ("Tháng", "Month"),
    "week": ("Tuần từ", "Week of"),
    "in_session": ("Đại hội đang họp", "Congresses in session"),
    "province": ("Tỉnh, thành phố", "Province"),
    "nationwide": ("Toàn quốc", "Nationwide"),
    "cycle": ("Chu kỳ", "Cycle"),
    "events": ("Sự kiện", "Events"),
    "changed": ("Khác nhau", "Differ"),
    "only_in_a": ("Chỉ có ở A", "Only in A"),
    "only_in_b": ("Chỉ có ở B", "Only in B"),
    # chart legends
    "plenum": ("Hội nghị Trung ương", "Central Committee plenum"),
    "blackout": ("Ngày không họp", "Days without congresses"),
    "holiday": ("Ngày lễ", "Public holiday"),
    "election_step": ("Mốc bầu cử", "Election step"),
    "today": ("Hôm nay", "Today"),
    "projection": ("DỰ PHÓNG", "PROJECTION"),
    # the plan as a spreadsheet (the browser's CSV and XLSX downloads)
    "event_kind": ("Loại sự kiện", "Kind of event"),
    "congress": ("Đại hội", "Congress"),
    # preparation steps (issue 20; planner.rules.preparation)
    "review": ("Cấp trên duyệt văn kiện, nhân sự", "Review by the level above"),
    "announce": ("Thông báo ngày khai mạc", "Opening announced"),
    "report": ("Báo cáo kết quả", "Results reported"),
    "approval": ("Chuẩn y kết quả", "Results approved"),
    "lower_review": ("Cấp trên duyệt nội dung đại hội", "Contents approved above"),
    "standing_committee": ("Ban thường vụ cấp ủy cấp trên", "The superior standing committee"),
    "step_kind": ("Bước chuẩn bị", "Preparation step"),
    "body": ("Cơ quan duyệt", "Reviewing body"),
    "rule_status": ("Mức kiểm chứng", "How sure"),
    "against_congress": ("So với đại hội", "Against the congress"),
    "reviews": ("Số cuộc duyệt", "Reviews"),
    "reviews_panel": ("Duyệt của cấp trên", "Reviews"),
    "capacity": ("Sức duyệt tối đa", "Capacity"),
    "over_capacity": ("Vượt sức duyệt", "Over capacity"),
    "event_name": ("Nội dung", "Description"),
    "parent_id": ("Mã cấp trên", "Parent id"),
    "held": ("Đã họp", "Held"),
    "event_id": ("Mã sự kiện", "Event id"),
    # the Progress page (issue 21): actuals and progress against the plan
    "actual.held": ("Đã họp", "Held"),
    "actual.postponed": ("Hoãn", "Postponed"),
    "actual.cancelled": ("Hủy", "Cancelled"),
    "actual.merged": ("Hợp nhất", "Merged"),
    "actual.none": ("Chưa ghi", "Not recorded"),
    "kind.congress": ("Đại hội", "Congress"),
    "kind.review": ("Thẩm định", "Review"),
    "kind.announce": ("Công bố", "Announcement"),
    "kind.report": ("Báo cáo", "Report"),
    "kind.approval": ("Phê duyệt", "Approval"),
    "outcome": ("Kết quả", "Outcome"),
    "in_force": ("Kết quả đã ghi", "Recorded outcome"),
    "reason": ("Lý do", "Reason"),
    "recorded_at": ("Ghi lúc", "Recorded at"),
    "recorded_by": ("Người ghi", "Recorded by"),
    "actual_dates": ("Ngày thực tế / dự kiến mới", "Actual / new expected dates"),
    "planned_by_today": ("Kế hoạch đến nay", "Planned by today"),
    "late": ("Chậm", "Late"),
    "postponed": ("Hoãn", "Postponed"),
    "due_14d": ("Đến hạn trong 14 ngày", "Due in 14 days"),
    "expected_dates": ("Ngày dự kiến", "Expected dates"),
    "planned_cum": ("Theo kế hoạch (cộng dồn)", "Planned (cumulative)"),
    "held_cum": ("Đã họp (cộng dồn)", "Held (cumulative)"),
    # solver sub-models (the report's codes: monolithic, central, all, <committee>:again)
    "submodel.monolithic": ("toàn bộ kế hoạch (một mô hình)", "the whole plan (one model)"),
    "submodel.all": ("toàn bộ kế hoạch", "the whole plan"),
    "submodel.central": ("cấp trực thuộc Trung ương và toàn quốc", "central and national levels"),
    "submodel.again": ("giải lại", "solved again"),
}

MONTHS_VI = tuple(f"tháng {m}" for m in range(1, 13))
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS_SHORT = {
    "vi": ("T2", "T3", "T4", "T5", "T6", "T7", "CN"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}

# What a Vietnamese page must never show as a word of its own: the solver's and the data's
# codes, and the English words the catalogue replaces (tests read this list).
RAW_CODES = frozenset(
    {
        "OPTIMAL", "FEASIBLE", "UNKNOWN", "INFEASIBLE", "MODEL_INVALID", "None", "nan", "NaN",
        "NaT", "True", "False", "Gap", "national", "central", "district", "commune",
        "grassroots", "verified", "belief", "subtree", "level", "plan", "enabled", "hard",
        "weight", "x:", "y:", "z:", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
        "Oct", "Nov", "Dec", "monolithic", "decomposed", "postponed", "cancelled", "merged",
    }
)  # fmt: skip


def word(key: str) -> str:
    """A catalogue entry in the chosen language (the key itself when unknown: a bug to see)."""
    vi, en = CATALOGUE.get(key, (key, key))
    return en if lang() == "en" else vi


def status_text(status: object) -> str:
    """A solver status in words (``FEASIBLE`` → ``Hợp lệ, chưa chứng minh tối ưu``)."""
    return word(str(status)) if str(status) in CATALOGUE else word("empty")


def status_short(status: object) -> str:
    """A solver status in one or two words, for a metric (``FEASIBLE`` → ``Hợp lệ``)."""
    key = f"{status}.short"
    return word(key) if key in CATALOGUE else status_text(status)


def number(value: float, digits: int = 0) -> str:
    """``52.105`` in Vietnamese, ``52,105`` in English (``1.234,5`` / ``1,234.5``)."""
    text = f"{value:,.{digits}f}"
    if lang() == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def count_en(value: float, singular: str, plural: str | None = None) -> str:
    """D28: an English count site's words, ``1 congress`` / ``3 congresses`` (the English side
    of a ``t(vi, en)`` pair; Vietnamese nouns do not inflect)."""
    return plural_en(int(value) if float(value).is_integer() else value, singular, plural)


def day(value: dt.date | None) -> str:
    """``23/05/2021`` in both languages (the Vietnamese order); ``—`` when there is none."""
    return date_vi_padded(value)


def span(start: dt.date | None, end: dt.date | None) -> str:
    """``01/09/2020 – 05/09/2020``."""
    return f"{day(start)} – {day(end)}"


def month_name(year: int, month: int) -> str:
    """``tháng 4/2020`` / ``April 2020``."""
    if lang() == "en":
        return f"{MONTHS_EN[month - 1]} {year}"
    return f"{MONTHS_VI[month - 1]}/{year}"


def month_tick(year: int, month: int) -> str:
    """A chart's month tick: ``T4/2020`` / ``Apr 2020`` (English only on an English page)."""
    if lang() == "en":
        return f"{MONTHS_EN[month - 1][:3]} {year}"
    return f"T{month}/{year}"


def fold(text: str) -> str:
    """Text without case or diacritics, for search: ``Ninh Bình`` → ``ninh binh``."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = "".join(
        c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn"
    )
    return " ".join(plain.lower().split())


def submodel_text(code: str, committee: str | None = None) -> str:
    """A solver sub-model in words (``monolithic`` → ``toàn bộ kế hoạch (một mô hình)``; a
    committee's sub-model by its name ``committee``, ``p37:again`` with ``(giải lại)``)."""
    part, _sep, again = code.partition(":")
    key = f"submodel.{part}"
    text = word(key) if key in CATALOGUE else committee or part
    return f"{text} ({word('submodel.again')})" if again else text


def family_text(family_id: str) -> str:
    """A constraint family's name in the page's language (never its id)."""
    from planner.rules.families import family_name

    vi, en = family_name(family_id)
    return en if lang() == "en" else vi


def either(text: object) -> str:
    """A stored ``Tiếng Việt / English`` text (the guest's name, a system version's summary)
    in the page's language; any other text as it is."""
    parts = str(text).split(" / ")
    if len(parts) != 2:
        return str(text)
    return parts[1] if lang() == "en" else parts[0]
