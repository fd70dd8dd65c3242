"""Notebook start-up: open the report context and show user mistakes without a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from toolkit.core.errors import ToolkitError
from toolkit.report.context import ReportContext, open_context


def _short_error(
    shell: Any, etype: type, evalue: BaseException, tb: Any, tb_offset: int | None = None
) -> list[str]:
    # A user's mistake (bad parameter, bad data) is shown as its message only, as the cell's
    # error output: papermill stops the run and the runner records the name and message.
    stb = [f"{etype.__name__}: {evalue}"]
    shell._showtraceback(etype, evalue, stb)
    return stb


def install_error_handler() -> None:
    """Show :class:`~toolkit.errors.ToolkitError` in a notebook as one message, no traceback."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is not None:
        shell.set_custom_exc((ToolkitError,), _short_error)


def start(
    notebook: str,
    *,
    unit: str,
    period: str | None,
    data_dir: str | Path,
    params_dir: str | Path,
    language: str | None = None,
    settings: Sequence[str] = (),
) -> ReportContext:
    """The first call of every notebook: check parameters, open data, load unit parameters.

    ``settings`` are run-time parameter settings ``SECTION.KEY=VALUE`` (``toolkit run --set``),
    applied over the parameter files and checked like them.
    """
    install_error_handler()
    return open_context(
        notebook,
        unit=unit,
        period=period,
        data_dir=data_dir,
        params_dir=params_dir,
        language=language,
        settings=settings,
    )
