"""Rule sets of every cycle: their validity, their amendments, and the law in force on a day.

A rule set is keyed by document **and** date (``number``, ``issued``, ``in_force``; the number
35-CT/TW names two directives, CYCLES §1). Its head in ``data/rules/*.toml`` may carry ``kind``
(``law`` / ``directive`` / ``preparation``: :mod:`planner.rules.preparation`), ``number``,
``issued``,
``in_force``, ``superseded_by``, ``cycle`` and ``era``. An amendment
(``data/rules/amendments/*.toml``) is not a copy of the law: it lists the changes
to the base rule set (``amend``, ``confirm``, ``unverified``, ``add``, ``remove``), and
:func:`compose` applies them, giving a :class:`ComposedRuleSet` — a
:class:`planner.rules.catalogue.RuleSet`
that ``planner.rules.timetable.election_timetable(day, rules)`` takes unchanged.

The law in force for an election (CYCLES §2.4: Law 83/2025 applies to every step of the 2026
election) is the base law with every amendment in force on the day of the election's first
statutory deadline (:func:`law_for_election`).

A rule set's levels are those of its ``era`` (``planner.rules.catalogue`` checks them against
``data/orgs/eras.toml``): Directive 45-CT/TW names ``commune``, and no ``district``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import planner.rules.catalogue as rules_mod
from planner.errors import DataFileError, PlannerError, UnknownIdError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import line_of, read_toml
from planner.rules.catalogue import Rule, RuleSet
from planner.sources import LegalSource

KINDS = ("law", "directive", "preparation")
ACTIONS = ("amend", "confirm", "unverified", "add", "remove")
AMENDMENTS = "amendments"
_AMENDABLE = ("name_vi", "name_en", "status", "note")


@dataclass(frozen=True, slots=True)
class Validity:
    """When a rule set applies: the document's number and dates, and what replaced it."""

    ruleset_id: str
    kind: str
    number: str
    issued: dt.date
    in_force: dt.date
    superseded_by: str | None = None
    cycle: str | None = None
    era: str | None = None
    file: str = ""

    def in_force_on(self, day: dt.date) -> bool:
        """True when the document is in force on ``day`` (superseding is per cycle, not a date)."""
        return day >= self.in_force


@dataclass(frozen=True, slots=True)
class Change:
    """One change an amendment makes to one rule of its base rule set."""

    rule: str
    action: str
    params: Mapping[str, Any]
    fields: Mapping[str, str]
    source: Mapping[str, str]
    added: Rule | None = None


@dataclass(frozen=True, slots=True)
class Amendment:
    """An amending document: its validity and its changes to a base rule set."""

    id: str
    amends: str
    name_vi: str
    name_en: str
    document: str
    amended_document: str
    validity: Validity
    unlisted: str
    unlisted_note: str
    changes: tuple[Change, ...]
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ComposedRuleSet(RuleSet):
    """A base rule set with its amendments applied; a :class:`RuleSet` for every caller.

    ``origin`` maps each rule id to ``base`` (untouched), ``amended``, ``added``, ``confirmed``
    or ``kept_unverified`` (the amendment's value is unknown: the base value is kept as a
    parameter and the rule is marked ``belief``), with the amendment that did it.
    """

    base_id: str = ""
    amendment_ids: tuple[str, ...] = ()
    origin: Mapping[str, tuple[str, str | None]] = field(default_factory=dict)

    def origin_of(self, rule_id: str) -> str:
        """``base``, ``amended``, ``added``, ``confirmed`` or ``kept_unverified``."""
        self.get(rule_id)
        return self.origin[rule_id][0]


def _date(raw: Mapping[str, Any], key: str, path: Path, text: str, where: str) -> dt.date:
    value = raw.get(key)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise DataFileError(
        f"'{key}' phải là ngày dạng YYYY-MM-DD.",
        f"'{key}' must be a date written YYYY-MM-DD.",
        file=display_path(path),
        line=line_of(text, f"{key} ") or line_of(text, f"[{where}]"),
        field=f"{where}.{key}",
        hint_vi=f"Ví dụ: {key} = 2025-07-01.",
        hint_en=f"Example: {key} = 2025-07-01.",
    )


def _text(raw: Mapping[str, Any], key: str, path: Path, text: str, where: str) -> str:
    value = raw.get(key)
    if isinstance(value, str) and value.strip():
        return value
    raise DataFileError(
        f"thiếu khóa '{key}' hoặc không phải chuỗi văn bản.",
        f"key '{key}' is missing or not a non-empty string.",
        file=display_path(path),
        line=line_of(text, f"[{where}]"),
        field=f"{where}.{key}",
    )


def _validity(
    head: Mapping[str, Any], ruleset_id: str, path: Path, text: str, where: str
) -> Validity:
    kind = _text(head, "kind", path, text, where)
    if kind not in KINDS:
        raise DataFileError(
            f"loại văn bản '{kind}' không hợp lệ; dùng một trong: {', '.join(KINDS)}.",
            f"document kind '{kind}' is invalid; use one of: {', '.join(KINDS)}.",
            file=display_path(path),
            line=line_of(text, "kind "),
            field=f"{where}.kind",
        )
    issued = _date(head, "issued", path, text, where)
    in_force = _date(head, "in_force", path, text, where)
    if in_force < issued:
        raise DataFileError(
            f"ngày hiệu lực {in_force} trước ngày ban hành {issued}.",
            f"in force {in_force} is before issued {issued}.",
            file=display_path(path),
            line=line_of(text, "in_force "),
            field=f"{where}.in_force",
            hint_vi="Kiểm tra lại hai ngày.",
            hint_en="Check both dates.",
        )
    optional = {k: head.get(k) for k in ("superseded_by", "cycle", "era")}
    return Validity(
        ruleset_id=ruleset_id,
        kind=kind,
        number=_text(head, "number", path, text, where),
        issued=issued,
        in_force=in_force,
        superseded_by=optional["superseded_by"],
        cycle=optional["cycle"],
        era=optional["era"],
        file=display_path(path),
    )


def _parse_change(
    raw: Any, index: int, base: RuleSet, amendment_id: str, path: Path, text: str
) -> Change:
    where = f"changes[{index}]"
    if not isinstance(raw, dict):
        raise DataFileError(
            "mục không phải bảng.", "entry is not a table.", file=display_path(path), field=where
        )
    rule_id = _text(raw, "rule", path, text, where)
    line = line_of(text, f'rule = "{rule_id}"')
    action = _text(raw, "action", path, text, where)
    if action not in ACTIONS:
        raise DataFileError(
            f"hành động '{action}' không hợp lệ; dùng một trong: {', '.join(ACTIONS)}.",
            f"action '{action}' is invalid; use one of: {', '.join(ACTIONS)}.",
            file=display_path(path),
            line=line,
            field=f"changes.{rule_id}.action",
        )
    known = {r.id for r in base.rules}
    if (action == "add") == (rule_id in known):
        vi, en = (
            (
                f"quy tắc '{rule_id}' đã có trong {base.id}.",
                f"rule '{rule_id}' already is in {base.id}.",
            )
            if action == "add"
            else (
                f"không có quy tắc '{rule_id}' trong {base.id}.",
                f"no rule '{rule_id}' in {base.id}.",
            )
        )
        raise DataFileError(
            vi,
            en,
            file=display_path(path),
            line=line,
            field=f"changes.{rule_id}.rule",
            hint_vi="Dùng 'add' cho quy tắc mới, hành động khác cho quy tắc có sẵn.",
            hint_en="Use 'add' for a new rule and the other actions for existing ones.",
        )
    params = raw.get("params", {})
    source = raw.get("source", {})
    if not isinstance(params, dict) or not isinstance(source, dict):
        raise DataFileError(
            "'params' và 'source' phải là bảng.",
            "'params' and 'source' must be tables.",
            file=display_path(path),
            line=line,
            field=f"changes.{rule_id}",
        )
    fields = {k: raw[k] for k in _AMENDABLE if isinstance(raw.get(k), str)}
    if action == "unverified" and "note" not in fields:
        raise DataFileError(
            "thay đổi 'unverified' cần 'note' nói rõ điều chưa kiểm chứng.",
            "an 'unverified' change needs a 'note' saying what is unverified.",
            file=display_path(path),
            line=line,
            field=f"changes.{rule_id}.note",
        )
    added = None
    if action == "add":
        body = {k: v for k, v in raw.items() if k not in ("rule", "action")}
        added = rules_mod._parse_rule({"id": rule_id, **body}, index, amendment_id, path, text)
    if action == "amend" and params:
        probe = {**base.get(rule_id).params, **params}
        rules_mod._check_params(base.get(rule_id).family, probe, path, text, rule_id, where + ".")
    return Change(
        rule=rule_id,
        action=action,
        params=MappingProxyType(dict(params)),
        fields=MappingProxyType(fields),
        source=MappingProxyType({k: str(v) for k, v in source.items()}),
        added=added,
    )


def load_amendment(path: Path, base: RuleSet) -> Amendment:
    """Read one amendment file against its base rule set; errors name the file, line and fix."""
    doc, text = read_toml(path)
    return amendment_from_doc(doc, text, path, base)


def amendment_from_doc(doc: Mapping[str, Any], text: str, path: Path, base: RuleSet) -> Amendment:
    """Validate one amendment document already read from ``path`` against its base rule set."""
    head = doc.get("amendment")
    if not isinstance(head, dict):
        raise DataFileError(
            "thiếu bảng [amendment].", "missing [amendment] table.", file=display_path(path)
        )
    amendment_id = _text(head, "id", path, text, "amendment")
    unlisted = str(head.get("unlisted", "base"))
    if unlisted not in ("base", "unverified"):
        raise DataFileError(
            f"'unlisted' = '{unlisted}' không hợp lệ; dùng 'base' hoặc 'unverified'.",
            f"'unlisted' = '{unlisted}' is invalid; use 'base' or 'unverified'.",
            file=display_path(path),
            line=line_of(text, "unlisted "),
            field="amendment.unlisted",
        )
    raw_changes = doc.get("changes", [])
    if not isinstance(raw_changes, list):
        raw_changes = []
    changes = tuple(
        _parse_change(raw, i, base, amendment_id, path, text) for i, raw in enumerate(raw_changes)
    )
    seen: set[str] = set()
    for change in changes:
        if change.rule in seen:
            raise DataFileError(
                f"quy tắc '{change.rule}' được sửa hai lần.",
                f"rule '{change.rule}' is changed twice.",
                file=display_path(path),
                line=line_of(text, f'rule = "{change.rule}"'),
                field=f"changes.{change.rule}",
            )
        seen.add(change.rule)
    return Amendment(
        id=amendment_id,
        amends=_text(head, "amends", path, text, "amendment"),
        name_vi=_text(head, "name_vi", path, text, "amendment"),
        name_en=_text(head, "name_en", path, text, "amendment"),
        document=_text(head, "document", path, text, "amendment"),
        amended_document=_text(head, "amended_document", path, text, "amendment"),
        validity=_validity(head, amendment_id, path, text, "amendment"),
        unlisted=unlisted,
        unlisted_note=str(head.get("unlisted_note", "")),
        changes=changes,
        url=head.get("url"),
        note=head.get("note"),
    )


def _apply(
    rule: Rule, change: Change | None, amendment: Amendment, base: RuleSet
) -> tuple[Rule | None, str]:
    """One rule after one amendment, with its origin."""
    action = change.action if change else amendment.unlisted
    if action == "remove":
        return None, "removed"
    if action == "base":
        return rule, "base"
    document = rule.source.document
    if document == base.document or document.startswith(base.document + ","):
        document = amendment.amended_document
    src = change.source if change else {}
    source = LegalSource(
        document=document,
        article=src.get("article", rule.source.article),
        clause=src.get("clause", rule.source.clause),
        url=src.get("url") or (amendment.url if action == "amend" else rule.source.url),
    )
    fields = dict(change.fields) if change else {}
    if action == "unverified":
        note = fields.get("note") or amendment.unlisted_note
        return (
            replace(
                rule,
                status="belief",
                note=f"{note} — {base.document}: {rule.note}" if rule.note else note,
                source=source,
            ),
            "kept_unverified",
        )
    params = {**rule.params, **(change.params if change else {})}
    updated = replace(
        rule,
        name_vi=fields.get("name_vi", rule.name_vi),
        name_en=fields.get("name_en", rule.name_en),
        status=fields.get("status", rule.status),
        note=fields.get("note", rule.note),
        source=source,
        params=MappingProxyType(params),
    )
    return updated, "amended" if action == "amend" else "confirmed"


def compose(base: RuleSet, amendments: tuple[Amendment, ...]) -> ComposedRuleSet:
    """The base rule set with ``amendments`` applied in order of entry into force."""
    ordered = sorted(amendments, key=lambda a: (a.validity.in_force, a.id))
    current = list(base.rules)
    origin: dict[str, tuple[str, str | None]] = {r.id: ("base", None) for r in current}
    document = base.document
    for amendment in ordered:
        if amendment.amends != base.id:
            raise PlannerError(
                f"văn bản {amendment.id} sửa đổi {amendment.amends}, không phải {base.id}.",
                f"{amendment.id} amends {amendment.amends}, not {base.id}.",
                file=amendment.validity.file,
                field="amendment.amends",
            )
        by_rule = {c.rule: c for c in amendment.changes}
        step_base = replace(base, document=document) if document != base.document else base
        nxt: list[Rule] = []
        for rule in current:
            updated, how = _apply(rule, by_rule.get(rule.id), amendment, step_base)
            if updated is None:
                origin.pop(rule.id, None)
                continue
            nxt.append(updated)
            if how != "base":
                origin[rule.id] = (how, amendment.id)
        for change in amendment.changes:
            if change.added is not None:
                nxt.append(replace(change.added, ruleset_id=base.id))
                origin[change.rule] = ("added", amendment.id)
        current = nxt
        document = amendment.amended_document
    ids = "+".join([base.id, *(a.id for a in ordered)])
    return ComposedRuleSet(
        id=ids,
        name_vi=base.name_vi + "".join(f" (sửa đổi bởi {a.document})" for a in ordered),
        name_en=base.name_en + "".join(f" (as amended by {a.document})" for a in ordered),
        document=document,
        rules=tuple(current),
        file=base.file,
        note=base.note,
        _by_id=MappingProxyType({r.id: r for r in current}),
        base_id=base.id,
        amendment_ids=tuple(a.id for a in ordered),
        origin=MappingProxyType(origin),
    )


@dataclass(frozen=True, slots=True)
class Rulebook:
    """Every rule set (``data/rules``), its validity, and every amendment."""

    rulesets: Mapping[str, RuleSet]
    validity: Mapping[str, Validity]
    amendments: Mapping[str, Amendment]

    def ruleset(self, ruleset_id: str) -> RuleSet:
        """One base rule set by id; a bilingual error listing the known ones otherwise."""
        if ruleset_id not in self.rulesets:
            known = ", ".join(sorted(self.rulesets))
            raise UnknownIdError(
                f"không có bộ quy tắc '{ruleset_id}'; có: {known}.",
                f"no rule set '{ruleset_id}'; available: {known}.",
                field="ruleset",
            )
        return self.rulesets[ruleset_id]

    def amendments_of(self, base_id: str, on: dt.date | None = None) -> tuple[Amendment, ...]:
        """The amendments of ``base_id`` (only those in force on ``on`` when given)."""
        return tuple(
            sorted(
                (
                    a
                    for a in self.amendments.values()
                    if a.amends == base_id and (on is None or a.validity.in_force_on(on))
                ),
                key=lambda a: (a.validity.in_force, a.id),
            )
        )

    def law(self, law_id: str) -> RuleSet:
        """A law by id: a base law alone, an amendment id (the base with every amendment up to
        and including that one), or a composed id ``base+amendment+…`` (as listed)."""
        parts = law_id.split("+")
        if len(parts) > 1:
            base = self.ruleset(parts[0])
            chosen = tuple(self._amendment(p) for p in parts[1:])
            return compose(base, chosen)
        if law_id in self.amendments:
            target = self.amendments[law_id]
            chain = tuple(
                a
                for a in self.amendments_of(target.amends)
                if (a.validity.in_force, a.id) <= (target.validity.in_force, target.id)
            )
            return compose(self.ruleset(target.amends), chain)
        return self.ruleset(law_id)

    def _amendment(self, amendment_id: str) -> Amendment:
        if amendment_id not in self.amendments:
            known = ", ".join(sorted(self.amendments)) or "—"
            raise UnknownIdError(
                f"không có văn bản sửa đổi '{amendment_id}'; có: {known}.",
                f"no amendment '{amendment_id}'; available: {known}.",
                field="law",
            )
        return self.amendments[amendment_id]

    def laws(self) -> tuple[str, ...]:
        """Ids of the base election laws (kind ``law``)."""
        return tuple(sorted(k for k, v in self.validity.items() if v.kind == "law"))

    def law_in_force(self, day: dt.date) -> RuleSet:
        """The election law in force on ``day``: the latest base law then in force, composed with
        its amendments then in force. A bilingual error when no law in the data was in force."""
        candidates = [self.validity[k] for k in self.laws() if self.validity[k].in_force_on(day)]
        if not candidates:
            first = min((self.validity[k].in_force for k in self.laws()), default=None)
            raise PlannerError(
                f"không có luật bầu cử nào trong dữ liệu có hiệu lực ngày {day.isoformat()}.",
                f"no election law in the data is in force on {day.isoformat()}.",
                field="election_day",
                hint_vi=f"Luật sớm nhất có hiệu lực từ {first}." if first else None,
                hint_en=f"The earliest law is in force from {first}." if first else None,
            )
        base = max(candidates, key=lambda v: (v.in_force, v.ruleset_id))
        amendments = self.amendments_of(base.ruleset_id, on=day)
        if not amendments:
            return self.ruleset(base.ruleset_id)
        return compose(self.ruleset(base.ruleset_id), amendments)

    def law_for_election(self, election_day: dt.date) -> RuleSet:
        """The law that governs the election on ``election_day``.

        It is the law in force on the day the election's first statutory deadline falls due
        (E + the most negative offset of the law in force on E, i.e. E−115 for Law 85/2015), so
        an amendment in force before the first step governs every step (CYCLES §2.4: Law 83/2025,
        in force 1/7/2025, governs all of the election of 15/3/2026, whose first deadline is
        20/11/2025), and one that enters into force mid-way does not.
        """
        on_e = self.law_in_force(election_day)
        offsets = [
            int(r.param("offset_days", r.param("start_offset_days", 0)))
            for r in on_e.by_family("election_step")
            if r.param("anchor") == "election_day" and r.param("kind") != "undated"
        ]
        first = election_day + dt.timedelta(days=min([0, *offsets]))
        return self.law_in_force(first)


@lru_cache(maxsize=4)
def _load(folder: str) -> Rulebook:
    root = Path(folder)
    sets: dict[str, RuleSet] = {}
    validity: dict[str, Validity] = {}
    for path in sorted(root.glob("*.toml")):
        doc, text = read_toml(path)
        rs = rules_mod.ruleset_from_doc(doc, text, path)
        head = doc["ruleset"]
        if rs.id in sets:
            raise DataFileError(
                f"bộ quy tắc '{rs.id}' có ở hai tệp.",
                f"rule set '{rs.id}' is defined in two files.",
                file=display_path(path),
                field="ruleset.id",
            )
        sets[rs.id] = rs
        if "kind" in head:
            validity[rs.id] = _validity(head, rs.id, path, text, "ruleset")
    for v in validity.values():
        if v.superseded_by is not None and v.superseded_by not in sets:
            raise DataFileError(
                f"superseded_by = '{v.superseded_by}' không phải bộ quy tắc đã biết.",
                f"superseded_by = '{v.superseded_by}' is not a known rule set.",
                file=v.file,
                field="ruleset.superseded_by",
                hint_vi=f"Có: {', '.join(sorted(sets))}.",
                hint_en=f"Known: {', '.join(sorted(sets))}.",
            )
    amendments: dict[str, Amendment] = {}
    for path in sorted((root / AMENDMENTS).glob("*.toml")):
        doc, text = read_toml(path)
        head = doc.get("amendment", {})
        base_id = head.get("amends") if isinstance(head, dict) else None
        if base_id not in sets:
            raise DataFileError(
                f"amends = '{base_id}' không phải bộ quy tắc đã biết.",
                f"amends = '{base_id}' is not a known rule set.",
                file=display_path(path),
                line=line_of(text, "amends "),
                field="amendment.amends",
                hint_vi=f"Có: {', '.join(sorted(sets))}.",
                hint_en=f"Known: {', '.join(sorted(sets))}.",
            )
        amendment = amendment_from_doc(doc, text, path, sets[str(base_id)])
        if (
            amendment.validity.in_force
            < validity.get(amendment.amends, amendment.validity).in_force
        ):
            raise DataFileError(
                "văn bản sửa đổi có hiệu lực trước văn bản gốc.",
                "the amendment is in force before the law it amends.",
                file=display_path(path),
                line=line_of(text, "in_force "),
                field="amendment.in_force",
            )
        amendments[amendment.id] = amendment
    return Rulebook(
        rulesets=MappingProxyType(sets),
        validity=MappingProxyType(validity),
        amendments=MappingProxyType(amendments),
    )


def load_rulebook(folder: Path | None = None) -> Rulebook:
    """Every rule set, validity and amendment under ``data/rules`` (or ``folder``), cached."""
    return _load(str(folder or data_dir() / "rules"))


def law_for_election(election_day: dt.date, folder: Path | None = None) -> RuleSet:
    """The election law governing the election on ``election_day`` (see :class:`Rulebook`)."""
    return load_rulebook(folder).law_for_election(election_day)


def _law_words(book: Rulebook, law_id: str) -> tuple[str, str]:
    """A base law's or an amendment's short name: ``Luật 83/2025/QH15`` / ``Law 83/2025/QH15``."""
    if law_id in book.amendments:
        amendment = book.amendments[law_id]
        return amendment.document, f"Law {amendment.validity.number}"
    validity = book.validity.get(law_id)
    document = book.rulesets[law_id].document if law_id in book.rulesets else law_id
    return document, f"Law {validity.number}" if validity else document


def law_named(rules: RuleSet, folder: Path | None = None) -> tuple[str, str]:
    """D5: the law in force, its base and every amendment, from the rulebook data:
    ``Luật 85/2015/QH13, sửa đổi, bổ sung bởi Luật 83/2025/QH15`` /
    ``Law 85/2015/QH13, as amended by Law 83/2025/QH15`` (the rule set's own document when
    it is not in the rulebook)."""
    book = load_rulebook(folder)
    base_id = getattr(rules, "base_id", "") or rules.id
    if base_id not in book.rulesets:
        return rules.document, rules.document
    base_vi, base_en = _law_words(book, base_id)
    amended = [_law_words(book, a) for a in getattr(rules, "amendment_ids", ())]
    if not amended:
        return base_vi, base_en
    return (
        f"{base_vi}, sửa đổi, bổ sung bởi " + " và ".join(vi for vi, _en in amended),
        f"{base_en}, as amended by " + " and ".join(en for _vi, en in amended),
    )


def step_cited(rules: RuleSet, rule_id: str, folder: Path | None = None) -> tuple[str, str]:
    """D5: a rule's article with the law it belongs to: ``Điều 5 Luật 85/2015/QH13``; a step an
    amendment changed cites it too (``Điều 21, 22 Luật 85/2015/QH13, sửa đổi bởi Luật
    83/2025/QH15``), a step it added cites it alone."""
    rule = rules.get(rule_id)
    article = rule.source.article or ""
    article_en = article.replace("Điều", "Art.")
    book = load_rulebook(folder)
    base_id = getattr(rules, "base_id", "") or rules.id
    origin: Mapping[str, tuple[str, str | None]] = getattr(rules, "origin", {})
    how, by = origin.get(rule_id, ("base", None))
    if base_id not in book.rulesets:
        law_vi = law_en = rule.source.document
    elif how == "added" and by:
        law_vi, law_en = _law_words(book, by)
    else:
        law_vi, law_en = _law_words(book, base_id)
        if how == "amended" and by:
            by_vi, by_en = _law_words(book, by)
            law_vi, law_en = f"{law_vi}, sửa đổi bởi {by_vi}", f"{law_en}, as amended by {by_en}"
    return f"{article} {law_vi}".strip(), f"{article_en} {law_en}".strip()
