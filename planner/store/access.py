"""Who may change what: identities from a trusted proxy, rights from a roles file (issue 21).

Pure functions, no Streamlit: the app (:mod:`planner.ui.session`) builds an :class:`Identity`
from the proxy's header and the roles file (``PLANNER_ROLES``), and every write asks here first;
the store's :func:`planner.store.scenarios.commit` runs the same check again inside its write
(:func:`change_check`), against the version it really writes on top of.

Roles, from least to most:

- ``viewer``: reads everything, changes nothing.
- ``province_editor`` of given provinces (by code, ``provinces = [37]``): the actuals of their
  provinces' units (:func:`may_record_actual`) and the scenario keys that are local to a
  province (:data:`LOCAL_KEYS`): blackouts limited to their provinces
  (``blackouts.ranges`` entries with ``provinces = [37]``) and the fixed and preferred dates of
  their units (``pins``, ``preferred``: ``org`` in their provinces). Every other key of
  :mod:`planner.scenario.schema` is national (windows, capacities, gaps, the election, families,
  pilots, congress kinds, the provinces a level is planned in).
- ``central_editor``: every scenario key, and every unit's actuals.
- ``admin``: everything, including replacing the base file (uploads, reset), restoring a
  version from the History or a kept-aside file, and new documents.
"""

from __future__ import annotations

import copy
import csv
import json
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.errors import DataFileError, PlannerError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.scenario.schema import label
from planner.tree.hierarchy import OrgTree

VIEWER, PROVINCE_EDITOR, CENTRAL_EDITOR, ADMIN = (
    "viewer",
    "province_editor",
    "central_editor",
    "admin",
)
ROLES = (VIEWER, PROVINCE_EDITOR, CENTRAL_EDITOR, ADMIN)
# The scenario keys a provincial editor may change, and what makes an entry local: the
# ``provinces`` list of a blackout, the ``org`` of a fixed or preferred date.
LOCAL_KEYS: dict[str, str] = {"blackouts.ranges": "provinces", "pins": "org", "preferred": "org"}
MAX_ROLES_BYTES = 1 << 20
MAX_USER = 200


@dataclass(frozen=True)
class Identity:
    """Who is working: the authenticated user, their role and (for a provincial editor) the
    province codes they may edit. ``source`` says where it came from: ``local`` (no proxy),
    ``header`` (listed in the roles file), ``unlisted`` (authenticated, not in the file) or
    ``missing`` (no user header)."""

    user: str
    role: str
    provinces: frozenset[int] = field(default_factory=frozenset)
    source: str = "header"


LOCAL = Identity("", ADMIN, source="local")  # the single-user local tool: every right


@dataclass(frozen=True)
class Decision:
    """The answer to a check: allowed, or refused with a bilingual message naming the scope."""

    allowed: bool
    message_vi: str = ""
    message_en: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def text(self) -> str:
        """``vi / en`` on one line."""
        return f"{self.message_vi} / {self.message_en}"


ALLOWED = Decision(True)


class AccessRefused(PlannerError):
    """A write refused because it is outside the user's rights."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.message_vi, decision.message_en, field="access")
        self.decision = decision


# ---------------------------------------------------------------------------------------------
# Province names
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _province_names(folder: str) -> dict[int, str]:
    """Every province code of either era's tree, with its short name."""
    names: dict[int, str] = {}
    with (Path(folder) / "orgs" / "provinces.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names[int(row["code"])] = row["province"]
    units = Path(folder) / "orgs" / "2025" / "units.csv"
    if units.exists():
        with units.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["level"] == "province":
                    code = int(row["code"])
                    short = row["name"].removeprefix("Thành phố ").removeprefix("Tỉnh ")
                    names.setdefault(code, short)
    return names


def province_names() -> dict[int, str]:
    """Province code → short Vietnamese name (``37`` → ``Ninh Bình``)."""
    return _province_names(str(data_dir()))


def scope_text(identity: Identity) -> tuple[str, str]:
    """The provinces an editor may edit, as ``Ninh Bình (p37)``, in both languages."""
    names = province_names()
    each = [(names.get(c, str(c)), f"(p{c:02d})") for c in sorted(identity.provinces)]
    if len(each) == 1:
        name, code = each[0]
        return f"tỉnh {name} {code}", f"{name} province {code}"
    joined = ", ".join(f"{name} {code}" for name, code in each)
    return f"các tỉnh {joined}", f"the provinces {joined}"


def _scope_sentence(identity: Identity) -> tuple[str, str]:
    vi, en = scope_text(identity)
    return f"Bạn chỉ được sửa các đơn vị của {vi}", f"You may only edit units of {en}"


def _refuse(identity: Identity, what_vi: str, what_en: str) -> Decision:
    """A refusal naming the user's scope, then what they tried."""
    who = identity.user or "?"
    if identity.role == VIEWER:
        vi = f"Bạn ({who}) chỉ có quyền xem"
        en = f"You ({who}) may only view"
    elif identity.role == PROVINCE_EDITOR:
        vi, en = _scope_sentence(identity)
    else:
        vi = f"Chỉ quản trị viên mới được {what_vi}"
        en = f"Only an administrator may {what_en}"
        return Decision(False, vi + ".", en + ".")
    return Decision(False, f"{vi}; không được {what_vi}.", f"{en}; not {what_en}.")


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def may_admin(
    identity: Identity, what_vi: str = "làm việc này", what_en: str = "do this"
) -> Decision:
    """Restoring versions, documents, uploads, a new base file: administrators only."""
    if identity.role == ADMIN:
        return ALLOWED
    return _refuse(identity, what_vi, what_en)


def may_save_plan(identity: Identity) -> Decision:
    """Saving a plan as the scenario's new version (a re-plan from today, issue 21): a
    national decision, for central editors and admins."""
    if identity.role in (CENTRAL_EDITOR, ADMIN):
        return ALLOWED
    return _refuse(identity, "lưu kế hoạch mới của kịch bản", "save the scenario's new plan")


def _org_province(org_id: Any, tree: OrgTree | None) -> int | None:
    if tree is None or not isinstance(org_id, str) or org_id not in tree:
        return None
    return tree.get(org_id).province_code


def may_record_actual(identity: Identity, org_id: str, tree: OrgTree) -> Decision:
    """Recording a unit's actual dates: central editors and admins for any unit, a provincial
    editor for the units of their provinces."""
    if identity.role in (CENTRAL_EDITOR, ADMIN):
        return ALLOWED
    if identity.role == PROVINCE_EDITOR and _org_province(org_id, tree) in identity.provinces:
        return ALLOWED
    return _refuse(identity, f"ghi kết quả của {org_id}", f"record the actuals of {org_id}")


def _entry_local(identity: Identity, key: str, entry: Any, tree: OrgTree | None) -> bool:
    """Whether one entry of a local key concerns only the identity's provinces."""
    if not isinstance(entry, Mapping):
        return False
    if LOCAL_KEYS[key] == "provinces":
        codes = entry.get("provinces")
        return (
            isinstance(codes, list)
            and bool(codes)
            and all(isinstance(c, int) and c in identity.provinces for c in codes)
        )
    return _org_province(entry.get("org"), tree) in identity.provinces


def _entries(value: Any) -> dict[str, Any]:
    items = value if isinstance(value, list) else ([] if value is None else [value])
    return {json.dumps(e, sort_keys=True, default=str, ensure_ascii=False): e for e in items}


def may_edit_key(
    identity: Identity, key: str, value: Any, old: Any = None, tree: OrgTree | None = None
) -> Decision:
    """Changing one scenario key from ``old`` to ``value``: central editors and admins any key;
    a provincial editor only a local key (:data:`LOCAL_KEYS`), and only entries of their own
    provinces (each entry added, removed or changed; ``tree`` places a unit in its province)."""
    if identity.role in (CENTRAL_EDITOR, ADMIN):
        return ALLOWED
    name_vi, name_en = label(key)
    if identity.role != PROVINCE_EDITOR or key not in LOCAL_KEYS:
        national_vi = ", thiết lập toàn quốc" if identity.role == PROVINCE_EDITOR else ""
        national_en = ", a national setting" if identity.role == PROVINCE_EDITOR else ""
        return _refuse(
            identity,
            f"đổi «{name_vi}» ({key}{national_vi})",
            f"change “{name_en}” ({key}{national_en})",
        )
    before, after = _entries(old), _entries(value)
    touched = [after[k] for k in after.keys() - before.keys()]
    touched += [before[k] for k in before.keys() - after.keys()]
    for entry in touched:
        if not _entry_local(identity, key, entry, tree):
            shown = json.dumps(entry, ensure_ascii=False, default=str)[:120]
            return _refuse(identity, f"đổi «{key}» {shown}", f"change “{key}” {shown}")
    return ALLOWED


def _value_at(raw: Mapping[str, Any], key: str) -> Any:
    node: Any = raw
    for part in key.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def _effective(base_text: str, sets: Sequence[str]) -> dict[str, Any]:
    from planner.scenario.reader import apply_set

    raw = tomllib.loads(base_text)
    for item in sets:
        apply_set(raw, item)
    return copy.deepcopy(raw)


def may_change(
    identity: Identity,
    before: tuple[str, Sequence[str]] | None,
    after: tuple[str, Sequence[str]],
    tree: OrgTree | None = None,
) -> Decision:
    """A new version's content (base text, changes) on top of ``before`` (None: a new
    document): a new base file needs an administrator; each changed key is checked with
    :func:`may_edit_key` against its value before."""
    from planner.store.scenarios import changed_keys

    if identity.role == ADMIN:
        return ALLOWED
    if before is None:
        return may_admin(identity, "tạo kịch bản mới", "create a scenario")
    if before[0] != after[0]:
        return may_admin(identity, "thay tệp gốc của kịch bản", "replace the scenario's base file")
    if identity.role == VIEWER:
        return _refuse(identity, "lưu phiên bản", "save a version")
    keys = changed_keys(before[1], after[1])
    if identity.role == CENTRAL_EDITOR or not keys:
        return ALLOWED
    try:
        old_raw, new_raw = _effective(*before), _effective(*after)
    except (tomllib.TOMLDecodeError, PlannerError, RecursionError):
        return _refuse(identity, "lưu nội dung không đọc được", "save unreadable content")
    for key in sorted(keys):
        found = may_edit_key(identity, key, _value_at(new_raw, key), _value_at(old_raw, key), tree)
        if not found:
            return found
    return ALLOWED


ChangeCheck = Callable[[tuple[str, Sequence[str]] | None, tuple[str, Sequence[str]]], None]


def change_check(identity: Identity, tree: Callable[[], OrgTree | None]) -> ChangeCheck:
    """The check the store runs inside a commit (raises :class:`AccessRefused`); ``tree`` is
    asked only when a local key's entries must be placed in their provinces."""

    def check(before: tuple[str, Sequence[str]] | None, after: tuple[str, Sequence[str]]) -> None:
        if identity.role == ADMIN:
            return
        needs_tree = identity.role == PROVINCE_EDITOR
        found = may_change(identity, before, after, tree() if needs_tree else None)
        if not found:
            raise AccessRefused(found)

    return check


# ---------------------------------------------------------------------------------------------
# The roles file
# ---------------------------------------------------------------------------------------------


def _bad(shown: str, text: str, index: int, name: str, vi: str, en: str) -> DataFileError:
    """An error at the ``index``-th ``[[users]]`` table (its line found in the text)."""
    line, start = None, 1
    for _ in range(index + 1):
        line = line_of(text, "[[users]]", start)
        start = (line or 0) + 1
    if line is not None and name:
        line = line_of(text, f"{name} =", line) or line_of(text, f"{name}=", line) or line
    return DataFileError(
        vi,
        en,
        file=shown,
        line=line,
        field=f"users[{index}].{name}" if name else f"users[{index}]",
        hint_vi=f"Vai trò: {', '.join(ROLES)}; tỉnh theo mã, ví dụ provinces = [37].",
        hint_en=f"Roles: {', '.join(ROLES)}; provinces by code, e.g. provinces = [37].",
    )


def _one_user(shown: str, text: str, index: int, entry: Any) -> Identity:
    if not isinstance(entry, dict):
        raise _bad(shown, text, index, "", "mục không phải bảng.", "the entry is not a table.")
    unknown = sorted(set(entry) - {"user", "role", "provinces"})
    if unknown:
        raise _bad(
            shown,
            text,
            index,
            unknown[0],
            f"khóa lạ «{unknown[0]}».",
            f"unknown key “{unknown[0]}”.",
        )
    user = entry.get("user")
    if not isinstance(user, str) or not user.strip() or len(user) > MAX_USER:
        raise _bad(
            shown,
            text,
            index,
            "user",
            "thiếu tên người dùng (user).",
            "the user name (user) is missing.",
        )
    role = entry.get("role")
    if role not in ROLES:
        raise _bad(
            shown,
            text,
            index,
            "role",
            f"vai trò lạ {role!r} của {user}.",
            f"unknown role {role!r} for {user}.",
        )
    codes = entry.get("provinces", [])
    known = province_names()
    if not isinstance(codes, list) or not all(isinstance(c, int) for c in codes):
        raise _bad(
            shown,
            text,
            index,
            "provinces",
            "provinces phải là danh sách mã tỉnh.",
            "provinces must be a list of province codes.",
        )
    wrong = [c for c in codes if c not in known]
    if wrong:
        raise _bad(
            shown,
            text,
            index,
            "provinces",
            f"không có tỉnh mã {wrong[0]}.",
            f"no province has the code {wrong[0]}.",
        )
    if (role == PROVINCE_EDITOR) != bool(codes):
        vi = (
            "biên tập viên cấp tỉnh cần provinces"
            if codes == []
            else "chỉ biên tập viên cấp tỉnh có provinces"
        )
        en = (
            "a provincial editor needs provinces"
            if codes == []
            else "only a provincial editor has provinces"
        )
        raise _bad(shown, text, index, "provinces", vi + ".", en + ".")
    return Identity(user.strip(), role, frozenset(codes))


def load_roles(path: Path) -> dict[str, Identity]:
    """The roles file: ``[[users]]`` tables of ``user``, ``role`` and (provincial editors)
    ``provinces``; every mistake is a bilingual error with the file, line and field."""
    doc, text = read_toml(path, MAX_ROLES_BYTES)
    shown = display_path(path)
    unknown = sorted(set(doc) - {"schema_version", "users"})
    if unknown:
        raise DataFileError(
            f"khóa lạ «{unknown[0]}».",
            f"unknown key “{unknown[0]}”.",
            file=shown,
            line=line_of(text, unknown[0]),
            field=unknown[0],
        )
    users = doc.get("users", [])
    if not isinstance(users, list):
        raise DataFileError(
            "users phải là [[users]].", "users must be [[users]] tables.", file=shown, field="users"
        )
    out: dict[str, Identity] = {}
    for index, entry in enumerate(users):
        found = _one_user(shown, text, index, entry)
        if found.user in out:
            raise _bad(
                shown,
                text,
                index,
                "user",
                f"{found.user} có hai lần.",
                f"{found.user} is listed twice.",
            )
        out[found.user] = found
    return out


def identity_of(user: str | None, roles: Mapping[str, Identity]) -> Identity:
    """The identity of an authenticated user: their entry, else a viewer (``unlisted``); no
    user at all (the header missing or empty) is a viewer too (``missing``)."""
    name = (user or "").strip()[:MAX_USER]
    if not name:
        return Identity("", VIEWER, source="missing")
    return roles.get(name) or Identity(name, VIEWER, source="unlisted")
