"""The feed catalogue: one feed per audience, none over what calendar clients read.

Google Calendar stops reading a subscribed feed above about 1 MB (help answer 45654; about
1,100 events in practice) and ical.js slows quadratically with the events of one feed (DESIGN
§3), so no feed holds more than :data:`MAX_EVENTS` events or :data:`MAX_BYTES` octets.

Audiences: ``overview`` (the national congress, the central-level congresses, the plenums),
``election`` (the statutory timetable), ``central-<org>`` (one central-level committee: its
congress and every congress below it, with their preparation steps), ``level-<level>`` (one level
nationwide, with the steps), ``body-<body>`` (one reviewing body's reviews: the Politburo's review
calendar lists its own and its review groups', a group's feed its own; issue 20, point 3).

Splitting rule, deterministic, with file names that do not depend on sizes: a feed over the
limit is split one step at a time, each step applied only to the parts still over it —

1. by central-level committee (level feeds): ``level-grassroots.p01.ics``;
2. by district-level unit: the congresses *below* each district-level unit go to
   ``<feed>.<unit>.ics``; the committee's own congress and the district-level congresses stay
   in ``<feed>.ics`` (for a committee: what it directs itself);
3. by month of the first day: ``<feed>.2020-03.ics``;
4. in consecutive parts of the date order: ``<feed>.part1.ics`` (never needed nationwide).

Recommended subscription sets never hold an event twice: the election steps live only in
``election.ics`` (and the role feeds), a committee's congress only in its own family of feeds
(and the overview, which is never recommended together with it).

Role feeds (issue 19, F8): every set of more than one feed whose events fit the limits together
is also offered as one combined feed, ``role-<set>.ics`` (``role-district.<unit>.ics``,
``role-level.district.<committee>.ics``, …), the one subscription the index recommends for that
role. A level too big for one feed nationwide gets one role per central-level committee (a
district-level planner follows the district-level congresses of a province: one feed, not 68).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from planner.errors import PlannerError
from planner.tree.hierarchy import Level, OrgTree
from planner.tree.names import level_label

from .events import FeedEvent
from .ics import file_id
from .steps import STEP_KINDS, BodyFeed

MAX_EVENTS = 1000
MAX_BYTES = 1_000_000
HEADER_ALLOWANCE = 8_000  # calendar header, VTIMEZONE and END:VCALENDAR, with room to spare
_BELOW_CENTRAL = Level.CENTRAL.depth
_BELOW_DISTRICT = Level.CENTRAL.depth + 1  # below the units directly under a central committee


def _depth(level: Level) -> int:
    return level.depth


@dataclass
class Feed:
    """One feed file of the catalogue."""

    stem: str
    family: str  # overview | election | central | level | body | role
    owner: str | None  # the committee's org id, the level, or the reviewing body's id
    title_vi: str
    title_en: str
    about_vi: str
    about_en: str
    path: tuple[tuple[str, str], ...] = ()  # the split steps taken, e.g. (("district", "d001"),)
    events: list[int] = field(default_factory=list)  # indices into the events, in date order

    @property
    def name(self) -> str:
        """The file name."""
        return f"{self.stem}.ics"

    def under(self, step: str) -> str | None:
        """The key of a split step this feed was made by (e.g. its district-level unit)."""
        return next((key for kind, key in self.path if kind == step), None)


@dataclass
class RecommendedSet:
    """Feeds to subscribe to together: each event at most once."""

    id: str
    role_vi: str
    role_en: str
    feeds: list[str]
    feed: str | None = None  # the combined role feed that holds them all, when one fits


def _key(step: str, event: FeedEvent) -> str | None:
    if step == "central":
        return event.central if event.depth > _BELOW_CENTRAL else None
    if step == "district":
        return event.district if event.depth > _BELOW_DISTRICT else None
    if step == "month":
        return f"{event.start:%Y-%m}"
    raise ValueError(step)


def _in_overview(event: FeedEvent) -> bool:
    """The plenums and the national and central-level congresses (not their steps)."""
    return event.kind == "plenum" or (event.kind == "congress" and 0 <= event.depth <= 1)


class _Splitter:
    """Places the events of one feed into as many files as the limits require."""

    def __init__(self, events: Sequence[FeedEvent], sizes: Sequence[int], tree: OrgTree) -> None:
        self.events = events
        self.sizes = sizes
        self.tree = tree
        self.out: list[Feed] = []

    def fits(self, chosen: Sequence[int]) -> bool:
        return (
            len(chosen) <= MAX_EVENTS
            and sum(self.sizes[i] for i in chosen) + HEADER_ALLOWANCE <= MAX_BYTES
        )

    def child(self, feed: Feed, step: str, key: str) -> Feed:
        if step in ("central", "district"):
            org = self.tree.get(key)
            vi, en = org.name_vi, org.name_en
        elif step == "month":
            month = dt.date.fromisoformat(f"{key}-01")
            vi, en = f"tháng {month:%m/%Y}", f"{month:%B %Y}"
        else:
            vi, en = f"phần {key.removeprefix('part')}", f"part {key.removeprefix('part')}"
        if step == "district":
            about_vi = f"Đại hội các tổ chức cơ sở thuộc {vi}."
            about_en = f"The grassroots congresses under the {en}."
        else:
            about_vi, about_en = f"{feed.about_vi} Phần: {vi}.", f"{feed.about_en} Part: {en}."
        return replace(
            feed,
            stem=f"{feed.stem}.{file_id(key)}",
            title_vi=f"{feed.title_vi} — {vi}",
            title_en=f"{feed.title_en} — {en}",
            about_vi=about_vi,
            about_en=about_en,
            path=(*feed.path, (step, key)),
            events=[],
        )

    def place(self, feed: Feed, chosen: list[int], steps: Sequence[str]) -> None:
        if not chosen:
            return
        if self.fits(chosen) or not steps:
            self.out.append(replace(feed, events=chosen))
            return
        step, rest = steps[0], steps[1:]
        if step == "part":
            self._parts(feed, chosen)
            return
        groups: dict[str | None, list[int]] = {}
        for i in chosen:
            groups.setdefault(_key(step, self.events[i]), []).append(i)
        if set(groups) == {None} or (len(groups) == 1 and step == "month"):
            self.place(feed, chosen, rest)
            return
        base = feed
        if step == "district":
            base = replace(
                feed,
                about_vi=f"{feed.about_vi} Ở đây chỉ có đại hội của chính đảng bộ và cấp trên "
                f"cơ sở; đại hội cơ sở nằm trong các lịch {feed.stem}.<đơn vị>.ics.",
                about_en=f"{feed.about_en} Here only its own and the district-level congresses; "
                f"the grassroots congresses are in {feed.stem}.<unit>.ics.",
            )
        self.place(base, groups.pop(None, []), rest)
        for key in sorted(k for k in groups if k is not None):
            self.place(self.child(feed, step, key), groups[key], rest)

    def _parts(self, feed: Feed, chosen: list[int]) -> None:
        part: list[int] = []
        octets = 0  # sum of the part's sizes, kept as it grows (the test of fits, not quadratic)
        number = 1
        for i in chosen:
            size = self.sizes[i]
            if part and not (
                len(part) + 1 <= MAX_EVENTS and octets + size + HEADER_ALLOWANCE <= MAX_BYTES
            ):
                self.out.append(replace(self.child(feed, "part", f"part{number}"), events=part))
                part, octets, number = [], 0, number + 1
            part.append(i)
            octets += size
        self.out.append(replace(self.child(feed, "part", f"part{number}"), events=part))


def build_catalogue(
    events: Sequence[FeedEvent],
    sizes: Sequence[int],
    tree: OrgTree,
    law: str = "Luật 85/2015/QH13",
    bodies: Mapping[str, BodyFeed] | None = None,
) -> list[Feed]:
    """Every feed of the catalogue with its events (``sizes``: each event's VEVENT octets);
    ``law``: the election law's document; ``bodies``: :func:`planner.export.steps.body_feeds`."""
    order = sorted(range(len(events)), key=lambda i: (events[i].start, events[i].event_id))
    split = _Splitter(events, sizes, tree)
    flat = ["month", "part"]
    split.place(
        Feed(
            "overview",
            "overview",
            None,
            "Tổng quan: Đại hội toàn quốc, đại hội đảng bộ trực thuộc Trung ương, hội nghị "
            "Trung ương",
            "Overview: the National Congress, central-level congresses, plenums",
            "Đại hội toàn quốc, đại hội các đảng bộ trực thuộc Trung ương và các hội nghị "
            "Trung ương.",
            "The National Congress, the congresses of the central-level committees and the "
            "Central Committee plenums.",
        ),
        [i for i in order if _in_overview(events[i])],
        flat,
    )
    split.place(
        Feed(
            "election",
            "election",
            None,
            "Lịch bầu cử theo luật",
            "Statutory election timetable",
            f"Các mốc của cuộc bầu cử đại biểu Quốc hội và Hội đồng nhân dân theo {law}.",
            f"The statutory steps of the National Assembly and People's Council election ({law}).",
        ),
        [i for i in order if events[i].kind == "election_step"],
        flat,
    )
    by_central: dict[str, list[int]] = {}
    for i in order:
        central = events[i].central
        if central is not None and (events[i].kind == "congress" or events[i].kind in STEP_KINDS):
            by_central.setdefault(central, []).append(i)
    for central in sorted(by_central):
        org = tree.get(central)
        split.place(
            Feed(
                f"central-{file_id(central)}",
                "central",
                central,
                f"{org.name_vi}: đại hội",
                f"{org.name_en}: congresses",
                f"Đại hội {org.name_vi} và các tổ chức đảng trực thuộc.",
                f"The congresses of the {org.name_en} and of the organisations under it.",
            ),
            by_central[central],
            ["district", "month", "part"],
        )
    by_level: dict[str | None, list[int]] = {}
    for i in order:
        by_level.setdefault(events[i].level, []).append(i)
    for level in tree.levels():
        chosen = by_level.get(level.value, [])
        label = level_label(level.value)
        split.place(
            Feed(
                f"level-{level.value}",
                "level",
                level.value,
                f"Đại hội cấp: {label.vi}",
                f"Congresses: {label.en}",
                f"Mọi đại hội cấp {label.vi.lower()} trên toàn quốc.",
                f"Every congress of the level {label.en}, nationwide.",
            ),
            chosen,
            ["central", "district", "month", "part"],
        )
    for body in (bodies or {}).values():
        _place_body(split, body, [i for i in order if events[i].body in body.members])
    return split.out


def _place_body(split: _Splitter, body: BodyFeed, chosen: list[int]) -> None:
    """A reviewing body's feed (issue 20.3): its reviews in date order."""
    feed = Feed(
        f"body-{file_id(body.id)}",
        "body",
        body.id,
        body.title_vi,
        body.title_en,
        body.about_vi,
        body.about_en,
    )
    split.place(feed, chosen, ["month", "part"])


def recommended_sets(feeds: Sequence[Feed], tree: OrgTree) -> list[RecommendedSet]:
    """The subscription sets the index recommends, one per role; none repeats an event."""
    family: dict[tuple[str, str | None], list[Feed]] = {}
    for feed in feeds:
        family.setdefault((feed.family, feed.owner), []).append(feed)

    def names(*groups: Sequence[Feed]) -> list[str]:
        return [f.name for group in groups for f in group]

    election = family.get(("election", None), [])
    national = family.get(("level", Level.NATIONAL.value), [])
    sets = [
        RecommendedSet(
            "national",
            "Lãnh đạo Trung ương, Ban Tổ chức Trung ương, Hội đồng bầu cử quốc gia",
            "National leadership, Central Organising Commission, National Election Council",
            names(family.get(("overview", None), []), election),
        ),
        RecommendedSet(
            "election",
            "Ủy ban bầu cử, Ban bầu cử, Tổ bầu cử",
            "Election committees, boards and polling teams",
            names(election),
        ),
    ]
    centrals = sorted(owner for kind, owner in family if kind == "central" and owner)
    for central in centrals:
        org = tree.get(central)
        own = family[("central", central)]
        head = [f for f in own if f.under("district") is None]
        if len(head) == len(own):
            sets.append(
                RecommendedSet(
                    f"central:{central}",
                    f"{org.name_vi} và các đảng bộ cấp dưới",
                    f"{org.name_en} and every committee under it",
                    names(own, national, election),
                )
            )
            continue
        sets.append(
            RecommendedSet(
                f"central:{central}",
                f"{org.name_vi}: đại hội của mình và cấp trên cơ sở",
                f"{org.name_en}: its own and the district-level congresses",
                names(head, national, election),
            )
        )
        sets.append(
            RecommendedSet(
                f"central:{central}:all",
                f"{org.name_vi}: mọi đại hội đến cơ sở",
                f"{org.name_en}: every congress down to the grassroots",
                names(own, national, election),
            )
        )
        districts = sorted({d for f in own if (d := f.under("district")) is not None})
        for district in districts:
            unit = tree.get(district)
            parts = [f for f in own if f.under("district") == district]
            sets.append(
                RecommendedSet(
                    f"district:{district}",
                    f"{unit.name_vi} ({org.name_vi})",
                    f"{unit.name_en} ({org.name_en})",
                    names(head, parts, national, election),
                )
            )
    sets += _body_sets(family)
    present = {Level(lv) for (kind, lv) in family if kind == "level" and lv is not None}
    for level in sorted(present, key=_depth):
        own = family[("level", level.value)]
        label = level_label(level.value)
        sets.append(
            RecommendedSet(
                f"level:{level.value}",
                f"Theo dõi cấp {label.vi.lower()} trên toàn quốc",
                f"Following the level {label.en} nationwide",
                names(own, election),
            )
        )
    return sets


def _body_sets(family: Mapping[tuple[str, str | None], list[Feed]]) -> list[RecommendedSet]:
    """One set per reviewing body's feed (a single feed: its reviews are also in the
    committees' feeds, so it is never in a set with them)."""
    out = []
    for (kind, owner), own in family.items():
        if kind == "body" and owner is not None:
            whole = next((f for f in own if not f.path), own[0])
            out.append(
                RecommendedSet(
                    f"body:{owner}",
                    f"Theo dõi {whole.title_vi}",
                    f"Following the {whole.title_en}",
                    [f.name for f in own],
                )
            )
    return out


def select(feeds: Sequence[Feed], scope: str) -> list[Feed]:
    """The feeds of one scope: ``all``, ``overview``, ``election``, ``level:L``, ``org:ORG``."""
    chosen: Callable[[Feed], bool]
    if scope == "all":
        return list(feeds)
    if scope in ("overview", "election"):

        def chosen(f: Feed) -> bool:
            return f.family == scope
    elif scope.startswith("level:"):

        def chosen(f: Feed) -> bool:
            return f.family == "level" and f.owner == scope.split(":", 1)[1]
    elif scope.startswith("org:"):

        def chosen(f: Feed) -> bool:
            return f.family == "central" and f.owner == scope.split(":", 1)[1]
    elif scope.startswith("body:"):

        def chosen(f: Feed) -> bool:
            return f.family == "body" and f.owner == scope.split(":", 1)[1]
    else:
        raise PlannerError(
            f"phạm vi '{scope}' không hợp lệ.",
            f"unknown scope '{scope}'.",
            field="--scope",
            hint_vi="Dùng all, overview, election, level:district, org:p37, body:politburo.",
            hint_en="Use all, overview, election, level:district, org:p37, body:politburo.",
        )
    out = [f for f in feeds if chosen(f)]
    if not out:
        heads = sorted({f.name for f in feeds if not f.path})
        raise PlannerError(
            f"không có lịch cho phạm vi '{scope}'.",
            f"no feed for scope '{scope}'.",
            field="--scope",
            hint_vi=f"Có: {', '.join(heads)}.",
            hint_en=f"Available: {', '.join(heads)}.",
        )
    return out


def _fits(chosen: Sequence[int], sizes: Sequence[int]) -> bool:
    return (
        len(chosen) <= MAX_EVENTS and sum(sizes[i] for i in chosen) + HEADER_ALLOWANCE <= MAX_BYTES
    )


def _level_roles(
    chosen: RecommendedSet, by_name: dict[str, Feed], tree: OrgTree
) -> list[RecommendedSet]:
    """A level too big for one feed, as one role per central-level committee."""
    level = chosen.id.split(":", 1)[1]
    label = level_label(level)
    own = [by_name[name] for name in chosen.feeds if by_name[name].family == "level"]
    rest = [name for name in chosen.feeds if by_name[name].family != "level"]
    centrals = sorted({c for f in own if (c := f.under("central")) is not None})
    out: list[RecommendedSet] = []
    if len(centrals) < 2:  # the same feeds as the level's own set
        return out
    for central in centrals:
        org = tree.get(central)
        parts = [f.name for f in own if f.under("central") == central]
        out.append(
            RecommendedSet(
                f"level:{level}:{central}",
                f"Theo dõi cấp {label.vi.lower()} của {org.name_vi}",
                f"Following the level {label.en} of the {org.name_en}",
                [*parts, *rest],
            )
        )
    return out


def role_feeds(
    sets: Sequence[RecommendedSet],
    feeds: Sequence[Feed],
    events: Sequence[FeedEvent],
    sizes: Sequence[int],
    tree: OrgTree,
) -> tuple[list[Feed], list[RecommendedSet]]:
    """One combined feed for every set of several feeds whose events fit the limits together,
    and the sets with ``feed`` naming it (a level too big nationwide gets a role per
    central-level committee)."""
    by_name = {f.name: f for f in feeds}
    out_feeds: list[Feed] = []
    out_sets: list[RecommendedSet] = []
    queue = list(sets)
    while queue:
        chosen = queue.pop(0)
        out_sets.append(chosen)
        if len(chosen.feeds) < 2:
            continue
        members = sorted(
            {i for name in chosen.feeds for i in by_name[name].events},
            key=lambda i: (events[i].start, events[i].event_id),
        )
        if not _fits(members, sizes):
            if chosen.id.startswith("level:") and chosen.id.count(":") == 1:
                queue[:0] = _level_roles(chosen, by_name, tree)
            continue
        stem = "role-" + ".".join(file_id(part) for part in chosen.id.split(":"))
        many = len(chosen.feeds)
        out_feeds.append(
            Feed(
                stem,
                "role",
                chosen.id,
                f"Vai trò: {chosen.role_vi}",
                f"Role: {chosen.role_en}",
                f"Mọi sự kiện của {many} lịch đề xuất cho vai trò này, gộp trong một lịch "
                "(đăng ký lịch này hoặc các lịch kia, không cả hai).",
                f"Every event of the {many} feeds recommended for this role, in one feed "
                "(subscribe to this one or to those, not both).",
                events=members,
            )
        )
        out_sets[-1] = replace(chosen, feed=f"{stem}.ics")
    return out_feeds, out_sets
