"""What every family's checker shares: the problem, the plan's congress dates, the names of the
organisations, the rules cited and the list the violations are added to, in order.

A violation cites the rule the scenario's data names (its legal source and its Vietnamese and
English names, :mod:`planner.rules.catalogue`), else its constraint family's source
(``data/constraints.toml``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from planner.analysis.validate.verdict import Violation
from planner.errors import PlannerError
from planner.problem.units import Problem, Unit
from planner.rules.catalogue import Rule
from planner.rules.families import family

Dates = dict[str, tuple[dt.date, dt.date]]  # org id → the plan's congress (start, end)
Dated = tuple[Unit, dt.date, dt.date]  # a unit with its planned congress dates


class PlanCheck:
    """A plan's congress dates against a problem, and the violations found so far."""

    def __init__(self, problem: Problem, dates: Dates) -> None:
        self.problem = problem
        self.scenario = problem.scenario
        self.dates = dates
        self.out: list[Violation] = []
        self.every = self.present(problem.units)

    def name(self, org_id: str) -> tuple[str, str]:
        """The organisation's Vietnamese and English names, each with its id."""
        org = self.problem.tree.get(org_id)
        return f"{org.name_vi} ({org_id})", f"{org.name_en} ({org_id})"

    def rule(self, rule_id: str) -> Rule | None:
        """The scenario's rule of that id, from any of its rule sets (None if none has it)."""
        for rules in self.scenario.rulesets.values():
            try:
                return rules.get(rule_id)
            except PlannerError:
                continue
        return None

    def directive_rule(self, family: str, **params: str) -> str | None:
        """The id of the scenario directive's rule of a family (and params), e.g. the pilot
        window of a level: ``d35.pilot.district`` in 2020, ``d45.…`` in 2025."""
        directive = self.scenario.directive
        rule = directive.first(family, **params) if directive is not None else None
        return rule.id if rule is not None else None

    def cite(self, rule_id: str | None, family_id: str) -> tuple[str, str]:
        """The legal source with the rule's Vietnamese and English names."""
        rule = self.rule(rule_id) if rule_id else None
        if rule is not None:
            cited = rule.source.cite()
            return f"{cited} — {rule.name_vi}", f"{cited} — {rule.name_en}"
        fam = family(family_id)
        return f"{fam.source} — {fam.name_vi}", f"{fam.source} — {fam.name_en}"

    def add(
        self,
        family_id: str,
        units: Iterable[str],
        dates: Iterable[dt.date],
        vi: str,
        en: str,
        rule_id: str | None = None,
    ) -> None:
        """A violation of a family (citing ``rule_id`` when the data has it)."""
        source_vi, source_en = self.cite(rule_id, family_id)
        self.out.append(
            Violation(
                family=family_id,
                units=tuple(units),
                dates=tuple(sorted(set(dates))),
                message_vi=f"{vi} [{source_vi}]",
                message_en=f"{en} [{source_en}]",
                rule=rule_id,
                source=source_vi,
            )
        )

    def present(self, units: Iterable[Unit]) -> list[Dated]:
        """The given units that the plan dates (``self.every``: all of them)."""
        dates = self.dates
        return [(u, *dates[u.org_id]) for u in units if u.org_id in dates]

    def load(self, units: Iterable[Unit]) -> dict[dt.date, list[str]]:
        """Each day, the given units whose planned congress is in session."""
        load: dict[dt.date, list[str]] = defaultdict(list)
        for unit, start, end in self.present(units):
            day = start
            while day <= end:
                load[day].append(unit.org_id)
                day += dt.timedelta(days=1)
        return load
