"""Reading filled forms back: where the files lie, one problem type, cell parsers.

Every mistake in a filled form is a :class:`FormProblem` that names the file (relative to the
data folder), the sheet, the cells and the rule, and is attributed to the unit whose folder
holds the form, so that only that unit's reports fail. A :class:`FormFile` makes the problems
of one file. The parsers (:func:`parse_score`, :func:`parse_mark`, :func:`parse_date`,
:func:`cell_text`) return None for an empty cell and raise ValueError for a value that breaks
the rule, so that the reader can say which cell is wrong and :func:`shown` can show what it holds.

Filled forms lie in ``<data folder>/forms/<form>/<unit_id>/``, one workbook per rater
(:func:`forms_dir`, :func:`forms_by_unit`); hidden files and Excel's lock files (``~$...``)
are never read.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import numpy as np
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.data.schemas import ID_PATTERN
from toolkit.data.sources import FORMS_DIR as DATA_FORMS_DIR
from toolkit.data.validation import Problem, shown_value

#: Names of files and folders that are never read (hidden files, Excel's lock files).
HIDDEN = (".", "~$")
#: What openpyxl raises for a file that is not a workbook.
OPEN_ERRORS: tuple[type[BaseException], ...] = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    OSError,
    ValueError,
)
#: Texts of a cell marked "yes" and "no" (compared in lower case; an empty cell is "no").
YES = frozenset({"ja", "x", "yes", "1", "true", "sand"})
NO = frozenset({"nej", "no", "0", "false", "falsk"})
#: The formats a date written as text may have.
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y")
_KEY = re.compile(ID_PATTERN)
_NUMBER = int | float | np.integer | np.floating


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True)
class FormProblem(Problem):
    """A mistake in a filled form, named by file, sheet and cell.

    Attributes
    ----------
    sheet
        The sheet (None: the workbook as a whole).
    cells
        The cells (the first five are named).
    after_file
        What separates the file from the sheet and cells in the message: ``", "`` gives
        ``file, sheet 'S', cell C: rule``, ``": "`` gives ``file: sheet 'S', cell C: rule``.
    """

    sheet: str | None = None
    cells: tuple[str, ...] = ()
    after_file: str = ", "

    def __str__(self) -> str:
        place = []
        if self.sheet:
            place.append(f"sheet '{self.sheet}'")
        if self.cells:
            named = ", ".join(self.cells[:5])
            more = len(self.cells) - 5
            word = "cell" if len(self.cells) == 1 else "cells"
            place.append(f"{word} {named}" + (f" and {more} more" if more > 0 else ""))
        text = self.file or self.table
        if place:
            text += self.after_file + ", ".join(place)
        text += f": {self.rule}"
        if self.values:
            text += "; found " + ", ".join(self.values[:5])
        return text


@dataclass(frozen=True)
class FormFile:
    """The problems of one form file: its form (``table``), file, unit and message style."""

    table: str
    file: str
    unit: str | None
    after_file: str = ", "

    def problem(
        self,
        rule: str,
        *,
        sheet: str | None = None,
        cells: str | Sequence[str] = (),
        values: Sequence[str] = (),
    ) -> FormProblem:
        """A problem of this file (``cells``: one cell or several)."""
        named = (cells,) if isinstance(cells, str) else tuple(cells)
        return FormProblem(
            table=self.table,
            file=self.file,
            column=None,
            rule=rule,
            n_rows=len(named),
            values=tuple(values),
            units=frozenset({self.unit}) if self.unit else None,
            sheet=sheet,
            cells=named,
            after_file=self.after_file,
        )


# --------------------------------------------------------------------------- files


def forms_dir(form: str) -> Path:
    """Where the filled forms of ``form`` lie, relative to the data folder."""
    return Path(DATA_FORMS_DIR) / form


def is_hidden(path: Path) -> bool:
    """True for a hidden file or folder and for Excel's lock files."""
    return path.name.startswith(HIDDEN)


def folder_entries(folder: Path) -> list[Path]:
    """The files and folders in ``folder`` that are not hidden, sorted ([] if there is no folder)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if not is_hidden(p))


def folder_files(folder: Path) -> list[Path]:
    """The files in ``folder`` that are not hidden, sorted."""
    return [p for p in folder_entries(folder) if p.is_file()]


def forms_by_unit(root: Path, form: str) -> dict[str, list[Path]]:
    """Every folder under ``root/forms/<form>`` (named after a unit) with its files, sorted."""
    return {p.name: folder_files(p) for p in folder_entries(Path(root) / forms_dir(form)) if p.is_dir()}


def open_workbook(
    path: Path, *, read_only: bool = False, errors: tuple[type[BaseException], ...] = (Exception,)
) -> Workbook | None:
    """The workbook's values (formulas as last computed), or None if ``errors`` say it is no workbook."""
    try:
        return load_workbook(path, data_only=True, read_only=read_only)
    except errors:
        return None


def same_rater(seen: dict[str, str], name: str, file: str) -> str | None:
    """The file of an earlier form by the rater ``name`` (case ignored), or None (``file`` is then remembered)."""
    key = name.casefold()
    if key in seen:
        return seen[key]
    seen[key] = file
    return None


# --------------------------------------------------------------------------- sheets


def cell_ref(row: int, column: int) -> str:
    """The cell's name, e.g. ``E9``."""
    return f"{get_column_letter(column)}{row}"


def quoted(names: Sequence[str], sep: str = ", ") -> str:
    """Sheet names as a message lists them: ``'Vurdering', 'Værktøjer'``."""
    return sep.join(f"'{n}'" for n in names)


def row_values(ws: Worksheet, row: int) -> tuple[object, ...]:
    """The values of one row of ``ws`` (empty at the end left out)."""
    return tuple(next(iter(ws.iter_rows(min_row=row, max_row=row, values_only=True)), ()))


def sheet_rows(ws: Worksheet, first: int) -> list[tuple[int, tuple[object, ...]]]:
    """Every row of ``ws`` from row ``first`` on, with its row number."""
    rows = ws.iter_rows(min_row=first, values_only=True)
    return [(first + i, tuple(r)) for i, r in enumerate(rows)]


def read_keys(
    ws: Worksheet,
    key_row: int,
    where: FormFile,
    sheet: str,
    *,
    anchor: str,
    stop: Collection[str],
    form: str,
    first_column: int = 3,
) -> tuple[list[str], list[FormProblem]]:
    """The column keys of a sheet's hidden key row, from ``first_column`` to an empty cell or a ``stop`` key.

    Cell A of the key row must read ``anchor`` (else the row has been changed); every key must
    be a valid, unique key.
    """
    row = row_values(ws, key_row)
    if not row or cell_text(row[0]) != anchor:
        return [], [
            where.problem(
                f"the hidden key row {key_row} has been changed (cell A{key_row} should read "
                f"'{anchor}'); make a new form with `toolkit template {form}`",
                sheet=sheet,
                cells=f"A{key_row}",
            )
        ]
    keys: list[str] = []
    problems = []
    for col, value in enumerate(row[first_column - 1 :], start=first_column):
        key = cell_text(value)
        if not key or key in stop:
            break
        if not _KEY.match(key) or key in keys:
            problems.append(
                where.problem(
                    f"key {key!r} is not a valid, unique column key",
                    sheet=sheet,
                    cells=cell_ref(key_row, col),
                )
            )
        keys.append(key)
    return keys, problems


# --------------------------------------------------------------------------- cells


def is_empty(value: object) -> bool:
    """True for an empty cell (None or blank text)."""
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: ``""`` when empty, whole numbers without ``.0``, surrounding blanks removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_score(value: object, scale: Collection[int], *, text: str = "number") -> int | None:
    """A score cell: None when empty; raises ValueError unless a whole number in ``scale``.

    ``text`` says which texts count as numbers: ``"number"`` any text Python reads as a number
    (``"3"``, ``" 3.0 "``), ``"digits"`` only digits (``"3"``). True and False are never scores.
    """
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, _NUMBER):
        number = float(value)
    elif text == "digits":
        if not (isinstance(value, str) and value.strip().isdigit()):
            raise ValueError(value)
        number = float(int(value.strip()))
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValueError(value) from None
    if not number.is_integer() or int(number) not in scale:
        raise ValueError(value)
    return int(number)


def parse_mark(value: object, yes: Collection[str] = YES, no: Collection[str] = NO) -> bool:
    """A yes/no cell: True for a ``yes`` text, False for empty or a ``no`` text; ValueError otherwise."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    mark = cell_text(value).lower()
    if mark in yes:
        return True
    if mark in no or mark == "":
        return False
    raise ValueError(value)


def parse_date(value: object, formats: Sequence[str] = DATE_FORMATS) -> date | None:
    """A date cell: None when empty (None or ``""``); raises ValueError unless a date or a date text in ``formats``."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        for fmt in formats:
            try:
                return datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise ValueError(value)


def shown(value: object, *, compact: bool = False) -> str:
    """A cell's value as a message shows it: whole numbers as whole numbers, text quoted.

    ``compact`` shows numbers with at most six significant digits and every value that is not
    a number or True/False quoted as text; otherwise numbers are shown in full and only text
    is quoted.
    """
    if compact and isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if compact:
        return f"{value:g}" if isinstance(value, int | float) else repr(shown_value(value))
    # Text is quoted as every message quotes a value: at most 40 characters, CPR-like numbers masked.
    return repr(shown_value(value)) if isinstance(value, str) else str(value)
