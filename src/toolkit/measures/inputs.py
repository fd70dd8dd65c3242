"""The core tables of one unit for a window of months, read once for a report.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from toolkit.core.errors import DataValidationError
from toolkit.core.periods import parse_period
from toolkit.data.hierarchy import below
from toolkit.data.sources import DataSource, window


@dataclass(frozen=True)
class KPIInput:
    """The tables of one unit for a window of months (see :func:`load`)."""

    unit_id: str
    period: str
    activities: pd.DataFrame
    volume: pd.DataFrame
    hours: pd.DataFrame
    hr: pd.DataFrame
    finance: pd.DataFrame
    goals: pd.DataFrame
    explanations: pd.DataFrame | None = None


def load(source: DataSource, unit_id: str, period: str, history_months: int) -> KPIInput:
    """Read one unit's KPI tables from a :class:`~toolkit.data.sources.DataSource`.

    Monthly tables are read for the ``history_months`` months up to ``period``; the
    finance table also for the rest of ``period``'s year (the periodised budget).
    """
    start, end = window(period, history_months)
    year_end = f"{parse_period(period).year}-12"
    units = [unit_id]
    return KPIInput(
        unit_id=unit_id,
        period=period,
        activities=source.activities(),
        volume=source.read("volume", units=units, start=start, end=end),
        hours=source.read("hours", units=units, start=start, end=end),
        hr=source.read("hr", units=units, start=start, end=end),
        finance=source.read("finance", units=units, start=start, end=year_end),
        goals=source.read("goals", units=units, start=start, end=end),
        explanations=(
            source.read("budget_explanations", units=units, start=f"{parse_period(period).year}-01", end=end)
            if source.has("budget_explanations")
            else None
        ),
    )


@dataclass(frozen=True)
class Coverage:
    """Which of a unit's inputs have rows for the report's month (and its year to date).

    A figure whose input has no rows is "no data", never 0: the reports show it without a
    number or a colour and say which input is missing.
    """

    volume: bool
    hours: bool
    hr: bool
    finance_month: bool
    finance_ytd: bool
    goals: bool


def coverage(inp: KPIInput) -> Coverage:
    """The :class:`Coverage` of ``inp`` for ``inp.period``."""
    p = parse_period(inp.period)
    ytd = {str(x) for x in pd.period_range(f"{p.year}-01", p, freq="M")}
    month = inp.period
    return Coverage(
        volume=bool((inp.volume["period"] == month).any()),
        hours=bool((inp.hours["period"] == month).any()),
        hr=bool((inp.hr["period"] == month).any()),
        finance_month=bool((inp.finance["period"] == month).any()),
        finance_ytd=bool(inp.finance["period"].isin(ytd).any()),
        goals=bool((inp.goals["period"] == month).any()),
    )


#: The monthly inputs a unit's month must hold to be reported by default.
COMPLETE_INPUTS = ("volume", "hours", "hr", "finance")


def complete_period(
    source: DataSource, unit_ids: Sequence[str], tables: Sequence[str] = COMPLETE_INPUTS
) -> str | None:
    """The latest month that every one of the units' monthly inputs covers completely.

    A month is covered for a unit when each table of ``tables`` that has rows for the unit has
    rows for it in that month (the finance table: rows with an actual amount, since the budget
    runs to the year's end), and it is complete for ``unit_ids`` when it is covered for every
    one of them that has rows (a centre's month waits for its last department). The month must
    have ended before the data's as-of date (a month still running is never complete). A table
    with no rows for a unit is left out for it: its figures are "no data"; a unit with no rows
    at all is left out. None when no month qualifies. The report's default month
    (``period=None``) is this, so that a report is never made for a month its data cover for
    only a few days.
    """
    as_of = pd.Timestamp(source.as_of())
    covered: dict[str, set[str]] = {}
    for table in tables:
        if not source.has(table):
            continue
        df = source.unit_months(table, unit_ids, present="actual" if table == "finance" else None)
        # a table without a unit's rows is missing (no data) for it, not incomplete
        for unit, months in df.groupby("unit_id")["period"]:
            have = set(months.astype(str))
            covered[str(unit)] = covered[str(unit)] & have if str(unit) in covered else have
    if not covered:
        return None
    common = set.intersection(*covered.values())
    ended = [p for p in common if parse_period(p).end_time < as_of]
    return max(ended) if ended else None


def default_period(source: DataSource, unit_ids: Sequence[str]) -> str:
    """The month a report (or a run) for ``unit_ids`` is made for when none is asked for.

    The latest month the units' inputs cover completely (:func:`complete_period`, over the
    units and every unit below them, where the rows are), else the latest month every core
    table covers (:meth:`DataSource.latest_period`). A data folder or database gives the months
    of its rows as delivered (:meth:`~toolkit.data.tablesource.TableSource.unit_months`): a
    row that breaks a rule still counts for its month, and its unit's report fails on it at
    staging, as before; where a source can only read validated rows and they do not validate,
    the latest month every core table covers is used.
    """
    units = source.units()
    wanted = sorted({w for u in unit_ids for w in [u, *below(units, u)]})
    try:
        chosen = complete_period(source, wanted)
    except DataValidationError:
        chosen = None
    return chosen or source.latest_period()
