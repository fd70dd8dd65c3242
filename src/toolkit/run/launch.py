"""The first step of a run: its private temporary folder and its workers, before anything heavy.

A report run is paced by its workers' start-up (a process, a Jupyter kernel, the toolkit's
imports in it): the runner reads and stages the data meanwhile. So ``toolkit run`` launches
them (:func:`launch`) before it imports the runner, the data layer and the analyses; this
module imports none of them (nor pandas). :func:`toolkit.run.runner.run` then takes what was
launched, or launches itself when called directly.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.core import config
from toolkit.run import tempdir
from toolkit.run.executor import JobExecutor, LocalExecutor, worker_count
from toolkit.run.signals import interruptible


@dataclass
class RunRequest:
    """What ``toolkit run`` was asked to do."""

    notebooks: Sequence[str] = ()
    units: Sequence[str] = ()
    all_units: bool = False
    period: str | None = None
    data_dir: Path = config.DATA_SAMPLES_DIR
    #: The filled-in forms (``--forms DIR``); None: the data folder's ``forms/`` (a database has none).
    forms: Path | None = None
    out_dir: Path = config.REPORTS_DIR
    params_dir: Path = config.PARAMS_DIR
    notebooks_dir: Path = config.NOTEBOOKS_DIR
    jobs: int | None = None
    language: str | None = None
    #: Parameter settings ``SECTION.KEY=VALUE`` over the parameter files (``--set``).
    settings: Sequence[str] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    timeout: int = 600
    #: A Dask scheduler (``tcp://HOST:8786``) to make the reports on; None: worker processes here.
    scheduler: str | None = None
    progress: bool | None = None
    argv: Sequence[str] = ()
    #: Wait for another run on the same ``--out`` and month instead of stopping (``--wait``).
    wait: bool = False
    #: Remake only the reports whose inputs or parameters changed since the last run (``--changed-only``).
    changed_only: bool = False


@dataclass
class Launched:
    """A run's private temporary folder and its executor (workers starting), and when it began."""

    temp: tempdir.RunTemp
    executor: JobExecutor
    #: When the run began: wall clock (seconds since the epoch) and :func:`time.perf_counter`.
    started: float
    t0: float


def expected_reports(req: RunRequest) -> int:
    """How many reports the request may make, before its notebooks are read (for the pool's size).

    Every named notebook (or every notebook in the folder) for every unit named; one per core
    for ``--all-units``. An upper bound: the pool never gets more workers than reports or cores.
    """
    if req.all_units:
        return os.cpu_count() or 1
    notebooks = len(req.notebooks) or len(list(req.notebooks_dir.glob("*.ipynb")))
    return max(1, notebooks) * max(1, len(req.units))


def executor_for(req: RunRequest, reports: int, tmp: tempdir.RunTemp) -> JobExecutor:
    """Where the reports will be made, set up before the data are staged.

    A Dask scheduler is reached now, so an unreachable one is one line (exit 2) before any
    staging. The local pool starts its workers now (:meth:`LocalExecutor.start`): their
    processes, kernels and imports get ready while the data are staged — except for
    ``--changed-only``, where there may be nothing to make.
    """
    if req.scheduler:
        from toolkit.run.dask_executor import DaskExecutor

        return DaskExecutor(req.scheduler, cwd=str(req.notebooks_dir), timeout=req.timeout, temp_dir=tmp.path)
    executor = LocalExecutor(
        worker_count(req.jobs, reports),
        cwd=str(req.notebooks_dir),
        timeout=req.timeout,
        temp_dir=tmp.path,
    )
    if not req.changed_only:
        executor.start()
    return executor


@contextmanager
def launch(req: RunRequest) -> Iterator[Launched]:
    """Remove what killed runs left in TMPDIR, make the run's private folder, start its workers.

    SIGTERM and SIGINT raise :class:`~toolkit.run.signals.RunInterrupted` inside the block; on
    leaving it the workers are stopped (or waited for, once their last reports are made) and
    the private folder is removed, however the block ends.
    """
    started, t0 = time.time(), time.perf_counter()
    tempdir.sweep()
    with interruptible(), tempdir.RunTemp() as tmp, executor_for(req, expected_reports(req), tmp) as executor:
        yield Launched(tmp, executor, started, t0)
