"""The user's time budget: wall-clock seconds for a whole command, or reproducible solver time.

By default ``--time-limit S`` is the user's wall clock: the command (reading, building, solving,
validating, writing) ends within S seconds plus a small stated overhead, on a loaded machine too,
and every sub-model gets a share of what is left when it starts, so a model that finishes early
hands its unused time on. ``--deterministic`` instead counts CP-SAT's deterministic seconds with
fixed shares: the same seed and worker count give the same plan, at the cost of a wall time that
grows with the machine's load (a wall-clock safety net, ``WALL_FACTOR`` times the share, still
stops a sub-model; the constructive floor then stands in and the run is marked not reproducible).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from planner.errors import PlannerError

WALL_FACTOR = 10  # deterministic mode: wall-clock safety net per sub-model, times its share
MIN_LIMIT = 0.1  # seconds
MAX_LIMIT = 24 * 3600.0  # seconds: a day; longer budgets are refused
# Wall time kept back for what follows the search (building the plan, validating, writing).
# Measured on the nationwide plan (53,334 congresses, quiet machine): the floor takes about
# 0.5 s and make_plan + validate + CSV about 1.8 s, so the reserve is FLOOR_FACTOR times the
# floor's time in this very run, which scales it with the machine's load as it is now; before
# the floor is built (or without one), the quiet machine's cost per congress.
RESERVE_PER_UNIT = 35e-6
RESERVE_BASE = 0.2
FLOOR_FACTOR = 4.0


def check_time_limit(value: float, option: str = "--time-limit") -> float:
    """A budget in seconds, refused with exit 2 when not a finite number in the sane range."""
    if not math.isfinite(value) or value < MIN_LIMIT or value > MAX_LIMIT:
        raise PlannerError(
            f"{option} = {value:g} ngoài khoảng cho phép {MIN_LIMIT:g}–{MAX_LIMIT:g} giây.",
            f"{option} = {value:g} is outside the allowed range {MIN_LIMIT:g}–{MAX_LIMIT:g} s.",
            field=option,
            hint_vi="Cho một số giây hữu hạn, ví dụ --time-limit 30.",
            hint_en="Give a finite number of seconds, e.g. --time-limit 30.",
        )
    return value


@dataclass
class Budget:
    """A time budget counted from ``started`` (``time.monotonic()``, e.g. the command's start).

    ``limit`` is wall-clock seconds, or CP-SAT deterministic seconds when ``deterministic``.
    """

    limit: float
    deterministic: bool = False
    started: float = field(default_factory=time.monotonic)
    spent_deterministic: float = 0.0
    floor_seconds: float | None = None  # how long the floor took in this run (calibrates)

    @property
    def deadline(self) -> float:
        """The monotonic time at which the budget runs out (wall mode)."""
        return self.started + self.limit

    def remaining(self) -> float:
        """Seconds left: wall-clock, or deterministic seconds not yet handed out."""
        if self.deterministic:
            return max(0.0, self.limit - self.spent_deterministic)
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        """Whether the wall-clock budget is used up (never in deterministic mode)."""
        return not self.deterministic and time.monotonic() >= self.deadline

    def reserve(self, units: int) -> float:
        """Wall seconds to keep for building, validating and writing a plan of ``units``."""
        if self.floor_seconds is not None:
            return RESERVE_BASE + FLOOR_FACTOR * self.floor_seconds
        return RESERVE_BASE + RESERVE_PER_UNIT * units

    def sub(self, share: float) -> Budget:
        """A budget for one part: ``share`` seconds from now (capped by this budget)."""
        if self.deterministic:
            return Budget(share, True)
        return Budget(max(0.0, min(share, self.remaining())), False)
