"""What a report reads: :class:`DataSource`, validated tables filtered by unit and month.

Two kinds implement it: :class:`~toolkit.data.tablesource.TableSource` (the data as delivered,
validated on reading: a folder, a Parquet store, a database) and
:class:`~toolkit.data.sources.StagedSource` (what a run staged, validated once). The month
helpers here are shared by both.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from toolkit.core.errors import DataStructureError, DataValidationError, ParameterError
from toolkit.core.periods import parse_period
from toolkit.data.schemas import PERIOD_PATTERN


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

    def unit_months(self, table: str, units: Sequence[str], *, present: str | None = None) -> pd.DataFrame:
        """The months each of ``units`` has rows for in ``table``: columns ``unit_id``, ``period``.

        With ``present``, only rows where that column holds a value count (the finance table's
        ``actual``: its budget rows run to the year's end). For choosing a report's default
        month (:func:`toolkit.measures.inputs.complete_period`). Here from the validated rows
        (:meth:`read`); a source that has not validated yet may read them more cheaply.
        """
        df = self.read(table, units=list(units))
        if present is not None:
            df = df[df[present].notna()]
        return pd.DataFrame({"unit_id": df["unit_id"].astype(str), "period": df["period"].astype(str)})

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


def window(period: str, months: int) -> tuple[str, str]:
    """First and last month of the ``months``-long window that ends with ``period``."""
    end = parse_period(period)
    start = end - (months - 1)
    return str(start), str(end)
