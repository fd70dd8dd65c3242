"""A run's start: the workers get ready while the data are read, and a run that stops early leaves
nothing running; a Dask scheduler is reached before any data are read."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import psutil
import pytest

from toolkit.run import dask_executor
from toolkit.run.executor import LocalExecutor
from toolkit.run.runner import EXIT_FAILED, EXIT_USAGE, RunRequest, run


def _descendants() -> list[psutil.Process]:
    """This process's descendants but multiprocessing's resource tracker (it lives as long as we do)."""
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            if p.is_running() and "resource_tracker" not in _command(p):
                found.append(p)
        except psutil.Error:
            continue
    return found


def _command(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def _status(p: psutil.Process) -> str:
    try:
        return str(p.status())
    except psutil.Error:
        return psutil.STATUS_ZOMBIE


def _settled(timeout: float = 10) -> list[psutil.Process]:
    """This process's descendants once those that are ending have ended."""
    deadline = time.monotonic() + timeout
    alive = _descendants()
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [p for p in _descendants() if _status(p) != psutil.STATUS_ZOMBIE]
    return alive


@pytest.mark.slow
def test_a_started_pool_that_gets_no_jobs_is_stopped_with_its_kernels(tmp_path: Path) -> None:
    before = {p.pid for p in _descendants()}
    executor = LocalExecutor(2, cwd=str(tmp_path), timeout=60, temp_dir=tmp_path)
    with executor:
        executor.start()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:  # both workers up, each with its kernel
            kids = [p for p in _descendants() if p.pid not in before]
            if sum("ipykernel" in _command(p) for p in kids) >= 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail("the workers did not start their kernels")
    assert [p for p in _settled() if p.pid not in before] == []


@pytest.mark.slow
def test_a_run_that_stops_at_the_data_leaves_no_worker_or_kernel(data_copy: Path, tmp_path: Path) -> None:
    """The workers start before the data are read; a run the data stop kills them, and writes nothing."""
    before = {p.pid for p in _descendants()}
    units = (data_copy / "units.csv").read_text(encoding="utf-8")
    (data_copy / "units.csv").write_text(units + units.splitlines()[1] + "\n", encoding="utf-8")  # a twin key
    out = tmp_path / "out"
    summary = run(
        RunRequest(notebooks=["kpi"], units=["FS-LUN"], data_dir=data_copy, out_dir=out, progress=False),
        echo=lambda s: None,
    )
    assert summary.exit_code == EXIT_FAILED and "units" in (summary.message or "")
    assert [p for p in _settled() if p.pid not in before] == []
    assert not out.exists()


def test_an_unreachable_scheduler_is_found_before_the_data_are_read(
    tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2)
    opened: list[object] = []
    import toolkit.run.runner as runner

    real_open = runner.open_tables
    monkeypatch.setattr(runner, "open_tables", lambda *a, **k: opened.append(a) or real_open(*a, **k))
    lines: list[str] = []
    summary = run(
        RunRequest(
            notebooks=["kpi"],
            units=["FS-LUN"],
            data_dir=sample_dir,
            out_dir=tmp_path / "out",
            progress=False,
            scheduler="tcp://127.0.0.1:9",
        ),
        echo=lines.append,
    )
    assert summary.exit_code == EXIT_USAGE
    assert opened == [] and not any("staging" in line for line in lines)
    assert not (tmp_path / "out").exists()


def _printed_by_fresh_python(code: str) -> str:
    """What ``code`` prints in a new interpreter (what a run's fresh process has imported)."""
    import subprocess

    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return shown.stdout.strip()


def test_no_run_process_loads_the_slow_optional_format_checker() -> None:
    """nbformat (and so jsonschema) works in a run's processes without ``rfc3987_syntax``."""
    code = (
        "import sys, toolkit.run, nbformat; "
        "nb = nbformat.v4.new_notebook(); nbformat.validate(nb); "
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is not None)"
    )
    assert _printed_by_fresh_python(code) == "False"


def test_a_worker_process_imports_no_data_library_before_its_kernel_starts() -> None:
    """A spawned worker imports its module to start; the kernel is launched right after, so
    pandas and pandera (the kernel's own imports, and the exporter's) are not in the way."""
    code = (
        "import sys, toolkit.run.worker; "
        "print(sorted(m for m in ('pandas', 'pandera', 'papermill', 'nbconvert') if m in sys.modules))"
    )
    assert _printed_by_fresh_python(code) == "[]"


def test_the_sweep_removes_stale_kernel_and_old_staging_folders_only(tmp_path: Path) -> None:
    """Kernel folders of dead (Dask) workers and old versions' staging folders go; live or young ones stay."""
    import os
    import subprocess

    from toolkit.run import tempdir

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)  # a process that has ended
    old = time.time() - 2 * tempdir.YOUNG

    def folder(name: str, inner: str | None, *, aged: bool) -> Path:
        path = tmp_path / name
        path.mkdir()
        if inner:
            (path / inner).mkdir()
        if aged:
            os.utime(path, (old, old))
        return path

    stale_kernel = folder("toolkit-kernel-aaaa", f"w{dead_pid}", aged=True)
    live_kernel = folder("toolkit-kernel-bbbb", f"w{os.getpid()}", aged=True)
    young_kernel = folder("toolkit-kernel-cccc", f"w{dead_pid}", aged=False)
    old_stage = folder("toolkit-stage-dddd", None, aged=True)
    young_stage = folder("toolkit-stage-eeee", None, aged=False)
    other = folder("toolkit-other-ffff", None, aged=True)
    assert sorted(tempdir.sweep(tmp_path)) == [stale_kernel, old_stage]
    assert all(p.is_dir() for p in (live_kernel, young_kernel, young_stage, other))


def test_the_toolkit_command_launches_a_run_before_the_heavy_imports() -> None:
    """``toolkit run`` starts the workers (launch) before it imports the runner, the data layer
    or the delivery code: what it has imported by then is light."""
    code = (
        "import sys, toolkit.run.cli, toolkit.run.launch; "
        "print(sorted(m for m in ('pandas', 'pandera', 'toolkit.run.runner', 'toolkit.delivery.recipients', "
        "'toolkit.data.sources') if m in sys.modules))"
    )
    assert _printed_by_fresh_python(code) == "[]"


def test_validating_does_not_import_dask() -> None:
    """pandera would import dask.dataframe (about 1 s) to build a schema; the toolkit's are pandas only."""
    code = (
        "import sys; from toolkit.data.schemas import TABLES; "
        "[s.to_schema() for s in TABLES.values()]; "
        "print('dask.dataframe' in sys.modules)"
    )
    assert _printed_by_fresh_python(code) == "False"


@pytest.mark.slow
def test_a_kernel_prints_nothing_into_the_runs_output(tmp_path: Path) -> None:
    """A kernel started without a parent to watch prints a console note; it does not reach the log."""
    import subprocess

    code = (
        "import sys; from pathlib import Path; from toolkit.run.executor import LocalExecutor; "
        f"ex = LocalExecutor(1, cwd={str(tmp_path)!r}, timeout=60, temp_dir=Path({str(tmp_path)!r})); "
        "from toolkit.run.worker import ready; "
        "ex.start(); ex._warm.submit(ready).result(timeout=240); ex.close()"  # the kernel is up
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "Ctrl-C will not work" not in shown.stdout + shown.stderr
    assert "--existing" not in shown.stdout + shown.stderr


def test_the_toolkit_command_ends_with_its_exit_status_and_all_its_output() -> None:
    """The console script skips the interpreter's teardown, not the exit status or any output."""
    import subprocess

    def toolkit(*args: str) -> subprocess.CompletedProcess[str]:
        code = f"import sys; sys.argv = ['toolkit', *{list(args)!r}]; from toolkit.run.cli import console; console()"
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)

    listed = toolkit("list")
    assert listed.returncode == 0 and "kpi" in listed.stdout, listed.stderr
    refused = toolkit("run", "kpi")  # neither --unit nor --all-units
    assert refused.returncode == 2
    assert "name the units with --unit" in refused.stderr
