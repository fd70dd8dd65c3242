"""SIGTERM and SIGINT during a run: stop at once, clean up, exit non-zero with one line.

Inside :func:`interruptible`, SIGTERM and SIGINT (Ctrl-C) raise :class:`RunInterrupted` in the
runner's main thread. The runner then stops its workers without waiting for their reports
(:meth:`toolkit.run.executor.JobExecutor.run` kills them and their kernels), removes its
temporary folder and exits with status 128 + the signal number (143 for SIGTERM, 130 for
SIGINT), after one line saying so. The handlers in force before are restored afterwards.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class RunInterrupted(BaseException):
    """The run was asked to stop by a signal (a BaseException: no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signal.Signals(signum).name)

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal number."""
        return 128 + self.signum


def _raise(signum: int, frame: FrameType | None) -> None:
    raise RunInterrupted(signum)


@contextmanager
def interruptible() -> Iterator[None]:
    """SIGTERM and SIGINT raise :class:`RunInterrupted` while the block runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


__all__ = ["RunInterrupted", "interruptible"]
