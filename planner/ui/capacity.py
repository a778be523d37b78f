"""How much of the machine one job takes: the CP-SAT workers of one solve. The job pool
(:mod:`planner.ui.jobs`) sizes itself by it and the tasks (:mod:`planner.ui.tasks`) solve with
it, so neither needs the other for the number."""

from __future__ import annotations

SOLVER_THREADS = 2  # CP-SAT workers per solve (the pool and the tasks use the same number)
