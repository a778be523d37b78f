"""Stored scenarios, their versions, plans, diagnoses and feed manifests (SQLite under
``$PLANNER_HOME``); see :mod:`planner.store.db`."""
