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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

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


class _Row(NamedTuple):
    """The columns of a plan row that the feeds read (``None`` for a column the plan lacks)."""

    event_id: Any
    kind: Any
    org_id: Any
    start: Any
    end: Any
    name_vi: Any
    name_en: Any
    rule: Any
    source: Any
    actual_status: Any
    actual_reason: Any
    body: Any


def _rows(plan: pd.DataFrame) -> Iterator[_Row]:
    """The plan's rows, read column by column (without a filtered copy of the frame)."""
    columns = [plan[c].tolist() if c in plan else [None] * len(plan) for c in _Row._fields]
    yield from map(_Row._make, zip(*columns, strict=True))


def _timetable(plan: pd.DataFrame, scenario: Scenario) -> dict[str, TimetableRow]:
    """The statutory election timetable by step id, counted back from the plan's polling day
    (the scenario's when the plan has none); empty without a polling day."""
    voting = plan[plan["event_id"] == "election:el.voting"]
    election_day = _day(voting.iloc[0]["start"]) if len(voting) else scenario.election_day
    if election_day is None:
        return {}
    return {r.step_id: r for r in election_timetable(election_day, scenario.election_law)}


def _plenum_body(row: _Row, uid: str, start: dt.date, end: dt.date) -> tuple[bytes, ...]:
    """A plenum's VEVENT body: its names and source from the plan row."""
    vi, en = _str(row.name_vi), _str(row.name_en)
    cite_vi, cite_en = _sourced("Nguồn", "Source", _str(row.source))
    return _body(
        uid,
        _dates(start, end, None),
        f"{vi} / {en}",
        _details(_text([vi, cite_vi], [en, cite_en]), ["Hội nghị Trung ương / Plenum"]),
    )


class _Events:
    """The feed events of one plan, with what they share built once: the election timetable,
    the level labels and rule sources of the congress descriptions, each organisation's
    ancestors and RELATED-TO line, each congress DESCRIPTION (one per level, dates and note)."""

    def __init__(self, plan: pd.DataFrame, scenario: Scenario, tree: OrgTree) -> None:
        self.scenario = scenario
        self.sid = scenario.id
        self.tree = tree
        self.steps = _timetable(plan, scenario)
        self.labels = {level: level_label(level.value) for level in Level}
        self.sources = {
            rule.id: rule.source.cite() for rules in scenario.rulesets.values() for rule in rules
        }
        self.ancestors = _Ancestors(tree)
        self.step_texts = StepTexts(scenario)
        self.related: dict[str, bytes] = {}
        self.details: dict[tuple[Level, dt.date, dt.date, str, str], bytes] = {}

    def event(self, row: _Row, start: dt.date, end: dt.date) -> FeedEvent:
        """The feed event of a dated plan row of one of the :data:`FEED_KINDS`."""
        event_id = str(row.event_id)
        uid = uid_for(self.sid, event_id)
        if row.kind == "congress" or row.kind in STEP_KINDS:
            return self._org_event(row, event_id, uid, start, end)
        timed = None
        if row.kind == "election_step":
            step = self.steps.get(event_id.removeprefix("election:"))
            if step is not None and step.step_id == "el.voting":
                timed = (step.time or "07:00", step.end_time or "19:00")
            body = _election_body(
                uid,
                _dates(start, end, timed),
                step,
                (_str(row.name_vi), _str(row.name_en), _str(row.source), _str(row.rule)),
            )
        else:
            body = _plenum_body(row, uid, start, end)
        return FeedEvent(
            event_id=event_id, scenario=self.sid, kind=str(row.kind), level=None, central=None,
            district=None, start=start, end=end, timed=timed is not None, parts=body,
            digest=_digest(body),
        )  # fmt: skip

    def _org_event(
        self, row: _Row, event_id: str, uid: str, start: dt.date, end: dt.date
    ) -> FeedEvent:
        """A congress or a preparation step: its organisation's level, depth and ancestors
        (the scopes of the feeds it goes into), the actuals' marking, RELATED-TO its parent's
        congress (a step: its own congress)."""
        org = self.tree.get(str(row.org_id))
        central, district = self.ancestors(org.org_id)
        marking = _marking(_str(row.actual_status), _str(row.actual_reason))
        reviewer = None
        if row.kind in STEP_KINDS:
            reviewer = _str(row.body) or None
            body = _step_body(
                self.step_texts,
                uid,
                (str(row.kind), _str(row.rule), reviewer or "", _str(row.source)),
                (start, end),
                (_str(row.name_vi), _str(row.name_en), org.name_vi, org.name_en),
                marking,
                self.parent_line(org.org_id),
            )
        else:
            prefix, status, note = marking
            body = _body(
                uid,
                _dates(start, end, None),
                f"{prefix}Đại hội {org.name_vi} / Congress: {org.name_en}",
                self.congress_details(org.level, start, end, note),
                self.parent_line(org.parent_id) if org.parent_id else b"",
                status,
            )
        return FeedEvent(
            event_id=event_id, scenario=self.sid, kind=str(row.kind), level=org.level.value,
            central=central, district=district, start=start, end=end, timed=False, parts=body,
            digest=_digest(body), depth=org.level.depth,
            body=reviewer if row.kind == "review" else None,
        )  # fmt: skip

    def parent_line(self, org_id: str) -> bytes:
        """RELATED-TO the congress of an organisation (one object per organisation)."""
        found = self.related.get(org_id)
        if found is None:
            uid = uid_for(self.sid, f"congress:{org_id}")
            found = self.related[org_id] = fold(f"RELATED-TO:{uid}")
        return found

    def congress_details(
        self, level: Level, start: dt.date, end: dt.date, note: tuple[str, str] = ("", "")
    ) -> bytes:
        """A congress's DESCRIPTION and CATEGORIES: its level and dates, the actuals' note, the
        level's duration rule and that rule's legal source (shared by a level's congresses on
        the same dates)."""
        found = self.details.get((level, start, end, *note))
        if found is None:
            label = self.labels[level]
            (first_vi, first_en), (last_vi, last_en) = _day_text(start), _day_text(end)
            duration_rule = self.scenario.levels[level].duration_rule
            rule_vi, rule_en = _sourced("Quy tắc", "Rule", duration_rule)
            cite_vi, cite_en = _sourced("Nguồn", "Source", self.sources.get(duration_rule or ""))
            found = self.details[(level, start, end, *note)] = _details(
                _text(
                    [f"{label.vi}, {first_vi}–{last_vi}.", note[0], rule_vi, cite_vi],
                    [f"{label.en}, {first_en} – {last_en}.", note[1], rule_en, cite_en],
                ),
                [label.vi, "Đại hội / Congress"],
            )
        return found


def plan_events(plan: pd.DataFrame, scenario: Scenario, tree: OrgTree) -> list[FeedEvent]:
    """The plan's dated congresses, election steps, plenums and preparation steps as feed
    events (an undated statutory step has no calendar entry)."""
    events = _Events(plan, scenario, tree)
    out: list[FeedEvent] = []
    for row in _rows(plan):
        if row.kind not in FEED_KINDS:
            continue
        start, end = _day(row.start), _day(row.end)
        if start is not None and end is not None:
            out.append(events.event(row, start, end))
    return out
