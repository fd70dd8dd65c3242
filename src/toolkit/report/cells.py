"""Workbook cells that stay inert: text from the data is never a formula.

Every workbook and form the toolkit writes goes through :func:`keep_text`. A text that begins
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be taken for a formula by a
spreadsheet (at once, or when a user edits the cell, or when the sheet is saved as CSV), so
such a text is stored as a text cell with Excel's quote prefix — like typing an apostrophe
first, which is not part of the value: the text reads exactly as written.
"""

from __future__ import annotations

from typing import Any

#: The first characters that make a spreadsheet read a text as a formula (or a DDE call).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: object) -> bool:
    """True for a text a spreadsheet could evaluate."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def keep_text(cell: Any) -> None:
    """Make an openpyxl cell holding such a text an inert text cell (numbers are left alone)."""
    if looks_like_formula(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
