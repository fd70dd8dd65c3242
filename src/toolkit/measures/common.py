"""Shared helpers of the measures: safe ratios and changes, core activities, hours worked.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import numpy as np
import pandas as pd

from toolkit.data.schemas.core import WORK_CATEGORIES

#: Hours in one working day (Danmarks Statistik, for sick days).
HOURS_PER_DAY = 7.4
#: The row key of a total (e.g. all staff groups, all account groups).
TOTAL = "__total__"


@overload
def pct_change(new: float, base: float) -> float: ...
@overload
def pct_change(new: float | pd.Series, base: float | pd.Series) -> pd.Series: ...


def pct_change(new: float | pd.Series, base: float | pd.Series) -> float | pd.Series:
    """``(new - base) / base × 100``; missing where ``base`` is not positive.

    Two numbers give a number; a series on either side gives a series.
    """
    if isinstance(new, pd.Series) or isinstance(base, pd.Series):
        base_s = pd.Series(base, dtype="float64") if not isinstance(base, pd.Series) else base
        return ((new - base_s) / base_s.where(base_s > 0)) * 100
    if base is None or not np.isfinite(base) or base <= 0:
        return float("nan")
    return (float(new) - float(base)) / float(base) * 100


@overload
def ratio(num: float, den: float) -> float: ...
@overload
def ratio(num: float | pd.Series, den: float | pd.Series) -> pd.Series: ...


def ratio(num: float | pd.Series, den: float | pd.Series) -> float | pd.Series:
    """``num / den``; missing where ``den`` is not positive.

    Two numbers give a number; a series on either side gives a series.
    """
    if isinstance(den, pd.Series):
        return num / den.where(den > 0)
    if isinstance(num, pd.Series):
        den_s = pd.Series(den, index=num.index)
        return num / den_s.where(den_s > 0)
    if den is None or not np.isfinite(den) or den <= 0:
        return float("nan")
    return float(num) / float(den)


def core_activities(activities: pd.DataFrame) -> pd.DataFrame:
    """The catalogue rows of core (case-producing) activities."""
    return activities[activities["kind"] == "core"]


def work_hours(hours: pd.DataFrame, periods: Sequence[str]) -> pd.Series:
    """Hours worked (productive, overtime and extra hours) per activity over ``periods``."""
    sel = hours[hours["period"].isin(periods) & hours["time_category"].isin(WORK_CATEGORIES)]
    return sel.groupby("activity_id")["hours"].sum()
