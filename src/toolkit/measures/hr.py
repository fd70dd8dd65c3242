"""HR: sick leave, sick days and overtime per FTE by staff group, with small-group suppression.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.data.schemas.core import ABSENCE_CATEGORIES
from toolkit.measures.common import HOURS_PER_DAY, TOTAL, ratio
from toolkit.measures.suppression import SUPPRESSION, suppress_rows

SICK_LEAVE_PCT = Definition(
    "sick_leave_pct",
    "Sygefraværsprocent",
    "Sick-leave percentage",
    "Fraværstimer pga. egen sygdom / mulige arbejdstimer × 100 (Danmarks Statistiks "
    "definition). Mulige timer = normtimer inkl. fravær − ferie og feriefridage; overarbejde "
    "indgår ikke. Barns sygdom og arbejdsskade opgøres for sig.",
    "Hours of absence due to own illness / possible working hours × 100 (Statistics Denmark's "
    "definition). Possible hours = contracted hours including absence − holidays; overtime "
    "is not included. Child's sickness and work injury are reported separately.",
)
SICK_DAYS_PER_FTE = Definition(
    "sick_days_per_fte",
    "Sygedage pr. årsværk",
    "Sick days per FTE",
    "Fraværstimer pga. egen sygdom / 7,4 timer pr. dag / gennemsnitligt antal årsværk i perioden.",
    "Hours of absence due to own illness / 7.4 hours per day / average full-time equivalents in the period.",
)
CHILD_SICK_PCT = Definition(
    "child_sick_pct",
    "Fravær pga. barns sygdom",
    "Absence due to a child's illness",
    "Fraværstimer pga. barns sygdom / mulige arbejdstimer × 100 (Danmarks Statistiks "
    "definition, som sygefraværsprocenten).",
    "Hours of absence due to a child's illness / possible working hours × 100 (Statistics "
    "Denmark's definition, like the sick-leave percentage).",
)
ALL_ABSENCE_PCT = Definition(
    "all_absence_pct",
    "Fravær i alt",
    "All absence",
    "Alle fraværstimer undtagen ferie og feriefridage (egen sygdom, barns sygdom, "
    "arbejdsskade, barsel og orlov, andet fravær) / mulige arbejdstimer × 100, som Danmarks "
    "Statistik opgør fravær i alt ved siden af sygefraværet.",
    "All hours of absence except holidays (own illness, child's illness, work injury, "
    "parental leave, other absence) / possible working hours × 100, as Statistics Denmark "
    "counts all absence beside sick leave.",
)
ABSENCE_DAYS_PER_FTE = Definition(
    "absence_days_per_fte",
    "Fraværsdage pr. årsværk",
    "Absence days per FTE",
    "Alle fraværstimer undtagen ferie / 7,4 timer pr. dag / gennemsnitligt antal årsværk i "
    "perioden (over 12 måneder: dage pr. årsværk om året).",
    "All hours of absence except holidays / 7.4 hours per day / average full-time equivalents "
    "in the period (over 12 months: days per FTE a year).",
)
OVERTIME_PER_FTE = Definition(
    "overtime_per_fte",
    "Overarbejde pr. årsværk",
    "Overtime per FTE",
    "Overarbejdstimer / gennemsnitligt antal årsværk i perioden. Merarbejde (ekstra timer for "
    "ansatte uden overarbejdsbetaling) vises for sig. Overarbejdsandel = overarbejdstimer / "
    "normtimer × 100.",
    "Overtime hours / average full-time equivalents in the period. Extra hours (for staff "
    "without overtime pay) are shown separately. Overtime share = overtime hours / "
    "contracted hours × 100.",
)
HR_VALUE_COLUMNS = (
    "fte",
    "sick_pct",
    "sick_days_per_fte",
    "child_sick_pct",
    "all_absence_pct",
    "absence_days_per_fte",
    "work_injury_hours",
    "overtime_hours",
    "overtime_per_fte",
    "overtime_pct",
    "extra_hours",
)


#: The absence categories counted as absence by Statistics Denmark: every one except holidays.
COUNTED_ABSENCE = tuple(c for c in ABSENCE_CATEGORIES if c != "holiday")


@define(
    SICK_LEAVE_PCT, SICK_DAYS_PER_FTE, CHILD_SICK_PCT, ALL_ABSENCE_PCT, ABSENCE_DAYS_PER_FTE, OVERTIME_PER_FTE
)
def staff_group_kpis(hours: pd.DataFrame, hr: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Sick leave and overtime per staff group over ``periods``, with a total row (``__total__``).

    Returns
    -------
    DataFrame
        ``staff_group``, ``persons`` (distinct employees), ``fte`` (average per month),
        ``contracted``, ``possible``, ``sick_own``, ``sick_pct``, ``sick_days_per_fte``,
        ``child_sick_pct``, ``all_absence_pct``, ``absence_days_per_fte``, ``work_injury_hours``, ``overtime_hours``, ``overtime_per_fte``,
        ``overtime_pct``, ``extra_hours``. Not suppressed: see :func:`suppress_small_groups`.
    """
    hr_p = hr[hr["period"].isin(periods)]
    h = hours[hours["period"].isin(periods)]
    group_of = hr_p.set_index(["period", "employee_id"])["staff_group"]
    keys = pd.MultiIndex.from_frame(h[["period", "employee_id"]])
    h = h.assign(staff_group=group_of.reindex(keys).to_numpy())
    h["staff_group"] = h["staff_group"].fillna("?")
    n_months = max(hr_p["period"].nunique(), 1)
    by_cat = h.pivot_table(
        index="staff_group", columns="time_category", values="hours", aggfunc="sum", fill_value=0.0
    )
    base = hr_p.groupby("staff_group").agg(
        persons=("employee_id", "nunique"), fte_sum=("fte", "sum"), contracted=("contracted_hours", "sum")
    )
    df = base.join(by_cat, how="outer").fillna(0.0)
    total = df.sum(numeric_only=True)
    total["persons"] = hr_p["employee_id"].nunique()
    df.loc[TOTAL] = total
    for c in (*ABSENCE_CATEGORIES, "overtime", "extra_hours"):
        if c not in df:
            df[c] = 0.0
    absence = df[list(COUNTED_ABSENCE)].sum(axis=1)
    df["fte"] = df["fte_sum"] / n_months
    df["possible"] = df["contracted"] - df["holiday"]
    df["sick_pct"] = ratio(df["sick_own"], df["possible"]) * 100
    df["sick_days_per_fte"] = ratio(df["sick_own"] / HOURS_PER_DAY, df["fte"])
    df["child_sick_pct"] = ratio(df["sick_child"], df["possible"]) * 100
    df["all_absence_pct"] = ratio(absence, df["possible"]) * 100
    df["absence_days_per_fte"] = ratio(absence / HOURS_PER_DAY, df["fte"])
    df["work_injury_hours"] = df["work_injury"]
    df["overtime_hours"] = df["overtime"]
    df["overtime_per_fte"] = ratio(df["overtime"], df["fte"])
    df["overtime_pct"] = ratio(df["overtime"], df["contracted"]) * 100
    df["persons"] = df["persons"].astype(int)
    cols = ["persons", "contracted", "possible", "sick_own", *HR_VALUE_COLUMNS]
    out = df[cols].reset_index(names="staff_group")
    body = out[out["staff_group"] != TOTAL].sort_values("staff_group", kind="stable")
    return pd.concat([body, out[out["staff_group"] == TOTAL]], ignore_index=True)


@define(SUPPRESSION)
def suppress_small_groups(
    df: pd.DataFrame,
    *,
    min_group_size: int,
    count_column: str = "persons",
    value_columns: Sequence[str] = HR_VALUE_COLUMNS,
    group_column: str = "staff_group",
    forced: Collection[str] = (),
) -> pd.DataFrame:
    """Hide person-based figures of small groups (a copy; adds a ``suppressed`` column).

    Groups with more than 0 and fewer than ``min_group_size`` persons, and the groups in
    ``forced`` (hidden by the unit tree's pattern, :func:`toolkit.measures.suppression.hr_pattern`),
    lose their values and their count; then complements (the next smallest groups, or the
    total) are hidden until no hidden count follows from the shown ones and the total
    (:func:`toolkit.measures.suppression.suppress_rows`). A total below the limit is hidden too.
    """
    extra = [c for c in ("contracted", "possible", "sick_own") if c in df]
    return suppress_rows(
        df,
        min_group_size=min_group_size,
        count_column=count_column,
        value_columns=[*value_columns, *extra],
        group_column=group_column,
        forced=forced,
    )


def unit_sick_leave_trend(hours: pd.DataFrame, hr: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Sick-leave % of the whole unit per month (``period``, ``persons``, ``sick_pct``)."""
    rows = []
    for p in periods:
        hr_p = hr[hr["period"] == p]
        h = hours[hours["period"] == p]
        possible = float(hr_p["contracted_hours"].sum()) - float(
            h.loc[h["time_category"] == "holiday", "hours"].sum()
        )
        sick = float(h.loc[h["time_category"] == "sick_own", "hours"].sum())
        rows.append(
            {
                "period": p,
                "persons": int(hr_p["employee_id"].nunique()),
                "sick_pct": ratio(sick, possible) * 100,
            }
        )
    return pd.DataFrame(rows)


#: The absence figures as Statistics Denmark publishes them, in the order a report shows them.
ABSENCE_MEASURES = (
    "sick_pct",
    "child_sick_pct",
    "all_absence_pct",
    "sick_days_per_fte",
    "absence_days_per_fte",
)


def unit_absence(
    hours: pd.DataFrame, hr: pd.DataFrame, windows: dict[str, Sequence[str]], *, min_group_size: int
) -> pd.DataFrame:
    """The unit's absence figures (:data:`ABSENCE_MEASURES`) over each window of months.

    Returns one row per measure (``measure``) and one column per window name (e.g. ``month``,
    ``last12``), from the total row of :func:`staff_group_kpis`; a window with fewer persons
    than ``min_group_size`` (none included) has missing values, as the suppression requires.
    """
    out = pd.DataFrame({"measure": list(ABSENCE_MEASURES)})
    for name, periods in windows.items():
        kpis = staff_group_kpis(hours, hr, periods)
        total = kpis[kpis["staff_group"] == TOTAL].iloc[0]
        small = int(total["persons"]) < min_group_size
        out[name] = [np.nan if small else float(total[m]) for m in ABSENCE_MEASURES]
    return out
