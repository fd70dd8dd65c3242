"""The validation every table-backed source shares.

Reports read a :class:`~toolkit.data.datasource.DataSource`. :class:`TableSource` is one whose tables
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
import json
from abc import abstractmethod
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import pandas as pd

from toolkit.core.errors import DataStructureError, DataValidationError, ToolkitError
from toolkit.data.cache import StageCache, checks_cache_key, code_fingerprint, default_cache_dir, entry_key
from toolkit.data.checks import CHECK_READS, CHECKS, ValidationReport
from toolkit.data.datasource import DataSource, common_periods
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
    text_series,
    validate_frame,
)

CORE_MONTHLY = ("volume", "hours", "hr", "finance")
#: The cache folder of :meth:`TableSource.read`'s validations of a table: this prefix and its name.
READ_PREFIX = "_read."
#: The cache records of the months in a table's rows (:meth:`TableSource.periods`).
MONTHS_PREFIX = "_months."


class TableSource(DataSource):
    """Tables as delivered, validated on read; a back-end supplies the reading.

    Raw tables read whole are kept (until :meth:`validate_all` with the staged-data cache lets
    them go); catalogues are validated once. Each :meth:`read` validates the rows it returns, so
    a problem in another unit's rows does not stop this unit's report. With the staged-data
    cache on (:attr:`stage_cache`), the catalogues' validation, each :meth:`read`'s validation
    and the core tables' months are kept there by the tables' fingerprints, so an unchanged
    input is not validated again by the next process.
    """

    #: The folder that holds inputs which are not tables (filled forms); may not exist.
    root: Path
    #: The forms folder (:attr:`forms_folder`), set by the back-end; None: the source holds no forms.
    _forms: Path | None = None
    #: Whether :meth:`read` keeps its validations in the staged-data cache: only where a table's
    #: fingerprint costs no more than the read itself (a file read whole anyway), never where it
    #: would scan what a filtered read skips (a database table, a store's other partitions).
    cache_reads: bool = False

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
        #: Fingerprints computed by this source (:meth:`_once`): a run hashes each input once.
        self._hashes: dict[object, str] = {}
        #: The staged-data cache (:attr:`stage_cache`); False: not looked up yet.
        self._store: StageCache | bool | None = False
        #: The secret's hash and the code's fingerprint in every cache key (computed once).
        self._key_parts: tuple[str, str] | None = None
        #: Tables whose validated rows are in the cache, not in memory: (cache, key).
        self._lazy: dict[str, tuple[StageCache, str]] = {}
        #: Each table's cache key in the last validate_all() (:meth:`cache_key`).
        self._keys: dict[str, str] = {}
        #: The months of each core table's rows (:meth:`_months`), once per source.
        self._month_sets: dict[str, frozenset[str]] = {}

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

    @property
    def stage_cache(self) -> StageCache | None:
        """The staged-data cache (:func:`~toolkit.data.cache.default_cache_dir`; None when it is off).

        The source keeps its catalogues' validation there (:meth:`_catalogue`); :func:`stage`
        passes it to :meth:`validate_all` for the other tables.
        """
        if self._store is False:
            root = default_cache_dir()
            self._store = StageCache(root) if root is not None else None
        return self._store if isinstance(self._store, StageCache) else None

    def _catalogue(self, name: str) -> pd.DataFrame:
        """The validated catalogue ``name`` (once per source; from the staged-data cache while it is unchanged).

        Raises
        ------
        DataValidationError
            If the catalogue breaks a rule.
        """
        if name not in self._validated:
            store = self.stage_cache
            key = self._entry_key(name, None) if store is not None else ""
            hit = store.get(name, key) if store is not None else None
            if hit is not None:
                result = ValidatedTable(name, hit[0], hit[1])
            else:
                model = get_table(name)
                raw = self.raw(name)
                key_col = next(iter(model.to_schema().columns))
                own_keys = {name: {str(_as_text(v)) for v in raw[key_col] if _as_text(v) is not pd.NA}}
                result = validate_frame(name, model, raw, own_keys)
                if store is not None:
                    store.put(name, key, result.frame, result.problems)
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
        store = self.stage_cache if self.cache_reads else None
        label, key = READ_PREFIX + table, ""
        if store is not None:
            # The same rows validated the same way before: their validation (rows or problems).
            given = {"entry": self._entry_key(table, units), "start": start, "end": end}
            key = hashlib.sha256(json.dumps(given, sort_keys=True).encode()).hexdigest()
            hit = store.get(label, key)
            if hit is not None:
                if hit[1]:
                    raise DataValidationError(hit[1])
                return strip_bookkeeping(hit[0])
        raw, unmapped = self._rows(table, units, start, end)
        if unmapped:
            if store is not None:
                store.put(label, key, pd.DataFrame(), unmapped)
            raise DataValidationError(unmapped)
        result = validate_frame(table, model, raw, self.catalogue_keys())
        if store is not None:
            store.put(label, key, result.frame, result.problems)
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
        self._checked, self._scope, self._lazy = {}, units, {}
        kept = {t for c in CHECKS for t in CHECK_READS.get(c, ())}
        cache_keys = self._cache_keys(units) if cache is not None else {}
        self._keys = cache_keys
        for name, model in TABLES.items():
            if name not in self.tables() or table_meta(model)["catalogue"]:
                continue
            if cache is not None and (found := cache.get_problems(name, cache_keys[name])) is not None:
                self._full.pop(name, None)
                self._lazy[name] = (cache, cache_keys[name])  # the rows are read when needed
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
                # The rows are read back from the cache when needed, and the raw rows only a
                # check reads are kept: a run holds no other table's rows beyond the one it is
                # validating (a region's tables do not fit in memory side by side).
                del self._full[name]
                self._lazy[name] = (cache, cache_keys[name])
                del raw
                if name not in kept:
                    self._release_raw(name)
        forms_key = forms_fingerprint(self.forms_folder)  # the checks read the filled forms too
        checks_key = checks_cache_key(
            {**cache_keys, "(forms)": forms_key},
            [f"{c.__module__}.{c.__qualname__}" for c in CHECKS],
        )
        if cache is not None and (cached := cache.get_checks(checks_key)) is not None:
            report.problems += cached
        else:
            found = [p for check in CHECKS for p in check(self)]
            if cache is not None:
                cache.put_checks(checks_key, found)
            report.problems += found
        if cache is not None:  # what the checks read is not needed any more (read again if asked for)
            for name in self.tables():
                if not table_meta(get_table(name))["catalogue"]:
                    self._release_raw(name)
        return report

    def _cache_keys(self, units: Sequence[str] | None) -> dict[str, str]:
        """Each table's cache key (:func:`toolkit.data.cache.entry_key`)."""
        return {name: self._entry_key(name, units) for name in self.tables()}

    def _entry_key(self, name: str, units: Sequence[str] | None) -> str:
        """Table ``name``'s cache key for a validation of ``units``' rows (units: tables with a unit column)."""
        from toolkit import __version__

        catalogues = {
            n: self.table_fingerprint(n) for n in self.tables() if table_meta(get_table(n))["catalogue"]
        }
        if self._key_parts is None:
            self._key_parts = (
                hashlib.sha256(secret()).hexdigest(),
                code_fingerprint([c.__module__ for c in CHECKS]),
            )
        secret_hash, code = self._key_parts
        return entry_key(
            name,
            catalogues.get(name) or self.table_fingerprint(name),
            catalogues,
            units if table_meta(get_table(name))["unit_column"] else None,
            version=__version__,
            secret_hash=secret_hash,
            code=code,
        )

    def _release_raw(self, table: str) -> None:
        """Let ``table``'s raw rows go (read again if asked for: :meth:`raw`, :meth:`checked_raw`)."""
        self._checked.pop(table, None)
        self._raw.pop(table, None)

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

    def unit_months(self, table: str, units: Sequence[str], *, present: str | None = None) -> pd.DataFrame:
        """The months each of ``units`` has rows for in ``table`` (:meth:`DataSource.unit_months`),
        read from the delivered rows without validating them.

        The runner chooses a run's default month before it stages (and validates) the rows; the
        rows it reads here are read again there (from a file once: the file is kept), so the
        month costs a read, not a second validation. A row whose unit or month does not parse
        does not count (its unit fails at staging, with the rule it breaks).
        """
        meta = table_meta(get_table(table))
        unit_col, period_col = meta["unit_column"], meta["period_column"]
        raw, _ = self._rows(table, list(units), None, None)
        keep = pd.Series(True, index=raw.index)
        if present is not None:
            keep &= text_series(raw[present]).notna()
        period = period_texts(raw[period_col][keep])
        unit = text_series(raw[unit_col][keep])
        valid = (period.str.fullmatch(PERIOD_PATTERN) & unit.isin(list(units))).fillna(False).astype(bool)
        return pd.DataFrame(
            {"unit_id": unit[valid].astype(str), "period": period[valid].astype(str)}
        ).reset_index(drop=True)

    def validated(self, table: str) -> pd.DataFrame:
        """Every parsed row of ``table`` after :meth:`validate_all` (rows of failed units included).

        With the staged-data cache the rows are read from its entry at each call (checked
        against its hash), not kept; an entry that no longer matches is validated again.
        """
        if table in self._validated:
            return self._validated[table].frame
        if table in self._full:
            return self._full[table]
        if table not in self._lazy:
            raise RuntimeError(f"call validate_all() before validated({table!r})")
        store, key = self._lazy[table]
        frame = store.load_rows(table, key)
        if frame is None:  # the entry changed since validate_all() checked it
            frame = validate_frame(
                table, get_table(table), self.checked_raw(table), self.catalogue_keys()
            ).frame
        return frame

    def cache_key(self, table: str) -> str | None:
        """The staged-data cache key of ``table`` in the last :meth:`validate_all` (None without the cache)."""
        return self._keys.get(table)

    def periods(self) -> list[str]:
        return common_periods(self._months(name) for name in CORE_MONTHLY if name in self.tables())

    def _months(self, table: str) -> set[str]:
        """The months in ``table``'s rows, kept in the staged-data cache while the table is unchanged.

        Finding them means reading and preparing the whole table; an unchanged table's months
        are its record's.
        """
        if table in self._month_sets:
            return set(self._month_sets[table])
        store = self.stage_cache
        key = self._entry_key(table, None) if store is not None else ""
        doc = store.get_record(MONTHS_PREFIX + table, key) if store is not None else None
        if isinstance(doc, list) and all(isinstance(m, str) for m in doc):
            months = set(doc)
        else:
            months = {str(m) for m in period_texts(self.raw(table)["period"]).dropna().unique()}
            if store is not None:
                store.put_record(MONTHS_PREFIX + table, key, sorted(months))
        self._month_sets[table] = frozenset(months)
        return months

    def table_fingerprint(self, table: str) -> str:
        """A hash of one table's stored rows (a staged-data cache key per table), computed once per source."""

        def compute() -> str:
            frame = self.read_whole(table)
            digest = hashlib.sha256(",".join(map(str, frame.columns)).encode())
            digest.update(
                pd.util.hash_pandas_object(frame.astype("string"), index=False).to_numpy().tobytes()
            )
            return digest.hexdigest()

        return self._once(("table", table), compute)

    def _once(self, key: object, compute: Callable[[], str]) -> str:
        """``compute()``, kept under ``key`` for the source's life (a run's fingerprints are hashed once).

        A back-end whose inputs are files puts the files' names, sizes and modification times
        into ``key`` (:func:`file_stamps`), so a file changed in between is hashed again.
        """
        if key not in self._hashes:
            self._hashes[key] = compute()
        return self._hashes[key]


def file_stamps(paths: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file's path, size and modification time (ns), in path order: a key that a change alters."""
    stamps = []
    for path in sorted(paths):
        stat = path.stat()
        stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def _for_units(problems: list[Problem], units: Sequence[str] | None) -> list[Problem]:
    if units is None:
        return list(problems)
    return [p for p in problems if p.units is None or p.units & set(units)]


def empty_frame(table: str) -> pd.DataFrame:
    """An empty frame with ``table``'s columns and types."""
    schema = get_table(table).to_schema()
    return pd.DataFrame({name: pd.Series(dtype=col.dtype.type) for name, col in schema.columns.items()})
