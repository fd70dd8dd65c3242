"""The report runner: every notebook for every unit, in parallel, with papermill.

``toolkit run`` (see :mod:`toolkit.run.cli`) calls :func:`run`. The steps:

1. check the request (:mod:`toolkit.run.jobs`): notebooks exist and accept the given
   parameters (papermill itself only warns on an unknown parameter), unit ids are safe and
   known, the month is in the data, and every unit's parameter files are valid — a mistake
   here is a usage error (exit 2);
2. stage the data (:mod:`toolkit.run.staging`): a structure problem, or a problem that
   concerns every unit, stops the run before anything is written (exit 1); a problem in one
   unit's rows fails only that unit;
3. make the reports on an executor (:mod:`toolkit.run.executor`): worker processes (no more
   than the cores), each with one warm Jupyter kernel (:mod:`toolkit.run.worker`) that
   executes the notebook, exports HTML (code hidden), tables (XLSX) and headline KPIs (JSON)
   after a privacy check that no person-level identifier of the unit appears in any of them;
4. write ``index.html`` and ``manifest.json`` for the period (:mod:`toolkit.run.outputs`).

A failing report never stops the others; its executed notebook is kept as
``<notebook>.failed.ipynb`` for debugging and any older output of it is removed.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.core import config
from toolkit.core.errors import DataValidationError, ParameterError, ToolkitError
from toolkit.core.periods import TIMEZONE, parse_period
from toolkit.data.hierarchy import ancestors, siblings
from toolkit.data.params import Params, load_params, parse_settings
from toolkit.data.sources import FolderSource
from toolkit.run import EXIT_FAILED, EXIT_OK, EXIT_USAGE, jobs, outputs
from toolkit.run import index as index_page
from toolkit.run.executor import JobExecutor, LocalExecutor, worker_count
from toolkit.run.jobs import RUNNER_PARAMETERS, Job, JobResult, NotebookInfo, list_notebooks
from toolkit.run.worker import Worker


@dataclass
class RunRequest:
    """What ``toolkit run`` was asked to do."""

    notebooks: Sequence[str] = ()
    units: Sequence[str] = ()
    all_units: bool = False
    period: str | None = None
    data_dir: Path = config.DATA_SAMPLES_DIR
    out_dir: Path = config.REPORTS_DIR
    params_dir: Path = config.PARAMS_DIR
    notebooks_dir: Path = config.NOTEBOOKS_DIR
    jobs: int | None = None
    language: str | None = None
    #: Parameter settings ``SECTION.KEY=VALUE`` over the parameter files (``--set``).
    settings: Sequence[str] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    timeout: int = 600
    progress: bool | None = None
    argv: Sequence[str] = ()


@dataclass
class RunSummary:
    """What :func:`run` did."""

    exit_code: int
    period: str | None = None
    results: list[JobResult] = field(default_factory=list)
    manifest: Path | None = None
    message: str | None = None


def run(req: RunRequest, *, echo: Callable[[str], None] | None = None) -> RunSummary:
    """Make the requested reports (see the module docstring); never raises for user mistakes.

    Parameters
    ----------
    req
        The request.
    echo
        Where progress and results are written (default: standard error).
    """
    say = echo or (lambda text: print(text, file=sys.stderr))  # noqa: T201
    try:
        return _run(req, say)
    except ParameterError as exc:
        say(f"error: {exc}")
        return RunSummary(EXIT_USAGE, message=str(exc))
    except DataValidationError as exc:
        say(f"error: {exc}\nNothing was written.")
        return RunSummary(EXIT_FAILED, message=str(exc))


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


def _run(req: RunRequest, say: Callable[[str], None]) -> RunSummary:
    from toolkit import analyses
    from toolkit.run import staging

    analyses.load_all()
    started = datetime.now(TIMEZONE)
    t0 = time.perf_counter()
    # 1. The request.
    notebooks = _resolve_notebooks(req)
    jobs.check_unit_choice(req.units, req.all_units)
    if req.period is not None:
        parse_period(req.period)
    folder = FolderSource(req.data_dir)
    structure = folder.check_structure()
    if structure:
        raise DataValidationError(structure)
    units = folder.units()
    period = folder.report_period(req.period)
    pairs = jobs.plan(notebooks, units, req.units, all_units=req.all_units, named=bool(req.notebooks))
    params_for = _UnitParams(req, units)
    for _, u in pairs:
        params_for(u)
    run_units = sorted({u for _, u in pairs})
    # 2. The data, staged; comparison aggregates for the siblings of every unit in the run.
    stage_dir = Path(tempfile.mkdtemp(prefix="toolkit-stage-"))
    try:
        say(f"Validating and staging {req.data_dir} for {period} …")
        staged = staging.stage(
            folder,
            stage_dir,
            period=period,
            aggregate_units=sorted({s for u in run_units for s in siblings(units, u)}),
            params_for=params_for,
            notebooks=sorted({nb.name for nb, _ in pairs}),
        )
        period_dir = req.out_dir / period
        period_dir.mkdir(parents=True, exist_ok=True)
        # 3. The reports: a unit whose rows failed validation fails without running.
        shared = {
            "period": period,
            "data_dir": str(staged.root),
            "params_dir": str(Path(req.params_dir).resolve()),
            "language": req.language,
            "settings": list(req.settings),
            "interactive": False,
            **req.extra,
        }
        results: list[JobResult] = []
        todo: list[Job] = []
        for nb, u in pairs:
            job = jobs.make_job(
                nb,
                u,
                units=units,
                parameters=shared,
                out_dir=period_dir / u,
                person_keys_dir=stage_dir / "person_keys",
            )
            if u in staged.failed:
                results.append(
                    JobResult.failure(job, "input data failed validation: " + "; ".join(staged.failed[u]))
                )
                job.files.remove_outputs()
            else:
                todo.append(job)
        executor = LocalExecutor(
            worker_count(req.jobs, len(todo)), cwd=str(req.notebooks_dir), timeout=req.timeout
        )
        results += _execute(todo, executor, _progress(req.progress), say)
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)
    finished = datetime.now(TIMEZONE)
    # 4. The manifest and the index.
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
    manifest = outputs.write_manifest(
        period_dir, record, folder, results, params_for.loaded, time.perf_counter() - t0
    )
    index = index_page.write_index(
        period_dir,
        period,
        results,
        units,
        notebooks,
        params_for(run_units[0]).language,
        as_of=folder.as_of(),
        generated=finished,
    )
    failed = [r for r in results if r.status != "ok"]
    say(
        f"{len(results) - len(failed)} of {len(results)} reports ok in {time.perf_counter() - t0:.1f} s; "
        f"index: {index}"
    )
    for r in failed:
        say(f"FAILED {r.notebook} {r.unit}: {r.error}")
    return RunSummary(EXIT_FAILED if failed else EXIT_OK, period, results, manifest)


def _progress(enabled: bool | None) -> bool:
    return sys.stderr.isatty() if enabled is None else enabled


def _execute(
    todo: list[Job], executor: JobExecutor, progress: bool, say: Callable[[str], None]
) -> list[JobResult]:
    """Run the jobs on ``executor``, showing a progress bar or one log line per report."""
    if not todo:
        return []
    results: list[JobResult] = []
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
