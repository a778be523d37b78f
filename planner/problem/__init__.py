"""The problem the solver reads: the units to schedule with their domains, and the objective."""
