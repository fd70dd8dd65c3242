"""The data-source interface, and the validation every table-backed source shares.

:class:`DataSource` is what reports read from. :class:`TableSource` is a source whose tables
arrive as delivered (a folder of files, a database, a Parquet store): each table is read raw,
its source-system codes are mapped, its person keys pseudonymised, and every row a report reads
is validated with the same pandera rules and the same messages, whatever the back-end. A
back-end supplies only the reading: the whole table (:meth:`TableSource.read_whole`) and,
where it can filter at the source, the rows of some units and months
(:meth:`TableSource.read_rows`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit.core.errors import DataStructureError, DataValidationError, ParameterError, ToolkitError
from toolkit.core.periods import parse_period
from toolkit.data.cache import StageCache, checks_cache_key, code_fingerprint, entry_key
from toolkit.data.filters import filter_raw, period_texts
from toolkit.data.forms_folder import forms_base, forms_fingerprint
from toolkit.data.mappings import apply_mappings, missing_mappings
from toolkit.data.privacy import free_text_columns
from toolkit.data.pseudonyms import pseudonymise, secret
from toolkit.data.schemas import PERIOD_PATTERN, TABLES, get_table, table_meta
from toolkit.data.validation import (
    Problem,
    ValidatedTable,
    _as_text,
    check_structure,
    parse_frame,
    strip_bookkeeping,
    validate_frame,
)

#: Checks that :meth:`TableSource.validate_all` runs after the per-table validation:
#: rules across tables, and inputs that are not tables (e.g. filled-in Excel forms).
#: Each takes the source and returns problems (attributed to units where possible).
CHECKS: list[Callable[[Any], list[Problem]]] = []

CORE_MONTHLY = ("volume", "hours", "hr", "finance")


def register_check(func: Callable[[Any], list[Problem]]) -> Callable[[Any], list[Problem]]:
    """Register a check for :meth:`TableSource.validate_all` (decorator)."""
    if func not in CHECKS:
        CHECKS.append(func)
    return func


@dataclass
class ValidationReport:
    """What :meth:`TableSource.validate_all` found."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def global_problems(self) -> list[Problem]:
        """Problems that concern every unit (catalogues, unknown units, structure)."""
        return [p for p in self.problems if p.is_global]

    def unit_problems(self, unit_id: str) -> list[Problem]:
        """Problems in the rows of ``unit_id``."""
        return [p for p in self.problems if p.units is not None and unit_id in p.units]

    @property
    def failed_units(self) -> set[str]:
        """Units with at least one problem of their own."""
        return {u for p in self.problems if p.units is not None for u in p.units}

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems


class DataSource(ABC):
    """Read validated tables, filtered by unit and period."""

    @abstractmethod
    def tables(self) -> set[str]:
        """Names of the tables present."""

    @abstractmethod
    def read(
        self,
        table: str,
        *,
        units: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        """Rows of ``table`` for ``units`` (all if None) and months ``start``..``end``.

        Raises
        ------
        DataValidationError
            If the requested rows break the data model (the message names file or table,
            column, rows or keys, and rule).
        """

    @abstractmethod
    def as_of(self) -> date:
        """The data's as-of date (extraction date)."""

    @abstractmethod
    def fingerprint(self) -> str:
        """A hash of the input data (changes when any input changes)."""

    @abstractmethod
    def periods(self) -> list[str]:
        """The months for which every core monthly table has data, oldest first."""

    def aggregate(self, name: str) -> pd.DataFrame | None:
        """A precomputed aggregate (staged sources only); None if not available."""
        return None

    def failed_units(self) -> dict[str, list[str]]:
        """Units whose rows were left out because they failed validation, with the problems.

        Only a staged source leaves rows out (a folder raises on any bad row it reads); a report
        that needs other units' data checks this before it computes.
        """
        return {}

    @property
    def description(self) -> str:
        """Where the data come from, for the report's footer (a database URL without its password)."""
        return ""

    @property
    def original_folder(self) -> Path:
        """The folder whose ``forms/`` subfolder holds the filled-in forms (what their readers take).

        :func:`toolkit.data.forms_folder.forms_base` of :attr:`forms_folder`; a path that does not
        exist for a source without forms.
        """
        raise NotImplementedError

    @property
    def forms_folder(self) -> Path | None:
        """The folder of the filled-in forms (``<forms>/<form>/<unit_id>/*.xlsx``); None: no forms.

        A data folder's is its ``forms/`` subfolder; a database has one only when it is given
        (``--forms DIR``, see :mod:`toolkit.data.forms_folder`).
        """
        return None

    def units(self) -> pd.DataFrame:
        """The validated units catalogue."""
        return self.read("units")

    def activities(self) -> pd.DataFrame:
        """The validated activity catalogue."""
        return self.read("activities")

    def latest_period(self) -> str:
        """The latest month with data in every core monthly table."""
        periods = self.periods()
        if not periods:
            raise DataValidationError(["the data hold no month that every core table covers"])
        return periods[-1]

    def report_period(self, period: str | None) -> str:
        """The month a report is for: ``period`` if the data hold it, the latest month if None.

        Raises
        ------
        ParameterError
            If ``period`` is not a month ``YYYY-MM``, or the data do not hold it (the message
            names the months the data cover).
        """
        if period is None:
            return self.latest_period()
        chosen = str(parse_period(period))
        available = self.periods()
        if chosen not in available:
            span = f"{available[0]} … {available[-1]}" if available else "no months"
            raise ParameterError(f"`period` {chosen} is not in the data; the data cover {span}")
        return chosen

    def has(self, table: str) -> bool:
        """True if the table is present."""
        return table in self.tables()

    def not_collected(self) -> frozenset[str]:
        """Required tables the extract declares it does not hold (``metadata.yaml``: ``not_collected``).

        Such a table is present with its header only; it is no data, not an error.
        """
        return frozenset()

    def require(self, *tables: str) -> None:
        """Raise a clear error if a table an analysis needs is missing."""
        missing = [t for t in tables if t not in self.tables()]
        if missing:
            raise DataStructureError(
                [f"table '{t}' is missing from the data ({self.description})" for t in missing]
            )


def end_of_month(period: str) -> date:
    """The last day of month ``period``."""
    return parse_period(period).end_time.date()


def common_periods(months: Iterable[set[str]]) -> list[str]:
    """Months of the core tables up to the latest month that every one of them reaches."""
    latest = [{p for p in s if re.fullmatch(PERIOD_PATTERN, p)} for s in months]
    if not latest:
        return []
    common_max = min(max(s) for s in latest if s) if all(latest) else None
    every = sorted(set().union(*latest))
    return [p for p in every if common_max is None or p <= common_max]


class TableSource(DataSource):
    """Tables as delivered, validated on read; a back-end supplies the reading.

    Raw tables read whole are kept; catalogues are validated once. Each :meth:`read` validates
    the rows it returns, so a problem in another unit's rows does not stop this unit's report.
    """

    #: The folder that holds inputs which are not tables (filled forms); may not exist.
    root: Path
    #: The forms folder (:attr:`forms_folder`), set by the back-end; None: the source holds no forms.
    _forms: Path | None = None

    def __init__(self) -> None:
        self._raw: dict[str, pd.DataFrame] = {}
        self._validated: dict[str, ValidatedTable] = {}
        self._full: dict[str, pd.DataFrame] = {}
        #: Codes that a mapping table does not name, per table (their rows are left out of raw()).
        self._unmapped: dict[str, list[Problem]] = {}
        #: The raw rows the last validate_all() validated, per table.
        self._checked: dict[str, pd.DataFrame] = {}
        self._scope: Sequence[str] | None = None
        self._hr_key_cache: frozenset[str] | None = None

    @property
    def forms_folder(self) -> Path | None:
        return self._forms

    @property
    def original_folder(self) -> Path:
        return forms_base(self._forms)

    # -- what a back-end supplies

    @abstractmethod
    def shown_name(self, table: str) -> str:
        """How a message names where ``table`` lives (its file, or its database table)."""

    def shown_files(self, table: str) -> str:
        """The files (or database table) of ``table``, for a message about the whole table."""
        return self.shown_name(table)

    @abstractmethod
    def read_whole(self, table: str) -> pd.DataFrame:
        """Every row of ``table`` as stored, with the bookkeeping columns (before mapping)."""

    def read_rows(
        self, table: str, units: Sequence[str] | None, start: str | None, end: str | None
    ) -> pd.DataFrame | None:
        """The rows of ``units`` and months ``start``..``end``, filtered where they are stored.

        A back-end that cannot filter at the source returns None (the whole table is read once
        and filtered in memory). Rows whose month does not parse must be kept (so that they are
        reported).
        """
        return None

    @abstractmethod
    def check_structure(self) -> list[Problem]:
        """Missing or extra columns of every table (reading only the column names)."""

    # -- shared

    def _prepare(self, table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem]]:
        """Map the codes and pseudonymise the person keys of rows as stored; structure raises."""
        model = get_table(table)
        shown = self.shown_name(table)
        structure = missing_mappings(table, model, frame.columns, self.tables(), shown)
        if structure:
            raise DataStructureError(structure)
        frame, unmapped = apply_mappings(table, model, frame, self._catalogue)
        structure = check_structure(table, model, frame.columns, shown)
        if structure:
            raise DataStructureError(structure)
        keys = self._hr_keys() if free_text_columns(model) else ()
        return pseudonymise(frame, model, keys), unmapped

    def _hr_keys(self) -> frozenset[str]:
        """The raw employee keys of the HR table (every unit's), to mask them in free texts."""
        if self._hr_key_cache is None:
            keys: set[str] = set()
            if self.has("hr"):
                with contextlib.suppress(ToolkitError):
                    keys = {str(k) for k in self.read_whole("hr")["employee_id"].dropna()}
            self._hr_key_cache = frozenset(keys)
        return self._hr_key_cache

    def delivered(self, table: str) -> pd.DataFrame:
        """The whole table in the model's columns and types, person keys as delivered (not pseudonymised).

        What ``toolkit load-db`` writes into a database or a Parquet store: codes translated,
        cells parsed (numbers, dates, months as text), no bookkeeping columns.

        Raises
        ------
        DataValidationError
            If a code has no mapping or a cell does not parse.
        """
        model = get_table(table)
        frame, unmapped = apply_mappings(table, model, self.read_whole(table), self._catalogue)
        parsed, problems, _ = parse_frame(table, model, frame)
        if unmapped or problems:
            raise DataValidationError(unmapped + problems)
        return parsed[list(model.to_schema().columns)]

    def raw(self, table: str) -> pd.DataFrame:
        """The whole table as read, with bookkeeping columns (cached).

        Source-system codes are translated by the mapping tables (rows with a code that no
        mapping names are left out and kept as problems: :meth:`unmapped`), and every person
        key is replaced by its pseudonym, so no raw key leaves this method.
        """
        if table not in self._raw:
            self.require(table)
            self._raw[table], self._unmapped[table] = self._prepare(table, self.read_whole(table))
        return self._raw[table]

    def unmapped(self, table: str, units: Sequence[str] | None = None) -> list[Problem]:
        """Codes of ``table`` that no mapping table names (for ``units``; global ones always)."""
        self.raw(table)
        return _for_units(self._unmapped.get(table, []), units)

    def catalogue_keys(self) -> dict[str, set[str]]:
        """Keys of every catalogue table (validated)."""
        keys: dict[str, set[str]] = {}
        for name, model in TABLES.items():
            if table_meta(model)["catalogue"] and name in self.tables():
                frame = self._catalogue(name)
                key_col = next(iter(model.to_schema().columns))
                keys[name] = set(frame[key_col].dropna())
        return keys

    def _catalogue(self, name: str) -> pd.DataFrame:
        if name not in self._validated:
            model = get_table(name)
            raw = self.raw(name)
            key_col = next(iter(model.to_schema().columns))
            own_keys = {name: {str(_as_text(v)) for v in raw[key_col] if _as_text(v) is not pd.NA}}
            result = validate_frame(name, model, raw, own_keys)
            if result.problems:
                raise DataValidationError(result.problems)
            self._validated[name] = result
        return self._validated[name].frame

    def read(
        self,
        table: str,
        *,
        units: Sequence[str] | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> pd.DataFrame:
        model = get_table(table)
        meta = table_meta(model)
        if meta["catalogue"]:
            return strip_bookkeeping(self._catalogue(table))
        self.require(table)
        raw, unmapped = self._rows(table, units, start, end)
        if unmapped:
            raise DataValidationError(unmapped)
        result = validate_frame(table, model, raw, self.catalogue_keys())
        if result.problems:
            raise DataValidationError(result.problems)
        return strip_bookkeeping(result.frame)

    def validate_all(
        self, units: Sequence[str] | None = None, *, cache: StageCache | None = None
    ) -> ValidationReport:
        """Validate every row of every table (or only the rows of ``units``); structure problems raise.

        With ``units`` the cost follows those units: a table with a unit column is read (where
        the back-end can, filtered at the source) and validated for those units' rows only; the
        catalogues and tables without units are validated whole. The checks across tables then
        see those rows (:meth:`checked_raw`). With a ``cache``, a table whose fingerprint,
        catalogues, schema and units are unchanged since a run stored it is not validated again
        (:mod:`toolkit.data.cache`); nor are the checks across tables, if no table changed.
        """
        structure = self.check_structure()
        if structure:
            raise DataStructureError(structure)
        report = ValidationReport()
        for name, model in TABLES.items():
            if name not in self.tables() or not table_meta(model)["catalogue"]:
                continue
            try:
                self._catalogue(name)
            except DataValidationError as exc:
                report.problems += [p for p in exc.problems if isinstance(p, Problem)]
        if report.problems:
            return report  # without valid catalogues the key checks would only add noise
        keys = self.catalogue_keys()
        self._checked, self._scope = {}, units
        cache_keys = self._cache_keys(units) if cache is not None else {}
        for name, model in TABLES.items():
            if name not in self.tables() or table_meta(model)["catalogue"]:
                continue
            if cache is not None and (hit := cache.get(name, cache_keys[name])) is not None:
                self._full[name], found = hit
                report.problems += found
                continue
            before = len(report.problems)
            raw, unmapped = self._rows(name, units, None, None)
            self._checked[name] = raw
            report.problems += unmapped
            declared = name in self.not_collected()
            if declared and not raw.empty:
                report.problems.append(
                    Problem(
                        name,
                        self.shown_files(name),
                        None,
                        f"has {len(raw)} rows, but metadata.yaml declares it not collected "
                        "(remove it from not_collected, or give the file its header only)",
                    )
                )
            if (
                units is None
                and table_meta(model)["required"]
                and raw.empty
                and not unmapped
                and not declared
            ):
                report.problems.append(
                    Problem(
                        name,
                        self.shown_files(name),
                        None,
                        "has a header but no rows; a required table needs its rows "
                        "(an extract without it says so in metadata.yaml: not_collected: [" + name + "])",
                    )
                )
                self._full[name] = validate_frame(name, model, raw, keys).frame
            else:
                result = validate_frame(name, model, raw, keys)
                report.problems += result.problems
                self._full[name] = result.frame
            if cache is not None:
                cache.put(name, cache_keys[name], self._full[name], report.problems[before:])
        forms_key = forms_fingerprint(self.forms_folder)  # the checks read the filled forms too
        checks_key = checks_cache_key(
            {**cache_keys, "(forms)": forms_key},
            [f"{c.__module__}.{c.__qualname__}" for c in CHECKS],
        )
        if cache is not None and (cached := cache.get_checks(checks_key)) is not None:
            report.problems += cached
            return report
        found = [p for check in CHECKS for p in check(self)]
        if cache is not None:
            cache.put_checks(checks_key, found)
        report.problems += found
        return report

    def _cache_keys(self, units: Sequence[str] | None) -> dict[str, str]:
        """Each table's cache key (:func:`toolkit.data.cache.entry_key`)."""
        from toolkit import __version__

        catalogues = {
            n: self.table_fingerprint(n) for n in self.tables() if table_meta(get_table(n))["catalogue"]
        }
        secret_hash = hashlib.sha256(secret()).hexdigest()
        code = code_fingerprint([c.__module__ for c in CHECKS])
        return {
            name: entry_key(
                name,
                catalogues.get(name) or self.table_fingerprint(name),
                catalogues,
                units if table_meta(get_table(name))["unit_column"] else None,
                version=__version__,
                secret_hash=secret_hash,
                code=code,
            )
            for name in self.tables()
        }

    @property
    def scope(self) -> list[str] | None:
        """The units the last :meth:`validate_all` validated (None: every unit).

        A check across tables that reads inputs per unit (filled forms) checks only these units,
        so that a run's cost follows its units.
        """
        return None if self._scope is None else list(self._scope)

    def checked_raw(self, table: str) -> pd.DataFrame:
        """The raw rows of ``table`` the last :meth:`validate_all` validated (all rows before one)."""
        if table not in self._checked:
            self._checked[table] = self._rows(table, self._scope, None, None)[0]
        return self._checked[table]

    def _rows(
        self, table: str, units: Sequence[str] | None, start: str | None, end: str | None
    ) -> tuple[pd.DataFrame, list[Problem]]:
        """Raw rows of ``units`` and months (mapped, pseudonymised) and their unmapped codes."""
        meta = table_meta(get_table(table))
        if units is None and start is None and end is None:
            return self.raw(table), self.unmapped(table)
        rows = None if table in self._raw else self.read_rows(table, units, start, end)
        if rows is None:
            return filter_raw(self.raw(table), meta, units, start, end), self.unmapped(table, units)
        raw, found = self._prepare(table, rows)
        return raw, _for_units(found, units)

    def validated(self, table: str) -> pd.DataFrame:
        """Every parsed row of ``table`` after :meth:`validate_all` (rows of failed units included)."""
        if table in self._validated:
            return self._validated[table].frame
        if table not in self._full:
            raise RuntimeError(f"call validate_all() before validated({table!r})")
        return self._full[table]

    def periods(self) -> list[str]:
        return common_periods(
            set(period_texts(self.raw(name)["period"]).dropna().unique())
            for name in CORE_MONTHLY
            if name in self.tables()
        )

    def table_fingerprint(self, table: str) -> str:
        """A hash of one table's stored rows (a staged-data cache key per table)."""
        frame = self.read_whole(table)
        digest = hashlib.sha256(",".join(map(str, frame.columns)).encode())
        digest.update(pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes())
        return digest.hexdigest()


def _for_units(problems: list[Problem], units: Sequence[str] | None) -> list[Problem]:
    if units is None:
        return list(problems)
    return [p for p in problems if p.units is None or p.units & set(units)]


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with ``table``'s columns and types."""
    schema = get_table(table).to_schema()
    return pd.DataFrame({name: pd.Series(dtype=col.dtype.type) for name, col in schema.columns.items()})


def window(period: str, months: int) -> tuple[str, str]:
    """First and last month of the ``months``-long window that ends with ``period``."""
    end = parse_period(period)
    start = end - (months - 1)
    return str(start), str(end)
