"""Data access: one interface over a folder of files, a database, a Parquet store or a staged dataset.

Every read names the unit(s) and the months it needs, so that a back-end can filter at the
source. The back-ends:

:class:`FolderSource`
    a folder of CSV/XLSX/Parquet files as delivered (``data_samples/`` is one). Each read
    validates the rows it returns, so a problem in another unit's rows does not stop this
    unit's report.
:class:`~toolkit.data.db.DatabaseSource`
    the same tables in a database (``postgresql://…``; any database SQLAlchemy speaks); unit
    and month filters become SQL ``WHERE`` clauses.
:class:`~toolkit.data.store.ParquetStore`
    a folder of Parquet datasets partitioned by month (hive layout), read with filter pushdown.
:class:`StagedSource`
    what the runner writes once per run: every table validated and partitioned by unit as
    Parquet, plus agreed aggregates for comparison. A unit's read touches only that unit's
    files, so a unit's report costs in proportion to that unit's data.

:func:`open_source` picks the right one for a path or URL. The validation the first three
share is :class:`~toolkit.data.tablesource.TableSource`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from toolkit.core.errors import DataStructureError
from toolkit.core.files import fingerprint_files
from toolkit.data.cache import workbook_columns
from toolkit.data.checks import CHECKS, ValidationReport, register_check
from toolkit.data.datasource import DataSource, end_of_month, window
from toolkit.data.filters import filter_raw
from toolkit.data.forms_folder import (
    FORMS_DIR,
    forms_base,
    forms_files,
    forms_fingerprint,
    given_forms_folder,
)
from toolkit.data.mappings import mapped_columns, missing_mappings
from toolkit.data.metadata import METADATA_FILE, as_of_from_metadata, metadata_problems, not_collected
from toolkit.data.readers import TableFiles, discover, read_table
from toolkit.data.schemas import TABLES, get_table, table_meta
from toolkit.data.tablesource import CORE_MONTHLY, TableSource, empty_frame, file_stamps
from toolkit.data.validation import (
    Problem,
    check_structure,
    make_problem,
    text_series,
    typed_period,
)

STAGED_MARKER = "staged.json"


class FolderSource(TableSource):
    """A folder of CSV/XLSX/Parquet files, one per table (or a folder of files per table).

    Raw tables are read once and kept; catalogues are validated once. Each :meth:`read`
    validates the rows it returns.
    """

    #: A read reads (and hashes) the table's files whole anyway: its validation is kept.
    cache_reads = True

    def __init__(self, root: str | Path, *, forms: Path | None = None) -> None:
        super().__init__()
        self.root = Path(root)
        self._forms = forms if forms is not None else self.root / FORMS_DIR
        self._read: dict[str, pd.DataFrame] = {}
        self._files: dict[str, TableFiles] = {
            name: tf for name, tf in discover(self.root, TABLES).items() if name in TABLES
        }
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

    def not_collected(self) -> frozenset[str]:
        return not_collected(self.root)

    def tables(self) -> set[str]:
        return set(self._files)

    def shown_name(self, table: str) -> str:
        return self._files[table].name

    def shown_files(self, table: str) -> str:
        files = self._files[table]
        return ", ".join(files.relative(f) for f in files.files)

    def read_whole(self, table: str) -> pd.DataFrame:
        """The table's files as read (cells as text, bookkeeping columns), read once and kept."""
        if table not in self._read:
            self._read[table] = read_table(self._files[table])
        return self._read[table]

    def raw(self, table: str) -> pd.DataFrame:
        frame = super().raw(table)
        self._read.pop(table, None)  # the prepared whole table is kept instead of the file's
        return frame

    def read_rows(
        self, table: str, units: Sequence[str] | None, start: str | None, end: str | None
    ) -> pd.DataFrame | None:
        """The rows of ``units`` and months, picked from the file before they are prepared.

        A file holds every unit's rows, so it is read whole; but only the rows a run needs are
        then translated, pseudonymised (an HMAC per distinct key: the costly part on a region's
        files) and validated — so a run's cost follows its units, not the file. Where the
        file has no unit column of its own (a cost-centre code the mapping turns into the unit)
        the rows can only be picked after the translation: None, and the whole table is
        prepared (the base class's way).
        """
        meta = table_meta(get_table(table))
        unit_col = meta["unit_column"]
        if units is None or not unit_col:
            return None
        frame = self.read_whole(table)
        if unit_col not in frame.columns:
            return None
        return filter_raw(frame, meta, units, start, end)

    def check_structure(self) -> list[Problem]:
        """Missing/extra columns in every file (reads only the headers), and ``metadata.yaml``."""
        problems: list[Problem] = list(metadata_problems(self.root)[1])
        for name, files in sorted(self._files.items()):
            for path in files.files:
                try:
                    columns = workbook_columns(path)  # a workbook's header is kept by its content
                except DataStructureError as exc:
                    problems += [Problem(name, files.relative(path), None, str(p)) for p in exc.problems]
                    continue
                model = get_table(name)
                problems += missing_mappings(name, model, columns, self._files, files.relative(path))
                columns = mapped_columns(name, model, columns)
                problems += check_structure(name, model, columns, files.relative(path))
        return problems

    def as_of(self) -> date:
        return as_of_from_metadata(self.root) or end_of_month(self.latest_period())

    def fingerprint(self) -> str:
        """A hash of the tables' files, ``metadata.yaml`` and the filled-in forms (names and contents)."""
        files = [p for tf in self._files.values() for p in tf.files]
        files += [p for p in [self.root / METADATA_FILE] if p.is_file()]
        if self._forms is not None and self._forms.is_relative_to(self.root):
            files += forms_files(self._forms)
            return self._once(("all", file_stamps(files)), lambda: fingerprint_files(files, self.root))
        own = self._once(("all", file_stamps(files)), lambda: fingerprint_files(files, self.root))
        return with_forms(own, self._forms)

    def table_fingerprint(self, table: str) -> str:
        """A hash of one table's files (names and contents), hashed once while they are unchanged."""
        files = self._files[table].files
        return self._once(("table", file_stamps(files)), lambda: fingerprint_files(files, self.root))


@register_check(reads=("hours", "hr"))
def hours_have_hr_rows(source: TableSource) -> list[Problem]:
    """Rules across tables: every employee with hours has an hr row for that unit and month."""
    problems: list[Problem] = []
    if {"hours", "hr"} <= source.tables():
        hours = source.checked_raw("hours")
        hr_raw = source.checked_raw("hr")
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
def core_months(source: TableSource) -> list[Problem]:
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
        if "forms_dir" in self.meta:
            return forms_base(self.forms_folder)
        return Path(self.meta.get("source_dir") or self.meta["source"])

    @property
    def forms_folder(self) -> Path | None:
        """The forms folder of the data staged (``forms_dir``; before it was noted: ``source_dir/forms``)."""
        if "forms_dir" in self.meta:
            return Path(self.meta["forms_dir"]) if self.meta["forms_dir"] else None
        return self.original_folder / FORMS_DIR

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
            return empty_frame(table)
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


def with_forms(fingerprint: str, forms: Path | None) -> str:
    """``fingerprint`` of a source's tables combined with its forms' (itself when there are none)."""
    found = forms_fingerprint(forms)
    if not found:
        return fingerprint
    return hashlib.sha256(f"{fingerprint}|forms:{found}".encode()).hexdigest()


def open_source(location: str | Path, *, forms: str | Path | None = None) -> DataSource:
    """Open whatever ``location`` holds: a database URL, a staged dataset, a Parquet store or a folder.

    ``forms`` is the forms folder of data as delivered (``--forms DIR``, checked): by default a
    folder's or a store's ``forms/`` subfolder, none for a database (:mod:`toolkit.data.forms_folder`).

    Raises
    ------
    ParameterError
        If ``forms`` is not a folder, or the database cannot be reached.
    """
    folder = given_forms_folder(forms) if forms is not None else None
    text = str(location)
    if "://" in text:
        from toolkit.data.db import DatabaseSource

        return DatabaseSource(text, forms=folder)
    root = Path(location)
    if (root / STAGED_MARKER).is_file():
        return StagedSource(root)
    from toolkit.data.store import STORE_MARKER, ParquetStore

    if (root / STORE_MARKER).is_file():
        return ParquetStore(root, forms=folder)
    return FolderSource(root, forms=folder)


def open_tables(location: str | Path, *, forms: str | Path | None = None) -> TableSource:
    """Open data as delivered (a folder, a Parquet store or a database URL), to validate and stage.

    ``forms``: the forms folder (``--forms DIR``), as for :func:`open_source`.
    """
    source = open_source(location, forms=forms)
    if isinstance(source, StagedSource):
        raise DataStructureError([f"{location} is a staged dataset, not data as delivered"])
    if not isinstance(source, TableSource):  # pragma: no cover - every other source is a TableSource
        raise DataStructureError([f"{location} holds no tables as delivered"])
    return source


__all__ = [
    "CHECKS",
    "CORE_MONTHLY",
    "FORMS_DIR",
    "DataSource",
    "FolderSource",
    "StagedSource",
    "TableSource",
    "ValidationReport",
    "open_source",
    "open_tables",
    "register_check",
    "window",
]
