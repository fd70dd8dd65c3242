"""Reports on many machines: the jobs of a run sent to a Dask distributed cluster.

``toolkit run --scheduler tcp://HOST:8786`` makes the same reports as a local run, with the
same manifest, index, failure isolation, atomic writes and privacy checks: each job runs
:meth:`toolkit.run.worker.Worker.execute` in a Dask worker process, exactly as a local worker
process runs it, and the runner writes the manifest and the index from the results.

* **A warm kernel per Dask worker.** A worker process starts one Jupyter kernel the first
  time it gets a job of a run (:func:`run_on_dask`) and keeps it for the next jobs and the
  next runs with the same kernel, notebooks folder and timeout, as the local pool does. A
  worker with several threads makes one report at a time (a lock): start workers with
  ``--nthreads 1`` and as many of them per machine as it has cores.
  The kernel watches its Dask worker process and kills its own process group when that
  process is gone, even by ``kill -9`` (:mod:`toolkit.run.kernel_watch`): no kernel outlives
  its worker.
* **Shared paths.** The job names the notebook, the staged data and the output folder by
  path, so every worker must see the runner's paths (a shared file system mounted at the same
  place: the toolkit, the notebooks, ``TMPDIR`` and ``--out``). :meth:`DaskExecutor.check_paths`
  asks every worker before any job is sent; a worker that cannot read or write one of them is
  one line naming the worker and the path.
* **Failures.** A report that fails is a failed result with its reason, like a local one. A
  Dask worker that dies while it makes a report fails that report, once, with the local pool's
  reason (:data:`~toolkit.run.executor.WORKER_STOPPED`): each worker notes the job it makes in
  the run's folder (``running/``), the scheduler gives the job of a dead worker to another one
  (``distributed.scheduler.allowed-failures``, 3 by default), and that one finds the note and
  fails the job instead of making it again (a report that kills its worker is not tried on
  three more). The jobs the dead worker had not started are made elsewhere. SIGTERM or Ctrl-C
  of the runner cancels the jobs not yet finished.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any

from toolkit.core.errors import ParameterError, ReportError
from toolkit.run.executor import WORKER_STOPPED, JobExecutor
from toolkit.run.jobs import Job, JobResult

#: How long the runner waits for the scheduler (seconds) before it says it cannot reach it.
CONNECT_TIMEOUT = 20

_LOCK = threading.Lock()
_KERNELS: dict[tuple[str, str, int], Any] = {}


def _close_kernels() -> None:
    for kernel in _KERNELS.values():
        kernel.close()
    _KERNELS.clear()


def note_path(notes_dir: Path, job: Job) -> Path:
    """Where a Dask worker notes that it makes ``job`` (``<run folder>/running/dask-<hash>``)."""
    from toolkit.run.worker import job_key

    return notes_dir / f"dask-{hashlib.sha256(job_key(job).encode()).hexdigest()[:24]}"


def claim(notes_dir: Path, job: Job) -> Path | None:
    """Note that this worker makes ``job``; None if a worker noted it before and never finished.

    The note is made with ``O_EXCL``: of two workers given the same job, one makes it. A note
    left behind means the worker that made it died while it made the report (a finished job's
    note is removed), so the job is not made again.
    """
    from toolkit.run.worker import job_key

    path = note_path(notes_dir, job)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(job_key(job))
    return path


def run_on_dask(
    job: Job, kernel_name: str, cwd: str, timeout: int, notes_dir: str | None = None
) -> JobResult:
    """Make one report in a Dask worker process, with its warm kernel (started on first use).

    One report at a time per process: the kernel is not shared between threads. With
    ``notes_dir`` (the run's ``running/`` folder) the job is noted while it is made
    (:func:`claim`); a job a dead worker was making fails with :data:`WORKER_STOPPED`.
    """
    from toolkit.run.worker import Worker

    with _LOCK:
        key = (kernel_name, cwd, timeout)
        kernel = _KERNELS.get(key)
        if kernel is None:
            if not _KERNELS:
                atexit.register(_close_kernels)
            try:
                kernel = Worker(kernel_name, cwd, timeout)
            except Exception as exc:  # e.g. no kernel installed on this machine
                raise ReportError(f"could not start a Jupyter kernel: {type(exc).__name__}: {exc}") from None
            _KERNELS[key] = kernel
        note = claim(Path(notes_dir), job) if notes_dir is not None else None
        if notes_dir is not None and note is None:
            return JobResult.failure(job, WORKER_STOPPED)
        try:
            result: JobResult = kernel.execute(job)
        finally:
            if note is not None:
                with contextlib.suppress(OSError):
                    note.unlink()
        return result


def path_problems(read: Sequence[str], write: Sequence[str]) -> list[str]:
    """What this process cannot do of reading ``read`` (files or folders) and writing in ``write``.

    Run in every Dask worker by :meth:`DaskExecutor.check_paths`; nothing is written. A folder to
    write in that does not exist yet must be makeable: its nearest existing parent is checked.
    """
    problems: list[str] = []
    for text in read:
        path = Path(text)
        if not path.exists():
            problems.append(f"cannot read {path}: it does not exist there")
        elif not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
            problems.append(f"cannot read {path}: permission denied")
    for text in write:
        path = Path(text)
        existing = next((p for p in (path, *path.parents) if p.exists()), None)
        if existing is None or not existing.is_dir():
            problems.append(f"cannot write in {path}: {existing or path} is not a folder")
        elif not os.access(existing, os.W_OK | os.X_OK):
            problems.append(f"cannot write in {path}: permission denied or a read-only file system")
    return problems


class DaskExecutor(JobExecutor):
    """Jobs on a Dask distributed cluster, one warm kernel per worker process.

    Parameters
    ----------
    address
        The scheduler's address (``tcp://HOST:8786``), or a running
        :class:`distributed.LocalCluster`'s ``scheduler_address``.
    cwd
        The kernels' working folder (the notebooks folder; the same path on every worker).
    timeout
        Seconds a notebook cell may take.
    kernel_name
        The Jupyter kernel.
    temp_dir
        The run's private temporary folder (shared with the workers, like the staged data in
        it): each worker notes the job it makes in its ``running/`` folder, so a dead worker's
        job fails with a reason (None: no notes; the scheduler tries the job again).

    Raises
    ------
    ParameterError
        If the scheduler cannot be reached (connected at once, so that :attr:`workers` is the
        cluster's number of worker threads).
    """

    def __init__(
        self,
        address: str,
        *,
        cwd: str,
        timeout: int,
        kernel_name: str = "python3",
        temp_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.address = address
        self.cwd = cwd
        self.timeout = timeout
        self.kernel_name = kernel_name
        self.temp_dir = temp_dir
        self.workers = 1
        self._client: Any = None
        self.connect()

    def connect(self) -> Any:
        """The client of the scheduler (connected once); one clear error if it cannot be reached."""
        if self._client is None:
            from distributed import Client

            try:
                self._client = Client(self.address, timeout=CONNECT_TIMEOUT, set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ParameterError(
                    f"--scheduler {self.address}: cannot reach the Dask scheduler ({type(exc).__name__}: {exc})"
                ) from None
            self.workers = max(1, sum(self._client.nthreads().values()))
        return self._client

    def check_paths(self, *, read: Sequence[Path], write: Sequence[Path]) -> None:
        """Check, before any job is sent, that every worker reads ``read`` and can write in ``write``.

        The runner calls it after staging: ``read`` the staged data folder and the notebooks
        folder, ``write`` the run's temporary folder and the reports folder. Nothing is written.

        Raises
        ------
        ParameterError
            One line naming the first worker and path that fail (and how many more there are);
            also if the scheduler has no worker.
        """
        client = self.connect()
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
        except (TimeoutError, OSError):
            raise ParameterError(
                f"--scheduler {self.address}: the Dask scheduler has no workers "
                f"(start them with `dask worker {self.address} --nthreads 1`)"
            ) from None
        found = client.run(path_problems, [str(p) for p in read], [str(p) for p in write])
        self.workers = max(1, sum(client.nthreads().values()))
        problems = [(worker, text) for worker, texts in sorted(found.items()) for text in texts]
        if problems:
            worker, text = problems[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ParameterError(
                f"the Dask worker {worker} {text}{more}; every worker must see the run's folders "
                "at the same paths (a shared file system: the notebooks, TMPDIR and --out)"
            )

    def close(self) -> None:
        """Disconnect from the scheduler (the cluster and its warm kernels stay)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def pool(self) -> Executor:
        """A :class:`concurrent.futures.Executor` on the cluster (for callers that want one)."""
        executor: Executor = self.connect().get_executor(pure=False)
        return executor

    def run(self, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Submit every job to the cluster; yield one result per job, in the order they finish."""
        if not jobs:
            return
        from distributed import as_completed

        client = self.connect()
        tag = uuid.uuid4().hex[:8]
        notes = None
        if self.temp_dir is not None:
            from toolkit.run.worker import RUNNING_DIR

            (self.temp_dir / RUNNING_DIR).mkdir(exist_ok=True)
            notes = str(self.temp_dir / RUNNING_DIR)
        futures = {
            client.submit(
                run_on_dask,
                job,
                self.kernel_name,
                self.cwd,
                self.timeout,
                notes,
                key=f"toolkit-{tag}-{i}-{job.notebook}-{job.unit}",
                pure=False,
                retries=0,
            ): job
            for i, job in enumerate(jobs)
        }
        try:
            for future in as_completed(list(futures), loop=client.loop):
                yield self.result(future, futures[future])
        except BaseException:
            client.cancel(list(futures), force=True)
            raise
        finally:
            self.close()

    @staticmethod
    def result(future: Future[JobResult], job: Job) -> JobResult:
        """The result of a finished job; one the scheduler gave up on because the workers that
        held it died (``KilledWorker``, when ``allowed-failures`` is 0) fails with
        :data:`WORKER_STOPPED`."""
        from distributed import KilledWorker

        with contextlib.suppress(Exception):
            if isinstance(future.exception(), KilledWorker):
                return JobResult.failure(job, WORKER_STOPPED)
        return JobExecutor.result(future, job)
