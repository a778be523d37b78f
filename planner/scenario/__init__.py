"""A scenario, read top to bottom: schema → reader (text → document) → builder (→ Scenario)."""
