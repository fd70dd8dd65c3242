"""Job planning: which notebooks, which units, and one :class:`Job` per report to make.

A report notebook declares itself in its metadata (``toolkit: {title, levels}``): the unit
levels it is made for and its title. The runner knows nothing else about a notebook; it checks
that a notebook accepts the runner's parameters (:data:`RUNNER_PARAMETERS`) and the ones a user
gives, and pairs each notebook with the units of its levels.

A worker unpickles its :class:`Job` from here: this module imports neither pandas nor the data
layer at import (the planning functions import what they need), so that a worker's first job
does not wait for them.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.core.errors import ParameterError

if TYPE_CHECKING:
    import nbformat
    import pandas as pd

#: The parameters the runner gives every notebook (its parameters cell must define them).
RUNNER_PARAMETERS = ("unit", "period", "data_dir", "params_dir", "language", "settings", "interactive")

#: The level a notebook without ``levels`` metadata is made for.
DEFAULT_LEVELS = ("department",)


@dataclass(frozen=True)
class NotebookInfo:
    """A report notebook: its name, path, the unit levels it runs for and its parameters."""

    name: str
    path: Path
    levels: tuple[str, ...]
    parameters: tuple[str, ...]
    title: dict[str, str]


#: The period's private folder (mode 0700) of failed reports' executed notebooks.
FAILED_DIR = "_failed"


@dataclass(frozen=True)
class ReportFiles:
    """Where one report's files go: HTML, workbook and KPIs, or the executed notebook on failure.

    A failed report's notebook goes to ``<period>/_failed/<unit>/<notebook>.ipynb``, outside the
    unit's folder of reports (``legacy_failed`` is where older versions kept it).
    """

    html: Path
    xlsx: Path
    json: Path
    failed: Path
    legacy_failed: Path

    @classmethod
    def of(cls, out_dir: Path, notebook: str) -> ReportFiles:
        """The files of ``notebook``'s report in the unit folder ``out_dir`` (``<period>/<unit>``)."""
        return cls(
            html=out_dir / f"{notebook}.html",
            xlsx=out_dir / f"{notebook}.xlsx",
            json=out_dir / f"{notebook}.json",
            failed=out_dir.parent / FAILED_DIR / out_dir.name / f"{notebook}.ipynb",
            legacy_failed=out_dir / f"{notebook}.failed.ipynb",
        )

    @property
    def outputs(self) -> tuple[Path, Path, Path]:
        """The files of a report that was made (HTML, XLSX, JSON)."""
        return self.html, self.xlsx, self.json

    def remove_outputs(self) -> None:
        """Remove an older report's HTML, XLSX and JSON (a failed report leaves none)."""
        for path in self.outputs:
            path.unlink(missing_ok=True)

    def remove_failed(self) -> None:
        """Remove an older failed report's executed notebook (also where older versions kept it)."""
        self.failed.unlink(missing_ok=True)
        self.legacy_failed.unlink(missing_ok=True)


@dataclass(frozen=True)
class Job:
    """One report to make: a notebook for a unit, with its parameters and output folder."""

    notebook: str
    notebook_path: str
    unit: str
    parameters: dict[str, Any]
    out_dir: str
    person_keys_files: tuple[str, ...]

    @property
    def files(self) -> ReportFiles:
        """Where this report's files go."""
        return ReportFiles.of(Path(self.out_dir), self.notebook)


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
    #: The executed notebook of a failed report, relative to the period folder
    #: (``_failed/<unit>/<notebook>.ipynb``); None when none is kept (a refused report).
    failed_notebook: str | None = None
    #: The report was made but could not be written (a full or read-only reports folder).
    write_error: bool = False
    #: The fingerprint of what the report read (:func:`toolkit.run.changes.report_inputs`).
    inputs: str | None = None
    #: Kept from the last run by ``--changed-only`` (its inputs had not changed), not made again.
    unchanged: bool = False

    @classmethod
    def failure(cls, job: Job, error: str) -> JobResult:
        """A report that was not made, with the reason."""
        return cls(job.notebook, job.unit, "failed", 0.0, error=error)


# --------------------------------------------------------------------------- notebooks


def notebook_parameters(nb: nbformat.NotebookNode) -> tuple[str, ...]:
    """The names a notebook's ``parameters`` cell assigns, in order (what papermill may set).

    The same names as papermill's ``inspect_notebook`` (a test holds them equal for every
    report notebook), read with :mod:`ast` so that the runner need not import papermill and
    its execution machinery to check a request: the workers import it, in parallel.
    """
    cell = next(
        (c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])),
        None,
    )
    if cell is None:
        return ()
    names: list[str] = []
    for node in ast.parse(cell.source).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return tuple(names)


def list_notebooks(notebooks_dir: Path) -> dict[str, NotebookInfo]:
    """The report notebooks in ``notebooks_dir`` (those with ``toolkit`` metadata), by name."""
    import nbformat

    found = {}
    for path in sorted(notebooks_dir.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get("toolkit")
        if not meta:
            continue
        params = notebook_parameters(nb)
        found[path.stem] = NotebookInfo(
            name=path.stem,
            path=path,
            levels=tuple(meta.get("levels", DEFAULT_LEVELS)),
            parameters=params,
            title=dict(meta.get("title", {})),
        )
    return found


def resolve_notebooks(
    notebooks_dir: Path, names: Sequence[str], extra: Mapping[str, Any]
) -> list[NotebookInfo]:
    """The notebooks to run: those named (all if none), each checked against its parameters.

    Parameters
    ----------
    notebooks_dir
        The folder of report notebooks.
    names
        Notebook names (``<name>`` or ``<name>.ipynb``); empty for every report notebook.
    extra
        The notebook parameters a user gives beyond :data:`RUNNER_PARAMETERS`.

    Raises
    ------
    ParameterError
        For an unknown notebook, a notebook without the runner's parameters, or a parameter
        that a notebook does not have (papermill itself would only warn).
    """
    available = list_notebooks(notebooks_dir)
    if not available:
        raise ParameterError(f"no report notebooks in {notebooks_dir}")
    chosen = []
    for name in list(names) or list(available):
        stem = Path(name).stem if name.endswith(".ipynb") else name
        if stem not in available:
            raise ParameterError(f"unknown notebook {name!r}; choose from: {', '.join(available)}")
        info = available[stem]
        missing = [p for p in RUNNER_PARAMETERS if p not in info.parameters]
        if missing:
            raise ParameterError(f"notebook {stem!r} lacks the parameters {', '.join(missing)}")
        unknown = [k for k in extra if k not in info.parameters or k in RUNNER_PARAMETERS]
        if unknown:
            allowed = [p for p in info.parameters if p not in RUNNER_PARAMETERS]
            raise ParameterError(
                f"notebook {stem!r} has no parameter {', '.join(map(repr, unknown))}"
                + (f"; its own parameters are: {', '.join(allowed)}" if allowed else "")
                + " (unit, period, language, settings, data and params folders have their own options)"
            )
        chosen.append(info)
    return chosen


# --------------------------------------------------------------------------- units


def check_unit_choice(units: Sequence[str], all_units: bool) -> None:
    """Check that the units are named (safe ids) or ``all_units`` is asked for, not both.

    Raises
    ------
    ParameterError
        For both or neither, or for a unit id that is not safe in a path.
    """
    if units and all_units:
        raise ParameterError("give either --unit or --all-units, not both")
    if not units and not all_units:
        raise ParameterError("name the units with --unit ID (repeatable) or use --all-units")
    from toolkit.data.params import check_unit_id

    for u in units:
        check_unit_id(u)


def plan(
    notebooks: Sequence[NotebookInfo],
    units: pd.DataFrame,
    chosen: Sequence[str],
    *,
    all_units: bool,
    named: bool,
) -> list[tuple[NotebookInfo, str]]:
    """The (notebook, unit) pairs to run, notebook by notebook.

    Parameters
    ----------
    notebooks
        The notebooks of the run.
    units
        The units catalogue.
    chosen
        The units named by the user (ignored with ``all_units``).
    all_units
        Every unit at each notebook's levels.
    named
        The notebooks were named by the user: a named unit at another level is then an error
        (otherwise that notebook is simply not made for that unit).

    Raises
    ------
    ParameterError
        For an unknown unit, a named notebook that is not made for a named unit's level, or
        when nothing is left to run.
    """
    from toolkit.data.hierarchy import unit_info, units_at_level

    pairs: list[tuple[NotebookInfo, str]] = []
    for nb in notebooks:
        if all_units:
            for level in nb.levels:
                pairs += [(nb, u) for u in units_at_level(units, level)]
            continue
        for u in chosen:
            info = unit_info(units, u)
            if info.level in nb.levels:
                pairs.append((nb, u))
            elif named:  # named explicitly: say why it cannot run
                raise ParameterError(
                    f"notebook {nb.name!r} runs for {' and '.join(nb.levels)} units; {u} is a {info.level}"
                )
    if not pairs:
        raise ParameterError("there is nothing to run: no units at the notebooks' levels")
    return pairs


def make_job(
    nb: NotebookInfo,
    unit: str,
    *,
    units: pd.DataFrame,
    parameters: Mapping[str, Any],
    out_dir: Path,
    person_keys_dir: Path,
) -> Job:
    """The job that makes ``nb``'s report for ``unit``.

    ``parameters`` are the notebook parameters shared by the run; the unit is added. Every
    report is checked against the person keys of every unit in the staged data (a key of
    another unit in a free text is as much a leak as one of its own), so ``person_keys_dir``
    must hold the staged lists already; the unit's own and those below it come first.
    """
    from toolkit.data.hierarchy import below

    own = [unit, *below(units, unit)]
    others = sorted(p.stem for p in Path(person_keys_dir).glob("*.txt") if p.stem not in own)
    keys_files = tuple(str(Path(person_keys_dir) / f"{k}.txt") for k in [*own, *others])
    return Job(nb.name, str(nb.path), unit, {"unit": unit, **parameters}, str(out_dir), keys_files)
