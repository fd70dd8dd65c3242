"""Reports on a Dask cluster (``toolkit run --scheduler``): the same reports, manifest and index as a
local run, a failing report fails alone, an unreachable scheduler is one message; a killed Dask
worker leaves no kernel, its report fails with a reason and the others are made; a worker that
cannot see the run's folders is one line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
from tiny_notebooks import write_tiny_notebook

from toolkit.core import config
from toolkit.core.errors import ParameterError
from toolkit.run import dask_executor, kernel_watch
from toolkit.run.cli import main
from toolkit.run.executor import WORKER_STOPPED
from toolkit.run.jobs import Job
from toolkit.run.runner import EXIT_FAILED, EXIT_USAGE, RunRequest, run

PERIOD = "2026-10"


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
    ) as c:
        yield c


@pytest.mark.slow
def test_a_run_on_the_cluster_makes_the_same_reports_and_a_failure_stays_alone(
    cluster, tmp_path: Path, sample_dir: Path, sample_run
) -> None:
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = nbformat.read(config.NOTEBOOKS_DIR / "kpi.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("if unit == 'FS-KAR':\n    raise RuntimeError('boom')"))
    nbformat.write(nb, notebooks / "kpi.ipynb")
    out = tmp_path / "out"
    messages: list[str] = []
    summary = run(
        RunRequest(
            units=["FS-LUN", "FS-KAR", "FS-GER"],
            data_dir=sample_dir,
            out_dir=out,
            notebooks_dir=notebooks,
            progress=False,
            scheduler=cluster.scheduler_address,
        ),
        echo=messages.append,
    )
    assert summary.exit_code == EXIT_FAILED
    status = {r.unit: (r.status, r.error) for r in summary.results}
    assert status == {
        "FS-LUN": ("ok", None),
        "FS-GER": ("ok", None),
        "FS-KAR": ("failed", "RuntimeError: boom"),
    }
    assert "in 2 worker(s)" in "\n".join(messages)
    period_dir = out / summary.period
    manifest = json.loads((period_dir / "manifest.json").read_text())
    assert sorted((r["unit"], r["status"]) for r in manifest["runs"]) == [
        ("FS-GER", "ok"),
        ("FS-KAR", "failed"),
        ("FS-LUN", "ok"),
    ]
    assert (period_dir / "index.html").is_file()
    assert not (period_dir / "FS-KAR" / "kpi.html").exists()
    # The same figures as the local run of the same notebook.
    local_summary, local_out = sample_run
    for unit in ("FS-LUN", "FS-GER"):
        here = json.loads((period_dir / unit / "kpi.json").read_text())["kpis"]
        there = json.loads((local_out / local_summary.period / unit / "kpi.json").read_text())["kpis"]
        assert here == there, unit


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_message_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(dask_executor, "CONNECT_TIMEOUT", 2)
    code = main(
        ["run", "kpi", "--unit", "FS-LUN", "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert code == EXIT_USAGE
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert len(err) == 1 and "cannot reach the Dask scheduler" in err[0] and "tcp://127.0.0.1:9" in err[0]
    assert not list((tmp_path / "o").rglob("*.html"))


# --------------------------------------------------------------------------- a kernel ends with its worker


def test_a_kernel_kills_its_process_group_when_its_worker_is_killed(tmp_path: Path) -> None:
    """A stand-in worker starts a stand-in kernel in a session of its own (as jupyter_client does);
    the kernel watches the worker and starts a child of its own; ``kill -9`` of the worker ends both."""
    pids = tmp_path / "pids"
    kernel = (
        "import os, subprocess, sys, time\n"
        "from toolkit.run.kernel_watch import watch_worker\n"
        "watch_worker(os.getppid(), interval=0.1)\n"
        "child = subprocess.Popen(['sleep', '120'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(120)\n"
    )
    worker = (
        "import subprocess, sys, time\n"
        f"subprocess.Popen([sys.executable, '-c', {kernel!r}], start_new_session=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", worker])
    try:
        deadline = time.monotonic() + 30
        while not (pids.is_file() and len(pids.read_text().split()) == 2):
            assert time.monotonic() < deadline, "the stand-in kernel did not start"
            time.sleep(0.1)
        family = [psutil.Process(int(pid)) for pid in pids.read_text().split()]
        time.sleep(0.5)
        assert all(p.is_running() for p in family)  # the watch leaves a kernel whose worker runs
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        _, alive = psutil.wait_procs(family, timeout=10)
        assert alive == []
    finally:
        proc.kill()


def test_the_watch_tells_a_gone_worker_by_its_pid_when_it_is_not_the_parent() -> None:
    sleeper = subprocess.Popen(["sleep", "60"])
    assert not kernel_watch.worker_gone(sleeper.pid, direct=False)
    sleeper.kill()
    sleeper.wait()
    assert kernel_watch.worker_gone(sleeper.pid, direct=False)
    assert not kernel_watch.worker_gone(os.getppid(), direct=True)
    assert kernel_watch.worker_gone(os.getpid(), direct=True)  # this process is not its own parent


# --------------------------------------------------------------------------- running-job notes, shared paths


def _job(notebook: Path, out: Path, unit: str, **params: object) -> Job:
    return Job("slow", str(notebook), unit, {"unit": unit, "period": PERIOD, **params}, str(out / unit), ())


def test_a_job_noted_by_a_worker_that_never_finished_is_not_made_again(tmp_path: Path) -> None:
    job = _job(tmp_path / "slow.ipynb", tmp_path, "FS-LUN")
    first = dask_executor.claim(tmp_path, job)
    assert first is not None and first.read_text() == "slow FS-LUN"
    assert dask_executor.claim(tmp_path, job) is None  # the worker that noted it died
    other = dask_executor.claim(tmp_path, _job(tmp_path / "slow.ipynb", tmp_path, "FS-KAR"))
    assert other is not None and other != first


def test_path_problems_name_what_cannot_be_read_or_written(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    readable = tmp_path / "staged"
    readable.mkdir()
    assert dask_executor.path_problems([str(readable)], [str(tmp_path / "new" / "2026-10")]) == []
    found = dask_executor.path_problems(
        [str(tmp_path / "gone")], [str(tmp_path / "file" / "2026-10"), "/proc/1/x"]
    )
    assert found[0] == f"cannot read {tmp_path / 'gone'}: it does not exist there"
    assert found[1] == f"cannot write in {tmp_path / 'file' / '2026-10'}: {tmp_path / 'file'} is not a folder"
    assert found[2].startswith("cannot write in /proc/1/x: ")
    assert len(found) == 3


@pytest.mark.slow
def test_check_paths_is_one_line_naming_the_worker_and_the_path(cluster, tmp_path: Path) -> None:
    executor = dask_executor.DaskExecutor(cluster.scheduler_address, cwd=str(tmp_path), timeout=60)
    try:
        executor.check_paths(read=[tmp_path], write=[tmp_path / "out" / PERIOD])  # all can: no error
        with pytest.raises(ParameterError) as info:
            executor.check_paths(read=[tmp_path, tmp_path / "staged"], write=[tmp_path / "out"])
        first = sorted(cluster.scheduler_info["workers"])[0]
        text = str(info.value)
        assert text.startswith(
            f"the Dask worker {first} cannot read {tmp_path / 'staged'}: it does not exist"
        )
        assert "(and 1 more)" in text and "\n" not in text  # the other worker cannot either
    finally:
        executor.close()


def slow_notebook(path: Path) -> Path:
    """A tiny report notebook; for the unit ``slow`` its kernel starts a child process, notes its parent
    (the worker), its own pid and the child's in ``marker`` and waits, the first time only.

    (ipykernel ends a kernel whose parent is gone, but not what the kernel started: the child is in
    the kernel's process group, which the kernel's watch kills.)"""
    return write_tiny_notebook(
        path,
        parameters='slow = ""\nmarker = ""',
        before=(
            "import os, subprocess, time\n"
            "if unit == slow and not os.path.exists(marker):\n"
            "    child = subprocess.Popen(['sleep', '300'])\n"
            "    with open(marker + '.tmp', 'w') as fh:\n"
            "        fh.write(f'{os.getppid()} {os.getpid()} {child.pid}')\n"
            "    os.replace(marker + '.tmp', marker)\n"
            "    time.sleep(300)\n"
            "time.sleep(0.5)\n"
        ),
    )


def _kill_when_noted(marker: Path, killed: dict[str, int]) -> threading.Thread:
    """In the background: once the slow job's kernel noted itself, ``kill -9`` its Dask worker."""

    def kill() -> None:
        deadline = time.monotonic() + 400
        while not marker.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        if marker.is_file():
            worker_pid, kernel_pid, child_pid = (int(x) for x in marker.read_text().split())
            killed.update(worker=worker_pid, kernel=kernel_pid, child=child_pid)
            os.kill(worker_pid, signal.SIGKILL)

    thread = threading.Thread(target=kill, daemon=True)
    thread.start()
    return thread


def _gone(pid: int) -> bool:
    try:
        _, alive = psutil.wait_procs([psutil.Process(pid)], timeout=15)
    except psutil.NoSuchProcess:
        return True
    return not alive


@pytest.mark.slow
def test_a_killed_worker_fails_its_report_with_a_reason_leaves_no_kernel_and_the_others_are_made(
    cluster, tmp_path: Path
) -> None:
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)
    notebook = slow_notebook(tmp_path / "notebooks" / "slow.ipynb")
    marker = tmp_path / "marker"
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    out = tmp_path / "out"
    units = ["FS-LUN", "FS-KAR", "FS-GER", "FS-ORT", "FS-AKU"]
    jobs = [_job(notebook, out, u, slow="FS-LUN", marker=str(marker)) for u in units]
    killed: dict[str, int] = {}
    executor = dask_executor.DaskExecutor(
        cluster.scheduler_address, cwd=str(notebook.parent), timeout=600, temp_dir=run_dir
    )
    killer = _kill_when_noted(marker, killed)
    results = list(executor.run(jobs))
    killer.join(5)
    assert set(killed) == {"worker", "kernel", "child"}
    assert sorted(r.unit for r in results) == sorted(units)  # each once
    status = {r.unit: (r.status, r.error) for r in results}
    assert status.pop("FS-LUN") == ("failed", WORKER_STOPPED)  # noted, so not made again elsewhere
    assert set(status.values()) == {("ok", None)}
    assert _gone(killed["kernel"]) and _gone(killed["child"])  # nothing of the kernel outlived the worker
    assert not (out / "FS-LUN" / "slow.html").exists()
    assert all((out / u / "slow.html").is_file() for u in status)


@pytest.mark.slow
def test_a_run_whose_worker_is_killed_completes_and_no_kernel_survives(
    cluster, tmp_path: Path, sample_dir: Path
) -> None:
    from distributed import Client

    with Client(cluster.scheduler_address, set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)
    notebook = slow_notebook(tmp_path / "notebooks" / "slow.ipynb")
    marker = tmp_path / "marker"
    killed: dict[str, int] = {}
    killer = _kill_when_noted(marker, killed)
    summary = run(
        RunRequest(
            units=["FS-LUN", "FS-KAR", "FS-GER"],
            period=PERIOD,
            data_dir=sample_dir,
            out_dir=tmp_path / "out",
            notebooks_dir=notebook.parent,
            progress=False,
            scheduler=cluster.scheduler_address,
            extra={"slow": "FS-KAR", "marker": str(marker)},
        ),
        echo=lambda text: None,
    )
    killer.join(5)
    assert set(killed) == {"worker", "kernel", "child"}
    assert sorted(r.unit for r in summary.results) == ["FS-GER", "FS-KAR", "FS-LUN"]
    for r in summary.results:  # every report ok, or failed with its reason
        assert (r.status, r.error) == ("ok", None) or (r.status == "failed" and r.error), (r.unit, r.error)
    assert {r.unit for r in summary.results if r.status == "ok"} >= {"FS-GER", "FS-LUN"}
    assert _gone(killed["kernel"]) and _gone(killed["child"])
    manifest = json.loads((tmp_path / "out" / PERIOD / "manifest.json").read_text())
    assert sorted(r["unit"] for r in manifest["runs"]) == ["FS-GER", "FS-KAR", "FS-LUN"]
