"""Selecting a unit's rows and months from a raw table, before validation (so only they are validated)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd

from toolkit.data.schemas import PERIOD_PATTERN
from toolkit.data.validation import _as_text, text_series


def _period_text(value: object) -> object:
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    return _as_text(value)


def period_texts(raw: pd.Series) -> pd.Series:
    """A raw period column as ``YYYY-MM`` text (dates from Excel converted), vectorised for text."""
    if pd.api.types.is_string_dtype(raw):
        return text_series(raw)
    return raw.map(_period_text).astype("string")


def filter_raw(
    raw: pd.DataFrame,
    meta: dict[str, Any],
    units: Sequence[str] | None,
    start: str | None,
    end: str | None,
) -> pd.DataFrame:
    """Rows of the requested units and months; rows whose month does not parse are kept."""
    mask = pd.Series(True, index=raw.index)
    unit_col, period_col = meta["unit_column"], meta["period_column"]
    if units is not None and unit_col:
        mask &= text_series(raw[unit_col]).isin(list(units)).fillna(False).astype(bool)
    if period_col and (start or end):
        text = period_texts(raw[period_col][mask])
        valid = text.str.fullmatch(PERIOD_PATTERN).fillna(False).astype(bool)
        inside = pd.Series(True, index=text.index)
        if start:
            inside &= (text >= start).fillna(False).astype(bool)
        if end:
            inside &= (text <= end).fillna(False).astype(bool)
        keep = (inside | ~valid).reindex(raw.index, fill_value=False).astype(bool)
        mask &= keep
    return raw[mask]
