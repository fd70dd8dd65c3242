"""A report kernel that ends with its worker, however the worker ends.

A worker (:class:`toolkit.run.worker.Worker`) starts its Jupyter kernel in a process group of
its own, so that a kernel that hangs can be killed with everything it started. That also means
the kernel does not die with its worker: a worker process killed outright (``kill -9``, the
out-of-memory killer, a Dask nanny restarting its worker) would leave its kernel running, with
the data it holds. So every kernel watches its worker: :func:`watch_worker` runs in the kernel
(the worker starts it when the kernel is ready) and, once the worker process is gone, kills the
kernel's own process group. It needs nothing from the worker, so it works whether the worker
is a process of the local pool or a Dask worker process.

This module runs inside the kernel: it imports only the standard library.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time

#: How often (seconds) a kernel checks that its worker still runs.
WATCH_INTERVAL = 0.5


def worker_gone(worker_pid: int, direct: bool) -> bool:
    """True once the worker process ``worker_pid`` has ended.

    ``direct``: the worker is this process's parent; then a change of parent says it (the pid
    of a dead parent may be reused, the parent of an orphan never is ``worker_pid`` again).
    """
    if direct:
        return os.getppid() != worker_pid
    try:
        os.kill(worker_pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of another user has the pid: not ours any more
        return True
    return False


def end_kernel() -> None:
    """Kill this process's group if it leads one (the kernel and what it started), else itself."""
    with contextlib.suppress(OSError):
        if os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def watch_worker(worker_pid: int, interval: float = WATCH_INTERVAL) -> threading.Thread:
    """Start a daemon thread that ends this kernel once the worker process ``worker_pid`` is gone.

    Called in the kernel (a namespace reset between reports does not stop it: the thread holds
    this module, not the user's namespace).
    """
    direct = os.getppid() == worker_pid

    def watch() -> None:
        while not worker_gone(worker_pid, direct):
            time.sleep(interval)
        end_kernel()

    thread = threading.Thread(target=watch, name="toolkit-watch-worker", daemon=True)
    thread.start()
    return thread


def watch_source(worker_pid: int) -> str:
    """The code a worker runs in its new kernel to start the watch on itself."""
    return f"import toolkit.run.kernel_watch\ntoolkit.run.kernel_watch.watch_worker({int(worker_pid)})"


__all__ = ["WATCH_INTERVAL", "end_kernel", "watch_source", "watch_worker", "worker_gone"]
