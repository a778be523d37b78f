"""Who may change what (issue 21, point 4): the roles file, the checks and the store's gate."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.errors import DataFileError
from planner.store import access, scenarios
from planner.store.access import (
    ADMIN,
    CENTRAL_EDITOR,
    PROVINCE_EDITOR,
    VIEWER,
    AccessRefused,
    Identity,
    load_roles,
    may_admin,
    may_change,
    may_edit_key,
    may_record_actual,
)
from planner.store.db import Store
from planner.store.recovery import DEFAULT_DOCUMENT, open_store
from planner.tree.hierarchy import Level, OrgTree
from tests.tiny import org

NINH_BINH = Identity("nb", PROVINCE_EDITOR, frozenset({37}))
CENTRAL = Identity("btc", CENTRAL_EDITOR)
VIEW = Identity("xem", VIEWER)
ADMIN_ID = Identity("root", ADMIN)
SCOPE_VI = "Bạn chỉ được sửa các đơn vị của tỉnh Ninh Bình (p37)"
SCOPE_EN = "You may only edit units of Ninh Bình province (p37)"
NB_BLACKOUT = (
    '[{id = "nb-flood", name_vi = "Lũ", name_en = "Flood", start = 2020-08-01,'
    " end = 2020-08-05, provinces = [37]}]"
)
HN_BLACKOUT = NB_BLACKOUT.replace("nb-flood", "hn-covid").replace("[37]", "[1]")
WINDOW = "levels.central.window=[2020-09-01, 2020-10-31]"


def _tree() -> OrgTree:
    return OrgTree(
        [
            org("vn", Level.NATIONAL, None),
            org("p37", Level.CENTRAL, "vn", 37),
            org("d369", Level.DISTRICT, "p37", 37),
            org("p01", Level.CENTRAL, "vn", 1),
            org("d001", Level.DISTRICT, "p01", 1),
        ]
    )


def _base() -> str:
    from planner.store.recovery import builtin

    return builtin()[0]


def _change(who: Identity, *sets: str, before: tuple[str, ...] = ()) -> access.Decision:
    base = _base()
    return may_change(who, (base, list(before)), (base, [*before, *sets]), _tree())


# --- the checks -----------------------------------------------------------------------------


def test_ninh_binh_editor_refused_on_ha_noi_blackout_with_the_scope() -> None:
    """Issue 21: an editor of Ninh Bình may not add Hà Nội's blackout; the refusal names the
    scope in both languages."""
    found = _change(NINH_BINH, f"blackouts.ranges={HN_BLACKOUT}")
    assert not found
    assert found.message_vi.startswith(SCOPE_VI)
    assert found.message_en.startswith(SCOPE_EN)


def test_ninh_binh_editor_refused_on_the_central_window() -> None:
    """Issue 21: the central window is a national setting."""
    found = _change(NINH_BINH, WINDOW)
    assert not found
    assert SCOPE_VI in found.message_vi and "levels.central.window" in found.message_en


def test_ninh_binh_editor_allowed_on_ninh_binh_blackout_and_units() -> None:
    """Issue 21: a blackout limited to Ninh Bình and the fixed date of a Ninh Bình unit are
    local; removing a Hà Nội blackout someone else added is not."""
    assert _change(NINH_BINH, f"blackouts.ranges={NB_BLACKOUT}")
    pin = 'pins=[{org = "d369", start = 2020-06-01, end = 2020-06-03}]'
    assert _change(NINH_BINH, pin)
    assert not _change(NINH_BINH, pin.replace("d369", "d001"))
    both = NB_BLACKOUT[:-1] + ", " + HN_BLACKOUT[1:]
    before = (f"blackouts.ranges={both}",)
    assert not _change(NINH_BINH, f"blackouts.ranges={NB_BLACKOUT}", before=before)


def test_a_nationwide_blackout_is_not_local() -> None:
    """A blackout without ``provinces`` (the whole country) needs a central editor."""
    nationwide = NB_BLACKOUT.replace(", provinces = [37]", "")
    assert not _change(NINH_BINH, f"blackouts.ranges={nationwide}")
    assert _change(CENTRAL, f"blackouts.ranges={nationwide}")


def test_central_editor_allowed_on_windows_not_on_the_base_file() -> None:
    """Issue 21: the central editor changes any key; replacing the file is an admin's."""
    assert _change(CENTRAL, WINDOW, "levels.district.daily_capacity=40")
    base = _base()
    replaced = may_change(CENTRAL, (base, []), (base + "\n# edited\n", []), _tree())
    assert not replaced and "administrator" in replaced.message_en
    assert may_change(ADMIN_ID, (base, []), (base + "\n# edited\n", []), _tree())


def test_viewer_refused_everything() -> None:
    """Issue 21: a viewer changes nothing: keys, actuals, restores."""
    assert not _change(VIEW, WINDOW)
    assert not _change(VIEW, f"blackouts.ranges={NB_BLACKOUT}")
    assert not may_edit_key(VIEW, "pins", [], None, _tree())
    assert not may_record_actual(VIEW, "d369", _tree())
    refused = may_admin(VIEW, "khôi phục", "restore")
    assert not refused and refused.message_en.startswith("You (xem) may only view")
    assert not may_change(VIEW, None, (_base(), []), _tree())
    assert not _change(VIEW)  # not even a version with the same content


def test_saving_a_new_plan_is_central() -> None:
    """Issue 21.3: a re-plan from today becomes the scenario's new plan only by a central
    editor or an admin; a provincial editor is refused with their scope, a viewer as one."""
    assert access.may_save_plan(CENTRAL) and access.may_save_plan(ADMIN_ID)
    assert access.may_save_plan(access.LOCAL)
    refused = access.may_save_plan(NINH_BINH)
    assert not refused
    assert refused.message_vi == f"{SCOPE_VI}; không được lưu kế hoạch mới của kịch bản."
    assert refused.message_en == f"{SCOPE_EN}; not save the scenario's new plan."
    viewer = access.may_save_plan(VIEW)
    assert not viewer and viewer.message_en.startswith("You (xem) may only view")


def test_record_actual_by_province() -> None:
    """Issue 21: actuals of one's own provinces' units only; central editors any unit."""
    tree = _tree()
    assert may_record_actual(NINH_BINH, "d369", tree)
    assert may_record_actual(NINH_BINH, "p37", tree)
    refused = may_record_actual(NINH_BINH, "d001", tree)
    assert not refused and refused.message_vi.startswith(SCOPE_VI)
    assert not may_record_actual(NINH_BINH, "no-such-unit", tree)
    assert may_record_actual(CENTRAL, "d001", tree)
    assert not may_admin(CENTRAL) and may_admin(ADMIN_ID)


# --- the store's gate -----------------------------------------------------------------------


def _store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "home").store


def test_store_commit_refuses_outside_the_scope_and_writes_nothing(tmp_path: Path) -> None:
    """Issue 21: the store checks the rights inside the write, against the newest version."""
    store = _store(tmp_path)
    head = scenarios.load(store, DEFAULT_DOCUMENT)
    check = access.change_check(NINH_BINH, _tree)
    with pytest.raises(AccessRefused) as refused:
        scenarios.commit(
            store, DEFAULT_DOCUMENT, head.number, head.base_text, head.base_name,
            [*head.sets, WINDOW], "nb", "edit", check=check,
        )  # fmt: skip
    assert SCOPE_EN in refused.value.one_line()
    assert scenarios.head(store, DEFAULT_DOCUMENT) == head.number
    saved = scenarios.commit(
        store, DEFAULT_DOCUMENT, head.number, head.base_text, head.base_name,
        [*head.sets, f"blackouts.ranges={NB_BLACKOUT}"], "nb", "edit", check=check,
    )  # fmt: skip
    assert saved.number == head.number + 1 and saved.author == "nb"
    with pytest.raises(AccessRefused):
        scenarios.create(store, "mine", head.base_text, head.base_name, [], "nb", "new", check)


# --- the roles file -------------------------------------------------------------------------

GOOD = """schema_version = 1

[[users]]
user = "nb@example.vn"
role = "province_editor"
provinces = [37]

[[users]]
user = "btc@example.vn"
role = "central_editor"
"""


def _roles(tmp_path: Path, text: str) -> dict[str, Identity]:
    path = tmp_path / "roles.toml"
    path.write_text(text, encoding="utf-8")
    return load_roles(path)


def test_roles_file_read(tmp_path: Path) -> None:
    """The roles file gives each user a role and provinces; others are viewers."""
    found = _roles(tmp_path, GOOD)
    assert found["nb@example.vn"] == Identity("nb@example.vn", PROVINCE_EDITOR, frozenset({37}))
    assert found["btc@example.vn"].role == CENTRAL_EDITOR
    assert access.identity_of("someone", found) == Identity("someone", VIEWER, source="unlisted")
    assert access.identity_of("  ", found).source == "missing"
    assert access.identity_of(None, found).role == VIEWER


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (GOOD.replace('"central_editor"', '"boss"'), 10, "users[1].role", "unknown role 'boss'"),
        (GOOD.replace("[37]", "[99]"), 6, "users[0].provinces", "no province has the code 99"),
        (GOOD.replace("[37]", '["p37"]'), 6, "users[0].provinces", "list of province codes"),
        (GOOD.replace("provinces = [37]\n", ""), None, "users[0].provinces", "needs provinces"),
        (GOOD + 'provinces = [1]\n', 11, "users[1].provinces", "only a provincial editor"),
        (GOOD.replace('user = "btc@example.vn"', 'user = "nb@example.vn"'), 9, "users[1].user",
         "listed twice"),
        (GOOD.replace("role = \"central_editor\"", "role = \"admin\"\nemail = 1"), 11,
         "users[1].email", "unknown key"),
        (GOOD.replace("[[users]]\nuser", "[[users]\nuser", 1), 3, None, "invalid TOML"),
        (GOOD.replace("schema_version = 1\n", ""), None, "schema_version", "missing"),
    ],
)  # fmt: skip
def test_bad_roles_files(
    tmp_path: Path, text: str, line: int | None, field: str | None, words: str
) -> None:
    """Issue 21: a bad roles file is refused with the file, the line, the field and the fix,
    in both languages, never a traceback."""
    with pytest.raises(DataFileError) as caught:
        _roles(tmp_path, text)
    error = caught.value
    assert error.file is not None and error.file.endswith("roles.toml")
    if line is not None:
        assert error.line == line
    assert error.field == field
    assert words in error.message_en
    assert error.message_vi and error.message_vi != error.message_en


def test_the_app_identity_fails_closed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 21: no PLANNER_AUTH is the local tool (every right); behind the proxy the header's
    user gets the roles file's rights, and a missing roles file, an unknown PLANNER_AUTH
    value or no header leave everyone a viewer; the typed display name is never asked."""
    from planner.ui import session

    monkeypatch.delenv("PLANNER_AUTH", raising=False)
    assert session.identity() == access.LOCAL
    monkeypatch.setattr(session, "_header_user", lambda: "nb@example.vn")
    monkeypatch.setattr(session, "browser_id", lambda: pytest.fail("display name asked"))
    monkeypatch.setenv("PLANNER_AUTH", "header")
    monkeypatch.delenv("PLANNER_ROLES", raising=False)
    assert session.identity().role == VIEWER
    path = tmp_path / "roles.toml"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("PLANNER_ROLES", str(path))
    assert session.identity() == Identity("nb@example.vn", PROVINCE_EDITOR, frozenset({37}))
    assert session.author() == "nb@example.vn"
    monkeypatch.setenv("PLANNER_AUTH", "yes")
    assert session.identity().role == VIEWER
    monkeypatch.setenv("PLANNER_AUTH", "header")
    monkeypatch.setattr(session, "_header_user", lambda: None)
    assert session.identity() == Identity("", VIEWER, source="missing")
