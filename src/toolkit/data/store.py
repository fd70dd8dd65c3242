"""A Parquet store for large extracts: one dataset per table, partitioned by month (hive layout).

::

    store/
      store.json                       the marker (tables, written by)
      metadata.yaml                    the extract's date and origin (copied)
      hours/period=2026-10/part-0.parquet
      units/part-0.parquet             a table without months: one file

:class:`ParquetStore` reads it with pyarrow datasets: a read for some months opens only those
months' partitions (the partition filter), and a read for some units reads only the row
groups whose unit statistics can hold them (rows are sorted by unit). Its rows are validated
like a folder's, and a message names the partition file and the row in it. Its filled-in forms
are its ``forms/`` subfolder, or a forms folder given (``--forms DIR``).
:func:`write_store` (``toolkit load-db --to DIR``) writes a data folder as a store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from toolkit.core.errors import DataStructureError, DataValidationError
from toolkit.core.files import fingerprint_files
from toolkit.data.datasource import common_periods, end_of_month
from toolkit.data.forms_folder import FORMS_DIR
from toolkit.data.mappings import mapped_columns, missing_mappings
from toolkit.data.metadata import METADATA_FILE, as_of_from_metadata
from toolkit.data.readers import DECIMAL_COMMA_COL, FILE_COL, ROW_COL
from toolkit.data.schemas import TABLES, get_table, table_meta
from toolkit.data.tablesource import CORE_MONTHLY, TableSource, file_stamps
from toolkit.data.validation import Problem, check_structure

STORE_MARKER = "store.json"
#: Rows per row group: small enough that a unit's rows skip most of a month's file.
ROW_GROUP = 20_000


class ParquetStore(TableSource):
    """A month-partitioned Parquet store (see the module docstring)."""

    def __init__(self, root: str | Path, *, forms: Path | None = None) -> None:
        super().__init__()
        self.root = Path(root)
        self._forms = forms if forms is not None else self.root / FORMS_DIR
        marker = json.loads((self.root / STORE_MARKER).read_text(encoding="utf-8"))
        self._tables = [t for t in marker.get("tables", []) if t in TABLES and (self.root / t).is_dir()]
        missing = [n for n, m in TABLES.items() if table_meta(m)["required"] and n not in self._tables]
        if missing:
            raise DataStructureError(
                [f"required table '{m}' is missing from the Parquet store {self.root}" for m in missing]
            )

    @property
    def description(self) -> str:
        return str(self.root)

    def tables(self) -> set[str]:
        return set(self._tables)

    def shown_name(self, table: str) -> str:
        return table

    def dataset(self, table: str) -> ds.Dataset:
        """The table's dataset (its month partitions discovered from the folder names)."""
        return ds.dataset(self.root / table, format="parquet", partitioning="hive")

    def check_structure(self) -> list[Problem]:
        problems: list[Problem] = []
        for name in sorted(self._tables):
            model = get_table(name)
            columns = [c for c in self.dataset(name).schema.names if c != ROW_COL]
            problems += missing_mappings(name, model, columns, self._tables, name)
            problems += check_structure(name, model, mapped_columns(name, model, columns), name)
        return problems

    def _read(self, table: str, expression: ds.Expression | None) -> pd.DataFrame:
        """The rows matching ``expression``, fragment by fragment (each names its file)."""
        frames = []
        data = self.dataset(table)
        for fragment in data.get_fragments(filter=expression):
            shown = Path(fragment.path).relative_to(self.root).as_posix()
            try:
                part = fragment.to_table(filter=expression, schema=data.schema)
            except (pa.ArrowInvalid, OSError) as exc:
                raise DataStructureError([f"{shown}: not a readable Parquet file ({exc})"]) from None
            frame = part.to_pandas()
            for col in frame.columns:
                if isinstance(frame[col].dtype, pd.CategoricalDtype):  # a hive partition column
                    frame[col] = frame[col].astype(object).astype("string")
            frame[FILE_COL] = shown
            frames.append(frame)
        if not frames:
            empty = data.schema.empty_table().to_pandas()
            empty[FILE_COL] = pd.Series(dtype=object)
            frames = [empty]
        out = pd.concat(frames, ignore_index=True)
        out[DECIMAL_COMMA_COL] = False
        return out

    def read_whole(self, table: str) -> pd.DataFrame:
        return self._read(table, None)

    def read_rows(
        self, table: str, units: Sequence[str] | None, start: str | None, end: str | None
    ) -> pd.DataFrame | None:
        meta = table_meta(get_table(table))
        names = set(self.dataset(table).schema.names)
        parts: list[ds.Expression] = []
        if units is not None and meta["unit_column"] in names:
            parts.append(pc.field(meta["unit_column"]).isin(list(units)))
        period = meta["period_column"]
        if period in names and start:
            parts.append(pc.field(period) >= start)
        if period in names and end:
            parts.append(pc.field(period) <= end)
        expression = None
        for p in parts:
            expression = p if expression is None else expression & p
        return self._read(table, expression)

    def periods(self) -> list[str]:
        months = []
        for name in CORE_MONTHLY:
            if name in self._tables:
                months.append({p.name.split("=", 1)[1] for p in (self.root / name).glob("period=*")})
        return common_periods(months)

    def as_of(self) -> date:
        return as_of_from_metadata(self.root) or end_of_month(self.latest_period())

    def fingerprint(self) -> str:
        """A hash of every file in the store (its forms among them) and of a forms folder given elsewhere."""
        files = [p for p in self.root.rglob("*") if p.is_file()]
        own = self._once(("all", file_stamps(files)), lambda: fingerprint_files(files, self.root))
        if self._forms is None or self._forms.is_relative_to(self.root):
            return own
        from toolkit.data.sources import with_forms

        return with_forms(own, self._forms)

    def table_fingerprint(self, table: str) -> str:
        files = [p for p in (self.root / table).rglob("*") if p.is_file()]
        return self._once(("table", file_stamps(files)), lambda: fingerprint_files(files, self.root))


def write_store(folder: Path, out: Path) -> dict[str, int]:
    """Write data folder ``folder`` as a Parquet store in ``out`` (an empty or new folder).

    Each table is stored as :meth:`~toolkit.data.tablesource.TableSource.delivered` gives it
    (codes translated, cells typed, person keys as delivered: the store pseudonymises on read),
    sorted by unit, partitioned by month. Forms and ``metadata.yaml`` are copied. Returns the
    rows written per table.

    Raises
    ------
    DataValidationError
        If the folder has any problem (nothing is written).
    DataStructureError
        If ``out`` exists and is not an empty folder.
    """
    from toolkit.data.sources import FolderSource

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise DataStructureError([f"{out} exists and is not empty; give a new folder for the store"])
    source = FolderSource(folder)
    report = source.validate_all()
    if not report.ok:
        raise DataValidationError(report.problems)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, int] = {}
    for name in sorted(source.tables()):
        meta = table_meta(get_table(name))
        frame = source.delivered(name)
        unit_col, period_col = meta["unit_column"], meta["period_column"]
        order = [c for c in (period_col, unit_col) if c and c in frame]
        if order:
            frame = frame.sort_values(order, kind="stable", ignore_index=True)
        target = out / name
        if period_col and period_col in frame:
            for month, part in frame.groupby(period_col, sort=True):
                _write_part(part.drop(columns=[period_col]), target / f"{period_col}={month}")
        else:
            _write_part(frame, target)
        written[name] = len(frame)
    for extra in (METADATA_FILE, FORMS_DIR):
        path = folder / extra
        if path.is_file():
            shutil.copy2(path, out / extra)
        elif path.is_dir():
            shutil.copytree(path, out / extra)
    marker = {"store": 1, "tables": sorted(written), "source": str(folder)}
    (out / STORE_MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    return written


def _write_part(frame: pd.DataFrame, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    frame = frame.reset_index(drop=True).copy()
    frame[ROW_COL] = range(1, len(frame) + 1)  # the row a message names (the file's own numbering)
    pq.write_table(
        pa.Table.from_pandas(frame, preserve_index=False), folder / "part-0.parquet", row_group_size=ROW_GROUP
    )


__all__ = ["STORE_MARKER", "ParquetStore", "write_store"]
