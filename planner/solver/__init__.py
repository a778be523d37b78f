"""CP-SAT scheduling: model building (one function per constraint family) and solving."""

from planner.solver.model import CongressModel, build_model
from planner.solver.solve import SolveReport, solve

__all__ = ["CongressModel", "SolveReport", "build_model", "solve"]
