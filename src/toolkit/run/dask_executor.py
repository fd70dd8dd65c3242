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
* **Shared paths.** The job names the notebook, the staged data and the output folder by
  path, so every worker must see the runner's paths (a shared file system mounted at the same
  place: the toolkit, the notebooks, ``TMPDIR`` and ``--out``).
* **Failures.** A report that fails is a failed result with its reason, like a local one; a
  Dask worker that dies fails its job once the scheduler gives up on it
  (``distributed.scheduler.allowed-failures``, 3 by default: set it to 0 on the scheduler so a
  report that kills its worker is not tried on three more). SIGTERM or Ctrl-C of the runner
  cancels the jobs not yet finished.
"""

from __future__ import annotations

import atexit
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from typing import Any

from toolkit.core.errors import ParameterError, ReportError
from toolkit.run.executor import JobExecutor
from toolkit.run.jobs import Job, JobResult

#: How long the runner waits for the scheduler (seconds) before it says it cannot reach it.
CONNECT_TIMEOUT = 20

_LOCK = threading.Lock()
_KERNELS: dict[tuple[str, str, int], Any] = {}


def _close_kernels() -> None:
    for kernel in _KERNELS.values():
        kernel.close()
    _KERNELS.clear()


def run_on_dask(job: Job, kernel_name: str, cwd: str, timeout: int) -> JobResult:
    """Make one report in a Dask worker process, with its warm kernel (started on first use).

    One report at a time per process: the kernel is not shared between threads.
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
        result: JobResult = kernel.execute(job)
        return result


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

    Raises
    ------
    ParameterError
        If the scheduler cannot be reached (connected at once, so that :attr:`workers` is the
        cluster's number of worker threads).
    """

    def __init__(self, address: str, *, cwd: str, timeout: int, kernel_name: str = "python3") -> None:
        self.address = address
        self.cwd = cwd
        self.timeout = timeout
        self.kernel_name = kernel_name
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
        futures = {
            client.submit(
                run_on_dask,
                job,
                self.kernel_name,
                self.cwd,
                self.timeout,
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
