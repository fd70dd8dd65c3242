"""Management-information KPIs (sammenhængende ledelsesinformation).

Pure functions: data frames in, data frames or numbers out; inputs are never changed.
Each KPI's definition is registered with :func:`toolkit.definitions.define`, so that this
module's docstrings and the report's appendix say the same thing.

All functions take frames already filtered to one unit (see :func:`load`) and a list of
months (``"YYYY-MM"``) to aggregate over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period, same_month_last_year, year_to_date
from toolkit.data.schemas.core import ABSENCE_CATEGORIES, WORK_CATEGORIES

#: Hours in one working day (Danmarks Statistik, for sick days).
HOURS_PER_DAY = 7.4
TOTAL = "__total__"


# --------------------------------------------------------------------------- input


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


def load(source: object, unit_id: str, period: str, history_months: int) -> KPIInput:
    """Read one unit's KPI tables from a :class:`~toolkit.data.DataSource`.

    Monthly tables are read for the ``history_months`` months up to ``period``; the
    finance table also for the rest of ``period``'s year (the periodised budget).
    """
    from toolkit.data.sources import DataSource, window

    assert isinstance(source, DataSource)
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


# --------------------------------------------------------------------------- helpers


def pct_change(new: float | pd.Series, base: float | pd.Series) -> float | pd.Series:
    """``(new - base) / base × 100``; missing where ``base`` is not positive."""
    if isinstance(new, pd.Series) or isinstance(base, pd.Series):
        base_s = pd.Series(base, dtype="float64") if not isinstance(base, pd.Series) else base
        return ((new - base_s) / base_s.where(base_s > 0)) * 100
    if base is None or not np.isfinite(base) or base <= 0:
        return float("nan")
    return (float(new) - float(base)) / float(base) * 100


def ratio(num: float | pd.Series, den: float | pd.Series) -> float | pd.Series:
    """``num / den``; missing where ``den`` is not positive."""
    if isinstance(num, pd.Series) or isinstance(den, pd.Series):
        den_s = den if isinstance(den, pd.Series) else pd.Series(den, index=num.index)  # type: ignore[union-attr]
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


# --------------------------------------------------------------------------- volume


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
    return ratio(registered, contracted + overtime) * 100  # type: ignore[operator]


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


# --------------------------------------------------------------------------- productivity and cost


PRODUCTIVITY = Definition(
    "productivity",
    "Produktivitet",
    "Productivity",
    "Aktivitet / timer arbejdet på aktiviteten (produktive timer, overarbejde og merarbejde), "
    "pr. kerneaktivitet og måned. Timer pr. ydelse er det omvendte forhold.",
    "Volume / hours worked on the activity (productive hours, overtime and extra hours), per "
    "core activity and month. Hours per case is the inverse.",
)
COST_PER_CASE = Definition(
    "cost_per_case",
    "Omkostning pr. ydelse",
    "Cost per case",
    "(omkostninger bogført direkte på aktiviteten + lønudgiften fordelt efter aktivitetens "
    "andel af alle registrerede arbejdstimer) / aktivitet. Løn fordeles efter metode (b) i "
    "Økonomistyrelsens løn- og omkostningsfordeling; øvrige omkostninger uden aktivitet "
    "vises som ikke fordelt.",
    "(costs booked directly on the activity + salary cost allocated by the activity's share of "
    "all registered work hours) / volume. Salary is allocated by method (b) of the Danish "
    "Agency for Public Finance and Management's salary and cost allocation; other costs "
    "without an activity are shown as not allocated.",
)


@define(PRODUCTIVITY)
def productivity(
    volume: pd.DataFrame, hours: pd.DataFrame, activities: pd.DataFrame, periods: Sequence[str]
) -> pd.DataFrame:
    """Monthly productivity per core activity.

    Returns
    -------
    DataFrame
        ``period``, ``activity_id``, ``name``, ``volume``, ``hours``, ``productivity``
        (volume per hour) and ``hours_per_case``.
    """
    core = core_activities(activities)[["activity_id", "name"]]
    vol = (
        volume[volume["period"].isin(periods)]
        .groupby(["period", "activity_id"])["actual"]
        .sum()
        .rename("volume")
    )
    h = hours[hours["period"].isin(periods) & hours["time_category"].isin(WORK_CATEGORIES)]
    hrs = h.groupby(["period", "activity_id"])["hours"].sum().rename("hours")
    out = pd.concat([vol, hrs], axis=1).reset_index().merge(core, on="activity_id")
    out["productivity"] = ratio(out["volume"], out["hours"])
    out["hours_per_case"] = ratio(out["hours"], out["volume"])
    return out.sort_values(["activity_id", "period"]).reset_index(drop=True)


@dataclass(frozen=True)
class CostAllocation:
    """Costs attributed to activities, and what was left unallocated, per month."""

    by_activity: pd.DataFrame
    unallocated: pd.DataFrame

    def total(self) -> float:
        """All costs accounted for: attributed plus unallocated (equals the actual spending)."""
        return float(self.by_activity["cost"].sum() + self.unallocated["amount"].sum())


@define(COST_PER_CASE)
def cost_per_case(
    finance: pd.DataFrame,
    hours: pd.DataFrame,
    volume: pd.DataFrame,
    activities: pd.DataFrame,
    periods: Sequence[str],
) -> CostAllocation:
    """Attribute each month's costs to activities and divide by volume.

    Returns
    -------
    CostAllocation
        ``by_activity``: ``period``, ``activity_id``, ``name``, ``kind``, ``direct``,
        ``salary``, ``cost``, ``volume``, ``cost_per_case`` (core activities with volume).
        ``unallocated``: ``period``, ``reason`` (``overhead``: costs without activity;
        ``salary_without_hours``: salary in a month with no registered work hours), ``amount``.
        Attributed cost plus unallocated equals the actual spending of every month.
    """
    fin = finance[finance["period"].isin(periods)]
    actual = fin["actual"].fillna(0.0)
    no_act = fin["activity_id"].isna()
    salary_pool = actual[no_act & (fin["account_group"] == "salary")].groupby(fin["period"]).sum()
    overhead = actual[no_act & (fin["account_group"] != "salary")].groupby(fin["period"]).sum()
    direct = actual[~no_act].groupby([fin["period"], fin["activity_id"]]).sum().rename("direct")
    h = hours[hours["period"].isin(periods) & hours["time_category"].isin(WORK_CATEGORIES)]
    hrs = h.groupby(["period", "activity_id"])["hours"].sum().rename("hours")
    vol = volume[volume["period"].isin(periods)].groupby(["period", "activity_id"])["actual"].sum()
    rows = pd.concat([direct, hrs, vol.rename("volume")], axis=1).reset_index()
    rows[["direct", "hours"]] = rows[["direct", "hours"]].fillna(0.0)
    total_hours = rows.groupby("period")["hours"].transform("sum")
    pool = rows["period"].map(salary_pool).fillna(0.0)
    rows["salary"] = np.where(total_hours > 0, pool * rows["hours"] / total_hours.where(total_hours > 0), 0.0)
    rows["cost"] = rows["direct"] + rows["salary"]
    cat = activities.set_index("activity_id")
    rows["name"] = rows["activity_id"].map(cat["name"])
    rows["kind"] = rows["activity_id"].map(cat["kind"])
    core = rows["kind"] == "core"
    rows["cost_per_case"] = np.where(core, ratio(rows["cost"], rows["volume"].fillna(0.0)), np.nan)
    hours_per_period = rows.groupby("period")["hours"].sum()
    no_hours = [p for p in salary_pool.index if hours_per_period.get(p, 0.0) <= 0]
    unallocated = pd.concat(
        [
            pd.DataFrame({"period": overhead.index, "reason": "overhead", "amount": overhead.to_numpy()}),
            pd.DataFrame(
                {
                    "period": no_hours,
                    "reason": "salary_without_hours",
                    "amount": [float(salary_pool[p]) for p in no_hours],
                }
            ),
        ],
        ignore_index=True,
    )
    cols = [
        "period",
        "activity_id",
        "name",
        "kind",
        "direct",
        "salary",
        "cost",
        "hours",
        "volume",
        "cost_per_case",
    ]
    by_activity = rows[cols].sort_values(["activity_id", "period"]).reset_index(drop=True)
    return CostAllocation(by_activity, unallocated.sort_values("period").reset_index(drop=True))


def cost_per_case_summary(alloc: CostAllocation, period: str) -> pd.DataFrame:
    """Cost per case per core activity for the month, year to date and last year to date."""
    p = parse_period(period)
    ytd = [str(x) for x in year_to_date(p)]
    ytd_ly = [str(x - 12) for x in year_to_date(p)]
    df = alloc.by_activity[alloc.by_activity["kind"] == "core"]

    def over(periods: list[str]) -> pd.DataFrame:
        sel = df[df["period"].isin(periods)]
        g = sel.groupby(["activity_id", "name"])[["cost", "volume"]].sum(min_count=1)
        g["cpc"] = ratio(g["cost"], g["volume"])
        return g

    month, cur, last = over([period]), over(ytd), over(ytd_ly)
    out = pd.DataFrame(
        {
            "cost": month["cost"],
            "volume": month["volume"],
            "cost_per_case": month["cpc"],
            "ytd_cost": cur["cost"],
            "ytd_volume": cur["volume"],
            "ytd_cost_per_case": cur["cpc"],
            "ly_ytd_cost_per_case": last["cpc"],
        }
    )
    out["ytd_change_pct"] = pct_change(out["ytd_cost_per_case"], out["ly_ytd_cost_per_case"])
    return out.reset_index().sort_values("name", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- budget


BUDGET_DEVIATION = Definition(
    "budget_deviation",
    "Budgetafvigelse år til dato",
    "Budget deviation year to date",
    "Forbrug år til dato − periodiseret budget år til dato, i kr. og i procent af det "
    "periodiserede budget. Positiv afvigelse er merforbrug. En afvigelse over både "
    "væsentlighedsgrænsen i kr. og i procent kræver en afvigelsesforklaring.",
    "Actual spending year to date − periodised budget year to date, in kr. and as a percentage "
    "of the periodised budget. A positive deviation is overspending. A deviation above both the "
    "materiality limit in kr. and in percent needs an explanation.",
)
EXPECTED_CONSUMPTION = Definition(
    "expected_consumption",
    "Forventet forbrugsprocent",
    "Expected consumption",
    "Periodiseret budget år til dato / årsbudget × 100: hvor stor en del af årsbudgettet der "
    "efter den sæsonprofil, budgettet er lagt med, burde være brugt; sammenlignes med "
    "forbrug år til dato / årsbudget × 100.",
    "Periodised budget year to date / annual budget × 100: the part of the annual budget that "
    "the budget's seasonal profile expects to be spent by now; compared with actual year to "
    "date / annual budget × 100.",
)
FORECAST = Definition(
    "forecast",
    "Prognose for året",
    "Year-end forecast",
    "remaining_budget: forbrug år til dato + resten af årets periodiserede budget. run_rate: "
    "forbrug år til dato / antal måneder × 12. seasonal: forbrug år til dato / periodiseret "
    "budget år til dato × årsbudget. Afvigelsen er prognose − årsbudget.",
    "remaining_budget: actual year to date + the rest of the year's periodised budget. "
    "run_rate: actual year to date / months × 12. seasonal: actual year to date / periodised "
    "budget year to date × annual budget. The deviation is forecast − annual budget.",
)

FORECAST_METHODS = ("remaining_budget", "run_rate", "seasonal")


def forecast_year_end(
    actual_ytd: float, budget_ytd: float, annual_budget: float, months: int, method: str
) -> float:
    """Year-end forecast of spending by ``method`` (see the ``forecast`` definition)."""
    if method == "remaining_budget":
        return actual_ytd + (annual_budget - budget_ytd)
    if method == "run_rate":
        return actual_ytd / months * 12
    if method == "seasonal":
        return actual_ytd / budget_ytd * annual_budget if budget_ytd else float("nan")
    raise ValueError(f"forecast method must be one of {FORECAST_METHODS}; got {method!r}")


@define(BUDGET_DEVIATION, EXPECTED_CONSUMPTION, FORECAST)
def budget_status(
    finance: pd.DataFrame,
    period: str,
    *,
    method: str = "remaining_budget",
    materiality_pct: float = 2.0,
    materiality_kr: float = 100_000.0,
) -> pd.DataFrame:
    """Budget against actual year to date per account group, with a total row (``__total__``).

    Returns
    -------
    DataFrame
        ``account_group``, ``annual_budget``, ``budget_ytd``, ``actual_ytd``,
        ``deviation_kr``, ``deviation_pct``, ``expected_consumption_pct``,
        ``consumption_pct``, ``forecast``, ``forecast_deviation_kr``, ``needs_explanation``.
    """
    p = parse_period(period)
    year = [str(x) for x in pd.period_range(f"{p.year}-01", f"{p.year}-12", freq="M")]
    ytd = [str(x) for x in year_to_date(p)]
    fin = finance[finance["period"].isin(year)]
    groups = sorted(fin["account_group"].unique())
    rows = []
    for g in [*groups, TOTAL]:
        sel = fin if g == TOTAL else fin[fin["account_group"] == g]
        annual = float(sel["budget"].sum())
        b_ytd = float(sel.loc[sel["period"].isin(ytd), "budget"].sum())
        a_ytd = float(sel.loc[sel["period"].isin(ytd), "actual"].sum())
        fc = forecast_year_end(a_ytd, b_ytd, annual, p.month, method)
        rows.append(
            {
                "account_group": g,
                "annual_budget": annual,
                "budget_ytd": b_ytd,
                "actual_ytd": a_ytd,
                "deviation_kr": a_ytd - b_ytd,
                "deviation_pct": pct_change(a_ytd, b_ytd),
                "expected_consumption_pct": ratio(b_ytd, annual) * 100,  # type: ignore[operator]
                "consumption_pct": ratio(a_ytd, annual) * 100,  # type: ignore[operator]
                "forecast": fc,
                "forecast_deviation_kr": fc - annual,
            }
        )
    out = pd.DataFrame(rows)
    out["needs_explanation"] = (out["deviation_kr"].abs() >= materiality_kr) & (
        out["deviation_pct"].abs() >= materiality_pct
    )
    return out


def attach_explanations(status: pd.DataFrame, explanations: pd.DataFrame | None, period: str) -> pd.DataFrame:
    """Add the latest explanation of each account group given in ``period``'s year up to ``period``.

    Returns a copy of ``status`` (from :func:`budget_status`) with an ``explanation`` column
    (missing where none is given) and ``explanation_missing`` (needs one, has none).
    """
    out = status.copy()
    out["explanation"] = pd.Series(pd.NA, index=out.index, dtype="string")
    if explanations is not None and len(explanations):
        year = str(parse_period(period).year)
        e = explanations[(explanations["period"] <= period) & (explanations["period"].str[:4] == year)]
        latest = e.sort_values("period").groupby("account_group")["explanation"].last()
        out["explanation"] = out["account_group"].map(latest).astype("string")
    out["explanation_missing"] = (
        out["needs_explanation"] & out["explanation"].isna() & (out["account_group"] != TOTAL)
    )
    return out


def budget_monthly(finance: pd.DataFrame, period: str, *, method: str = "remaining_budget") -> pd.DataFrame:
    """Cumulative budget, actual and forecast path for each month of ``period``'s year.

    ``cum_actual`` is missing after ``period``; ``cum_forecast`` is given from ``period``
    onwards and ends at the year-end forecast of :func:`budget_status`.
    """
    p = parse_period(period)
    year = [str(x) for x in pd.period_range(f"{p.year}-01", f"{p.year}-12", freq="M")]
    fin = finance[finance["period"].isin(year)]
    m = fin.groupby("period")[["budget", "actual"]].sum(min_count=1).reindex(year)
    m["budget"] = m["budget"].fillna(0.0)
    m.loc[m.index > period, "actual"] = np.nan
    out = pd.DataFrame({"period": year, "budget": m["budget"].to_numpy(), "actual": m["actual"].to_numpy()})
    out["cum_budget"] = out["budget"].cumsum()
    out["cum_actual"] = out["actual"].fillna(0.0).cumsum().where(out["period"] <= period)
    k = np.arange(1, 13)
    a_m = float(out.loc[out["period"] == period, "cum_actual"].iloc[0])
    b_m = float(out.loc[out["period"] == period, "cum_budget"].iloc[0])
    cum_b = out["cum_budget"].to_numpy()
    if method == "remaining_budget":
        path = a_m + (cum_b - b_m)
    elif method == "run_rate":
        path = a_m * k / p.month
    elif method == "seasonal":
        path = a_m / b_m * cum_b if b_m else np.full(12, np.nan)
    else:
        raise ValueError(f"forecast method must be one of {FORECAST_METHODS}; got {method!r}")
    out["cum_forecast"] = np.where(out["period"] >= period, path, np.nan)
    return out


# --------------------------------------------------------------------------- HR


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
SUPPRESSION = Definition(
    "suppression",
    "Diskretionering",
    "Suppression",
    "HR-tal for grupper med færre personer end grænsen (mindst 5) vises ikke. Skjules kun én "
    "gruppe, skjules også den næstmindste, så det skjulte tal ikke kan regnes ud fra totalen.",
    "HR figures of groups with fewer persons than the limit (at least 5) are not shown. If only "
    "one group would be hidden, the next smallest is hidden too, so the hidden figure cannot "
    "be derived from the total.",
)

HR_VALUE_COLUMNS = (
    "fte",
    "sick_pct",
    "sick_days_per_fte",
    "child_sick_pct",
    "work_injury_hours",
    "overtime_hours",
    "overtime_per_fte",
    "overtime_pct",
    "extra_hours",
)


@define(SICK_LEAVE_PCT, SICK_DAYS_PER_FTE, OVERTIME_PER_FTE)
def staff_group_kpis(hours: pd.DataFrame, hr: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Sick leave and overtime per staff group over ``periods``, with a total row (``__total__``).

    Returns
    -------
    DataFrame
        ``staff_group``, ``persons`` (distinct employees), ``fte`` (average per month),
        ``contracted``, ``possible``, ``sick_own``, ``sick_pct``, ``sick_days_per_fte``,
        ``child_sick_pct``, ``work_injury_hours``, ``overtime_hours``, ``overtime_per_fte``,
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
    for c in ("holiday", "sick_own", "sick_child", "work_injury", "overtime", "extra_hours"):
        if c not in df:
            df[c] = 0.0
    df["fte"] = df["fte_sum"] / n_months
    df["possible"] = df["contracted"] - df["holiday"]
    df["sick_pct"] = ratio(df["sick_own"], df["possible"]) * 100
    df["sick_days_per_fte"] = ratio(df["sick_own"] / HOURS_PER_DAY, df["fte"])
    df["child_sick_pct"] = ratio(df["sick_child"], df["possible"]) * 100
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
) -> pd.DataFrame:
    """Hide person-based figures of small groups (a copy; adds a ``suppressed`` column).

    Groups with fewer than ``min_group_size`` persons lose their values and their exact count.
    If exactly one group (besides the total) would be hidden, the next smallest is hidden too
    (complementary suppression). A total below the limit is hidden as well.
    """
    if min_group_size < 5:
        raise ValueError(f"min_group_size must be at least 5; got {min_group_size}")
    out = df.copy()
    extra = [c for c in ("contracted", "possible", "sick_own") if c in out]
    values = [c for c in value_columns if c in out] + extra
    is_total = out[group_column] == TOTAL
    small = (out[count_column] < min_group_size).to_numpy()
    hide = small.copy()
    body = ~is_total.to_numpy()
    if hide[body].sum() == 1 and is_total.any():
        candidates = out[body & ~hide].sort_values(count_column, kind="stable")
        if len(candidates):
            hide[out.index.get_loc(candidates.index[0])] = True
    out["suppressed"] = hide
    out[values] = out[values].astype("float64")
    out.loc[hide, values] = np.nan
    out[count_column] = out[count_column].astype("float64")
    out.loc[small, count_column] = np.nan
    return out


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


# --------------------------------------------------------------------------- goals


GOAL_ACHIEVEMENT = Definition(
    "goal_achievement",
    "Målopfyldelse",
    "Goal achievement",
    "Faktisk / mål, når højere er bedre; mål / faktisk, når lavere er bedre. Status er grøn ved "
    "målopfyldelse på mindst den grønne grænse, gul ved mindst den gule og ellers rød (grænserne "
    "er parametre). Et mål på 0 er opfyldt, når det faktiske tal ikke er værre end 0.",
    "Actual / target when higher is better; target / actual when lower is better. The status "
    "is green at an achievement of at least the green limit, amber at least the amber limit "
    "and red otherwise (the limits are parameters). A target of 0 is met when the actual is "
    "no worse than 0.",
)


@define(GOAL_ACHIEVEMENT)
def goal_status(goals: pd.DataFrame, period: str, *, green: float = 1.0, amber: float = 0.9) -> pd.DataFrame:
    """Target against actual with a red/amber/green status for each goal in ``period``.

    Returns
    -------
    DataFrame
        ``goal_id``, ``name``, ``measure_unit``, ``direction``, ``target``, ``actual``,
        ``achievement`` (1.0 = met exactly) and ``status`` (green, amber, red or missing).
    """
    g = goals[goals["period"] == period].copy()
    higher = g["direction"] == "higher"
    target, actual = g["target"].astype(float), g["actual"].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ach = np.where(higher, actual / target, target / actual)
    zero_target = target == 0
    met_at_zero = np.where(higher, actual >= 0, actual <= 0)
    ach = np.where(zero_target, np.where(met_at_zero, 1.0, 0.0), ach)
    ach = np.where(~higher & (actual == 0) & ~zero_target, np.inf, ach)  # lower is better, actual 0
    ach = np.where(actual.isna(), np.nan, ach)
    g["achievement"] = ach
    g["status"] = np.select(
        [g["achievement"].isna(), g["achievement"] >= green, g["achievement"] >= amber],
        ["missing", "green", "amber"],
        default="red",
    )
    cols = ["goal_id", "name", "measure_unit", "direction", "target", "actual", "achievement", "status"]
    order = {"red": 0, "amber": 1, "missing": 2, "green": 3}
    return (
        g[cols]
        .sort_values(["status", "name"], key=lambda s: s.map(order) if s.name == "status" else s)
        .reset_index(drop=True)
    )


# --------------------------------------------------------------------------- comparison


KEY_RATIOS = Definition(
    "key_ratios",
    "Nøgletal til sammenligning",
    "Key ratios for comparison",
    "For hver afdeling i centret: aktivitet i forhold til plan år til dato (gennemsnit af "
    "kerneaktiviteternes forhold), budgetafvigelse år til dato i %, sygefravær de seneste 12 "
    "måneder, overarbejde pr. årsværk i måneden, registreringsgrad og andel grønne mål. Kun "
    "disse aggregerede tal deles mellem afdelinger; HR-tal for afdelinger under grænsen skjules.",
    "For each department in the centre: volume against plan year to date (mean of the core "
    "activities' ratios), budget deviation year to date in %, sick leave over the last 12 "
    "months, overtime per FTE in the month, registration coverage and share of green goals. "
    "Only these aggregates are shared between departments; HR figures of departments below "
    "the limit are suppressed.",
)

KEY_RATIO_COLUMNS = (
    "volume_vs_plan_ytd_pct",
    "budget_deviation_ytd_pct",
    "sick_pct_12m",
    "overtime_per_fte",
    "registration_coverage_pct",
    "goals_green_pct",
)


@define(KEY_RATIOS)
def unit_key_ratios(
    inp: KPIInput, *, min_group_size: int = 5, green: float = 1.0, amber: float = 0.9
) -> dict[str, object]:
    """The agreed aggregates of one unit for comparison with its siblings (one row as a dict)."""
    p = parse_period(inp.period)
    last12 = [str(x) for x in pd.period_range(end=p, periods=12, freq="M")]
    vol = volume_comparison(inp.volume, inp.activities, inp.period)
    ratios = ratio(vol["ytd_actual"], vol["ytd_planned"])
    budget = budget_status(inp.finance, inp.period)
    total = budget[budget["account_group"] == TOTAL].iloc[0]
    hr12 = staff_group_kpis(inp.hours, inp.hr, last12)
    hr_m = staff_group_kpis(inp.hours, inp.hr, [inp.period])
    tot12 = hr12[hr12["staff_group"] == TOTAL].iloc[0]
    tot_m = hr_m[hr_m["staff_group"] == TOTAL].iloc[0]
    goals = goal_status(inp.goals, inp.period, green=green, amber=amber)
    measured = goals[goals["status"] != "missing"]
    small = int(tot_m["persons"]) < min_group_size
    return {
        "unit_id": inp.unit_id,
        "period": inp.period,
        "volume_vs_plan_ytd_pct": (float(ratios.mean()) - 1) * 100 if ratios.notna().any() else np.nan,
        "budget_deviation_ytd_pct": float(total["deviation_pct"]),
        "sick_pct_12m": np.nan if small else float(tot12["sick_pct"]),
        "overtime_per_fte": np.nan if small else float(tot_m["overtime_per_fte"]),
        "registration_coverage_pct": registration_coverage(inp.hours, inp.hr, [inp.period]),
        "goals_green_pct": (measured["status"] == "green").mean() * 100 if len(measured) else np.nan,
        "suppressed": small,
    }


@define(PRODUCTIVITY)
def productivity_summary(
    volume: pd.DataFrame, hours: pd.DataFrame, activities: pd.DataFrame, period: str
) -> pd.DataFrame:
    """Productivity per core activity year to date against the same months last year.

    Returns
    -------
    DataFrame
        ``activity_id``, ``name``, ``volume_unit``, ``ytd_volume``, ``ytd_hours``,
        ``ytd_productivity``, ``ytd_hours_per_case``, ``ly_ytd_productivity`` and
        ``change_pct`` (productivity this year against last year, %).
    """
    p = parse_period(period)
    ytd = [str(x) for x in year_to_date(p)]
    ytd_ly = [str(x - 12) for x in year_to_date(p)]
    core = core_activities(activities).set_index("activity_id")

    def over(periods: list[str]) -> pd.DataFrame:
        vol = volume[volume["period"].isin(periods)].groupby("activity_id")["actual"].sum()
        hrs = work_hours(hours, periods)
        return pd.concat([vol.rename("volume"), hrs.rename("hours")], axis=1)

    cur, last = over(ytd), over(ytd_ly)
    ids = core.index.intersection(cur.index)
    out = pd.DataFrame(index=ids)
    out["name"] = core.loc[ids, "name"]
    out["volume_unit"] = core.loc[ids, "volume_unit"]
    out["ytd_volume"] = cur["volume"]
    out["ytd_hours"] = cur["hours"]
    out["ytd_productivity"] = ratio(out["ytd_volume"], out["ytd_hours"])
    out["ytd_hours_per_case"] = ratio(out["ytd_hours"], out["ytd_volume"])
    out["ly_ytd_productivity"] = ratio(last["volume"].reindex(ids), last["hours"].reindex(ids))
    out["change_pct"] = pct_change(out["ytd_productivity"], out["ly_ytd_productivity"])
    return out.reset_index(names="activity_id").sort_values("name", kind="stable").reset_index(drop=True)
