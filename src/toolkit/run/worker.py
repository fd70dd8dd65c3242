"""One worker: a warm Jupyter kernel that makes reports, one :class:`~toolkit.run.jobs.Job` at a time.

A :class:`Worker` starts one kernel, imports the toolkit in it once, and reuses it, resetting its
namespace between reports, so kernel start-up and library imports are paid once per worker
instead of once per report. For each job it

1. executes the notebook with papermill (the runner's parameters injected);
2. exports the executed notebook to HTML (code hidden) and writes the tables (XLSX) to a
   temporary folder;
3. checks that no person-level identifier of the unit (or of a unit below it) appears in the
   HTML, the workbook or the KPIs — if one does, nothing is written;
4. writes HTML, XLSX and JSON beside each other, each through a temporary file.

A report that fails leaves no HTML, XLSX or JSON (not even an older one); its executed notebook
is kept as ``<notebook>.failed.ipynb`` for debugging.

:func:`start_worker` and :func:`run_job` are what an executor (:mod:`toolkit.run.executor`)
calls in a worker process: one :class:`Worker` per process.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat

from toolkit.core.errors import ReportError, ToolkitError
from toolkit.run.jobs import Job, JobResult, ReportFiles

RESET_SOURCE = "get_ipython().run_line_magic('reset', '-f')"
#: What a new kernel imports once: every analysis (and so the report layer) is registered.
WARM_UP_SOURCE = "import toolkit.analyses, toolkit.report.notebook"


class JobError(Exception):
    """A report could not be made; the message says why (it goes to the manifest and index)."""


# --------------------------------------------------------------------------- errors and privacy


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


def person_keys(paths: Iterable[str | None]) -> set[str]:
    """The person keys listed in staged ``person_keys`` files (missing files hold none)."""
    keys: set[str] = set()
    for path in paths:
        keys |= export_keys(path)
    return keys


def export_keys(path: str | None) -> set[str]:
    """Person keys listed in a staged ``person_keys`` file."""
    if not path or not Path(path).is_file():
        return set()
    return {line for line in Path(path).read_text(encoding="utf-8").splitlines() if line}


def leaked_keys(texts: Sequence[str], keys: set[str]) -> set[str]:
    """The ``keys`` that appear as a word in any of ``texts``."""
    if not keys:
        return set()
    found: set[str] = set()
    for text in texts:
        found |= keys & set(re.findall(r"[\w-]+", text))
    return found


def workbook_text(path: Path) -> str:
    """Every cell value of a workbook, one a line (for the privacy check)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    parts: list[str] = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


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
    """

    def __init__(self, kernel_name: str, cwd: str, timeout: int) -> None:
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from toolkit.report.export import ReportExporter

        self._run_sync = run_sync
        self.kernel_name = kernel_name
        self.cwd = cwd
        self.timeout = timeout
        # The kernel talks over Unix sockets in a private folder: no open TCP port on the host,
        # and no "running over TCP without encryption" warning in every scheduled run's log.
        # (A Unix socket path must stay under about 100 bytes; a very deep TMPDIR falls back to TCP.)
        self._socket_dir: str | None = None
        if os.name == "posix":
            self._socket_dir = tempfile.mkdtemp(prefix="toolkit-kernel-")
            if len(os.fsencode(self._socket_dir)) > 95:
                shutil.rmtree(self._socket_dir, ignore_errors=True)
                self._socket_dir = None
        if self._socket_dir is not None:
            self.km = AsyncKernelManager(
                kernel_name=kernel_name, transport="ipc", ip=os.path.join(self._socket_dir, "kernel")
            )
        else:
            self.km = AsyncKernelManager(kernel_name=kernel_name)
        self.exporter = ReportExporter()
        self._start()

    def _start(self) -> None:
        env = dict(os.environ)
        env["TOOLKIT_RUNNER"] = "1"
        env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        self._run_sync(self.km.start_kernel)(cwd=self.cwd, env=env)
        # Warm the kernel: the imports every report needs are paid once per worker.
        kc = self.km.client()
        kc.start_channels()
        try:
            self._run_sync(kc.wait_for_ready)(timeout=120)
            self._run_sync(kc.execute_interactive)(WARM_UP_SOURCE, timeout=300, output_hook=lambda msg: None)
        finally:
            kc.stop_channels()

    def _restart(self) -> None:
        with contextlib.suppress(Exception):  # a dead kernel may not shut down cleanly
            self._run_sync(self.km.shutdown_kernel)(now=True)
        self._start()

    def close(self) -> None:
        """Shut the kernel down and remove its socket folder."""
        with contextlib.suppress(Exception):
            self._run_sync(self.km.shutdown_kernel)(now=True)
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
            self._socket_dir = None

    def execute(self, job: Job) -> JobResult:
        """Make one report: execute, export, check, write (see the module docstring).

        Never raises: a failure is the result's ``error``, and a bug in the runner or the
        exporter is also printed with its traceback.
        """
        start = time.perf_counter()
        files = job.files
        files.html.parent.mkdir(parents=True, exist_ok=True)
        fd, executing = tempfile.mkstemp(dir=files.html.parent, prefix=f".{job.notebook}.", suffix=".ipynb")
        os.close(fd)
        result = JobResult(job.notebook, job.unit, "failed", 0.0)
        try:
            executed = self._execute_notebook(job, executing)
            self._write_report(job, executed, files)
            result.status = "ok"
            result.html, result.xlsx, result.json = (p.name for p in files.outputs)
        except JobError as exc:
            result.error = str(exc)
        except Exception as exc:  # a bug in the runner or exporter: record it, keep going
            result.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc(file=sys.stderr)
        finally:
            result.seconds = round(time.perf_counter() - start, 3)
            _settle(result, Path(executing), files)
        return result

    def _execute_notebook(self, job: Job, executing: str) -> nbformat.NotebookNode:
        """Run the notebook in the warm kernel (its namespace reset first); the executed notebook."""
        import papermill as pm

        if not self._run_sync(self.km.is_alive)():
            self._restart()
        nb = nbformat.read(job.notebook_path, as_version=4)
        reset = nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": ["toolkit-reset"]})
        reset["id"] = "toolkit-reset"
        nb.cells.insert(0, reset)
        try:
            executed: nbformat.NotebookNode = pm.execute_notebook(
                nb,
                executing,
                parameters=job.parameters,
                kernel_name=self.kernel_name,
                km=self.km,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
                execution_timeout=self.timeout,
            )
        except pm.PapermillExecutionError as exc:
            raise JobError(notebook_error(exc.ename, exc.evalue)) from exc
        except Exception as exc:  # kernel died, timed out, ...
            message = f"{type(exc).__name__}: {exc}".strip()
            self._restart()
            raise JobError(message) from exc
        return executed

    def _write_report(self, job: Job, executed: nbformat.NotebookNode, files: ReportFiles) -> None:
        """Export, check for person keys, and write HTML, XLSX and JSON (all or nothing)."""
        from toolkit.report import export

        artifacts = export.find_artifacts(executed)
        if artifacts is None:
            raise JobError("the notebook did not finish its report (Report.finish() was not called)")
        body, _ = self.exporter.from_notebook_node(executed)
        keys = person_keys(job.person_keys_files)
        tmp_dir = Path(tempfile.mkdtemp(dir=files.html.parent, prefix=f".{job.notebook}.out."))
        try:
            tmp_xlsx = tmp_dir / files.xlsx.name
            export.write_workbook(tmp_xlsx, artifacts)
            leaked = leaked_keys(
                [body, json.dumps(artifacts, ensure_ascii=False), workbook_text(tmp_xlsx)], keys
            )
            if leaked:
                raise JobError(
                    f"privacy check failed: the report contains {len(leaked)} person-level identifier(s) "
                    "from the input; nothing was written"
                )
            export.write_text(files.html, body)
            os.replace(tmp_xlsx, files.xlsx)
            export.write_kpis(files.json, artifacts)
        finally:
            shutil.rmtree(tmp_dir, ignore_errors=True)


def _settle(result: JobResult, executed: Path, files: ReportFiles) -> None:
    """After a job: drop the executed copy of a made report; for a failed one, remove any older
    report and keep the executed notebook (if there is one) as ``<notebook>.failed.ipynb``."""
    if result.status == "ok":
        executed.unlink(missing_ok=True)
        files.failed.unlink(missing_ok=True)
        return
    files.remove_outputs()
    if executed.exists() and executed.stat().st_size > 0:
        os.replace(executed, files.failed)
        result.failed_notebook = files.failed.name
    else:
        executed.unlink(missing_ok=True)


# --------------------------------------------------------------------------- one worker per process

_WORKER: Worker | None = None
_START_ERROR: str | None = None


def start_worker(kernel_name: str, cwd: str, timeout: int) -> None:
    """Start this process's worker (an executor's initializer); it is closed when the process ends.

    A kernel that cannot start is not raised here (that would break the whole pool): every job
    this process takes then fails with the reason.
    """
    global _WORKER, _START_ERROR
    from multiprocessing import util

    if _WORKER is not None:
        return
    try:
        _WORKER = Worker(kernel_name, cwd, timeout)
    except Exception as exc:  # pragma: no cover - e.g. no kernel installed
        _START_ERROR = f"could not start a Jupyter kernel: {type(exc).__name__}: {exc}"
        return
    util.Finalize(_WORKER, _WORKER.close, exitpriority=10)


def run_job(job: Job) -> JobResult:
    """Make one report with this process's worker (see :func:`start_worker`)."""
    if _WORKER is None:
        raise ReportError(_START_ERROR or "the worker was not started")
    return _WORKER.execute(job)
