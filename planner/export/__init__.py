"""Exports: iCal feeds (and their lint)."""
