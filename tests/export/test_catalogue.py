"""The feed catalogue: every feed within what clients read, recommended sets without repeats,
and the splitting rule of the README, nationwide and on hand-made cases."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from planner.export import catalogue
from planner.export.catalogue import build_catalogue, recommended_sets
from planner.export.events import FeedEvent
from planner.tree.hierarchy import Level, OrgTree

from ..tiny import org, tiny_tree
from .conftest import Nationwide, uids

LIMIT_BYTES = 1_000_000  # Google Calendar's reported ceiling for a subscribed feed
LIMIT_EVENTS = 1000


def test_nationwide_feeds_stay_within_client_limits(nationwide: Nationwide) -> None:
    """No feed of the nationwide catalogue is over 1 MB or 1,000 events (counted here)."""
    feeds = sorted(nationwide.folder.glob("*.ics"))
    assert len(feeds) > 300  # the big committees and levels are split
    sizes = {p.name: p.stat().st_size for p in feeds}
    counts = {p.name: p.read_bytes().count(b"BEGIN:VEVENT") for p in feeds}
    assert max(sizes.values()) <= LIMIT_BYTES, max(sizes.items(), key=lambda kv: kv[1])
    assert max(counts.values()) <= LIMIT_EVENTS, max(counts.items(), key=lambda kv: kv[1])
    largest = nationwide.result.largest
    assert sizes[largest[0]] == largest[1] == max(sizes.values())
    assert "level-grassroots.ics" not in sizes  # 54 MB and 52,105 events before (issue 14)
    index = json.loads((nationwide.folder / "index.json").read_text(encoding="utf-8"))
    assert {f["file"]: f["events"] for f in index["feeds"]} == counts


def test_nationwide_manifest_is_small(nationwide: Nationwide) -> None:
    """The manifest holds what SEQUENCE needs for 53,374 events in under 2 MB (was 7.5 MB)."""
    assert (nationwide.folder / "manifest.json").stat().st_size <= 2_000_000


def test_recommended_sets_never_repeat_an_event(nationwide: Nationwide) -> None:
    """Subscribing to every feed of a recommended set shows each event once."""
    index = json.loads((nationwide.folder / "index.json").read_text(encoding="utf-8"))
    cache: dict[str, list[str]] = {}

    def of(name: str) -> list[str]:
        if name not in cache:
            cache[name] = uids((nationwide.folder / name).read_bytes())
        return cache[name]

    ids = {s["id"] for s in index["sets"]}
    assert {"national", "election", "central:p01", "central:p37", "level:grassroots"} <= ids
    assert any(i.startswith("district:") for i in ids) and "central:c-army:all" in ids
    for chosen in index["sets"]:
        seen = Counter(uid for name in chosen["feeds"] for uid in of(name))
        repeated = [uid for uid, n in seen.items() if n > 1]
        assert not repeated, (chosen["id"], repeated[:3])
        assert chosen["role_vi"] and chosen["role_en"]


def test_every_congress_once_in_the_committee_feeds(nationwide: Nationwide) -> None:
    """The committee feeds (all their parts) hold every congress below the national one once,
    with the preparation steps of the plan once each (issue 20.3), and a committee's set with
    all its parts holds its whole tree."""
    found = Counter(
        uid for path in nationwide.folder.glob("central-*.ics") for uid in uids(path.read_bytes())
    )
    assert max(found.values()) == 1
    congresses = [u for u in found if ".congress." in u]
    assert len(congresses) == nationwide.congresses - 1  # all but the national congress
    assert len(found) - len(congresses) == nationwide.steps
    army = [p for p in nationwide.folder.glob("central-c-army*.ics")]
    assert len(army) > 1  # 3,201 congresses: split by district-level unit
    in_army = [u for p in army for u in uids(p.read_bytes())]
    assert sum(".congress." in u for u in in_army) == 3201


def test_election_steps_live_only_in_the_election_feed(nationwide: Nationwide) -> None:
    """The 36 dated election steps appear in election.ics and nowhere else (they were in 69
    feeds each) but the combined role feeds, each a subscription of its own (F8)."""
    where = Counter(
        path.name
        for path in nationwide.folder.glob("*.ics")
        for uid in uids(path.read_bytes())
        if ".election." in uid and not path.name.startswith("role-")
    )
    assert where == {"election.ics": 36}


def test_one_feed_per_role_where_it_fits(nationwide: Nationwide) -> None:
    """F8: a role whose feeds fit the limits together subscribes to one combined feed holding
    exactly their events: a district-level unit, a committee, the district-level congresses
    of one province (68 subscriptions for the district level nationwide before); the index
    says which feed each role subscribes to."""
    folder = nationwide.folder
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    sets = {s["id"]: s for s in index["sets"]}
    feeds = {f["file"]: f for f in index["feeds"]}
    assert sets["level:district"]["feed"] is None  # 1,195 events: too many for one feed
    assert sets["level:district:p37"]["feed"] == "role-level.district.p37.ics"
    assert all(sets[i]["feed"] for i in sets if i.startswith(("district:", "level:district:")))
    assert sets["national"]["feed"] == "role-national.ics"
    checked = 0
    for chosen in index["sets"]:
        events = sum(feeds[name]["events"] for name in chosen["feeds"])
        octets = sum(feeds[name]["bytes"] for name in chosen["feeds"])
        if chosen["feed"] is None:
            assert len(chosen["feeds"]) == 1 or events > LIMIT_EVENTS or octets > LIMIT_BYTES
            continue
        combined = uids((folder / chosen["feed"]).read_bytes())
        assert len(combined) == events <= LIMIT_EVENTS, chosen["id"]
        assert feeds[chosen["feed"]]["bytes"] <= LIMIT_BYTES
        if checked < 40 or chosen["id"].startswith("level:"):
            members = [u for name in chosen["feeds"] for u in uids((folder / name).read_bytes())]
            assert sorted(combined) == sorted(members), chosen["id"]
        checked += 1
    assert checked > 300
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Một lịch / One feed" in page and 'href="role-level.district.p37.ics"' in page


def test_index_page_explains_the_roles(nationwide: Nationwide) -> None:
    """index.html says, in Vietnamese and English, which feeds each role subscribes to."""
    page = (nationwide.folder / "index.html").read_text(encoding="utf-8")
    index = json.loads((nationwide.folder / "index.json").read_text(encoding="utf-8"))
    assert "Chọn lịch theo vai trò / Feeds for your role" in page
    for chosen in index["sets"][:40]:
        assert chosen["role_en"].replace("'", "&#x27;") in page
    assert "Đảng bộ Quân đội" in page and "Army Party Committee" in page
    assert 'href="central-p37.ics"' in page


# -- the splitting rule, on hand-made events -----------------------------------------------


def _tree() -> OrgTree:
    """The tiny tree with four grassroots organisations under a1 and one under a2."""
    grassroots = [org(f"a1g{i}", Level.GRASSROOTS, "a1", 1) for i in range(4)]
    return tiny_tree([*grassroots, org("a2g0", Level.GRASSROOTS, "a2", 1)])


def _events(tree: OrgTree, months: dict[str, int] | None = None) -> list[FeedEvent]:
    out = []
    for each in tree:
        central = next(
            (o.org_id for o in tree.path_to_root(each.org_id) if o.level == "central"), None
        )
        district = next(
            (o.org_id for o in tree.path_to_root(each.org_id) if o.level == "district"), None
        )
        day = dt.date(2020, (months or {}).get(each.org_id, 3), 1)
        out.append(
            FeedEvent(
                event_id=f"congress:{each.org_id}",
                scenario="t",
                kind="congress",
                level=each.level.value,
                central=central,
                district=district,
                start=day,
                end=day,
                timed=False,
                parts=(),
                digest="x",
                depth=each.level.depth,
            )
        )
    return out


def _names(feeds: list[catalogue.Feed], events: list[FeedEvent]) -> dict[str, set[str]]:
    return {f.name: {events[i].event_id.split(":")[1] for i in f.events} for f in feeds}


def test_a_committee_within_limits_is_one_feed() -> None:
    """Under the limits a committee's feed holds its whole tree."""
    tree = _tree()
    events = _events(tree)
    names = _names(build_catalogue(events, [100] * len(events), tree), events)
    assert names["central-a.ics"] == {"a", "a1", "a2", "a1g0", "a1g1", "a1g2", "a1g3", "a2g0"}
    assert names["level-grassroots.ics"] == {"a1g0", "a1g1", "a1g2", "a1g3", "a2g0"}


def test_split_by_district_then_month_then_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Over the limit (here 3 events): the committee keeps its own and the district-level
    congresses, each district-level unit's grassroots go to ``<feed>.<unit>.ics``, a part still
    over it is split by month, then in consecutive parts; level feeds split by committee first."""
    monkeypatch.setattr(catalogue, "MAX_EVENTS", 3)
    tree = _tree()
    months = {"a1g0": 1, "a1g1": 1, "a1g2": 1, "a1g3": 2}
    events = _events(tree, months)
    names = _names(build_catalogue(events, [100] * len(events), tree), events)
    assert names["central-a.ics"] == {"a", "a1", "a2"}
    assert names["central-a.a1.2020-01.ics"] == {"a1g0", "a1g1", "a1g2"}
    assert names["central-a.a1.2020-02.ics"] == {"a1g3"}
    assert names["central-a.a2.ics"] == {"a2g0"}
    assert names["central-b.ics"] == {"b", "b1"}
    assert names["level-grassroots.a.a1.2020-01.ics"] == {"a1g0", "a1g1", "a1g2"}
    assert names["level-grassroots.a.a2.ics"] == {"a2g0"}
    assert "level-grassroots.ics" not in names
    months = dict.fromkeys(months, 1)  # one month: nothing to split by, so parts
    events = _events(tree, months)
    names = _names(build_catalogue(events, [100] * len(events), tree), events)
    assert names["central-a.a1.part1.ics"] == {"a1g0", "a1g1", "a1g2"}
    assert names["central-a.a1.part2.ics"] == {"a1g3"}


def test_split_by_size_as_well(monkeypatch: pytest.MonkeyPatch) -> None:
    """The octet limit splits too: 8 events of 300 kB cannot share a 1 MB feed."""
    tree = _tree()
    events = _events(tree)
    names = _names(build_catalogue(events, [300_000] * len(events), tree), events)
    assert all(len(ids) <= 3 for ids in names.values())
    assert names["central-a.ics"] == {"a", "a1", "a2"}


def test_recommended_sets_of_a_split_committee(monkeypatch: pytest.MonkeyPatch) -> None:
    """A split committee gets a set for itself, one for everything, one per district-level
    unit (its part with the committee's own feed), each with the election feed."""
    monkeypatch.setattr(catalogue, "MAX_EVENTS", 4)
    tree = _tree()
    events = _events(tree)
    feeds = build_catalogue(events, [1] * len(events), tree)
    sets = {s.id: s.feeds for s in recommended_sets(feeds, tree)}
    assert sets["central:a"] == ["central-a.ics", "level-national.ics"]
    assert sets["district:a1"] == ["central-a.ics", "central-a.a1.ics", "level-national.ics"]
    assert set(sets["central:a:all"]) == {
        "central-a.ics",
        "central-a.a1.ics",
        "central-a.a2.ics",
        "level-national.ics",
    }
    assert sets["central:b"] == ["central-b.ics", "level-national.ics"]


def test_role_feeds_on_a_small_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """F8: every set of several feeds that fit together gets one combined role feed (here at
    most 5 events); a level too big for one feed gets one role per central-level committee,
    each with its combined feed."""
    monkeypatch.setattr(catalogue, "MAX_EVENTS", 5)
    grassroots = [org(f"a1g{i}", Level.GRASSROOTS, "a1", 1) for i in range(3)]
    grassroots += [org("a2g0", Level.GRASSROOTS, "a2", 1)]
    grassroots += [org(f"b1g{i}", Level.GRASSROOTS, "b1", 2) for i in range(2)]
    tree = tiny_tree(grassroots)
    day = dt.date(2021, 5, 23)
    voting = FeedEvent("election:voting", "t", "election_step", None, None, None, day, day,
                       False, (), "x", -1)  # fmt: skip
    events = [*_events(tree), voting]
    sizes = [1] * len(events)
    feeds = build_catalogue(events, sizes, tree)
    roles, sets = catalogue.role_feeds(recommended_sets(feeds, tree), feeds, events, sizes, tree)
    by_id = {s.id: s for s in sets}
    names = _names(roles, events)
    assert by_id["level:grassroots"].feed is None  # 6 congresses and the election: 7 > 5
    assert by_id["level:grassroots:a"].feeds == ["level-grassroots.a.ics", "election.ics"]
    assert by_id["level:grassroots:a"].feed == "role-level.grassroots.a.ics"
    assert names["role-level.grassroots.a.ics"] == {"a1g0", "a1g1", "a1g2", "a2g0", "voting"}
    assert names["role-level.grassroots.b.ics"] == {"b1g0", "b1g1", "voting"}
    assert by_id["national"].feed == "role-national.ics"
    assert by_id["district:a1"].feed is None  # 8 events > 5: the set stays
    assert by_id["election"].feed is None  # one feed: nothing to combine
    assert all(len(f.events) <= 5 for f in roles)


def test_file_names_are_safe(tmp_path: Path) -> None:
    """An org id that is not a safe file name becomes one (no separators, no dots)."""
    from planner.export.ics import file_id

    for raw in ("../../etc/passwd", "a b", "x\r\ny", "ok-id_1"):
        name = file_id(raw)
        assert "/" not in name and ".." not in name and "\r" not in name and " " not in name
    assert file_id("ok-id_1") == "ok-id_1"
    assert file_id("a/b") != file_id("a_b")
