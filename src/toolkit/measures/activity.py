"""Activity and time: volume against plan and last year, the time staircase, registration coverage.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period, same_month_last_year, year_to_date
from toolkit.data.schemas.core import ABSENCE_CATEGORIES, WORK_CATEGORIES
from toolkit.measures.common import core_activities, pct_change, ratio, work_hours

VOLUME_VS_PLAN = Definition(
    "volume_vs_plan",
    "Aktivitet i forhold til plan",
    "Volume against plan",
    "(faktisk aktivitet − planlagt aktivitet) / planlagt aktivitet × 100, pr. aktivitet, for "
    "måneden og år til dato.",
    "(actual volume − planned volume) / planned volume × 100, per activity, for the month and year to date.",
)
VOLUME_VS_LAST_YEAR = Definition(
    "volume_vs_last_year",
    "Aktivitet i forhold til sidste år",
    "Volume against last year",
    "(faktisk aktivitet − aktivitet i samme periode sidste år) / aktivitet sidste år × 100.",
    "(actual volume − volume in the same period last year) / volume last year × 100.",
)


@define(VOLUME_VS_PLAN, VOLUME_VS_LAST_YEAR)
def volume_comparison(volume: pd.DataFrame, activities: pd.DataFrame, period: str) -> pd.DataFrame:
    """Volume per core activity for ``period`` and year to date, against plan and last year.

    Returns
    -------
    DataFrame
        One row per core activity with volume in the window: ``activity_id``, ``name``,
        ``volume_unit``, ``actual``, ``planned``, ``vs_plan_pct``, ``last_year``,
        ``vs_last_year_pct`` and the same with prefix ``ytd_``.
    """
    p = parse_period(period)
    ytd = [str(x) for x in year_to_date(p)]
    ytd_ly = [str(x - 12) for x in year_to_date(p)]
    ly = str(same_month_last_year(p))

    def total(periods: list[str], col: str) -> pd.Series:
        sel = volume[volume["period"].isin(periods)]
        return sel.groupby("activity_id")[col].sum(min_count=1)

    core = core_activities(activities).set_index("activity_id")
    seen = core.index.intersection(pd.Index(volume["activity_id"].unique()))
    out = pd.DataFrame(index=seen)
    out["name"] = core.loc[seen, "name"]
    out["volume_unit"] = core.loc[seen, "volume_unit"]
    out["actual"] = total([period], "actual")
    out["planned"] = total([period], "planned")
    out["vs_plan_pct"] = pct_change(out["actual"], out["planned"])
    out["last_year"] = total([ly], "actual")
    out["vs_last_year_pct"] = pct_change(out["actual"], out["last_year"])
    out["ytd_actual"] = total(ytd, "actual")
    out["ytd_planned"] = total(ytd, "planned")
    out["ytd_vs_plan_pct"] = pct_change(out["ytd_actual"], out["ytd_planned"])
    out["ytd_last_year"] = total(ytd_ly, "actual")
    out["ytd_vs_last_year_pct"] = pct_change(out["ytd_actual"], out["ytd_last_year"])
    return out.reset_index(names="activity_id").sort_values("name", kind="stable").reset_index(drop=True)


def volume_trend(volume: pd.DataFrame, activities: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Monthly actual and planned volume per core activity over ``periods`` (long format)."""
    core = core_activities(activities)[["activity_id", "name"]]
    sel = volume[volume["period"].isin(periods)]
    out = sel.groupby(["period", "activity_id"], as_index=False)[["actual", "planned"]].sum(min_count=1)
    return out.merge(core, on="activity_id").sort_values(["activity_id", "period"]).reset_index(drop=True)


# --------------------------------------------------------------------------- time


TIME_STAIRCASE = Definition(
    "time_staircase",
    "Tidstrappe",
    "Time staircase",
    "Normtimer (aftalt arbejdstid) − ferie og feriefridage = mulige timer; − sygdom, "
    "barns sygdom, arbejdsskade, barsel og andet fravær + overarbejde og merarbejde = "
    "fremmøde; fremmøde = interne aktiviteter + ikke registreret tid + tid på kerneaktiviteter.",
    "Contracted hours − holidays = possible hours; − own sickness, child's sickness, work "
    "injury, parental leave and other absence + overtime and extra hours = attendance; "
    "attendance = internal activities + unregistered time + time on core activities.",
)
REGISTRATION_COVERAGE = Definition(
    "registration_coverage",
    "Registreringsgrad",
    "Registration coverage",
    "(timer registreret på aktiviteter + registreret fravær) / (normtimer + overarbejde og "
    "merarbejde) × 100. En lav registreringsgrad får produktiviteten til at se for god ud.",
    "(hours registered on activities + registered absence) / (contracted hours + overtime and "
    "extra hours) × 100. Low coverage flatters productivity.",
)

STAIRCASE_STEPS: tuple[tuple[str, str], ...] = (
    ("contracted", "total"),
    ("holiday", "decrease"),
    ("possible", "total"),
    ("sick_own", "decrease"),
    ("sick_child", "decrease"),
    ("work_injury", "decrease"),
    ("parental_leave", "decrease"),
    ("other_absence", "decrease"),
    ("overtime_extra", "increase"),
    ("attendance", "total"),
    ("internal", "decrease"),
    ("unregistered", "decrease"),
    ("core", "total"),
)


@define(TIME_STAIRCASE)
def time_staircase(
    hours: pd.DataFrame, hr: pd.DataFrame, activities: pd.DataFrame, periods: Sequence[str]
) -> pd.DataFrame:
    """The time staircase (tidstrappe) over ``periods``.

    Returns
    -------
    DataFrame
        ``step``, ``kind`` (total, decrease, increase) and ``hours`` (decreases positive), in
        the order of :data:`STAIRCASE_STEPS`. The steps add up: e.g. possible = contracted −
        holiday, and core = attendance − internal − unregistered.
    """
    h = hours[hours["period"].isin(periods)]
    by_cat = h.groupby("time_category")["hours"].sum()
    cat = {c: float(by_cat.get(c, 0.0)) for c in (*ABSENCE_CATEGORIES, *WORK_CATEGORIES)}
    contracted = float(hr.loc[hr["period"].isin(periods), "contracted_hours"].sum())
    kind = activities.set_index("activity_id")["kind"]
    work = h[h["time_category"].isin(WORK_CATEGORIES)]
    work_kind = work["activity_id"].map(kind)
    internal = float(work.loc[work_kind == "internal", "hours"].sum())
    core = float(work.loc[work_kind == "core", "hours"].sum())
    possible = contracted - cat["holiday"]
    absences = sum(cat[c] for c in ABSENCE_CATEGORIES if c != "holiday")
    overtime_extra = cat["overtime"] + cat["extra_hours"]
    attendance = possible - absences + overtime_extra
    unregistered = attendance - internal - core
    values = {
        "contracted": contracted,
        "holiday": cat["holiday"],
        "possible": possible,
        "sick_own": cat["sick_own"],
        "sick_child": cat["sick_child"],
        "work_injury": cat["work_injury"],
        "parental_leave": cat["parental_leave"],
        "other_absence": cat["other_absence"],
        "overtime_extra": overtime_extra,
        "attendance": attendance,
        "internal": internal,
        "unregistered": unregistered,
        "core": core,
    }
    return pd.DataFrame([{"step": s, "kind": k, "hours": values[s]} for s, k in STAIRCASE_STEPS])


@define(REGISTRATION_COVERAGE)
def registration_coverage(hours: pd.DataFrame, hr: pd.DataFrame, periods: Sequence[str]) -> float:
    """Share of the time at the unit's disposal that is registered, in percent."""
    h = hours[hours["period"].isin(periods)]
    registered = float(h["hours"].sum())
    overtime = float(h.loc[h["time_category"].isin(("overtime", "extra_hours")), "hours"].sum())
    contracted = float(hr.loc[hr["period"].isin(periods), "contracted_hours"].sum())
    return ratio(registered, contracted + overtime) * 100


def hours_by_activity(hours: pd.DataFrame, activities: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Hours worked per activity over ``periods`` with each activity's share of all work hours."""
    wh = work_hours(hours, periods)
    cat = activities.set_index("activity_id")
    out = pd.DataFrame({"activity_id": wh.index, "hours": wh.to_numpy()})
    out["name"] = out["activity_id"].map(cat["name"])
    out["kind"] = out["activity_id"].map(cat["kind"])
    total = out["hours"].sum()
    out["share_pct"] = out["hours"] / total * 100 if total > 0 else np.nan
    return out.sort_values("hours", ascending=False, kind="stable").reset_index(drop=True)
