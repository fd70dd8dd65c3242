"""Roster KPIs: what a unit's shifts say about its shift planning (input, shifts, rest, time off).

Pure, vectorised functions: frames in, frames or numbers out; inputs are never changed. Every
KPI's definition is registered with :func:`toolkit.core.definitions.define`, so the docstrings
and the report's appendix say the same. Staffing against patient demand hour by hour is in
:mod:`toolkit.analyses.shift_assessment.demand`.

Person-level results (a person's shifts, stretches of work or balance) never leave this module
through the report: the summaries give counts and shares, and per-group figures go through
:func:`toolkit.measures.hr.suppress_small_groups`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analyses.shift_assessment import rest_time
from toolkit.analyses.shift_assessment.params import ShiftAssessmentParams
from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.core.periods import parse_period
from toolkit.data.sources import DataSource
from toolkit.measures.common import TOTAL, ratio

_HOUR = pd.Timedelta(hours=1)
_NIGHT_TYPES = ("night",)


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class RosterInput:
    """One unit's roster data for the report's months (see :func:`load`).

    ``shifts`` starts one month before the first month reported, so that the rest rule can
    look back across the month boundary.
    """

    unit_id: str
    period: str
    shifts: pd.DataFrame
    patient_flow: pd.DataFrame | None
    toil: pd.DataFrame | None
    hours: pd.DataFrame
    hr: pd.DataFrame


def months_needed(period: str, *, trend_months: int, heatmap_months: int) -> list[str]:
    """The months a report for ``period`` shows: the trend window, and January of the year (caps)."""
    p = parse_period(period)
    first = min(p - (trend_months - 1), p - (heatmap_months - 1), pd.Period(year=p.year, month=1, freq="M"))
    return [str(x) for x in pd.period_range(first, p, freq="M")]


def load(
    source: DataSource, unit_id: str, period: str, *, trend_months: int, heatmap_months: int
) -> RosterInput:
    """Read one unit's shifts, patient flow, time-off-in-lieu balances, hours and hr.

    Raises
    ------
    DataStructureError
        If the data folder has no ``shifts`` table.
    DataValidationError
        If the unit has no shifts in ``period``, or its rows break the data model.
    """
    source.require("shifts")
    months = months_needed(period, trend_months=trend_months, heatmap_months=heatmap_months)
    lookback = str(parse_period(months[0]) - 1)
    last12 = str(parse_period(period) - 11)
    units = [unit_id]
    shifts = _as_datetimes(
        source.read("shifts", units=units, start=lookback, end=period),
        ["planned_start", "planned_end", "actual_start", "actual_end", "changed_at"],
    )
    if not (shifts["period"] == period).any():
        raise DataValidationError([f"shifts: no shifts for unit {unit_id} in {period}"])
    flow = None
    if source.has("patient_flow"):
        flow = _as_datetimes(source.read("patient_flow", units=units, start=months[0], end=period), ["hour"])
    toil = (
        source.read("toil_balances", units=units, start=months[0], end=period)
        if source.has("toil_balances")
        else None
    )
    start = min(months[0], last12)
    return RosterInput(
        unit_id=unit_id,
        period=period,
        shifts=shifts,
        patient_flow=flow,
        toil=toil,
        hours=source.read("hours", units=units, start=start, end=period),
        hr=source.read("hr", units=units, start=start, end=period),
    )


def _as_datetimes(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    out = frame.copy()
    for c in columns:
        out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    return out


# --------------------------------------------------------------------------- shifts


OVERTIME_PCT = Definition(
    "overtime_pct_planned",
    "Overarbejde i % af planlagte timer",
    "Overtime as % of planned hours",
    "Egne medarbejderes timer ud over planen / planlagte timer × 100. Timer ud over planen = for "
    "hver vagt den faktiske varighed minus den planlagte, når den er længere, plus tilkald under "
    "rådighedsvagt. Planlagte timer = planlagt varighed af vagter og rådighedsvagt på "
    "arbejdsstedet; rådighedsvagt hjemme er ikke arbejdstid. Vikarer indgår ikke.",
    "Own staff's hours beyond the plan / planned hours × 100. Hours beyond the plan = for each "
    "shift the actual duration minus the planned one where longer, plus call-ins during on-call "
    "duty. Planned hours = the planned duration of shifts and of on-call duty on site; on-call "
    "at home is not working time. Agency staff are not included.",
)
AGENCY_SHARE = Definition(
    "agency_share",
    "Vikarandel",
    "Agency share",
    "Timer arbejdet af vikarer (bureau) / alle arbejdede timer × 100 (faktiske tider, ellers "
    "planlagte). Vikarandel af nattevagter: det samme for nattevagter. Kroneandelen er vikarernes "
    "andel af vagternes omkostning, blandt vagter med en omkostning.",
    "Hours worked by agency staff / all hours worked × 100 (actual times, else planned). Agency "
    "share of night shifts: the same for night shifts. The kr. share is the agency staff's share "
    "of the shifts' cost, among shifts with a cost.",
)
SHORT_NOTICE = Definition(
    "short_notice_changes",
    "Vagtændringer med kort varsel",
    "Short-notice changes",
    "Vagter, der sidst er ændret mindre end N dage (parameter, standard 4) før vagtens planlagte "
    "start / alle planlagte vagter i måneden × 100. Ændringer efter vagtens start (fx registrering "
    "af faktiske tider) tæller ikke. Tilkald under rådighedsvagt er ikke planlagte vagter.",
    "Shifts last changed less than N days (parameter, default 4) before their planned start / "
    "all rostered shifts in the month × 100. Changes after the shift's start (e.g. registering "
    "actual times) do not count. Call-ins during on-call duty are not rostered shifts.",
)
REGISTRATION_SHARE = Definition(
    "actual_times_registered",
    "Registrerede faktiske tider",
    "Actual times registered",
    "Arbejdede vagter med registreret faktisk start og slut / alle arbejdede vagter × 100. Uden "
    "faktiske tider bruges de planlagte, så overarbejde og hviletid undervurderes.",
    "Worked shifts with an actual start and end registered / all worked shifts × 100. Without "
    "actual times the planned ones are used, so overtime and rest-time breaches are understated.",
)


def shift_facts(
    shifts: pd.DataFrame, *, notice_days: int, time_zone: str = rest_time.DEFAULT_TIME_ZONE
) -> pd.DataFrame:
    """Per-shift working time, planned time, overtime and short-notice flag (a new frame).

    Adds ``work_start``, ``work_end`` (actual where registered, else planned; local clock
    times), ``work_start_utc``, ``work_end_utc`` (the same as instants, see
    :func:`rest_time.instants`), ``is_work`` (not on call at home), ``rostered`` (not a
    call-in), ``planned_h``, ``worked_h``, ``overtime_h``, ``short_notice``, ``registered``
    and ``is_night``. Hours are real hours in ``time_zone``: a night across the spring switch
    is an hour shorter than its clock times say, one across the autumn switch an hour longer.
    """
    out = shifts.copy()
    start, end = rest_time.effective_times(out)
    out["work_start"], out["work_end"] = start, end
    start, end = rest_time.instants(start, end, time_zone)
    out["work_start_utc"], out["work_end_utc"] = start, end
    planned_start, planned_end = rest_time.instants(out["planned_start"], out["planned_end"], time_zone)
    kind = out["on_call"]
    out["is_work"] = rest_time.is_working(kind).to_numpy()
    regular = kind.isin(("none", "on_site")).to_numpy()
    out["rostered"] = (kind != "called_in").to_numpy()
    planned = (planned_end - planned_start) / _HOUR
    worked = (end - start) / _HOUR
    out["planned_h"] = np.where(regular, planned, 0.0)
    out["worked_h"] = np.where(out["is_work"], worked, 0.0)
    out["overtime_h"] = np.where(
        regular, np.maximum(worked - planned, 0.0), np.where(kind == "called_in", worked, 0.0)
    )
    lead = out["planned_start"] - out["changed_at"]
    notice = pd.Timedelta(days=notice_days)
    out["short_notice"] = (
        out["rostered"] & out["changed_at"].notna() & (lead >= pd.Timedelta(0)) & (lead < notice)
    ).to_numpy()
    out["registered"] = out["actual_start"].notna().to_numpy() & out["actual_end"].notna().to_numpy()
    out["is_night"] = out["shift_type"].isin(_NIGHT_TYPES).to_numpy()
    out["agency"] = out["agency"].fillna(False).astype(bool)
    out.attrs["time_zone"] = time_zone  # for rest_stretches: the zone of the instants
    return out


MONTHLY_COLUMNS = (
    "persons",
    "shifts",
    "planned_h",
    "worked_h",
    "overtime_h",
    "overtime_pct",
    "agency_h",
    "agency_pct",
    "agency_night_pct",
    "agency_cost_pct",
    "short_notice",
    "short_notice_pct",
    "registered_pct",
)


@define(OVERTIME_PCT, AGENCY_SHARE, SHORT_NOTICE, REGISTRATION_SHARE)
def monthly_kpis(facts: pd.DataFrame, periods: Sequence[str], *, by: str | None = None) -> pd.DataFrame:
    """Overtime, agency use, short-notice changes and registration per month (and group).

    Parameters
    ----------
    facts
        The output of :func:`shift_facts`.
    periods
        The months to report (``period`` of the planned start).
    by
        A column to group by as well (e.g. ``"staff_group"``); None for the unit as a whole.

    Returns
    -------
    DataFrame
        ``period`` (and ``by``) with :data:`MONTHLY_COLUMNS`; ``persons`` counts distinct
        persons who worked. Months without shifts have zero counts and missing shares.
    """
    f = facts[facts["period"].isin(list(periods))]
    keys = ["period"] + ([by] if by else [])
    own = ~f["agency"]
    work = f["is_work"]
    night = work & f["is_night"]
    costed = work & f["cost_kr"].notna()
    frame = pd.DataFrame(
        {
            **{k: f[k] for k in keys},
            "person": f["employee_id"].where(work),
            "shift": (work & f["rostered"]).astype(int),
            "rostered": f["rostered"].astype(int),
            "planned_own": f["planned_h"].where(own, 0.0),
            "overtime_own": f["overtime_h"].where(own, 0.0),
            "worked_h": f["worked_h"],
            "agency_h": f["worked_h"].where(f["agency"], 0.0),
            "night_h": f["worked_h"].where(night, 0.0),
            "agency_night_h": f["worked_h"].where(night & f["agency"], 0.0),
            "cost": f["cost_kr"].where(costed, 0.0),
            "agency_cost": f["cost_kr"].where(costed & f["agency"], 0.0),
            "n_costed": costed.astype(int),
            "short_notice": f["short_notice"].astype(int),
            "worked_shift": work.astype(int),
            "registered": (work & f["registered"]).astype(int),
        }
    )
    g = frame.groupby(keys, sort=True)
    agg = g.agg(
        persons=("person", "nunique"),
        shifts=("shift", "sum"),
        rostered=("rostered", "sum"),
        planned_h=("planned_own", "sum"),
        overtime_h=("overtime_own", "sum"),
        worked_h=("worked_h", "sum"),
        agency_h=("agency_h", "sum"),
        night_h=("night_h", "sum"),
        agency_night_h=("agency_night_h", "sum"),
        cost=("cost", "sum"),
        agency_cost=("agency_cost", "sum"),
        n_costed=("n_costed", "sum"),
        short_notice=("short_notice", "sum"),
        worked_shift=("worked_shift", "sum"),
        registered=("registered", "sum"),
    )
    if by is None:
        agg = agg.reindex(pd.Index(list(periods), name="period"))
        for c in agg.columns:
            agg[c] = agg[c].fillna(0)
    # Overtime is measured on actual times: without any registered, it is no data (not 0 %).
    agg["overtime_pct"] = (ratio(agg["overtime_h"], agg["planned_h"]) * 100).where(agg["registered"] > 0)
    agg["agency_pct"] = ratio(agg["agency_h"], agg["worked_h"]) * 100
    agg["agency_night_pct"] = ratio(agg["agency_night_h"], agg["night_h"]) * 100
    agg["agency_cost_pct"] = (ratio(agg["agency_cost"], agg["cost"]) * 100).where(agg["n_costed"] > 0)
    agg["short_notice_pct"] = ratio(agg["short_notice"], agg["rostered"]) * 100
    agg["registered_pct"] = ratio(agg["registered"], agg["worked_shift"]) * 100
    agg["persons"] = agg["persons"].astype(int)
    return agg.reset_index()[[*keys, *MONTHLY_COLUMNS]]


def group_kpis(facts: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """:func:`monthly_kpis` over all of ``periods`` per staff group, with a total row (``__total__``).

    Not suppressed: see :func:`toolkit.measures.hr.suppress_small_groups`.
    """
    f = facts[facts["period"].isin(list(periods))]
    by_group = monthly_kpis(f.assign(period="all"), ["all"], by="staff_group")
    total = monthly_kpis(f.assign(period="all", staff_group=TOTAL), ["all"], by="staff_group")
    out = pd.concat([by_group.sort_values("staff_group", kind="stable"), total], ignore_index=True)
    return out.drop(columns="period")


# --------------------------------------------------------------------------- rest time


def rest_rule(params: ShiftAssessmentParams) -> rest_time.RestRule:
    """The rest rule from the ``shift_assessment`` parameters."""
    return rest_time.RestRule(
        rest_hours=params.rest_hours,
        reduced_rest_hours=params.reduced_rest_hours,
        reduced_per_month=params.reduced_rest_per_month,
        reduced_per_year=params.reduced_rest_per_year,
    )


@define(rest_time.REST_TIME_BREACH)
def rest_stretches(
    facts: pd.DataFrame,
    rule: rest_time.RestRule = rest_time.DANISH_RULE,
    time_zone: str | None = None,
) -> pd.DataFrame:
    """Every stretch of work with its longest rest in the 24 hours before it ends (person level).

    Parameters
    ----------
    facts
        The output of :func:`shift_facts` (working rows are used; on call at home is rest);
        without ``work_start_utc``/``work_end_utc`` the local ``work_start``/``work_end`` are
        turned into instants here.
    rule
        The rest rule.
    time_zone
        The time zone of the clock times (default: the one given to :func:`shift_facts`, else
        Europe/Copenhagen): the check runs on the instants, so rest across a daylight-saving
        switch is the real rest.

    Returns
    -------
    DataFrame
        ``employee_id``, ``staff_group`` (of the first shift), ``period`` (month of the local
        start), ``start``, ``end`` (local clock times), ``hours`` (real hours), ``longest_rest_h`` and ``category`` (``ok``,
        ``reduced``: 8 to under 11 hours, ``under_reduced``: under 8). This frame holds
        person keys: it is for the library's summaries, never for a report.

    Raises
    ------
    DataValidationError
        If working shifts of a person overlap or end before they start (named by their
        planned start, never by person).
    """
    work = facts["is_work"].to_numpy()
    rows = None if work.all() else np.flatnonzero(work)  # positions of working rows; no frame copy

    def column(values: np.ndarray) -> np.ndarray:
        return values if rows is None else values[rows]

    codes = pd.factorize(facts["employee_id"])[0]
    person = column(codes.astype(np.int32) if len(codes) < 2**31 else codes)  # int32 sorts faster

    def labels(bad: np.ndarray) -> list[str]:
        at = bad if rows is None else rows[bad]
        return [f"planned {t:%Y-%m-%d %H:%M}" for t in facts["planned_start"].iloc[at]]

    zone = time_zone or facts.attrs.get("time_zone", rest_time.DEFAULT_TIME_ZONE)
    if "work_start_utc" in facts:
        utc_start, utc_end = facts["work_start_utc"], facts["work_end_utc"]
    else:  # a frame of local times only (e.g. built by hand): the instants are made here
        utc_start, utc_end = rest_time.instants(facts["work_start"], facts["work_end"], zone)
    res = rest_time.check_rest(
        person,
        column(utc_start.to_numpy()),
        column(utc_end.to_numpy()),
        rule,
        labels=labels,
    )
    first = res.first if rows is None else rows[res.first]
    start = rest_time.local_times(res.start, zone)
    return pd.DataFrame(
        {
            "employee_id": facts["employee_id"].take(first).reset_index(drop=True),
            "staff_group": facts["staff_group"].take(first).reset_index(drop=True),
            "period": month_text(start),
            "start": start,
            "end": rest_time.local_times(res.end, zone),
            "hours": (res.end - res.start) / 3.6e12,
            "longest_rest_h": res.longest_rest_h,
            "category": pd.Categorical.from_codes(
                res.category, categories=list(rest_time.CATEGORY_NAMES.values())
            ),
        }
    )


def month_text(stamps: np.ndarray) -> pd.Categorical:
    """``YYYY-MM`` of int64-nanosecond or datetime64 stamps, as categories (vectorised)."""
    months = np.asarray(stamps).view("datetime64[ns]").astype("datetime64[M]").view(np.int64)
    if len(months) == 0:
        return pd.Categorical([], categories=[])
    first = int(months.min())
    span = np.arange(first, int(months.max()) + 1).astype("datetime64[M]")  # no sort: months are few
    return pd.Categorical.from_codes(
        months - first, categories=np.datetime_as_string(span, unit="M").tolist()
    )


REST_SUMMARY_COLUMNS = (
    "stretches",
    "breaches",
    "under_reduced",
    "reduced",
    "breach_pct",
    "long_stretches",
    "persons_with_reduced",
    "persons_over_month_cap",
    "persons_over_year_cap",
)


@define(rest_time.REST_TIME_BREACH, rest_time.REDUCED_REST_CAPS)
def rest_summary(
    stretches: pd.DataFrame, periods: Sequence[str], rule: rest_time.RestRule = rest_time.DANISH_RULE
) -> pd.DataFrame:
    """Rest-time breaches per month, counted, never listed by person.

    Returns
    -------
    DataFrame
        One row per month of ``periods``: ``stretches`` (of work begun in the month),
        ``breaches`` = ``under_reduced`` (longest rest under 8 hours) + ``reduced`` (8 to
        under 11), ``breach_pct`` (breaches / stretches × 100), ``long_stretches`` (breaches by
        a stretch longer than 24 − 11 = 13 hours), ``persons_with_reduced``,
        ``persons_over_month_cap`` (more reduced rests in the month than the monthly cap) and
        ``persons_over_year_cap`` (more from January up to the month than the yearly cap;
        months before the data begin are not counted).
    """
    months = list(periods)
    period = pd.Categorical(stretches["period"])
    codes = period.codes.astype(np.int64)
    labels = [str(c) for c in period.categories]
    n_p = len(labels)
    category = pd.Categorical(stretches["category"], categories=list(rest_time.CATEGORY_NAMES.values()))
    cat = category.codes
    breach = cat != rest_time.OK
    reduced = cat == rest_time.REDUCED
    long_limit = rule.window_hours - rule.rest_hours
    long = breach & (stretches["hours"].to_numpy() > long_limit)

    def per_period(mask: np.ndarray | None = None) -> pd.Series:
        counts = np.bincount(codes[codes >= 0] if mask is None else codes[mask & (codes >= 0)], minlength=n_p)
        return pd.Series(counts, index=labels).reindex(months, fill_value=0)

    out = pd.DataFrame(
        {
            "stretches": per_period(),
            "breaches": per_period(breach),
            "under_reduced": per_period(cat == rest_time.UNDER_REDUCED),
            "reduced": per_period(reduced),
            "long_stretches": per_period(long),
        }
    )
    # Reduced rests per person and month: one integer key per (person, month).
    person = pd.factorize(stretches["employee_id"])[0].astype(np.int64)
    keys, n = np.unique(person[reduced] * n_p + codes[reduced], return_counts=True)
    key_period = keys % n_p
    per_person_month = pd.DataFrame(
        {
            "period": np.asarray(labels, dtype=object)[key_period] if len(keys) else [],
            "person": keys // n_p,
            "n": n,
        }
    )
    out["persons_with_reduced"] = _count_by_period(per_person_month, months)
    out["persons_over_month_cap"] = _count_by_period(
        per_person_month[per_person_month["n"] > rule.reduced_per_month], months
    )
    out["persons_over_year_cap"] = _over_year_cap(per_person_month, months, rule.reduced_per_year)
    out["breach_pct"] = ratio(out["breaches"].astype(float), out["stretches"].astype(float)) * 100
    return out.reset_index(names="period")[["period", *REST_SUMMARY_COLUMNS]]


def _count_by_period(frame: pd.DataFrame, months: Sequence[str]) -> np.ndarray:
    return frame.groupby("period").size().reindex(list(months), fill_value=0).to_numpy()


def _over_year_cap(per_person_month: pd.DataFrame, months: Sequence[str], cap: int) -> np.ndarray:
    """Per month: persons whose reduced rests from January up to the month exceed ``cap``."""
    if per_person_month.empty:
        return np.zeros(len(months), dtype=int)
    ppm = per_person_month.assign(year=per_person_month["period"].str[:4])
    ppm = ppm.sort_values(["person", "period"], kind="stable")
    ppm["ytd"] = ppm.groupby(["year", "person"])["n"].cumsum()
    # A person over the cap in a month stays over it for the rest of that year.
    first_over = ppm[ppm["ytd"] > cap].groupby(["year", "person"])["period"].min()
    years = first_over.index.get_level_values("year")
    return np.array([int(((years == m[:4]) & (first_over.to_numpy() <= m)).sum()) for m in months], dtype=int)


# --------------------------------------------------------------------------- time off in lieu


TOIL_PER_FTE = Definition(
    "toil_per_fte",
    "Afspadseringssaldo pr. årsværk",
    "Time off in lieu per FTE",
    "Summen af medarbejdernes afspadseringssaldo (timer, som enheden skylder) ved månedens "
    "udgang / årsværk i måneden (hr-tabellen).",
    "The sum of the employees' time-off-in-lieu balances (hours the unit owes) at the end of the "
    "month / full-time equivalents in the month (the hr table).",
)


@define(TOIL_PER_FTE)
def toil_per_fte(
    toil: pd.DataFrame, hr: pd.DataFrame, periods: Sequence[str], *, by_group: bool = False
) -> pd.DataFrame:
    """Time-off-in-lieu balance per FTE per month (or per staff group for the last month).

    Parameters
    ----------
    toil, hr
        The ``toil_balances`` and ``hr`` rows of one unit.
    periods
        Months; with ``by_group`` only the last one is used.

    Returns
    -------
    DataFrame
        ``period`` or ``staff_group`` (with a ``__total__`` row), ``persons``, ``fte``,
        ``balance_hours`` and ``per_fte``. An employee without an hr row counts in the
        balance but not in the FTE.
    """
    months = [periods[-1]] if by_group else list(periods)
    h = hr[hr["period"].isin(months)][["period", "employee_id", "staff_group", "fte"]]
    t = toil[toil["period"].isin(months)][["period", "employee_id", "balance_hours"]]
    merged = t.merge(h, on=["period", "employee_id"], how="outer")
    merged["balance_hours"] = merged["balance_hours"].fillna(0.0)
    merged["fte"] = merged["fte"].fillna(0.0)
    merged["staff_group"] = merged["staff_group"].fillna("?")
    if by_group:
        body = merged.groupby("staff_group").agg(
            persons=("employee_id", "nunique"), fte=("fte", "sum"), balance_hours=("balance_hours", "sum")
        )
        total = pd.DataFrame(
            {
                "persons": [merged["employee_id"].nunique()],
                "fte": [merged["fte"].sum()],
                "balance_hours": [merged["balance_hours"].sum()],
            },
            index=[TOTAL],
        )
        out = pd.concat([body.sort_index(), total])
        out.index.name = "staff_group"
    else:
        out = merged.groupby("period").agg(
            persons=("employee_id", "nunique"), fte=("fte", "sum"), balance_hours=("balance_hours", "sum")
        )
        out = out.reindex(pd.Index(months, name="period"))
        out[["fte", "balance_hours"]] = out[["fte", "balance_hours"]].fillna(0.0)
        out["persons"] = out["persons"].fillna(0)
    out["persons"] = out["persons"].astype(int)
    out["per_fte"] = ratio(out["balance_hours"], out["fte"])
    return out.reset_index()
