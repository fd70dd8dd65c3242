"""One run at a time per reports folder and month: a lock on ``<out>/<period>``.

:class:`PeriodLock` takes an exclusive ``fcntl.flock`` on ``<out>/<period>/.toolkit-run.lock``
before a run writes anything there, and holds it until the manifest and index are written.
A second run on the same folder and month stops at once with one message (exit 2), naming
the pid of the run that holds the lock — or, with ``toolkit run --wait``, waits for it. The
lock dies with its process (the kernel releases a ``flock`` when the file is closed, also
after ``kill -9``), so a killed run never blocks the next one.

If the run stops before it writes anything (a data or usage error), the lock file and the
folders the lock made are removed again, so nothing is left behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO

from toolkit.run.tempdir import RunEnvironmentError, os_problem

LOCK_NAME = ".toolkit-run.lock"


class RunLockedError(RunEnvironmentError):
    """Another run holds the lock on the same reports folder and month."""


class PeriodLock:
    """The exclusive lock of one run on ``period_dir`` (see the module docstring).

    Parameters
    ----------
    period_dir
        ``<out>/<period>``; made (with its parents) if needed.
    wait
        Wait for another run to finish instead of stopping.

    Raises
    ------
    RunLockedError
        If another run holds the lock (and ``wait`` is false).
    RunEnvironmentError
        If the folder or the lock file cannot be made.
    """

    def __init__(self, period_dir: Path, *, wait: bool = False) -> None:
        self.period_dir = Path(period_dir)
        self.path = self.period_dir / LOCK_NAME
        self.created = _missing_parents(self.period_dir)
        self._fh: IO[str] | None = None
        try:
            self.period_dir.mkdir(parents=True, exist_ok=True)
            self._acquire(wait)
        except OSError as exc:
            self.release(remove_created=True)
            raise RunEnvironmentError(
                f"the reports folder {self.period_dir} is not writable ({os_problem(exc)})"
            ) from None

    def _acquire(self, wait: bool) -> None:
        while True:
            fh = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held until release)
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                fh.seek(0)
                holder = fh.read().strip() or "unknown"
                fh.close()
                self.created = []  # the other run's folders
                raise RunLockedError(
                    f"another toolkit run (pid {holder}) is writing {self.period_dir}; "
                    "wait for it to finish, or run with --wait"
                ) from None
            # A run that stopped before writing removes the lock file: if ours was removed
            # between open and flock, lock the new file instead.
            try:
                same = os.fstat(fh.fileno()).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                fh.seek(0)
                fh.truncate()
                fh.write(str(os.getpid()))
                fh.flush()
                self._fh = fh
                return
            fh.close()

    def release(self, *, remove_created: bool = False) -> None:
        """Give the lock up; with ``remove_created``, also remove the lock file and the folders
        the lock made, if they hold nothing else (a run that wrote nothing leaves nothing)."""
        if remove_created and self.created:
            with contextlib.suppress(OSError):
                self.path.unlink()
            for folder in self.created:  # deepest first
                with contextlib.suppress(OSError):
                    folder.rmdir()
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> PeriodLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _missing_parents(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, deepest first."""
    missing: list[Path] = []
    path = folder.absolute()
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing


__all__ = ["LOCK_NAME", "PeriodLock", "RunLockedError"]
