"""Where the reports are made: an executor submits jobs and hands back results as they finish.

:class:`JobExecutor` is the seam: it is built on :mod:`concurrent.futures`, so any
:class:`concurrent.futures.Executor` can run the jobs — :class:`LocalExecutor` uses worker
processes on this machine, each with one warm Jupyter kernel (:mod:`toolkit.run.worker`); a
distributed executor (e.g. Dask's ``Client.get_executor()``) plugs in the same way by
returning its pool from :meth:`JobExecutor.pool`. The function a pool runs is
:func:`toolkit.run.worker.run_job`; it needs its process's worker started first
(:func:`toolkit.run.worker.start_worker`, an initializer here).

Failures are isolated: a job whose function raises, or whose worker process dies, becomes a
failed :class:`~toolkit.run.jobs.JobResult` with the reason; the other jobs go on.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

from toolkit.core.errors import ToolkitError
from toolkit.run import worker
from toolkit.run.jobs import Job, JobResult

#: The reason given for the jobs of a worker process that stopped.
WORKER_STOPPED = "a worker process stopped unexpectedly"


class JobExecutor(ABC):
    """Runs jobs on a :class:`concurrent.futures.Executor` and yields their results as they finish."""

    #: How many jobs run at once.
    workers: int

    @abstractmethod
    def pool(self) -> Executor:
        """A new pool of workers able to call :func:`toolkit.run.worker.run_job`."""

    def run(self, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Submit every job; yield one result per job, in the order they finish.

        Never raises for a job: a job that raised or whose worker died is a failed result.
        """
        if not jobs:
            return
        with self.pool() as pool:
            futures: dict[Future[JobResult], Job] = {pool.submit(worker.run_job, job): job for job in jobs}
            for future in as_completed(futures):
                yield self.result(future, futures[future])

    @staticmethod
    def result(future: Future[JobResult], job: Job) -> JobResult:
        """The result of a finished future; a failed result if the job raised or was lost."""
        try:
            return future.result()
        except BrokenProcessPool:
            return JobResult.failure(job, WORKER_STOPPED)
        except ToolkitError as exc:
            return JobResult.failure(job, str(exc))
        except Exception as exc:
            return JobResult.failure(job, f"{type(exc).__name__}: {exc}")


def worker_count(requested: int | None, jobs: int) -> int:
    """Worker processes for ``jobs`` jobs: as ``requested`` (default the cores), never more than the
    cores or the jobs, at least one."""
    cores = os.cpu_count() or 1
    return max(1, min(requested or cores, cores, jobs))


class LocalExecutor(JobExecutor):
    """Worker processes on this machine, each with one warm Jupyter kernel.

    Parameters
    ----------
    workers
        The number of worker processes.
    cwd
        The kernels' working folder (the notebooks folder).
    timeout
        Seconds a notebook cell may take.
    kernel_name
        The Jupyter kernel.
    """

    def __init__(self, workers: int, *, cwd: str, timeout: int, kernel_name: str = "python3") -> None:
        self.workers = workers
        self.cwd = cwd
        self.timeout = timeout
        self.kernel_name = kernel_name

    def pool(self) -> Executor:
        """Fresh ("spawn") processes: no state of the calling process leaks into a kernel's worker."""
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=mp.get_context("spawn"),
            initializer=worker.start_worker,
            initargs=(self.kernel_name, self.cwd, self.timeout),
        )
