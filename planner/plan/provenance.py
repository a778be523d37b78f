"""Which scenario a plan belongs to: its id and a fingerprint of its content.

A plan written by ``planner solve`` or ``replan`` records both (columns ``scenario`` and
``scenario_fingerprint`` of the CSV, ``meta`` of the JSON), so ``planner ical``, ``check --plan``
and ``replan`` can find the scenario themselves, and refuse one that is not the plan's: iCal UIDs
are built from the scenario id, and a plan exported under another scenario's id would silently
become that scenario's events in every subscribed calendar.

The fingerprint is a SHA-256 of the scenario document as validated (after ``--set``), in a
canonical JSON form: comments, key order and formatting do not change it; any value does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from planner.errors import PlannerError
from planner.files.paths import data_dir, display_path
from planner.scenario.builder import load_scenario
from planner.scenario.model import Scenario

SCENARIO_COLUMN = "scenario"
FINGERPRINT_COLUMN = "scenario_fingerprint"


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def scenario_fingerprint(scenario: Scenario) -> str:
    """``sha256:`` and 16 hex digits of the scenario's canonical content."""
    text = json.dumps(
        scenario.raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    )
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class PlanOrigin:
    """The scenario a plan was made from, as the plan records it."""

    scenario: str
    fingerprint: str | None


def stamp_plan(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Record the scenario in the plan (``frame.attrs``), for
    :func:`planner.plan.frame.write_plan`."""
    frame.attrs[SCENARIO_COLUMN] = scenario.id
    frame.attrs[FINGERPRINT_COLUMN] = scenario_fingerprint(scenario)
    return frame


def plan_origin(frame: pd.DataFrame) -> PlanOrigin | None:
    """The scenario recorded in a plan, or None for a plan that records none (hand-typed)."""
    scenario = frame.attrs.get(SCENARIO_COLUMN)
    if not scenario:
        return None
    return PlanOrigin(str(scenario), frame.attrs.get(FINGERPRINT_COLUMN) or None)


def builtin_scenarios() -> dict[str, Path]:
    """The scenarios shipped in ``data/scenarios``, by id."""
    found: dict[str, Path] = {}
    for path in sorted((data_dir() / "scenarios").glob("*.toml")):
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        found.setdefault(str(raw.get("id") or path.stem), path)
    return found


def _given(text: str, sets: Sequence[str]) -> Scenario:
    """``--scenario``: a file, or the id of a built-in scenario."""
    path = Path(text)
    if path.is_file():
        return load_scenario(path, sets)
    builtin = builtin_scenarios()
    if text in builtin:
        return load_scenario(builtin[text], sets)
    raise PlannerError(
        "không tìm thấy tệp kịch bản.",
        "scenario file not found.",
        file=path.name,
        hint_vi=f"Cho đường dẫn tệp hoặc mã kịch bản có sẵn: {', '.join(builtin)}.",
        hint_en=f"Give a file path or a built-in scenario id: {', '.join(builtin)}.",
    )


def scenario_for_plan(
    origin: PlanOrigin | None,
    given: str | None,
    sets: Sequence[str],
    *,
    plan_file: str,
    exact: bool,
) -> tuple[Scenario, list[str]]:
    """The scenario to use with a plan, and notes to show.

    ``given`` (a file or built-in id) is used when there; else the plan's own scenario, found
    among the built-in ones. A scenario with another id than the plan's is refused. With
    ``exact`` (``planner ical``), so is a different fingerprint, and a plan that records no
    scenario needs ``given``; otherwise a different fingerprint is a note (``check`` and
    ``replan`` compare a plan with a changed scenario on purpose).
    """
    notes: list[str] = []
    if given:
        scenario = _given(given, sets)
    elif origin is not None:
        path = builtin_scenarios().get(origin.scenario)
        if path is None:
            raise PlannerError(
                f"kế hoạch được lập từ kịch bản '{origin.scenario}', không có sẵn trong "
                "data/scenarios.",
                f"the plan was made from scenario '{origin.scenario}', which is not built in.",
                file=plan_file,
                hint_vi="Cho tệp kịch bản đó: --scenario FILE.",
                hint_en="Give that scenario file: --scenario FILE.",
            )
        scenario = load_scenario(path, sets)
        notes.append(
            f"Kịch bản theo kế hoạch / scenario recorded in the plan: {scenario.id} "
            f"({display_path(path)})"
        )
    elif exact:
        raise PlannerError(
            "kế hoạch không ghi kịch bản của nó; UID của lịch lấy từ mã kịch bản.",
            "the plan does not record its scenario; the feeds' UIDs come from the scenario id.",
            file=plan_file,
            hint_vi="Cho kịch bản: --scenario FILE hoặc mã có sẵn (xiii-2020).",
            hint_en="Name the scenario: --scenario FILE or a built-in id (xiii-2020).",
        )
    else:
        scenario = load_scenario(None, sets)
    if origin is None:
        return scenario, notes
    if scenario.id != origin.scenario:
        raise PlannerError(
            f"kế hoạch thuộc kịch bản '{origin.scenario}', không phải '{scenario.id}'.",
            f"the plan belongs to scenario '{origin.scenario}', not '{scenario.id}'.",
            file=plan_file,
            field=SCENARIO_COLUMN,
            hint_vi="Dùng đúng kịch bản đã lập kế hoạch (hoặc bỏ trống để tự tìm).",
            hint_en="Use the scenario the plan was made from (or leave it out to find it).",
        )
    fingerprint = scenario_fingerprint(scenario)
    if origin.fingerprint and origin.fingerprint != fingerprint:
        if exact:
            raise PlannerError(
                f"kịch bản '{scenario.id}' đã khác với lúc lập kế hoạch (dấu vân tay "
                f"{origin.fingerprint}, nay {fingerprint}).",
                f"scenario '{scenario.id}' differs from the one the plan was made from "
                f"(fingerprint {origin.fingerprint}, now {fingerprint}).",
                file=plan_file,
                field=FINGERPRINT_COLUMN,
                hint_vi="Dùng cùng tệp và cùng --set như khi lập kế hoạch, hoặc lập lại kế hoạch.",
                hint_en="Use the same file and --set as when planning, or plan again.",
            )
        notes.append(
            f"Lưu ý: kịch bản đã khác lúc lập kế hoạch ({origin.fingerprint} → {fingerprint}). / "
            f"Note: the scenario differs from the plan's ({origin.fingerprint} → {fingerprint})."
        )
    return scenario, notes
