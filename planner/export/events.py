"""The events of the feeds: a plan's congresses, election steps and plenums as VEVENT bodies.

Each event is serialised once (it appears in several feeds, byte for byte the same); only the
SEQUENCE-dependent lines (DTSTAMP, SEQUENCE, LAST-MODIFIED) are added when a feed is written.
The body is kept as its content lines, so the lines many congresses share (the description of
one level on the same dates, the parent in RELATED-TO) are one object, not 50,000 copies.
The digest of the body is what a subscriber sees: when it changes, SEQUENCE goes up (RFC 5545
§3.8.7.4). Text is Vietnamese first, then English; a rule or source that is unknown is left
out rather than shown empty.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planner.rules.calendar import TIMEZONE
from planner.rules.timetable import TimetableRow, election_timetable
from planner.scenario.model import Scenario
from planner.tree.hierarchy import Level, OrgTree
from planner.tree.names import level_label

from .ics import escape_text, fold, stamp, uid_for
from .steps import STEP_KINDS, StepTexts, step_dates_text

FEED_KINDS = ("congress", "election_step", "plenum", *STEP_KINDS)


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One event ready for the feeds."""

    event_id: str
    scenario: str
    kind: str
    level: str | None  # congresses and their preparation steps (the congress's level)
    central: str | None  # the central-level committee at or above the organisation
    district: str | None  # the district-level unit at or above the organisation
    start: dt.date
    end: dt.date
    timed: bool
    parts: tuple[bytes, ...]  # the folded content lines UID … TRANSP
    digest: str
    depth: int = -1  # the level's depth (0 national … 3 grassroots); -1 when not a congress
    # (a preparation step has its congress's level, depth and ancestors)
    body: str | None = None  # a review's reviewing body (planner.rules.preparation)

    @property
    def uid(self) -> str:
        """The event's UID (computed: 53,000 stored copies weigh 4 MB)."""
        return uid_for(self.scenario, self.event_id)


_SEQUENCE_LINES: dict[int, tuple[bytes, bytes]] = {}


def sequence_lines(sequence: int) -> tuple[bytes, bytes]:
    """What goes before and after an event's body at a SEQUENCE: ``BEGIN:VEVENT``, DTSTAMP and
    SEQUENCE; LAST-MODIFIED and ``END:VEVENT`` (DTSTAMP and LAST-MODIFIED derived from it)."""
    lines = _SEQUENCE_LINES.get(sequence)
    if lines is None:
        when = stamp(sequence)
        lines = _SEQUENCE_LINES[sequence] = (
            f"BEGIN:VEVENT\r\nDTSTAMP:{when}\r\nSEQUENCE:{sequence}\r\n".encode(),
            f"LAST-MODIFIED:{when}\r\nEND:VEVENT\r\n".encode(),
        )
    return lines


def _digest(parts: tuple[bytes, ...]) -> str:
    digest = hashlib.blake2b(b"".join(parts), digest_size=6).digest()
    return base64.urlsafe_b64encode(digest).decode()


def _text(vi: Iterable[str], en: Iterable[str]) -> str:
    """Vietnamese lines, a blank line, English lines; empty lines are left out."""
    return "\n".join(v for v in vi if v) + "\n\n" + "\n".join(e for e in en if e)


def _sourced(label_vi: str, label_en: str, value: str | None) -> tuple[str, str]:
    return (f"{label_vi}: {value}", f"{label_en}: {value}") if value else ("", "")


def _step_when(row: TimetableRow) -> tuple[str, str]:
    if row.kind == "deadline":
        cutoff = f", {row.time}" if row.time else ""
        return f"Hạn chót: {row.rule}{cutoff}", f"Deadline: {row.rule}{cutoff}"
    if row.kind == "window":
        return f"Khoảng thời gian: {row.rule}", f"Period: {row.rule}"
    if row.kind == "instant":
        span = f" {row.time}–{row.end_time}" if row.time and row.end_time else ""
        return f"Ngày: {row.rule}{span}", f"On: {row.rule}{span}"
    return "", ""


def _str(value: Any) -> str:
    """A text cell: '' for None and NaN."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value)
    return None


_DATES: dict[tuple[dt.date, dt.date], bytes] = {}


def _dates(start: dt.date, end: dt.date, timed: tuple[str, str] | None) -> bytes:
    """DTSTART and DTEND: all-day with an exclusive end (§3.6.1), or local times with TZID."""
    if timed is not None:
        day = f"{start:%Y%m%d}"
        return (
            f"DTSTART;TZID={TIMEZONE}:{day}T{timed[0].replace(':', '')}00\r\n"
            f"DTEND;TZID={TIMEZONE}:{day}T{timed[1].replace(':', '')}00\r\n"
        ).encode()
    found = _DATES.get((start, end))
    if found is None:
        after = end + dt.timedelta(days=1)
        lines = f"DTSTART;VALUE=DATE:{start:%Y%m%d}\r\nDTEND;VALUE=DATE:{after:%Y%m%d}\r\n"
        found = _DATES[(start, end)] = lines.encode()
    return found


def _details(description: str, categories: Iterable[str]) -> bytes:
    """The DESCRIPTION and CATEGORIES lines (shared by many congresses: built once each)."""
    shown = [escape_text(c) for c in categories if c]
    lines = fold(f"DESCRIPTION:{escape_text(description)}")
    return lines + fold("CATEGORIES:" + ",".join(shown)) if shown else lines


_TRANSP = b"TRANSP:TRANSPARENT\r\n"


def _body(
    uid: str, dates: bytes, summary: str, details: bytes, related: bytes = b"", status: str = ""
) -> tuple[bytes, ...]:
    """UID, SUMMARY and STATUS (the event's own lines, one object), then the lines it may share
    with other events: DTSTART/DTEND, DESCRIPTION, CATEGORIES, RELATED-TO, TRANSP."""
    own = fold(f"UID:{uid}") + fold(f"SUMMARY:{escape_text(summary)}")
    if status:
        own += fold(f"STATUS:{status}")
    return (own, dates, details, related, _TRANSP) if related else (own, dates, details, _TRANSP)


_DAY_TEXT: dict[dt.date, tuple[str, str]] = {}


def _day_text(day: dt.date) -> tuple[str, str]:
    """``dd/mm/yyyy`` and ISO, cached (a few hundred distinct days for 50,000 congresses)."""
    found = _DAY_TEXT.get(day)
    if found is None:
        found = _DAY_TEXT[day] = (f"{day:%d/%m/%Y}", day.isoformat())
    return found


_MARKS = {  # actual status → SUMMARY prefix, STATUS (RFC 5545 §3.8.1.11), what it says
    "postponed": ("HOÃN / POSTPONED: ", "TENTATIVE", ("Đã hoãn", "Postponed")),
    "cancelled": ("HỦY / CANCELLED: ", "CANCELLED", ("Đã hủy", "Cancelled")),
    "merged": ("SÁP NHẬP / MERGED: ", "CANCELLED", ("Đã sáp nhập", "Merged")),
}


def _marking(actual: str, reason: str) -> tuple[str, str, tuple[str, str]]:
    """What the actuals add to a congress (:mod:`planner.export.actuals`): nothing for one held
    (its actual dates are enough) or not reported; a prefix, a STATUS and a note otherwise."""
    mark = _MARKS.get(actual)
    if mark is None:
        return "", "", ("", "")
    prefix, status, (vi, en) = mark
    because = f": {reason}" if reason else ""
    return prefix, status, (f"{vi}{because}.", f"{en}{because}.")


def _step_body(
    texts: StepTexts,
    uid: str,
    step: tuple[str, str, str, str],
    dates: tuple[dt.date, dt.date],
    names: tuple[str, str, str, str],
    marking: tuple[str, str, tuple[str, str]],
    congress: bytes,
) -> tuple[bytes, ...]:
    """A preparation step's VEVENT body: all-day, SUMMARY from the plan row's names (or the
    step's name and the organisation's), DESCRIPTION from the rule data (shared by the steps of
    one kind, rule, body and dates), RELATED-TO its congress."""
    kind, rule, body, source = step
    name_vi, name_en, org_vi, org_en = names
    if not (name_vi and name_en):
        name_vi, name_en = texts.names(kind, body, org_vi, org_en)
    prefix, status, note = marking
    start, end = dates
    key = (*step, str(start), str(end), *note)
    details = texts.cache.get(key)
    if details is None:
        when_vi, when_en = step_dates_text(start, end)
        rule_vi, rule_en = texts.lines(kind, rule, body, source)
        details = texts.cache[key] = _details(
            _text(
                [f"Ngày: {when_vi}.", note[0], *rule_vi], [f"When: {when_en}.", note[1], *rule_en]
            ),
            ["Chuẩn bị đại hội / Congress preparation"],
        )
    return _body(
        uid,
        _dates(start, end, None),
        f"{prefix}{name_vi} / {name_en}",
        details,
        congress,
        status,
    )


def _election_body(
    uid: str, dates: bytes, step: TimetableRow | None, row: tuple[str, str, str, str]
) -> tuple[bytes, ...]:
    """An election step's VEVENT body: names, period and source from the statutory timetable
    (``row``: the plan row's names, source and rule when the timetable lacks the step)."""
    name_vi, name_en, source, rule = row
    vi = step.name_vi if step else name_vi
    en = step.name_en if step else name_en
    when_vi, when_en = _step_when(step) if step else ("", "")
    cite_vi, cite_en = _sourced("Nguồn", "Source", step.source.cite() if step else source)
    text = _text(
        [f"{vi}.", f"{when_vi}." if when_vi else "", cite_vi],
        [f"{en}.", f"{when_en}." if when_en else "", cite_en],
    )
    return _body(uid, dates, f"{vi} / {en}", _details(text, ["Bầu cử / Election", rule]))


class _Ancestors:
    """The central-level committee and district-level unit above each organisation (cached)."""

    def __init__(self, tree: OrgTree) -> None:
        self.tree = tree
        self.memo: dict[str, tuple[str | None, str | None]] = {}

    def __call__(self, org_id: str) -> tuple[str | None, str | None]:
        found = self.memo.get(org_id)
        if found is not None:
            return found
        org = self.tree.get(org_id)
        if org.level == Level.CENTRAL:
            found = (org_id, None)
        elif org.level.depth == Level.CENTRAL.depth + 1:  # directly under a central committee
            found = (self(org.parent_id)[0] if org.parent_id else None, org_id)
        elif org.parent_id is None or org.level == Level.NATIONAL:
            found = (None, None)
        else:
            found = self(org.parent_id)
        self.memo[org_id] = found
        return found


def plan_events(plan: pd.DataFrame, scenario: Scenario, tree: OrgTree) -> list[FeedEvent]:
    """The plan's dated congresses, election steps and plenums as feed events."""
    rows = plan  # read column by column below, without a filtered copy of the frame
    voting = rows[rows["event_id"] == "election:el.voting"]
    election_day = _day(voting.iloc[0]["start"]) if len(voting) else scenario.election_day
    steps = (
        {r.step_id: r for r in election_timetable(election_day, scenario.election_law)}
        if election_day is not None
        else {}
    )
    labels = {level: level_label(level.value) for level in Level}
    level_ids = {level: level.value for level in Level}
    sources = {
        rule.id: rule.source.cite() for rules in scenario.rulesets.values() for rule in rules
    }
    ancestors = _Ancestors(tree)
    sid = scenario.id
    related: dict[str, bytes] = {}
    details: dict[tuple[Level, dt.date, dt.date, str, str], bytes] = {}

    def parent_line(org_id: str) -> bytes:
        found = related.get(org_id)
        if found is None:
            found = related[org_id] = fold(f"RELATED-TO:{uid_for(sid, f'congress:{org_id}')}")
        return found

    def congress_details(
        level: Level, start: dt.date, end: dt.date, note: tuple[str, str] = ("", "")
    ) -> bytes:
        found = details.get((level, start, end, *note))
        if found is None:
            label = labels[level]
            (first_vi, first_en), (last_vi, last_en) = _day_text(start), _day_text(end)
            duration_rule = scenario.levels[level].duration_rule
            rule_vi, rule_en = _sourced("Quy tắc", "Rule", duration_rule)
            cite_vi, cite_en = _sourced("Nguồn", "Source", sources.get(duration_rule or ""))
            found = details[(level, start, end, *note)] = _details(
                _text(
                    [f"{label.vi}, {first_vi}–{last_vi}.", note[0], rule_vi, cite_vi],
                    [f"{label.en}, {first_en} – {last_en}.", note[1], rule_en, cite_en],
                ),
                [label.vi, "Đại hội / Congress"],
            )
        return found

    out: list[FeedEvent] = []
    step_texts = StepTexts(scenario)
    columns = (
        "event_id", "kind", "org_id", "start", "end", "name_vi", "name_en", "rule", "source",
        "actual_status", "actual_reason", "body",
    )  # fmt: skip
    for event_id, kind, org_id, first, last, name_vi, name_en, rule, source, actual, why, by in zip(
        *(rows[c].tolist() if c in rows else [None] * len(rows) for c in columns), strict=True
    ):
        if kind not in FEED_KINDS:
            continue
        start, end = _day(first), _day(last)
        if start is None or end is None:
            continue  # undated statutory steps have no calendar entry
        event_id = str(event_id)
        uid = uid_for(sid, event_id)
        level = central = district = None
        timed = None
        depth = -1
        reviewer = None
        if kind == "congress" or kind in STEP_KINDS:
            org = tree.get(str(org_id))
            level, depth = level_ids[org.level], org.level.depth
            central, district = ancestors(org.org_id)
            prefix, status, note = marking = _marking(_str(actual), _str(why))
        if kind in STEP_KINDS:
            reviewer = _str(by) or None
            body = _step_body(
                step_texts,
                uid,
                (str(kind), _str(rule), reviewer or "", _str(source)),
                (start, end),
                (_str(name_vi), _str(name_en), org.name_vi, org.name_en),
                marking,
                parent_line(org.org_id),
            )
        elif kind == "congress":
            body = _body(
                uid,
                _dates(start, end, None),
                f"{prefix}Đại hội {org.name_vi} / Congress: {org.name_en}",
                congress_details(org.level, start, end, note),
                parent_line(org.parent_id) if org.parent_id else b"",
                status,
            )
        elif kind == "election_step":
            step = steps.get(event_id.removeprefix("election:"))
            if step is not None and step.step_id == "el.voting":
                timed = (step.time or "07:00", step.end_time or "19:00")
            body = _election_body(
                uid,
                _dates(start, end, timed),
                step,
                (_str(name_vi), _str(name_en), _str(source), _str(rule)),
            )
        else:
            vi, en = _str(name_vi), _str(name_en)
            cite_vi, cite_en = _sourced("Nguồn", "Source", _str(source))
            body = _body(
                uid,
                _dates(start, end, None),
                f"{vi} / {en}",
                _details(_text([vi, cite_vi], [en, cite_en]), ["Hội nghị Trung ương / Plenum"]),
            )
        out.append(
            FeedEvent(
                event_id=event_id,
                scenario=sid,
                kind=str(kind),
                level=level,
                central=central,
                district=district,
                start=start,
                end=end,
                timed=timed is not None,
                parts=body,
                digest=_digest(body),
                depth=depth,
                body=reviewer if kind == "review" else None,
            )
        )
    return out
