"""Our own lint of an iCalendar feed (RFC 5545 points that parsers let through).

Deliberately small and independent of the library that wrote the feed, and fast enough to run
over 50,000 events on every export; a failure is a bug in the exporter and is raised loudly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_EVENT = re.compile(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT\r\n", re.S)
_PROP = re.compile(r"^([A-Z-]+)((?:;[^:\r\n]*)?):([^\r\n]*)\r$", re.M)
_TZID = re.compile(r";TZID=([^;:]+)[;:]")
_WHEN = re.compile(r"\d{8}(T\d{6}Z?)?")


class FeedLintError(RuntimeError):
    """The exporter produced a feed that breaks the lint (a bug, not bad input)."""


def lint_feed(data: bytes, name: str, previous: Mapping[str, int] | None = None) -> list[str]:
    """Problems found in one feed (empty when clean).

    CRLF line ends; physical lines ≤ 75 octets, folded without splitting a UTF-8 character;
    unique UIDs; DTSTAMP on every event; DTEND after DTSTART; a VTIMEZONE for every TZID;
    SEQUENCE never below the one recorded for that UID in the previous export.
    """
    problems: list[str] = []
    if not data.endswith(b"\r\n"):
        problems.append(f"{name}: does not end with CRLF")
    if data.count(b"\n") != data.count(b"\r\n") or data.count(b"\r") != data.count(b"\r\n"):
        problems.append(f"{name}: bare LF or CR")
    physical = data.split(b"\r\n")
    longest = max((len(line) for line in physical), default=0)
    if longest > 75:
        number = next(i for i, line in enumerate(physical, start=1) if len(line) > 75)
        problems.append(f"{name}:{number}: {longest} octets (> 75)")
    if re.search(rb"\r\n[ \t][\x80-\xbf]", data):
        problems.append(f"{name}: folding split a UTF-8 character")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [*problems, f"{name}: not UTF-8 ({exc.reason})"]
    text = text.replace("\r\n ", "").replace("\r\n\t", "")
    defined = set(re.findall(r"BEGIN:VTIMEZONE\r\nTZID:([^\r\n]+)", text))
    for tzid in sorted(set(_TZID.findall(text)) - defined):
        problems.append(f"{name}: TZID {tzid} has no VTIMEZONE")
    uids: set[str] = set()
    for match in _EVENT.finditer(text):
        props: dict[str, tuple[str, str]] = {}
        for prop, params, value in _PROP.findall(match.group(1)):
            props.setdefault(prop, (params, value))
        problems.extend(_check_event(props, name, uids, previous))
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
