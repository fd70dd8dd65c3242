"""The report runner: every notebook for every unit, in parallel, with papermill.

``toolkit run`` (see :mod:`toolkit.cli`) calls :func:`run`. The steps:

1. check the request: notebooks exist and accept the given parameters (papermill itself only
   warns on an unknown parameter), unit ids are safe and known, the month is in the data, and
   every unit's parameter files are valid — a mistake here is a usage error (exit 2);
2. stage the data (:mod:`toolkit.staging`): a structure problem, or a problem that concerns
   every unit, stops the run before anything is written (exit 1); a problem in one unit's
   rows fails only that unit;
3. execute the jobs in worker processes (no more than the cores). Each worker starts one
   Jupyter kernel and reuses it, resetting its namespace between reports, so kernel start-up
   and library imports are paid once per worker instead of once per report;
4. export each executed notebook to HTML (code hidden), write the tables (XLSX) and the
   headline KPIs (JSON) beside it through temporary files, after a privacy check that no
   person-level identifier of the unit appears in any of them;
5. write ``index.html`` and ``manifest.json`` for the period.

A failing report never stops the others; its executed notebook is kept as
``<notebook>.failed.ipynb`` for debugging and any older output of it is removed.
"""

from __future__ import annotations

import contextlib
import html
import json
import multiprocessing as mp
import os
import queue
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import nbformat

from toolkit import __version__
from toolkit.core import config
from toolkit.core.errors import DataValidationError, ParameterError, ToolkitError
from toolkit.core.periods import TIMEZONE, parse_period
from toolkit.data.hierarchy import ancestors, below, unit_info, units_at_level
from toolkit.data.params import Params, check_unit_id, load_params
from toolkit.data.sources import FolderSource

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
RUNNER_PARAMETERS = ("unit", "period", "data_dir", "params_dir", "language", "interactive")
RESET_SOURCE = "get_ipython().run_line_magic('reset', '-f')"


# --------------------------------------------------------------------------- requests and results


@dataclass(frozen=True)
class NotebookInfo:
    """A report notebook: its name, path, the unit levels it runs for and its parameters."""

    name: str
    path: Path
    levels: tuple[str, ...]
    parameters: tuple[str, ...]
    title: dict[str, str]


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
    extra: dict[str, Any] = field(default_factory=dict)
    timeout: int = 600
    progress: bool | None = None
    argv: Sequence[str] = ()


@dataclass(frozen=True)
class Job:
    """One report to make."""

    notebook: str
    notebook_path: str
    unit: str
    parameters: dict[str, Any]
    out_dir: str
    person_keys_files: tuple[str, ...]


@dataclass
class JobResult:
    """The outcome of one report, as recorded in the manifest."""

    notebook: str
    unit: str
    status: str
    seconds: float
    html: str | None = None
    xlsx: str | None = None
    json: str | None = None
    error: str | None = None
    failed_notebook: str | None = None


@dataclass
class RunSummary:
    """What :func:`run` did."""

    exit_code: int
    period: str | None = None
    results: list[JobResult] = field(default_factory=list)
    manifest: Path | None = None
    message: str | None = None


# --------------------------------------------------------------------------- notebooks


def list_notebooks(notebooks_dir: Path) -> dict[str, NotebookInfo]:
    """The report notebooks in ``notebooks_dir`` (those with ``toolkit`` metadata)."""
    import papermill as pm

    found = {}
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get("toolkit")
        if not meta:
            continue
        params = tuple(pm.inspect_notebook(str(path)).keys())
        found[path.stem] = NotebookInfo(
            name=path.stem,
            path=path,
            levels=tuple(meta.get("levels", ["department"])),
            parameters=params,
            title=dict(meta.get("title", {})),
        )
    return found


def _resolve_notebooks(req: RunRequest) -> list[NotebookInfo]:
    available = list_notebooks(req.notebooks_dir)
    if not available:
        raise ParameterError(f"no report notebooks in {req.notebooks_dir}")
    names = list(req.notebooks) or list(available)
    chosen = []
    for name in names:
        stem = Path(name).stem if name.endswith(".ipynb") else name
        if stem not in available:
            raise ParameterError(f"unknown notebook {name!r}; choose from: {', '.join(available)}")
        info = available[stem]
        missing = [p for p in RUNNER_PARAMETERS if p not in info.parameters]
        if missing:
            raise ParameterError(f"notebook {stem!r} lacks the parameters {', '.join(missing)}")
        unknown = [k for k in req.extra if k not in info.parameters or k in RUNNER_PARAMETERS]
        if unknown:
            allowed = [p for p in info.parameters if p not in RUNNER_PARAMETERS]
            raise ParameterError(
                f"notebook {stem!r} has no parameter {', '.join(map(repr, unknown))}"
                + (f"; its own parameters are: {', '.join(allowed)}" if allowed else "")
                + " (unit, period, language, data and params folders have their own options)"
            )
        chosen.append(info)
    return chosen


# --------------------------------------------------------------------------- worker


def _clean_error(ename: str, evalue: str) -> str:
    text = re.sub(r"\x1b\[[0-9;]*m", "", evalue or "").strip()
    return text if _is_toolkit_error(ename) else f"{ename}: {text}"


def _is_toolkit_error(ename: str) -> bool:
    return ename in {
        "ToolkitError",
        "ParameterError",
        "DataValidationError",
        "DataStructureError",
        "ReportError",
    }


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[\w-]+", text))


def _leaked_keys(texts: Sequence[str], keys: set[str]) -> set[str]:
    if not keys:
        return set()
    found: set[str] = set()
    for text in texts:
        found |= keys & _tokens(text)
    return found


def _workbook_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    parts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


class Worker:
    """Executes jobs in one warm kernel (used inside a worker process)."""

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
            self._run_sync(kc.execute_interactive)(
                "import toolkit.analyses, toolkit.report, toolkit.notebook; toolkit.analyses.load_all()",
                timeout=300,
                output_hook=lambda msg: None,
            )
        finally:
            kc.stop_channels()

    def _restart(self) -> None:
        with contextlib.suppress(Exception):  # a dead kernel may not shut down cleanly
            self._run_sync(self.km.shutdown_kernel)(now=True)
        self._start()

    def close(self) -> None:
        """Shut the kernel down."""
        with contextlib.suppress(Exception):
            self._run_sync(self.km.shutdown_kernel)(now=True)
        if self._socket_dir is not None:
            shutil.rmtree(self._socket_dir, ignore_errors=True)

    def execute(self, job: Job) -> JobResult:
        """Run one job: execute, export, check, write."""
        import papermill as pm

        from toolkit.report import export

        start = time.perf_counter()
        out = Path(job.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        html_path = out / f"{job.notebook}.html"
        xlsx_path = out / f"{job.notebook}.xlsx"
        json_path = out / f"{job.notebook}.json"
        failed_path = out / f"{job.notebook}.failed.ipynb"
        fd, executing = tempfile.mkstemp(dir=out, prefix=f".{job.notebook}.", suffix=".ipynb")
        os.close(fd)
        result = JobResult(job.notebook, job.unit, "failed", 0.0)
        try:
            if not self._run_sync(self.km.is_alive)():
                self._restart()
            nb = nbformat.read(job.notebook_path, as_version=4)
            reset = nbformat.v4.new_code_cell(RESET_SOURCE, metadata={"tags": ["toolkit-reset"]})
            reset["id"] = "toolkit-reset"
            nb.cells.insert(0, reset)
            try:
                executed = pm.execute_notebook(
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
                result.error = _clean_error(exc.ename, exc.evalue)
                return result
            except Exception as exc:  # kernel died, timed out, ...
                result.error = f"{type(exc).__name__}: {exc}".strip()
                self._restart()
                return result
            artifacts = export.find_artifacts(executed)
            if artifacts is None:
                result.error = "the notebook did not finish its report (Report.finish() was not called)"
                return result
            body, _ = self.exporter.from_notebook_node(executed)
            keys = set().union(*(export_keys(f) for f in job.person_keys_files))
            tmp_dir = Path(tempfile.mkdtemp(dir=out, prefix=f".{job.notebook}.out."))
            try:
                tmp_xlsx = tmp_dir / xlsx_path.name
                export.write_workbook(tmp_xlsx, artifacts)
                leaked = _leaked_keys(
                    [body, json.dumps(artifacts, ensure_ascii=False), _workbook_text(tmp_xlsx)], keys
                )
                if leaked:
                    result.error = (
                        f"privacy check failed: the report contains {len(leaked)} person-level identifier(s) "
                        "from the input; nothing was written"
                    )
                    return result
                export.write_text(html_path, body)
                os.replace(tmp_xlsx, xlsx_path)
                export.write_kpis(json_path, artifacts)
            finally:
                shutil.rmtree(tmp_dir, ignore_errors=True)
            result.status = "ok"
            result.html, result.xlsx, result.json = html_path.name, xlsx_path.name, json_path.name
            return result
        except Exception as exc:  # a bug in the runner or exporter: record it, keep going
            result.error = f"{type(exc).__name__}: {exc}"
            traceback.print_exc(file=sys.stderr)
            return result
        finally:
            result.seconds = round(time.perf_counter() - start, 3)
            executed_path = Path(executing)
            if result.status == "ok":
                executed_path.unlink(missing_ok=True)
                failed_path.unlink(missing_ok=True)
            else:
                for stale in (html_path, xlsx_path, json_path):
                    stale.unlink(missing_ok=True)
                if executed_path.exists() and executed_path.stat().st_size > 0:
                    os.replace(executed_path, failed_path)
                    result.failed_notebook = failed_path.name
                else:
                    executed_path.unlink(missing_ok=True)


def export_keys(path: str | None) -> set[str]:
    """Person keys listed in a staged ``person_keys`` file."""
    if not path or not Path(path).is_file():
        return set()
    return {line for line in Path(path).read_text(encoding="utf-8").splitlines() if line}


def _worker_main(jobs: Any, results: Any, kernel_name: str, cwd: str, timeout: int) -> None:
    try:
        worker = Worker(kernel_name, cwd, timeout)
    except Exception as exc:  # pragma: no cover - e.g. no kernel installed
        results.put(("fatal", f"could not start a Jupyter kernel: {type(exc).__name__}: {exc}"))
        return
    try:
        while True:
            job = jobs.get()
            if job is None:
                break
            results.put(("result", asdict(worker.execute(job))))
    finally:
        worker.close()


# --------------------------------------------------------------------------- run


def _progress(enabled: bool | None) -> bool:
    return sys.stderr.isatty() if enabled is None else enabled


def run(req: RunRequest, *, echo: Callable[[str], None] | None = None) -> RunSummary:
    """Make the requested reports (see the module docstring); never raises for user mistakes."""
    say = echo or (lambda text: print(text, file=sys.stderr))  # noqa: T201
    try:
        return _run(req, say)
    except ParameterError as exc:
        say(f"error: {exc}")
        return RunSummary(EXIT_USAGE, message=str(exc))
    except DataValidationError as exc:
        say(f"error: {exc}\nNothing was written.")
        return RunSummary(EXIT_FAILED, message=str(exc))


def _run(req: RunRequest, say: Callable[[str], None]) -> RunSummary:
    from toolkit import analyses
    from toolkit.run import staging

    analyses.load_all()
    started = datetime.now(TIMEZONE)
    t0 = time.perf_counter()
    notebooks = _resolve_notebooks(req)
    if req.units and req.all_units:
        raise ParameterError("give either --unit or --all-units, not both")
    if not req.units and not req.all_units:
        raise ParameterError("name the units with --unit ID (repeatable) or use --all-units")
    for u in req.units:
        check_unit_id(u)
    if req.period is not None:
        parse_period(req.period)
    folder = FolderSource(req.data_dir)
    structure = folder.check_structure()
    if structure:
        raise DataValidationError(structure)
    units = folder.units()
    available = folder.periods()
    period = str(parse_period(req.period)) if req.period else folder.latest_period()
    if period not in available:
        span = f"{available[0]} … {available[-1]}" if available else "no months"
        raise ParameterError(f"`period` {period} is not in the data; the data cover {span}")
    # Jobs: (notebook, unit) pairs.
    pairs: list[tuple[NotebookInfo, str]] = []
    for nb in notebooks:
        if req.all_units:
            for level in nb.levels:
                pairs += [(nb, u) for u in units_at_level(units, level)]
        else:
            for u in req.units:
                info = unit_info(units, u)
                if info.level in nb.levels:
                    pairs.append((nb, u))
                elif req.notebooks:  # named explicitly: say why it cannot run
                    raise ParameterError(
                        f"notebook {nb.name!r} runs for {' and '.join(nb.levels)} units; "
                        f"{u} is a {info.level}"
                    )
    if not pairs:
        raise ParameterError("there is nothing to run: no units at the notebooks' levels")
    params_cache: dict[str, Params] = {}

    def params_for(uid: str) -> Params:
        if uid not in params_cache:
            params_cache[uid] = load_params(
                req.params_dir, uid, ancestors=ancestors(units, uid), overrides={"language": req.language}
            )
        return params_cache[uid]

    for _, u in pairs:
        params_for(u)
    run_units = sorted({u for _, u in pairs})
    # Comparison aggregates for the siblings of every unit in the run.
    from toolkit.data.hierarchy import siblings

    agg_units = sorted({s for u in run_units for s in siblings(units, u)})
    stage_dir = Path(tempfile.mkdtemp(prefix="toolkit-stage-"))
    try:
        say(f"Validating and staging {req.data_dir} for {period} …")
        staged = staging.stage(
            folder,
            stage_dir,
            period=period,
            aggregate_units=agg_units,
            params_for=params_for,
            notebooks=sorted({nb.name for nb, _ in pairs}),
        )
        period_dir = req.out_dir / period
        period_dir.mkdir(parents=True, exist_ok=True)
        results: list[JobResult] = []
        jobs: list[Job] = []
        for nb, u in pairs:
            out_dir = period_dir / u
            if u in staged.failed:
                msg = "input data failed validation: " + "; ".join(staged.failed[u])
                results.append(JobResult(nb.name, u, "failed", 0.0, error=msg))
                for suffix in (".html", ".xlsx", ".json"):
                    (out_dir / f"{nb.name}{suffix}").unlink(missing_ok=True)
                continue
            params = {
                "unit": u,
                "period": period,
                "data_dir": str(staged.root),
                "params_dir": str(Path(req.params_dir).resolve()),
                "language": req.language,
                "interactive": False,
                **req.extra,
            }
            # A centre's or hospital's report is checked against the keys of every unit below it.
            keys_files = tuple(str(stage_dir / "person_keys" / f"{k}.txt") for k in [u, *below(units, u)])
            jobs.append(Job(nb.name, str(nb.path), u, params, str(out_dir), keys_files))
        results += _execute(jobs, req, say)
    finally:
        shutil.rmtree(stage_dir, ignore_errors=True)
    finished = datetime.now(TIMEZONE)
    order = {(nb.name, u): i for i, (nb, u) in enumerate(pairs)}
    results.sort(key=lambda r: order.get((r.notebook, r.unit), 0))
    manifest = _write_manifest(
        req, period_dir, period, folder, results, params_cache, started, finished, t0, notebooks
    )
    _write_index(period_dir, period, results, units, notebooks, params_for(run_units[0]).language)
    failed = [r for r in results if r.status != "ok"]
    say(
        f"{len(results) - len(failed)} of {len(results)} reports ok in {time.perf_counter() - t0:.1f} s; "
        f"index: {period_dir / 'index.html'}"
    )
    for r in failed:
        say(f"FAILED {r.notebook} {r.unit}: {r.error}")
    return RunSummary(EXIT_FAILED if failed else EXIT_OK, period, results, manifest)


def _execute(jobs: list[Job], req: RunRequest, say: Callable[[str], None]) -> list[JobResult]:
    if not jobs:
        return []
    cores = os.cpu_count() or 1
    n_workers = max(1, min(req.jobs or cores, cores, len(jobs)))
    ctx = mp.get_context("spawn")
    job_q: Any = ctx.Queue()
    result_q: Any = ctx.Queue()
    for job in jobs:
        job_q.put(job)
    for _ in range(n_workers):
        job_q.put(None)
    procs = [
        ctx.Process(
            target=_worker_main,
            args=(job_q, result_q, "python3", str(req.notebooks_dir), req.timeout),
            daemon=True,
        )
        for _ in range(n_workers)
    ]
    for p in procs:
        p.start()
    results: list[JobResult] = []
    progress = _progress(req.progress)
    bar = None
    task = None
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
        task = bar.add_task("", total=len(jobs))
    else:
        say(f"Running {len(jobs)} report(s) in {n_workers} worker(s) …")
    fatal: str | None = None
    try:
        while len(results) < len(jobs):
            try:
                kind, payload = result_q.get(timeout=5)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):
                    fatal = fatal or "a worker process stopped unexpectedly"
                    break
                continue
            if kind == "fatal":
                fatal = payload
                if not any(p.is_alive() for p in procs):
                    break
                continue
            res = JobResult(**payload)
            results.append(res)
            line = f"{res.status:6} {res.notebook} {res.unit} ({res.seconds:.1f} s)"
            if bar is not None and task is not None:
                bar.update(task, advance=1, description=line)
            else:
                say(f"[{len(results)}/{len(jobs)}] {line}")
    finally:
        if bar is not None:
            bar.stop()
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():  # pragma: no cover
                p.terminate()
    done = {(r.notebook, r.unit) for r in results}
    for job in jobs:
        if (job.notebook, job.unit) not in done:
            results.append(JobResult(job.notebook, job.unit, "failed", 0.0, error=fatal or "not run"))
    return results


# --------------------------------------------------------------------------- manifest and index


def _relative(path: Path, base: Path) -> str:
    return path.relative_to(base).as_posix()


def _write_manifest(
    req: RunRequest,
    period_dir: Path,
    period: str,
    folder: FolderSource,
    results: list[JobResult],
    params: dict[str, Params],
    started: datetime,
    finished: datetime,
    t0: float,
    notebooks: list[NotebookInfo],
) -> Path:
    from toolkit.core.files import write_text

    runs = []
    for r in results:
        runs.append(
            {
                "notebook": r.notebook,
                "unit": r.unit,
                "status": r.status,
                "seconds": r.seconds,
                "html": f"{r.unit}/{r.html}" if r.html else None,
                "xlsx": f"{r.unit}/{r.xlsx}" if r.xlsx else None,
                "json": f"{r.unit}/{r.json}" if r.json else None,
                "error": r.error,
                "failed_notebook": f"{r.unit}/{r.failed_notebook}" if r.failed_notebook else None,
                "parameters": params[r.unit].model_dump() if r.unit in params else None,
            }
        )
    doc = {
        "toolkit_version": __version__,
        "period": period,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 3),
        "command": list(req.argv),
        "notebooks": [nb.name for nb in notebooks],
        "parameters": {"language": req.language, "extra": req.extra, "params_dir": str(req.params_dir)},
        "data": {
            "dir": str(req.data_dir),
            "sha256": folder.fingerprint(),
            "as_of": folder.as_of().isoformat(),
        },
        "summary": {
            "ok": sum(r.status == "ok" for r in results),
            "failed": sum(r.status != "ok" for r in results),
        },
        "runs": runs,
    }
    path = period_dir / "manifest.json"
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return path


def _write_index(
    period_dir: Path,
    period: str,
    results: list[JobResult],
    units: Any,
    notebooks: list[NotebookInfo],
    lang: str,
) -> None:
    from toolkit.core.files import write_text
    from toolkit.core.formatting import fmt_month
    from toolkit.report.assets import report_css

    names = dict(zip(units["unit_id"], units["name"], strict=True))
    levels = dict(zip(units["unit_id"], units["level"], strict=True))
    rank = {"hospital": 0, "centre": 1, "department": 2}
    da = lang == "da"
    done = {(r.unit, r.notebook): r for r in results}
    columns = [nb for nb in notebooks if any(r.notebook == nb.name for r in results)]
    order = sorted({r.unit for r in results}, key=lambda u: (rank.get(levels.get(u, ""), 9), names.get(u, u)))

    def cell(r: JobResult | None) -> str:
        if r is None:
            return "<td class='txt muted'>–</td>"
        unit = html.escape(r.unit)
        if r.status == "ok" and r.html:
            return (
                f"<td class='txt links'><span class='dot status-green'></span>"
                f'<a href="{unit}/{html.escape(r.html)}">{"Åbn" if da else "Open"}</a>'
                f' · <a href="{unit}/{html.escape(r.xlsx or "")}">XLSX</a>'
                f' · <a href="{unit}/{html.escape(r.json or "")}">JSON</a></td>'
            )
        return (
            f"<td class='txt'><span class='dot status-red'></span>{'fejlet' if da else 'failed'}"
            f"<div class='note'>{html.escape(r.error or '')}</div></td>"
        )

    rows = [
        f"<tr><td class='txt'>{html.escape(names.get(u, u))} <code>{html.escape(u)}</code></td>"
        + "".join(cell(done.get((u, nb.name))) for nb in columns)
        + "</tr>"
        for u in order
    ]
    ok = sum(r.status == "ok" for r in results)
    failed = len(results) - ok
    heading = ("Rapporter for " if da else "Reports for ") + fmt_month(period, lang)  # type: ignore[arg-type]
    summary = (
        f"{ok} af {len(results)} rapporter er dannet" + (f", {failed} fejlede" if failed else "")
        if da
        else f"{ok} of {len(results)} reports made" + (f", {failed} failed" if failed else "")
    )
    head = (
        "<th>"
        + ("Enhed" if da else "Unit")
        + "</th>"
        + "".join(f"<th>{html.escape(nb.title.get(lang, nb.name))}</th>" for nb in columns)
    )
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(heading)}</title>'
        f"<style>{report_css()} .tk td.muted {{ color: var(--tk-muted); }} .tk td code, .tk td.links {{ white-space: nowrap; }}</style></head>"
        f"<body class='tk-page'><main class='report tk'><h1>{html.escape(heading)}</h1>"
        f"<p>{summary} · toolkit {__version__}</p>"
        f"<div class='table-wrap'><table class='tbl'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
        "</main></body></html>"
    )
    write_text(period_dir / "index.html", page)


__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "JobResult",
    "RunRequest",
    "RunSummary",
    "ToolkitError",
    "run",
]
