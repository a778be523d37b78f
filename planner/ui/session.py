"""A browser session's context: the store, who is working, the working copy, the URL.

- The store is opened once per server process (and per ``PLANNER_HOME``).
- A browser gets a random id in a cookie (set once by a tiny script), so its display name is
  asked once per browser and each saved version says who made it.
- The working copy belongs to the session (each tab has its own); it opens the document and
  version named in the URL (``?scenario=…&v=…``), so a refresh or a shared link opens the
  same view, and the URL follows it (with ``lang`` and ``page``).
- Saving is optimistic (:func:`planner.ui.opened.save`): a stale copy gets a conflict to
  resolve, never a silent overwrite; a store that cannot be written keeps the edit in the
  session.
- Who is working (:func:`identity`): with ``PLANNER_AUTH=header`` the user a trusted proxy
  names in a header (``PLANNER_AUTH_HEADER``, default ``X-Forwarded-User``) with the rights of
  the roles file (``PLANNER_ROLES``); the typed display name never gives rights. Without
  ``PLANNER_AUTH`` the app is a single-user local tool with every right (:data:`access.LOCAL`).
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from planner.errors import PlannerError
from planner.store import access, browsers, scenarios
from planner.store.db import Store, StoreError, planner_home
from planner.store.recovery import DEFAULT_DOCUMENT, Opened, open_store
from planner.store.scenarios import Version
from planner.ui.state import WorkingScenario

COOKIE = "planner_browser"
_RUN = threading.local()  # what one script run of this thread drew first (the heading)


@st.cache_resource(show_spinner=False)
def _opened(home: str) -> Opened:
    return open_store(home=Path(home))


def opened() -> Opened:
    """The store of this server process for the current ``PLANNER_HOME``."""
    return _opened(str(planner_home()))


def store() -> Store:
    """The store in use (a temporary one when PLANNER_HOME cannot be written)."""
    return opened().store


def lang() -> str:
    """The chosen language: ``vi`` (default) or ``en``."""
    return "en" if st.session_state.get("lang") == "en" else "vi"


def t(vi: str, en: str) -> str:
    """The text in the chosen language (Vietnamese by default)."""
    return en if lang() == "en" else vi


def language() -> None:
    """The language switch (first, so page titles follow it on the same run); a link's
    ``?lang=en`` opens in English, and the URL follows the switch (see ``sync_url``)."""
    if "lang" not in st.session_state:
        st.session_state["lang"] = "en" if st.query_params.get("lang") == "en" else "vi"
    st.sidebar.radio(
        "Ngôn ngữ / Language",
        ["vi", "en"],
        format_func=lambda v: "Tiếng Việt" if v == "vi" else "English",
        key="lang",
        horizontal=True,
    )


def heading_first(title_vi: str, title_en: str) -> None:
    """Draw the page's heading before the work the page waits for (imports, the tree, the
    problem: P1); the page's own heading (:func:`planner.ui.common.page`) takes its place."""
    slot = st.empty()
    slot.title(t(title_vi, title_en))
    _RUN.heading = slot


def heading_place() -> Any:
    """Where this run's page draws its heading: in place of the one drawn first, if any."""
    slot = getattr(_RUN, "heading", None)
    _RUN.heading = None
    return st if slot is None else slot


def browser_id() -> str:
    """This browser's id: from its cookie, else a new one the cookie will hold from now on."""
    try:
        cookie = st.context.cookies.get(COOKIE)
    except (AttributeError, RuntimeError):  # no browser behind this session (tests)
        cookie = None
    if isinstance(cookie, str) and browsers.valid_id(cookie):
        return cookie
    if "browser_id" not in st.session_state:
        st.session_state["browser_id"] = uuid.uuid4().hex
        st.session_state["cookie_pending"] = True
    return str(st.session_state["browser_id"])


def send_cookie() -> None:
    """Give the browser its id (once per session, only when it had none; a tab opened at the
    same moment never replaces the id another tab already gave)."""
    if st.session_state.pop("cookie_pending", False):
        bid = st.session_state["browser_id"]
        st.sidebar.html(
            f"<script>if (!document.cookie.split('; ').some(c => c.startsWith('{COOKIE}='))) "
            f"document.cookie = '{COOKIE}={bid}; path=/; max-age=31536000; SameSite=Strict';"
            "</script>",
            unsafe_allow_javascript=True,
        )


DEFAULT_HEADER = "X-Forwarded-User"


def auth_mode() -> str:
    """``local`` (no ``PLANNER_AUTH``: one user, every right), ``header`` (a trusted proxy
    names the user) or ``invalid`` (any other value: read-only, the app says why)."""
    mode = os.environ.get("PLANNER_AUTH", "").strip().lower()
    if not mode:
        return "local"
    return "header" if mode == "header" else "invalid"


@st.cache_resource(show_spinner=False, max_entries=4)
def _roles(path: str, mtime: float) -> dict[str, access.Identity] | PlannerError:
    try:
        return access.load_roles(Path(path))
    except PlannerError as exc:
        return exc


def roles() -> dict[str, access.Identity] | PlannerError:
    """The roles file (``PLANNER_ROLES``), re-read when it changes; an error when it is
    missing or wrong (then everyone is a viewer: the app fails closed)."""
    configured = os.environ.get("PLANNER_ROLES", "").strip()
    if not configured:
        return PlannerError(
            "chưa đặt PLANNER_ROLES (tệp vai trò).",
            "PLANNER_ROLES (the roles file) is not set.",
            field="PLANNER_ROLES",
        )
    try:
        mtime = Path(configured).stat().st_mtime
    except OSError:
        mtime = -1.0
    return _roles(configured, mtime)


def _header_user() -> str | None:
    name = os.environ.get("PLANNER_AUTH_HEADER", "").strip() or DEFAULT_HEADER
    try:
        value = st.context.headers.get(name)
    except (AttributeError, RuntimeError):  # no browser behind this session (tests)
        return None
    return value if isinstance(value, str) else None


def identity() -> access.Identity:
    """Who is working, with their rights (never from the typed display name)."""
    mode = auth_mode()
    if mode == "local":
        return access.LOCAL
    known = roles()
    if mode == "invalid" or isinstance(known, PlannerError):
        user = (_header_user() or "").strip()
        return access.Identity(user, access.VIEWER, source="missing" if not user else "unlisted")
    return access.identity_of(_header_user(), known)


def author() -> str:
    """Who saves: the authenticated user behind a proxy, else the display name given in this
    browser, or 'guest'."""
    if auth_mode() != "local":
        return identity().user or browsers.GUEST
    if "author" not in st.session_state:
        try:
            st.session_state["author"] = browsers.name_of(store(), browser_id())
        except StoreError:
            st.session_state["author"] = None
    name = st.session_state["author"]
    return str(name) if name else browsers.GUEST


def set_author(name: str) -> None:
    """Remember the display name for this browser (raises a bilingual error when refused)."""
    st.session_state["author"] = browsers.set_name(store(), browser_id(), name)


def _from_url() -> tuple[WorkingScenario, str | None]:
    """The copy the URL names (a missing document or version falls back, with a notice)."""
    wanted = st.query_params.get("scenario") or DEFAULT_DOCUMENT
    number_text = st.query_params.get("v") or ""
    number = int(number_text) if number_text.isdigit() else None
    notice = None
    try:
        version = scenarios.load(store(), wanted, number)
    except PlannerError as exc:
        notice = t(exc.text_vi(), exc.text_en()) + " " + t("Đã mở", "Opened") + " "
        try:
            version = scenarios.load(store(), wanted)
        except PlannerError:
            version = scenarios.load(store(), DEFAULT_DOCUMENT)
        notice += f"{version.scenario} v{version.number}."
    return WorkingScenario.of(version), notice


def working() -> WorkingScenario:
    """The working copy of this session (opened from the URL the first time)."""
    if "working" not in st.session_state:
        copy, notice = _from_url()
        st.session_state["working"] = copy
        if notice:
            st.session_state["flash_warning"] = notice
    state: WorkingScenario = st.session_state["working"]
    return state


def open_version(version: Version) -> None:
    """Make a stored version the working copy (drops any pending conflict)."""
    st.session_state["working"] = WorkingScenario.of(version)
    st.session_state.pop("conflict", None)


NEUTRAL = {"province": "all", "lang": "vi"}  # a part of the view once in the URL, then unset


def view(page: str, **optional: str | None) -> dict[str, str]:
    """The query parameters of a page's shareable view: document, version, page and language,
    and the optional parts of the view (``province``, ``unit``) that are not None. The page
    links carry it, so following one needs no second write of the URL."""
    state = working()
    wanted = {"scenario": state.document, "v": str(state.version), "page": page}
    wanted.update({key: value for key, value in optional.items() if value is not None})
    if lang() == "en":
        wanted["lang"] = "en"
    return wanted


def link_view(page: str) -> dict[str, str]:
    """The view a link to ``page`` carries: this session's document, version, language,
    province and (to the Unit page) unit, so following it is one history entry (D6)."""
    region = st.session_state.get("province")
    unit = st.session_state.get("unit") if page == "unit" else None
    return view(
        page,
        province=None if region in (None, NEUTRAL["province"]) else str(region),
        unit=None if unit is None else str(unit),
    )


def sync_url(page: str) -> None:
    """Put the page's shareable view (:func:`link_view`) in the URL, in one write and only
    when it changed: each write is one entry of the browser's history (D6). A part already in
    the URL that the view no longer has takes its neutral value (a deletion would be a write of
    its own); parameters bound to a widget (the budget) are the widget's."""
    wanted = link_view(page)
    here = st.query_params.to_dict()
    for key, neutral in NEUTRAL.items():
        if key in here and key not in wanted:
            wanted[key] = neutral
    changed = {key: value for key, value in wanted.items() if here.get(key) != value}
    if changed:
        st.query_params.update(changed)


@dataclass
class Conflict:
    """A save refused because ``head`` is newer than the version the edit started from."""

    head: Version
    expected: int
    summary: str


def conflict() -> Conflict | None:
    """The conflict waiting for the user's choice, if any."""
    found: Conflict | None = st.session_state.get("conflict")
    return found
