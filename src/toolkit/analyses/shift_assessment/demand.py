"""Staffing against patient demand, hour by hour over the week, and the mismatch index.

Pure, vectorised functions on the roster's shift facts
(:func:`toolkit.analyses.shift_assessment.roster.shift_facts`) and a unit's ``patient_flow``
rows; every KPI's definition is registered with :func:`toolkit.core.definitions.define`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.measures.common import ratio

STAFFING_VS_DEMAND = Definition(
    "staffing_vs_demand",
    "Bemanding og efterspørgsel pr. time i ugen",
    "Staffing and demand by hour of the week",
    "For hver af ugens 7 × 24 timer: bemanding = gennemsnitligt antal personer på arbejde i timen "
    "(vagter og rådighedsvagt på arbejdsstedet eller tilkald, minutvis; vikarer med), efterspørgsel "
    "= gennemsnitligt antal patienter til stede (belægning) eller ankomne patienter i timen. "
    "Gennemsnittet tages over de timer i perioden, hvor der er patientdata. Forholdet = bemanding / "
    "efterspørgsel.",
    "For each of the week's 7 × 24 hours: staffing = average number of persons at work in the "
    "hour (shifts and on-call time on site or called in, by the minute; agency staff included), "
    "demand = average number of patients present (census) or arriving in the hour. Averages are "
    "taken over the period's hours with patient data. The ratio = staffing / demand.",
)
MISMATCH_INDEX = Definition(
    "mismatch_index",
    "Mismatch-indeks",
    "Mismatch index",
    "½ × Σ over ugens 168 timer af |timens andel af bemandingen − timens andel af efterspørgslen|. "
    "0 betyder, at bemandingen fordeler sig over ugen præcis som patienterne; 0,2 betyder, at en "
    "femtedel af vagttimerne skulle flyttes til andre timer for at følge patientstrømmen. "
    "Timer at flytte pr. uge = indekset × bemandingens timer pr. uge.",
    "½ × Σ over the week's 168 hours of |the hour's share of staffing − the hour's share of "
    "demand|. 0 means staffing is spread over the week exactly as the patients are; 0.2 means a "
    "fifth of the staff hours would have to move to other hours to follow the patient flow. "
    "Hours to move per week = the index × the staff hours per week.",
)


def hourly_staffing(facts: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    """Average number of persons at work in each hour from ``start`` to ``end`` (exclusive).

    Working intervals are counted by the minute (a difference array and a cumulative sum), so a
    shift from 07:30 counts half in the hour 07–08.

    Returns
    -------
    Series
        Indexed by the start of each hour.
    """
    start, end = pd.Timestamp(start).floor("h"), pd.Timestamp(end).ceil("h")
    n_min = int((end - start) / pd.Timedelta(minutes=1))
    hours = pd.date_range(start, end, freq="h", inclusive="left")
    w = facts[facts["is_work"]]
    if n_min <= 0:
        return pd.Series(dtype="float64", index=hours)
    t0 = start.to_datetime64()
    s = ((w["work_start"].to_numpy() - t0) // np.timedelta64(1, "m")).astype(np.int64)
    e = ((w["work_end"].to_numpy() - t0) // np.timedelta64(1, "m")).astype(np.int64)
    s, e = np.clip(s, 0, n_min), np.clip(e, 0, n_min)
    diff = np.bincount(s, minlength=n_min + 1) - np.bincount(e, minlength=n_min + 1)
    on_duty = np.cumsum(diff)[:n_min]
    return pd.Series(on_duty.reshape(-1, 60).mean(axis=1), index=hours, name="staff")


def demand_measure(flow: pd.DataFrame | None, wanted: str) -> str | None:
    """The demand column to use: ``wanted``, or for ``auto`` census where the unit has it.

    Returns None when the unit has no usable patient data.
    """
    if flow is None or flow.empty:
        return None
    has = {c: bool(flow[c].notna().any()) for c in ("census", "arrivals")}
    if wanted == "auto":
        return "census" if has["census"] else ("arrivals" if has["arrivals"] else None)
    return wanted if has.get(wanted) else None


def hourly_demand(flow: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, measure: str) -> pd.Series:
    """Demand (``measure``: census or arrivals) in each hour from ``start`` to ``end`` (exclusive).

    Hours without a row (or an empty value) are missing, not zero.
    """
    start, end = pd.Timestamp(start).floor("h"), pd.Timestamp(end).ceil("h")
    hours = pd.date_range(start, end, freq="h", inclusive="left")
    sel = flow[(flow["hour"] >= start) & (flow["hour"] < end)]
    series = sel.groupby("hour")[measure].sum(min_count=1)
    return series.reindex(hours).rename("demand").astype("float64")


@define(STAFFING_VS_DEMAND)
def hour_of_week(staff: pd.Series, demand: pd.Series) -> pd.DataFrame:
    """Staffing and demand averaged by hour of the week (Monday 00–01 first).

    Parameters
    ----------
    staff, demand
        Hourly series on the same hourly index (:func:`hourly_staffing`, :func:`hourly_demand`).
        Only hours with demand data are used, for both.

    Returns
    -------
    DataFrame
        168 rows: ``weekday`` (0 = Monday), ``hour``, ``staff``, ``demand``, ``ratio``
        (staff / demand; missing where demand is 0), ``staff_share``, ``demand_share`` (each
        hour's share of the week's total) and ``n_hours`` (hours averaged).
    """
    idx = staff.index
    demand = demand.reindex(idx)
    use = demand.notna()
    frame = pd.DataFrame(
        {
            "weekday": idx.day_of_week[use.to_numpy()],
            "hour": idx.hour[use.to_numpy()],
            "staff": staff[use].to_numpy(),
            "demand": demand[use].to_numpy(),
        }
    )
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    agg = frame.groupby(["weekday", "hour"]).agg(
        staff=("staff", "mean"), demand=("demand", "mean"), n_hours=("staff", "size")
    )
    out = agg.reindex(grid)
    out["n_hours"] = out["n_hours"].fillna(0).astype(int)
    out["ratio"] = ratio(out["staff"], out["demand"])
    total_s, total_d = out["staff"].sum(), out["demand"].sum()
    out["staff_share"] = out["staff"] / total_s if total_s > 0 else np.nan
    out["demand_share"] = out["demand"] / total_d if total_d > 0 else np.nan
    cols = ["staff", "demand", "ratio", "staff_share", "demand_share", "n_hours"]
    return out.reset_index()[["weekday", "hour", *cols]]


@define(MISMATCH_INDEX)
def mismatch_index(profile: pd.DataFrame) -> float:
    """½ Σ |staff share − demand share| over the hours of the week (missing if no demand or staff).

    Hours of the week without data are left out and the shares renormalised over the rest.
    """
    p = profile.dropna(subset=["staff", "demand"])
    s, d = p["staff"].sum(), p["demand"].sum()
    if len(p) == 0 or s <= 0 or d <= 0:
        return float("nan")
    return float(0.5 * np.abs(p["staff"] / s - p["demand"] / d).sum())


#: Blocks of the week for plain-language advice: (weekend?, block) with the hours of each block.
BLOCKS = {"night": (23, 0, 1, 2, 3, 4, 5, 6), "day": tuple(range(7, 15)), "evening": tuple(range(15, 23))}


@define(MISMATCH_INDEX)
def mismatch_blocks(profile: pd.DataFrame) -> pd.DataFrame:
    """Where staffing and demand part: share differences by block of the week.

    Returns
    -------
    DataFrame
        Six rows (weekdays/weekend × night/day/evening): ``weekend``, ``block``,
        ``staff_share``, ``demand_share``, ``difference`` (staff − demand share; negative:
        fewer staff than the patients call for) and ``hours_per_week`` (the difference in
        staff hours per week).
    """
    p = profile.dropna(subset=["staff", "demand"]).copy()
    s, d = p["staff"].sum(), p["demand"].sum()
    block_of = {h: b for b, hrs in BLOCKS.items() for h in hrs}
    p["block"] = p["hour"].map(block_of)
    # A night belongs to the day it starts: 23:00 Friday is a weekday night, 23:00 Sunday weekend.
    start_day = np.where(p["hour"] < 7, (p["weekday"] - 1) % 7, p["weekday"])
    p["weekend"] = start_day >= 5
    p["staff_share"] = p["staff"] / s if s > 0 else np.nan
    p["demand_share"] = p["demand"] / d if d > 0 else np.nan
    g = p.groupby(["weekend", "block"])[["staff_share", "demand_share"]].sum()
    grid = pd.MultiIndex.from_product([[False, True], list(BLOCKS)], names=["weekend", "block"])
    out = g.reindex(grid, fill_value=0.0).reset_index()
    out["difference"] = out["staff_share"] - out["demand_share"]
    out["hours_per_week"] = out["difference"] * s
    return out


@dataclass(frozen=True)
class StaffingVsDemand:
    """Hour-of-week staffing against demand for a window of months (see :func:`staffing_vs_demand`)."""

    profile: pd.DataFrame | None
    mismatch: float
    blocks: pd.DataFrame | None
    measure: str | None
    groups: tuple[str, ...]
    staff_hours_per_week: float


def parse_groups(text: str) -> list[str]:
    """Staff groups given as comma-separated text (``shift_assessment.demand_staff_groups``)."""
    return [g.strip() for g in text.split(",") if g.strip()]


@define(STAFFING_VS_DEMAND, MISMATCH_INDEX)
def staffing_vs_demand(
    facts: pd.DataFrame,
    flow: pd.DataFrame | None,
    *,
    start: pd.Timestamp,
    end: pd.Timestamp,
    measure: str = "auto",
    groups: Sequence[str] = (),
) -> StaffingVsDemand:
    """Staffing of ``groups`` (all if none of them works in the unit) against patient demand.

    Parameters
    ----------
    facts
        The output of :func:`toolkit.analyses.shift_assessment.roster.shift_facts`.
    flow
        The unit's ``patient_flow`` rows (None: the table is missing).
    start, end
        The window (``end`` exclusive), on whole hours.
    measure
        ``census``, ``arrivals`` or ``auto`` (see :func:`demand_measure`).
    groups
        Staff groups to count.

    Returns
    -------
    StaffingVsDemand
        ``profile`` (:func:`hour_of_week`), ``mismatch`` (:func:`mismatch_index`), ``blocks``
        (:func:`mismatch_blocks`), the ``measure`` used, the ``groups`` counted and the staff
        hours per week. Without patient data: no profile and a missing index.
    """
    present = set(facts["staff_group"].dropna())
    chosen = tuple(g for g in groups if g in present)
    counted = facts[facts["staff_group"].isin(chosen)] if chosen else facts
    used = demand_measure(flow, measure)
    if used is None or flow is None:
        return StaffingVsDemand(None, float("nan"), None, None, chosen, float("nan"))
    staff = hourly_staffing(counted, start, end)
    demand = hourly_demand(flow, start, end, used)
    profile = hour_of_week(staff, demand)
    if not profile["demand"].notna().any():
        return StaffingVsDemand(None, float("nan"), None, used, chosen, float("nan"))
    return StaffingVsDemand(
        profile=profile,
        mismatch=mismatch_index(profile),
        blocks=mismatch_blocks(profile),
        measure=used,
        groups=chosen,
        staff_hours_per_week=float(profile["staff"].sum()),
    )
