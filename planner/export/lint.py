"""Our own lint of an iCalendar feed (RFC 5545 and RFC 7986 points that parsers let through).

Deliberately small and independent of the code that wrote the feed, and fast enough to run over
50,000 events on every export; a failure is a bug in the exporter and is raised loudly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# The patterns start at "\n" rather than "^" with re.M: the engine then jumps from line end to
# line end instead of trying every position (5× faster over 50,000 events).
# the lines the per-event checks read, in one pass
_KEY = re.compile(
    r"\n(BEGIN:VEVENT|END:VEVENT|UID|DTSTAMP|DTSTART|DTEND|SEQUENCE)"
    r"((?:;[^:\r\n]*)?)(?::([^\r\n]*))?\r(?=\n)"
)
_REFRESH = re.compile(r"\nREFRESH-INTERVAL((?:;[^:\r\n]*)?):([^\r\n]*)\r(?=\n)")
_TZID = re.compile(r";TZID=([^;:]+)[;:]")
_WHEN = re.compile(r"\d{8}(T\d{6}Z?)?")
_DURATION = re.compile(r"[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)")
# a value that ends right after a colon: an empty property ("DESCRIPTION:"), or a label of the
# generated text left without its value ("Nguồn: ." or "Source: " at the end of the text)
_NOTHING_AFTER = re.compile(rb":(?: ?\r\n| \.| ?\\n)")

# Every property this exporter writes (RFC 5545 §3.6, §3.6.5, RFC 7986 §5); anything else in
# a feed (e.g. an ATTENDEE smuggled in through a name with a newline) is reported.
ALLOWED = frozenset(
    {
        "BEGIN",
        "END",
        # VCALENDAR
        "VERSION",
        "PRODID",
        "CALSCALE",
        "METHOD",
        "NAME",
        "X-WR-CALNAME",
        "X-WR-CALDESC",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
        "X-WR-TIMEZONE",
        "SOURCE",
        # VEVENT
        "UID",
        "DTSTAMP",
        "SEQUENCE",
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "DESCRIPTION",
        "CATEGORIES",
        "RELATED-TO",
        "TRANSP",
        "STATUS",  # CANCELLED: the placeholder event of a retired feed
        "LAST-MODIFIED",
        # VTIMEZONE
        "TZID",
        "TZNAME",
        "TZOFFSETFROM",
        "TZOFFSETTO",
        "RDATE",
        "RRULE",
        "COMMENT",
        "X-LIC-LOCATION",
    }
)


# a line that is not ``NAME[;params]:value`` with one of the names above
_NAMES = "|".join(sorted(ALLOWED, key=len, reverse=True))
_PROPERTY = re.compile(rf"(?:{_NAMES})(?:;[^\r\n]*)?:")
_STRAY = re.compile(rf"\n(?!(?:{_NAMES})(?:;[^\r\n]*)?:|\Z)[^\r\n]*")


class FeedLintError(RuntimeError):
    """The exporter produced a feed that breaks the lint (a bug, not bad input)."""


def lint_feed(data: bytes, name: str, previous: Mapping[str, int] | None = None) -> list[str]:
    """Problems found in one feed (empty when clean).

    CRLF line ends; physical lines ≤ 75 octets, folded without splitting a UTF-8 character
    (RFC 5545 §3.1); every line a property, and only properties this exporter writes; unique
    UIDs; DTSTAMP on every event; DTEND after DTSTART; a VTIMEZONE for every TZID;
    ``REFRESH-INTERVAL;VALUE=DURATION`` (RFC 7986 §5.7); no calendar-level UID; no empty text
    and no label of the generated text left without its value; SEQUENCE never below the one
    recorded for that UID in the previous export.
    """
    problems: list[str] = []
    if not data.endswith(b"\r\n"):
        problems.append(f"{name}: does not end with CRLF")
    lines = data.split(b"\r\n")
    if data.count(b"\r") != len(lines) - 1 or data.count(b"\n") != len(lines) - 1:
        problems.append(f"{name}: bare LF or CR")
    longest = max(map(len, lines))
    if longest > 75:
        number = next(i for i, line in enumerate(lines, start=1) if len(line) > 75)
        problems.append(f"{name}:{number}: {longest} octets (> 75)")
    if re.search(rb"\r\n[ \t][\x80-\xbf]", data):
        problems.append(f"{name}: folding split a UTF-8 character")
    unfolded = data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    try:
        text = unfolded.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [*problems, f"{name}: not UTF-8 ({exc.reason})"]
    stray = _STRAY.search(text) or (None if _PROPERTY.match(text) else re.match(".*", text))
    if stray:
        problems.append(f"{name}: not a property this exporter writes: {stray[0][:40].strip()!r}")
    nothing = _NOTHING_AFTER.search(unfolded)
    if nothing:
        line = unfolded[unfolded.rfind(b"\n", 0, nothing.start()) + 1 : nothing.end()]
        shown = line.decode("utf-8", "replace").strip()[-60:]
        problems.append(f"{name}: nothing after a colon: {shown!r}")
    problems.extend(_check_calendar(text, name))
    uids: set[str] = set()
    props: dict[str, tuple[str, str]] | None = None
    for prop, params, value in _KEY.findall(text):
        if prop == "BEGIN:VEVENT":
            props = {}
        elif prop == "END:VEVENT":
            if props is not None:
                problems.extend(_check_event(props, name, uids, previous))
            props = None
        elif props is not None:
            props.setdefault(prop, (params, value))
    return problems


def _check_calendar(text: str, name: str) -> list[str]:
    problems = []
    first = text.find("\nBEGIN:V", 1)
    if re.search(r"\nUID:", text[: first if first > 0 else len(text)]):
        problems.append(f"{name}: a calendar-level UID (clients take it for every event's)")
    if ";TZID=" in text:
        defined = set(re.findall(r"BEGIN:VTIMEZONE\r\nTZID:([^\r\n]+)", text))
        for tzid in sorted(set(_TZID.findall(text)) - defined):
            problems.append(f"{name}: TZID {tzid} has no VTIMEZONE")
    if "REFRESH-INTERVAL" in text:
        for params, value in _REFRESH.findall(text):
            if ";VALUE=DURATION" not in params.upper():
                problems.append(f"{name}: REFRESH-INTERVAL without VALUE=DURATION (RFC 7986 §5.7)")
            if not _DURATION.fullmatch(value):
                problems.append(f"{name}: REFRESH-INTERVAL {value!r} is not a duration")
    return problems


def _check_event(
    props: dict[str, tuple[str, str]],
    name: str,
    uids: set[str],
    previous: Mapping[str, int] | None,
) -> list[str]:
    problems = []
    uid = props.get("UID", ("", ""))[1]
    if not uid:
        problems.append(f"{name}: event without UID")
    elif uid in uids:
        problems.append(f"{name}: duplicate UID {uid}")
    uids.add(uid)
    if "DTSTAMP" not in props:
        problems.append(f"{name}: {uid} has no DTSTAMP")
    start, end = props.get("DTSTART"), props.get("DTEND")
    if start is None or end is None:
        problems.append(f"{name}: {uid} lacks DTSTART or DTEND")
    else:
        comparable = start[0] == end[0] and all(_WHEN.fullmatch(v[1]) for v in (start, end))
        if not (comparable and end[1] > start[1]):
            problems.append(f"{name}: {uid} DTEND {end[1]} not after DTSTART {start[1]}")
    if previous is not None and uid in previous:
        sequence = int(props.get("SEQUENCE", ("", "0"))[1] or 0)
        if sequence < previous[uid]:
            problems.append(f"{name}: {uid} SEQUENCE {sequence} < {previous[uid]}")
    return problems
