"""iCal feeds that real calendar clients can subscribe to (Google, Outlook, Apple, Thunderbird).

:func:`export_feeds` writes the catalogue (:mod:`planner.export.catalogue`: one feed per
audience, none over 1,000 events or 1 MB), ``index.json``, ``index.html`` and ``manifest.json``
as one transaction: the new folder is built beside the old one and swapped in
(:func:`planner.files.fsio.replace_folder`), so the feeds, the index and the manifest change
together
or not at all, and SEQUENCE (kept in the manifest) never goes down. VEVENTs only (Google shows
no VTODO); UIDs come from the scenario id and the event id, never from dates; DTSTAMP and
LAST-MODIFIED are derived from SEQUENCE, so two exports of the same plan are byte-identical and
an unchanged feed keeps its file (and its Last-Modified) from one export to the next.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.errors import PlannerError
from planner.files.fsio import FolderStage, published_path, replace_folder
from planner.scenario.model import Scenario
from planner.tree.hierarchy import OrgTree

from .catalogue import (
    MAX_BYTES,
    MAX_EVENTS,
    Feed,
    build_catalogue,
    recommended_sets,
    role_feeds,
    select,
)
from .events import FeedEvent, plan_events, sequence_lines
from .ics import END_CALENDAR, calendar_head, escape_text, fold, uid_for, vtimezone
from .index import INDEX_HTML, INDEX_JSON, build_index, render_html
from .lint import FeedLintError, lint_feed
from .manifest import MANIFEST, Manifest, advance, dump_manifest, read_manifest
from .steps import body_feeds

__all__ = [
    "ExportResult",
    "FeedLintError",
    "escape_text",
    "export_events",
    "export_feeds",
    "fold",
    "plan_events",
    "uid_for",
]

LINT_CHUNK = 1000  # events linted together (bounded memory)
_BASE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?(/[A-Za-z0-9._~%/-]*)?")


@dataclass
class ExportResult:
    """What an export wrote and how it changed since the previous one."""

    files: list[str]
    events: int
    added: list[str]
    removed: list[str]
    moved: list[tuple[str, str, str]]  # uid, old dates, new dates
    changed: list[str]
    retired: list[str] = field(default_factory=list)
    largest: tuple[str, int, int] = ("", 0, 0)  # file, octets, events (by octets)
    most_events: tuple[str, int, int] = ("", 0, 0)  # file, octets, events (by events)
    note: str | None = None

    def changelog(self) -> str:
        """Bilingual change log against the previous export."""
        lines = [
            f"{len(self.files)} lịch / feeds, {self.events} sự kiện / events; "
            f"thêm / added {len(self.added)}, bỏ / removed {len(self.removed)}, "
            f"dời / moved {len(self.moved)}, sửa nội dung / text changed {len(self.changed)}"
        ]
        if self.largest[0]:
            lines.append(
                f"lớn nhất / largest: {self.largest[0]} {self.largest[1]:,} B, "
                f"{self.largest[2]} sự kiện / events; nhiều sự kiện nhất / most events: "
                f"{self.most_events[0]} {self.most_events[2]} ({self.most_events[1]:,} B)"
            )
        if self.note:
            lines.append(self.note)
        if self.retired:
            shown = ", ".join(self.retired[:10]) + (" …" if len(self.retired) > 10 else "")
            lines.append(f"ngừng (để trống) / retired (now empty): {shown}")
        lines += [f"+ {u}" for u in self.added[:20]]
        lines += [f"- {u}" for u in self.removed[:20]]
        lines += [f"~ {u}: {old} → {new}" for u, old, new in self.moved[:50]]
        return "\n".join(lines)


def output_folder(out: str | Path) -> Path:
    """The real folder to export into; a file, or a non-empty folder that holds no feeds, is a
    bilingual error (the folder is replaced as a whole)."""
    if not str(out).strip():
        raise PlannerError(
            "thư mục xuất trống.",
            "the output folder is empty.",
            field="--out",
            hint_vi="Cho một thư mục, ví dụ --out feeds.",
            hint_en="Give a folder, e.g. --out feeds.",
        )
    path = published_path(Path(os.path.realpath(out)))  # the symlink, not its version
    if path.exists() and not path.is_dir():
        raise PlannerError(
            f"'{out}' là một tệp, không phải thư mục.",
            f"'{out}' is a file, not a folder.",
            field="--out",
            hint_vi="Cho một thư mục mới hoặc thư mục lịch đã xuất trước đây.",
            hint_en="Give a new folder, or one that holds feeds exported before.",
        )
    if path.is_dir():
        entries = list(path.iterdir())
        names = {p.name for p in entries}
        if names and not names & {MANIFEST, INDEX_JSON}:
            raise PlannerError(
                f"thư mục '{out}' không trống và không chứa lịch đã xuất (thiếu {MANIFEST}).",
                f"the folder '{out}' is not empty and holds no exported feeds (no {MANIFEST}).",
                field="--out",
                hint_vi="Thư mục xuất bị thay thế toàn bộ: chọn thư mục mới hoặc trống.",
                hint_en="The output folder is replaced as a whole: choose a new or empty one.",
            )
        subfolders = sorted(p.name for p in entries if p.is_dir())
        if subfolders:
            raise PlannerError(
                f"thư mục lịch chứa thư mục con '{subfolders[0]}'.",
                f"the feed folder holds a subfolder '{subfolders[0]}'.",
                field="--out",
                hint_vi="Chuyển nó ra ngoài: thư mục xuất được thay thế toàn bộ.",
                hint_en="Move it out: the output folder is replaced as a whole.",
            )
    return path


def _check_base_url(base_url: str | None) -> str | None:
    if base_url is None:
        return None
    if not _BASE_URL.fullmatch(base_url):
        raise PlannerError(
            f"địa chỉ gốc '{base_url[:80]}' không hợp lệ.",
            f"invalid base URL '{base_url[:80]}'.",
            field="--base-url",
            hint_vi="Ví dụ: https://lich.example.vn/feeds/",
            hint_en="For example: https://calendar.example.org/feeds/",
        )
    return base_url.rstrip("/") + "/"


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.blake2b(data, digest_size=9).digest()).decode()


def _head(scenario: Scenario, stem: str, name: str, about: str, base_url: str | None) -> bytes:
    return calendar_head(
        name,
        about,
        f"{base_url}{stem}.ics" if base_url else None,
    )


def _feed_head(scenario: Scenario, feed: Feed, base_url: str | None) -> bytes:
    about = (
        f"{feed.about_vi} Kịch bản: {scenario.name_vi} ({scenario.id}). Danh mục: index.html"
        f"\n\n{feed.about_en} Scenario: {scenario.name_en} ({scenario.id}). Catalogue: "
        "index.html"
    )
    return _head(scenario, feed.stem, f"{feed.title_vi} / {feed.title_en}", about, base_url)


def _retired(scenario: Scenario, name: str, base_url: str | None) -> bytes:
    """A retired feed: its header and one cancelled placeholder event that says why.

    A feed without events makes vdirsyncer stop ("completely emptied") and keep the old
    events (issue 19, F5); one cancelled event with a stable UID, dated on the first day of the
    horizon at SEQUENCE 0, is a valid calendar every client accepts, and its bytes never change.
    """
    stem = name.removesuffix(".ics")
    reason_vi = "Lịch này không còn sự kiện: danh mục đã đổi. Xem index.html để chọn lịch mới."
    reason_en = (
        "This feed holds no events any more: the catalogue changed. See index.html for the "
        "feeds to subscribe to now."
    )
    head = _head(
        scenario,
        stem,
        "Lịch đã ngừng, xem index.html / Retired feed, see index.html",
        f"{reason_vi}\n\n{reason_en}",
        base_url,
    )
    day = scenario.horizon.start
    start, end = f"{day:%Y%m%d}", f"{day + dt.timedelta(days=1):%Y%m%d}"
    first, last = sequence_lines(0)
    lines = [
        f"UID:{uid_for(scenario.id, f'retired:{stem}')}",
        f"DTSTART;VALUE=DATE:{start}",
        f"DTEND;VALUE=DATE:{end}",
        f"SUMMARY:{escape_text('Lịch đã ngừng / Retired feed')}",
        f"DESCRIPTION:{escape_text(f'{reason_vi}{chr(10) * 2}{reason_en}')}",
        "STATUS:CANCELLED",
        "TRANSP:TRANSPARENT",
    ]
    return head + first + b"".join(fold(line) for line in lines) + last + END_CALENDAR


class _Blocks:
    """The VEVENTs at their SEQUENCE, joined when a feed is written (never all held at once:
    50,000 events are 35 MB)."""

    def __init__(self, events: Sequence[FeedEvent], sequences: Sequence[int]) -> None:
        self.events = events
        self.lines = [sequence_lines(s) for s in sequences]
        self.sizes = [
            sum(map(len, e.parts)) + len(h) + len(t)
            for e, (h, t) in zip(events, self.lines, strict=True)
        ]

    def join(self, chosen: Iterable[int]) -> bytes:
        parts: list[bytes] = []
        for i in chosen:
            head, tail = self.lines[i]
            parts.append(head)
            parts += self.events[i].parts
            parts.append(tail)
        return b"".join(parts)


def _lint_events(blocks: _Blocks, previous: dict[str, int]) -> None:
    """Every VEVENT linted once (it is byte-identical in every feed that carries it)."""
    for first in range(0, len(blocks.sizes), LINT_CHUNK):
        chunk = blocks.join(range(first, min(first + LINT_CHUNK, len(blocks.sizes))))
        data = b"BEGIN:VCALENDAR\r\n" + vtimezone() + chunk + END_CALENDAR
        problems = lint_feed(data, "events", previous)
        if problems:
            raise FeedLintError("; ".join(problems[:10]))


def export_feeds(
    plan: pd.DataFrame,
    scenario: Scenario,
    tree: OrgTree,
    out: str | Path,
    scope: str = "all",
    base_url: str | None = None,
) -> ExportResult:
    """Write the feeds, the index and the manifest into ``out`` as one transaction."""
    output_folder(out)  # refuse a bad folder before any work
    return export_events(plan_events(plan, scenario, tree), scenario, tree, out, scope, base_url)


def export_events(
    events: list[FeedEvent],
    scenario: Scenario,
    tree: OrgTree,
    out: str | Path,
    scope: str = "all",
    base_url: str | None = None,
) -> ExportResult:
    """:func:`export_feeds` from the events of a plan (the caller may drop the plan first)."""
    target = output_folder(out)
    base_url = _check_base_url(base_url)
    seen: set[str] = set()
    for event in events:  # two events, or two ids with the same UID (":" → ".")
        if event.uid in seen:
            raise PlannerError(
                f"sự kiện '{event.event_id}' lặp lại.", f"event '{event.event_id}' appears twice."
            )
        seen.add(event.uid)
    del seen
    with replace_folder(target) as stage:
        previous = read_manifest(target, scenario.id) if target.is_dir() else None
        _check_previous(previous, scenario, scope, out)
        state, changes = advance(previous, events, scenario.id)
        before = previous.events if previous is not None else {}
        floors = {e.uid: before[e.event_id].sequence for e in events if e.event_id in before}
        old_feeds = previous.feeds if previous is not None else {}
        note = previous.note if previous is not None else None
        del previous, before  # nationwide, each state of 53,000 events is tens of MB
        blocks = _Blocks(events, [state[e.event_id].sequence for e in events])
        _lint_events(blocks, floors)
        catalogue = build_catalogue(
            events, blocks.sizes, tree, scenario.election_law.document, body_feeds(scenario)
        )
        chosen = select(catalogue, scope)
        sets = recommended_sets(catalogue, tree) if scope == "all" else []
        if sets:  # one combined feed per role, where it fits (F8)
            roles, sets = role_feeds(sets, catalogue, events, blocks.sizes, tree)
            chosen = [*chosen, *roles]
        digests, sizes = _write_feeds(stage, target, scenario, chosen, blocks, old_feeds, base_url)
        count = len(events)
        del events, blocks
        retired = _carry_over(stage, target, scenario, digests, old_feeds, base_url)
        index = build_index(scenario, chosen, sizes, sets, retired)
        stage.write(INDEX_JSON, (json.dumps(index, ensure_ascii=False, indent=1) + "\n").encode())
        stage.write(INDEX_HTML, render_html(index, base_url).encode("utf-8"))
        stage.write(MANIFEST, dump_manifest(scenario.id, scope, state, digests))

    def stats(feed: Feed | None) -> tuple[str, int, int]:
        return (feed.name, sizes[feed.name], len(feed.events)) if feed else ("", 0, 0)

    largest = max(chosen, key=lambda f: (sizes[f.name], f.name), default=None)
    most = max(chosen, key=lambda f: (len(f.events), f.name), default=None)
    return ExportResult(
        files=[f.name for f in chosen],
        events=count,
        added=changes.added,
        removed=changes.removed,
        moved=changes.moved,
        changed=changes.changed,
        retired=retired,
        largest=stats(largest),
        most_events=stats(most),
        note=note,
    )


def _write_feeds(
    stage: FolderStage,
    target: Path,
    scenario: Scenario,
    chosen: Sequence[Feed],
    blocks: _Blocks,
    old_feeds: dict[str, str],
    base_url: str | None,
) -> tuple[dict[str, str], dict[str, int]]:
    """Each feed assembled, checked and written (or carried over when its bytes are the same
    as in the previous export); returns the digests and sizes."""
    digests: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for feed in chosen:
        timed = any(blocks.events[i].timed for i in feed.events)
        head = _feed_head(scenario, feed, base_url) + (vtimezone() if timed else b"")
        data = head + blocks.join(feed.events) + END_CALENDAR
        _check_feed(feed, data, head + END_CALENDAR)
        digests[feed.name] = digest = _digest(data)
        sizes[feed.name] = len(data)
        if old_feeds.get(feed.name) == digest and (target / feed.name).is_file():
            stage.keep(feed.name, target / feed.name)
        else:
            stage.write(feed.name, data)
    return digests, sizes


def _check_previous(
    previous: Manifest | None, scenario: Scenario, scope: str, out: str | Path
) -> None:
    """One scenario and one scope per folder: anything else would replace every UID or empty
    the other feeds for their subscribers."""
    if previous is None:
        return
    if previous.scenario != scenario.id:
        raise PlannerError(
            f"thư mục '{out}' chứa lịch của kịch bản '{previous.scenario}', không phải "
            f"'{scenario.id}'.",
            f"the folder '{out}' holds the feeds of scenario '{previous.scenario}', not "
            f"'{scenario.id}'.",
            field="--out",
            hint_vi="Mỗi kịch bản một thư mục (UID khác nhau): chọn thư mục khác.",
            hint_en="One folder per scenario (their UIDs differ): choose another folder.",
        )
    if previous.feeds and previous.scope != scope:
        raise PlannerError(
            f"thư mục '{out}' chứa lịch phạm vi '{previous.scope}', không phải '{scope}'.",
            f"the folder '{out}' holds the feeds of scope '{previous.scope}', not '{scope}'.",
            field="--scope",
            hint_vi="Xuất phạm vi khác vào thư mục khác (nếu không các lịch kia sẽ bị làm trống).",
            hint_en="Export another scope into another folder (or the others would be emptied).",
        )


def _check_feed(feed: Feed, data: bytes, shell: bytes) -> None:
    """Refuse to write a feed over the client limits or with a bad header (its events' UIDs
    are unique: export_events checks them, and build_catalogue never repeats an event)."""
    problems = lint_feed(shell, feed.name)
    if len(feed.events) > MAX_EVENTS or len(data) > MAX_BYTES:
        problems.append(
            f"{feed.name}: {len(feed.events)} events, {len(data)} octets: over the limit of "
            f"{MAX_EVENTS} events and {MAX_BYTES} octets"
        )
    if problems:
        raise FeedLintError("; ".join(problems[:10]))


def _carry_over(
    stage: FolderStage,
    target: Path,
    scenario: Scenario,
    written: dict[str, str],
    old_feeds: dict[str, str],
    base_url: str | None,
) -> list[str]:
    """Feeds of the old folder that are not written again become empty (retired) feeds, so a
    subscription URL never breaks; other files (robots.txt, .htaccess) are carried over as they
    are.
    Returns the retired feeds; their digests are added to ``written``."""
    retired: list[str] = []
    if not target.is_dir():
        return retired
    for path in sorted(target.iterdir()):
        name = path.name
        if name in written or name in (MANIFEST, INDEX_JSON, INDEX_HTML):
            continue
        if not path.is_file():
            continue
        if name.endswith(".ics"):
            data = _retired(scenario, name, base_url)
            problems = lint_feed(data, name)
            if problems:
                raise FeedLintError("; ".join(problems))
            written[name] = digest = _digest(data)
            if old_feeds.get(name) == digest:
                stage.keep(name, path)
            else:
                stage.write(name, data)
            retired.append(name)
        else:
            stage.keep(name, path)
    return retired
