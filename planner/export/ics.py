"""iCalendar content lines written by hand (icalendar's folding was too slow at 50,000 events).

Text values are escaped per RFC 5545 §3.3.11 (backslash, semicolon, comma, newline); every
other control character (§3.1: CONTROL may not appear in a value) becomes a space, so no text
can end a content line or start a property of its own. Lines are folded at 75 octets (§3.1)
without splitting a UTF-8 character; identifiers that go into UIDs and file names are reduced
to a safe alphabet. The calendar header follows RFC 7986 (NAME §5.1, DESCRIPTION §5.2,
REFRESH-INTERVAL;VALUE=DURATION §5.7, SOURCE;VALUE=URI §5.8) but carries no calendar-level UID
(§5.3 makes it optional): vdirsyncer took it as every event's identity and kept one event of
each feed (issue 19, F1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote

from icalendar import Calendar, Event

from planner.rules.calendar import TIMEZONE

PRODID = "-//planner//Vietnam 2020-2021 congress and election planner//VI"
STAMP_BASE = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
REFRESH = "PT12H"
END_CALENDAR = b"END:VCALENDAR\r\n"

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_SAFE_UID = re.compile(r"[A-Za-z0-9._~-]+")
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: ``\\``, ``;``, ``,`` and newlines (CRLF, CR or LF) escaped;
    other control characters replaced by a space."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\n", "\\n")
    if not value.isprintable() and _CONTROL.search(value):  # isprintable: the fast common case
        value = _CONTROL.sub(" ", value)
    return value


def uid_for(scenario_id: str, event_id: str) -> str:
    """Stable UID: scenario id and event id (never dates), ``:`` → ``.``.

    Characters outside letters, digits and ``.-_~`` are percent-encoded, so every id the project
    uses keeps its UID and an id with spaces, newlines or ``@`` cannot break the line.
    """
    local = f"{scenario_id}.{event_id.replace(':', '.')}"
    if _SAFE_UID.fullmatch(local):
        return local + "@planner"
    return quote(local, safe="._-~") + "@planner"


def file_id(value: str) -> str:
    """An id as a file-name part: unchanged when already safe, else made safe and unique."""
    if _SAFE_ID.fullmatch(value) and len(value) <= 64:
        return value
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", value).strip("_")[:40] or "id"
    return f"{cleaned}-{hashlib.sha256(value.encode('utf-8')).hexdigest()[:8]}"


def fold(line: str) -> bytes:
    """One content line as CRLF-terminated octets folded at 75, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    size = len(data)
    if size <= 75:
        return data + b"\r\n"
    parts = []
    start, cut = 0, 75
    while cut < size:
        while data[cut] & 0xC0 == 0x80:  # inside a multi-byte character
            cut -= 1
        parts.append(data[start:cut])
        start, cut = cut, cut + 74  # continuation lines start with a space
    parts.append(data[start:])
    return b"\r\n ".join(parts) + b"\r\n"


def stamp(sequence: int) -> str:
    """DTSTAMP and LAST-MODIFIED derived from SEQUENCE, so the same plan gives the same bytes."""
    return (STAMP_BASE + dt.timedelta(minutes=sequence)).strftime("%Y%m%dT%H%M%SZ")


def calendar_head(
    name: str,
    description: str,
    source: str | None = None,
) -> bytes:
    """The VCALENDAR properties of a feed (RFC 5545 §3.6, RFC 7986 §5)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(name)}",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"X-WR-CALDESC:{escape_text(description)}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
        f"X-WR-TIMEZONE:{TIMEZONE}",
    ]
    if source:
        lines.append(f"SOURCE;VALUE=URI:{source}")
    return b"".join(fold(line) for line in lines)


_VTIMEZONE: bytes | None = None


def vtimezone() -> bytes:
    """The Asia/Ho_Chi_Minh VTIMEZONE block, built once by icalendar."""
    global _VTIMEZONE
    if _VTIMEZONE is None:
        from zoneinfo import ZoneInfo

        probe = Calendar.new(prodid=PRODID, uid="tz@planner")
        moment = dt.datetime(2021, 5, 23, 7, 0, tzinfo=ZoneInfo(TIMEZONE))
        probe.add_component(
            Event.new(uid="probe@planner", stamp=STAMP_BASE, start=moment, end=moment)
        )
        probe.add_missing_timezones()
        _VTIMEZONE = b"".join(tz.to_ical() for tz in probe.walk("VTIMEZONE"))
    return _VTIMEZONE
