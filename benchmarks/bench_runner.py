"""Time every sample department's KPI report two ways, in one run on the same machine.

1. plain tools, one unit after another: ``papermill`` then ``jupyter nbconvert --to
   toolkit_report`` (the same notebook and the same HTML exporter) per unit;
2. ``toolkit run kpi --all-units`` (staging once, warm kernels in parallel workers).

Usage: ``.venv/bin/python benchmarks/bench_runner.py [--units N]``. Prints a table and the
ratio and writes ``benchmarks/results/runner.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATA = ROOT / "data_samples"
PARAMS = ROOT / "params"
NOTEBOOK = ROOT / "notebooks" / "kpi.ipynb"


def departments(limit: int | None) -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from toolkit.data.hierarchy import units_at_level
    from toolkit.data.sources import FolderSource

    units = units_at_level(FolderSource(DATA).units(), "department")
    return units[:limit] if limit else units


def plain(units: list[str], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for unit in units:
        executed = out / f"kpi-{unit}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(NOTEBOOK),
                str(executed),
                "-p",
                "unit",
                unit,
                "-p",
                "interactive",
                "False",
                "-p",
                "data_dir",
                str(DATA),
                "-p",
                "params_dir",
                str(PARAMS),
                "--cwd",
                str(NOTEBOOK.parent),
                "--no-progress-bar",
            ],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                str(BIN / "jupyter"),
                "nbconvert",
                "--to",
                "toolkit_report",
                str(executed),
                "--output-dir",
                str(out),
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def toolkit_run(units: list[str], out: Path) -> float:
    unit_args = [a for u in units for a in ("--unit", u)]
    start = time.perf_counter()
    subprocess.run(
        [
            str(BIN / "toolkit"),
            "run",
            "kpi",
            *unit_args,
            "--data",
            str(DATA),
            "--out",
            str(out),
            "--no-progress",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, help="only the first N departments")
    args = parser.parse_args()
    units = departments(args.units)
    with tempfile.TemporaryDirectory() as tmp:
        t_plain = plain(units, Path(tmp) / "plain")
        t_run = toolkit_run(units, Path(tmp) / "run")
        html_plain = len(list((Path(tmp) / "plain").glob("*.html")))
        html_run = len(list((Path(tmp) / "run").glob("*/*/kpi.html")))
    result = {
        "units": len(units),
        "plain_seconds": round(t_plain, 1),
        "toolkit_run_seconds": round(t_run, 1),
        "ratio": round(t_plain / t_run, 2),
        "reports": {"plain": html_plain, "toolkit_run": html_run},
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(f"{len(units)} units: papermill + nbconvert, sequential {t_plain:6.1f} s")
    print(f"{len(units)} units: toolkit run                     {t_run:6.1f} s")
    print(f"ratio: {result['ratio']:.2f}x faster ({os.cpu_count()} cores)")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "runner.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
