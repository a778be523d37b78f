"""The sidebar, drawn once by ``app.py`` around the navigation so its widgets keep their values
on every page: the page links, cycle, scenario document and version, a new document, the
province filter, the unit search, the solver budget and the user's display name (the language
switch is :func:`planner.ui.session.language`). Language, province and budget are in the URL
(``?lang=en&province=p37&budget=20``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.store import access, browsers, recovery, scenarios
from planner.store.db import StoreError
from planner.ui import cycles, province
from planner.ui.common import flash, name_col
from planner.ui.opened import change_check, current, error_text, tree
from planner.ui.search import WRAP_LINKS, index_of, unit_link
from planner.ui.session import (
    auth_mode,
    author,
    identity,
    lang,
    link_view,
    open_version,
    roles,
    set_author,
    store,
    t,
    working,
)
from planner.ui.words import count_en, either, word

BUDGET_DEFAULT = 5.0
BUDGET_RANGE = (1.0, 600.0)


def pages(where: Any, links: Mapping[str, Any]) -> None:
    """The page links, in place of Streamlit's own navigation: that one drops the URL's
    parameters on a page change, and writing them back made 4 history entries a page (D6).
    Each link carries its page's view (:func:`planner.ui.session.link_view`), so a page
    change is one entry and Back returns to the previous page."""
    for slug, target in links.items():
        try:
            params: dict[str, str] | None = link_view(slug)
        except Exception:  # no working copy (a broken store): the links without the view
            params = None
        where.page_link(target, query_params=params)


def _switch_document() -> None:
    name = st.session_state["doc_choice"]
    try:
        open_version(scenarios.load(store(), name))
    except PlannerError as exc:
        flash(error_text(exc), "warning")
    _forget_era_choices()


def _forget_era_choices() -> None:
    """A province or unit of one era's tree means nothing in another's."""
    st.session_state["province"] = province.ALL
    st.session_state.pop("unit", None)


def _switch_cycle() -> None:
    chosen = st.session_state[f"cycle_choice_{lang()}"]
    try:
        version = cycles.open_cycle(store(), chosen, author())
    except (PlannerError, OSError) as exc:
        message = error_text(exc) if isinstance(exc, PlannerError) else str(exc)
        flash(message, "warning")
        return
    open_version(version)
    _forget_era_choices()
    found = cycles.cycle_of(chosen)
    flash(t("Đã mở chu kỳ: ", "Opened the cycle: ") + t(found.name_vi, found.name_en), "info")


def cycle() -> None:
    """The congress cycle: opens that cycle's built-in scenario (2020–2021 by default). The
    widget's key carries the language, as its labels do; the labels are short (``2020–2021 ·
    Đại hội XIII``) so the box shows them whole at 1280 px; each page's caption has the
    scenario's full title."""
    loaded = current()
    labels = {c.cycle: t(c.short_vi, c.short_en) for c in cycles.builtin_cycles()}
    here = loaded[0].cycle if loaded is not None else cycles.DEFAULT_CYCLE
    if loaded is not None and here not in labels:
        labels[str(here)] = t(loaded[0].name_vi, loaded[0].name_en)
    options = list(labels)
    key = f"cycle_choice_{lang()}"
    st.session_state[key] = here if here in labels else options[0]
    st.sidebar.selectbox(
        word("cycle"), options, format_func=labels.__getitem__, key=key, on_change=_switch_cycle
    )


def document() -> None:
    """Which document and version is open, with the way to the newest one."""
    state = working()
    try:
        docs = scenarios.documents(store())
    except StoreError as exc:
        st.sidebar.error(error_text(exc))
        return
    names = [d.name for d in docs]
    if state.document not in names:
        names.append(state.document)
    if st.session_state.get("doc_choice") != state.document:
        st.session_state["doc_choice"] = state.document
    st.sidebar.selectbox(
        t("Kịch bản", "Scenario"), names, key="doc_choice", on_change=_switch_document
    )
    head = next((d for d in docs if d.name == state.document), None)
    mark = "" if state.saved else t(" · chưa lưu", " · not saved")
    st.sidebar.caption(
        t(f"Phiên bản {state.version}", f"Version {state.version}")
        + " · "
        + t(f"{len(state.sets)} thay đổi", count_en(len(state.sets), "change"))
        + mark
    )
    if head is not None and head.head > state.version and state.saved:
        st.sidebar.info(
            t(
                f"Đã có phiên bản mới hơn: {head.head} ({either(head.updated_by)}).",
                f"A newer version exists: {head.head} ({either(head.updated_by)}).",
            )
        )
        if st.sidebar.button(t("Mở bản mới nhất", "Open the latest"), key="open_latest"):
            open_version(scenarios.load(store(), state.document))
            st.rerun()
    with st.sidebar.popover(t("Kịch bản mới…", "New scenario…")):
        name = st.text_input(t("Tên", "Name"), key="new_doc_name", max_chars=60)
        sources = {
            "copy": t("bản sao kịch bản đang mở", "a copy of the open one"),
            "builtin": t("kịch bản gốc", "the built-in scenario"),
        }
        source = st.radio(
            t("Từ", "From"),
            list(sources),
            format_func=sources.__getitem__,
            key=f"new_doc_source_{t('vi', 'en')}",  # labels follow the language
        )
        if st.button(t("Tạo", "Create"), key="new_doc_create"):
            text, base = (
                (state.base_text, state.base_name) if source == "copy" else recovery.builtin()
            )
            sets = state.sets if source == "copy" else []
            try:
                created = scenarios.create(
                    store(), name, text, base, sets, author(), t("Tạo mới", "Created"),
                    change_check(),
                )  # fmt: skip
            except PlannerError as exc:
                st.error(error_text(exc))
            else:
                open_version(created)
                flash(t("Đã tạo kịch bản ", "Created scenario ") + created.scenario)
                st.rerun()


def _keep_province() -> None:
    st.session_state["province"] = st.session_state[f"province_{lang()}"]


def province_filter() -> str:
    """The province every chart, table and download is limited to (``all``: the country);
    kept in ``st.session_state["province"]`` (the widget's key carries the language)."""
    orgs = tree()
    options = [province.ALL, *province.provinces(orgs)]
    if "province" not in st.session_state:
        st.session_state["province"] = st.query_params.get("province") or province.ALL
    if st.session_state["province"] not in options:
        st.session_state["province"] = province.ALL
    attr = name_col()
    labels = {o: str(getattr(orgs.get(o), attr)) for o in options[1:]}
    labels[province.ALL] = word("nationwide")
    key = f"province_{lang()}"
    st.session_state[key] = st.session_state["province"]
    st.sidebar.selectbox(
        word("province"), options, format_func=labels.__getitem__, key=key,
        on_change=_keep_province,
    )  # fmt: skip
    return str(st.session_state["province"])


def search(unit_page: Any) -> None:
    """The unit search (by name, with or without diacritics, or by id): each result is a link
    to the unit's page."""
    query = st.sidebar.text_input(
        t("Tìm đơn vị (tên hoặc mã)", "Find a unit (name or id)"),
        key="search_q",
        placeholder=t("vd. ninh binh, p37", "e.g. ninh binh, p37"),
    )
    if not query.strip():
        return
    orgs = tree()
    found = index_of(orgs).find(query, limit=8)
    if not found:
        st.sidebar.caption(t("Không tìm thấy đơn vị nào.", "No unit found."))
        return
    st.sidebar.html(WRAP_LINKS)
    for org_id in found:
        unit_link(st.sidebar, orgs, org_id, page=unit_page)


def budget() -> float:
    """The solver budget in seconds (bound to the URL; out-of-range values are clamped, and
    the sidebar says so)."""
    value = st.sidebar.number_input(
        t("Giới hạn tính toán (giây)", "Solver budget (s)"),
        value=BUDGET_DEFAULT,
        step=1.0,
        format="%g",
        key="budget",
        bind="query-params",
        help=t("Từ 1 đến 600 giây.", "From 1 to 600 seconds."),
    )
    low, high = BUDGET_RANGE
    if value is None:
        st.sidebar.warning(t(f"Chưa nhập: dùng {BUDGET_DEFAULT:g} s.", "Empty: using 5 s."))
        return BUDGET_DEFAULT
    if not low <= value <= high:
        used = min(high, max(low, float(value)))
        st.sidebar.warning(
            t(
                f"Giới hạn {value:g} s nằm ngoài 1–600 s: dùng {used:g} s.",
                f"A budget of {value:g} s is outside 1–600 s: using {used:g} s.",
            )
        )
        return used
    return float(value)


def display_name() -> None:
    """Who is working. Behind a proxy (``PLANNER_AUTH=header``): the authenticated user and
    their role, shown, not editable. Locally: the display name, asked once per browser (it
    labels the versions one saves), and the note that this is a single-user local tool."""
    if auth_mode() != "local":
        signed_in()
        return
    st.sidebar.caption(
        t(
            "Công cụ cục bộ một người dùng: không đăng nhập, ai mở trang cũng sửa được mọi thứ.",
            "Single-user local tool: no sign-in; whoever opens the page may change everything.",
        )
    )
    current = author()
    if current != browsers.GUEST and not st.session_state.get("renaming"):
        left, right = st.sidebar.columns([3, 1])
        left.caption(t("Bạn: ", "You: ") + current)
        if right.button("✎", key="rename", help=t("Đổi tên hiển thị", "Change display name")):
            st.session_state["renaming"] = True
            st.rerun()
        return
    name = st.sidebar.text_input(
        t("Tên của bạn (ghi vào lịch sử)", "Your name (shown in the history)"),
        key="display_name",
        max_chars=browsers.MAX_NAME,
    )
    if st.sidebar.button(t("Lưu tên", "Save name"), key="save_name"):
        try:
            set_author(name)
        except PlannerError as exc:
            st.sidebar.error(error_text(exc))
            return
        st.session_state.pop("renaming", None)
        flash(t("Đã lưu tên: ", "Name saved: ") + author())
        st.rerun()


def signed_in() -> None:
    """The authenticated user and their rights, or why this session is read-only."""
    who = identity()
    role = word(f"role.{who.role}")
    scope = ""
    if who.role == access.PROVINCE_EDITOR:
        scope = " · " + t(*access.scope_text(who))
    known = roles()
    if auth_mode() == "invalid" or isinstance(known, PlannerError):
        reason = (
            error_text(known)
            if isinstance(known, PlannerError)
            else t("PLANNER_AUTH chỉ nhận giá trị header.", "PLANNER_AUTH only takes header.")
        )
        st.sidebar.error(t("Chỉ xem: cấu hình đăng nhập sai. ", "Read-only: the sign-in "
                           "set-up is wrong. ") + reason)  # fmt: skip
    if who.source == "missing":
        st.sidebar.warning(
            t(
                "Chưa đăng nhập (proxy không gửi tên người dùng): chỉ xem.",
                "Not signed in (the proxy sent no user name): read-only.",
            )
        )
        return
    st.sidebar.caption(t("Bạn: ", "You: ") + f"**{who.user}** · {role}{scope}")
    if who.source == "unlisted":
        st.sidebar.info(
            t(
                f"{who.user} không có trong tệp vai trò: chỉ xem.",
                f"{who.user} is not in the roles file: read-only.",
            )
        )
