"""Benchmark: the 11-hour rest check on a region's rosters (10 million shifts by default).

Generates N shifts for P persons (day, evening and night patterns with days off, quick
returns, double shifts and long on-call stretches), ordered by start time as an extract
would be, then times

1. ``toolkit.analyses.shift_assessment.rest_time.check_rest`` on the arrays (sort, merge touching shifts, look back), and
2. the frame path the report uses: ``roster.rest_stretches`` (person keys as text
   categories) and ``roster.rest_summary`` (counts per month and the caps), both in
   ``toolkit.analyses.shift_assessment.roster``,

with the peak resident memory while each step runs (Linux: the peak is reset before each step
through ``/proc/self/clear_refs``) and how much it grew over the memory held before the step. ``--verify`` also checks the vectorised result
against a direct, minute-by-minute reading of the rule for a sample of persons.

    .venv/bin/python benchmarks/bench_rest_time.py                 # 10 million shifts
    .venv/bin/python benchmarks/bench_rest_time.py --shifts 1000000 --verify
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import time
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.analyses.shift_assessment import rest_time, roster

MINUTE = 60 * 10**9
HOUR = 60 * MINUTE


def generate(n_shifts: int, n_persons: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Person codes and start/end (int64 ns) of ``n_shifts`` shifts, sorted by start time."""
    rng = np.random.default_rng(seed)
    k = int(np.ceil(n_shifts / n_persons))
    # Shift lengths: mostly 8 hours, some 12-hour shifts and 6-hour on-call on site.
    length_h = rng.choice([8.0, 12.0, 6.0, 7.5], size=(n_persons, k), p=[0.72, 0.1, 0.06, 0.12])
    # Gaps before the next shift: next day, days off, quick returns (8 h), doubles (0 h), ...
    gap_h = rng.choice(
        [16.0, 40.0, 64.0, 8.0, 0.0, 10.0, 13.0],
        size=(n_persons, k),
        p=[0.5, 0.22, 0.1, 0.08, 0.03, 0.03, 0.04],
    )
    jitter_min = rng.integers(-15, 16, size=(n_persons, k))
    step_min = (length_h + gap_h) * 60 + np.where(gap_h > 0, jitter_min, 0)
    offset = rng.integers(0, 7 * 24 * 60, size=(n_persons, 1))
    start_min = offset + np.cumsum(step_min, axis=1) - step_min
    base = np.datetime64("2025-01-01T00:00", "ns").astype(np.int64)
    start = (base + start_min.astype(np.int64) * MINUTE).ravel()[:n_shifts]
    end = start + (length_h * HOUR).astype(np.int64).ravel()[:n_shifts]
    person = np.repeat(np.arange(n_persons, dtype=np.int32), k)[:n_shifts]
    order = np.argsort(start, kind="stable")  # an extract comes ordered by date, not by person
    return person[order], start[order], end[order]


def brute_force_longest_rest(start: np.ndarray, end: np.ndarray) -> list[float]:
    """For one person's shifts: the longest rest in the 24 h before each stretch ends, minute by minute."""
    s = (start - start.min()) // MINUTE + 24 * 60
    e = (end - start.min()) // MINUTE + 24 * 60
    busy = np.zeros(int(e.max()) + 1, dtype=bool)
    for a, b in zip(s, e, strict=True):
        busy[a:b] = True
    order = np.argsort(s)
    s, e = s[order], e[order]
    ends = [int(e[i]) for i in range(len(s)) if i == len(s) - 1 or s[i + 1] > e[i]]
    out = []
    for b in ends:
        window = busy[b - 24 * 60 : b]
        run = best = 0
        for x in window:
            run = 0 if x else run + 1
            best = max(best, run)
        out.append(best / 60)
    return out


def _rss_mb(field: str) -> float:
    """``VmRSS`` or ``VmHWM`` (peak) of this process from /proc, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> bool:
    """Reset the peak resident memory (Linux: write 5 to /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def measure(label: str, func, results: dict) -> object:  # type: ignore[no-untyped-def]
    """Time ``func`` and record the peak resident memory while it ran (and the growth over the start)."""
    before = _rss_mb("VmRSS")
    exact = _reset_peak()
    t0 = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - t0
    peak = _rss_mb("VmHWM") if exact else float("nan")
    results[label] = {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak),
        "peak_over_start_mb": round(peak - before),
    }
    print(f"{label:<44} {seconds:7.2f} s   peak RSS {peak:7.0f} MB (+{peak - before:5.0f} MB over the start)")
    return value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shifts", type=int, default=10_000_000)
    ap.add_argument("--persons", type=int, default=50_000)
    ap.add_argument("--verify", action="store_true", help="check 200 persons against the brute force")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "rest_time.json")
    args = ap.parse_args()
    results: dict[str, object] = {
        "shifts": args.shifts,
        "persons": args.persons,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "load_average_at_start": round(os.getloadavg()[0], 1),
    }
    print(f"{args.shifts:,} shifts for {args.persons:,} persons")
    person, start, end = measure("generate", lambda: generate(args.shifts, args.persons), results)  # type: ignore[misc]
    res = measure("rest_time.check_rest (arrays)", lambda: rest_time.check_rest(person, start, end), results)
    assert isinstance(res, rest_time.Stretches)
    counts = np.bincount(res.category, minlength=3)
    results["stretches"] = len(res)
    results["breaches_reduced_8_11h"] = int(counts[rest_time.REDUCED])
    results["breaches_under_8h"] = int(counts[rest_time.UNDER_REDUCED])
    print(f"  {len(res):,} stretches; breaches: {counts[1]:,} with 8–11 h rest, {counts[2]:,} under 8 h")

    keys = pd.Categorical.from_codes(person, categories=[f"E{i:07d}" for i in range(args.persons)])
    # The generated times are instants (UTC). The frame is laid out as ``roster.shift_facts``
    # makes it: local clock times for the report and the instants the check runs on. Without
    # the instants ``rest_stretches`` would read the generated times as Copenhagen clock times,
    # and the rest across the two daylight-saving nights would be an hour longer or shorter
    # than the arrays' (a few breaches more or fewer than ``check_rest`` counted above).
    local_start = rest_time.local_times(start)
    facts = pd.DataFrame(
        {
            "employee_id": keys,
            "staff_group": pd.Categorical.from_codes(
                person % 4, ["Læger", "Sygeplejersker", "SOSU", "Andre"]
            ),
            "planned_start": local_start,
            "work_start": local_start,
            "work_end": rest_time.local_times(end),
            "work_start_utc": start.view("datetime64[ns]"),
            "work_end_utc": end.view("datetime64[ns]"),
            "is_work": np.ones(len(person), dtype=bool),
        }
    )
    facts.attrs["time_zone"] = rest_time.DEFAULT_TIME_ZONE
    stretches = measure(
        "roster.rest_stretches (frame, text keys)", lambda: roster.rest_stretches(facts), results
    )
    assert isinstance(stretches, pd.DataFrame)
    months = sorted(stretches["period"].unique())
    summary = measure(
        "roster.rest_summary (months, caps)", lambda: roster.rest_summary(stretches, months), results
    )
    assert isinstance(summary, pd.DataFrame)
    # The frame path must count what the arrays counted (same instants, same rule).
    frame_counts = (int(summary["reduced"].sum()), int(summary["under_reduced"].sum()))
    assert frame_counts == (int(counts[1]), int(counts[2])), (
        f"rest_summary counts {frame_counts} (8–11 h, under 8 h), check_rest {counts[1]}, {counts[2]}"
    )
    assert int(summary["breaches"].sum()) == int(counts[1] + counts[2])
    assert int(summary["stretches"].sum()) == len(res)
    results["persons_over_month_cap"] = int(summary["persons_over_month_cap"].sum())
    results["process_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"process peak resident memory (whole run): {results['process_peak_rss_mb']} MB")
    if args.verify:
        rng = np.random.default_rng(1)
        sample = rng.choice(args.persons, size=min(200, args.persons), replace=False)
        by_person = pd.Series(res.longest_rest_h).groupby(res.person)
        for p in sample:
            mine = by_person.get_group(p).to_numpy()
            sel = person == p
            ref = brute_force_longest_rest(start[sel], end[sel])
            assert np.allclose(np.minimum(mine, 24), ref), f"person {p}: {mine[:5]} != {ref[:5]}"
        print(f"verified {len(sample)} persons against the minute-by-minute reading of the rule")
        results["verified_persons"] = len(sample)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"results: {args.out}")


if __name__ == "__main__":
    main()
