"""Fillable Excel forms (workshop and self-assessment instruments): the registry and the form kit.

An analysis registers a form writer with :func:`register`; ``toolkit template NAME --unit ID
--out FILE.xlsx`` calls it. The analysis builds its form with the pieces of
:mod:`toolkit.report.forms.write` (styled cells, grids of activities or statements, drop-down
lists, protection, saving) and reads filled forms back with those of
:mod:`toolkit.report.forms.read` (the form files per unit, one problem type that names file,
sheet, cell and rule, parsers for scores, marks, dates and text). Both are re-exported here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.core.errors import ParameterError
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.report.forms.read import (
    DATE_FORMATS,
    HIDDEN,
    NO,
    OPEN_ERRORS,
    YES,
    FormFile,
    FormProblem,
    cell_ref,
    cell_text,
    folder_entries,
    folder_files,
    forms_by_unit,
    forms_dir,
    is_empty,
    is_hidden,
    open_workbook,
    parse_date,
    parse_mark,
    parse_score,
    quoted,
    read_keys,
    row_values,
    same_rater,
    sheet_rows,
    shown,
)
from toolkit.report.forms.write import (
    BOLD,
    HEADER,
    KEY,
    PLAIN_HEADER,
    TITLE,
    UNLOCKED,
    WRAP_TOP,
    CellStyle,
    GridColumn,
    choice_list,
    date_after,
    protect,
    put,
    save_form,
    solid,
    workbook_values,
    write_grid,
    write_lines,
    write_workbook,
)

__all__ = [
    "BOLD",
    "DATE_FORMATS",
    "FORMS",
    "HEADER",
    "HIDDEN",
    "KEY",
    "NO",
    "OPEN_ERRORS",
    "PLAIN_HEADER",
    "TITLE",
    "UNLOCKED",
    "WRAP_TOP",
    "YES",
    "CellStyle",
    "FormFile",
    "FormProblem",
    "FormRequest",
    "FormWriter",
    "GridColumn",
    "cell_ref",
    "cell_text",
    "choice_list",
    "date_after",
    "folder_entries",
    "folder_files",
    "forms_by_unit",
    "forms_dir",
    "get",
    "is_empty",
    "is_hidden",
    "open_workbook",
    "parse_date",
    "parse_mark",
    "parse_score",
    "protect",
    "put",
    "quoted",
    "read_keys",
    "register",
    "row_values",
    "same_rater",
    "save_form",
    "sheet_rows",
    "shown",
    "solid",
    "workbook_values",
    "write_grid",
    "write_lines",
    "write_workbook",
]


@dataclass(frozen=True)
class FormRequest:
    """What a form writer gets: the unit, the data (catalogues), the unit's parameters, the file."""

    unit_id: str
    source: DataSource
    params: Params
    params_dir: Path
    out: Path


FormWriter = Callable[[FormRequest], Path]
FORMS: dict[str, FormWriter] = {}


def register(name: str) -> Callable[[FormWriter], FormWriter]:
    """Register a form writer under ``name`` (decorator)."""

    def deco(func: FormWriter) -> FormWriter:
        FORMS[name] = func
        return func

    return deco


def get(name: str) -> FormWriter:
    """The writer of form ``name``; a ParameterError names the known forms."""
    try:
        return FORMS[name]
    except KeyError:
        known = ", ".join(sorted(FORMS)) or "none yet"
        raise ParameterError(f"unknown form {name!r}; forms: {known}") from None
