"""Region benchmark: one unit's report, and every report for every unit, on a region-sized sample.

    .venv/bin/python benchmarks/region.py [--part all] [--scale 20] [--unit FS-LUN] [--keep DIR]
                                          [--jobs 2] [--dask-workers 2] [--json FILE]

The data: the fictional sample at scale 1 and at ``--scale`` (``toolkit sample-data --scale``),
each also as a month-partitioned Parquet store (``toolkit load-db --to DIR``). ``--part`` (a
comma-separated list) chooses what is measured:

``single``
    One unit's KPI report at scale 1 and at ``--scale``, from the folder and from the store:
    staging for the unit's run alone (in this process) and ``toolkit run kpi --unit UNIT`` end
    to end (a fresh process, as a user runs it), and the locality ratio (scale N / scale 1).
``stage``
    Staging for a run of every report for every unit (what ``toolkit run --all-units`` does
    before the first report), from the folder and from the store, with an empty staged-data
    cache: the fixed cost of a region run per source. (The reports themselves read the staged
    Parquet files, so their cost does not depend on the source.)
``pool``
    (a) ``toolkit run --all-units`` on the store with the local pool (``--jobs``), an empty cache.
``dask``
    (b) The same on a Dask cluster on this machine: a ``dask scheduler`` and ``--dask-workers``
    ``dask worker`` processes of one thread each on 127.0.0.1 (``--scheduler tcp://…``), started
    before and stopped after the run, an empty cache.
``changed``
    (c) ``--changed-only`` on (a)'s reports, with (a)'s cache: first with nothing changed (every
    report kept: the cached rerun), then after one department's hours changed: one row of
    ``--unit``'s hours in the run's month gets one hour more (only that month's partition of
    the store is rewritten; the change is kept, so a later rerun adds one more hour and always
    follows a change). It counts the reports remade and kept (the manifest's ``unchanged``)
    against those the change can reach: the reports of the department's hospital. Runs (a)
    first if its reports are not there.
``region`` = ``stage,pool,dask,changed``; ``all`` (the default) = ``single`` and ``region``.

Each run's end-to-end seconds are split, from the time stamps of the runner's log lines, into
the *fixed* cost (start, planning, staging before "Running N report(s)", and the manifest and
index after the last report) and the *reports* phase. The per-report cost is
``c = reports phase × workers / reports made`` (worker-seconds a report), and a run on N
machines of W workers each is projected as ``T(N) = F + R × c / (N × W)`` (F the measured fixed
cost, which stays on the runner; R the reports of the run). Peak memory is the largest sum of
the proportional set size (PSS, ``/proc/PID/smaps_rollup``: a page shared by k processes counts
1/k in each) of the whole process tree (runner, pool workers, kernels; with Dask also the
scheduler, the workers and their kernels), sampled every 0.2 s, with what each process held at
the peak (``peak_parts_mb``). (Summed RSS counts a shared page once per process: a child
sampled in the instant between its fork and its program's start counts its parent's memory a
second time.)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
TOOLKIT = [sys.executable, "-m", "toolkit.run.cli"]
PARTS = ("single", "stage", "pool", "dask", "changed")
GROUPS = {"region": ("stage", "pool", "dask", "changed"), "all": PARTS}
#: Machines of the projection.
MACHINES = (1, 2, 5, 10, 20)
SAMPLE_EVERY = 0.2


def _toolkit(*args: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([*TOOLKIT, *args], check=True, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t0


@contextlib.contextmanager
def _cache_in(folder: Path | None) -> Iterator[None]:
    """``TOOLKIT_STAGE_CACHE`` set to ``folder`` (emptied first) for this process, if given."""
    if folder is None:
        yield
        return
    shutil.rmtree(folder, ignore_errors=True)
    before = os.environ.get("TOOLKIT_STAGE_CACHE")
    os.environ["TOOLKIT_STAGE_CACHE"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("TOOLKIT_STAGE_CACHE", None)
        else:
            os.environ["TOOLKIT_STAGE_CACHE"] = before


def _stage_seconds(data: Path, unit: str | None, cache: Path | None = None) -> float:
    """Seconds to open ``data`` and stage it for a run of ``unit``'s KPI report, or (``unit``
    None) of every report for every unit as ``toolkit run --all-units`` does (in this process)."""
    from toolkit import analyses
    from toolkit.core import config
    from toolkit.data.hierarchy import ancestors, siblings
    from toolkit.data.params import load_params
    from toolkit.data.sources import open_tables
    from toolkit.measures.inputs import default_period
    from toolkit.run import jobs, staging

    analyses.load_all()
    with _cache_in(cache), tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        source = open_tables(data)
        units = source.units()
        if unit is not None:
            period, run_units, notebooks = source.latest_period(), [unit], ["kpi"]
        else:
            every = jobs.resolve_notebooks(config.NOTEBOOKS_DIR, [], {})
            pairs = jobs.plan(every, units, [], all_units=True, named=False)
            run_units = sorted({u for _, u in pairs})
            notebooks = sorted({nb.name for nb, _ in pairs})
            period = default_period(source, run_units)
        staging.stage(
            source,
            Path(out),
            period=period,
            aggregate_units=sorted({s for u in run_units for s in siblings(units, u)}),
            params_for=lambda u: load_params(ROOT / "params", u, ancestors=ancestors(units, u)),
            notebooks=notebooks,
        )
        return time.perf_counter() - t0


def _sample_data(work: Path, scale: int) -> tuple[Path, Path]:
    """The sample folder and store at ``scale`` in ``work`` (written unless there)."""
    folder, store = work / f"scale-{scale}", work / f"store-{scale}"
    if not folder.is_dir():
        seconds = _toolkit("sample-data", "--scale", str(scale), "--out", str(folder))
        print(f"scale {scale}: sample data written in {seconds:.0f} s", flush=True)
    if not store.is_dir():
        seconds = _toolkit("load-db", "--data", str(folder), "--to", str(store))
        print(f"scale {scale}: Parquet store written in {seconds:.0f} s", flush=True)
    return folder, store


# --------------------------------------------------------------------------- single unit


def single_unit(work: Path, scale: int, unit: str) -> dict[str, Any]:
    """One unit's KPI report at scale 1 and ``scale``, folder and store (see the module docstring)."""
    results: dict[str, Any] = {}
    for s in (1, scale):
        folder, store = _sample_data(work, s)
        for kind, data in (("folder", folder), ("store", store)):
            stage = _stage_seconds(data, unit)
            out = work / f"reports-{kind}-{s}"
            run = _toolkit(
                "run", "kpi", "--unit", unit, "--data", str(data), "--out", str(out), "--no-progress"
            )
            results[f"{kind}-{s}"] = {"stage_s": round(stage, 1), "run_s": round(run, 1)}
            print(f"scale {s} {kind}: staging {stage:.1f} s, toolkit run kpi {run:.1f} s", flush=True)
    for kind in ("folder", "store"):
        one, many = results[f"{kind}-1"], results[f"{kind}-{scale}"]
        ratio = {"stage": many["stage_s"] / one["stage_s"], "run": many["run_s"] / one["run_s"]}
        results[f"{kind}-locality-ratio"] = {k: round(v, 2) for k, v in ratio.items()}
        print(
            f"{kind}: locality ratio (scale {scale} / scale 1) "
            f"staging {ratio['stage']:.2f}, run {ratio['run']:.2f}"
        )
    return results


# --------------------------------------------------------------------------- measuring a run


class PeakMemory(threading.Thread):
    """The peak of the summed memory (PSS) of the process trees of ``roots`` (sampled), and
    what each process held then."""

    def __init__(self, roots: Sequence[int], every: float = SAMPLE_EVERY) -> None:
        super().__init__(daemon=True)
        self.roots = list(roots)
        self.every = every
        self.peak_bytes = 0
        #: The peak of the summed RSS, for comparison (an upper bound: shared pages count in each).
        self.peak_rss_bytes = 0
        self.peak_processes = 0
        self.peak_at = 0.0
        #: At the peak: (process, MB) of each process, largest first.
        self.peak_parts: list[tuple[str, int]] = []
        self._t0 = time.perf_counter()
        self._stop_event = threading.Event()

    def sample(self) -> int:
        """The summed PSS of the trees now (processes that end meanwhile are skipped)."""
        seen: set[int] = set()
        parts: list[tuple[str, int]] = []
        rss = 0
        for pid in self.roots:
            try:
                root = psutil.Process(pid)
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for proc in tree:
                if proc.pid in seen:
                    continue
                try:
                    memory = proc.memory_full_info()  # PSS from /proc/PID/smaps_rollup
                    parts.append((_process_name(proc), memory.pss))
                    rss += memory.rss
                except psutil.Error:
                    continue
                seen.add(proc.pid)
        self.peak_rss_bytes = max(self.peak_rss_bytes, rss)
        total = sum(b for _, b in parts)
        if total > self.peak_bytes:
            self.peak_bytes, self.peak_processes = total, len(seen)
            self.peak_at = time.perf_counter() - self._t0
            self.peak_parts = sorted(((n, round(b / 2**20)) for n, b in parts), key=lambda p: -p[1])
        return total

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def _process_name(proc: psutil.Process) -> str:
    """What a process of a run is: the runner, a pool or Dask worker, a kernel, the scheduler."""
    cmd = " ".join(proc.cmdline())
    for marker, name in (
        ("ipykernel", "kernel"),
        ("dask scheduler", "dask scheduler"),
        ("dask worker", "dask nanny"),
        ("toolkit.run.cli", "runner"),
        ("multiprocessing.spawn", "worker"),
        ("resource_tracker", "resource tracker"),
    ):
        if marker in cmd:
            return name
    return proc.name()


def _timed_run(args: Sequence[str], log: Path, *, cache: Path, also: Sequence[int] = ()) -> dict[str, Any]:
    """Run ``toolkit run ARGS`` (with staged-data cache ``cache``) and measure it: end-to-end,
    fixed and reports-phase seconds, workers, and the peak memory of its tree and of ``also``."""
    env = {**os.environ, "TOOLKIT_STAGE_CACHE": str(cache)}
    stamps: list[tuple[float, str]] = []
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [*TOOLKIT, "run", *args, "--no-progress"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
        )
        memory = PeakMemory([proc.pid, *also])
        memory.start()
        assert proc.stderr is not None
        for line in proc.stderr:
            stamps.append((time.perf_counter() - t0, line.rstrip("\n")))
            out.write(f"{stamps[-1][0]:9.2f}  {line}")
            out.flush()
        code = proc.wait()
        seconds = time.perf_counter() - t0
        memory.stop()
    if code not in (0, 1):  # 1: some reports failed (counted below); 2 or a signal: no run
        tail = "\n".join(text for _, text in stamps[-15:])
        raise RuntimeError(f"toolkit run {' '.join(args)} exited {code}:\n{tail}")
    running = [(t, text) for t, text in stamps if text.startswith("Running ")]
    results = [t for t, text in stamps if text.startswith("[")]
    workers = int(running[0][1].split(" in ")[1].split()[0]) if running else 0
    reports_s = results[-1] - running[0][0] if running and results else 0.0
    return {
        "seconds": round(seconds, 1),
        "fixed_s": round(seconds - reports_s, 1),
        "reports_s": round(reports_s, 1),
        "workers": workers,
        "peak_mb": round(memory.peak_bytes / 2**20),
        "peak_rss_sum_mb": round(memory.peak_rss_bytes / 2**20),
        "peak_processes": memory.peak_processes,
        "peak_at_s": round(memory.peak_at, 1),
        "peak_parts_mb": memory.peak_parts,
        "exit_code": code,
        "load_average": [round(load, 1), round(os.getloadavg()[0], 1)],
        "log": str(log),
    }


def _manifest_counts(out: Path, period: str, result: dict[str, Any]) -> None:
    """Add to ``result`` the reports of the run's manifest: made, kept (unchanged), failed, and
    the per-report cost c = reports phase × workers / made."""
    runs = json.loads((out / period / "manifest.json").read_text(encoding="utf-8"))["runs"]
    kept = [r for r in runs if r.get("unchanged")]
    made = [r for r in runs if not r.get("unchanged")]
    result.update(
        reports=len(runs),
        made=len(made),
        kept=len(kept),
        failed=sum(r["status"] != "ok" for r in runs),
        kernel_s_per_report=round(sum(r["seconds"] for r in made) / max(1, len(made)), 2),
    )
    if made and result["workers"]:
        result["per_report_s"] = round(result["reports_s"] * result["workers"] / len(made), 2)


def _period_of(out: Path) -> str:
    """The month of the one run written in ``out``."""
    months = sorted(p.parent.name for p in out.glob("*/manifest.json"))
    if len(months) != 1:
        raise RuntimeError(f"expected the reports of one month in {out}, found {months}")
    return months[0]


# --------------------------------------------------------------------------- Dask


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalDask:
    """A ``dask scheduler`` and ``workers`` ``dask worker`` processes (one thread each) on
    127.0.0.1, as the README starts them on real machines; :meth:`stop` ends them (and any
    kernel a worker left) by process id."""

    def __init__(self, workers: int, logs: Path) -> None:
        from distributed import Client

        dask = shutil.which("dask", path=str(Path(sys.executable).parent)) or "dask"
        env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        port = self.address.rsplit(":", 1)[1]
        self.procs: list[subprocess.Popen[bytes]] = []
        self._logs = [(logs / f"dask-{n}.log").open("wb") for n in ["scheduler", *map(str, range(workers))]]
        commands = [[dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"]]
        worker = [dask, "worker", self.address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"]
        worker += ["--local-directory", str(logs / "dask-scratch")]  # not /tmp/dask-scratch-space
        commands += [
            [*worker, "--memory-limit", "0", "--death-timeout", "60", "--name", f"bench-{i}"]
            for i in range(workers)
        ]
        try:
            for command, log in zip(commands, self._logs, strict=True):
                self.procs.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
            with Client(self.address, timeout=60, set_as_default=False) as client:
                client.wait_for_workers(workers, timeout=120)
        except BaseException:
            self.stop()
            raise

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def stop(self) -> None:
        """Stop the workers, then the scheduler; kill what is left of their trees."""
        tree: list[psutil.Process] = []
        for p in self.procs:
            with contextlib.suppress(psutil.Error):
                tree += psutil.Process(p.pid).children(recursive=True)
        for p in reversed(self.procs):  # workers first
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        for child in tree:  # e.g. a kernel whose worker was stopped
            with contextlib.suppress(psutil.Error):
                child.kill()
        for log in self._logs:
            log.close()


# --------------------------------------------------------------------------- the region run


class Region:
    """Every report for every unit of the scale-``scale`` store (parts ``pool``, ``dask``, ``changed``)."""

    def __init__(self, work: Path, scale: int, unit: str, jobs: int, dask_workers: int) -> None:
        self.work, self.scale, self.unit, self.jobs, self.dask_workers = work, scale, unit, jobs, dask_workers
        self.folder, self.store = _sample_data(work, scale)
        self.period: str | None = None
        self.results: dict[str, Any] = {}

    def _out(self, name: str) -> Path:
        return self.work / f"region-{self.scale}-{name}"

    def _args(self, out: Path) -> list[str]:
        args = ["--all-units", "--data", str(self.store), "--out", str(out)]
        return args + (["--period", self.period] if self.period else [])

    def _first_run(self, name: str, extra: Sequence[str], also: Sequence[int] = ()) -> dict[str, Any]:
        out = self._out(name)
        shutil.rmtree(out, ignore_errors=True)
        result = _timed_run(
            [*self._args(out), *extra],
            self.work / f"{name}.log",
            cache=self._cache(name, fresh=True),
            also=also,
        )
        self.period = self.period or _period_of(out)
        _manifest_counts(out, self.period, result)
        return result

    def _cache(self, name: str, *, fresh: bool) -> Path:
        cache = self.work / f"cache-{name}"
        if fresh:
            shutil.rmtree(cache, ignore_errors=True)
        return cache

    def stage(self) -> dict[str, Any]:
        """Staging for every report for every unit, folder and store, with an empty cache."""
        out = {}
        for kind, data in (("folder", self.folder), ("store", self.store)):
            seconds = _stage_seconds(data, None, cache=self.work / "cache-stage")
            out[f"{kind}_s"] = round(seconds, 1)
            print(f"scale {self.scale} {kind}: staging every unit {seconds:.1f} s", flush=True)
        return out

    def pool(self) -> dict[str, Any]:
        """(a) The local pool."""
        print(f"(a) toolkit run --all-units --jobs {self.jobs} on the store …", flush=True)
        return self._first_run("pool", ["--jobs", str(self.jobs)])

    def dask(self) -> dict[str, Any]:
        """(b) A Dask cluster on this machine (started and stopped here)."""
        print(f"(b) toolkit run --all-units on a Dask cluster of {self.dask_workers} workers …", flush=True)
        t0 = time.perf_counter()
        cluster = LocalDask(self.dask_workers, self.work)
        start_s = time.perf_counter() - t0
        try:
            idle = PeakMemory(cluster.pids)
            idle_mb = idle.sample() / 2**20
            result = self._first_run("dask", ["--scheduler", cluster.address], also=cluster.pids)
        finally:
            cluster.stop()
        result.update(cluster_start_s=round(start_s, 1), cluster_idle_mb=round(idle_mb))
        return result

    def changed(self) -> dict[str, Any]:
        """(c) ``--changed-only`` with nothing changed, then after one row of one department's
        hours changed (the change is kept: a next rerun adds one more hour, so it always follows a
        change); the first is recorded as ``rerun``."""
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        from toolkit.data.hierarchy import hospital_units, siblings
        from toolkit.data.store import ROW_GROUP, ParquetStore

        out = self._out("pool")
        if "pool" not in self.results and not list(out.glob("*/manifest.json")):
            self.results["pool"] = self.pool()
        self.period = self.period or _period_of(out)
        args = [*self._args(out), "--jobs", str(self.jobs), "--changed-only"]
        cache = self._cache("pool", fresh=False)
        print("(c) --changed-only with nothing changed …", flush=True)
        rerun = _timed_run(args, self.work / "rerun.log", cache=cache)
        _manifest_counts(out, self.period, rerun)
        self.results["rerun"] = rerun
        part = self.store / "hours" / f"period={self.period}" / "part-0.parquet"
        table = pq.read_table(part)
        rows = pc.equal(table["unit_id"], self.unit).to_numpy(zero_copy_only=False).nonzero()[0]
        if not len(rows):
            raise RuntimeError(f"{self.unit} has no hours in {self.period}")
        hours = table["hours"].to_numpy().copy()
        hours[rows[0]] += 1.0
        changed = table.set_column(table.schema.get_field_index("hours"), "hours", pa.array(hours))
        tmp = part.with_name(".part-0.parquet.tmp")
        pq.write_table(changed, tmp, row_group_size=ROW_GROUP)
        os.replace(tmp, part)  # only this month's partition of the hours is rewritten
        print(f"(c) one row of {self.unit}'s hours in {self.period} +1 hour; --changed-only …", flush=True)
        result = _timed_run(args, self.work / "changed.log", cache=cache)
        _manifest_counts(out, self.period, result)
        # What the change can reach: the reports of the department's hospital (they read its
        # rows), and those of units compared with one of its units (their siblings' aggregates).
        units = ParquetStore(self.store).units()
        hospital = set(hospital_units(units, self.unit))
        reached = {u for u in units["unit_id"] if u in hospital or hospital & set(siblings(units, u))}
        runs = json.loads((out / self.period / "manifest.json").read_text(encoding="utf-8"))["runs"]
        made = [r for r in runs if not r.get("unchanged")]
        result["hospital_reports"] = sum(r["unit"] in hospital for r in runs)
        result["expected_remade"] = sum(r["unit"] in reached for r in runs)
        result["remade_unreached"] = sum(r["unit"] not in reached for r in made)
        result["changed"] = f"hours, {self.unit}, {self.period}: one row +1 hour"
        return result


def projection(run: dict[str, Any], machines: Sequence[int] = MACHINES) -> dict[str, Any]:
    """``T(N) = F + R × c / (N × W)`` seconds for each N, from a measured run."""
    if "per_report_s" not in run:
        return {}
    fixed, reports, cost, workers = run["fixed_s"], run["made"], run["per_report_s"], run["workers"]
    return {
        "formula": "T(N) = F + R * c / (N * W)",
        "F_fixed_s": fixed,
        "R_reports": reports,
        "c_per_report_s": cost,
        "W_workers_per_machine": workers,
        "seconds": {str(n): round(fixed + reports * cost / (n * workers), 1) for n in machines},
    }


def _print_summary(results: dict[str, Any]) -> None:
    region = results.get("region", {})
    rows = [(k, region[k]) for k in ("pool", "dask", "rerun", "changed") if k in region]
    if not rows:
        return
    print(
        f"\nregion run, Parquet store, scale {results['scale']} ({results['units']} units, month {region['period']})"
    )
    head = f"{'run':<22}{'total s':>9}{'fixed s':>9}{'reports s':>10}{'made':>6}{'kept':>6}{'failed':>7}"
    print(head + f"{'c s/report':>11}{'peak MB':>12}")
    names = {
        "pool": "(a) local pool",
        "dask": "(b) Dask LocalCluster",
        "rerun": "(c) rerun, no change",
        "changed": "(c) one dept changed",
    }
    for key, r in rows:
        print(
            f"{names[key]:<22}{r['seconds']:>9.1f}{r['fixed_s']:>9.1f}{r['reports_s']:>10.1f}{r['made']:>6}"
            f"{r['kept']:>6}{r['failed']:>7}{r.get('per_report_s', float('nan')):>11.2f}{r['peak_mb']:>12}"
        )
    if "changed" in region:
        c = region["changed"]
        print(f"(c) the change: {c['changed']}; --changed-only, --jobs, the cache of (a)")
        print(
            f"(c) remade {c['made']}, kept {c['kept']}; expected {c['expected_remade']} (the hospital's "
            f"{c['hospital_reports']} and those comparing with its units); remade beyond that: "
            f"{c['remade_unreached']}"
        )
    for key in ("pool", "dask"):
        p = region.get(f"projection_{key}")
        if p:
            cells = ", ".join(f"N={n}: {s:.0f} s" for n, s in p["seconds"].items())
            print(
                f"projection from {key}: {p['formula']} with F={p['F_fixed_s']} s, R={p['R_reports']}, "
                f"c={p['c_per_report_s']} s, W={p['W_workers_per_machine']}: {cells}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", default="all", help=f"comma-separated: {', '.join(PARTS)}, region, all")
    parser.add_argument("--scale", type=int, default=20)
    parser.add_argument(
        "--unit", default="FS-LUN", help="the single report's unit, and the changed department"
    )
    parser.add_argument("--jobs", type=int, default=2, help="local pool workers (a, c)")
    parser.add_argument(
        "--dask-workers", type=int, default=2, help="Dask worker processes, one thread each (b)"
    )
    parser.add_argument("--keep", type=Path, help="keep the generated folders here (reused if present)")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args()
    parts: list[str] = []
    for name in args.part.split(","):
        chosen = GROUPS.get(name.strip(), (name.strip(),))
        if not set(chosen) <= set(PARTS):
            parser.error(f"--part: unknown part {name!r}; choose from {', '.join([*PARTS, *GROUPS])}")
        parts += [p for p in chosen if p not in parts]
    work = args.keep or Path(tempfile.mkdtemp(prefix="toolkit-region-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "scale": args.scale,
        "parts": parts,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_average_at_start": round(os.getloadavg()[0], 1),
    }
    t0 = time.perf_counter()
    if "single" in parts:
        results["single"] = single_unit(work, args.scale, args.unit)
    region_parts = [p for p in parts if p != "single"]
    if region_parts:
        region = Region(work, args.scale, args.unit, args.jobs, args.dask_workers)
        for name in region_parts:
            region.results[name] = getattr(region, name)()
            print(json.dumps({name: region.results[name]}), flush=True)
        region.results["period"] = region.period
        for key in ("pool", "dask"):
            if key in region.results:
                region.results[f"projection_{key}"] = projection(region.results[key])
        results["region"] = region.results
    from toolkit.data.sources import open_tables

    results["units"] = len(open_tables(work / f"store-{args.scale}").units())
    results["load_average_at_end"] = round(os.getloadavg()[0], 1)
    results["benchmark_s"] = round(time.perf_counter() - t0, 1)
    _print_summary(results)
    text = json.dumps(results, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
        print(f"results: {args.json}")
    else:
        print(text)


if __name__ == "__main__":
    main()
