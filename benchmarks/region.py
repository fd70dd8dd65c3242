"""Region benchmark: one unit's KPI report on the sample hospital (scale 1) and on a region (scale 20).

    .venv/bin/python benchmarks/region.py [--scale 20] [--unit FS-LUN] [--keep DIR]

Writes the fictional sample at scale 1 and at ``--scale`` (``toolkit sample-data --scale``), and
each as a month-partitioned Parquet store (``toolkit load-db --to DIR``), then times for each:

1. staging for the unit's run alone (what ``toolkit run`` does before the reports: validate the
   rows the run needs and partition them by unit);
2. ``toolkit run kpi --unit UNIT`` end to end (a fresh process, as a user runs it).

It prints the seconds and the locality ratio (scale N / scale 1) for the folder and the store.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = [sys.executable, "-m", "toolkit.run.cli"]


def _toolkit(*args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([*TOOLKIT, *args], check=True, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t0


def _stage_seconds(data: Path, unit: str) -> float:
    """Seconds to open ``data`` and stage it for a run of ``unit`` (in this process)."""
    from toolkit import analyses
    from toolkit.data.hierarchy import ancestors, siblings
    from toolkit.data.params import load_params
    from toolkit.data.sources import open_tables
    from toolkit.run import staging

    analyses.load_all()
    t0 = time.perf_counter()
    source = open_tables(data)
    units = source.units()
    period = source.latest_period()
    with tempfile.TemporaryDirectory() as out:
        staging.stage(
            source,
            Path(out),
            period=period,
            aggregate_units=siblings(units, unit),
            params_for=lambda u: load_params(ROOT / "params", u, ancestors=ancestors(units, u)),
            notebooks=["kpi"],
        )
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument("--unit", default="FS-LUN")
    parser.add_argument("--keep", type=Path, help="keep the generated folders here (reused if present)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="toolkit-region-"))
    results: dict[str, dict[str, float]] = {}
    for scale in (1, args.scale):
        folder, store = work / f"scale-{scale}", work / f"store-{scale}"
        if not folder.is_dir():
            seconds = _toolkit("sample-data", "--scale", str(scale), "--out", str(folder))
            print(f"scale {scale}: sample data written in {seconds:.0f} s", flush=True)
        if not store.is_dir():
            seconds = _toolkit("load-db", "--data", str(folder), "--to", str(store))
            print(f"scale {scale}: Parquet store written in {seconds:.0f} s", flush=True)
        for kind, data in (("folder", folder), ("store", store)):
            stage = _stage_seconds(data, args.unit)
            out = work / f"reports-{kind}-{scale}"
            run = _toolkit(
                "run", "kpi", "--unit", args.unit, "--data", str(data), "--out", str(out), "--no-progress"
            )
            results[f"{kind}-{scale}"] = {"stage_s": round(stage, 1), "run_s": round(run, 1)}
            print(f"scale {scale} {kind}: staging {stage:.1f} s, toolkit run kpi {run:.1f} s", flush=True)
    for kind in ("folder", "store"):
        one, many = results[f"{kind}-1"], results[f"{kind}-{args.scale}"]
        print(
            f"{kind}: locality ratio (scale {args.scale} / scale 1) "
            f"staging {many['stage_s'] / one['stage_s']:.2f}, run {many['run_s'] / one['run_s']:.2f}"
        )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
