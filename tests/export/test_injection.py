"""No text can break out of its iCalendar property (RFC 5545 §3.3.11): a scenario id, a name,
an organisation or a plan cell with CR/LF and ``ATTENDEE:`` text stays inside its value."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import icalendar
import pandas as pd
import pytest
import vobject
from ical.calendar_stream import IcsCalendarStream

from planner.errors import PlannerError
from planner.export.ical import escape_text, export_feeds, uid_for
from planner.export.lint import lint_feed
from planner.tree.hierarchy import Level, Org, OrgTree

from ..tiny import tiny_scenario
from .conftest import unfold
from .test_ical import _plan, _tree

EVIL = "x\r\nATTENDEE:mailto:evil@example.org\rBEGIN:VALARM\nEND:VEVENT"


def _assert_nothing_injected(folder: Path) -> None:
    feeds = sorted(folder.glob("*.ics"))
    assert feeds
    for path in feeds:
        data = path.read_bytes()
        assert lint_feed(data, path.name) == [], path.name
        lines = unfold(data).split(b"\r\n")
        assert not [line for line in lines if line.startswith((b"ATTENDEE", b"BEGIN:VALARM"))]
        assert lines.count(b"BEGIN:VEVENT") == lines.count(b"END:VEVENT")
        cal = icalendar.Calendar.from_ical(data)
        for component in cal.walk():
            assert "ATTENDEE" not in component, path.name
            assert component.name != "VALARM"
        text = data.decode("utf-8")
        vobject.readOne(text, validate=True)
        IcsCalendarStream.calendar_from_ics(text)


def test_scenario_id_and_names(tmp_path: Path) -> None:
    """A scenario id and names with CR/LF and property text (the loader may refuse such ids
    one day; the export is safe on its own)."""
    scenario, plan = _plan()
    evil = dataclasses.replace(scenario, id=f"tiny{EVIL}", name_vi=EVIL, name_en=EVIL)
    export_feeds(plan, evil, _tree(), tmp_path / "feeds")
    _assert_nothing_injected(tmp_path / "feeds")
    uid = uid_for(evil.id, "congress:a")
    assert "\r" not in uid and "\n" not in uid and " " not in uid and uid.endswith("@planner")
    assert uid_for("xiii-2020", "congress:p37") == "xiii-2020.congress.p37@planner"  # unchanged


def test_organisation_names_and_plan_cells(tmp_path: Path) -> None:
    """Organisation names from the tree and names, rules and sources from a plan file."""
    tree = _tree()
    orgs = [
        dataclasses.replace(o, name_vi=o.name_vi + EVIL, name_en=EVIL) if o.org_id == "a1" else o
        for o in tree
    ]
    orgs.append(Org("a3", "Đảng bộ a3", EVIL, Level.DISTRICT, "a", "t", province_code=1))
    scenario, plan = _plan()
    row = plan[plan["event_id"] == "congress:a2"].iloc[0].to_dict()
    plan = pd.concat(
        [
            plan,
            pd.DataFrame(
                [
                    {**row, "event_id": "congress:a3", "org_id": "a3"},
                    {
                        "event_id": "plenum:evil",
                        "kind": "plenum",
                        "start": row["start"],
                        "end": row["end"],
                        "name_vi": EVIL,
                        "name_en": EVIL,
                        "rule": EVIL,
                        "source": EVIL,
                    },
                ]
            ),
        ],
        ignore_index=True,
    )
    export_feeds(plan, scenario, OrgTree(orgs), tmp_path / "feeds")
    _assert_nothing_injected(tmp_path / "feeds")
    overview = icalendar.Calendar.from_ical((tmp_path / "feeds" / "overview.ics").read_bytes())
    plenum = next(e for e in overview.walk("VEVENT") if "plenum" in str(e["UID"]))
    assert "ATTENDEE:mailto:evil@example.org" in str(plenum["SUMMARY"])  # kept, as text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a,b;c\\d", "a\\,b\\;c\\\\d"),
        ("line\r\nnext", "line\\nnext"),
        ("line\rnext\nlast", "line\\nnext\\nlast"),
        ("bell\x07 nul\x00 tab\t", "bell  nul  tab\t"),
        ("Đảng bộ", "Đảng bộ"),
    ],
)
def test_escape_text(raw: str, escaped: str) -> None:
    """RFC 5545 §3.3.11: backslash, semicolon, comma escaped, every newline form as \\n, other
    control characters (§3.1) replaced; HTAB and non-ASCII letters kept."""
    assert escape_text(raw) == escaped


def test_scenario_loader_refuses_such_names_first() -> None:
    """Through the real loader, a TOML basic string with \\r\\n in a name is refused before
    any export (the tests above show the export is safe on its own)."""
    text = tiny_scenario().text.replace(
        'name_vi = "Thử nhỏ"', 'name_vi = "Thử\\r\\nATTENDEE:mailto:evil@example.org"'
    )
    with pytest.raises(PlannerError) as err:
        tiny_scenario(text=text)
    assert err.value.field and "name_vi" in err.value.field
