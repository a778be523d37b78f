"""What is done with a plan: validate, pre-check, diagnose, re-plan, progress."""
