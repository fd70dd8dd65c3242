"""Applying the mapping tables: a raw export's source-system codes become the data model's keys.

The mapping tables (:mod:`toolkit.data.schemas.mappings`) are read and validated like every
table. When :class:`~toolkit.data.sources.FolderSource` reads a table whose file carries a
code column instead of the model's column, this module translates it:

============  ==================  ==========================================================
export column mapping table       gives
============  ==================  ==========================================================
wage_code     wage_codes          ``time_category`` (hours)
account       account_codes       ``account_group`` (finance), ``cost_type`` (ledger)
cost_centre   cost_centre_codes   ``unit_id`` (every table), ``cost_centre_id`` (ledger)
activity_code activity_codes      ``activity_id`` (volume, contact_activities, hours, ...)
shift_code    shift_codes         ``shift_type``, ``planned_start``, ``planned_end`` from
                                  ``date`` (shifts), and ``period`` if the export has none
============  ==================  ==========================================================

A column the model gives a default (``metadata={"default": ...}``, e.g. a roster's actual times)
may be left out of an export: it is added with that default before anything else.

After a translation, rows that agree in every column but the amounts are added up (two wage
types that are both overtime, two accounts of one group). A code that the mapping does not
name is a :class:`~toolkit.data.validation.Problem` that names the file, the code and the
rows that carry it; those rows are never silently dropped: the problem fails the units whose
rows they are (or the whole read, if the unit is unknown).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.data.readers import DECIMAL_COMMA_COL, FILE_COL
from toolkit.data.schemas import TableModel, column_defaults, table_meta
from toolkit.data.validation import (
    Problem,
    _parse_datetime,
    _parse_numbers,
    make_problem,
    shown_value,
    text_series,
)


@dataclass(frozen=True)
class Rule:
    """One translation: ``source`` column of an export → ``gives`` columns via ``mapping``.

    ``gives`` maps a column of the data table to the mapping table's column it comes from.
    ``tables`` limits the rule to some data tables (None: every table that expects the first
    column of ``gives``).
    """

    source: str
    mapping: str
    gives: Mapping[str, str]
    tables: frozenset[str] | None = None

    def applies(self, table: str, expected: Collection[str], columns: Collection[str]) -> bool:
        """True if a file of ``table`` with ``columns`` needs this rule."""
        if self.tables is not None and table not in self.tables:
            return False
        first = next(iter(self.gives))
        return self.source in columns and first in expected and first not in columns


#: The translations, in the order they are applied.
RULES: tuple[Rule, ...] = (
    Rule("cost_centre", "cost_centre_codes", {"unit_id": "unit_id"}),
    Rule("cost_centre", "cost_centre_codes", {"cost_centre_id": "cost_centre_id"}, frozenset({"ledger"})),
    Rule("wage_code", "wage_codes", {"time_category": "time_category"}, frozenset({"hours"})),
    Rule("account", "account_codes", {"account_group": "account_group"}, frozenset({"finance"})),
    Rule("account", "account_codes", {"cost_type": "cost_type"}, frozenset({"ledger"})),
    Rule("activity_code", "activity_codes", {"activity_id": "activity_id"}),
    Rule(
        "shift_code",
        "shift_codes",
        {"shift_type": "shift_type", "planned_start": "start", "planned_end": "end"},
        frozenset({"shifts"}),
    ),
)

#: The columns that are added up when a translation makes rows agree in every other column.
SUMMED: dict[str, tuple[str, ...]] = {
    "hours": ("hours",),
    "finance": ("budget", "actual"),
    "volume": ("actual", "planned"),
    "ledger": ("amount",),
    "contact_activities": ("quantity",),
    "activity_budget": ("budget",),
}

#: Date forms accepted in a ``date`` column (as for every date in the data model).
DATE_COLUMN = "date"


def _rules_for(table: str, model: type[TableModel], columns: Collection[str]) -> list[Rule]:
    expected = list(model.to_schema().columns)
    cols = set(columns)
    rules = []
    for rule in RULES:
        if rule.applies(table, expected, cols):
            rules.append(rule)
            cols |= set(rule.gives)
    return rules


def with_defaults(model: type[TableModel], raw: pd.DataFrame) -> pd.DataFrame:
    """``raw`` with every optional column it lacks added, holding its default text (empty: NA)."""
    absent = {c: v for c, v in column_defaults(model).items() if c not in raw.columns}
    if not absent:
        return raw
    added = {c: pd.Series(v if v else pd.NA, index=raw.index, dtype="string") for c, v in absent.items()}
    return raw.assign(**added)


def mapped_columns(table: str, model: type[TableModel], columns: Iterable[str]) -> list[str]:
    """The columns a file with ``columns`` has after its translations and defaults (for the structure check)."""
    cols = list(columns)
    cols += [c for c in column_defaults(model) if c not in cols]
    expected = list(model.to_schema().columns)
    rules = _rules_for(table, model, cols)
    sources = {r.source for r in rules}
    if any(r.mapping == "shift_codes" for r in rules):
        sources.add(DATE_COLUMN)
        if "period" in expected and "period" not in cols:
            cols.append("period")
    out = [c for c in cols if c not in sources]
    for rule in rules:
        out += [c for c in rule.gives if c not in out]
    return out


def missing_mappings(
    table: str, model: type[TableModel], columns: Iterable[str], present: Collection[str], file: str
) -> list[Problem]:
    """A code column whose mapping table is not in the data folder: say which table to add."""
    problems = []
    for rule in _rules_for(table, model, list(columns)):
        if rule.mapping not in present:
            problems.append(
                Problem(
                    table,
                    file,
                    rule.source,
                    f"a source-system code column; add the mapping table '{rule.mapping}' "
                    f"({rule.mapping}.csv, .xlsx or .parquet) that translates it into "
                    + ", ".join(rule.gives),
                )
            )
    return problems


def apply_mappings(
    table: str,
    model: type[TableModel],
    raw: pd.DataFrame,
    mapping_table: Callable[[str], pd.DataFrame],
) -> tuple[pd.DataFrame, list[Problem]]:
    """Translate the code columns of ``raw`` (a table as read, with bookkeeping columns).

    Parameters
    ----------
    table, model
        The data table and its schema.
    raw
        The rows as read.
    mapping_table
        Returns a validated mapping table by name (only called for the mappings needed).

    Returns
    -------
    tuple
        The translated rows (rows with an unmapped code left out, rows that agree added up)
        and one problem per unmapped code.
    """
    raw = with_defaults(model, raw)
    rules = _rules_for(table, model, raw.columns)
    if not rules:
        return raw, []
    meta = table_meta(model)
    frame = raw.reset_index(drop=True).copy()
    unmapped = np.zeros(len(frame), dtype=bool)
    problems: list[Problem] = []
    for rule in rules:
        mapping = mapping_table(rule.mapping)
        codes = text_series(mapping[rule.source])
        source = text_series(frame[rule.source])
        for column, from_column in rule.gives.items():
            lookup = pd.Series(mapping[from_column].to_numpy(), index=codes.to_numpy())
            frame[column] = source.map(lookup)
        missing = source.notna() & ~source.isin(set(codes.dropna()))
        first = next(iter(rule.gives))
        not_given = source.notna() & ~missing & frame[first].isna()
        problems += _code_problems(table, frame, missing, source, rule, meta, "is not in")
        problems += _code_problems(table, frame, not_given, source, rule, meta, f"has no {first} in")
        unmapped |= (missing | not_given).to_numpy()
        if rule.mapping == "shift_codes":
            frame, date_problems, bad_dates = _shift_times(table, frame, meta)
            problems += date_problems
            unmapped |= bad_dates
    dropped = {r.source for r in rules} | (
        {DATE_COLUMN} if any(r.mapping == "shift_codes" for r in rules) else set()
    )
    frame = frame[~unmapped].drop(columns=[c for c in dropped if c in frame])
    return _add_up(table, model, frame.reset_index(drop=True)), problems


def _code_problems(
    table: str,
    frame: pd.DataFrame,
    mask: pd.Series,
    source: pd.Series,
    rule: Rule,
    meta: Mapping[str, object],
    relation: str,
) -> list[Problem]:
    """One problem per code, file and unit (a unit's report names its own rows only)."""
    if not mask.any():
        return []
    unit_col = str(meta.get("unit_column") or "")
    attributable = unit_col in frame and unit_col not in rule.gives
    groups = pd.DataFrame(
        {
            "code": source,
            "file": frame.get(FILE_COL, ""),
            "unit": text_series(frame[unit_col]).fillna("") if attributable else "",
        }
    )[mask.to_numpy()]
    problems = []
    for (code, _, _), rows in groups.groupby(["code", "file", "unit"], sort=False):
        selected = np.zeros(len(frame), dtype=bool)
        selected[frame.index.get_indexer(rows.index)] = True
        n = int(selected.sum())
        rule_text = (
            f"code '{shown_value(code)}' {relation} the mapping table '{rule.mapping}' "
            f"({n} row{'s carry' if n != 1 else ' carries'} it); add it to {rule.mapping}"
        )
        problems.append(
            make_problem(
                table, frame, selected, rule.source, rule_text, None, meta if attributable else {}, None
            )
        )
    return problems


def _clock(times: pd.Series) -> pd.Series:
    """``HH:MM`` as a time delta (``24:00`` is a whole day)."""
    parts = times.astype("string").str.split(":", expand=True)
    return pd.to_timedelta(parts[0].astype(float), unit="h") + pd.to_timedelta(
        parts[1].astype(float), unit="m"
    )


def _shift_times(
    table: str, frame: pd.DataFrame, meta: Mapping[str, object]
) -> tuple[pd.DataFrame, list[Problem], np.ndarray]:
    """``date`` + the code's start and end → planned start and end (an end at or before the start: next day)."""
    from toolkit.data.validation import DATE_FORMS

    problems: list[Problem] = []
    if DATE_COLUMN not in frame:
        problems.append(
            Problem(
                table, _first(frame), DATE_COLUMN, "missing column: shift codes need the date of each shift"
            )
        )
        return frame, problems, np.ones(len(frame), dtype=bool)
    day = _parse_datetime(frame[DATE_COLUMN]).dt.normalize()
    present = text_series(frame[DATE_COLUMN]).notna()
    bad = (day.isna() & present) | ~present
    if bad.any():
        problems.append(
            make_problem(
                table,
                frame,
                bad.to_numpy(),
                DATE_COLUMN,
                f"must be a date ({DATE_FORMS})",
                frame[DATE_COLUMN],
                meta,
                None,
            )
        )
    known = frame["planned_start"].notna() & ~bad
    start = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    end = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    start_delta = _clock(frame.loc[known, "planned_start"])
    end_delta = _clock(frame.loc[known, "planned_end"])
    end_delta = end_delta.where(end_delta > start_delta, end_delta + pd.Timedelta(days=1))
    start[known] = day[known] + start_delta
    end[known] = day[known] + end_delta
    frame = frame.copy()
    frame["planned_start"] = start
    frame["planned_end"] = end
    if "period" not in frame:
        frame["period"] = start.dt.strftime("%Y-%m").astype("string")
    return frame, problems, bad.to_numpy()


def _first(frame: pd.DataFrame) -> str | None:
    return str(frame[FILE_COL].iloc[0]) if FILE_COL in frame and len(frame) else None


_NA_KEY = "\x00"


def _add_up(table: str, model: type[TableModel], frame: pd.DataFrame) -> pd.DataFrame:
    """Rows that agree in every column but the amounts, added up into one (the first's file and row)."""
    summed = [c for c in SUMMED.get(table, ()) if c in frame]
    if not summed or frame.empty:
        return frame
    decimal_comma = (
        frame[DECIMAL_COMMA_COL] if DECIMAL_COMMA_COL in frame else pd.Series(False, index=frame.index)
    )
    parsed = {}
    for column in summed:
        numbers, wrong = _parse_numbers(frame[column], decimal_comma)
        failed = wrong | (text_series(frame[column]).notna() & numbers.isna())
        if failed.any():
            return frame  # the table's validation names the cells that are not numbers
        parsed[column] = numbers
    keys = [c for c in model.to_schema().columns if c in frame and c not in summed]
    key_frame = pd.DataFrame({c: text_series(frame[c]).fillna(_NA_KEY) for c in keys})
    group = pd.Series(pd.factorize(pd.MultiIndex.from_frame(key_frame))[0], index=frame.index)
    if group.nunique() == len(frame):
        return frame
    first = ~group.duplicated()
    out = frame[first.to_numpy()].copy()
    for column, numbers in parsed.items():
        totals = numbers.groupby(group).sum(min_count=1)
        out[column] = totals.reindex(group[first]).to_numpy()
    return out.reset_index(drop=True)


__all__ = ["RULES", "SUMMED", "Rule", "apply_mappings", "mapped_columns", "missing_mappings"]
