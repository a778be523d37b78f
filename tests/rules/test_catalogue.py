"""Rule catalogue: every rule loads with its names and source; malformed files fail clearly."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from planner.errors import DataFileError, UnknownIdError
from planner.rules.catalogue import FAMILY_PARAMS, load_ruleset, load_rulesets, ruleset
from tests.conftest import DATA

RAW = {
    p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in (DATA / "rules").glob("*.toml")
}
ALL_RULES = [(stem, r["id"]) for stem, doc in sorted(RAW.items()) for r in doc["rules"]]


def test_both_rule_sets_exist() -> None:
    """The directive and the election law are both shipped as rule sets."""
    assert set(load_rulesets()) >= {"directive-35-2019", "election-law-85-2015"}


@pytest.mark.parametrize(("stem", "rule_id"), ALL_RULES, ids=[r for _, r in ALL_RULES])
def test_rule(stem: str, rule_id: str) -> None:
    """Each rule loads with bilingual names, a known family, a source and an honest status."""
    rules = ruleset(RAW[stem]["ruleset"]["id"])
    rule = rules.get(rule_id)
    raw = next(r for r in RAW[stem]["rules"] if r["id"] == rule_id)
    assert rule.family in FAMILY_PARAMS
    assert rule.name_vi.strip() and rule.name_en.strip()
    assert rule.name_vi != rule.name_en
    assert rule.source.document.strip()
    assert rule.status in ("verified", "belief")
    if rule.status == "belief":
        assert rule.note
    assert dict(rule.params) == raw.get("params", {})
    assert rule.source.cite().startswith(rule.source.document)


def test_unknown_rule_id_is_a_bilingual_error() -> None:
    """Asking for a rule that does not exist names the rule set."""
    with pytest.raises(UnknownIdError) as err:
        ruleset("election-law-85-2015").get("el.nope")
    assert "el.nope" in err.value.message_vi and "el.nope" in err.value.message_en


def test_unknown_ruleset_lists_the_known_ones() -> None:
    """An unknown rule-set id lists the available ones."""
    with pytest.raises(UnknownIdError) as err:
        ruleset("directive-99")
    assert "directive-35-2019" in err.value.message_en


GOOD_RULE = """\
schema_version = 1
[ruleset]
id = "t"
name_vi = "Thử"
name_en = "Test"
document = "Doc"

[[rules]]
id = "t.one"
family = "election_step"
name_vi = "Bước"
name_en = "Step"
status = "verified"
[rules.source]
document = "Doc"
[rules.params]
anchor = "election_day"
kind = "deadline"
offset_days = -10
"""

BROKEN = [
    # (what, replace this, with that, expected field fragment, expected line or None)
    ("syntax", 'kind = "deadline"', "kind = deadline", None, 18),
    ("schema", "schema_version = 1", "schema_version = 7", "schema_version", None),
    ("family", 'family = "election_step"', 'family = "elections"', "family", 10),
    ("status", 'status = "verified"', 'status = "maybe"', "status", 13),
    ("belief", 'status = "verified"', 'status = "belief"', "note", None),
    ("type", "offset_days = -10", 'offset_days = "-10"', "offset_days", 19),
    ("unknown param", "offset_days = -10", "offset_days = -10\nweeks = 2", "weeks", None),
    ("missing param", "offset_days = -10", "", "offset_days", None),
    ("anchor", 'anchor = "election_day"', 'anchor = "t.none"', "anchor", 17),
    ("kind", 'kind = "deadline"', 'kind = "soon"', "kind", 18),
    ("id", 'id = "t.one"', 'id = "T One"', "id", None),
    ("source", '[rules.source]\ndocument = "Doc"\n', "", "source", None),
    ("name", 'name_en = "Step"', "", "name_en", None),
]


@pytest.mark.parametrize(
    ("what", "old", "new", "field", "line"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_malformed_rule_file(
    tmp_path: Path, what: str, old: str, new: str, field: str | None, line: int | None
) -> None:
    """A broken rule file fails with the file, the key or line, and both languages."""
    assert old in GOOD_RULE, what
    path = tmp_path / "broken.toml"
    path.write_text(GOOD_RULE.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_ruleset(path)
    exc = err.value
    assert exc.file == "broken.toml"
    assert exc.message_vi and exc.message_en and exc.message_vi != exc.message_en
    if field is not None:
        assert exc.field is not None and field in exc.field
    if line is not None:
        assert exc.line == line
    text = exc.one_line()
    assert "Lỗi:" in text and "Error:" in text and "\n" not in text


def test_good_rule_file_loads(tmp_path: Path) -> None:
    """The fixture the broken cases start from is itself valid."""
    path = tmp_path / "good.toml"
    path.write_text(GOOD_RULE, encoding="utf-8")
    rules = load_ruleset(path)
    assert [r.id for r in rules] == ["t.one"]


def test_anchor_cycle_is_refused(tmp_path: Path) -> None:
    """Two steps anchored on each other are a cycle, reported with the chain."""
    text = GOOD_RULE.replace('anchor = "election_day"', 'anchor = "t.two"') + (
        GOOD_RULE.split("\n\n", 1)[1]
        .replace('id = "t.one"', 'id = "t.two"')
        .replace('anchor = "election_day"', 'anchor = "t.one"')
    )
    path = tmp_path / "cycle.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_ruleset(path)
    assert "t.one → t.two → t.one" in err.value.message_en


def test_duplicate_rule_id_is_refused(tmp_path: Path) -> None:
    """The same id twice in one file is an error naming the id."""
    path = tmp_path / "dup.toml"
    path.write_text(GOOD_RULE + "\n" + GOOD_RULE.split("\n\n", 1)[1], encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_ruleset(path)
    assert "t.one" in err.value.message_en


def test_missing_rule_file_is_reported(tmp_path: Path) -> None:
    """A missing file is named, not a traceback."""
    with pytest.raises(DataFileError) as err:
        load_ruleset(tmp_path / "nope.toml")
    assert err.value.file == "nope.toml"
