"""The report runner: every notebook for every unit, in parallel, with papermill.

``toolkit run`` (see :mod:`toolkit.run.cli`) calls :func:`run`. The steps:

1. check the request (:mod:`toolkit.run.jobs`): notebooks exist and accept the given
   parameters (papermill itself only warns on an unknown parameter), unit ids are safe and
   known, the month is in the data, and every unit's parameter files are valid — a mistake
   here is a usage error (exit 2);
2. prepare (:mod:`toolkit.run.tempdir`, :mod:`toolkit.run.lock`): remove what runs killed
   earlier left in TMPDIR, make the run's private temporary folder, take the lock on
   ``<out>/<period>`` (a second run on it stops, exit 2, or waits with ``--wait``), and check
   that the temporary and output folders are writable and have room — else one message and
   exit 2, before anything is staged;
3. stage the data (:mod:`toolkit.run.staging`) into the private folder: a structure problem,
   or a problem that concerns every unit, stops the run before anything is written (exit 1);
   a problem in one unit's rows fails only that unit;
4. make the reports on an executor (:mod:`toolkit.run.executor`): worker processes (no more
   than the cores), each with one warm Jupyter kernel (:mod:`toolkit.run.worker`) that
   executes the notebook, exports HTML (code hidden), tables (XLSX) and headline KPIs (JSON)
   and checks them with the privacy guard before they reach the reports tree;
5. write ``index.html`` and ``manifest.json`` for the period (:mod:`toolkit.run.outputs`).

A failing report never stops the others; its executed notebook is kept in
``<period>/_failed/<unit>/`` (not when the privacy guard refused it) and any older output of it
is removed. No message in the manifest or index quotes a person key or a CPR-like number.
SIGTERM or Ctrl-C stops the workers at once; the manifest and index then record the reports
made and the others as not made, the temporary folder is removed, and the exit status is
128 + the signal number. Whatever happens, the private temporary folder does not outlive the
run (and one left by ``kill -9`` is removed by the next run).
"""

from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.core.errors import DataValidationError, ParameterError, ToolkitError
from toolkit.core.periods import TIMEZONE, parse_period
from toolkit.data.hierarchy import ancestors, hospital_units, siblings
from toolkit.data.params import Params, load_params, parse_settings
from toolkit.data.privacy import mask_identifiers
from toolkit.data.sources import TableSource, open_tables
from toolkit.measures.inputs import default_period
from toolkit.run import EXIT_FAILED, EXIT_OK, EXIT_USAGE, changes, jobs, outputs, tempdir
from toolkit.run import index as index_page
from toolkit.run.executor import JobExecutor
from toolkit.run.jobs import RUNNER_PARAMETERS, Job, JobResult, NotebookInfo, list_notebooks
from toolkit.run.launch import Launched, RunRequest, launch
from toolkit.run.lock import PeriodLock
from toolkit.run.release import pseudonyms
from toolkit.run.signals import RunInterrupted
from toolkit.run.worker import Worker

#: Room a report needs in the reports folder (the HTML inlines plotly.js), for the space check.
REPORT_BYTES = 8 * tempdir.MB


@dataclass
class RunSummary:
    """What :func:`run` did."""

    exit_code: int
    period: str | None = None
    results: list[JobResult] = field(default_factory=list)
    manifest: Path | None = None
    message: str | None = None


def run(
    req: RunRequest, *, echo: Callable[[str], None] | None = None, launched: Launched | None = None
) -> RunSummary:
    """Make the requested reports (see the module docstring); never raises for user mistakes.

    Parameters
    ----------
    req
        The request.
    echo
        Where progress and results are written (default: standard error).
    launched
        The run's folder and workers, started by :func:`toolkit.run.launch.launch` for ``req``
        before the runner was imported (``toolkit run``); None: started here.
    """
    say = echo or (lambda text: print(text, file=sys.stderr))  # noqa: T201
    try:
        return _run(req, say, launched)
    except ParameterError as exc:
        say(f"error: {exc}")
        return RunSummary(EXIT_USAGE, message=str(exc))
    except DataValidationError as exc:
        text = mask_identifiers(str(exc))
        say(f"error: {text}\nNothing was written.")
        return RunSummary(EXIT_FAILED, message=text)
    except RunInterrupted as exc:
        text = f"the run was stopped ({exc}): the temporary folder was removed"
        say(f"error: {text}")
        return RunSummary(exc.exit_code, message=text)


def _resolve_notebooks(req: RunRequest) -> list[NotebookInfo]:
    """The request's notebooks, checked (:func:`toolkit.run.jobs.resolve_notebooks`)."""
    return jobs.resolve_notebooks(req.notebooks_dir, req.notebooks, req.extra)


class _UnitParams:
    """Each unit's parameters, loaded (and so checked) once."""

    def __init__(self, req: RunRequest, units: pd.DataFrame) -> None:
        self.req = req
        self.units = units
        self.loaded: dict[str, Params] = {}

    def __call__(self, uid: str) -> Params:
        if uid not in self.loaded:
            self.loaded[uid] = load_params(
                self.req.params_dir,
                uid,
                ancestors=ancestors(self.units, uid),
                overrides={**parse_settings(self.req.settings), "language": self.req.language},
            )
        return self.loaded[uid]


def _run(req: RunRequest, say: Callable[[str], None], launched: Launched | None) -> RunSummary:
    if launched is None:  # called directly, not by `toolkit run`: launch now
        with launch(req) as launched:
            return _run(req, say, launched)
    # 2. The private temporary folder and the workers are there (launch): the workers get ready
    # (a process, a kernel, the toolkit's imports in it) while this process reads the notebooks
    # and the data.
    started = datetime.fromtimestamp(launched.started, TIMEZONE)
    t0, tmp, executor = launched.t0, launched.temp, launched.executor
    # 1. The request.
    jobs.check_unit_choice(req.units, req.all_units)
    if req.period is not None:
        parse_period(req.period)
    from toolkit import analyses

    analyses.load_all()
    notebooks = _resolve_notebooks(req)
    folder = open_tables(req.data_dir, forms=req.forms)
    structure = folder.check_structure()
    if structure:
        raise DataValidationError(structure)
    units = folder.units()
    pairs = jobs.plan(notebooks, units, req.units, all_units=req.all_units, named=bool(req.notebooks))
    period = (
        folder.report_period(req.period)
        if req.period is not None
        else default_period(folder, sorted({u for _, u in pairs}))
    )
    params_for = _UnitParams(req, units)
    for _, u in pairs:
        params_for(u)
    # 3. The lock on <out>/<period>, room to write.
    period_dir = req.out_dir / period
    tempdir.check_space(tmp.path, 2 * tempdir.dir_size(req.data_dir) + REPORT_BYTES, "temporary folder")
    lock = PeriodLock(period_dir, wait=req.wait)
    written = False
    try:
        tempdir.check_writable(period_dir, "reports folder")
        tempdir.check_space(period_dir, REPORT_BYTES * len(pairs), "reports folder")
        say(f"Validating and staging {req.data_dir} for {period} …")
        staged = _stage(folder, units, tmp, period, pairs, params_for)
        executor.check_paths(read=[staged.root, req.notebooks_dir], write=[tmp.path, period_dir])
        written = True
        _sweep_reports_tree(period_dir)
        results, interrupted = _make_reports(req, staged, pairs, units, period_dir, executor, say, params_for)
        finished = datetime.now(TIMEZONE)
        # 5. The manifest and the index.
        order = {(nb.name, u): i for i, (nb, u) in enumerate(pairs)}
        results.sort(key=lambda r: order.get((r.notebook, r.unit), 0))
        record = outputs.RunRecord(
            period=period,
            started=started,
            finished=finished,
            command=req.argv,
            notebooks=notebooks,
            parameters={
                "language": req.language,
                "settings": list(req.settings),
                "extra": req.extra,
                "params_dir": str(req.params_dir),
            },
            data_dir=req.data_dir,
        )
        try:
            manifest = outputs.write_manifest(
                period_dir, record, folder, results, params_for.loaded, time.perf_counter() - t0
            )
            index = index_page.write_index(
                period_dir,
                period,
                results,
                units,
                notebooks,
                params_for(pairs[0][1]).language,
                as_of=folder.as_of(),
                generated=finished,
            )
        except OSError as exc:
            raise tempdir.RunEnvironmentError(
                f"could not write the manifest and index in {period_dir} ({tempdir.os_problem(exc)})"
            ) from None
    finally:
        lock.release(remove_created=not written)
    failed = [r for r in results if r.status != "ok"]
    if interrupted is not None:
        text = (
            f"the run was stopped ({interrupted}): {len(results) - len(failed)} of {len(results)} reports "
            f"made, the others are recorded as not made in {manifest}"
        )
        say(f"error: {text}")
        return RunSummary(interrupted.exit_code, period, results, manifest, text)
    say(
        f"{len(results) - len(failed)} of {len(results)} reports ok in {time.perf_counter() - t0:.1f} s; "
        f"index: {index}"
    )
    for r in failed:
        say(f"FAILED {r.notebook} {r.unit}: {r.error}")
    unwritten = [r for r in failed if r.write_error]
    if unwritten:  # a full or read-only reports folder: the user's to fix, not a report's fault
        text = f"{len(unwritten)} report(s) could not be written: {unwritten[0].error}"
        say(f"error: {text}")
        return RunSummary(EXIT_USAGE, period, results, manifest, text)
    return RunSummary(EXIT_FAILED if failed else EXIT_OK, period, results, manifest)


def _stage(
    folder: TableSource,
    units: pd.DataFrame,
    tmp: tempdir.RunTemp,
    period: str,
    pairs: Sequence[tuple[NotebookInfo, str]],
    params_for: _UnitParams,
) -> Any:
    """3. The data, validated and staged in the run's private folder; comparison aggregates for
    the siblings of every unit in the run. A full or broken temporary folder: exit 2."""
    from toolkit.run import staging

    run_units = sorted({u for _, u in pairs})
    try:
        return staging.stage(
            folder,
            tmp.path / "stage",
            period=period,
            aggregate_units=sorted({s for u in run_units for s in siblings(units, u)}),
            params_for=params_for,
            notebooks=sorted({nb.name for nb, _ in pairs}),
        )
    except OSError as exc:
        raise tempdir.RunEnvironmentError(
            f"could not stage the data in the temporary folder {tmp.path.parent} ({tempdir.os_problem(exc)}); "
            "nothing was written"
        ) from None


def _make_reports(
    req: RunRequest,
    staged: Any,
    pairs: Sequence[tuple[NotebookInfo, str]],
    units: pd.DataFrame,
    period_dir: Path,
    executor: JobExecutor,
    say: Callable[[str], None],
    params_for: Callable[[str], Params],
) -> tuple[list[JobResult], RunInterrupted | None]:
    """4. The reports (a unit whose rows failed validation fails without running; with
    ``--changed-only`` one whose inputs have not changed is kept); the results and, if a signal
    stopped the run, the signal (the reports not made are failed results)."""
    shared = {
        "period": period_dir.name,
        "data_dir": str(staged.root),
        "params_dir": str(Path(req.params_dir).resolve()),
        "language": req.language,
        "settings": list(req.settings),
        "interactive": False,
        **req.extra,
    }
    keys_dir = staged.root / "person_keys"
    known = pseudonyms(str(p) for p in keys_dir.glob("*.txt"))
    results: list[JobResult] = []
    todo: list[Job] = []
    previous = changes.previous_runs(period_dir / "manifest.json") if req.changed_only else {}
    forms_root = staged.source.original_folder / "forms"
    by_hospital: dict[str, str] = {}
    inputs: dict[tuple[str, str], str] = {}
    for nb, u in pairs:
        job = jobs.make_job(
            nb, u, units=units, parameters=shared, out_dir=period_dir / u, person_keys_dir=keys_dir
        )
        if u in staged.failed:
            problems = mask_identifiers("; ".join(staged.failed[u]), known)
            results.append(JobResult.failure(job, "input data failed validation: " + problems))
            job.files.remove_outputs()
            continue
        hospital = hospital_units(units, u)
        if hospital[0] not in by_hospital:
            by_hospital[hospital[0]] = changes.staged_inputs(staged.root, forms_root, hospital)
        inputs[(nb.name, u)] = changes.report_inputs(job, by_hospital[hospital[0]], params_for(u))
        kept = changes.unchanged(job, inputs[(nb.name, u)], previous.get((nb.name, u)))
        if kept is not None:
            results.append(kept)
        else:
            todo.append(job)
    if req.changed_only:
        kept_count = sum(r.unchanged for r in results)
        say(f"{kept_count} report(s) unchanged since the last run: kept; {len(todo)} to make")
    made: list[JobResult] = []
    try:
        _execute(todo, executor, _progress(req.progress), say, made)
        for r in made:
            r.inputs = inputs.get((r.notebook, r.unit))
    except RunInterrupted as exc:
        done = {(r.notebook, r.unit) for r in made}
        stopped = f"not made: the run was stopped ({exc})"
        made += [JobResult.failure(j, stopped) for j in todo if (j.notebook, j.unit) not in done]
        return results + made, exc
    return results + made, None


def _sweep_reports_tree(period_dir: Path) -> None:
    """Remove temporary files a killed run left in ``period_dir`` (under the lock: no run writes
    there now): ``.<name>.*.tmp`` of atomic writes, and the ``.<notebook>.*.ipynb`` files,
    ``.<notebook>.out.*`` folders and ``<notebook>.failed.ipynb`` notebooks (which may show a
    person key) that older versions left in the reports tree."""
    for path in [*period_dir.glob(".*.tmp"), *period_dir.glob("*/.*"), *period_dir.glob("*/*.failed.ipynb")]:
        if path.name == ".toolkit-run.lock":
            continue
        if path.is_dir() and ".out." in path.name:
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.suffix in (".tmp", ".ipynb"):
            path.unlink(missing_ok=True)


def _progress(enabled: bool | None) -> bool:
    return sys.stderr.isatty() if enabled is None else enabled


def _execute(
    todo: list[Job],
    executor: JobExecutor,
    progress: bool,
    say: Callable[[str], None],
    results: list[JobResult] | None = None,
) -> list[JobResult]:
    """Run the jobs on ``executor``, showing a progress bar or one log line per report.

    The results are appended to ``results`` as they come (so a caller keeps those made before
    a signal stopped the run) and returned.
    """
    results = [] if results is None else results
    if not todo:
        return results
    bar = None
    if progress:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        bar = Progress(
            TextColumn("[bold]Reports"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
        )
        bar.start()
        task = bar.add_task("", total=len(todo))
    else:
        say(f"Running {len(todo)} report(s) in {executor.workers} worker(s) …")
    try:
        for res in executor.run(todo):
            results.append(res)
            line = f"{res.status:6} {res.notebook} {res.unit} ({res.seconds:.1f} s)"
            if bar is not None:
                bar.update(task, advance=1, description=line)
            else:
                say(f"[{len(results)}/{len(todo)}] {line}")
    finally:
        if bar is not None:
            bar.stop()
    return results


__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "RUNNER_PARAMETERS",
    "JobResult",
    "RunRequest",
    "RunSummary",
    "ToolkitError",
    "Worker",
    "list_notebooks",
    "run",
]
