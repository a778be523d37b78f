"""No page shows ``None``, ``nan`` or a raw code, in either language (issue 22, point 6).

Every page of the app, in Vietnamese and in English, with the default 2020 scenario's plan
solved, and again for the 2025–2026 cycle: every text the page renders (headings, markdown,
captions, alerts, metrics, labels, options, table and editor cells, expander labels, chart
names and labels) is read, and a bad word is reported with its page, language, element and
text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from planner.rules.families import family_name

from ..conftest import REPO
from .apptest import app, page, solved
from .language import english_left
from .test_views import ALL_PAGES

# never shown in any language: Python's and pandas' empty values, CP-SAT's status codes
EMPTY = {"None", "nan", "NaN", "NaT", "<NA>", "null", "undefined"}
STATUS = {"OPTIMAL", "FEASIBLE", "UNKNOWN", "INFEASIBLE", "MODEL_INVALID"}
ALWAYS_RAW = EMPTY | STATUS | {"monolithic", "decomposed", "True", "False"}
# an id shown as the whole of a cell or label, even on an English page
# ("verified", "cell", "congress": English words too, and the English page's words for them)
IDS = {"national", "central", "district", "commune", "grassroots", "postponed", "cancelled",
       "merged", "belief", "subtree", "monolithic", "decomposed"}  # fmt: skip
SNAKE = re.compile(r"(?<![\w.`/=-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w.`/=(-])")
CODE = re.compile(r"`[^`]*`")  # inline code (``--set`` syntax, file names) is code, not prose
CHART_KEYS = {"name", "text", "title", "hovertemplate", "texttemplate", "ticktext", "x", "y",
              "label", "labels", "legendgrouptitle", "customdata"}  # fmt: skip


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _chart(spec: Any) -> Iterator[str]:
    """The words of a Plotly figure: trace names, texts, hover templates, titles, tick labels."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in CHART_KEYS:
                yield from _strings(value)
            else:
                yield from _chart(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _chart(item)


def _cells(element: Any) -> Iterator[str]:
    """A table's shown headings and cells: hidden columns left out (``column_order``, a column
    configured as hidden), an empty cell as the table's placeholder (Streamlit writes ``None``
    without one), a truth value as the box it is drawn as."""
    frame: pd.DataFrame = element.value
    proto = element.proto
    grid = "column_order" in proto.DESCRIPTOR.fields_by_name  # not st.table: no configuration
    config = json.loads(proto.columns or "{}") if grid else {}
    order = (list(proto.column_order) if grid else []) or [str(c) for c in frame.columns]
    shown = [c for c in order if not config.get(c, {}).get("hidden")]
    placeholder = proto.placeholder if grid and proto.HasField("placeholder") else ""
    for column in shown:
        label = config.get(column, {}).get("label")
        yield str(label if label is not None else column)
    for value in frame[[c for c in frame.columns if str(c) in shown]].to_numpy().ravel():
        if placeholder and pd.isna(value):
            yield placeholder
        elif not isinstance(value, bool):
            yield str(value)


def texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element, text) for everything a person reads on the page."""
    for kind in ("title", "header", "subheader", "markdown", "caption", "success", "info",
                 "warning", "error", "toast"):  # fmt: skip
        for element in at.get(kind):
            yield kind, CODE.sub(" ", str(element.value))
    for kind in ("button", "text_input", "number_input", "date_input", "checkbox", "toggle",
                 "text_area", "download_button", "expander", "tab", "page_link"):  # fmt: skip
        for element in at.get(kind):
            proto = getattr(element, "proto", None)
            yield kind, str(getattr(element, "label", None) or getattr(proto, "label", ""))
    for element in at.get("metric"):
        yield "metric", f"{element.label}: {element.value}"
    for kind in ("selectbox", "radio", "multiselect", "select_slider"):
        for element in at.get(kind):
            yield kind, str(element.label)
            for option in element.options:
                yield f"{kind} «{element.label}»", str(option)
    for element in at.get("dataframe") + at.get("table"):
        for text in _cells(element):
            yield "table", text
    for element in at.get("html"):
        body = str(element.proto.body)
        if "<script" not in body:
            yield "html", re.sub(r"<[^>]+>", " ", body)
    for element in at.get("plotly_chart"):
        for text in _chart(json.loads(element.proto.spec or "{}")):
            yield "chart", text


def bad(text: str, lang: str) -> list[str]:
    """The bad words of one text: empty values, status codes and snake_case codes in either
    language, a bare id as the whole text, and on a Vietnamese page the catalogue's English."""
    words = set(re.split(r"[^\w<>]+", text)) | set(re.findall(r"<NA>", text))
    found = sorted(words & ALWAYS_RAW) + SNAKE.findall(text)
    if text.strip() in IDS:
        found.append(text.strip())
    if lang == "vi":
        found += [w for w in english_left(CODE.sub(" ", text)) if w not in found]
    return found


def _check(at: AppTest, where: str, lang: str) -> list[str]:
    """Every page in turn, with what it shows that it should not."""
    out = []
    kinds: set[str] = set()
    for name in ALL_PAGES:
        page(at, name)
        for element, text in texts(at):
            kinds.add(element.split(" ")[0])
            for found in bad(text, lang):
                out.append(
                    f"{where} · page {name} · {lang} · {element}: {found!r} in {text[:120]!r}"
                )
    # the reader sees what the pages draw (a broken reader would find nothing wrong)
    assert {"table", "chart", "metric", "selectbox", "caption", "page_link"} <= kinds, kinds
    return out


def test_every_rule_family_has_a_name() -> None:
    """Every family a rule set names has a name in both languages, never its id."""
    for path in sorted((REPO / "data" / "rules").rglob("*.toml")):
        for family in re.findall(r'^family = "(\w+)"', path.read_text(encoding="utf-8"), re.M):
            vi, en = family_name(family)
            assert family not in (vi, en), (path.name, family)


def test_the_bad_word_finder() -> None:
    """It finds None, nan, a status code, a snake_case code and a bare id; it passes prose,
    file names, ``--set`` code and Vietnamese words."""
    assert bad("Cấp: None", "en") == ["None"]
    assert bad("1.818 (nan)", "en") == ["nan"]
    assert bad("<NA>", "en") == ["<NA>"]
    assert bad("FEASIBLE", "en") == ["FEASIBLE"]
    assert bad("the daily_capacity of a level", "en") == ["daily_capacity"]
    assert bad("grassroots", "en") == ["grassroots"]
    assert bad("Grassroots congresses", "en") == []
    assert bad("Tải tệp central-p37.ics", "vi") == []
    assert bad("levels.central.daily_capacity=4", "en") == []
    assert bad("Ngày họp của đảng bộ cơ sở", "vi") == []


@pytest.mark.parametrize("cycle", ["2020", "xiv-2025"])
def test_no_page_shows_none_nan_or_a_raw_code(cycle: str) -> None:
    """Every page, in Vietnamese then English, with a plan solved: no bad word anywhere."""
    at = app(unit="d369" if cycle == "2020" else "").run()
    if cycle != "2020":
        at.sidebar.selectbox(key="cycle_choice_vi").set_value(cycle).run()
    solved(at)
    found = _check(at, cycle, "vi")
    at.sidebar.radio(key="lang").set_value("en").run()
    found += _check(at, cycle, "en")
    assert not found, "\n".join(found)
