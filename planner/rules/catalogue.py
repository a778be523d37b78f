"""The rule catalogue: typed rules read from ``data/rules/*.toml``.

Every rule has an id, a family, a Vietnamese and an English name, family-specific parameters, its
legal source and a status (``verified`` / ``belief``, as in the domain reference). Code never holds
a window, offset or cap of its own: it asks this catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from planner.errors import DataFileError, UnknownIdError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.sources import LegalSource
from planner.tree.eras import load_eras
from planner.tree.levels import Level

STATUSES = ("verified", "belief")
STEP_KINDS = ("deadline", "earliest", "window", "instant", "undated")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

# family -> {param: (accepted python types, required)}
_Spec = dict[str, tuple[tuple[type, ...], bool]]
# a working-day step after or before each congress of some levels (announce, report, approval)
_STEP_SPEC: _Spec = {
    "levels": ((list,), True),
    "plan_levels": ((list,), True),
    "working_days": ((int,), True),
}
FAMILY_PARAMS: dict[str, _Spec] = {
    "election_day": {"weekday": ((str,), True)},
    "election_step": {
        "anchor": ((str,), True),
        "kind": ((str,), True),
        "offset_days": ((int,), False),
        "start_offset_days": ((int,), False),
        "end_offset_days": ((int,), False),
        "time": ((str,), False),
        "end_time": ((str,), False),
        "scope": ((str,), False),
    },
    "level_window": {
        "level": ((str,), True),
        "bound": ((str,), True),
        "date": ((dt.date,), True),
    },
    "duration": {"level": ((str,), True), "max_days": ((int,), True)},
    "preparatory_session": {
        "levels": ((list,), True),
        "max_days": ((float, int), True),
        "inside_duration": ((bool,), True),
    },
    "delegate_cap": {
        "committee_class": ((str,), True),
        "min": ((int,), False),
        "max": ((int,), False),
    },
    "precedence": {"relation": ((str,), True)},
    "pilot": {
        "level": ((str,), True),
        "start": ((dt.date,), True),
        "end": ((dt.date,), True),
    },
    "membership_threshold": {"level": ((str,), True), "members": ((int,), True)},
    # preparation steps (issue 20; planner.rules.preparation): the level above reviews, the opening
    # date is announced, results reported and approved; cycle milestones
    "review": {
        "level": ((str,), True),
        "lead_days": ((int,), True),
        "lead_unit": ((str,), True),
        "window_start": ((dt.date,), True),
        "window_end": ((dt.date,), False),
    },
    "announce": _STEP_SPEC,
    "report": _STEP_SPEC,
    "approval": _STEP_SPEC,
    "lower_approval": {**_STEP_SPEC, "enabled": ((bool,), True)},
    "milestone": {
        "what": ((str,), True),
        "date": ((dt.date,), False),
        "start": ((dt.date,), False),
        "end": ((dt.date,), False),
        "before_level": ((str,), False),
        "level": ((str,), False),
        "within_days": ((int,), False),
        "congress_kind": ((str,), False),
    },
}


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of a rule set, with its parameters as read from the data file."""

    id: str
    family: str
    name_vi: str
    name_en: str
    status: str
    source: LegalSource
    params: Mapping[str, Any]
    ruleset_id: str
    note: str | None = None

    @property
    def verified(self) -> bool:
        """True when the domain reference marks the rule VERIFIED."""
        return self.status == "verified"

    def param(self, key: str, default: Any = None) -> Any:
        """A parameter value, or ``default`` when the rule does not set it."""
        return self.params.get(key, default)


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A versioned set of rules from one legal document (one TOML file)."""

    id: str
    name_vi: str
    name_en: str
    document: str
    rules: tuple[Rule, ...]
    file: str
    note: str | None = None
    _by_id: Mapping[str, Rule] = field(default_factory=dict, repr=False, compare=False)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, rule_id: str) -> Rule:
        """The rule with this id; a bilingual error naming close ids otherwise."""
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise UnknownIdError(
                f"không có quy tắc '{rule_id}' trong bộ {self.id}.",
                f"no rule '{rule_id}' in rule set {self.id}.",
                file=self.file,
            ) from None

    def by_family(self, family: str) -> tuple[Rule, ...]:
        """All rules of one family, in file order."""
        return tuple(r for r in self.rules if r.family == family)

    def first(self, family: str, **params: Any) -> Rule | None:
        """The first rule of a family (in file order) whose params equal ``params`` (e.g. level
        and bound); None when there is none."""
        for rule in self.rules:
            if rule.family == family and all(rule.param(k) == v for k, v in params.items()):
                return rule
        return None


def _fail(path: Path, text: str, where: str | None, field_: str, vi: str, en: str) -> DataFileError:
    line = line_of(text, f'"{where}"') if where else None
    if line is not None:
        key = field_.rsplit(".", 1)[-1]
        line = line_of(text, f"{key} ", line) or line_of(text, f"{key}=", line) or line
    return DataFileError(vi, en, file=display_path(path), line=line, field=field_)


def _str(
    table: Mapping[str, Any], key: str, path: Path, text: str, where: str | None, prefix: str
) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(
            path,
            text,
            where,
            f"{prefix}{key}",
            f"thiếu khóa '{key}' hoặc không phải chuỗi văn bản.",
            f"key '{key}' is missing or not a non-empty string.",
        )
    return value


def _parse_rule(raw: Any, index: int, ruleset_id: str, path: Path, text: str) -> Rule:
    prefix = f"rules[{index}]."
    if not isinstance(raw, dict):
        raise _fail(path, text, None, f"rules[{index}]", "mục không phải bảng.", "not a table.")
    rule_id = _str(raw, "id", path, text, None, prefix)
    prefix = f"rules.{rule_id}."
    if not RULE_ID.match(rule_id):
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}id",
            "id chỉ gồm chữ thường không dấu, số, '.', '_', '-'.",
            "ids use lowercase ASCII letters, digits, '.', '_' and '-' only.",
        )
    family = _str(raw, "family", path, text, rule_id, prefix)
    if family not in FAMILY_PARAMS:
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}family",
            f"họ quy tắc '{family}' không tồn tại; dùng một trong: {', '.join(FAMILY_PARAMS)}.",
            f"unknown family '{family}'; use one of: {', '.join(FAMILY_PARAMS)}.",
        )
    name_vi = _str(raw, "name_vi", path, text, rule_id, prefix)
    name_en = _str(raw, "name_en", path, text, rule_id, prefix)
    status = _str(raw, "status", path, text, rule_id, prefix)
    if status not in STATUSES:
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}status",
            f"trạng thái '{status}' không hợp lệ; dùng 'verified' hoặc 'belief'.",
            f"status '{status}' is invalid; use 'verified' or 'belief'.",
        )
    note = raw.get("note")
    if status == "belief" and not (isinstance(note, str) and note.strip()):
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}note",
            "quy tắc 'belief' phải có 'note' nói rõ điều chưa kiểm chứng.",
            "a 'belief' rule needs a 'note' saying what is unverified.",
        )
    src = raw.get("source")
    if not isinstance(src, dict):
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}source",
            "thiếu bảng 'source' (văn bản, điều, khoản).",
            "missing 'source' table (document, article, clause).",
        )
    source = LegalSource(
        document=_str(src, "document", path, text, rule_id, f"{prefix}source."),
        article=src.get("article"),
        clause=src.get("clause"),
        url=src.get("url"),
    )
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}params",
            "'params' phải là bảng.",
            "'params' must be a table.",
        )
    _check_params(family, params, path, text, rule_id, f"{prefix}params.")
    return Rule(
        id=rule_id,
        family=family,
        name_vi=name_vi,
        name_en=name_en,
        status=status,
        source=source,
        params=MappingProxyType(dict(params)),
        ruleset_id=ruleset_id,
        note=note if isinstance(note, str) else None,
    )


def _check_params(
    family: str, params: Mapping[str, Any], path: Path, text: str, rule_id: str, prefix: str
) -> None:
    spec = FAMILY_PARAMS[family]
    for key in params:
        if key not in spec:
            raise _fail(
                path,
                text,
                rule_id,
                f"{prefix}{key}",
                f"tham số '{key}' không dùng cho họ {family}; được phép: {', '.join(spec)}.",
                f"parameter '{key}' is not used by family {family}; allowed: {', '.join(spec)}.",
            )
    for key, (types, required) in spec.items():
        if key not in params:
            if required:
                raise _fail(
                    path,
                    text,
                    rule_id,
                    f"{prefix}{key}",
                    f"thiếu tham số bắt buộc '{key}'.",
                    f"required parameter '{key}' is missing.",
                )
            continue
        value = params[key]
        ok = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if isinstance(value, dt.datetime):
            ok = False
        if not ok:
            wanted = " | ".join(t.__name__ for t in types)
            raise _fail(
                path,
                text,
                rule_id,
                f"{prefix}{key}",
                f"tham số '{key}' phải có kiểu {wanted}, nhận {value!r}.",
                f"parameter '{key}' must be {wanted}, got {value!r}.",
            )
    named = [params["level"]] if isinstance(params.get("level"), str) else []
    if isinstance(params.get("levels"), list):
        named += [lv for lv in params["levels"] if isinstance(lv, str)]
    era_id, known = _era_levels(path, text)
    for level in named:
        if level not in known:
            raise _fail(
                path,
                text,
                rule_id,
                f"{prefix}level",
                f"cấp '{level}' không có trong thời kỳ {era_id} của bộ quy tắc; dùng một trong: "
                f"{', '.join(known)}.",
                f"level '{level}' is not a level of the rule set's era ({era_id}); use one of: "
                f"{', '.join(known)}.",
            )
    if family == "election_step":
        _check_step_params(params, path, text, rule_id, prefix)


@lru_cache(maxsize=64)
def _era_levels(path: Path, text: str) -> tuple[str, tuple[str, ...]]:
    """The level ids a rule set may name: those of its ``era`` (data/orgs/eras.toml), or of
    every era when the rule set names none (cached per file and text)."""
    match = re.search(r'^era\s*=\s*"([^"]+)"', text, re.MULTILINE)
    era_id = match.group(1) if match else None
    eras = load_eras()
    if isinstance(era_id, str) and era_id in eras:
        return era_id, (*eras[era_id].level_ids(), "cell")
    return "—", tuple(level.value for level in Level)


def _check_step_params(
    params: Mapping[str, Any], path: Path, text: str, rule_id: str, prefix: str
) -> None:
    kind = params["kind"]
    if kind not in STEP_KINDS:
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}kind",
            f"loại bước '{kind}' không hợp lệ; dùng một trong: {', '.join(STEP_KINDS)}.",
            f"step kind '{kind}' is invalid; use one of: {', '.join(STEP_KINDS)}.",
        )
    needed = {
        "deadline": ("offset_days",),
        "earliest": ("offset_days",),
        "instant": ("offset_days",),
        "window": ("start_offset_days", "end_offset_days"),
        "undated": (),
    }[kind]
    for key in needed:
        if key not in params:
            raise _fail(
                path,
                text,
                rule_id,
                f"{prefix}{key}",
                f"bước loại '{kind}' cần tham số '{key}'.",
                f"a '{kind}' step needs parameter '{key}'.",
            )
    if kind == "window" and params["start_offset_days"] > params["end_offset_days"]:
        raise _fail(
            path,
            text,
            rule_id,
            f"{prefix}start_offset_days",
            "khung thời gian bị đảo: start_offset_days lớn hơn end_offset_days.",
            "inverted window: start_offset_days is after end_offset_days.",
        )
    for key in ("time", "end_time"):
        value = params.get(key)
        if value is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise _fail(
                path,
                text,
                rule_id,
                f"{prefix}{key}",
                f"giờ '{value}' phải có dạng HH:MM.",
                f"time '{value}' must be HH:MM.",
            )


def load_ruleset(path: Path) -> RuleSet:
    """Read and validate one rule-set file; errors name the file, line, key and reason."""
    doc, text = read_toml(path)
    return ruleset_from_doc(doc, text, path)


def ruleset_from_doc(doc: Mapping[str, Any], text: str, path: Path) -> RuleSet:
    """Validate one rule-set document already read from ``path`` (``text`` is its source, for
    locating fields in messages); errors name the file, line, key and reason."""
    head = doc.get("ruleset")
    if not isinstance(head, dict):
        raise _fail(
            path, text, None, "ruleset", "thiếu bảng [ruleset].", "missing [ruleset] table."
        )
    ruleset_id = _str(head, "id", path, text, None, "ruleset.")
    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise _fail(
            path, text, None, "rules", "không có mục [[rules]] nào.", "no [[rules]] entries."
        )
    rules = tuple(_parse_rule(raw, i, ruleset_id, path, text) for i, raw in enumerate(raw_rules))
    by_id: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in by_id:
            raise _fail(
                path,
                text,
                rule.id,
                f"rules.{rule.id}.id",
                f"id '{rule.id}' bị trùng.",
                f"duplicate id '{rule.id}'.",
            )
        by_id[rule.id] = rule
    for rule in rules:
        anchor = rule.param("anchor")
        if anchor is not None and anchor != "election_day" and anchor not in by_id:
            raise _fail(
                path,
                text,
                rule.id,
                f"rules.{rule.id}.params.anchor",
                f"mốc '{anchor}' không phải 'election_day' hay id của một quy tắc trong tệp.",
                f"anchor '{anchor}' is neither 'election_day' nor a rule id in this file.",
            )
    _check_anchor_cycles(rules, path, text)
    return RuleSet(
        id=ruleset_id,
        name_vi=_str(head, "name_vi", path, text, None, "ruleset."),
        name_en=_str(head, "name_en", path, text, None, "ruleset."),
        document=_str(head, "document", path, text, None, "ruleset."),
        rules=rules,
        file=display_path(path),
        note=head.get("note"),
        _by_id=MappingProxyType(by_id),
    )


def _check_anchor_cycles(rules: tuple[Rule, ...], path: Path, text: str) -> None:
    anchors = {r.id: r.param("anchor") for r in rules if r.param("anchor")}
    for start in anchors:
        seen = [start]
        current = anchors.get(start)
        while current and current != "election_day":
            if current in seen:
                chain = " → ".join([*seen, current])
                raise _fail(
                    path,
                    text,
                    start,
                    f"rules.{start}.params.anchor",
                    f"các mốc tạo thành vòng lặp: {chain}.",
                    f"anchors form a cycle: {chain}.",
                )
            seen.append(current)
            current = anchors.get(current)


@lru_cache(maxsize=8)
def _load_dir(folder: str) -> tuple[RuleSet, ...]:
    paths = sorted(Path(folder).glob("*.toml"))
    if not paths:
        raise DataFileError(
            "không có tệp quy tắc nào.",
            "no rule files found.",
            file=display_path(Path(folder)),
        )
    return tuple(load_ruleset(p) for p in paths)


def load_rulesets(folder: Path | None = None) -> dict[str, RuleSet]:
    """All rule sets under ``data/rules`` (or ``folder``), keyed by rule-set id."""
    sets = _load_dir(str(folder or data_dir() / "rules"))
    return {s.id: s for s in sets}


def ruleset(ruleset_id: str, folder: Path | None = None) -> RuleSet:
    """One rule set by id, e.g. ``election-law-85-2015``."""
    sets = load_rulesets(folder)
    if ruleset_id not in sets:
        raise UnknownIdError(
            f"không có bộ quy tắc '{ruleset_id}'; có: {', '.join(sets)}.",
            f"no rule set '{ruleset_id}'; available: {', '.join(sets)}.",
        )
    return sets[ruleset_id]


def _param_text(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items())


def rule_catalogue_markdown(folder: Path | None = None) -> str:
    """The rule catalogue as a Markdown table (the README's catalogue is generated from this)."""
    lines = [
        "| id | family | tên / name | parameters | legal source | status |",
        "|---|---|---|---|---|---|",
    ]
    for rules in load_rulesets(folder).values():
        for r in rules:
            name = f"{r.name_vi} / {r.name_en}".replace("|", "/")
            params = _param_text(r.params).replace("|", "/")
            lines.append(
                f"| `{r.id}` | {r.family} | {name} | {params} | {r.source.cite()} | {r.status} |"
            )
    return "\n".join(lines)
