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
import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from toolkit.core.errors import DataStructureError

FILE_COL = "__file__"
ROW_COL = "__row__"
#: Did the file write decimals with a comma (Danish CSV)? Stored per row, so folders may mix.
DECIMAL_COMMA_COL = "__decimal_comma__"
#: A row's key in a database table (``period=2026-10, unit_id=FS-LUN``), named instead of its row.
KEY_COL = "__key__"
BOOKKEEPING = (FILE_COL, ROW_COL, DECIMAL_COMMA_COL, KEY_COL)

SUFFIXES = (".csv", ".xlsx", ".parquet")
#: Workbook formats that cannot be read (and that users do have): named, with what to do.
OLD_EXCEL = (".xls", ".xlsb")


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


def _outside(path: Path, root: Path) -> bool:
    """True if ``path`` (a link, or a file below a linked folder) leads out of ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return True
    return False


def _check_inside(path: Path, root: Path) -> None:
    """The data folder is a boundary: a link that leads out of it is refused (never followed)."""
    if _outside(path, root):
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
        raise DataStructureError(
            [
                f"{shown}: is a link to a file outside the data folder; links out of the data "
                "folder are not followed (copy the file into the folder)"
            ]
        )


def _data_files(folder: Path, root: Path) -> list[Path]:
    """The data files in ``folder`` and below, sorted (hidden and Excel lock files skipped)."""
    files = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
    )
    for path in files:
        _check_inside(path, root)
    return files


def discover(root: Path, known: Collection[str] | None = None) -> dict[str, TableFiles]:
    """Find the tables in data folder ``root``: ``<table>.<ext>`` files and ``<table>/`` folders.

    ``known`` names the tables of the data model: an old Excel workbook (``volume.xls``) named
    after one is an error that says what to do, instead of a silently missing table. A link
    that leads out of the data folder is refused.

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
        if entry.suffix.lower() in OLD_EXCEL and entry.is_file() and (known is None or entry.stem in known):
            raise DataStructureError(
                [
                    f"{entry.name}: is an old Excel workbook ({entry.suffix}), which cannot be read; "
                    "open it in Excel and save it as .xlsx (Excel-projektmappe)"
                ]
            )
        if entry.is_file() and entry.suffix.lower() in SUFFIXES:
            _check_inside(entry, root)
            found.setdefault(entry.stem, []).append(entry)
        elif entry.is_dir() and _data_files(entry, root):
            _check_inside(entry, root)
            found.setdefault(entry.name, []).append(entry)
    tables: dict[str, TableFiles] = {}
    for name, entries in found.items():
        if len(entries) > 1:
            names = ", ".join(e.name for e in entries)
            raise DataStructureError(
                [f"table '{name}' is given more than once ({names}); keep one file or one folder"]
            )
        entry = entries[0]
        files = tuple(_data_files(entry, root)) if entry.is_dir() else (entry,)
        tables[name] = TableFiles(name=name, files=files, root=root)
    return tables


def _lines(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:5])
    more = len(numbers) - 5
    return ("line " if len(numbers) == 1 else "lines ") + shown + (f" and {more} more" if more > 0 else "")


def _decode(data: bytes, display: str = "the file") -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252.

    A file that is UTF-8 in some lines and not in others (one line pasted from another
    program) is refused: reading it either way would garble some names silently.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    utf8_lines, other_lines = [], []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            other_lines.append(number)
        else:
            utf8_lines.append(number)
    if utf8_lines:
        raise DataStructureError(
            [
                f"{display}: mixes text encodings: {_lines(utf8_lines)} UTF-8, {_lines(other_lines)} "
                "another encoding (Windows-1252?); save the file again as 'CSV UTF-8' so that "
                "every line is read as written"
            ]
        )
    # Excel on Danish Windows saves "CSV (semikolonsepareret)" as Windows-1252.
    try:
        return data.decode("cp1252", errors="strict")
    except UnicodeDecodeError:
        raise DataStructureError(
            [
                f"{display}: is neither UTF-8 nor Windows-1252 text ({_lines(other_lines)}); save it as 'CSV UTF-8'"
            ]
        ) from None


def _sniff_delimiter(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def read_csv(path: Path, display: str) -> pd.DataFrame:
    """Read a CSV file as text columns; semicolon files are taken to use decimal commas."""
    text = _decode(path.read_bytes(), display)
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


#: A formula element in a worksheet's XML (``<f>``, ``<f t="shared" ...>``, with or without a
#: namespace prefix).
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _has_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (read from its XML, quickly).

    Most delivered workbooks hold values only; they need no cell-by-cell check. A file that is
    not a readable zip is left to the full check, which names the problem.
    """
    try:
        with zipfile.ZipFile(path) as book:
            sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            return any(_FORMULA_TAG.search(book.read(name)) for name in sheets)
    except (OSError, zipfile.BadZipFile, KeyError):
        return True


def _formulas_without_values(path: Path, display: str) -> None:
    """Refuse formula cells that carry no saved result (written by a program, never opened in Excel).

    pandas reads such a cell as empty: a goal would become "not measured" without a word.
    """
    from openpyxl import load_workbook

    if not _has_formulas(path):
        return

    formulas = load_workbook(path, read_only=True, data_only=False)
    values = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet_f, sheet_v = formulas.worksheets[0], values.worksheets[0]
        empty: list[str] = []
        for row_f, row_v in zip(sheet_f.iter_rows(), sheet_v.iter_rows(), strict=False):
            for cell_f, cell_v in zip(row_f, row_v, strict=False):
                if cell_f.data_type == "f" and cell_v.value is None and hasattr(cell_f, "coordinate"):
                    empty.append(cell_f.coordinate)
    finally:
        formulas.close()
        values.close()
    if empty:
        shown = ", ".join(empty[:5]) + (f" and {len(empty) - 5} more" if len(empty) > 5 else "")
        raise DataStructureError(
            [
                f"{display}, sheet '{sheet_f.title}', cell {shown}: a formula without a saved result "
                "(the workbook was written by a program and never calculated); open it in Excel, "
                "save it, and deliver it again — or deliver the values instead of formulas"
            ]
        )


#: Workbooks read in this process, by path, size and modification time (see :func:`read_xlsx`).
_XLSX_READ: dict[tuple[str, int, int, str], pd.DataFrame] = {}
_XLSX_KEEP = 16


def read_xlsx(path: Path, display: str) -> pd.DataFrame:
    """Read the first sheet of an Excel workbook; the header is on row 1.

    A workbook is slow to parse and a run reads it more than once (its header for the structure
    check, then its rows), so the frame is kept for the process while the file's size and
    modification time are unchanged; each caller gets its own copy.
    """
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, display)
    if key not in _XLSX_READ:
        if len(_XLSX_READ) >= _XLSX_KEEP:
            _XLSX_READ.pop(next(iter(_XLSX_READ)))
        _XLSX_READ[key] = _read_xlsx(path, display)
    return _XLSX_READ[key].copy()


def _read_xlsx(path: Path, display: str) -> pd.DataFrame:
    try:
        frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        _formulas_without_values(path, display)
    except DataStructureError:
        raise
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise DataStructureError([f"{display}: not a readable Excel workbook ({exc})"]) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    _check_header_row(frame, display)
    frame[ROW_COL] = range(2, len(frame) + 2)
    frame[DECIMAL_COMMA_COL] = False
    return frame


#: How far down a sheet the header is looked for when row 1 is not one.
HEADER_SEARCH_ROWS = 30


def _check_header_row(frame: pd.DataFrame, display: str) -> None:
    """Refuse a sheet whose row 1 is not the header (a title above the table), naming the likely row.

    Row 1 is not a header when at least half of its cells are empty (pandas names them
    ``Unnamed: n``). The header then seems to be the first of the next rows with the most
    text cells.
    """
    unnamed = [c for c in frame.columns if c.startswith("Unnamed:")]
    if not len(frame.columns) or len(unnamed) * 2 < len(frame.columns):
        return
    best_row, best_count = None, 1
    for position, (_, row) in enumerate(frame.head(HEADER_SEARCH_ROWS).iterrows()):
        count = sum(isinstance(v, str) and bool(v.strip()) for v in row)
        if count > best_count:
            best_row, best_count = position + 2, count  # the sheet's row number (row 1 was read as header)
    where = (
        f"the header seems to be on row {best_row}; delete the rows above it"
        if best_row is not None
        else "no row in the first rows looks like a header either"
    )
    raise DataStructureError(
        [
            f"{display}: row 1 is not a header ({len(unnamed)} of its {len(frame.columns)} cells are empty); "
            f"{where}, so that the column names are on row 1"
        ]
    )


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
        text = _decode(head, path.name).rstrip("\r\n")
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
