"""Shared fixtures of the export tests: the nationwide feeds, exported once per session."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.export.ical import ExportResult, export_feeds
from planner.files.paths import data_dir
from planner.problem.units import build_problem
from planner.scenario.builder import load_scenario
from planner.solver import solve
from planner.tree.build import build_tree

_UID = re.compile(rb"\r\nUID:([^\r\n]*)\r\n")


def unfold(data: bytes) -> bytes:
    """RFC 5545 §3.1 unfolding, independent of the exporter."""
    return data.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")


def uids(data: bytes) -> list[str]:
    """The UIDs of the VEVENTs of a feed (the calendar's own UID comes before any BEGIN)."""
    body = unfold(data)
    events = body.split(b"BEGIN:VEVENT")[1:]
    found = [_UID.search(b"\r\n" + event) for event in events]
    return [match.group(1).decode() if match else "" for match in found]


@dataclass
class Nationwide:
    """The feeds of a valid nationwide plan (every one of the 53,334 congresses)."""

    folder: Path
    result: ExportResult
    congresses: int
    steps: int  # preparation step rows (review, announce, report, approval)


@pytest.fixture(scope="session")
def nationwide(tmp_path_factory: pytest.TempPathFactory) -> Nationwide:
    """``xiii-2020-full`` planned by the greedy scheduler (a valid plan in seconds, validated
    by the solver's own check) and exported once."""
    scenario = load_scenario(data_dir() / "scenarios" / "xiii-2020-full.toml")
    tree = build_tree()
    report = solve(build_problem(scenario, tree), strategy="greedy", workers=1)
    assert report.plan is not None
    folder = tmp_path_factory.mktemp("nationwide") / "feeds"
    result = export_feeds(report.plan, scenario, tree, folder)
    congresses = int((report.plan["kind"] == "congress").sum())
    steps = int(report.plan["kind"].isin(["review", "announce", "report", "approval"]).sum())
    return Nationwide(folder, result, congresses, steps)
