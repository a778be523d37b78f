"""Reading TOML files with errors that name the file, the line and the fix.

Every way a file can be wrong ends in a :class:`~planner.errors.DataFileError` (exit 2 in the
CLI): missing, a folder, unreadable, too large, not UTF-8, empty, not TOML, nested so deeply
that the parser would run out of stack, or of an unsupported ``schema_version``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from planner.errors import DataFileError
from planner.files.paths import display_path

SUPPORTED_SCHEMA = 1
MAX_TOML_BYTES = 4 << 20  # 4 MiB for data files; scenarios have their own, smaller limit


def check_text_file(path: Path, shown: str, max_bytes: int, what_vi: str, what_en: str) -> None:
    """A bilingual error unless ``path`` is a readable file of at most ``max_bytes``."""
    try:
        if path.is_dir():
            raise DataFileError(
                f"{what_vi} là một thư mục, không phải tệp.",
                f"the {what_en} is a folder, not a file.",
                file=shown,
                hint_vi="Cho đường dẫn tới tệp.",
                hint_en="Give the path of the file.",
            )
        size = path.stat().st_size
    except FileNotFoundError:
        raise DataFileError(
            f"không tìm thấy {what_vi}.", f"{what_en} not found.", file=shown
        ) from None
    except OSError as exc:
        raise unreadable(shown, exc, what_vi, what_en) from None
    if size > max_bytes:
        raise DataFileError(
            f"{what_vi} quá lớn ({size // 1024} KiB, tối đa {max_bytes // 1024} KiB).",
            f"the {what_en} is too large ({size // 1024} KiB, at most {max_bytes // 1024} KiB).",
            file=shown,
        )


def not_utf8(shown: str, what_vi: str, what_en: str) -> DataFileError:
    """The error for a file that is not UTF-8 text."""
    return DataFileError(
        f"{what_vi} không phải văn bản UTF-8.",
        f"the {what_en} is not UTF-8 text.",
        file=shown,
        hint_vi="Hãy lưu lại dưới dạng UTF-8.",
        hint_en="Save it as UTF-8.",
    )


def read_text_file(path: Path, shown: str, max_bytes: int, what_vi: str, what_en: str) -> str:
    """The UTF-8 text of ``path``; a bilingual error for every way reading it can fail."""
    check_text_file(path, shown, max_bytes, what_vi, what_en)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise unreadable(shown, exc, what_vi, what_en) from None
    if len(data) > max_bytes:
        raise DataFileError(
            f"{what_vi} quá lớn (tối đa {max_bytes // 1024} KiB).",
            f"the {what_en} is too large (at most {max_bytes // 1024} KiB).",
            file=shown,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise not_utf8(shown, what_vi, what_en) from None


def unreadable(shown: str, exc: OSError, what_vi: str, what_en: str) -> DataFileError:
    reason = exc.strerror or type(exc).__name__
    return DataFileError(
        f"không đọc được {what_vi} ({reason}).",
        f"cannot read the {what_en} ({reason}).",
        file=shown,
        hint_vi="Kiểm tra quyền đọc tệp.",
        hint_en="Check the file's read permission.",
    )


def parse_toml(text: str, shown: str) -> dict[str, Any]:
    """Parse TOML text; errors name the file and the line."""
    if not text.strip():
        raise DataFileError(
            "tệp trống.",
            "the file is empty.",
            file=shown,
            hint_vi=f"Bắt đầu bằng schema_version = {SUPPORTED_SCHEMA}.",
            hint_en=f"Start with schema_version = {SUPPORTED_SCHEMA}.",
        )
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(
            f"cú pháp TOML không hợp lệ ({exc}).",
            f"invalid TOML syntax ({exc}).",
            file=shown,
            line=decode_error_line(exc),
            hint_vi="Sửa dòng được chỉ ra.",
            hint_en="Fix the line shown.",
        ) from None
    except RecursionError:
        raise DataFileError(
            "tệp lồng bảng hoặc mảng quá sâu.",
            "the file nests tables or arrays too deeply.",
            file=shown,
        ) from None


def check_schema(doc: dict[str, Any], shown: str) -> None:
    """The file's ``schema_version`` must be the one this version reads."""
    version = doc.get("schema_version")
    if version != SUPPORTED_SCHEMA:
        missing = version is None
        raise DataFileError(
            "thiếu schema_version."
            if missing
            else f"schema_version = {version!r} không được hỗ trợ.",
            "schema_version is missing."
            if missing
            else f"schema_version = {version!r} is not supported.",
            file=shown,
            field="schema_version",
            hint_vi=f"Ghi schema_version = {SUPPORTED_SCHEMA} ở đầu tệp.",
            hint_en=f"Put schema_version = {SUPPORTED_SCHEMA} at the top of the file.",
        )


def read_toml(path: Path, max_bytes: int = MAX_TOML_BYTES) -> tuple[dict[str, Any], str]:
    """Parse ``path``; return the document and its text (for locating fields in messages)."""
    shown = display_path(path)
    text = read_text_file(path, shown, max_bytes, "tệp", "file")
    doc = parse_toml(text, shown)
    check_schema(doc, shown)
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
