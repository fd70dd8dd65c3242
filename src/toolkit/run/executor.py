"""Where the reports are made: an executor submits jobs and hands back results as they finish.

:class:`JobExecutor` is the seam: it is built on :mod:`concurrent.futures`, so any
:class:`concurrent.futures.Executor` can run the jobs — :class:`LocalExecutor` uses worker
processes on this machine, each with one warm Jupyter kernel (:mod:`toolkit.run.worker`); a
distributed executor (e.g. Dask's ``Client.get_executor()``) plugs in the same way by
returning its pool from :meth:`JobExecutor.pool`. The function a pool runs is
:func:`toolkit.run.worker.run_job`; it needs its process's worker started first
(:func:`toolkit.run.worker.start_worker`, an initializer here).

Failures are isolated: a job whose function raises becomes a failed
:class:`~toolkit.run.jobs.JobResult` with the reason; the other jobs go on. A worker process
that dies breaks a process pool: the executor then builds a new pool and submits the jobs
that were not finished again — the job the dead process was making (:meth:`JobExecutor.lost`)
fails, once, with :data:`WORKER_STOPPED`. When the run is interrupted (SIGTERM, Ctrl-C) or the
caller stops reading, the pool is stopped without waiting: :meth:`JobExecutor.stop` (the local
pool kills its worker processes and their kernels).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.core.errors import ToolkitError
from toolkit.run import worker

if TYPE_CHECKING:
    from toolkit.run.jobs import Job, JobResult

#: The reason given for the job of a worker process that stopped.
WORKER_STOPPED = "a worker process stopped unexpectedly while making this report"


class JobExecutor(ABC):
    """Runs jobs on a :class:`concurrent.futures.Executor` and yields their results as they finish."""

    #: How many jobs run at once.
    workers: int
    #: A pool started ahead of the jobs (:meth:`start`), taken by the first round of :meth:`run`.
    _warm: Executor | None = None

    def __init__(self) -> None:
        #: The shut-downs of finished pools, waited for by :meth:`close`.
        self._closing: list[threading.Thread] = []

    def start(self) -> None:  # noqa: B027  (optional: an executor that cannot start early does nothing)
        """Start the workers ahead of the jobs, if this executor can (the local pool does)."""

    def check_paths(self, *, read: Sequence[Path], write: Sequence[Path]) -> None:  # noqa: B027
        """Check that the workers read ``read`` and can write in ``write`` (local workers share
        this process's file system: nothing to check; a Dask cluster asks every worker)."""

    def close(self) -> None:
        """Stop a pool that :meth:`start` started and no :meth:`run` took (staging failed), and
        wait for the pools that :meth:`run` is shutting down (their workers and kernels end)."""
        pool, self._warm = self._warm, None
        if pool is not None:
            self.stop(pool)
        while self._closing:
            self._closing.pop().join()

    def __enter__(self) -> JobExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def pool(self) -> Executor:
        """A new pool of workers able to call :func:`toolkit.run.worker.run_job`."""

    def run(self, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Submit every job; yield one result per job, in the order they finish.

        Never raises for a job: a job that raised or whose worker died is a failed result (see
        the module docstring). An exception in the caller (a signal) stops the pool at once.
        """
        from toolkit.run.jobs import JobResult

        todo = list(jobs)
        rebuilds = 0
        while todo:
            pool, self._warm = self._warm or self.pool(), None
            broken: list[Job] = []
            try:
                futures: dict[Future[JobResult], Job] = {
                    pool.submit(worker.run_job, job): job for job in todo
                }
                for future in as_completed(futures):
                    if isinstance(future.exception(), BrokenProcessPool):
                        broken.append(futures[future])
                    else:
                        yield self.result(future, futures[future])
            except BaseException:
                self.stop(pool)
                raise
            if broken:
                pool.shutdown(wait=True)
            else:  # the last round: its workers end while the caller writes the manifest and index
                closing = threading.Thread(target=pool.shutdown, name="toolkit-pool-shutdown", daemon=True)
                closing.start()
                self._closing.append(closing)
            rebuilds += 1
            lost = self.lost(broken) if rebuilds <= len(jobs) else broken
            for job in broken:
                if job in lost:
                    yield JobResult.failure(job, WORKER_STOPPED)
            todo = [job for job in broken if job not in lost]

    def lost(self, unfinished: Sequence[Job]) -> list[Job]:
        """Of the jobs a broken pool did not finish, those whose worker died making them.

        By default all of them (an executor that cannot tell fails every unfinished job once).
        """
        return list(unfinished)

    def stop(self, pool: Executor) -> None:
        """Stop ``pool`` without waiting for its jobs (the local pool kills its processes)."""
        pool.shutdown(wait=False, cancel_futures=True)

    @staticmethod
    def result(future: Future[JobResult], job: Job) -> JobResult:
        """The result of a finished future; a failed result if the job raised or was lost."""
        from toolkit.run.jobs import JobResult

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
    temp_dir
        The run's private temporary folder (:class:`toolkit.run.tempdir.RunTemp`): the workers'
        kernels, executed notebooks and reports before their check live there, and each
        worker notes its running job in it (so a dead worker's job is known).
    """

    def __init__(
        self,
        workers: int,
        *,
        cwd: str,
        timeout: int,
        kernel_name: str = "python3",
        temp_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.workers = workers
        self.cwd = cwd
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.temp_dir = temp_dir

    def pool(self) -> Executor:
        """Fresh ("spawn") processes: no state of the calling process leaks into a kernel's worker."""
        self.clear_notes()
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=mp.get_context("spawn"),
            initializer=worker.start_worker,
            initargs=(
                self.kernel_name,
                self.cwd,
                self.timeout,
                str(self.temp_dir) if self.temp_dir else None,
            ),
        )

    def start(self) -> None:
        """Start the workers now, in the background, so that they are ready when the jobs come.

        The runner calls this before it stages the data: the workers' start-up (a process, a
        Jupyter kernel, the toolkit's imports in it) then overlaps the staging instead of
        following it. Each worker gets a no-op job, so the pool starts every process at once.
        A pool that gets no jobs is stopped by :meth:`close`.
        """
        if self._warm is None:
            self._warm = self.pool()
            for _ in range(self.workers):
                self._warm.submit(worker.ready)

    def clear_notes(self) -> None:
        """Forget the running jobs noted by an earlier (broken) pool: a new pool starts clean."""
        if self.temp_dir is not None:
            for note in (self.temp_dir / worker.RUNNING_DIR).glob("*"):
                note.unlink(missing_ok=True)

    def lost(self, unfinished: Sequence[Job]) -> list[Job]:
        """The jobs still noted as running by a worker (one ended by SIGTERM removes its note)."""
        if self.temp_dir is None:
            return list(unfinished)
        notes = {
            note.read_text(encoding="utf-8")
            for note in (self.temp_dir / worker.RUNNING_DIR).glob("*")
            if note.is_file()
        }
        return [job for job in unfinished if worker.job_key(job) in notes]

    def stop(self, pool: Executor) -> None:
        """Kill the worker processes and everything they started (their kernels), then the pool."""
        import psutil

        processes = list((getattr(pool, "_processes", None) or {}).values())
        for process in processes:
            with contextlib.suppress(psutil.Error, ValueError):
                tree = psutil.Process(process.pid)
                for proc in [*tree.children(recursive=True), tree]:
                    with contextlib.suppress(psutil.Error):
                        proc.kill()
        with contextlib.suppress(Exception):
            pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
