"""The result: the plan frame and its files, its provenance, and the actuals recorded against it."""
