"""Reading CSV data files with errors that name the file, the line and the fix."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path

from planner.errors import DataFileError
from planner.files.paths import display_path


def csv_rows(
    path: Path,
    columns: Sequence[str],
    hint_vi: str | None = None,
    hint_en: str | None = None,
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each data row; a bilingual error when the file or a column is missing.

    ``hint_vi``/``hint_en`` say how to get the file back (e.g. the script that generates it).
    """
    shown = display_path(path)
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError:
        raise DataFileError(
            "không tìm thấy tệp.", "file not found.", file=shown, hint_vi=hint_vi, hint_en=hint_en
        ) from None
    with handle:
        reader = csv.DictReader(handle)
        missing = set(columns) - set(reader.fieldnames or [])
        if missing:
            raise DataFileError(
                f"thiếu cột: {', '.join(sorted(missing))}.",
                f"missing columns: {', '.join(sorted(missing))}.",
                file=shown,
                line=1,
            )
        for row in reader:
            yield reader.line_num, row
