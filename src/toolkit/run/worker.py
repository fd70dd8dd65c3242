"""One worker: a warm Jupyter kernel that makes reports, one :class:`~toolkit.run.jobs.Job` at a time.

A :class:`Worker` starts one kernel, imports the toolkit in it once, and reuses it, resetting its
namespace between reports, so kernel start-up and library imports are paid once per worker
instead of once per report. For each job it

1. executes the notebook with papermill (the runner's parameters injected) into the run's
   private temporary folder;
2. exports the executed notebook to HTML (code hidden), writes HTML, tables (XLSX) and KPIs
   (JSON) in the private folder, checks them with the privacy guard, and only then moves them
   into the reports tree (:mod:`toolkit.run.release`).

A report that fails leaves no HTML, XLSX or JSON (not even an older one); its executed notebook
is kept in ``<period>/_failed/<unit>/`` with the reason — unless the privacy guard refused it:
then nothing of it is kept. A cell that runs past the timeout, or a kernel that dies, fails
only its report: the next one gets a fresh kernel (a new kernel manager, not the old one).

The kernel runs in its own process group, and its sockets and connection file are in the run's
private folder. The kernel watches the process that started it and kills its own process group
when that process is gone, even by ``kill -9`` (:mod:`toolkit.run.kernel_watch`): no kernel
outlives its worker, here or on a Dask worker. :func:`start_worker` and :func:`run_job` are what an executor
(:mod:`toolkit.run.executor`) calls in a worker process: one :class:`Worker` per process, which
watches its parent — when the runner dies (even by ``kill -9``) the worker kills its kernel and
itself — and on SIGTERM does the same.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from functools import cache
from pathlib import Path
from types import FrameType, ModuleType
from typing import TYPE_CHECKING, Any

import nbformat

from toolkit.core.errors import ReportError, ToolkitError
from toolkit.run.kernel_watch import watch_source

if TYPE_CHECKING:
    from collections.abc import Set as AbstractSet

    from toolkit.run.jobs import Job, JobResult

RESET_SOURCE = "get_ipython().run_line_magic('reset', '-f')"
#: What a new kernel imports once: every analysis (and so the report layer) is registered.
WARM_UP_SOURCE = "import toolkit.analyses, toolkit.report.notebook"
#: Where a worker notes the job it is making (``<run folder>/running/<pid>``).
RUNNING_DIR = "running"
#: How often (seconds) a worker checks that its parent still runs.
WATCH_INTERVAL = 0.5


class JobError(Exception):
    """A report could not be made; the message says why (it goes to the manifest and index)."""


# --------------------------------------------------------------------------- errors


def toolkit_error_names() -> set[str]:
    """The names of :class:`~toolkit.core.errors.ToolkitError` and every subclass of it.

    A notebook's error reaches the runner as papermill's ``ename`` (the exception's class name);
    a user's mistake — an error the toolkit raises on purpose — is shown as its message alone.
    The names come from the class hierarchy, so a new error class counts without a change here.
    """
    import toolkit.analyses  # noqa: F401  (an analysis may define its own error classes)

    names: set[str] = set()
    todo: list[type[BaseException]] = [ToolkitError]
    while todo:
        cls = todo.pop()
        if cls.__name__ not in names:
            names.add(cls.__name__)
            todo.extend(cls.__subclasses__())
    return names


def notebook_error(ename: str, evalue: str) -> str:
    """The message of an error raised in a notebook: a toolkit error's text, else ``Name: text``."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", evalue or "").strip()
    return text if ename in toolkit_error_names() else f"{ename}: {text}"


def kernel_failure(exc: BaseException, timeout: int) -> str:
    """Why a notebook stopped that did not raise in a cell: a timeout or a dead kernel, in words."""
    name = type(exc).__name__
    if name == "CellTimeoutError" or isinstance(exc, TimeoutError):
        return f"a cell ran longer than the timeout ({timeout} s, --timeout); the kernel was replaced"
    if name == "DeadKernelError":
        return "the kernel died while running the notebook; the kernel was replaced"
    return f"{name}: {exc}".strip()


# --------------------------------------------------------------------------- what ran, when it stopped

#: The papermill engine the worker uses: nbclient's, keeping the notebook of a run that stopped.
ENGINE = "toolkit"
_STOPPED: dict[str, nbformat.NotebookNode] = {}


def _keeping_engine() -> str:
    """Register (once) and name papermill's nbclient engine that keeps what ran when a run stops.

    Papermill saves an executed notebook only when the kernel survives (a cell's error is in
    it); after a timeout or a dead kernel its notebook is lost. This engine hands that
    notebook, as far as it ran, to :func:`stopped_notebook`.
    """
    from papermill.engines import NBClientEngine, papermill_engines

    class KeepingEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except BaseException:
                _STOPPED["last"] = nb_man.nb
                raise

    if ENGINE not in papermill_engines._engines:
        papermill_engines.register(ENGINE, KeepingEngine)
    return ENGINE


@cache
def _manager_class() -> type:
    """jupyter_client's ``AsyncKernelManager``, remembering the clients it makes.

    nbclient stops the channels of the client it makes for a notebook only when it owns the
    kernel manager; given the worker's, it leaves them open: a ZMQ context, its threads and
    about 14 file descriptors a report, until a long-lived worker runs out of them.
    :meth:`stop_clients` closes them after each notebook.
    """
    from jupyter_client.manager import AsyncKernelManager

    class ClientStoppingManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.clients: list[Any] = []

        def client(self, **kwargs: Any) -> Any:
            kc = super().client(**kwargs)
            self.clients.append(kc)
            return kc

        def stop_clients(self) -> None:
            """Stop the channels (and their ZMQ context) of every client made so far."""
            while self.clients:
                with contextlib.suppress(Exception):
                    self.clients.pop().stop_channels()

    return ClientStoppingManager


def stopped_notebook() -> nbformat.NotebookNode | None:
    """The notebook (as far as it ran) of the last execution that stopped; once."""
    return _STOPPED.pop("last", None)


# --------------------------------------------------------------------------- the worker


class Worker:
    """Executes jobs in one warm kernel (used inside a worker process).

    Parameters
    ----------
    kernel_name
        The Jupyter kernel (``python3``).
    cwd
        The kernel's working folder (the notebooks folder).
    timeout
        Seconds a notebook cell may take.
    temp_dir
        The run's private temporary folder (default: a folder of the worker's own, removed by
        :meth:`close`).
    """

    def __init__(self, kernel_name: str, cwd: str, timeout: int, temp_dir: str | None = None) -> None:
        from jupyter_core.utils import run_sync

        self._run_sync = run_sync
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.timeout = timeout
        self._own_temp = temp_dir is None
        base = Path(tempfile.mkdtemp(prefix="toolkit-kernel-") if temp_dir is None else temp_dir)
        self.root = base / f"w{os.getpid()}"
        self.root.mkdir(mode=0o700, exist_ok=True)
        self._base = base
        self._count = itertools.count(1)
        # The kernel talks over Unix sockets in the private folder: no open TCP port on the host.
        # (A Unix socket path must stay under about 100 bytes; a very deep TMPDIR falls back to TCP.)
        self._ipc = os.name == "posix" and len(os.fsencode(self.root)) <= 95
        self.km = self._new_manager()
        # The kernel first: it boots (its own imports, the warm-up) while this process imports
        # papermill, which runs the first notebook. What a report needs after its notebook (the
        # exporter, the privacy guard) is imported in the background once the kernel is ready,
        # while the first notebook runs: until then the kernel's start (and, in a run's first
        # seconds, the runner's staging) has the cores.
        self._launch()
        import papermill  # noqa: F401

        self._ready()
        self._exporter: Any = None
        self._support = threading.Thread(target=self._prepare_export, name="toolkit-export", daemon=True)
        self._support.start()

    def _new_manager(self) -> Any:  # jupyter_client's AsyncKernelManager
        """A fresh kernel manager: its own ZMQ context, sockets and connection file."""
        n = next(self._count)
        options = {"connection_file": str(self.root / f"kernel-{n}.json")}
        if self._ipc:
            options |= {"transport": "ipc", "ip": str(self.root / f"k{n}")}
        return _manager_class()(kernel_name=self.kernel_name, **options)

    def _start(self) -> None:
        self._launch()
        self._ready()

    def _launch(self) -> None:
        """Start the kernel process (it boots in the background; :meth:`_ready` waits for it)."""
        env = dict(os.environ)
        env["TOOLKIT_RUNNER"] = "1"
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        # jupyter_client starts the kernel in a new session: its own process group. The kernel's
        # own watch (kernel_watch, below) ends that group with this process, however this process
        # ends (kill -9 too); ipykernel's parent poller is left off ("independent"), as it would
        # end the kernel alone, first, and leave what the kernel started running.
        # Its stdout is dropped: without a parent to watch, ipykernel prints a console note
        # ("Ctrl-C will not work", the connection file) there, into the run's log. Cell output
        # comes over the kernel's channels; its stderr stays for a kernel that crashes.
        self._run_sync(self.km.start_kernel)(
            cwd=self.cwd, env=env, independent=True, stdout=subprocess.DEVNULL
        )

    def _ready(self) -> None:
        """Wait for the launched kernel, have it watch this process, and warm it up."""
        kc = self.km.client()
        kc.start_channels()
        try:
            self._run_sync(kc.wait_for_ready)(timeout=120)
            watch = self._run_sync(kc.execute_interactive)(
                watch_source(os.getpid()), timeout=60, output_hook=lambda msg: None
            )
            if watch["content"].get("status") != "ok":
                self.kill_kernel()
                content = watch["content"]
                raise ReportError(
                    f"the kernel could not watch its worker: {content.get('ename')}: {content.get('evalue')}"
                )
            self._run_sync(kc.execute_interactive)(WARM_UP_SOURCE, timeout=300, output_hook=lambda msg: None)
        finally:
            self.km.stop_clients()

    def kill_kernel(self) -> None:
        """Kill the kernel's process group at once (nothing is asked of a kernel that may hang)."""
        provisioner = getattr(self.km, "provisioner", None)
        pgid = getattr(provisioner, "pgid", None)
        process = getattr(provisioner, "process", None)
        with contextlib.suppress(OSError):
            if pgid and pgid != os.getpgid(0):
                os.killpg(pgid, signal.SIGKILL)
            elif process is not None:
                process.kill()

    def _replace_kernel(self) -> None:
        """A fresh kernel with a fresh manager (the old one's context may be destroyed)."""
        self.kill_kernel()
        with contextlib.suppress(Exception):
            self._run_sync(self.km.shutdown_kernel)(now=True)
        with contextlib.suppress(Exception):
            self.km.cleanup_connection_file()
        self.km = self._new_manager()
        self._start()

    def close(self) -> None:
        """Shut the kernel down and remove the worker's folder."""
        with contextlib.suppress(Exception):
            self._run_sync(self.km.shutdown_kernel)(now=True)
        self.kill_kernel()
        shutil.rmtree(self._base if self._own_temp else self.root, ignore_errors=True)

    def execute(self, job: Job) -> JobResult:
        """Make one report: execute, export, check, write (see the module docstring).

        Never raises: a failure is the result's ``error``, and a bug in the runner or the
        exporter is also printed with its traceback.
        """
        from toolkit.run.jobs import JobResult

        start = time.perf_counter()
        files = job.files
        work = self.root / f"job-{next(self._count)}"
        work.mkdir(mode=0o700)
        executing = work / f"{job.notebook}.ipynb"
        result = JobResult(job.notebook, job.unit, "failed", 0.0)
        known: AbstractSet[str] | None = None
        refused = False
        try:
            executed = self._execute_notebook(job, str(executing))
            release = self._release()
            known = release.pseudonyms(job.person_keys_files)
            self._write_report(job, executed, work, known)
            result.status = "ok"
            result.html, result.xlsx, result.json = (p.name for p in files.outputs)
        except Exception as exc:
            release = self._release()
            if isinstance(exc, release.PrivacyRefusalError):
                result.error, refused = str(exc), True
            elif isinstance(exc, release.ReportWriteError):
                result.error, result.write_error = str(exc), True
            elif isinstance(exc, JobError):
                result.error = str(exc)
            else:  # a bug in the runner or exporter: record it, keep going
                result.error = f"{type(exc).__name__}: {exc}"
                traceback.print_exc(file=sys.stderr)
        finally:
            if result.error is not None:
                from toolkit.data.privacy import mask_identifiers

                release = self._release()
                if known is None:  # the notebook failed: its message may still name a person
                    known = release.pseudonyms(job.person_keys_files)
                result.error = mask_identifiers(result.error, known)
            result.seconds = round(time.perf_counter() - start, 3)
            if result.status == "ok":
                files.remove_failed()
            else:
                files.remove_outputs()
                files.remove_failed()
                if not refused:
                    result.failed_notebook = self._release().keep_failed_notebook(
                        executing, files, result.error or ""
                    )
            shutil.rmtree(work, ignore_errors=True)
        return result

    def _prepare_export(self) -> None:
        """Import the exporter, the privacy guard and the writers, and make the exporter."""
        from toolkit.report.export import ReportExporter
        from toolkit.run import release  # noqa: F401  (the privacy guard and the writers)

        self._exporter = ReportExporter()

    def _release(self) -> ModuleType:
        """:mod:`toolkit.run.release`, once the background imports are done (or done here)."""
        self._support.join()
        if self._exporter is None:  # the background import failed: fail here, with its error
            self._prepare_export()
        from toolkit.run import release

        return release

    def _execute_notebook(self, job: Job, executing: str) -> nbformat.NotebookNode:
        """Run the notebook in the warm kernel (its namespace reset first); the executed notebook."""
        import papermill as pm

        if not self._run_sync(self.km.is_alive)():
            self._replace_kernel()
        nb = nbformat.read(job.notebook_path, as_version=4)
        reset = nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": ["toolkit-reset"]})
        reset["id"] = "toolkit-reset"
        nb.cells.insert(0, reset)
        stopped_notebook()  # nothing of an earlier job
        try:
            try:
                executed: nbformat.NotebookNode = pm.execute_notebook(
                    nb,
                    executing,
                    parameters=job.parameters,
                    kernel_name=self.kernel_name,
                    engine_name=_keeping_engine(),
                    km=self.km,
                    progress_bar=False,
                    log_output=False,
                    request_save_on_cell_execute=False,
                    execution_timeout=self.timeout,
                )
            finally:
                self.km.stop_clients()
        except pm.PapermillExecutionError as exc:
            raise JobError(notebook_error(exc.ename, exc.evalue)) from exc
        except Exception as exc:  # kernel died, timed out, ...
            message = kernel_failure(exc, self.timeout)
            ran = stopped_notebook()
            if ran is not None:
                with contextlib.suppress(OSError, ValueError):
                    nbformat.write(ran, executing)
            self._replace_kernel()
            raise JobError(message) from exc
        return executed

    def _write_report(
        self, job: Job, executed: nbformat.NotebookNode, work: Path, known: AbstractSet[str]
    ) -> None:
        """Export, check for person-level identifiers, and write HTML, XLSX and JSON (all or nothing)."""
        from toolkit.report import export
        from toolkit.run import release

        artifacts = export.find_artifacts(executed)
        if artifacts is None:
            raise JobError("the notebook did not finish its report (Report.finish() was not called)")
        body, _ = self._exporter.from_notebook_node(executed)
        private = work / "out"
        private.mkdir()
        release.write_report(body, artifacts, job.files, private, known)


# --------------------------------------------------------------------------- one worker per process

_WORKER: Worker | None = None
_START_ERROR: str | None = None
_RUNNING: Path | None = None


def _die(code: int) -> None:
    """Kill this worker's kernel, forget its job and end the process at once."""
    if _WORKER is not None:
        _WORKER.kill_kernel()
    if _RUNNING is not None:
        with contextlib.suppress(OSError):
            _RUNNING.unlink()
    os._exit(code)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    _die(128 + signum)


def watch_parent(parent: int, interval: float = WATCH_INTERVAL) -> threading.Thread:
    """Start a daemon thread that ends this process (and its kernel) once ``parent`` is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        _die(1)

    thread = threading.Thread(target=watch, name="toolkit-watch-parent", daemon=True)
    thread.start()
    return thread


def start_worker(kernel_name: str, cwd: str, timeout: int, temp_dir: str | None = None) -> None:
    """Start this process's worker (an executor's initializer); it is closed when the process ends.

    The worker watches its parent (the runner) and ends with it; SIGTERM kills its kernel and
    ends it; SIGINT is the runner's to handle (Ctrl-C reaches the whole process group). A kernel
    that cannot start is not raised here (that would break the whole pool): every job this
    process takes then fails with the reason.
    """
    global _WORKER, _START_ERROR, _RUNNING
    from multiprocessing import util

    if _WORKER is not None:
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    watch_parent(os.getppid())
    if temp_dir is not None:
        running = Path(temp_dir) / RUNNING_DIR
        running.mkdir(exist_ok=True)
        _RUNNING = running / str(os.getpid())
    try:
        _WORKER = Worker(kernel_name, cwd, timeout, temp_dir)
    except Exception as exc:  # pragma: no cover - e.g. no kernel installed
        _START_ERROR = f"could not start a Jupyter kernel: {type(exc).__name__}: {exc}"
        return
    util.Finalize(_WORKER, _WORKER.close, exitpriority=10)
    util.Finalize(None, _end_now, exitpriority=0)


def _end_now() -> None:
    """The pool process's last clean-up (after :meth:`Worker.close`): end it without taking its
    libraries apart one by one (pandas, plotly, nbconvert: about half a second a worker)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def ready() -> int:
    """A no-op job: it returns once this process's worker has started (see :func:`start_worker`)."""
    return os.getpid()


def job_key(job: Job) -> str:
    """How a running job is noted (``<notebook> <unit>``)."""
    return f"{job.notebook} {job.unit}"


def run_job(job: Job) -> JobResult:
    """Make one report with this process's worker (see :func:`start_worker`).

    While it runs, the job is noted in ``<run folder>/running/<pid>``: if the process dies, the
    executor knows which job it was making (a worker ended by SIGTERM removes the note).
    """
    if _WORKER is None:
        raise ReportError(_START_ERROR or "the worker was not started")
    if _RUNNING is not None:
        _RUNNING.write_text(job_key(job), encoding="utf-8")
    try:
        return _WORKER.execute(job)
    finally:
        if _RUNNING is not None:
            with contextlib.suppress(OSError):
                _RUNNING.unlink()
