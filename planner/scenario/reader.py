"""Scenario text into a document: the first stage of reading a scenario.

The text (a file, an upload, a test fixture) is checked for size and encoding, parsed as TOML
of the supported ``schema_version``, changed by each ``--set KEY=VALUE`` (dotted key, TOML
value) and checked for nesting depth. Every problem is a bilingual error naming the file (and
the line, or the ``--set``). The document's values are checked next, through the schema
(:mod:`planner.scenario.values`), and built into a scenario (:mod:`planner.scenario.builder`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import check_schema, parse_toml, read_text_file
from planner.scenario.schema import MAX_DEPTH, MAX_SCENARIO_BYTES


def default_scenario_path() -> Path:
    """The built-in 2020–2021 scenario."""
    return data_dir() / "scenarios" / "xiii-2020.toml"


def read_scenario_file(path: Path) -> tuple[str, str]:
    """The text of a scenario file and the name its errors show."""
    shown = display_path(path)
    return read_text_file(path, shown, MAX_SCENARIO_BYTES, "tệp kịch bản", "scenario file"), shown


def parse_document(text: str, name: str, sets: Sequence[str] = ()) -> dict[str, Any]:
    """The raw document of a scenario's text, of a supported version, ``--set`` applied."""
    if len(text.encode("utf-8")) > MAX_SCENARIO_BYTES:
        raise PlannerError(
            f"tệp kịch bản quá lớn (tối đa {MAX_SCENARIO_BYTES // 1024} KiB).",
            f"the scenario file is too large (at most {MAX_SCENARIO_BYTES // 1024} KiB).",
            file=name,
        )
    raw = parse_toml(text, name)
    check_schema(raw, name)
    for item in sets:
        apply_set(raw, item)
    return raw


def check_depth(raw: Mapping[str, Any], file: str) -> None:
    """A document nested deeper than the schema allows is refused before any value is read."""
    if depth_of(raw) > MAX_DEPTH:
        raise PlannerError(
            f"kịch bản lồng bảng/mảng quá sâu (tối đa {MAX_DEPTH} tầng).",
            f"the scenario nests tables or arrays too deeply (at most {MAX_DEPTH} levels).",
            file=file,
        )


# ---------------------------------------------------------------------------------------------
# --set
# ---------------------------------------------------------------------------------------------


def parse_set(text: str) -> tuple[list[str], Any]:
    """Split ``a.b.c=VALUE`` into the key path and the TOML value (bare words are strings)."""
    if "=" not in text:
        raise PlannerError(
            f"'--set {text}' thiếu dấu '='.",
            f"'--set {text}' has no '='.",
            field="--set",
            hint_vi="Viết --set KHÓA=GIÁ_TRỊ, ví dụ --set levels.central.daily_capacity=2.",
            hint_en="Write --set KEY=VALUE, e.g. --set levels.central.daily_capacity=2.",
        )
    key, value = text.split("=", 1)
    path = [part.strip() for part in key.strip().split(".")]
    if not all(path):
        raise PlannerError(f"khóa '{key}' không hợp lệ.", f"invalid key '{key}'.", field="--set")
    try:
        parsed = tomllib.loads(f"v = {value.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        stripped = value.strip()
        if stripped and all(ch.isalnum() or ch in "-_.:" for ch in stripped):
            parsed = stripped
        else:
            raise PlannerError(
                f"giá trị '{value}' của {key} không phải giá trị TOML.",
                f"value '{value}' for {key} is not a TOML value.",
                field=f"--set {key}",
                hint_vi='Ví dụ: 2, true, 2020-10-31, [2020-09-01, 2020-10-31], "p01".',
                hint_en='Examples: 2, true, 2020-10-31, [2020-09-01, 2020-10-31], "p01".',
            ) from None
    except RecursionError:
        raise PlannerError(
            f"giá trị của {key} lồng quá sâu.",
            f"the value of {key} nests too deeply.",
            field=f"--set {key}",
        ) from None
    return path, parsed


def apply_set(raw: dict[str, Any], text: str) -> None:
    """Apply one ``--set`` to the raw document (unknown keys are refused when it is read)."""
    path, value = parse_set(text)
    if path == ["schema_version"]:
        raise PlannerError(
            "không đổi được schema_version bằng --set: đó là phiên bản định dạng của tệp.",
            "schema_version cannot be changed with --set: it is the file format's version.",
            field="--set schema_version",
            hint_vi="Bỏ --set này.",
            hint_en="Drop this --set.",
        )
    node = raw
    for part in path[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = {}
            node[part] = child
        node = child
    node[path[-1]] = value


def depth_of(value: Any, limit: int = MAX_DEPTH + 1) -> int:
    """How deeply tables and arrays nest (counted without recursion, stopping past ``limit``)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > limit:
            break
        if isinstance(node, dict):
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, level + 1) for v in node)
    return deepest
