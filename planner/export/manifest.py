"""``manifest.json``: what SEQUENCE needs so that it never goes down (RFC 5545 §3.8.7.4).

One compact line per event, grouped by kind: ``"p37": "Xk3_9aQb 1 641 3"`` is the digest of what
subscribers saw, the SEQUENCE, the first day (days since ``epoch``) and the number of days; a
trailing ``-`` marks an event that left the plan (its SEQUENCE is kept, so it can come back
higher). ``feeds`` holds the digest of every feed file, so an unchanged feed is carried over with
its modification time. Nationwide (53,374 events) the manifest is about 1.6 MB.

A manifest of the first format (``{"events": {uid: {"hash", "sequence", "dates"}}}``) is read
and every event still in the plan gets SEQUENCE + 1 (its text changed with this format). A
missing manifest beside existing feeds is rebuilt from the feeds' own SEQUENCE values (+ 1).
A manifest that is not UTF-8 JSON of the expected shape is a bilingual error, never a guess.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

from .events import FeedEvent
from .ics import uid_for

MANIFEST = "manifest.json"
FORMAT = 2
EPOCH = dt.date(2019, 1, 1)
MAX_MANIFEST_BYTES = 64 * 2**20
_VALUE = re.compile(r"([A-Za-z0-9_-]{8}|\?) (\d{1,9}) (-?\d{1,6}|\?) (\d{1,6}|\?)( -)?")
_PLAIN = re.compile(r"[A-Za-z0-9._~-]*")  # needs no JSON escaping
_V1_DATES = re.compile(r"(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})")
_FEED_EVENT = re.compile(rb"BEGIN:VEVENT\r\n(.*?)END:VEVENT\r\n", re.S)
_UID = re.compile(rb"^UID:(.*)\r$", re.M)
_SEQUENCE = re.compile(rb"^SEQUENCE:(\d{1,9})\r$", re.M)


@dataclass(slots=True)
class Entry:
    """What the previous export published for one event."""

    digest: str | None  # None: unknown (older manifest, rebuilt from feeds): SEQUENCE goes up
    sequence: int
    start: dt.date | None = None
    days: int | None = None
    removed: bool = False

    def dates(self) -> str:
        """``first/last`` as in the change log, ``?`` when unknown."""
        if self.start is None or self.days is None:
            return "?"
        return f"{self.start}/{self.start + dt.timedelta(days=self.days - 1)}"


@dataclass
class Manifest:
    """The state of a feed folder: its scenario, scope, events and feed files."""

    scenario: str | None
    scope: str = "all"
    events: dict[str, Entry] = field(default_factory=dict)
    feeds: dict[str, str] = field(default_factory=dict)
    note: str | None = None  # what was recovered, for the change log


@dataclass
class Changes:
    """How the events changed since the previous export."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[tuple[str, str, str]] = field(default_factory=list)  # uid, old, new dates
    changed: list[str] = field(default_factory=list)


def _bad(why_vi: str, why_en: str) -> PlannerError:
    return PlannerError(
        f"manifest.json trong thư mục xuất không đọc được: {why_vi}.",
        f"manifest.json in the output folder cannot be read: {why_en}.",
        file=MANIFEST,
        hint_vi=(
            "Chuyển tệp đó ra chỗ khác (lần xuất sau dựng lại SEQUENCE từ các tệp .ics bên "
            "cạnh, mỗi sự kiện +1) hoặc khôi phục bản sao lưu."
        ),
        hint_en=(
            "Move it away (the next export rebuilds SEQUENCE from the .ics files beside it, "
            "each event + 1) or restore a backup."
        ),
    )


def _event_id(uid: str, scenario: str) -> str | None:
    """Back from a UID to the event id (``xiii-2020.congress.p37@planner`` → ``congress:p37``)."""
    prefix = f"{scenario}."
    if not (uid.startswith(prefix) and uid.endswith("@planner")):
        return None
    local = uid[len(prefix) : -len("@planner")]
    kind, dot, rest = local.partition(".")
    return f"{kind}:{rest}" if dot else None


def _v1(raw: Mapping[str, Any], scenario: str) -> Manifest:
    events: dict[str, Entry] = {}
    for uid, entry in raw["events"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("sequence"), int):
            raise _bad(f"sự kiện '{uid}' sai dạng", f"event '{uid}' has the wrong shape")
        event_id = _event_id(str(uid), scenario)
        if event_id is None:
            continue
        start = days = None
        match = _V1_DATES.fullmatch(str(entry.get("dates", "")))
        if match:
            start = dt.date.fromisoformat(match[1])
            days = (dt.date.fromisoformat(match[2]) - start).days + 1
        events[event_id] = Entry(None, entry["sequence"], start, days, bool(entry.get("removed")))
    note = "manifest.json định dạng cũ: mọi sự kiện SEQUENCE + 1 / old-format manifest.json: "
    note += "every event SEQUENCE + 1"
    return Manifest(str(raw.get("scenario") or scenario), "all", events, {}, note)


def _v2(raw: Mapping[str, Any]) -> Manifest:
    scenario, scope, feeds, groups = (raw.get(k) for k in ("scenario", "scope", "feeds", "events"))
    if not isinstance(scenario, str) or not isinstance(scope, str):
        raise _bad("thiếu 'scenario' hoặc 'scope'", "'scenario' or 'scope' is missing")
    if not isinstance(feeds, dict) or not all(isinstance(v, str) for v in feeds.values()):
        raise _bad("'feeds' sai dạng", "'feeds' has the wrong shape")
    if not isinstance(groups, dict) or not all(isinstance(g, dict) for g in groups.values()):
        raise _bad("'events' sai dạng", "'events' has the wrong shape")
    events: dict[str, Entry] = {}
    for kind, members in groups.items():
        for key, value in members.items():
            match = _VALUE.fullmatch(value) if isinstance(value, str) else None
            if match is None:
                raise _bad(f"sự kiện '{kind}:{key}' sai dạng", f"event '{kind}:{key}' is malformed")
            digest, sequence, start, days, removed = match.groups()
            events[f"{kind}:{key}" if kind else key] = Entry(
                None if digest == "?" else digest,
                int(sequence),
                None if start == "?" else EPOCH + dt.timedelta(days=int(start)),
                None if days == "?" else int(days),
                bool(removed),
            )
    return Manifest(scenario, scope, events, dict(feeds))


def read_manifest(folder: Path, scenario: str) -> Manifest | None:
    """The folder's manifest; rebuilt from its feeds when missing; None for a new folder."""
    path = folder / MANIFEST
    if not path.exists():
        return rebuild_from_feeds(folder, scenario)
    if not path.is_file():
        raise _bad("không phải tệp", "not a file")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise _bad("quá lớn", "too large")
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad("không phải UTF-8", "not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise _bad(f"JSON hỏng ở dòng {exc.lineno}", f"broken JSON at line {exc.lineno}") from None
    if not isinstance(raw, dict):
        raise _bad("không phải một đối tượng JSON", "not a JSON object")
    if raw.get("format") == FORMAT:
        return _v2(raw)
    if "format" not in raw and isinstance(raw.get("events"), dict):
        return _v1(raw, scenario)
    raise _bad(
        "không đúng định dạng (cần format = 2)", "not the expected shape (format = 2 expected)"
    )


def rebuild_from_feeds(folder: Path, scenario: str) -> Manifest | None:
    """SEQUENCE floors read from the .ics files of a folder that lost its manifest."""
    events: dict[str, Entry] = {}
    for path in sorted(folder.glob("*.ics")):
        data = path.read_bytes().replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
        for match in _FEED_EVENT.finditer(data):
            uid, sequence = _UID.search(match[1]), _SEQUENCE.search(match[1])
            event_id = _event_id(uid[1].decode("utf-8", "replace"), scenario) if uid else None
            if event_id is None or event_id.startswith("retired:"):  # a retired feed's placeholder
                continue
            value = int(sequence[1]) if sequence else 0
            if event_id not in events or events[event_id].sequence < value:
                events[event_id] = Entry(None, value)
    if not events:
        return None
    note = (
        f"không có manifest.json: SEQUENCE dựng lại từ {len(events)} sự kiện trong các tệp .ics"
        f" (mỗi sự kiện +1) / no manifest.json: SEQUENCE rebuilt from {len(events)} events in "
        "the .ics files (each + 1)"
    )
    return Manifest(scenario, "all", events, {}, note)


def advance(
    previous: Manifest | None, events: Iterable[FeedEvent], scenario: str
) -> tuple[dict[str, Entry], Changes]:
    """The new state of every event: SEQUENCE + 1 when what subscribers see changed, kept
    otherwise; events that left the plan keep theirs, marked removed."""
    before = previous.events if previous is not None else {}
    state: dict[str, Entry] = {}
    changes = Changes()
    for event in events:
        days = (event.end - event.start).days + 1
        new = Entry(event.digest, 0, event.start, days)
        old = before.get(event.event_id)
        if old is None:
            changes.added.append(event.uid)
        elif old.removed:
            new.sequence = old.sequence + 1
            changes.added.append(event.uid)
        elif old.digest != event.digest:
            new.sequence = old.sequence + 1
            if old.dates() not in ("?", new.dates()):
                changes.moved.append((event.uid, old.dates(), new.dates()))
            else:
                changes.changed.append(event.uid)
        else:
            new.sequence = old.sequence
        state[event.event_id] = new
    for event_id, old in before.items():
        if event_id not in state:
            if not old.removed:
                changes.removed.append(uid_for(scenario, event_id))
            state[event_id] = Entry(old.digest, old.sequence, old.start, old.days, removed=True)
    return state, changes


def dump_manifest(
    scenario: str, scope: str, state: Mapping[str, Entry], feeds: Mapping[str, str]
) -> bytes:
    """The manifest as UTF-8 JSON bytes, one line per event."""
    groups: dict[str, list[str]] = {}
    for event_id in sorted(state):
        entry = state[event_id]
        kind, colon, key = event_id.partition(":")
        if not colon:
            kind, key = "", event_id
        start = "?" if entry.start is None else str((entry.start - EPOCH).days)
        days = "?" if entry.days is None else str(entry.days)
        value = f"{entry.digest or '?'} {entry.sequence} {start} {days}"
        value += " -" if entry.removed else ""
        quoted = f'"{key}"' if _PLAIN.fullmatch(key) else json.dumps(key, ensure_ascii=False)
        groups.setdefault(kind, []).append(f'{quoted}:"{value}"')
    head = {
        "format": FORMAT,
        "scenario": scenario,
        "scope": scope,
        "epoch": EPOCH.isoformat(),
        "about": (
            "events: kind -> id -> 'digest sequence first-day days' (first day in days since "
            "epoch; a trailing '-' = no longer in the plan); feeds: file -> digest"
        ),
        "feeds": dict(sorted(feeds.items())),
    }
    # written by hand, one event per line (json.dumps with indent is 4× slower at 53,000)
    text = json.dumps(head, ensure_ascii=False, indent=0, separators=(",", ":"))[:-2]
    events = ",\n".join(
        f"{json.dumps(kind, ensure_ascii=False)}:{{\n" + ",\n".join(members) + "\n}"
        for kind, members in groups.items()
    )
    return (text + ',\n"events":{\n' + events + "\n}\n}\n").encode("utf-8")
