"""Rendering rows as a plain-text table, CSV or JSON for the CLI."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

FORMATS = ("table", "csv", "json")


def _width(text: str) -> int:
    """Display width: combining marks take no column (Vietnamese text may be decomposed)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Render ``rows`` in ``fmt``: ``table`` shows ``columns``; ``csv``/``json`` keep every key."""
    if fmt == "json":
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt == "csv":
        keys = list(rows[0].keys()) if rows else list(columns)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _cell(r.get(k)) for k in keys} for r in rows)
        return out.getvalue().rstrip("\n")
    return table(([_cell(r.get(c)) for c in columns] for r in rows), columns)


def table(rows: Iterable[Sequence[str]], header: Sequence[str]) -> str:
    """A left-aligned text table with a header rule."""
    body = [list(r) for r in rows]
    widths = [_width(h) for h in header]
    for row in body:
        for i, value in enumerate(row):
            widths[i] = max(widths[i], _width(value))

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - _width(v)) for i, v in enumerate(values)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in body]
    return "\n".join(out)
