"""Checks of a built scenario against its law, the congress kinds and its organisation tree.

The election steps the alignment names exist in the scenario's election law; the congress kinds
and unit sets it names exist in ``data/kinds.toml``; every organisation and province it names
exists in its era's tree and is planned.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.errors import PlannerError
from planner.rules.catalogue import RuleSet
from planner.rules.congress_kinds import load_kinds
from planner.scenario.model import Scenario
from planner.scenario.schema import ALIGNMENT_RULES
from planner.scenario.values import Reader
from planner.tree.hierarchy import OrgTree
from planner.tree.names import lv_en, lv_vi


def check_steps(r: Reader, scenario: Scenario) -> None:
    """The election steps the alignment names exist in the scenario's law."""
    law = scenario.election_law
    keys = ["alignment.national_before_step"]
    if scenario.alignment_rule == "national_between_steps":
        if scenario.national_after_step is None:
            raise r.error(
                "alignment.national_after_step",
                "national_between_steps cần alignment.national_after_step.",
                "national_between_steps needs alignment.national_after_step.",
            )
        keys.append("alignment.national_after_step")
    for key in keys:
        step = r.value(key)
        try:
            law.get(step)
        except PlannerError:
            raise r.error(
                key,
                f"không có bước bầu cử '{step}' trong {law.id}.",
                f"no election step '{step}' in {law.id}.",
                "Xem `planner timetable`.",
                "See `planner timetable`.",
            ) from None
    assert scenario.alignment_rule in ALIGNMENT_RULES


def check_kinds(r: Reader, scenario: Scenario, directive: RuleSet | None) -> None:
    """Congress kinds and unit sets named by the scenario exist (data/kinds.toml)."""
    if not scenario.kind_sets and not scenario.kind_units:
        return
    kinds = load_kinds()
    for name in scenario.kind_sets:
        if name not in kinds.unit_sets:
            raise r.error(
                "kinds.sets",
                f"không có nhóm đơn vị '{name}'; có: {', '.join(kinds.unit_sets)}.",
                f"no unit set '{name}'; available: {', '.join(kinds.unit_sets)}.",
            )
    for org, kind in scenario.kind_units.items():
        if kind not in kinds.kinds:
            raise r.error(
                "kinds.units",
                f"'{org}': không có loại đại hội '{kind}'; có: {', '.join(kinds.kinds)}.",
                f"'{org}': no congress kind '{kind}'; available: {', '.join(kinds.kinds)}.",
            )
    if directive is None:
        raise r.error(
            "kinds",
            "loại đại hội cần một chỉ thị (quy tắc thời gian đại hội).",
            "congress kinds need a directive (its duration rules).",
        )


def check_orgs(scenario: Scenario, tree: OrgTree, planned_ids: Iterable[str] | None = None) -> None:
    """Every org and province named by the scenario exists in its tree and is planned."""
    planned = set(scenario.planned_orgs(tree) if planned_ids is None else planned_ids)
    r = Reader(scenario.raw, scenario.text, scenario.file, scenario.sets)
    codes = {o.province_code for o in tree if o.province_code is not None}
    for level, plan in scenario.levels.items():
        unknown_codes = sorted(set(plan.provinces or ()) - codes)
        if unknown_codes:
            raise r.error(
                f"levels.{level.value}.provinces",
                f"không có tỉnh mã {unknown_codes[0]} (levels.{level.value}.provinces).",
                f"no province with code {unknown_codes[0]} (levels.{level.value}.provinces).",
                "Xem mã tỉnh bằng `planner orgs --level central`.",
                "List province codes with `planner orgs --level central`.",
            )
    named = [
        *(("pins", p.org) for p in scenario.pins),
        *(("preferred", p.org) for p in scenario.preferences),
        *(("pilots.units", org) for org in scenario.pilot_units),
        *(("kinds.units", org) for org in scenario.kind_units),
    ]
    for key, org in named:
        if org not in tree:
            try:
                tree.get(org)
            except PlannerError as exc:
                raise r.error(
                    key, exc.message_vi, exc.message_en, exc.hint_vi or "", exc.hint_en or ""
                ) from None
        if org not in planned and key != "kinds.units":
            raise r.error(
                key,
                f"'{org}' không được lập lịch trong kịch bản này (cấp hoặc tỉnh không được chọn).",
                f"'{org}' is not planned by this scenario (its level or province is not selected).",
            )
    for org in scenario.pilot_units:
        level = tree.get(org).level
        if level not in scenario.pilot_windows:
            raise r.error(
                "pilots.units",
                f"không có khung đại hội điểm cho cấp {lv_vi(level)} ('{org}').",
                f"no pilot window for the {lv_en(level)} level ('{org}').",
                f"Thêm pilots.windows.{level.value}.",
                f"Add pilots.windows.{level.value}.",
            )
    for pin in scenario.pins:
        plan = scenario.levels[tree.get(pin.org).level]
        if pin.end is not None and (pin.end - pin.start).days + 1 > plan.max_days:
            raise r.error(
                "pins",
                f"'{pin.org}' được chốt {(pin.end - pin.start).days + 1} ngày, quá mức tối đa "
                f"{plan.max_days} ngày.",
                f"'{pin.org}' is pinned for {(pin.end - pin.start).days + 1} days, over the "
                f"maximum of {plan.max_days}.",
            )
    for blackout in scenario.blackouts:
        unknown = sorted((blackout.provinces or frozenset()) - codes)
        if unknown:
            raise r.error(
                "blackouts.ranges",
                f"khoảng chặn '{blackout.id}': không có tỉnh mã {unknown[0]}.",
                f"blackout '{blackout.id}': no province with code {unknown[0]}.",
                "Xem mã tỉnh bằng `planner orgs --level central`.",
                "List province codes with `planner orgs --level central`.",
            )
