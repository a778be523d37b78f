"""Pins (family ``pin``): a congress whose dates the committee decided sits exactly on them,
and one already held sits on its recorded dates (source: the committee's decision — dates
announced or held; ``data/constraints.toml``)."""

from __future__ import annotations

from planner.analysis.validate.context import PlanCheck
from planner.rules.calendar import date_vi as _vi


def check_pins(check: PlanCheck, held: bool = False) -> None:
    """A pinned congress not held yet (or, with ``held``, one held: always checked) on its
    pinned dates."""
    units = (u for u in check.problem.units if u.pin and u.held == held)
    for unit, start, end in check.present(units):
        assert unit.pin is not None
        if (start, end) == unit.pin:
            continue
        vi, en = check.name(unit.org_id)
        (a, b), (p, q) = (_vi(start), _vi(end)), (_vi(unit.pin[0]), _vi(unit.pin[1]))
        check.add(
            "pin",
            [unit.org_id],
            [start, end, *unit.pin],
            f"Đại hội {vi} đã họp {p}–{q}, kế hoạch lại ghi {a}–{b}."
            if held
            else f"Đại hội {vi} họp {a}–{b}, khác ngày đã chốt {p}–{q}.",
            f"The congress of the {en} was held {unit.pin[0]} – {unit.pin[1]}, but the plan "
            f"says {start} – {end}."
            if held
            else f"The congress of the {en} sits {start} – {end}, not on its pinned dates "
            f"{unit.pin[0]} – {unit.pin[1]}.",
        )


def check_held(check: PlanCheck) -> None:
    """A congress already held on its recorded dates (checked whatever the families' levels)."""
    check_pins(check, held=True)
