"""Size and draw time of every sample report, in headless Chromium on this machine.

Makes every report for every sample unit (``toolkit run --all-units``) unless given a run's
month folder, then for each report: its size, the embedded plotly.js's share of it, and the time
from opening it until every chart has drawn (the median of ``--runs`` openings, network blocked;
``tests/browser.py``). ``--compare-full`` also times each report with the full plotly.js of the
Python plotly package in place of the reports' partial bundle (what the reports embedded before).

Usage: ``.venv/bin/python benchmarks/report_size.py [--reports reports/2026-10] [--runs 3]
[--compare-full] [--kind kpi] [--unit FS-LUN]`` (``--kind`` and ``--unit``, each repeatable, time
only those reports: a run is then made only of those notebooks and units). Prints a table per report kind and writes ``benchmarks/results/report_size.json``.
Draw times depend on the machine's load: run it on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import plotly

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from browser import chromium_available, draw_times  # noqa: E402
from toolkit.report.assets import plotly_js, plotly_manifest  # noqa: E402

MB = 1_000_000
LIMIT_BYTES = 2 * MB
LIMIT_SECONDS = 2.0


def make_reports(out: Path, kinds: list[str], units: list[str]) -> Path:
    """The reports ``kinds`` (all: every notebook) for ``units`` (all: every sample unit), for
    the latest month; returns the month's folder."""
    toolkit = Path(sys.executable).parent / "toolkit"
    scope = [a for u in units for a in ("--unit", u)] if units else ["--all-units"]
    subprocess.run(
        [
            str(toolkit),
            "run",
            *kinds,
            *scope,
            "--data",
            str(ROOT / "data_samples"),
            "--out",
            str(out),
            "--no-progress",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    (month,) = [p for p in out.iterdir() if p.is_dir()]
    return month


def with_full_plotly(paths: list[Path], out: Path) -> dict[Path, Path]:
    """Copies of the reports with the Python package's full plotly.js in place of the partial bundle."""
    full = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")
    partial = plotly_js()
    copies: dict[Path, Path] = {}
    for path in paths:
        html = path.read_text(encoding="utf-8")
        assert html.count(partial) == 1, path
        copy = out / path.parent.name / path.name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(html.replace(partial, full), encoding="utf-8")
        copies[path] = copy
    return copies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=Path, help="a run's month folder (default: make the sample run)")
    parser.add_argument("--runs", type=int, default=3, help="openings per report (the median is kept)")
    parser.add_argument("--compare-full", action="store_true", help="also time the full plotly.js")
    parser.add_argument("--kind", action="append", default=[], help="only this report kind (e.g. kpi)")
    parser.add_argument("--unit", action="append", default=[], help="only this unit's reports")
    args = parser.parse_args()
    if not chromium_available():
        print("Chromium is needed: apt-get install chromium", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory() as tmp:
        month = args.reports or make_reports(Path(tmp) / "run", args.kind, args.unit)
        paths = [
            path
            for path in sorted(month.glob("*/*.html"))
            if (not args.kind or path.stem in args.kind) and (not args.unit or path.parent.name in args.unit)
        ]
        if not paths:
            print(f"no reports in {month}", file=sys.stderr)
            return 2
        load_before = os.getloadavg()[0]
        times = draw_times(paths, runs=args.runs)
        full_times = {}
        if args.compare_full:
            copies = with_full_plotly(paths, Path(tmp) / "full")
            timed = draw_times(list(copies.values()), runs=args.runs)
            full_times = {path: timed[copy] for path, copy in copies.items()}
            full_sizes = {path: copy.stat().st_size for path, copy in copies.items()}

    bundle = len(plotly_js().encode("utf-8"))
    rows = [
        {
            "report": f"{path.parent.name}/{path.name}",
            "kind": path.stem,
            "bytes": path.stat().st_size,
            "plotly_share": bundle / path.stat().st_size,
            "draw_s": times[path],
            **({"full_bytes": full_sizes[path], "full_draw_s": full_times[path]} if full_times else {}),
        }
        for path in paths
    ]
    print(
        f"{len(rows)} reports; plotly.js {plotly_manifest()['plotly_js']} partial bundle {bundle / MB:.2f} MB"
    )
    header = f"{'report kind':<24} {'n':>3} {'max MB':>7} {'mean MB':>8} {'max draw s':>11} {'median s':>9}"
    if full_times:
        header += f" {'full: max MB':>13} {'max draw s':>11}"
    print(header)
    for kind in sorted({r["kind"] for r in rows}):
        group = [r for r in rows if r["kind"] == kind]
        line = (
            f"{kind:<24} {len(group):>3} {max(r['bytes'] for r in group) / MB:>7.2f}"
            f" {statistics.mean(r['bytes'] for r in group) / MB:>8.2f}"
            f" {max(r['draw_s'] for r in group):>11.2f} {statistics.median(r['draw_s'] for r in group):>9.2f}"
        )
        if full_times:
            line += f" {max(r['full_bytes'] for r in group) / MB:>13.2f} {max(r['full_draw_s'] for r in group):>11.2f}"
        print(line)
    worst_size = max(rows, key=lambda r: r["bytes"])
    worst_time = max(rows, key=lambda r: r["draw_s"])
    print(
        f"largest: {worst_size['report']} {worst_size['bytes'] / MB:.2f} MB (limit {LIMIT_BYTES / MB:.0f} MB)"
    )
    print(f"slowest: {worst_time['report']} {worst_time['draw_s']:.2f} s (limit {LIMIT_SECONDS:.0f} s)")
    print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} before timing")
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    doc = {
        "machine": {"cores": os.cpu_count(), "platform": platform.platform(), "load_average": load_before},
        "bundle": {**plotly_manifest(), "bytes": bundle},
        "runs": args.runs,
        "reports": rows,
    }
    (results / "report_size.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    ok = worst_size["bytes"] <= LIMIT_BYTES and worst_time["draw_s"] <= LIMIT_SECONDS
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
