"""Runs that clean up and cannot collide: temporary folder, lock, room to write, dying workers and kernels.

The fast tests call the pieces directly; the slow ones start real kernels on a tiny report
notebook (a parameters cell, a pause, a table), and the fault tests real ``toolkit run``
processes that are killed (SIGKILL, SIGTERM) or collide. TMPDIR and the reports tree are
listed before and after: nothing may be left behind.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import psutil
import pytest
from tiny_notebooks import write_tiny_notebook

from toolkit.core import config
from toolkit.run import tempdir, worker
from toolkit.run.executor import WORKER_STOPPED, LocalExecutor
from toolkit.run.jobs import Job, JobResult
from toolkit.run.lock import LOCK_NAME, PeriodLock, RunLockedError
from toolkit.run.runner import EXIT_USAGE, RunRequest, run

PERIOD = "2026-10"
UNITS = ("FS-KAR", "FS-LUN", "FS-GER")


# --------------------------------------------------------------------------- a tiny report notebook


def tiny_notebook(path: Path) -> Path:
    """A report notebook that takes a second or ``pause``: one table showing ``shown``.

    ``crash`` makes the unit's kernel die (``kill -9`` of itself) and ``fail`` raises the text.
    """
    return write_tiny_notebook(
        path,
        parameters='pause = 0\ncrash = ""\nfail = ""',
        before=(
            "import os, signal, time\n"
            "time.sleep(float(pause))\n"
            "if crash == unit:\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "if fail:\n"
            "    raise KeyError(fail)\n"
        ),
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder (``TOOLKIT_HOME``) whose only report notebook is the tiny one."""
    root = tmp_path_factory.mktemp("project")
    tiny_notebook(root / "notebooks" / "tiny.ipynb")
    shutil.copytree(config.PARAMS_DIR, root / "params")
    return root


@pytest.fixture
def scratch() -> Iterator[Path]:
    """A short, empty TMPDIR of the test's own (kernel sockets live below it)."""
    folder = Path(tempfile.mkdtemp(prefix="tk-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _files(root: Path) -> list[str]:
    return [p for p in _tree(root) if (root / p).is_file()]


# --------------------------------------------------------------------------- the temporary folder


def test_the_run_folder_is_private_and_removed(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with tempdir.RunTemp() as tmp:
        assert tmp.path.parent == scratch and tmp.path.name.startswith("toolkit-run-")
        assert tmp.path.stat().st_mode & 0o777 == 0o700
        pid, started = (tmp.path / "owner.pid").read_text().split()
        assert int(pid) == os.getpid() and abs(float(started) - psutil.Process().create_time()) < 1
        assert tempdir.owner_alive(tmp.path)
        (tmp.folder("stage") / "hr.parquet").write_bytes(b"x")
    assert list(scratch.iterdir()) == []


def test_a_stale_folder_is_swept_with_its_orphaned_kernel(scratch: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stale, alive, fresh = (scratch / f"toolkit-run-{n}" for n in ("stale0", "alive0", "fresh0"))
    for folder in (stale, alive, fresh):
        folder.mkdir()
    (stale / "owner.pid").write_text(f"{dead.stdout.strip()} 0")
    (alive / "owner.pid").write_text(f"{os.getpid()} {psutil.Process().create_time()}")
    # An orphaned "kernel": its command line names its connection file in the stale folder.
    kernel = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(60)", str(stale / "w1" / "kernel-1.json")]
    )
    try:
        assert tempdir.sweep(scratch) == [stale]
        assert kernel.wait(timeout=10) == -signal.SIGKILL
    finally:
        kernel.kill()
    assert sorted(p.name for p in scratch.iterdir()) == ["toolkit-run-alive0", "toolkit-run-fresh0"]


def test_a_folder_whose_pid_was_reused_is_stale(scratch: Path) -> None:
    folder = scratch / "toolkit-run-reused"
    folder.mkdir()
    (folder / "owner.pid").write_text(f"{os.getpid()} 12345.0")  # this pid, another start time
    assert not tempdir.owner_alive(folder)


# --------------------------------------------------------------------------- the lock and room to write


def test_a_second_lock_on_the_same_period_stops_with_the_holders_pid(tmp_path: Path) -> None:
    period_dir = tmp_path / "out" / PERIOD
    first = PeriodLock(period_dir)
    try:
        with pytest.raises(RunLockedError) as locked:
            PeriodLock(period_dir)
        assert str(locked.value) == (
            f"another toolkit run (pid {os.getpid()}) is writing {period_dir}; "
            "wait for it to finish, or run with --wait"
        )
        assert isinstance(locked.value, tempdir.RunEnvironmentError)  # exit 2
    finally:
        first.release(remove_created=True)
    assert not (tmp_path / "out").exists()  # a run that wrote nothing leaves nothing
    with PeriodLock(period_dir) as again:  # free again
        assert again.path.read_text() == str(os.getpid())
    assert (period_dir / LOCK_NAME).is_file()


def test_with_wait_a_second_run_waits_for_the_first(tmp_path: Path) -> None:
    import threading

    period_dir = tmp_path / "out" / PERIOD
    first = PeriodLock(period_dir)
    acquired: list[tuple[PeriodLock, float]] = []

    def second() -> None:
        lock = PeriodLock(period_dir, wait=True)
        acquired.append((lock, time.monotonic()))

    waiter = threading.Thread(target=second)
    waiter.start()
    time.sleep(0.5)
    assert waiter.is_alive() and acquired == []  # waiting, neither stopped nor through
    released = time.monotonic()
    first.release()
    waiter.join(timeout=10)
    [(lock, when)] = acquired
    assert when >= released and lock.path.read_text() == str(os.getpid())
    lock.release()


def test_unwritable_and_full_folders_are_one_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regular = tmp_path / "file"
    regular.write_text("x")
    with pytest.raises(tempdir.RunEnvironmentError, match=r"is not writable \(Not a directory\)"):
        PeriodLock(regular / "reports" / PERIOD)
    with pytest.raises(tempdir.RunEnvironmentError, match=r"is not writable \(Not a directory\)"):
        tempdir.check_writable(regular, "reports folder")
    monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(100, 100, 3 * tempdir.MB))
    with pytest.raises(tempdir.RunEnvironmentError) as full:
        tempdir.check_space(tmp_path, 5 * tempdir.MB + 1, "reports folder")
    assert str(full.value) == (
        f"not enough free space for the reports folder {tmp_path}: the run needs about 6 MB, 3 MB are free"
    )


def _request(project: Path, out: Path, sample_dir: Path, **kw: object) -> RunRequest:
    return RunRequest(
        notebooks=["tiny"],
        units=["FS-KAR"],
        data_dir=sample_dir,
        out_dir=out,
        params_dir=project / "params",
        notebooks_dir=project / "notebooks",
        progress=False,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("fault", ["out_under_a_file", "tmp_full", "staging_enospc"])
def test_no_room_to_write_is_exit_2_before_staging_and_leaves_nothing(
    project: Path,
    sample_dir: Path,
    tmp_path: Path,
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: str,
) -> None:
    from toolkit.run import staging

    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    out = tmp_path / "reports"
    expected = {
        "out_under_a_file": "is not writable (Not a directory)",
        "tmp_full": f"not enough free space for the temporary folder {scratch}/toolkit-run-",
        "staging_enospc": f"could not stage the data in the temporary folder {scratch} (No space left on device)",
    }[fault]
    if fault == "out_under_a_file":
        (tmp_path / "file").write_text("x")
        out = tmp_path / "file" / "reports"
    elif fault == "tmp_full":
        monkeypatch.setattr(shutil, "disk_usage", lambda p: shutil._ntuple_diskusage(100, 100, 1024))
    else:

        def full(*args: object, **kw: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(staging, "stage", full)
    before = _tree(tmp_path)
    messages: list[str] = []
    summary = run(_request(project, out, sample_dir), echo=messages.append)
    assert summary.exit_code == EXIT_USAGE
    *before_error, error = messages
    assert error.startswith("error: ") and expected in error and "\n" not in error, messages
    # Unwritable or full folders are found before staging; a disk that fills while staging stops it.
    assert before_error == (
        [] if fault != "staging_enospc" else [f"Validating and staging {sample_dir} for {PERIOD} …"]
    )
    assert list(scratch.iterdir()) == [] and _tree(tmp_path) == before


# --------------------------------------------------------------------------- a dying worker process


class _FakeWorker:
    """Stands in for a kernel: a report takes a moment; the unit ``DIE`` kills its process."""

    def execute(self, job: Job) -> JobResult:
        if job.unit == "DIE":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.3)
        return JobResult(job.notebook, job.unit, "ok", 0.3)


def _start_fake(temp_dir: str) -> None:
    signal.signal(signal.SIGTERM, worker._on_sigterm)
    worker._WORKER = _FakeWorker()  # type: ignore[assignment]
    (Path(temp_dir) / worker.RUNNING_DIR).mkdir(exist_ok=True)
    worker._RUNNING = Path(temp_dir) / worker.RUNNING_DIR / str(os.getpid())


class _ForkedExecutor(LocalExecutor):
    def pool(self):  # type: ignore[no-untyped-def]
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        self.clear_notes()
        return ProcessPoolExecutor(
            self.workers,
            mp_context=mp.get_context("fork"),
            initializer=_start_fake,
            initargs=(str(self.temp_dir),),
        )


def test_a_dead_worker_fails_its_job_once_and_the_others_are_made(tmp_path: Path) -> None:
    jobs = [Job("kpi", "kpi.ipynb", u, {}, str(tmp_path / u), ()) for u in ("A", "B", "DIE", "C", "D", "E")]
    executor = _ForkedExecutor(2, cwd=str(tmp_path), timeout=60, temp_dir=tmp_path)
    results = list(executor.run(jobs))
    assert sorted(r.unit for r in results) == ["A", "B", "C", "D", "DIE", "E"]  # each once
    status = {r.unit: (r.status, r.error) for r in results}
    assert status.pop("DIE") == ("failed", WORKER_STOPPED)
    assert set(status.values()) == {("ok", None)}


# --------------------------------------------------------------------------- a kernel that hangs or dies

SECRET = "k" * 40


@pytest.fixture(scope="module")
def warm(project: Path) -> Iterator[tuple[worker.Worker, Path]]:
    """One worker with one warm kernel on the tiny notebook, in a private folder of its own."""
    from toolkit.data.pseudonyms import KEY_ENV

    mp = pytest.MonkeyPatch()
    mp.setenv(KEY_ENV, SECRET)
    temp = Path(tempfile.mkdtemp(prefix="tk-"))
    w = worker.Worker("python3", str(project / "notebooks"), timeout=6, temp_dir=str(temp))
    try:
        yield w, temp
    finally:
        w.close()
        mp.undo()
        shutil.rmtree(temp, ignore_errors=True)


def _job(project: Path, out: Path, unit: str, keys: tuple[str, ...] = (), **params: object) -> Job:
    return Job(
        "tiny",
        str(project / "notebooks" / "tiny.ipynb"),
        unit,
        {"unit": unit, "period": PERIOD, **params},
        str(out / PERIOD / unit),
        keys,
    )


def test_a_worker_holds_no_more_threads_or_files_after_many_reports(
    warm: tuple[worker.Worker, Path], project: Path, tmp_path: Path
) -> None:
    """Each notebook's kernel client is stopped after it: a worker making a region's reports
    (hundreds) would otherwise keep a ZMQ context, its threads and about 14 file descriptors
    open per report, and grow until it ran out of them."""
    w, _ = warm
    me = psutil.Process()

    def held() -> tuple[int, int]:
        return me.num_threads(), me.num_fds()

    assert w.execute(_job(project, tmp_path / "out", "FS-KAR")).status == "ok"
    before = held()
    for unit in ("FS-LUN", "FS-GER", "FS-KAR", "FS-LUN"):
        assert w.execute(_job(project, tmp_path / "out", unit)).status == "ok"
    assert held() == before
    assert w.km.clients == []


@pytest.mark.slow
def test_a_timed_out_or_dead_kernel_fails_only_its_report(
    warm: tuple[worker.Worker, Path], project: Path, tmp_path: Path
) -> None:
    w, temp = warm
    out = tmp_path / "out"
    first = w.km
    hung = w.execute(_job(project, out, "FS-KAR", pause=60))
    assert hung.status == "failed" and hung.error == (
        "a cell ran longer than the timeout (6 s, --timeout); the kernel was replaced"
    )
    assert w.km is not first  # a fresh kernel manager, not the destroyed one (no ZMQError)
    kept = out / PERIOD / "_failed" / "FS-KAR" / "tiny.ipynb"
    assert hung.failed_notebook == "_failed/FS-KAR/tiny.ipynb"
    cells = nbformat.read(kept, as_version=4).cells
    assert "this report failed" in cells[0].source and "timeout" in cells[0].source
    assert "time.sleep" in cells[-1].source  # what ran
    dead = w.execute(_job(project, out, "FS-LUN", crash="FS-LUN"))
    assert dead.status == "failed" and "the kernel died" in (dead.error or ""), dead.error
    after = w.execute(_job(project, out, "FS-GER"))
    assert after.status == "ok", after.error
    assert sorted(p.name for p in (out / PERIOD / "FS-GER").iterdir()) == [
        "tiny.html",
        "tiny.json",
        "tiny.xlsx",
    ]
    again = w.execute(_job(project, out, "FS-KAR"))  # made now: the older failed notebook goes
    assert again.status == "ok" and not kept.exists()
    # In the private folder: the kernel's connection file and sockets, no notebook or report.
    assert [p.name for p in temp.iterdir()] == [w.root.name]
    assert not [p for p in w.root.rglob("*") if p.suffix in (".ipynb", ".html", ".xlsx")]


@pytest.mark.slow
def test_the_guard_refuses_identifiers_of_any_unit_and_keeps_no_notebook(
    warm: tuple[worker.Worker, Path], project: Path, tmp_path: Path
) -> None:
    from toolkit.data.pseudonyms import pseudonym

    w, _ = warm
    out = tmp_path / "out"
    keys_dir = tmp_path / "person_keys"
    keys_dir.mkdir()
    key = SECRET.encode()
    (keys_dir / "FS-KAR.txt").write_text("\n".join(pseudonym(k, key) for k in ("C1", "1001", "482913")))
    (keys_dir / "FS-LUN.txt").write_text("\n".join(pseudonym(k, key) for k in ("E7002", "551177")))
    keys = (str(keys_dir / "FS-KAR.txt"), str(keys_dir / "FS-LUN.txt"))
    fine = w.execute(_job(project, out, "FS-KAR", keys, shown="C1: 1001 vagter, 482913 kr."))
    assert fine.status == "ok", fine.error  # short, numeric and payroll keys: no false alarm
    for shown in ("E7002", "551177", pseudonym("C1", key), "010203-1234"):  # another unit's, too
        refused = w.execute(_job(project, out, "FS-KAR", keys, shown=shown))
        assert refused.status == "failed" and "privacy check failed" in (refused.error or "")
        assert shown not in (refused.error or "") and refused.failed_notebook is None
        assert _files(out / PERIOD) == []  # no report, no notebook, nothing at all
    failed = w.execute(_job(project, out, "FS-KAR", keys, fail="E7002"))
    assert failed.error == "KeyError: '<person key>'"  # the message never quotes the key


# --------------------------------------------------------------------------- real runs, killed and colliding


def _command(out: Path, sample_dir: Path, *extra: str) -> list[str]:
    units = [a for u in UNITS for a in ("--unit", u)]
    return [sys.executable, "-m", "toolkit.run.cli", "run", "tiny", *units, "--data", str(sample_dir),
            "--out", str(out), "--jobs", "1", "--no-progress", *extra]  # fmt: skip


def _env(project: Path, scratch: Path) -> dict[str, str]:
    return {**os.environ, "TOOLKIT_HOME": str(project), "TMPDIR": str(scratch)}


def _wait_for(check, timeout: float = 300) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.2)


def _agree(period_dir: Path) -> dict[str, str]:
    """Manifest, index and files tell the same story; the status of each unit."""
    manifest = json.loads((period_dir / "manifest.json").read_text())
    index = (period_dir / "index.html").read_text()
    status = {}
    expected = {"manifest.json", "index.html", LOCK_NAME}
    for r in manifest["runs"]:
        status[r["unit"]] = r["status"]
        if r["status"] == "ok":
            expected |= {r["html"], r["xlsx"], r["json"]}
            assert f'href="{r["html"]}"' in index
        else:
            assert f'href="{r["unit"]}/tiny.html"' not in index
    assert set(_files(period_dir)) == expected  # no temporary file, no other report
    return status


@pytest.mark.slow
def test_a_killed_run_leaves_no_process_and_the_next_run_cleans_up(
    project: Path, sample_dir: Path, tmp_path: Path, scratch: Path
) -> None:
    out = tmp_path / "out"
    first_report = out / PERIOD / UNITS[0] / "tiny.html"
    runner = subprocess.Popen(
        _command(out, sample_dir, "-p", "pause=4"), env=_env(project, scratch), stderr=subprocess.DEVNULL
    )
    try:
        _wait_for(first_report.is_file)
        family = psutil.Process(runner.pid).children(recursive=True)  # workers, their kernels
        assert any("ipykernel" in " ".join(p.cmdline()) for p in family)
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait()
    _, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [], [p.cmdline() for p in alive]  # no worker and no kernel lives on
    assert [p.name[:12] for p in scratch.iterdir()] == ["toolkit-run-"]  # left by kill -9 ...
    again = subprocess.run(
        _command(out, sample_dir), env=_env(project, scratch), capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    assert list(scratch.iterdir()) == []  # ... removed by the next run, which removes its own
    assert _agree(out / PERIOD) == dict.fromkeys(UNITS, "ok")


@pytest.mark.slow
def test_a_second_run_stops_at_the_lock_and_sigterm_stops_the_first(
    project: Path, sample_dir: Path, tmp_path: Path, scratch: Path
) -> None:
    out = tmp_path / "out"
    lock = out / PERIOD / LOCK_NAME
    first = subprocess.Popen(
        _command(out, sample_dir, "-p", "pause=4"),
        env=_env(project, scratch),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: lock.is_file() and lock.read_text() == str(first.pid))
        second = subprocess.run(
            _command(out, sample_dir), env=_env(project, scratch), capture_output=True, text=True
        )
        assert second.returncode == EXIT_USAGE
        assert second.stderr.strip() == (
            f"error: another toolkit run (pid {first.pid}) is writing {out / PERIOD}; "
            "wait for it to finish, or run with --wait"
        )
        _wait_for((out / PERIOD / UNITS[0] / "tiny.html").is_file)
        family = psutil.Process(first.pid).children(recursive=True)
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=60)
    finally:
        first.kill()
    assert first.returncode == 128 + signal.SIGTERM
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: the run was stopped (SIGTERM): ") and "Traceback" not in err, err
    _, alive = psutil.wait_procs(family, timeout=20)
    assert alive == [] and list(scratch.iterdir()) == []
    status = _agree(out / PERIOD)
    assert status[UNITS[0]] == "ok" and "failed" in status.values()
    manifest = json.loads((out / PERIOD / "manifest.json").read_text())
    stopped = [r["error"] for r in manifest["runs"] if r["status"] == "failed"]
    assert set(stopped) == {"not made: the run was stopped (SIGTERM)"}


@pytest.mark.slow
def test_a_full_disk_while_writing_a_report_is_one_message_and_nothing_half_written(
    warm: tuple[worker.Worker, Path], project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from toolkit.run import release

    w, _ = warm
    out = tmp_path / "out"
    real_move = release.move
    moved: list[Path] = []

    def fill_up(src: Path, dst: Path) -> None:
        if moved:  # the workbook, after the HTML
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_move(src, dst)
        moved.append(dst)

    monkeypatch.setattr(release, "move", fill_up)
    result = w.execute(_job(project, out, "FS-KAR"))
    assert result.status == "failed" and result.write_error
    assert (
        result.error == f"could not write the report in {out / PERIOD / 'FS-KAR'} (No space left on device)"
    )
    assert moved and _files(out / PERIOD / "FS-KAR") == []  # the HTML moved first is taken back


@pytest.mark.slow
def test_a_person_key_in_a_wrong_column_is_not_echoed_into_manifest_or_index(
    project: Path, data_copy: Path, tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    hr = pd.read_csv(data_copy / "hr.csv", sep=";", dtype=str, encoding="utf-8-sig")
    key = hr.loc[hr["unit_id"] == "FS-KAR", "employee_id"].iloc[0]  # a person of another unit
    volume = pd.read_csv(
        data_copy / "volume.csv", sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    volume.loc[(volume["unit_id"] == "FS-LUN").idxmax(), "actual"] = key
    volume.to_csv(data_copy / "volume.csv", sep=";", index=False, encoding="utf-8-sig")
    out = tmp_path / "out"
    req = _request(project, out, data_copy)
    req.units = ["FS-KAR", "FS-LUN"]
    messages: list[str] = []
    summary = run(req, echo=messages.append)
    failed = {r.unit: r.error or "" for r in summary.results if r.status != "ok"}
    assert set(failed) == {"FS-LUN"}
    assert "volume.csv, column 'actual'" in failed["FS-LUN"] and "<person key>" in failed["FS-LUN"]
    for path in (out / PERIOD / "manifest.json", out / PERIOD / "index.html"):
        assert key not in path.read_text(), path
    assert key not in "\n".join(messages)
    assert list(scratch.iterdir()) == []
