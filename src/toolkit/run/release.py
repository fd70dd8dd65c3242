"""A report's last steps in a worker: write it privately, check it, then put it in the reports tree.

:func:`write_report` writes the HTML, the workbook and the KPI JSON into a private folder of
the run (never the reports tree), checks what the three show with the privacy guard
(:func:`toolkit.data.privacy.report_leaks`: the report's own content, not the inlined
plotly.js; pseudonyms and raw keys of *any* unit's persons and CPR-like numbers), and only
then moves them into the reports tree, each file atomically. A refused report writes
nothing (:class:`PrivacyRefusalError`); a report that cannot be written (a full disk, a read-only
folder) is one message, and what was already moved is taken back by the caller.

:func:`keep_failed_notebook` keeps the executed notebook of a failed report — never one the
privacy guard refused — in the period's private ``_failed/`` folder (mode 0700; the
publishing step copies only made reports), with the reason as its first cell.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import stat
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from functools import lru_cache
from pathlib import Path
from typing import Any

import nbformat

from toolkit.core.files import atomic_write
from toolkit.data import privacy
from toolkit.run.jobs import FAILED_DIR, ReportFiles
from toolkit.run.tempdir import os_problem


class ReportWriteError(Exception):
    """A report could not be written; the message says where and why (no traceback)."""


class PrivacyRefusalError(Exception):
    """The privacy guard refused the report: nothing of it is kept."""


@lru_cache(maxsize=2)
def _pseudonyms_in(files: frozenset[tuple[str, int, int]]) -> frozenset[str]:
    found: set[str] = set()
    for path, *_ in files:
        found.update(line for line in Path(path).read_text(encoding="utf-8").splitlines() if line)
    return frozenset(found)


def pseudonyms(files: Iterable[str]) -> frozenset[str]:
    """The pseudonyms listed in staged ``person_keys/<unit>.txt`` files (missing files hold none).

    Every report of a run is checked against the same files (every unit's persons: at region
    scale millions of keys), so the set is read once per process and kept while no file
    changes (each file's modification time and size are part of the key).
    """
    stamped = []
    for file in files:
        with contextlib.suppress(FileNotFoundError):
            st = os.stat(file)
            if stat.S_ISREG(st.st_mode):
                stamped.append((file, st.st_mtime_ns, st.st_size))
    return _pseudonyms_in(frozenset(stamped))


def workbook_values(path: Path) -> list[object]:
    """Every cell value of a workbook (for the privacy guard)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [
            v for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None
        ]
    finally:
        wb.close()


def embedded_texts() -> list[str]:
    """The library texts a report inlines (plotly.js, the Danish locale): not the report's content."""
    from toolkit.report import assets

    return [assets.plotly_js(), assets.plotly_locale_js()]


def check_report(html: str, xlsx: Path, artifacts: Mapping[str, Any], known: AbstractSet[str]) -> None:
    """Refuse a report that shows a person-level identifier (see :mod:`toolkit.data.privacy`).

    Raises
    ------
    PrivacyRefusalError
        Saying what was found where (never the identifiers themselves).
    """
    leaks = privacy.report_leaks(
        html=html,
        workbook_values=workbook_values(xlsx),
        kpis=dict(artifacts),
        pseudonyms=known,
        embedded=embedded_texts(),
    )
    if leaks:
        raise PrivacyRefusalError(privacy.leak_message(leaks))


def move(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst`` atomically (a copy through a temporary file on another file system)."""
    try:
        os.replace(src, dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        atomic_write(dst, lambda tmp: shutil.copyfile(src, tmp))
        src.unlink(missing_ok=True)


def write_report(
    html: str, artifacts: dict[str, Any], files: ReportFiles, private: Path, known: AbstractSet[str]
) -> None:
    """Write, check and release one report into the reports tree (see the module docstring).

    Parameters
    ----------
    html
        The exported HTML page.
    artifacts
        The tables and KPIs the notebook handed over.
    files
        Where the report goes in the reports tree.
    private
        An empty folder of the run's private temporary folder.
    known
        The pseudonyms of every person in the staged data.

    Raises
    ------
    PrivacyRefusalError
        If the report shows a person-level identifier (nothing is written).
    ReportWriteError
        If a file cannot be written (the message names the folder and the reason).
    """
    from toolkit.report import export

    staged = [private / p.name for p in files.outputs]
    try:
        export.write_text(staged[0], html)
        export.write_workbook(staged[1], artifacts)
        export.write_kpis(staged[2], artifacts)
    except OSError as exc:
        raise ReportWriteError(
            f"could not write the report in the temporary folder ({os_problem(exc)})"
        ) from None
    check_report(html, staged[1], artifacts, known)
    try:
        files.html.parent.mkdir(parents=True, exist_ok=True)
        for src, dst in zip(staged, files.outputs, strict=True):
            move(src, dst)
    except OSError as exc:
        raise ReportWriteError(
            f"could not write the report in {files.html.parent} ({os_problem(exc)})"
        ) from None


def keep_failed_notebook(executed: Path, files: ReportFiles, reason: str) -> str | None:
    """Keep a failed report's executed notebook in ``_failed/``; its path relative to the period
    folder (None if nothing was executed or it cannot be written)."""
    if not executed.is_file() or executed.stat().st_size == 0:
        return None
    try:
        nb = nbformat.read(executed, as_version=4)
        note = nbformat.v4.new_markdown_cell(f"**toolkit run: this report failed.** {reason}")
        note["id"] = "toolkit-failed"
        nb.cells.insert(0, note)
        failed_root = files.failed.parent.parent
        failed_root.parent.mkdir(parents=True, exist_ok=True)
        failed_root.mkdir(mode=0o700, exist_ok=True)
        os.chmod(failed_root, 0o700)
        files.failed.parent.mkdir(mode=0o700, exist_ok=True)
        atomic_write(files.failed, lambda tmp: nbformat.write(nb, tmp))
    except (OSError, ValueError, json.JSONDecodeError):
        return None
    return f"{FAILED_DIR}/{files.failed.parent.name}/{files.failed.name}"


__all__ = [
    "PrivacyRefusalError",
    "ReportWriteError",
    "check_report",
    "embedded_texts",
    "keep_failed_notebook",
    "move",
    "pseudonyms",
    "workbook_values",
]
