"""What a screen reader needs that Streamlit does not set by itself.

- The page's language: Streamlit serves ``<html lang="en">`` whatever the text; a tiny script
  sets ``lang`` from the chosen language on every run.
- Labels in the page's language: the date pickers and other widgets of Streamlit's component
  library carry English ARIA labels and titles (``Choose date``…); the same script replaces
  the known ones (:data:`ARIA_VI`) on a Vietnamese page, now and whenever new ones appear.
- Charts get a text summary and a table alternative (:func:`table_alternative`).
"""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from planner.ui.session import lang, t
from planner.ui.state import MAX_UPLOAD_BYTES
from planner.ui.words import MONTHS_EN

# English labels of Streamlit's widgets (aria-label, title, placeholder) → Vietnamese
ARIA_VI = {
    "Choose date": "Chọn ngày",
    "Choose a date": "Chọn ngày",
    "Select a date.": "Chọn một ngày.",
    "Select a date": "Chọn một ngày",
    "Previous month.": "Tháng trước.",
    "Next month.": "Tháng sau.",
    "Month": "Tháng",
    "Year": "Năm",
    "Calendar.": "Lịch.",
    "Choose an option": "Chọn một mục",
    "Choose options": "Chọn các mục",
    "Selected": "Đã chọn",
    "Clear all": "Xóa hết",
    "Clear value": "Xóa giá trị",
    "open": "mở",
    "close": "đóng",
    "Open menu": "Mở danh sách",
    "Close menu": "Đóng danh sách",
    "Increment": "Tăng",
    "Decrement": "Giảm",
    "Main menu": "Trình đơn chính",
    "Show password text": "Hiện mật khẩu",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Download as CSV": "Tải xuống CSV",
    "Search": "Tìm",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở rộng thanh bên",
    "Drag and drop file here": "Kéo và thả tệp vào đây",
    "Browse files": "Chọn tệp",
    "Upload": "Tải lên",
    "Delete": "Xóa",
    "Copy to clipboard": "Sao chép",
    "Running...": "Đang chạy…",
    "App pages": "Các trang",
    "Link to heading": "Liên kết tới đề mục",
    "Open": "Mở",
    "Sidebar": "Thanh bên",
    "Show help": "Trợ giúp",
    "Show/hide columns": "Hiện/ẩn cột",
    "file upload": "tải tệp lên",
    "Autoscale": "Tự co giãn",
    "Download plot as a PNG": "Tải biểu đồ (PNG)",
    "Pan": "Kéo",
    "Reset axes": "Đặt lại trục",
    "Zoom": "Phóng to vùng",
    "Zoom in": "Phóng to",
    "Zoom out": "Thu nhỏ",
    "Box Select": "Chọn vùng",
    "Lasso Select": "Chọn tự do",
    "Produced with Plotly.js": "Vẽ bằng Plotly.js",
    "Stop": "Dừng",
}

# English weekday names in the date pickers' calendars → Vietnamese (D28)
WEEKDAYS_VI = {
    "Monday": "Thứ hai", "Tuesday": "Thứ ba", "Wednesday": "Thứ tư", "Thursday": "Thứ năm",
    "Friday": "Thứ sáu", "Saturday": "Thứ bảy", "Sunday": "Chủ nhật",
}  # fmt: skip

_SCRIPT = """<script>
(function () {
  const lang = %(lang)s, words = %(words)s, uploadLimit = %(limit)s;
  const monthsEn = %(months)s, weekdays = %(weekdays)s;
  document.documentElement.lang = lang;
  if (window.__plannerLabels) { window.__plannerLabels.disconnect(); }
  // the upload box states Streamlit's limit in MB; the app's own limit is lower (and in KiB)
  const fixUploads = () => {
    document.querySelectorAll('[data-testid="stFileUploader"]').forEach((box) => {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.nodeValue.trim();
        const limit = text.match(/^(?:Limit )?[0-9.]+ ?[KMG]B per file(.*)$/);
        if (limit) {
          node.nodeValue = (lang === "vi" ? "Tối đa " : "At most ") + uploadLimit
            + (lang === "vi" ? " mỗi tệp" : " per file") + limit[1];
        } else if (lang === "vi" && Object.prototype.hasOwnProperty.call(words, text)) {
          node.nodeValue = words[text];
        }
      }
    });
  };
  fixUploads();
  // D27: Streamlit commits a typed date only when focus leaves the whole widget, and its
  // calendar button is part of it: Tab from the date's last part to that button left the
  // typed date unsent (and unchecked) until the next click, often Apply. Moving from the
  // date's text to its button now commits the date, so it is checked as the text is left.
  if (!window.__plannerDates) {
    window.__plannerDates = true;
    document.addEventListener("focusin", (event) => {
      const from = event.relatedTarget;
      const button = event.target.closest
        && event.target.closest('[data-testid="stDateInputCalendarButton"]');
      const field = button && button.closest('[data-testid="stDateInputField"]');
      if (!field || !from || !field.contains(from) || from.getAttribute("role") !== "spinbutton") {
        return;
      }
      from.dispatchEvent(new FocusEvent("focusout", {bubbles: true, relatedTarget: document.body}));
    }, true);
  }
  if (lang !== "vi") {
    const uploads = new MutationObserver(fixUploads);
    uploads.observe(document.body, {subtree: true, childList: true});
    window.__plannerLabels = uploads;
    return;
  }
  // the date pickers speak their month and the calendar's days in English ("05 – May",
  // "Sunday, May 23, 2021"): in Vietnamese, "tháng 5", "Chủ nhật, ngày 23 tháng 5 năm 2021"
  const months = "(" + monthsEn.join("|") + ")";
  const monthOf = (name) => monthsEn.indexOf(name) + 1;
  const dates = (value) => value
    .replace(new RegExp("^[0-9]{1,2} – " + months + "$"), (m, name) => "tháng " + monthOf(name))
    .replace(new RegExp("\\\\b" + months + " ([0-9]{1,2}), ([0-9]{4})", "g"),
             (m, name, d, y) => "ngày " + d + " tháng " + monthOf(name) + " năm " + y)
    .replace(new RegExp("\\\\b" + months + " ([0-9]{4})", "g"),
             (m, name, y) => "tháng " + monthOf(name) + " năm " + y)
    .replace(new RegExp("^" + months + "$"), (m, name) => "tháng " + monthOf(name))
    .replace(new RegExp("\\\\b(" + Object.keys(weekdays).join("|") + ")\\\\b", "g"),
             (m, name) => weekdays[name]);
  const fix = (root) => {
    root.querySelectorAll("[aria-valuetext]").forEach((el) => {
      const value = el.getAttribute("aria-valuetext");
      const vi = dates(value);
      if (vi !== value) { el.setAttribute("aria-valuetext", vi); }
    });
    for (const attr of ["aria-label", "title", "placeholder"]) {
      root.querySelectorAll("[" + attr + "]").forEach((el) => {
        const value = el.getAttribute(attr);
        const vi = value ? dates(value) : value;
        if (vi !== value) {
          el.setAttribute(attr, vi);
        } else if (Object.prototype.hasOwnProperty.call(words, value)) {
          el.setAttribute(attr, words[value]);
        } else if (value && value.startsWith("Help for ")) {
          el.setAttribute(attr, "Trợ giúp: " + value.slice(9));
        } else if (value && value.startsWith("day, ")) {
          el.setAttribute(attr, "ngày, " + value.slice(5));
        } else if (value && value.startsWith("month, ")) {
          el.setAttribute(attr, "tháng, " + value.slice(7));
        } else if (value && value.startsWith("year, ")) {
          el.setAttribute(attr, "năm, " + value.slice(6));
        }
      });
    }
  };
  fix(document);
  const observer = new MutationObserver(() => { fix(document); fixUploads(); });
  observer.observe(document.body, {subtree: true, childList: true, attributes: true,
                                   attributeFilter: ["aria-label", "title", "placeholder",
                                                     "aria-valuetext"]});
  window.__plannerLabels = observer;
})();
</script>"""


# Streamlit's captions and placeholders are grey on white at a contrast of 3.8:1; WCAG AA asks
# 4.5:1 for small text (axe-core's "color-contrast" rule).
_STYLE = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p {
  color: #4d4c52 !important; opacity: 1 !important; }
input::placeholder, textarea::placeholder { color: #66656b; opacity: 1; }
</style>"""


def page_language() -> None:
    """Set ``<html lang>`` to the chosen language, put the widgets' labels in it, and give
    small grey text enough contrast."""
    script = _SCRIPT % {
        "lang": json.dumps(lang()),
        "words": json.dumps(ARIA_VI, ensure_ascii=False),
        "limit": json.dumps(f"{MAX_UPLOAD_BYTES // 1024} KiB"),
        "months": json.dumps(MONTHS_EN),
        "weekdays": json.dumps(WEEKDAYS_VI, ensure_ascii=False),
    }
    st.html(_STYLE + script, unsafe_allow_javascript=True, width="content")


def table_alternative(frame: pd.DataFrame, summary: str) -> None:
    """A chart's text summary, and its data as a real table (read by screen readers) in an
    expander."""
    st.caption(summary)
    with st.expander(t("Dữ liệu của biểu đồ (bảng)", "The chart's data (table)")):
        st.table(frame)


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "—"
    if isinstance(value, bool):
        return t("có", "yes") if value else t("không", "no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    return str(value)


def text_table(frame: pd.DataFrame, headings: dict[str, str]) -> None:
    """An editable table's current values as a real table (the editor draws on a canvas that
    screen readers cannot read), in an expander under it."""
    with st.expander(t("Bảng trên dạng văn bản (cho trình đọc màn hình)",
                       "The table above as text (for screen readers)")):  # fmt: skip
        shown = frame.rename(columns=headings).map(_cell)
        st.table(shown)
