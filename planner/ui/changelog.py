"""Changes in the page's language (see :mod:`planner.store.changes`), and what each saved version
says it did: a third-person verb phrase stored as ``Tiếng Việt / English`` summary, so History
reads "Trần Thị Bình giữ bản của mình khi xung đột với v8; hoàn tác: …"."""

from __future__ import annotations

from collections.abc import Sequence

from planner.errors import PlannerError
from planner.store import scenarios
from planner.store.changes import BASE_FILE, Change, Content, diff, in_force, line, lines
from planner.store.db import Store
from planner.store.scenarios import Version, changed_keys
from planner.ui.session import lang, t
from planner.ui.state import WorkingScenario
from planner.ui.words import either

# what a version did, third person: (Vietnamese, English) with {n} a version, {file} a file
ACTIONS: dict[str, tuple[str, str]] = {
    "edit": ("đổi", "changed"),
    "keep_mine": (
        "giữ bản của mình khi xung đột với v{n}",
        "kept their own version in a conflict with v{n}",
    ),
    "merge": ("gộp thay đổi của mình với v{n}", "merged their change with v{n}"),
    "restore": ("khôi phục v{n}", "restored v{n}"),
    "undo": ("quay về nội dung v{n}", "went back to the content of v{n}"),
    "upload": ("tải lên {file}", "uploaded {file}"),
    "reset": ("về kịch bản gốc", "went back to the built-in scenario"),
    "retry": ("lưu lại sau lỗi", "saved again after an error"),
    "still_valid": ("khôi phục phần còn hợp lệ", "restored what still validates"),
}


def action(kind: str, n: int | None = None, file: str = "") -> str:
    """A version's stored summary: the verb phrase in both languages."""
    vi, en = ACTIONS[kind]
    return f"{vi.format(n=n, file=file)} / {en.format(n=n, file=file)}"


def content(version: Version) -> Content:
    """A stored version's content."""
    return Content.of(version.base_text, version.base_name, version.sets)


def described(changes: Sequence[Change], who: bool = True) -> str:
    """Changes in the page's language: "label: old → new (who)", "; " between them."""
    return lines(changes, lang(), who)


def between(store: Store, name: str, before: Version, after: Version) -> list[Change]:
    """What changed from one version of a document to a later one, with who changed each key
    (the last version between them that changed it)."""
    who = {}
    if before.scenario == after.scenario == name and before.number < after.number:
        authors = scenarios.key_authors(store, name, after.number, before.number)
        who = {key: author for key, (author, _) in authors.items()}
        if before.base_text != after.base_text:
            who[BASE_FILE] = after.author
    return diff(content(before), content(after), who)


def _action_text(version: Version) -> str:
    """The stored summary as a verb phrase (summaries of older releases were raw changes)."""
    if " / " in version.summary and "=" not in version.summary:
        return either(version.summary)
    return t("đổi", "changed")


def history_line(store: Store, version: Version, previous: Version | None) -> str:
    """A History entry in the third person: who did what, and each change relative to the
    version that was the latest then (what a restore or "keep mine" undid is named so)."""
    who = either(version.author)
    if previous is None:
        return f"{who} " + t("tạo kịch bản: ", "created the scenario: ") + either(version.summary)
    changes = diff(content(previous), content(version))
    head = f"{who} {_action_text(version)}"
    if version.parent is None or version.parent == previous.number:
        return f"{head}: {described(changes, who=False)}"
    undone_keys = {BASE_FILE}
    try:  # the keys changed after the version it derives from: bringing them back undoes them
        origin = scenarios.load(store, version.scenario, version.parent)
        undone_keys |= changed_keys(origin.sets, previous.sets)
        if origin.base_text != previous.base_text:
            undone_keys |= {c.key for c in changes}
    except PlannerError:
        undone_keys |= {c.key for c in changes}
    undone = [c for c in changes if c.key in undone_keys]
    others = [c for c in changes if c.key not in undone_keys]
    parts = [head]
    if undone or not others:
        parts.append(t("hoàn tác: ", "undid: ") + described(undone, who=False))
    if others:
        parts.append(t("đổi: ", "changed: ") + described(others, who=False))
    return "; ".join(parts)


def saved_text(store: Store, name: str, number: int) -> str:
    """What a just-saved version changed relative to the version before it, in words; more
    than an edit (a restore, a kept or merged conflict) reads as its History entry."""
    try:
        version = scenarios.load(store, name, number)
        previous = scenarios.load(store, name, number - 1) if number > 1 else None
    except PlannerError:
        return ""
    if previous is None:
        return either(version.summary)
    if version.summary == action("edit"):
        return described(diff(content(previous), content(version)), who=False)
    return history_line(store, version, previous)


def unsaved_changes(store: Store, state: WorkingScenario) -> list[Change]:
    """What a session's edit that is not saved changes in the version it was opened at."""
    held = Content.of(state.base_text, state.base_name, state.sets)
    try:
        return diff(content(scenarios.load(store, state.document, state.version)), held)
    except PlannerError:
        return diff(Content.of(state.base_text, state.base_name, ()), held)


def changes_in_force(store: Store, state: WorkingScenario) -> list[str]:
    """Each change the working copy makes to its base file, in words, with who made it (the
    last saved version that changed the key; "you" for an edit not saved yet)."""
    held = Content.of(state.base_text, state.base_name, state.sets)
    authors = scenarios.key_authors(store, state.document, state.version)
    who = {key: either(author) for key, (author, _) in authors.items()}
    if not state.saved:
        try:
            saved = scenarios.load(store, state.document, state.version)
            mine = changed_keys(saved.sets, state.sets)
        except PlannerError:
            mine = set(who)
        who.update(dict.fromkeys(mine, t("bạn, chưa lưu", "you, not saved")))
    return [line(c, lang()) for c in in_force(held, who)]


def compared(store: Store, a: Version, b: Version) -> str:
    """Compare's list of what B changes relative to A, one change a line, in words, with who
    changed each key when B is a later version of the same document."""
    changes = between(store, a.scenario, a, b)
    if not changes:
        return t("Không có thay đổi nào.", "No changes.")  # never a bare "None" (issue 22)
    return "\n".join(f"- {line(c, lang())}" for c in changes)
