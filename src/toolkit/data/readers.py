"""Reading input files: CSV (also as a Danish Excel saves it), XLSX and Parquet.

A table is one file named after it (``hours.csv``, ``hours.xlsx``, ``hours.parquet``) or a
folder of such files (``hours/2025-01.csv``, ``hours/2025-02.csv``, ...), e.g. one extract a
month. Values are returned as read, with two bookkeeping columns that every error message
uses: :data:`FILE_COL` (the file, relative to the data folder) and :data:`ROW_COL` (the row
as a spreadsheet shows it: the header is row 1, the first record row 2; for Parquet, the
record's number counted from 1).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from toolkit.core.errors import DataStructureError

FILE_COL = "__file__"
ROW_COL = "__row__"
#: Did the file write decimals with a comma (Danish CSV)? Stored per row, so folders may mix.
DECIMAL_COMMA_COL = "__decimal_comma__"
BOOKKEEPING = (FILE_COL, ROW_COL, DECIMAL_COMMA_COL)

SUFFIXES = (".csv", ".xlsx", ".parquet")


@dataclass(frozen=True)
class TableFiles:
    """Where a table lives in a data folder."""

    name: str
    files: tuple[Path, ...]
    root: Path

    def relative(self, path: Path) -> str:
        """``path`` relative to the data folder, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:  # pragma: no cover - a file outside the folder
            return path.as_posix()


def _data_files(folder: Path) -> list[Path]:
    """The data files in ``folder`` and below, sorted (hidden and Excel lock files skipped)."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
    )


def discover(root: Path) -> dict[str, TableFiles]:
    """Find the tables in data folder ``root``: ``<table>.<ext>`` files and ``<table>/`` folders.

    Raises
    ------
    DataStructureError
        If the folder does not exist or a table is given twice (``hours.csv`` and ``hours.xlsx``).
    """
    if not root.is_dir():
        raise DataStructureError([f"data folder {root} does not exist or is not a folder"])
    found: dict[str, list[Path]] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith((".", "~$", "_")):
            continue
        if entry.is_file() and entry.suffix.lower() in SUFFIXES:
            found.setdefault(entry.stem, []).append(entry)
        elif entry.is_dir() and _data_files(entry):
            found.setdefault(entry.name, []).append(entry)
    tables: dict[str, TableFiles] = {}
    for name, entries in found.items():
        if len(entries) > 1:
            names = ", ".join(e.name for e in entries)
            raise DataStructureError(
                [f"table '{name}' is given more than once ({names}); keep one file or one folder"]
            )
        entry = entries[0]
        files = tuple(_data_files(entry)) if entry.is_dir() else (entry,)
        tables[name] = TableFiles(name=name, files=files, root=root)
    return tables


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Danish Windows saves "CSV (semikolonsepareret)" as Windows-1252.
        return data.decode("cp1252", errors="strict")


def _sniff_delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def read_csv(path: Path, display: str) -> pd.DataFrame:
    """Read a CSV file as text columns; semicolon files are taken to use decimal commas."""
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError as exc:  # pragma: no cover - cp1252 decodes nearly anything
        raise DataStructureError([f"{display}: cannot decode the file ({exc})"]) from None
    first_line = text.split("\n", 1)[0]
    sep = _sniff_delimiter(first_line)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataStructureError([f"{display}: not a readable CSV file ({exc})"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[ROW_COL] = range(2, len(frame) + 2)
    frame[DECIMAL_COMMA_COL] = sep == ";"
    return frame


def read_xlsx(path: Path, display: str) -> pd.DataFrame:
    """Read the first sheet of an Excel workbook; the header is on row 1."""
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataStructureError([f"{display}: not a readable Excel workbook ({exc})"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[ROW_COL] = range(2, len(frame) + 2)
    frame[DECIMAL_COMMA_COL] = False
    return frame


def read_parquet(path: Path, display: str) -> pd.DataFrame:
    """Read a Parquet file."""
    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises ArrowInvalid, OSError, ...
        raise DataStructureError([f"{display}: not a readable Parquet file ({exc})"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    frame[ROW_COL] = range(1, len(frame) + 1)
    frame[DECIMAL_COMMA_COL] = False
    return frame


READERS = {".csv": read_csv, ".xlsx": read_xlsx, ".parquet": read_parquet}


def read_columns(path: Path) -> list[str]:
    """The column names of a file, read cheaply (for a structure check)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return [str(c).strip() for c in pq.read_schema(path).names]
    if suffix == ".csv":
        with path.open("rb") as fh:
            head = fh.readline()
        text = _decode(head).rstrip("\r\n")
        sep = _sniff_delimiter(text)
        return [c.strip().strip('"') for c in next(csv.reader([text], delimiter=sep))] if text else []
    return list(read_xlsx(path, path.name).columns.drop([ROW_COL, DECIMAL_COMMA_COL]))


def read_table(files: TableFiles) -> pd.DataFrame:
    """Read every file of a table into one frame with the bookkeeping columns."""
    frames = []
    for path in files.files:
        display = files.relative(path)
        frame = READERS[path.suffix.lower()](path, display)
        frame[FILE_COL] = display
        frames.append(frame)
    if len(frames) == 1:
        return frames[0]
    columns = [list(f.columns) for f in frames]
    for f, cols in zip(files.files[1:], columns[1:], strict=True):
        if set(cols) != set(columns[0]):
            raise DataStructureError(
                [
                    f"{files.relative(f)}: its columns differ from those of "
                    f"{files.relative(files.files[0])} in the same table folder"
                ]
            )
    return pd.concat(frames, ignore_index=True)
