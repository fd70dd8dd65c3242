"""Monthly periods ("YYYY-MM"), the time grain of every table in the data model."""

from __future__ import annotations

import re
from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from toolkit.core.errors import ParameterError

#: The time zone of every time stamp the toolkit writes (reports, manifests).
TIMEZONE = ZoneInfo("Europe/Copenhagen")

_PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_period(value: str | pd.Period | date, *, name: str = "period") -> pd.Period:
    """Parse a month given as ``"YYYY-MM"`` (or a Period or date) into a monthly Period.

    Raises
    ------
    ParameterError
        If ``value`` is not a valid month, e.g. ``"2024/13"``.
    """
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if isinstance(value, date):
        return pd.Period(year=value.year, month=value.month, freq="M")
    text = str(value).strip()
    if not _PERIOD_RE.match(text):
        raise ParameterError(f"`{name}` must be YYYY-MM; got {value!r}")
    return pd.Period(text, freq="M")


def period_range(end: pd.Period, months: int) -> list[pd.Period]:
    """The ``months`` monthly periods that end with ``end`` (inclusive), oldest first."""
    if months < 1:
        raise ParameterError(f"`months` must be at least 1; got {months}")
    return list(pd.period_range(end=end, periods=months, freq="M"))


def year_to_date(end: pd.Period) -> list[pd.Period]:
    """January of ``end``'s year up to and including ``end`` (the budget year is the calendar year)."""
    return period_range(end, end.month)


def same_month_last_year(period: pd.Period) -> pd.Period:
    """The same month one year earlier."""
    return period - 12
