"""Writing fillable forms: styled cells, grids of rows to fill in, drop-down lists, saving.

A form is an openpyxl workbook. The pieces here are the ones every form of the toolkit uses:

* :class:`CellStyle` and the shared styles (:data:`TITLE`, :data:`BOLD`, :data:`HEADER`, ...),
  applied with :func:`put`;
* :func:`write_lines` for the text of an instructions sheet;
* :func:`write_grid` for the grid of a form: a header row (and optionally a hidden row of
  column keys), one pre-filled row per activity or statement, input columns with their style
  and drop-down list;
* :func:`choice_list` and :func:`date_after` for the data validations, :func:`protect` and
  :data:`UNLOCKED` for a protected sheet whose input cells stay open;
* :func:`write_workbook` (atomic) and :func:`save_form` (atomic, and only when the values
  change, so that regenerated sample forms keep their file dates).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.core.files import atomic_write
from toolkit.report.cells import keep_text


def solid(color: str, *, background: str | None = None) -> PatternFill:
    """A solid fill of ``color`` (hex RGB); ``background`` also sets the pattern's background colour."""
    if background is None:
        return PatternFill("solid", fgColor=color)
    return PatternFill("solid", start_color=color, end_color=background)


@dataclass(frozen=True)
class CellStyle:
    """The look of a cell: each attribute that is not None is set by :meth:`apply`."""

    font: Font | None = None
    fill: PatternFill | None = None
    alignment: Alignment | None = None
    protection: Protection | None = None
    number_format: str | None = None

    def apply(self, cell: Cell) -> Cell:
        """Give ``cell`` this style; returns the cell."""
        if self.font is not None:
            cell.font = self.font
        if self.fill is not None:
            cell.fill = self.fill
        if self.alignment is not None:
            cell.alignment = self.alignment
        if self.protection is not None:
            cell.protection = self.protection
        if self.number_format is not None:
            cell.number_format = self.number_format
        return cell


#: A sheet's title (cell A1).
TITLE = CellStyle(font=Font(bold=True, size=14))
#: A label or a heading in the text.
BOLD = CellStyle(font=Font(bold=True))
#: A paragraph of text that wraps in its cell.
WRAP_TOP = CellStyle(alignment=Alignment(wrap_text=True, vertical="top"))
#: A column header: white bold text on dark blue.
HEADER = CellStyle(
    font=Font(color="FFFFFF", bold=True),
    fill=solid("1F4E79"),
    alignment=Alignment(wrap_text=True, vertical="center"),
)
#: A column header in bold black text.
PLAIN_HEADER = CellStyle(font=Font(bold=True), alignment=Alignment(wrap_text=True, vertical="top"))
#: The small grey keys of a hidden key row.
KEY = CellStyle(font=Font(color="808080", size=8))
#: The protection of a cell to fill in on a protected sheet.
UNLOCKED = Protection(locked=False)


def put(
    ws: Worksheet, where: str | tuple[int, int], value: object = None, style: CellStyle | None = None
) -> Cell:
    """Write ``value`` (unless None) into the cell ``where`` (``"B3"`` or ``(row, column)``) and style it."""
    cell = ws[where] if isinstance(where, str) else ws.cell(row=where[0], column=where[1])
    if value is not None:
        cell.value = value
        keep_text(cell)  # an activity named "=cmd|..." is text in the rater's form, never a formula
    if style is not None:
        style.apply(cell)
    return cell


def write_lines(
    ws: Worksheet, row: int, lines: Sequence[str], style: CellStyle | None = None, *, column: int = 1
) -> int:
    """Write ``lines`` one a row from ``row`` down in ``column``; returns the row below the last."""
    for line in lines:
        put(ws, (row, column), line, style)
        row += 1
    return row


def choice_list(
    items: Sequence[object],
    *,
    error: str | None = None,
    error_title: str | None = None,
    prompt: str | None = None,
    prompt_title: str | None = None,
) -> DataValidation:
    """A drop-down list of ``items`` (empty allowed); an ``error`` refuses other values, a ``prompt`` shows help."""
    options: dict[str, object] = {}
    if error is not None:
        options.update(showErrorMessage=True, error=error, errorTitle=error_title)
    if prompt is not None:
        options.update(promptTitle=prompt_title, prompt=prompt, showInputMessage=True)
    return DataValidation(
        type="list",
        formula1='"' + ",".join(str(i) for i in items) + '"',
        allow_blank=True,
        **options,
    )


def date_after(day: date) -> DataValidation:
    """A date cell that must lie after ``day`` (empty allowed)."""
    serial = to_excel(datetime(day.year, day.month, day.day))
    return DataValidation(type="date", operator="greaterThan", formula1=f"{serial:g}", allow_blank=True)


def protect(ws: Worksheet) -> None:
    """Protect ``ws`` (without a password): only cells styled :data:`UNLOCKED` can be changed."""
    ws.protection.sheet = True


@dataclass(frozen=True)
class GridColumn:
    """A column of a form's grid.

    Attributes
    ----------
    label
        The header.
    key
        Written in the hidden key row (when the grid has one), so that reading does not depend
        on the header's language.
    width
        The column width (None: Excel's default).
    style
        The style of the column's cell in every row of the grid (e.g. the fill of an input).
    validation
        The drop-down list of the column's cells; neighbouring columns with the same list
        share one range.
    """

    label: str
    key: str | None = None
    width: float | None = None
    style: CellStyle | None = None
    validation: DataValidation | None = None


def write_grid(
    ws: Worksheet,
    columns: Sequence[GridColumn],
    rows: Sequence[Sequence[object]],
    *,
    header_row: int,
    first_row: int,
    header: CellStyle = HEADER,
    key_row: int | None = None,
    header_height: float | None = None,
    spare_rows: int = 0,
    freeze_column: int = 1,
) -> int:
    """Write a grid: header, pre-filled rows, styled inputs and drop-downs; returns its last row.

    Parameters
    ----------
    ws
        The sheet.
    columns
        The grid's columns from column A.
    rows
        The pre-filled values of each row (from column A; the row may be shorter than
        ``columns``).
    header_row, first_row
        Where the header and the first row go.
    header
        The style of the header cells.
    key_row
        The row (hidden) for the columns' keys; None for no key row.
    header_height
        The height of the header row (None: Excel's default).
    spare_rows
        Empty rows below the pre-filled ones, styled like them (room for rows a rater adds).
    freeze_column
        The panes freeze above ``first_row`` and left of this column.
    """
    for c, col in enumerate(columns, start=1):
        if key_row is not None and col.key is not None:
            put(ws, (key_row, c), col.key, KEY)
        put(ws, (header_row, c), col.label, header)
    if key_row is not None:
        ws.row_dimensions[key_row].hidden = True
    if header_height is not None:
        ws.row_dimensions[header_row].height = header_height
    for i, values in enumerate(rows):
        for c, value in enumerate(values, start=1):
            keep_text(ws.cell(row=first_row + i, column=c, value=value))
    last_row = first_row + max(len(rows), 1) - 1 + spare_rows
    c = 1
    while c <= len(columns):
        dv = columns[c - 1].validation
        end = c
        while end < len(columns) and dv is not None and columns[end].validation is dv:
            end += 1
        if dv is not None:
            if not any(d is dv for d in ws.data_validations.dataValidation):
                ws.add_data_validation(dv)
            dv.add(f"{get_column_letter(c)}{first_row}:{get_column_letter(end)}{last_row}")
        c = end + 1
    for c, col in enumerate(columns, start=1):
        if col.style is not None:
            for r in range(first_row, last_row + 1):
                col.style.apply(ws.cell(row=r, column=c))
        if col.width is not None:
            ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.freeze_panes = f"{get_column_letter(freeze_column)}{first_row}"
    return last_row


def workbook_values(wb: Workbook) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's cell values (to tell whether a rewrite would change a file)."""
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def write_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` atomically (no reader ever sees half a workbook); returns the path."""
    out = Path(path)
    atomic_write(out, lambda p: wb.save(p))
    return out


def save_form(wb: Workbook, path: str | Path) -> bool:
    """Save ``wb`` to ``path`` unless the file already holds the same values; True if written."""
    path = Path(path)
    if path.is_file():
        try:
            old = load_workbook(path, data_only=True)
            if workbook_values(old) == workbook_values(wb):
                return False
        except Exception:  # an unreadable old file is simply replaced
            pass
    write_workbook(wb, path)
    return True
