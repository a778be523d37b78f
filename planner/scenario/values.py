"""Validated values: the scenario document read through its declared schema.

:class:`Reader` gives typed access to the document (``--set`` overrides applied by
:mod:`planner.scenario.reader`): each value is checked by its key's declaration in
:mod:`planner.scenario.schema`, the only source of keys, and every problem is a bilingual
:class:`~planner.errors.PlannerError` naming the file and line, or the ``--set``.
:func:`check_keys` refuses undeclared keys (with a suggestion) and a table replaced by a scalar.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from planner.errors import PlannerError
from planner.files.tomlio import line_of
from planner.rules.calendar import MAX_YEAR, MIN_YEAR
from planner.scenario.schema import BY_KEY, SAFE_ID, WEEKDAYS, Field, pattern_of
from planner.tree.levels import Level


def safe_text(value: str) -> bool:
    """One line of text: no line breaks or other control characters (they could inject
    properties into iCal feeds or rows into CSV)."""
    return not any(ord(ch) < 32 or ord(ch) == 127 for ch in value)


def as_date(value: Any) -> Any:
    """ISO strings count as dates too, so JSON values (e.g. diagnosis suggestions) feed back."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _line_of_path(text: str, parts: Sequence[str]) -> int | None:
    """The line of a nested key: its table header (``[a]``, ``[[a]]``) then each key after it."""
    line = 1
    rest: list[str] = list(parts)
    for depth in range(len(parts), 0, -1):
        head = ".".join(parts[:depth])
        found = line_of(text, f"[[{head}]]") or line_of(text, f"[{head}]")
        if found:
            line, rest = found, list(parts[depth:])
            break
    for part in rest:
        line = line_of(text, part, line) or line
    return line


class Reader:
    """Typed access to the raw document through the schema, with errors that point at the line
    of the file or at the ``--set``."""

    def __init__(
        self,
        raw: Mapping[str, Any],
        text: str,
        file: str,
        sets: Sequence[str],
        prefix: str = "",
        levels: Sequence[str] = (),
    ) -> None:
        self.raw = raw
        self.text = text
        self.file = file
        self.sets = tuple(sets)
        self.set_keys = {s.split("=", 1)[0].strip() for s in sets}
        self.prefix = prefix  # where a sub-table sits, e.g. "blackouts.ranges[0]"
        self.levels = tuple(levels)  # the level ids of the scenario's era

    def sub(self, raw: Mapping[str, Any], prefix: str) -> Reader:
        """A reader of one table inside this document (errors still point into the file)."""
        return Reader(raw, self.text, self.file, self.sets, prefix, self.levels)

    def full(self, dotted: str) -> str:
        return f"{self.prefix}.{dotted}" if self.prefix else dotted

    def locate(self, dotted: str) -> tuple[int | None, str]:
        shown = self.full(dotted)
        bare = re.sub(r"\[\d+\]", "", shown)
        if any(bare == k or bare.startswith(k + ".") for k in self.set_keys):
            return None, f"--set {shown}"
        parts = bare.split(".")
        if self.prefix:
            return _line_of_path(self.text, parts), shown
        line = None
        for cut in range(len(parts) - 1, 0, -1):
            header = line_of(self.text, "[" + ".".join(parts[:cut]) + "]")
            if header:
                line = line_of(self.text, parts[cut], header) or header
                break
        if line is None:
            line = line_of(self.text, parts[-1] + " =") or line_of(self.text, parts[-1])
        return line, shown

    def error(
        self, dotted: str, vi: str, en: str, hint_vi: str = "", hint_en: str = ""
    ) -> PlannerError:
        line, where = self.locate(dotted)
        return PlannerError(
            vi,
            en,
            file=self.file,
            line=line,
            field=where,
            hint_vi=hint_vi or None,
            hint_en=hint_en or None,
        )

    def get(self, dotted: str) -> Any:
        node: Any = self.raw
        for part in dotted.split("."):
            if not isinstance(node, Mapping) or part not in node:
                return None
            node = node[part]
        return node

    def value(self, dotted: str, default: Any = None) -> Any:
        """The value of a key, checked by its declared type; the declared default (or
        ``default``) when absent."""
        spec = BY_KEY[pattern_of(self.full(dotted))]
        raw = self.get(dotted)
        if raw is not None:
            return self._coerce(spec, dotted, raw)
        if default is not None:
            return default
        return None if spec.default is None else self._coerce(spec, dotted, spec.default)

    def _wrong(
        self, spec: Field, dotted: str, got: Any, hint_vi: str = "", hint_en: str = ""
    ) -> PlannerError:
        key = self.full(dotted)
        return self.error(
            dotted,
            f"'{key}' phải là {spec.must_vi()}, nhận {got!r}.",
            f"'{key}' must be {spec.must_en()}, got {got!r}.",
            hint_vi,
            hint_en,
        )

    def _day(self, spec: Field, dotted: str, value: Any) -> dt.date:
        value = as_date(value)
        if not is_date(value):
            raise self._wrong(spec, dotted, value)
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            raise self.error(
                dotted,
                f"'{self.full(dotted)}' = {value}: năm phải trong khoảng {MIN_YEAR}–{MAX_YEAR}.",
                f"'{self.full(dotted)}' = {value}: the year must be within {MIN_YEAR}–{MAX_YEAR}.",
            )
        day: dt.date = value
        return day

    def _coerce(self, spec: Field, dotted: str, value: Any) -> Any:
        kind = spec.kind
        if kind == "int":
            ok = isinstance(value, int) and not isinstance(value, bool)
            assert spec.minimum is not None and spec.maximum is not None
            if not ok or not spec.minimum <= value <= spec.maximum:
                raise self._wrong(spec, dotted, value)
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                raise self._wrong(spec, dotted, value)
            return value
        if kind == "date":
            return self._day(spec, dotted, value)
        if kind == "window":
            if not isinstance(value, list) or len(value) != 2:
                raise self._wrong(
                    spec,
                    dotted,
                    value,
                    "Ví dụ: [2020-09-01, 2020-10-31].",
                    "Example: [2020-09-01, 2020-10-31].",
                )
            start, end = (self._day(spec, dotted, v) for v in value)
            if end < start:
                raise self.error(
                    dotted,
                    f"khung '{self.full(dotted)}' bị đảo: {start:%d/%m/%Y} sau {end:%d/%m/%Y}.",
                    f"window '{self.full(dotted)}' is inverted: {start} is after {end}.",
                    "Đổi chỗ hai ngày.",
                    "Swap the two dates.",
                )
            return (start, end)
        if kind in ("text", "step"):
            if not isinstance(value, str) or not value.strip() or not safe_text(value):
                raise self._wrong(spec, dotted, value)
            return value
        if kind == "id":
            if not isinstance(value, str) or not SAFE_ID.fullmatch(value):
                raise self._wrong(spec, dotted, value)
            return value
        if kind == "choice":
            if value not in spec.choices:
                raise self._wrong(spec, dotted, value)
            return value
        if kind == "strings":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self._wrong(spec, dotted, value)
            return list(value)
        if kind == "levels":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self._wrong(spec, dotted, value)
            for name in value:
                if name not in self.levels:
                    raise self.error(
                        dotted,
                        f"cấp '{name}' không có trong thời kỳ của kịch bản.",
                        f"unknown level '{name}' in the scenario's era.",
                        f"Dùng {', '.join(self.levels)}.",
                        f"Use {', '.join(self.levels)}.",
                    )
            return frozenset(Level(name) for name in value)
        if kind == "provinces":
            if value == "all":
                return None
            ok = isinstance(value, list) and bool(value)
            if not ok or not all(isinstance(p, int) and not isinstance(p, bool) for p in value):
                raise self._wrong(spec, dotted, value)
            return tuple(value)
        if kind == "weekdays":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self._wrong(spec, dotted, value)
            out = set()
            for name in value:
                if name.strip().lower() not in WEEKDAYS:
                    raise self.error(
                        dotted,
                        f"'{name}' không phải thứ trong tuần.",
                        f"'{name}' is not a weekday.",
                        "Dùng tên tiếng Anh: monday … sunday.",
                        "Use English names: monday … sunday.",
                    )
                out.add(WEEKDAYS.index(name.strip().lower()))
            return frozenset(out)
        if kind == "kind_map":
            ok = isinstance(value, dict)
            if not ok or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                raise self._wrong(spec, dotted, value)
            return dict(value)
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._wrong(spec, dotted, value)
        return list(value)


def check_keys(raw: Mapping[str, Any], node: Mapping[str, Any], path: list[str], r: Reader) -> None:
    """Every key is declared, and a key that holds a table is a table (``--set
    levels.central=3`` or ``blackouts = "none"`` would otherwise drop every setting under it
    without a word)."""
    for key, value in raw.items():
        where = ".".join([*path, key])
        if key not in node or key in ("__field__", "[]"):
            known = [k for k in node if k not in ("__field__", "[]")]
            close = difflib.get_close_matches(key, known, n=1)
            inside = ".".join(path) or "(gốc / top level)"
            raise r.error(
                where,
                f"khóa '{key}' không tồn tại trong {inside}.",
                f"unknown key '{key}' in {inside}.",
                f"Có phải '{close[0]}'?" if close else f"Khóa hợp lệ: {', '.join(known)}.",
                f"Did you mean '{close[0]}'?" if close else f"Valid keys: {', '.join(known)}.",
            )
        sub = node[key]
        if isinstance(sub, Field):
            continue
        if "__field__" in sub:  # a list of tables
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, dict):
                        item_path = [*path, f"{key}[{index}]"]
                        check_keys(item, sub.get("[]", {}), item_path, r)
            continue
        if not isinstance(value, dict):
            keys = ", ".join(list(sub)[:6])
            first = next(iter(sub))
            raise r.error(
                where,
                f"'{where}' là một bảng (các khóa {keys}…), không phải {value!r}.",
                f"'{where}' is a table (keys {keys}…), not {value!r}.",
                f"Đặt từng khóa bên trong, ví dụ --set {where}.{first}=….",
                f"Set the keys inside it, e.g. --set {where}.{first}=….",
            )
        check_keys(value, sub, [*path, key], r)
