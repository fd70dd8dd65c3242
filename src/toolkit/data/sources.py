"""Data access: one interface over a folder of files or a staged, partitioned dataset.

Every read names the unit(s) and the months it needs, so that a back-end can filter at the
source. Two back-ends exist:

:class:`FolderSource`
    a folder of CSV/XLSX/Parquet files as delivered (``data_samples/`` is one). Each read
    validates the rows it returns, so a problem in another unit's rows does not stop this
    unit's report.
:class:`StagedSource`
    what the runner writes once per run: every table validated and partitioned by unit as
    Parquet, plus agreed aggregates for comparison. A unit's read touches only that unit's
    files, so a unit's report costs in proportion to that unit's data.

:func:`open_source` picks the right one for a path.
"""

from __future__ import annotations

import hashlib
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.core.errors import DataStructureError, DataValidationError, ParameterError
from toolkit.core.periods import parse_period
from toolkit.data.filters import filter_raw, period_texts
from toolkit.data.mappings import apply_mappings, mapped_columns, missing_mappings
from toolkit.data.metadata import METADATA_FILE, as_of_from_metadata, metadata_problems
from toolkit.data.pseudonyms import pseudonymise
from toolkit.data.readers import TableFiles, discover, read_columns, read_table
from toolkit.data.schemas import PERIOD_PATTERN, TABLES, get_table, table_meta
from toolkit.data.validation import (
    Problem,
    ValidatedTable,
    _as_text,
    check_structure,
    make_problem,
    strip_bookkeeping,
    text_series,
    typed_period,
    validate_frame,
)

#: Filled-in forms (non-table inputs) live under this folder of a data folder.
FORMS_DIR = "forms"
STAGED_MARKER = "staged.json"

#: Checks that :meth:`FolderSource.validate_all` runs after the per-table validation:
#: rules across tables, and inputs that are not tables (e.g. filled-in Excel forms).
#: Each takes the folder source and returns problems (attributed to units where possible).
CHECKS: list[Callable[[FolderSource], list[Problem]]] = []


def register_check(func: Callable[[FolderSource], list[Problem]]) -> Callable[[FolderSource], list[Problem]]:
    """Register a check for :meth:`FolderSource.validate_all` (decorator)."""
    if func not in CHECKS:
        CHECKS.append(func)
    return func


# --------------------------------------------------------------------------- sources


@dataclass
class ValidationReport:
    """What :meth:`DataSource.validate_all` found."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def global_problems(self) -> list[Problem]:
        """Problems that concern every unit (catalogues, unknown units, structure)."""
        return [p for p in self.problems if p.is_global]

    def unit_problems(self, unit_id: str) -> list[Problem]:
        """Problems in the rows of ``unit_id``."""
        return [p for p in self.problems if p.units is not None and unit_id in p.units]

    @property
    def failed_units(self) -> set[str]:
        """Units with at least one problem of their own."""
        return {u for p in self.problems if p.units is not None for u in p.units}

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


class DataSource(ABC):
    """Read validated tables, filtered by unit and period."""

    @abstractmethod
    def tables(self) -> set[str]:
        """Names of the tables present."""

    @abstractmethod
    def read(
        self,
        table: str,
        *,
        units: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        """Rows of ``table`` for ``units`` (all if None) and months ``start``..``end``.

        Raises
        ------
        DataValidationError
            If the requested rows break the data model (the message names file, column,
            rows and rule).
        """

    @abstractmethod
    def as_of(self) -> date:
        """The data's as-of date (extraction date)."""

    @abstractmethod
    def fingerprint(self) -> str:
        """A hash of the input data (changes when any input file changes)."""

    @abstractmethod
    def periods(self) -> list[str]:
        """The months for which every core monthly table has data, oldest first."""

    def aggregate(self, name: str) -> pd.DataFrame | None:
        """A precomputed aggregate (staged sources only); None if not available."""
        return None

    def failed_units(self) -> dict[str, list[str]]:
        """Units whose rows were left out because they failed validation, with the problems.

        Only a staged source leaves rows out (a folder raises on any bad row it reads); a report
        that needs other units' data checks this before it computes.
        """
        return {}

    @property
    def description(self) -> str:
        """Where the data come from, for the report's footer."""
        return ""

    @property
    def original_folder(self) -> Path:
        """The data folder as delivered (for inputs that are not tables, e.g. filled forms)."""
        raise NotImplementedError

    def units(self) -> pd.DataFrame:
        """The validated units catalogue."""
        return self.read("units")

    def activities(self) -> pd.DataFrame:
        """The validated activity catalogue."""
        return self.read("activities")

    def latest_period(self) -> str:
        """The latest month with data in every core monthly table."""
        periods = self.periods()
        if not periods:
            raise DataValidationError(["the data hold no month that every core table covers"])
        return periods[-1]

    def report_period(self, period: str | None) -> str:
        """The month a report is for: ``period`` if the data hold it, the latest month if None.

        Parameters
        ----------
        period
            A month ``YYYY-MM``, or None for :meth:`latest_period`.

        Raises
        ------
        ParameterError
            If ``period`` is not a month ``YYYY-MM``, or the data do not hold it (the message
            names the months the data cover).
        """
        if period is None:
            return self.latest_period()
        chosen = str(parse_period(period))
        available = self.periods()
        if chosen not in available:
            span = f"{available[0]} … {available[-1]}" if available else "no months"
            raise ParameterError(f"`period` {chosen} is not in the data; the data cover {span}")
        return chosen

    def has(self, table: str) -> bool:
        """True if the table is present."""
        return table in self.tables()

    def require(self, *tables: str) -> None:
        """Raise a clear error if a table an analysis needs is missing."""
        missing = [t for t in tables if t not in self.tables()]
        if missing:
            raise DataStructureError(
                [f"table '{t}' is missing from the data folder ({self.description})" for t in missing]
            )


def _end_of_month(period: str) -> date:
    return parse_period(period).end_time.date()


CORE_MONTHLY = ("volume", "hours", "hr", "finance")


class FolderSource(DataSource):
    """A folder of CSV/XLSX/Parquet files, one per table (or a folder of files per table).

    Raw tables are read once and kept; catalogues are validated once. Each :meth:`read`
    validates the rows it returns.
    """

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._files: dict[str, TableFiles] = {
            name: tf for name, tf in discover(self.root, TABLES).items() if name in TABLES
        }
        self._raw: dict[str, pd.DataFrame] = {}
        self._validated: dict[str, ValidatedTable] = {}
        self._full: dict[str, pd.DataFrame] = {}
        #: Codes that a mapping table does not name, per table (their rows are left out of raw()).
        self._unmapped: dict[str, list[Problem]] = {}
        missing = [
            name
            for name, model in TABLES.items()
            if table_meta(model)["required"] and name not in self._files
        ]
        if missing:
            raise DataStructureError(
                [
                    f"required table '{m}' is missing from {self.root} "
                    f"(expected {m}.csv, {m}.xlsx, {m}.parquet or a folder {m}/)"
                    for m in missing
                ]
            )

    @property
    def description(self) -> str:
        return str(self.root)

    @property
    def original_folder(self) -> Path:
        return self.root

    def tables(self) -> set[str]:
        return set(self._files)

    def check_structure(self) -> list[Problem]:
        """Missing/extra columns in every file (reads only the headers), and ``metadata.yaml``."""
        problems: list[Problem] = list(metadata_problems(self.root)[1])
        for name, files in sorted(self._files.items()):
            for path in files.files:
                try:
                    columns = read_columns(path)
                except DataStructureError as exc:
                    problems += [Problem(name, files.relative(path), None, str(p)) for p in exc.problems]
                    continue
                model = get_table(name)
                problems += missing_mappings(name, model, columns, self._files, files.relative(path))
                columns = mapped_columns(name, model, columns)
                problems += check_structure(name, model, columns, files.relative(path))
        return problems

    def raw(self, table: str) -> pd.DataFrame:
        """The table as read, with bookkeeping columns (cached).

        Source-system codes are translated by the mapping tables (rows with a code that no
        mapping names are left out and kept as problems: :meth:`unmapped`), and every person
        key is replaced by its pseudonym, so no raw key leaves this method.
        """
        if table not in self._raw:
            if table not in self._files:
                self.require(table)
            files = self._files[table]
            model = get_table(table)
            frame = read_table(files)
            structure = missing_mappings(table, model, frame.columns, self._files, files.name)
            if structure:
                raise DataStructureError(structure)
            frame, self._unmapped[table] = apply_mappings(table, model, frame, self._catalogue)
            structure = check_structure(table, model, frame.columns, files.name)
            if structure:
                raise DataStructureError(structure)
            self._raw[table] = pseudonymise(frame, model)
        return self._raw[table]

    def unmapped(self, table: str, units: Sequence[str] | None = None) -> list[Problem]:
        """Codes of ``table`` that no mapping table names (for ``units``; global ones always)."""
        self.raw(table)
        problems = self._unmapped.get(table, [])
        if units is None:
            return list(problems)
        return [p for p in problems if p.units is None or p.units & set(units)]

    def catalogue_keys(self) -> dict[str, set[str]]:
        """Keys of every catalogue table (validated)."""
        keys: dict[str, set[str]] = {}
        for name, model in TABLES.items():
            if table_meta(model)["catalogue"] and name in self._files:
                frame = self._catalogue(name)
                key_col = next(iter(model.to_schema().columns))
                keys[name] = set(frame[key_col].dropna())
        return keys

    def _catalogue(self, name: str) -> pd.DataFrame:
        if name not in self._validated:
            model = get_table(name)
            own_keys: dict[str, set[str]] = {}
            raw = self.raw(name)
            key_col = next(iter(model.to_schema().columns))
            own_keys[name] = {str(_as_text(v)) for v in raw[key_col] if _as_text(v) is not pd.NA}
            result = validate_frame(name, model, raw, own_keys)
            if result.problems:
                raise DataValidationError(result.problems)
            self._validated[name] = result
        return self._validated[name].frame

    def read(
        self,
        table: str,
        *,
        units: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        model = get_table(table)
        meta = table_meta(model)
        if meta["catalogue"]:
            return strip_bookkeeping(self._catalogue(table))
        raw = filter_raw(self.raw(table), meta, units, start, end)
        unmapped = self.unmapped(table, units)
        if unmapped:
            raise DataValidationError(unmapped)
        keys = self.catalogue_keys()
        result = validate_frame(table, model, raw, keys)
        if result.problems:
            raise DataValidationError(result.problems)
        return strip_bookkeeping(result.frame)

    def validate_all(self) -> ValidationReport:
        """Validate every row of every table; structure problems raise at once."""
        structure = self.check_structure()
        if structure:
            raise DataStructureError(structure)
        report = ValidationReport()
        keys: dict[str, set[str]] = {}
        for name, model in TABLES.items():
            if name not in self._files or not table_meta(model)["catalogue"]:
                continue
            try:
                self._catalogue(name)
            except DataValidationError as exc:
                report.problems += [p for p in exc.problems if isinstance(p, Problem)]
        if report.problems:
            return report  # without valid catalogues the key checks would only add noise
        keys = self.catalogue_keys()
        for name, model in TABLES.items():
            if name not in self._files or table_meta(model)["catalogue"]:
                continue
            raw = self.raw(name)
            unmapped = self.unmapped(name)
            report.problems += unmapped
            if table_meta(model)["required"] and raw.empty and not unmapped:
                files = self._files[name]
                shown = ", ".join(files.relative(f) for f in files.files)
                report.problems.append(
                    Problem(name, shown, None, "has a header but no rows; a required table needs its rows")
                )
                continue
            result = validate_frame(name, model, raw, keys)
            report.problems += result.problems
            self._full[name] = result.frame
        for check in CHECKS:
            report.problems += check(self)
        return report

    def validated(self, table: str) -> pd.DataFrame:
        """Every parsed row of ``table`` after :meth:`validate_all` (rows of failed units included)."""
        if table in self._validated:
            return self._validated[table].frame
        if table not in self._full:
            raise RuntimeError(f"call validate_all() before validated({table!r})")
        return self._full[table]

    def as_of(self) -> date:
        return as_of_from_metadata(self.root) or _end_of_month(self.latest_period())

    def periods(self) -> list[str]:
        latest: list[set[str]] = []
        for name in CORE_MONTHLY:
            if name in self._files:
                col = period_texts(self.raw(name)["period"]).dropna().unique()
                latest.append({p for p in col if re.fullmatch(PERIOD_PATTERN, p)})
        if not latest:
            return []
        common_max = min(max(s) for s in latest if s) if all(latest) else None
        every = sorted(set().union(*latest))
        return [p for p in every if common_max is None or p <= common_max]

    def fingerprint(self) -> str:
        forms = self.root / FORMS_DIR
        return fingerprint_files(
            [p for tf in self._files.values() for p in tf.files]
            + [p for p in [self.root / METADATA_FILE] if p.is_file()]
            + (sorted(p for p in forms.rglob("*") if p.is_file()) if forms.is_dir() else []),
            self.root,
        )


@register_check
def hours_have_hr_rows(source: FolderSource) -> list[Problem]:
    """Rules across tables: every employee with hours has an hr row for that unit and month."""
    problems: list[Problem] = []
    if {"hours", "hr"} <= source.tables():
        hours = source.raw("hours")
        hr_raw = source.raw("hr")
        if typed_period(hours["period"]) or typed_period(hr_raw["period"]):
            return problems  # months stored as dates are refused by the table's own validation
        key = ["period", "unit_id", "employee_id"]
        h = pd.DataFrame({c: text_series(hours[c]) for c in key})
        known = pd.DataFrame({c: text_series(hr_raw[c]) for c in key}).drop_duplicates()
        known["_known"] = True
        missing = h.merge(known, on=key, how="left")["_known"].isna().to_numpy()
        if missing.any():
            problems.append(
                make_problem(
                    "hours",
                    hours,
                    missing,
                    "employee_id",
                    "employee has hours but no hr row for that unit and month",
                    None,
                    table_meta(get_table("hours")),
                    source.catalogue_keys().get("units"),
                )
            )
    return problems


@register_check
def core_months(source: FolderSource) -> list[Problem]:
    """The core monthly tables must share a month with rows (else no report has a month)."""
    if source.periods():
        return []
    return [
        Problem(
            "volume",
            None,
            "period",
            "the core monthly tables (" + ", ".join(CORE_MONTHLY) + ") hold no month with rows; "
            "every report needs at least one month that all of them cover",
        )
    ]


def fingerprint_files(paths: Iterable[Path], root: Path) -> str:
    """SHA-256 over the files' relative names and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


class StagedSource(DataSource):
    """A validated dataset partitioned by unit (written by :func:`toolkit.staging.stage`)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        marker = self.root / STAGED_MARKER
        self.meta: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))

    @property
    def description(self) -> str:
        return str(self.meta.get("source", self.root))

    @property
    def original_folder(self) -> Path:
        return Path(self.meta.get("source_dir") or self.meta["source"])

    def tables(self) -> set[str]:
        return set(self.meta["tables"])

    def read(
        self,
        table: str,
        *,
        units: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        self.require(table)
        meta = table_meta(get_table(table))
        folder = self.root / "tables" / table
        if meta["catalogue"] or not meta["unit_column"]:
            frames = [pq.read_table(folder / "all.parquet")]
        else:
            wanted = units if units is not None else [p.stem for p in folder.glob("*.parquet")]
            frames = []
            filters = []
            if meta["period_column"] and start:
                filters.append((meta["period_column"], ">=", start))
            if meta["period_column"] and end:
                filters.append((meta["period_column"], "<=", end))
            for unit in wanted:
                path = folder / f"{unit}.parquet"
                if path.is_file():
                    frames.append(pq.read_table(path, filters=filters or None))
        if not frames:
            return _empty_frame(table)
        frame = pa.concat_tables(frames).to_pandas() if len(frames) > 1 else frames[0].to_pandas()
        return frame.reset_index(drop=True)

    def as_of(self) -> date:
        return date.fromisoformat(self.meta["as_of"])

    def periods(self) -> list[str]:
        return list(self.meta["periods"])

    def fingerprint(self) -> str:
        return str(self.meta["fingerprint"])

    def aggregate(self, name: str) -> pd.DataFrame | None:
        path = self.root / "aggregates" / f"{name}.parquet"
        return pd.read_parquet(path) if path.is_file() else None

    def failed_units(self) -> dict[str, list[str]]:
        return {str(k): list(v) for k, v in (self.meta.get("failed_units") or {}).items()}


def _empty_frame(table: str) -> pd.DataFrame:
    schema = get_table(table).to_schema()
    return pd.DataFrame({name: pd.Series(dtype=col.dtype.type) for name, col in schema.columns.items()})


def open_source(path: str | Path) -> DataSource:
    """Open a data folder (raw files) or a staged dataset, whichever ``path`` holds."""
    root = Path(path)
    if (root / STAGED_MARKER).is_file():
        return StagedSource(root)
    return FolderSource(root)


def window(period: str, months: int) -> tuple[str, str]:
    """First and last month of the ``months``-long window that ends with ``period``."""
    end = parse_period(period)
    start = end - (months - 1)
    return str(start), str(end)


__all__ = [
    "DataSource",
    "FolderSource",
    "StagedSource",
    "ValidationReport",
    "open_source",
    "window",
]
