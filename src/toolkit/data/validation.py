"""Validation of input tables against the data model.

Each table goes through four steps; each broken rule becomes one :class:`Problem` that names
the file, the column, the first offending rows and the rule:

1. **structure** — missing or extra columns (a :class:`~toolkit.errors.DataStructureError`:
   the whole run stops);
2. **types** — a text in a number column, a month that does not parse;
3. **rules** — the pandera schema: ranges, allowed values, keys, unique keys;
4. **references** — unit and activity keys must exist in their catalogues.

A problem is *attributed* to the units whose rows break the rule, so that a runner can fail
just those units; a problem in a catalogue or in a row whose unit is unknown is global.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd
import pandera.pandas as pa

from toolkit.data.readers import BOOKKEEPING, DECIMAL_COMMA_COL, FILE_COL, KEY_COL, ROW_COL
from toolkit.data.rules import describe_check
from toolkit.data.schemas import TABLES, TableModel, table_meta

MAX_ROWS_SHOWN = 5


@dataclass(frozen=True)
class Problem:
    """One broken rule in one column of one file.

    Attributes
    ----------
    table, file, column, rule
        Where and what: ``file`` is relative to the data folder.
    rows
        The first offending rows (spreadsheet numbering: the header is row 1).
    n_rows
        How many rows break the rule in all.
    values
        The offending values of the first rows, as text.
    units
        The units whose rows break the rule; ``None`` for a problem that concerns every unit.
    """

    table: str
    file: str | None
    column: str | None
    rule: str
    rows: tuple[int, ...] = ()
    n_rows: int = 0
    values: tuple[str, ...] = ()
    units: frozenset[str] | None = None
    #: The rows' keys (a database table has keys, not row numbers); shown instead of ``rows``.
    keys: tuple[str, ...] = ()

    @property
    def is_global(self) -> bool:
        """True if the problem is not confined to some units' rows."""
        return self.units is None

    def __str__(self) -> str:
        where = self.file or self.table
        parts = [where]
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.keys:
            more = self.n_rows - len(self.keys)
            parts.append("key " + "; ".join(self.keys) + (f" and {more} more" if more > 0 else ""))
        elif self.rows:
            shown = ", ".join(str(r) for r in self.rows)
            more = self.n_rows - len(self.rows)
            word = "row" if self.n_rows == 1 else "rows"
            parts.append(f"{word} {shown}" + (f" and {more} more" if more > 0 else ""))
        text = ", ".join(parts) + f": {self.rule}"
        if self.values:
            text += " (found " + ", ".join(repr(v) for v in self.values) + ")"
        return text


@dataclass
class ValidatedTable:
    """A table after validation: the clean rows and the problems found."""

    name: str
    frame: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- structure


def check_structure(table: str, model: type[TableModel], columns: Iterable[str], file: str) -> list[Problem]:
    """Missing and extra columns of one file of ``table``."""
    expected = list(model.to_schema().columns)
    present = [c for c in columns if c not in BOOKKEEPING]
    missing = [c for c in expected if c not in present]
    extra = [c for c in present if c not in expected]
    problems = []
    if missing:
        problems.append(
            Problem(
                table,
                file,
                ", ".join(missing),
                f"missing column{'s' if len(missing) > 1 else ''}; the file has: " + ", ".join(present),
            )
        )
    if extra:
        problems.append(
            Problem(
                table,
                file,
                ", ".join(extra),
                f"unexpected column{'s' if len(extra) > 1 else ''}; the table has exactly: "
                + ", ".join(expected),
            )
        )
    return problems


# --------------------------------------------------------------------------- types


def column_kind(dtype: object) -> str:
    """The parse kind of a pandera column dtype: text, number, integer, bool or datetime."""
    name = str(dtype).lower()
    if "datetime" in name:
        return "datetime"
    if "bool" in name:
        return "bool"
    if "int" in name:
        return "integer"
    if "float" in name:
        return "number"
    return "text"


def _as_text(value: object) -> object:
    """Normalise a raw cell into text (or NA): numbers from Excel lose a trailing .0."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA or value is pd.NaT:
        return pd.NA  # NaT: an empty datetime cell (Parquet), not a date
    if isinstance(value, bool | np.bool_):
        return str(value)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, datetime | pd.Timestamp):
        return (
            value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
        )
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    return text if text else pd.NA


def text_series(raw: pd.Series) -> pd.Series:
    """Raw cells as trimmed text (pandas string dtype), empty cells as NA; vectorised for text."""
    if pd.api.types.is_string_dtype(raw) and not isinstance(raw.dtype, pd.CategoricalDtype):
        try:
            text = raw.astype("string").str.strip()
            return text.mask(text == "")
        except (TypeError, AttributeError):  # object column holding non-strings
            pass
    if pd.api.types.is_datetime64_any_dtype(raw):  # e.g. Parquet timestamps: as _as_text, vectorised
        with_time = (raw.dt.hour != 0) | (raw.dt.minute != 0)
        text = raw.dt.strftime("%Y-%m-%d %H:%M").where(with_time, raw.dt.strftime("%Y-%m-%d"))
        return text.astype("string").mask(raw.isna())
    return raw.map(_as_text).astype("string")


_BOOL_WORDS = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "ja": True,
    "nej": False,
    "yes": True,
    "no": False,
    "sand": True,
    "falsk": False,
}


#: A number as a Danish CSV writes it: digits with '.' between groups of three, ',' before decimals.
_DANISH_NUMBER = r"^[+\-\u2212]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$"
#: A number with a decimal point (a CSV with commas between columns, or a typed cell).
_POINT_NUMBER = r"^[+\-\u2212]?\d*(\.\d+)?([eE][+\-]?\d+)?$"

WRONG_DECIMAL_RULE = (
    "a decimal point in a file written with decimal commas (columns separated by ';'); "
    "write the decimals with a comma, e.g. 1148,5 (a '.' may only group thousands: 1.148,5)"
)


def _parse_numbers(raw: pd.Series, decimal_comma: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The numbers of a column, and a mask of cells whose decimal separator does not fit the file.

    In a decimal-comma file (a Danish CSV) ``1.148,5`` is 1148.5 and ``1148,5`` too, but
    ``1148.5`` is neither: it is refused, never read as 11485. Cells that break the file's
    convention come back missing and flagged.
    """
    if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
        return raw.astype("float64"), pd.Series(False, index=raw.index)
    text = text_series(raw)
    text = text.str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    comma = pd.Series(decimal_comma.fillna(False).astype(bool).to_numpy(), index=raw.index)
    wrong = pd.Series(False, index=raw.index)
    if comma.any():
        danish_ok = text.str.fullmatch(_DANISH_NUMBER).fillna(False).astype(bool)
        wrong = comma & text.notna() & ~danish_ok & text.str.contains(".", regex=False).fillna(False)
        danish = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
        text = text.where(~comma, danish).mask(wrong)
    text = text.str.replace("\u2212", "-", regex=False)  # a typographic minus
    return pd.to_numeric(text, errors="coerce").astype("float64"), wrong


#: The date and time forms :func:`_parse_datetime` accepts, named in the message that rejects one.
DATE_FORMS = (
    "accepted: YYYY-MM-DD HH:MM (ISO, also with T or seconds), DD-MM-YYYY HH:MM, DD/MM/YYYY HH:MM, "
    "DD.MM.YYYY HH:MM, a date without a time, or a date cell of a workbook"
)


def _parse_datetime(raw: pd.Series) -> pd.Series:
    """Dates and times as ISO 8601 or day first (``05-03-2025 14:30``, ``05.03.2025``, ``05/03/2025``)."""
    if pd.api.types.is_datetime64_any_dtype(raw):
        return raw.astype("datetime64[ns]")
    text = text_series(raw)
    # Rostering systems end a shift at 24:00: midnight at the end of that day.
    midnight = text.str.contains(r"\s24:00(?::00)?\s*$", na=False)
    text = text.where(~midnight, text.str.replace(r"\s24:00(?::00)?\s*$", " 00:00", regex=True))
    iso = pd.to_datetime(text, errors="coerce", format="ISO8601")
    # Danish spreadsheets write 05-03-2025 14:30 (day first).
    danish = pd.to_datetime(text, errors="coerce", dayfirst=True, format="mixed")
    parsed = iso.fillna(danish).astype("datetime64[ns]")
    return parsed.where(~midnight, parsed + pd.Timedelta(days=1))


def typed_period(values: pd.Series) -> bool:
    """A period column stored with a non-text type (a Parquet date, time stamp or number)."""
    return bool(
        pd.api.types.is_datetime64_any_dtype(values)
        or (pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_object_dtype(values))
    )


def _stored_type(values: pd.Series) -> str:
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date/time"
    return "number"


def _normalise_period(value: object) -> object:
    if isinstance(value, datetime | pd.Timestamp | date):
        return f"{value.year:04d}-{value.month:02d}"
    return _as_text(value)


def parse_frame(
    table: str,
    model: type[TableModel],
    raw: pd.DataFrame,
    valid_units: set[str] | None = None,
) -> tuple[pd.DataFrame, list[Problem], np.ndarray]:
    """Turn raw cells into the model's types.

    Returns the parsed frame, the type problems and a boolean mask of rows that failed to
    parse (they are left out of the later rule checks, so one bad cell gives one message).
    """
    schema = model.to_schema()
    meta = table_meta(model)
    out = pd.DataFrame(index=raw.index)
    bad = np.zeros(len(raw), dtype=bool)
    problems: list[Problem] = []
    decimal_comma = raw[DECIMAL_COMMA_COL] if DECIMAL_COMMA_COL in raw else pd.Series(False, index=raw.index)
    for name, col in schema.columns.items():
        kind = column_kind(col.dtype)
        values = raw[name]
        typed = any(
            check(values)
            for check in (
                pd.api.types.is_numeric_dtype,
                pd.api.types.is_bool_dtype,
                pd.api.types.is_datetime64_any_dtype,
            )
        )  # typed columns (Parquet) have no empty strings: notna() is the same test, without a loop
        present = values.notna() if typed else text_series(values).notna()
        if kind in ("number", "integer"):
            parsed, wrong_decimal = _parse_numbers(values, decimal_comma)
            if wrong_decimal.any():
                problems.append(
                    make_problem(
                        table,
                        raw,
                        wrong_decimal.to_numpy(),
                        name,
                        WRONG_DECIMAL_RULE,
                        values,
                        meta,
                        valid_units,
                    )
                )
                bad |= wrong_decimal.to_numpy()
            failed = present & parsed.isna() & ~wrong_decimal
            rule = "must be a number"
            if kind == "integer":
                fractional = parsed.notna() & (parsed != parsed.round())
                failed = failed | fractional
                rule = "must be a whole number"
                parsed = parsed.where(~failed).astype("Int64")
        elif kind == "datetime":
            parsed = _parse_datetime(values)
            failed = present & parsed.isna()
            rule = f"must be a date and time ({DATE_FORMS})"
        elif kind == "bool":
            words = text_series(values).str.lower().map(_BOOL_WORDS)
            failed = present & words.isna()
            parsed = words.astype("boolean")
            rule = "must be true/false (or ja/nej, 1/0)"
        elif name == meta["period_column"] and typed_period(values):
            # A month stored as a date, time stamp or number (Parquet): refused, not guessed.
            parsed = pd.Series(pd.NA, index=raw.index, dtype="string")
            failed = present
            rule = f"must be a month written as text YYYY-MM; the file stores {_stored_type(values)} values"
        else:
            if name == meta["period_column"] and not pd.api.types.is_string_dtype(values):
                text = values.map(_normalise_period).astype("string")
            else:
                text = text_series(values)
            parsed = text.astype("str").where(text.notna())
            failed = pd.Series(False, index=raw.index)
            rule = ""
        if failed.any():
            problems.append(
                make_problem(table, raw, failed.to_numpy(), name, rule, values, meta, valid_units)
            )
            bad |= failed.to_numpy()
        out[name] = parsed
    return out, problems, bad


# --------------------------------------------------------------------------- rules


#: The longest value a message quotes; longer ones are cut (a message is read, not scrolled).
MAX_VALUE_SHOWN = 40
#: A CPR number (DDMMYY-NNNN, with or without the dash) is never quoted, whatever the column.
_CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


def _person_columns(table: str) -> set[str]:
    """The person-key columns of ``table``: their values are never quoted in a message."""
    model = TABLES.get(table)
    if model is None:
        return set()
    return {name for name, col in model.to_schema().columns.items() if (col.metadata or {}).get("person_key")}


def shown_value(value: object) -> str:
    """A cell as a message quotes it: text, CPR-like numbers masked, at most :data:`MAX_VALUE_SHOWN` characters."""
    text = "" if _as_text(value) is pd.NA else str(_as_text(value))
    text = _CPR.sub("<cpr>", text)
    return text if len(text) <= MAX_VALUE_SHOWN else text[: MAX_VALUE_SHOWN - 1] + "…"


def make_problem(
    table: str,
    frame: pd.DataFrame,
    mask: np.ndarray,
    column: str | None,
    rule: str,
    values: pd.Series | None,
    meta: Mapping[str, object],
    valid_units: set[str] | None = None,
) -> Problem:
    idx = np.flatnonzero(mask)
    rows_all = frame[ROW_COL].to_numpy()[idx] if ROW_COL in frame else idx + 1
    files = frame[FILE_COL].to_numpy()[idx] if FILE_COL in frame else np.array([None] * len(idx))
    first_file = files[0] if len(files) else None
    # Name the rows of the first file; the count covers every file.
    same_file = files == first_file
    rows = tuple(int(r) for r in rows_all[same_file][:MAX_ROWS_SHOWN])
    keys = tuple(str(k) for k in frame[KEY_COL].to_numpy()[idx][:MAX_ROWS_SHOWN]) if KEY_COL in frame else ()
    shown_values: tuple[str, ...] = ()
    if values is not None and column not in _person_columns(table):
        picked = values.to_numpy()[idx][same_file][:MAX_ROWS_SHOWN]
        shown_values = tuple(shown_value(v) for v in picked)
    units = _attribute(frame, idx, meta, valid_units)
    return Problem(
        table=table,
        file=str(first_file) if first_file is not None else None,
        column=column,
        rule=rule,
        rows=rows,
        n_rows=len(idx),
        values=shown_values,
        units=units,
        keys=keys,
    )


def _attribute(
    frame: pd.DataFrame,
    idx: np.ndarray,
    meta: Mapping[str, object],
    valid_units: set[str] | None,
) -> frozenset[str] | None:
    unit_col = meta.get("unit_column")
    if meta.get("catalogue") or not unit_col or unit_col not in frame:
        return None
    units = frame[unit_col].to_numpy()[idx]
    texts = {(_as_text(u)) for u in units}
    if any(t is pd.NA for t in texts):
        return None
    if valid_units is not None and not texts <= valid_units:
        return None
    return frozenset(str(t) for t in texts)


def check_rules(
    table: str,
    model: type[TableModel],
    frame: pd.DataFrame,
    context: pd.DataFrame,
    valid_units: set[str] | None,
) -> list[Problem]:
    """Run the pandera schema on parsed rows; ``context`` holds the raw rows (file, row)."""
    schema = model.to_schema()
    meta = table_meta(model)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return []
    row_checks = {"multiple_fields_uniqueness", *schema_check_names(schema)}
    cases = cases.copy()
    cases["check"] = cases["check"].astype(str)
    # A table-level rule keeps its whole name (it may contain parentheses); a column check
    # such as "greater_than_or_equal_to(0)" is known by the part before the parenthesis.
    cases["check_name"] = cases["check"].where(
        cases["check"].isin(row_checks), cases["check"].str.replace(r"\(.*$", "", regex=True)
    )
    problems_without_rows = [
        Problem(
            table, _first_file(context), str(col) if isinstance(col, str) else None, f"rule broken: {chk}"
        )
        for (col, chk), _ in cases[cases["index"].isna()].groupby(["column", "check"], dropna=False)
    ]
    cases = cases[cases["index"].notna()]
    positions = pd.Series(np.arange(len(frame)), index=frame.index)

    def mask_of(group: pd.DataFrame) -> np.ndarray:
        idx = positions.reindex(group["index"].unique().astype(frame.index.dtype)).dropna()
        mask = np.zeros(len(frame), dtype=bool)
        mask[idx.to_numpy(int)] = True
        return mask

    problems: list[Problem] = list(problems_without_rows)
    by_column = cases[~cases["check_name"].isin(row_checks)]
    for (column, check_name), group in by_column.groupby(["column", "check_name"], sort=False):
        rule = describe_check(str(check_name), schema.columns.get(column))
        problems.append(
            make_problem(
                table, context, mask_of(group), str(column), rule, context[column], meta, valid_units
            )
        )
    # Row-level checks (unique keys, checks across columns): one problem per check.
    by_row = cases[cases["check_name"].isin(row_checks)]
    for check_name, group in by_row.groupby("check_name", sort=False):
        if check_name == "multiple_fields_uniqueness":
            key = list(schema.unique or [])
            row_column: str | None = ", ".join(key)
            rule = "duplicate key: the same (" + ", ".join(key) + ") occurs more than once"
        else:
            row_column = None
            rule = f"rule broken: {check_name}"
        problems.append(
            make_problem(table, context, mask_of(group), row_column, rule, None, meta, valid_units)
        )
    return problems


def _first_file(context: pd.DataFrame) -> str | None:
    return str(context[FILE_COL].iloc[0]) if FILE_COL in context and len(context) else None


def schema_check_names(schema: pa.DataFrameSchema) -> list[str]:
    """Names of the table-level (cross-column) checks of a schema."""
    return [str(c.name) for c in schema.checks]


# --------------------------------------------------------------------------- references


def check_references(
    table: str,
    model: type[TableModel],
    frame: pd.DataFrame,
    context: pd.DataFrame,
    keys: Mapping[str, set[str]],
    valid_units: set[str] | None,
) -> list[Problem]:
    """Keys that are not in the catalogue they refer to."""
    schema = model.to_schema()
    meta = table_meta(model)
    problems = []
    for name, col in schema.columns.items():
        target = (col.metadata or {}).get("references")
        if not target or target not in keys:
            continue
        values = frame[name]
        unknown = values.notna() & ~values.isin(list(keys[target]))
        if unknown.any():
            key_label = {"units": "unit", "activities": "activity"}.get(target, target)
            rule = f"unknown {key_label} key (not in the {target} table)"
            problems.append(
                make_problem(table, context, unknown.to_numpy(), name, rule, context[name], meta, valid_units)
            )
    return problems


# --------------------------------------------------------------------------- orchestration


def validate_frame(
    table: str,
    model: type[TableModel],
    raw: pd.DataFrame,
    keys: Mapping[str, set[str]] | None = None,
) -> ValidatedTable:
    """Parse and check a raw table (structure must already be checked).

    Parameters
    ----------
    table, model
        The table's name and schema class.
    raw
        The rows as read, with the bookkeeping columns from :mod:`toolkit.readers`.
    keys
        Catalogue keys (``{"units": {...}, "activities": {...}}``) for the reference check.

    Returns
    -------
    ValidatedTable
        The parsed frame (rows that parsed, bookkeeping columns kept) and the problems.
    """
    keys = keys or {}
    raw = raw.reset_index(drop=True)
    valid_units = set(keys["units"]) if "units" in keys else None
    parsed, problems, bad = parse_frame(table, model, raw, valid_units)
    good = ~bad
    problems += check_references(table, model, parsed, raw, keys, valid_units)
    problems += check_rules(table, model, parsed[good], raw[good], valid_units)
    # Rows that did not parse are left out; rows that break a rule stay (the units concerned
    # are failed by the caller, and the other units' rows are clean).
    frame = parsed[good].copy()
    for col in (FILE_COL, ROW_COL, KEY_COL):
        if col in raw:
            frame[col] = raw.loc[good, col].to_numpy()
    return ValidatedTable(table, frame.reset_index(drop=True), problems)


def strip_bookkeeping(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without the file/row columns."""
    return frame.drop(columns=[c for c in BOOKKEEPING if c in frame])


_SPACE = re.compile(r"\s+")


def summarise(problems: Iterable[Problem]) -> str:
    """A multi-line summary of problems for the terminal."""
    return "\n".join(_SPACE.sub(" ", str(p)) for p in problems)
