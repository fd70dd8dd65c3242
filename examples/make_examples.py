"""Run the import recipes of ``examples/`` and make their reports (``make examples``).

For each recipe: convert the public data into a data folder under ``<out>/data/``, validate it
(``toolkit validate``), and make its report (``toolkit run``) into ``<out>/reports/``. The
parameters are the repository's ``params/`` plus the recipe's own unit files
(``examples/<recipe>/params/units/*.yaml``), assembled under ``<out>/params/<recipe>/``.

Usage::

    python examples/make_examples.py [--realdata ../shared/realdata] [--out examples/out]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from inrc2_uihc import convert as inrc2_uihc  # noqa: E402
from nhs_ae import convert as nhs_ae  # noqa: E402


@dataclass(frozen=True)
class Recipe:
    name: str
    convert: Callable[[Path, Path], object]  # (realdata folder, data folder to write)
    notebook: str
    units: tuple[str, ...]
    period: str


RECIPES = (
    Recipe(
        "inrc2_uihc",
        lambda raw, out: inrc2_uihc.convert(
            raw / "nurse-rostering-inrc2", raw / "ed-hourly-arrivals-uihc" / "uihc_ed_arrivals.csv", out
        ),
        "shift-assessment",
        (inrc2_uihc.UNIT,),
        "2017-10",
    ),
    Recipe(
        "nhs_ae",
        lambda raw, out: nhs_ae.convert(
            raw / "nhs-ae-monthly-by-provider-2023-24", out, region="East Of England"
        ),
        "kpi",
        ("RWH", "RGT"),
        "2024-03",
    ),
)


def params_folder(recipe: str, out: Path) -> Path:
    """The repository's parameters plus the recipe's unit files, in ``out/params/<recipe>``."""
    folder = out / "params" / recipe
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(ROOT / "params", folder)
    own = HERE / recipe / "params" / "units"
    for path in sorted(own.glob("*.yaml")) if own.is_dir() else []:
        shutil.copy(path, folder / "units" / path.name)
    return folder


def toolkit(*args: str) -> None:
    exe = Path(sys.executable).with_name("toolkit")
    subprocess.run([str(exe) if exe.exists() else "toolkit", *args], check=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realdata", type=Path, default=ROOT.parent / "shared" / "realdata")
    ap.add_argument("--out", type=Path, default=HERE / "out")
    ap.add_argument("--only", action="append", help="run only this recipe (repeatable)")
    args = ap.parse_args(argv)
    for recipe in RECIPES:
        if args.only and recipe.name not in args.only:
            continue
        data = args.out / "data" / recipe.name
        if data.exists():
            shutil.rmtree(data)
        print(f"== {recipe.name}: converting {args.realdata} → {data}", flush=True)
        recipe.convert(args.realdata, data)
        toolkit("validate", "--data", str(data))
        units = [a for u in recipe.units for a in ("--unit", u)]
        toolkit(
            "run", recipe.notebook, *units, "--period", recipe.period, "--data", str(data),
            "--params", str(params_folder(recipe.name, args.out)),
            "--out", str(args.out / "reports" / recipe.name), "--no-progress",
        )  # fmt: skip


if __name__ == "__main__":
    main()
