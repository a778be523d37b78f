"""The constraint-family catalogue (``data/constraints.toml``): names, defaults, sources."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planner.errors import DataFileError, UnknownIdError
from planner.files.paths import data_dir, display_path
from planner.files.tomlio import read_toml
from planner.tree.names import family_label

FAMILY_IDS = (
    "level_window",
    "duration",
    "precedence",
    "pilot",
    "blackout",
    "parent_capacity",
    "level_capacity",
    "election_alignment",
    "pin",
    "preferred",
    "review",
)


@dataclass(frozen=True, slots=True)
class Family:
    """One constraint family: what it means, how it is set and where the rule comes from."""

    id: str
    name_vi: str
    name_en: str
    default: str
    required: bool
    params: tuple[str, ...]
    rules: tuple[str, ...]
    source: str
    description_vi: str
    description_en: str


@lru_cache(maxsize=2)
def _load(path_text: str) -> dict[str, Family]:
    path = Path(path_text)
    doc, _ = read_toml(path)
    out: dict[str, Family] = {}
    for raw in doc.get("families", []):
        try:
            family = Family(
                id=raw["id"],
                name_vi=raw["name_vi"],
                name_en=raw["name_en"],
                default=raw["default"],
                required=bool(raw.get("required", False)),
                params=tuple(raw.get("params", [])),
                rules=tuple(raw.get("rules", [])),
                source=raw["source"],
                description_vi=raw["description_vi"],
                description_en=raw["description_en"],
            )
        except KeyError as exc:
            raise DataFileError(
                f"họ ràng buộc thiếu khóa {exc}.",
                f"a constraint family is missing key {exc}.",
                file=display_path(path),
                field=f"families.{raw.get('id', '?')}",
            ) from None
        out[family.id] = family
    if set(out) != set(FAMILY_IDS):
        raise DataFileError(
            f"danh mục phải có đúng các họ: {', '.join(FAMILY_IDS)}.",
            f"the catalogue must list exactly: {', '.join(FAMILY_IDS)}.",
            file=display_path(path),
        )
    return out


def catalogue() -> dict[str, Family]:
    """All constraint families, keyed by id, in catalogue order."""
    return _load(str(data_dir() / "constraints.toml"))


def family(family_id: str) -> Family:
    """One family by id; a bilingual error listing the ids otherwise."""
    families = catalogue()
    if family_id not in families:
        raise UnknownIdError(
            f"không có họ ràng buộc '{family_id}'; có: {', '.join(families)}.",
            f"unknown constraint family '{family_id}'; known: {', '.join(families)}.",
            field="families",
        )
    return families[family_id]


def family_name(family_id: str) -> tuple[str, str]:
    """The Vietnamese and English names of a constraint family, of a rule family of the rule
    sets (data/names.toml) or of ``completeness``."""
    if family_id == "completeness":
        return "Đủ mọi đại hội", "Every congress planned"
    families = catalogue()
    if family_id in families:
        return families[family_id].name_vi, families[family_id].name_en
    label = family_label(family_id)  # a rule set's family the solver has no switch for
    return label.vi, label.en


def family_catalogue_markdown() -> str:
    """The constraint families as a Markdown table (the README's table is generated from this)."""
    lines = [
        "| id | tên / name | default | scenario keys | rules | legal source |",
        "|---|---|---|---|---|---|",
    ]
    for fam in catalogue().values():
        level = fam.default + (" (always on)" if fam.required else "")
        keys = ", ".join(f"`{p}`" for p in fam.params)
        rules = ", ".join(f"`{r}`" for r in fam.rules) or "—"
        lines.append(
            f"| `{fam.id}` | {fam.name_vi} / {fam.name_en} | {level} | {keys} | {rules} | "
            f"{fam.source} |"
        )
    return "\n".join(lines)
