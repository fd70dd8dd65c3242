"""A run's private temporary folder, and the checks that the run has room to write.

Every temporary file of a run — the staged data (with the person-key lists), the executed
notebooks, a report before its privacy check, the kernels' sockets and connection files —
lives in one folder, ``$TMPDIR/toolkit-run-XXXXXXXX`` (mode 0700), made by :class:`RunTemp`
and removed when the run ends, also after an error or SIGTERM. The folder holds the owner's
pid file (``owner.pid``: the pid and the process's start time), so a run killed with
``kill -9`` is cleaned up by the next one: :func:`sweep` removes every ``toolkit-run-*``
folder whose owner is gone, after killing any process (an orphaned kernel) that still
names the folder on its command line.

:func:`check_writable` and :func:`check_space` run before staging: an unwritable or full
temporary or output folder is one message and exit 2, before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import tempfile
from pathlib import Path

from toolkit.core.errors import ParameterError

PREFIX = "toolkit-run-"
OWNER_FILE = "owner.pid"
MB = 1024 * 1024


class RunEnvironmentError(ParameterError):
    """The run cannot write where it must (temporary or output folder); exit 2."""


def os_problem(exc: OSError) -> str:
    """An operating-system error in words, without a traceback (``No space left on device``)."""
    return exc.strerror or (errno.errorcode.get(exc.errno or 0) if exc.errno else None) or str(exc)


def _start_time(pid: int) -> float | None:
    """When process ``pid`` started (None if there is no such process)."""
    import psutil

    try:
        return float(psutil.Process(pid).create_time())
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return None


def owner_alive(folder: Path) -> bool:
    """Does the process that made ``folder`` still run? (A pid reused by another process: no.)"""
    try:
        pid_text, _, started = (folder / OWNER_FILE).read_text(encoding="utf-8").partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        return False
    now = _start_time(pid)
    if now is None:
        return False
    try:
        return abs(now - float(started)) < 1.0
    except ValueError:
        return True


def kill_processes_using(folder: Path) -> int:
    """Kill (SIGKILL) every process but this one whose command line names ``folder``; how many.

    A kernel's command line names its connection file, which lives in the run's folder, so an
    orphaned kernel of a run is found by its folder and nothing else is.
    """
    import psutil

    mark = str(folder).rstrip(os.sep) + os.sep  # not a folder whose name starts alike
    killed = 0
    for proc in psutil.process_iter(["pid", "cmdline"]):
        if proc.info["pid"] == os.getpid():
            continue
        if any(mark in str(arg) for arg in proc.info["cmdline"] or ()):
            with contextlib.suppress(psutil.Error):
                proc.send_signal(signal.SIGKILL)
                killed += 1
    return killed


#: A worker's own kernel folder when it has no run folder (a Dask worker): ``w<pid>`` inside.
KERNEL_PREFIX = "toolkit-kernel-"
#: Staging folders of toolkit versions before the run folder; nothing makes them now.
OLD_STAGE_PREFIX = "toolkit-stage-"
#: A folder whose owner cannot be told is left alone while it is younger than this (seconds):
#: it may belong to a run or worker that is just starting.
YOUNG = 3600


def _kernel_folder_alive(folder: Path) -> bool:
    """Does a worker that uses ``folder`` (``w<pid>`` inside it) still run?"""
    pids = [int(w.name[1:]) for w in folder.glob("w*") if w.name[1:].isdigit()]
    return any(_start_time(pid) is not None for pid in pids)


def sweep(tmp_root: Path | None = None) -> list[Path]:
    """Remove the toolkit's temporary folders in ``tmp_root`` (default TMPDIR) whose owner is gone.

    * ``toolkit-run-*``: a run's folder whose owner (``owner.pid``) no longer runs; one without
      a readable pid file once it is older than an hour (it may be a run that is just starting);
    * ``toolkit-kernel-*``: the kernel folder of a worker without a run folder (a Dask worker),
      once no worker it names (``w<pid>``) runs and it is older than an hour;
    * ``toolkit-stage-*``: left by versions before the run folder, once older than an hour.

    A process that still names the folder on its command line (an orphaned kernel) is killed
    first. Only the user's own folders are touched. Returns the folders removed.
    """
    import time

    root = Path(tmp_root or tempfile.gettempdir())
    removed: list[Path] = []
    found = [*root.glob(PREFIX + "*"), *root.glob(KERNEL_PREFIX + "*"), *root.glob(OLD_STAGE_PREFIX + "*")]
    for folder in sorted(found):
        try:
            if not folder.is_dir() or folder.is_symlink() or folder.stat().st_uid != os.getuid():
                continue
            young = time.time() - folder.stat().st_mtime < YOUNG
            if folder.name.startswith(PREFIX):
                if owner_alive(folder) or (not (folder / OWNER_FILE).is_file() and young):
                    continue
            elif young or (folder.name.startswith(KERNEL_PREFIX) and _kernel_folder_alive(folder)):
                continue
        except OSError:
            continue
        kill_processes_using(folder)
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


class RunTemp:
    """The run's private temporary folder (see the module docstring); use it as a context manager.

    Raises
    ------
    RunEnvironmentError
        If the folder cannot be made or written in TMPDIR.
    """

    def __init__(self) -> None:
        root = tempfile.gettempdir()
        try:
            self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=root))
        except OSError as exc:
            raise RunEnvironmentError(
                f"the temporary folder {root} is not writable ({os_problem(exc)}); "
                "set TMPDIR to a writable folder"
            ) from None
        try:
            os.chmod(self.path, 0o700)
            started = _start_time(os.getpid())
            (self.path / OWNER_FILE).write_text(f"{os.getpid()} {started or 0}", encoding="utf-8")
        except OSError as exc:
            self.remove()
            raise RunEnvironmentError(
                f"cannot write in the temporary folder {root} ({os_problem(exc)}); "
                "free some space or set TMPDIR to another folder"
            ) from None

    def folder(self, name: str) -> Path:
        """A sub-folder of the run's folder (made if needed)."""
        path = self.path / name
        path.mkdir(exist_ok=True)
        return path

    def remove(self) -> None:
        """Kill leftover kernels of the run and remove the folder (nothing of it stays)."""
        if self.path.exists():
            kill_processes_using(self.path)
            shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> RunTemp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def dir_size(folder: Path) -> int:
    """The bytes of the files in ``folder`` and below it (symlinks not followed)."""
    total = 0
    for path in Path(folder).rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and not path.is_symlink():
                total += path.stat().st_size
    return total


def check_writable(folder: Path, what: str) -> None:
    """Write and remove a probe file in ``folder`` (modes alone say nothing for root).

    Raises
    ------
    RunEnvironmentError
        If the file cannot be written (``what`` names the folder in the message).
    """
    probe = Path(folder) / f".toolkit-probe-{os.getpid()}"
    try:
        with open(probe, "wb") as fh:
            fh.write(b"probe")
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        raise RunEnvironmentError(f"the {what} {folder} is not writable ({os_problem(exc)})") from None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def check_space(folder: Path, needed: int, what: str) -> None:
    """Refuse a run when ``folder``'s file system has fewer than ``needed`` bytes free.

    Raises
    ------
    RunEnvironmentError
        Naming the folder, the space needed and the space free (in MB).
    """
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise RunEnvironmentError(
            f"not enough free space for the {what} {folder}: the run needs about "
            f"{-(-needed // MB)} MB, {free // MB} MB are free"
        )


__all__ = [
    "PREFIX",
    "RunEnvironmentError",
    "RunTemp",
    "check_space",
    "check_writable",
    "dir_size",
    "kill_processes_using",
    "os_problem",
    "owner_alive",
    "sweep",
]
