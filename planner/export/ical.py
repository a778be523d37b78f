"""iCal feeds that real calendar clients can subscribe to (Google, Outlook, Apple, Thunderbird).

One ``.ics`` per audience: the national overview, one per central-level committee, one per level,
and the election timetable alone; plus ``index.json`` and ``index.html``. VEVENTs only (Google
shows no VTODO). UIDs come from the scenario id and the event id, never from dates; a small
``manifest.json`` beside the feeds raises SEQUENCE whenever an event's dates or text change and
keeps it for events that leave the plan; DTSTAMP and LAST-MODIFIED are derived from SEQUENCE,
so two exports of the same plan are byte-identical (DESIGN §3, iCal client quirks).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from icalendar import Calendar, Event

from planner.calendar import TIMEZONE
from planner.errors import PlannerError
from planner.export.lint import FeedLintError, lint_feed
from planner.hierarchy import Level, OrgTree
from planner.names import level_label
from planner.scenario import Scenario
from planner.timetable import TimetableRow, election_timetable

PRODID = "-//planner//Vietnam 2020-2021 congress and election planner//VI"
STAMP_BASE = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
REFRESH = dt.timedelta(hours=12)
VN = ZoneInfo(TIMEZONE)


@dataclass
class Item:
    """One event ready for the feeds."""

    event_id: str
    uid: str
    summary: str
    description: str
    start: dt.date
    end: dt.date
    kind: str
    level: str | None = None
    org_id: str | None = None
    central: str | None = None
    related: str | None = None
    timed: tuple[str, str] | None = None  # ("07:00", "19:00") for election day
    categories: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        """What a subscriber sees; a change raises SEQUENCE."""
        payload = json.dumps(
            [self.summary, self.description, str(self.start), str(self.end), self.timed],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def uid_for(scenario_id: str, event_id: str) -> str:
    """Stable UID: scenario id and event id (never dates)."""
    return f"{scenario_id}.{event_id.replace(':', '.')}@planner"


def _d(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


def _step_text(row: TimetableRow) -> tuple[str, str]:
    when_vi, when_en = "", ""
    if row.kind == "deadline":
        when_vi = f"Hạn chót: {row.rule}" + (f", {row.time}" if row.time else "")
        when_en = f"Deadline: {row.rule}" + (f", {row.time}" if row.time else "")
    elif row.kind == "window":
        when_vi = f"Khoảng thời gian: {row.rule}"
        when_en = f"Period: {row.rule}"
    elif row.kind == "instant":
        span = f" {row.time}–{row.end_time}" if row.time and row.end_time else ""
        when_vi, when_en = f"Ngày: {row.rule}{span}", f"On: {row.rule}{span}"
    return when_vi, when_en


def plan_items(plan: pd.DataFrame, scenario: Scenario, tree: OrgTree) -> list[Item]:
    """Turn a plan into feed events with bilingual text, sources and relations."""
    items: list[Item] = []
    voting = plan[plan["event_id"] == "election:el.voting"]
    election_day = _d(voting.iloc[0]["start"]) if len(voting) else scenario.election_day
    steps = (
        {r.step_id: r for r in election_timetable(election_day, scenario.election_law)}
        if election_day is not None
        else {}
    )
    labels = {lv.value: level_label(lv.value) for lv in Level}
    sources: dict[str, str] = {}
    for rules in scenario.rulesets.values():
        for each in rules:
            sources[each.id] = each.source.cite()
    central_of: dict[str, str | None] = {}

    def central(org_id: str) -> str | None:
        if org_id not in central_of:
            org = tree.get(org_id)
            if org.level == Level.CENTRAL:
                central_of[org_id] = org_id
            elif org.parent_id is None:
                central_of[org_id] = None
            else:
                central_of[org_id] = central(org.parent_id)
        return central_of[org_id]

    for row in plan.itertuples(index=False):
        start, end = _d(row.start), _d(row.end)
        if start is None or end is None:
            continue  # undated statutory steps have no calendar entry
        event_id = str(row.event_id)
        kind = str(row.kind)
        uid = uid_for(scenario.id, event_id)
        if kind == "congress":
            org = tree.get(str(row.org_id))
            label = labels[org.level.value]
            rule = scenario.levels[org.level].duration_rule or ""
            source = sources.get(rule, "")
            parent = org.parent_id
            items.append(
                Item(
                    event_id=event_id,
                    uid=uid,
                    summary=f"Đại hội {org.name_vi} / Congress: {org.name_en}",
                    description=(
                        f"Đại hội {org.name_vi} ({label.vi}), {start:%d/%m/%Y}–{end:%d/%m/%Y}.\n"
                        f"Quy tắc: {rule}. Nguồn: {source}\n\n"
                        f"Congress of the {org.name_en} ({label.en}), {start} – {end}.\n"
                        f"Rule: {rule}. Source: {source}"
                    ),
                    start=start,
                    end=end,
                    kind=kind,
                    level=org.level.value,
                    org_id=org.org_id,
                    central=central(org.org_id),
                    related=uid_for(scenario.id, f"congress:{parent}") if parent else None,
                    categories=[label.vi, "Đại hội / Congress"],
                )
            )
        elif kind == "election_step":
            step_id = event_id.removeprefix("election:")
            step = steps.get(step_id)
            when_vi, when_en = _step_text(step) if step else ("", "")
            source = step.source.cite() if step else str(row.source or "")
            timed = None
            if step is not None and step_id == "el.voting":
                timed = (step.time or "07:00", step.end_time or "19:00")
            items.append(
                Item(
                    event_id=event_id,
                    uid=uid,
                    summary=f"{row.name_vi} / {row.name_en}",
                    description=(
                        f"{row.name_vi}. {when_vi}.\nNguồn: {source}\n\n"
                        f"{row.name_en}. {when_en}.\nSource: {source}"
                    ),
                    start=start,
                    end=end,
                    kind=kind,
                    timed=timed,
                    categories=["Bầu cử / Election", str(row.rule or "")],
                )
            )
        elif kind == "plenum":
            items.append(
                Item(
                    event_id=event_id,
                    uid=uid,
                    summary=f"{row.name_vi} / {row.name_en}",
                    description=(
                        f"{row.name_vi}\nNguồn: {row.source}\n\n{row.name_en}\nSource: {row.source}"
                    ),
                    start=start,
                    end=end,
                    kind=kind,
                    categories=["Hội nghị Trung ương / Plenum"],
                )
            )
    return items


def _feeds(items: list[Item], tree: OrgTree) -> dict[str, tuple[str, str, list[Item]]]:
    """file name → (name_vi, name_en, events) for every audience."""
    election = [i for i in items if i.kind == "election_step"]
    plenums = [i for i in items if i.kind == "plenum"]
    congress = [i for i in items if i.kind == "congress"]
    feeds: dict[str, tuple[str, str, list[Item]]] = {
        "overview.ics": (
            "Tổng quan: Đại hội XIII, đại hội cấp tỉnh, bầu cử 2021",
            "Overview: 13th Congress, provincial congresses, 2021 election",
            [i for i in congress if i.level in ("national", "central")] + plenums + election,
        ),
        "election.ics": ("Lịch bầu cử theo luật", "Statutory election timetable", election),
    }
    for level in ("national", "central", "district", "grassroots"):
        chosen = [i for i in congress if i.level == level]
        if chosen:
            label = level_label(level)
            feeds[f"level-{level}.ics"] = (
                f"Đại hội cấp: {label.vi}",
                f"Congresses: {label.en}",
                chosen,
            )
    for central in sorted({i.central for i in congress if i.central}):
        org = tree.get(central)
        chosen = [
            i for i in congress if i.central == central and i.level in ("central", "district")
        ]
        feeds[f"central-{central}.ics"] = (
            f"{org.name_vi}: đại hội và bầu cử",
            f"{org.name_en}: congresses and election",
            chosen + election,
        )
    return feeds


def _select(feeds: dict[str, Any], scope: str) -> dict[str, Any]:
    if scope == "all":
        return feeds
    if scope == "election":
        wanted = "election.ics"
    elif scope.startswith("level:"):
        wanted = f"level-{scope.split(':', 1)[1]}.ics"
    elif scope.startswith("org:"):
        wanted = f"central-{scope.split(':', 1)[1]}.ics"
    else:
        raise PlannerError(
            f"phạm vi '{scope}' không hợp lệ.",
            f"unknown scope '{scope}'.",
            field="--scope",
            hint_vi="Dùng all, election, level:central, org:p37.",
            hint_en="Use all, election, level:central, org:p37.",
        )
    if wanted not in feeds:
        raise PlannerError(
            f"không có lịch cho phạm vi '{scope}'.",
            f"no feed for scope '{scope}'.",
            field="--scope",
            hint_vi=f"Có: {', '.join(sorted(feeds))}.",
            hint_en=f"Available: {', '.join(sorted(feeds))}.",
        )
    return {wanted: feeds[wanted]}


def escape_text(value: str) -> str:
    """RFC 5545 TEXT escaping: backslash, semicolon, comma and newline."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> bytes:
    """One content line as CRLF-terminated octets folded at 75, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return data + b"\r\n"
    parts = []
    start, limit = 0, 75
    while start < len(data):
        cut = min(start + limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # inside a multi-byte character
            cut -= 1
        parts.append(data[start:cut])
        start, limit = cut, 74  # continuation lines start with a space
    return b"\r\n ".join(parts) + b"\r\n"


def _stamp(sequence: int) -> str:
    return (STAMP_BASE + dt.timedelta(minutes=sequence)).strftime("%Y%m%dT%H%M%SZ")


def event_block(item: Item, sequence: int) -> bytes:
    """The VEVENT of one item, serialised directly (icalendar's folding is too slow at 50,000
    events; the lint and three independent parsers check the result)."""
    if item.timed is not None:
        day = item.start.strftime("%Y%m%d")
        start = f"DTSTART;TZID={TIMEZONE}:{day}T{item.timed[0].replace(':', '')}00"
        end = f"DTEND;TZID={TIMEZONE}:{day}T{item.timed[1].replace(':', '')}00"
    else:
        start = f"DTSTART;VALUE=DATE:{item.start:%Y%m%d}"
        end = f"DTEND;VALUE=DATE:{item.end + dt.timedelta(days=1):%Y%m%d}"  # exclusive
    stamp = _stamp(sequence)
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{escape_text(item.summary)}",
        start,
        end,
        f"DTSTAMP:{stamp}",
        f"UID:{item.uid}",
        f"SEQUENCE:{sequence}",
    ]
    categories = [escape_text(c) for c in item.categories if c]
    if categories:
        lines.append("CATEGORIES:" + ",".join(categories))
    lines.append(f"DESCRIPTION:{escape_text(item.description)}")
    lines.append(f"LAST-MODIFIED:{stamp}")
    if item.related:
        lines.append(f"RELATED-TO:{item.related}")
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return b"".join(fold(line) for line in lines)


_VTIMEZONE: bytes | None = None


def _vtimezone() -> bytes:
    """The Asia/Ho_Chi_Minh VTIMEZONE block, built once by icalendar."""
    global _VTIMEZONE
    if _VTIMEZONE is None:
        probe = Calendar.new(prodid=PRODID, uid="tz@planner")
        moment = dt.datetime(2021, 5, 23, 7, 0, tzinfo=VN)
        probe.add_component(
            Event.new(uid="probe@planner", stamp=STAMP_BASE, start=moment, end=moment)
        )
        probe.add_missing_timezones()
        _VTIMEZONE = b"".join(tz.to_ical() for tz in probe.walk("VTIMEZONE"))
    return _VTIMEZONE


def _calendar(
    feed_id: str,
    name_vi: str,
    name_en: str,
    items: Iterable[Item],
    blocks: dict[str, bytes],
) -> bytes:
    """A feed: the calendar header, the VTIMEZONE when a timed event needs it, the events.

    Each event is serialised once (it may appear in many feeds) and spliced in.
    """
    calendar = Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=f"{name_vi} / {name_en}",
        refresh_interval=REFRESH,
        uid=f"{feed_id}@planner",
    )
    calendar.add("X-WR-TIMEZONE", TIMEZONE)
    calendar.add("X-PUBLISHED-TTL", "PT12H")
    head: bytes = calendar.to_ical()
    assert head.endswith(b"END:VCALENDAR\r\n")
    chosen = sorted(items, key=lambda i: (i.start, i.event_id))
    body = [blocks[i.uid] for i in chosen]
    tz = _vtimezone() if any(i.timed for i in chosen) else b""
    return head[: -len(b"END:VCALENDAR\r\n")] + tz + b"".join(body) + b"END:VCALENDAR\r\n"


@dataclass
class ExportResult:
    """What an export wrote and how it changed since the previous one."""

    files: list[str]
    events: int
    added: list[str]
    removed: list[str]
    moved: list[tuple[str, str, str]]  # uid, old dates, new dates
    changed: list[str]

    def changelog(self) -> str:
        """Bilingual change log against the previous export."""
        lines = [
            f"{len(self.files)} lịch / feeds, {self.events} sự kiện / events; "
            f"thêm / added {len(self.added)}, bỏ / removed {len(self.removed)}, "
            f"dời / moved {len(self.moved)}, sửa nội dung / text changed {len(self.changed)}"
        ]
        lines += [f"+ {u}" for u in self.added[:20]]
        lines += [f"- {u}" for u in self.removed[:20]]
        lines += [f"~ {u}: {old} → {new}" for u, old, new in self.moved[:50]]
        return "\n".join(lines)


def export_feeds(
    plan: pd.DataFrame, scenario: Scenario, tree: OrgTree, out: Path, scope: str = "all"
) -> ExportResult:
    """Write the feeds, the index and the manifest into ``out``; lint every feed."""
    out.mkdir(parents=True, exist_ok=True)
    items = plan_items(plan, scenario, tree)
    manifest_path = out / "manifest.json"
    old: dict[str, Any] = {}
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8")).get("events", {})
        except (json.JSONDecodeError, AttributeError):
            raise PlannerError(
                "manifest.json trong thư mục xuất bị hỏng.",
                "manifest.json in the output folder is corrupt.",
                file="manifest.json",
                hint_vi="Xóa tệp đó (SEQUENCE sẽ đếm lại từ 0) hoặc chọn thư mục khác.",
                hint_en="Delete it (SEQUENCE restarts at 0) or choose another folder.",
            ) from None
    events: dict[str, Any] = {}
    sequences: dict[str, int] = {}
    added, moved, changed = [], [], []
    for item in items:
        digest = item.content_hash()
        dates = f"{item.start}/{item.end}"
        before = old.get(item.uid)
        if before is None:
            sequence = 0
            added.append(item.uid)
        elif before.get("removed"):
            sequence = int(before["sequence"]) + 1
            added.append(item.uid)
        elif before["hash"] != digest:
            sequence = int(before["sequence"]) + 1
            if before["dates"] != dates:
                moved.append((item.uid, before["dates"], dates))
            else:
                changed.append(item.uid)
        else:
            sequence = int(before["sequence"])
        sequences[item.uid] = sequence
        events[item.uid] = {"hash": digest, "sequence": sequence, "dates": dates}
    present = {i.uid for i in items}
    removed = [u for u, e in old.items() if u not in present and not e.get("removed")]
    for uid, entry in old.items():
        if uid not in present:
            events[uid] = {**entry, "removed": True}
    feeds = _select(_feeds(items, tree), scope)
    previous = {u: int(e["sequence"]) for u, e in old.items()}
    written = []
    index = []
    blocks = {item.uid: event_block(item, sequences[item.uid]) for item in items}
    # Every event block is linted once (it is byte-identical in every feed that carries it);
    # each feed's own bytes (header, time zone) are linted around an empty body.
    everything = b"BEGIN:VCALENDAR\r\n" + _vtimezone() + b"".join(blocks.values())
    problems = lint_feed(everything + b"END:VCALENDAR\r\n", "events", previous)
    if problems:
        raise FeedLintError("; ".join(problems[:10]))
    for name, (name_vi, name_en, chosen) in sorted(feeds.items()):
        feed_id = f"{scenario.id}.{name.removesuffix('.ics')}"
        data = _calendar(feed_id, name_vi, name_en, chosen, blocks)
        shell = _calendar(feed_id, name_vi, name_en, [], blocks)
        problems = lint_feed(shell, name)
        if len({i.uid for i in chosen}) != len(chosen):
            problems.append(f"{name}: duplicate UID")
        if any(i.timed for i in chosen) and b"BEGIN:VTIMEZONE" not in data:
            problems.append(f"{name}: TZID without VTIMEZONE")
        if problems:
            raise FeedLintError("; ".join(problems[:10]))
        (out / name).write_bytes(data)
        written.append(name)
        index.append({"file": name, "name_vi": name_vi, "name_en": name_en, "events": len(chosen)})
    manifest = {"scenario": scenario.id, "events": dict(sorted(events.items()))}
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", "utf-8")
    rows = "\n".join(
        f'<li><a href="{html.escape(f["file"])}">{html.escape(f["name_vi"])}</a> — '
        f"{html.escape(f['name_en'])} ({f['events']})</li>"
        for f in index
    )
    (out / "index.html").write_text(
        '<!doctype html>\n<html lang="vi"><meta charset="utf-8">'
        "<title>Lịch đăng ký / Calendar feeds</title>\n"
        "<h1>Lịch đăng ký / Calendar feeds</h1>\n"
        "<p>Thêm đường dẫn của tệp .ics vào Google Calendar, Outlook, Apple Calendar hoặc "
        "Thunderbird (đăng ký theo URL). / Subscribe to an .ics path by URL in your client.</p>\n"
        f"<ul>\n{rows}\n</ul>\n</html>\n",
        "utf-8",
    )
    return ExportResult(written, len(items), added, removed, moved, changed)
