"""The core set of Økonomistyrelsen's economy and HR KPI catalogues that the data model feeds.

Only the KPIs that the other measures do not give already (see ``docs/kpi-catalogue.md`` for
the whole list, computed and not, and why). Pure functions: data frames in, numbers out;
inputs are never changed. Each measure's definition is registered with
:func:`toolkit.core.definitions.define`, so that the docstrings and the appendix agree.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period, year_to_date
from toolkit.data.schemas.core import ABSENCE_CATEGORIES
from toolkit.measures.common import ratio
from toolkit.measures.hr import ALL_ABSENCE_PCT
from toolkit.measures.inputs import KPIInput

SALARY_SHARE = Definition(
    "salary_share",
    "Lønandel",
    "Salary share",
    "Lønforbrug år til dato / samlet forbrug år til dato × 100.",
    "Salary spending year to date / all spending year to date × 100.",
)
COST_PER_FTE = Definition(
    "cost_per_fte",
    "Forbrug pr. årsværk",
    "Spending per FTE",
    "Samlet forbrug år til dato / gennemsnitligt antal årsværk i årets måneder til dato.",
    "All spending year to date / average full-time equivalents over the year's months to date.",
)
UNALLOCATED_SHARE = Definition(
    "unallocated_share",
    "Andel af forbruget uden aktivitet",
    "Share of spending without an activity",
    "Forbrug år til dato bogført uden aktivitet, bortset fra løn (som fordeles efter timer) / "
    "samlet forbrug år til dato × 100. Et højt tal betyder, at registreringsrammen ikke binder "
    "økonomien til aktiviteterne.",
    "Spending year to date booked without an activity, except salary (allocated by hours) / all "
    "spending year to date × 100. A high figure means the registration frame does not tie the "
    "spending to the activities.",
)
FTE_AVERAGE = Definition(
    "fte_average",
    "Årsværk",
    "Full-time equivalents",
    "Summen af medarbejdernes årsværk i hver måned / antal måneder; de seneste 12 måneder.",
    "Sum of the employees' full-time equivalents in each month / number of months; the last 12 months.",
)
STAFF_TURNOVER = Definition(
    "staff_turnover",
    "Personaleomsætning",
    "Staff turnover",
    "Antal fratrædelser de seneste 12 måneder / gennemsnitligt antal ansatte pr. måned × 100. En "
    "fratrædelse er en medarbejder, der står i HR-tabellen i en måned og ikke i den følgende; "
    "flytning til en anden enhed tæller som fratrædelse i enheden. Skjules under diskretionsgrænsen.",
    "Number of leavers over the last 12 months / average number of employees per month × 100. A "
    "leaver is an employee in the HR table in one month and not in the next; a move to another "
    "unit counts as leaving the unit. Suppressed below the privacy limit.",
)
#: The catalogue KPIs this module computes: key, area, unit of measure, in reading order.
CATALOGUE_KPIS: tuple[tuple[str, str, str], ...] = (
    ("salary_share", "economy", "%"),
    ("cost_per_fte", "economy", "kr"),
    ("unallocated_share", "economy", "%"),
    ("fte_average", "hr", "FTE"),
    ("staff_turnover", "hr", "%"),
)


def _ytd(period: str) -> list[str]:
    return [str(x) for x in year_to_date(parse_period(period))]


def _last12(period: str) -> list[str]:
    return [str(x) for x in pd.period_range(end=parse_period(period), periods=12, freq="M")]


@define(SALARY_SHARE)
def salary_share(finance: pd.DataFrame, period: str) -> float:
    """Salary as a share of all spending year to date, in percent."""
    fin = finance[finance["period"].isin(_ytd(period))]
    salary = float(fin.loc[fin["account_group"] == "salary", "actual"].sum())
    return ratio(salary, float(fin["actual"].sum())) * 100


@define(COST_PER_FTE)
def cost_per_fte(finance: pd.DataFrame, hr: pd.DataFrame, period: str) -> float:
    """All spending year to date per average FTE over the year's months to date, in kr.

    Missing (no data, not 0 kr.) when the finance table has no rows for the year to date.
    """
    ytd = _ytd(period)
    if not finance["period"].isin(ytd).any():
        return float("nan")
    spent = float(finance.loc[finance["period"].isin(ytd), "actual"].sum())
    hr_y = hr[hr["period"].isin(ytd)]
    months = hr_y["period"].nunique()
    return ratio(spent, float(hr_y["fte"].sum()) / months) if months else float("nan")


@define(UNALLOCATED_SHARE)
def unallocated_share(finance: pd.DataFrame, period: str) -> float:
    """Non-salary spending year to date without an activity, as a share of all spending, in percent."""
    fin = finance[finance["period"].isin(_ytd(period))]
    loose = fin["activity_id"].isna() & (fin["account_group"] != "salary")
    return ratio(float(fin.loc[loose, "actual"].sum()), float(fin["actual"].sum())) * 100


@define(FTE_AVERAGE)
def fte_average(hr: pd.DataFrame, periods: Sequence[str]) -> float:
    """Average full-time equivalents per month over ``periods`` (months without staff count as 0)."""
    return float(hr.loc[hr["period"].isin(periods), "fte"].sum()) / max(len(periods), 1)


@define(STAFF_TURNOVER)
def staff_turnover(hr: pd.DataFrame, period: str) -> float:
    """Leavers over the 12 months up to ``period`` per average headcount, in percent.

    The 12 transitions are from each month to the next, the last one into ``period``; the
    headcount is averaged over the 12 months up to ``period``.
    """
    p = parse_period(period)
    months = [str(x) for x in pd.period_range(end=p, periods=13, freq="M")]
    staff = {m: set(hr.loc[hr["period"] == m, "employee_id"]) for m in months}
    leavers = sum(len(staff[a] - staff[b]) for a, b in itertools.pairwise(months))
    headcount = np.mean([len(staff[m]) for m in months[1:]])
    return ratio(float(leavers), float(headcount)) * 100


@define(ALL_ABSENCE_PCT)
def absence_pct(hours: pd.DataFrame, hr: pd.DataFrame, periods: Sequence[str]) -> float:
    """All absence except holidays per possible working hour over ``periods``, in percent.

    The KPI report shows it as "Fravær i alt" in its HR section (one definition,
    :data:`toolkit.measures.hr.ALL_ABSENCE_PCT`), so the catalogue section does not repeat it.
    """
    h = hours[hours["period"].isin(periods)]
    holiday = float(h.loc[h["time_category"] == "holiday", "hours"].sum())
    absent = [c for c in ABSENCE_CATEGORIES if c != "holiday"]
    absence = float(h.loc[h["time_category"].isin(absent), "hours"].sum())
    possible = float(hr.loc[hr["period"].isin(periods), "contracted_hours"].sum()) - holiday
    return ratio(absence, possible) * 100


def catalogue_kpis(inp: KPIInput, *, min_group_size: int = 5) -> pd.DataFrame:
    """The catalogue KPIs of one unit for ``inp.period``: ``key``, ``area``, ``unit``, ``value``.

    The person-based HR figure (turnover) is missing when the unit had fewer than
    ``min_group_size`` persons in the month; ``suppressed`` says so where persons exist (no HR
    rows is no data, not a suppressed figure). A figure whose input has no rows is missing.
    """
    last12 = _last12(inp.period)
    persons = inp.hr.loc[inp.hr["period"] == inp.period, "employee_id"].nunique()
    small = persons < min_group_size
    values = {
        "salary_share": salary_share(inp.finance, inp.period),
        "cost_per_fte": cost_per_fte(inp.finance, inp.hr, inp.period),
        "unallocated_share": unallocated_share(inp.finance, inp.period),
        "fte_average": fte_average(inp.hr, last12) if inp.hr["period"].isin(last12).any() else np.nan,
        "staff_turnover": np.nan if small else staff_turnover(inp.hr, inp.period),
    }
    rows = [
        {
            "key": key,
            "area": area,
            "unit": unit,
            "value": values[key],
            "suppressed": small and persons > 0 and key == "staff_turnover",
        }
        for key, area, unit in CATALOGUE_KPIS
    ]
    return pd.DataFrame(rows)
