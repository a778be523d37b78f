"""Reading TOML data files with errors that name the file, the line and the fix."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from planner.errors import DataFileError
from planner.paths import display_path

SUPPORTED_SCHEMA = 1


def read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """Parse ``path``; return the document and its text (for locating fields in messages)."""
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError("không tìm thấy tệp.", "file not found.", file=shown) from None
    except UnicodeDecodeError:
        raise DataFileError(
            "tệp không phải UTF-8.",
            "the file is not UTF-8 text.",
            file=shown,
            hint_vi="Hãy lưu lại dưới dạng UTF-8.",
            hint_en="Save it as UTF-8.",
        ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = decode_error_line(exc)
        raise DataFileError(
            f"cú pháp TOML không hợp lệ ({exc}).",
            f"invalid TOML syntax ({exc}).",
            file=shown,
            line=line,
            hint_vi="Sửa dòng được chỉ ra.",
            hint_en="Fix the line shown.",
        ) from None
    version = doc.get("schema_version")
    if version != SUPPORTED_SCHEMA:
        raise DataFileError(
            f"schema_version = {version!r} không được hỗ trợ.",
            f"schema_version = {version!r} is not supported.",
            file=shown,
            field="schema_version",
            hint_vi=f"Ghi schema_version = {SUPPORTED_SCHEMA} ở đầu tệp.",
            hint_en=f"Put schema_version = {SUPPORTED_SCHEMA} at the top of the file.",
        )
    return doc, text


def decode_error_line(exc: tomllib.TOMLDecodeError) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if isinstance(lineno, int):
        return lineno
    match = re.search(r"line (\d+)", str(exc))
    return int(match.group(1)) if match else None


def line_of(text: str, needle: str, start_line: int = 1) -> int | None:
    """The 1-based line where ``needle`` first appears at or after ``start_line``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start_line and needle in line:
            return number
    return None
