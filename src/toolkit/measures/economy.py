"""Economy: productivity, direct cost per case (salary by productive hours), budget against the periodised budget, forecast.

Pure functions: data frames in, data frames or numbers out; inputs are never changed. Each
measure's definition is registered with :func:`toolkit.core.definitions.define`, so that the
docstrings and the reports' appendix say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period, year_to_date
from toolkit.data.schemas.core import WORK_CATEGORIES
from toolkit.measures.common import TOTAL, core_activities, pct_change, ratio, work_hours

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
    "Direkte omkostning pr. ydelse",
    "Direct cost per case",
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
        Attributed cost plus unallocated equals the actual spending of every month. A month
        without finance rows has no data: its ``direct``, ``salary``, ``cost`` and
        ``cost_per_case`` are missing, never 0.
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
    # No finance rows in a month is no data, not zero cost: the month's costs stay missing.
    no_finance = ~rows["period"].isin(set(fin["period"]))
    rows.loc[no_finance, ["direct", "salary", "cost"]] = np.nan
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
        Without finance rows for the year to date every figure is missing (no data is not 0 kr.).
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
                "expected_consumption_pct": ratio(b_ytd, annual) * 100,
                "consumption_pct": ratio(a_ytd, annual) * 100,
                "forecast": fc,
                "forecast_deviation_kr": fc - annual,
            }
        )
    out = pd.DataFrame(rows)
    if not fin["period"].isin(ytd).any():  # no finance rows this year to date: no data, not 0 kr.
        out[[c for c in out.columns if c != "account_group"]] = np.nan
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
