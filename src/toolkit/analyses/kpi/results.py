"""The numbers of the management-information KPI report, computed once per unit and month.

:func:`load` reads the unit's core tables, :func:`compute` turns them into the
:class:`KPIResults` every view shows. The measures themselves live in :mod:`toolkit.measures`;
this module only picks the windows (trend, last 12 months, the year before) and applies the
privacy limit. The centre comparison reads the sibling departments' agreed key ratios
(:func:`sibling_ratios`), staged once per run by the ``unit_key_ratios`` aggregate.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analyses.kpi.params import settings
from toolkit.core.errors import DataValidationError
from toolkit.core.periods import parse_period
from toolkit.data.aggregates import register_aggregate
from toolkit.data.hierarchy import descendants, siblings
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.measures import inputs, levels
from toolkit.measures.activity import (
    hours_by_activity,
    registration_coverage,
    time_staircase,
    volume_comparison,
    volume_trend,
)
from toolkit.measures.catalogue import catalogue_kpis
from toolkit.measures.common import TOTAL
from toolkit.measures.costing.unit_costs import full_cost_per_case
from toolkit.measures.economy import (
    CostAllocation,
    attach_explanations,
    budget_monthly,
    budget_status,
    cost_per_case_summary,
    productivity,
    productivity_summary,
)
from toolkit.measures.goals import goal_status
from toolkit.measures.hr import (
    HR_VALUE_COLUMNS,
    staff_group_kpis,
    suppress_small_groups,
    unit_absence,
    unit_sick_leave_trend,
)
from toolkit.measures.inputs import Coverage, KPIInput, coverage
from toolkit.measures.ratios import KEY_RATIO_COLUMNS
from toolkit.measures.relations import MAX_MONTHS, unit_monthly_series
from toolkit.measures.suppression import hidden_groups, hidden_totals, tree_pattern
from toolkit.report.context import ReportContext


@dataclass(frozen=True)
class KPIResults:
    """Everything the KPI report shows, computed once."""

    volume: pd.DataFrame
    volume_trend: pd.DataFrame
    staircase: pd.DataFrame
    coverage: float
    hours_by_activity: pd.DataFrame
    productivity: pd.DataFrame
    productivity_summary: pd.DataFrame
    cost: CostAllocation
    cost_summary: pd.DataFrame
    budget: pd.DataFrame
    budget_monthly: pd.DataFrame
    hr: pd.DataFrame
    sick_trend: pd.DataFrame
    sick_12m: float
    sick_12m_last_year: float
    overtime_month: float
    persons: int
    goals: pd.DataFrame
    #: The unit's level (department, centre, hospital) and the departments its figures cover.
    level: str = "department"
    departments: tuple[str, ...] = ()
    #: The goals with the activity each is attached to (``goal_name`` → ``activity_id``).
    goal_activity: pd.DataFrame | None = None
    #: The unit's monthly overtime, sick leave, goal achievement and productivity (last 24 months).
    monthly: pd.DataFrame | None = None
    #: The catalogue KPIs (:func:`toolkit.measures.catalogue.catalogue_kpis`).
    catalogue: pd.DataFrame | None = None
    #: Above a department: the key ratios of the units directly below and the unit's own (last).
    below: pd.DataFrame | None = None
    #: The full cost per case year to date, the unit-cost engine's figure (a centre's and the
    #: hospital's: total full cost / total volume of the departments below;
    #: :func:`toolkit.measures.costing.unit_costs.full_cost_per_case`); None without costing tables.
    #: Its ``suppressed`` rows are hidden as in the unit-cost report (no ``unit_cost``).
    full_cost: pd.DataFrame | None = None
    #: The unit's absence as Statistics Denmark counts it (:func:`toolkit.measures.hr.unit_absence`):
    #: one row per measure, columns ``month`` and ``last12``; missing where suppressed.
    absence: pd.DataFrame | None = None
    #: Which inputs have rows for the month (a figure without its input is "no data", not 0).
    coverage_of: Coverage | None = None
    #: True when the unit's person-based figures of the month are hidden (persons under the limit,
    #: or the tree's pattern hides its total): then the time staircase (the month's contracted,
    #: holiday, sick and other absence hours) is not shown either, as the absence figures are not.
    time_hidden: bool = False


def trend_periods(ctx: ReportContext) -> list[str]:
    """The months of the trend charts: ``kpi.trend_months`` months up to ``ctx.period``."""
    end = parse_period(ctx.period)
    return [str(x) for x in pd.period_range(end=end, periods=settings(ctx.params).trend_months, freq="M")]


def load(ctx: ReportContext) -> KPIInput:
    """Read the core tables of ``ctx.unit`` for the ``history_months`` up to ``ctx.period``.

    A centre or the hospital has no rows of its own: its tables are those of the departments
    below it, put together by :func:`toolkit.measures.levels.load_units`.
    """
    if ctx.unit.level == "department":
        return inputs.load(ctx.source, ctx.unit.unit_id, ctx.period, ctx.params.history_months)
    departments = descendants(ctx.source.units(), ctx.unit.unit_id)
    return levels.load_units(ctx.source, ctx.unit.unit_id, departments, ctx.period, ctx.params.history_months)


def unit_goals(inp: KPIInput, units: pd.DataFrame | None = None) -> pd.DataFrame:
    """The goals table of ``inp``; above a department each goal's name starts with its department's."""
    if inp.goals["unit_id"].nunique() <= 1 or units is None:
        return inp.goals
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    return inp.goals.assign(name=inp.goals["unit_id"].map(names) + ": " + inp.goals["name"])


def compute(inp: KPIInput, ctx: ReportContext) -> KPIResults:
    """Compute every KPI of the report for ``ctx.unit`` and ``ctx.period``."""
    p = parse_period(ctx.period)
    kp = settings(ctx.params)
    min_n = ctx.params.privacy.min_group_size
    trend = trend_periods(ctx)
    last12 = [str(x) for x in pd.period_range(end=p, periods=12, freq="M")]
    prior12 = [str(x) for x in pd.period_range(end=p - 12, periods=12, freq="M")]
    hr12 = staff_group_kpis(inp.hours, inp.hr, last12)
    hr_m = staff_group_kpis(inp.hours, inp.hr, [ctx.period])
    hr_prior = staff_group_kpis(inp.hours, inp.hr, prior12)
    pattern = tree_pattern(ctx.source, ctx.source.units(), ctx.period, min_n, unit=ctx.unit.unit_id)
    forced = hidden_groups(pattern, ctx.unit.unit_id)
    hr_table = _hr_table(hr12, hr_m, min_n, forced)
    tot12, tot_m = _total(hr12), _total(hr_m)
    tot_prior = _total(hr_prior)
    persons = int(tot_m["persons"])
    small = persons < min_n or TOTAL in forced  # the tree may hide the total (a sibling under 5)
    has_prior = inp.hr["period"].isin(prior12).sum() > 0 and inp.hr["period"].min() <= prior12[0]
    cost = salary_needs_hours(levels.cost_per_case_by_unit(inp, sorted(inp.volume["period"].unique())))
    aggregate = ctx.unit.level != "department"
    goals_in = unit_goals(inp, ctx.source.units() if aggregate else None)
    sick_trend = unit_sick_leave_trend(inp.hours, inp.hr, trend)
    sick_trend.loc[sick_trend["persons"] < min_n, "sick_pct"] = np.nan
    return KPIResults(
        volume=volume_comparison(inp.volume, inp.activities, ctx.period),
        volume_trend=volume_trend(inp.volume, inp.activities, trend),
        staircase=time_staircase(inp.hours, inp.hr, inp.activities, [ctx.period]),
        coverage=registration_coverage(inp.hours, inp.hr, [ctx.period]),
        hours_by_activity=hours_by_activity(inp.hours, inp.activities, [ctx.period]),
        productivity=productivity(inp.volume, inp.hours, inp.activities, trend),
        productivity_summary=productivity_summary(inp.volume, inp.hours, inp.activities, ctx.period),
        cost=cost,
        cost_summary=incomplete_years_missing(cost_per_case_summary(cost, ctx.period), cost, ctx.period),
        budget=attach_explanations(
            budget_status(
                inp.finance,
                ctx.period,
                method=kp.forecast_method,
                materiality_pct=kp.materiality_pct,
                materiality_kr=kp.materiality_kr,
            ),
            None if aggregate else inp.explanations,
            ctx.period,
        ),
        budget_monthly=budget_monthly(inp.finance, ctx.period, method=kp.forecast_method),
        hr=hr_table,
        sick_trend=sick_trend,
        sick_12m=np.nan if small else float(tot12["sick_pct"]),
        sick_12m_last_year=np.nan if (small or not has_prior) else float(tot_prior["sick_pct"]),
        overtime_month=np.nan if small else float(tot_m["overtime_per_fte"]),
        persons=persons,
        goals=goal_status(
            goals_in, ctx.period, green=kp.goal_thresholds.green, amber=kp.goal_thresholds.amber
        ),
        level=ctx.unit.level,
        departments=tuple(sorted(inp.volume["unit_id"].unique())),
        goal_activity=goals_in[["name", "activity_id"]].drop_duplicates("name"),
        monthly=unit_monthly_series(
            inp,
            [str(x) for x in pd.period_range(end=p, periods=MAX_MONTHS, freq="M")],
            min_group_size=min_n,
            green=kp.goal_thresholds.green,
            amber=kp.goal_thresholds.amber,
        ),
        catalogue=catalogue_kpis(inp, min_group_size=min_n),
        full_cost=unit_full_cost(ctx),
        absence=_absence(inp, ctx.period, last12, min_n, hidden=small),
        coverage_of=coverage(inp),
        time_hidden=small and persons > 0,
        below=(
            levels.key_ratios_below(
                inp,
                ctx.source.units(),
                min_group_size=min_n,
                green=kp.goal_thresholds.green,
                amber=kp.goal_thresholds.amber,
                hidden_totals=hidden_totals(pattern),
            )
            if aggregate
            else None
        ),
    )


def unit_full_cost(ctx: ReportContext) -> pd.DataFrame | None:
    """The unit's full cost per case year to date, the unit-cost engine's figure (None without costing).

    A department's is its own activities' unit cost; a centre's and the hospital's is the total
    full cost over the total volume of the departments below
    (:func:`~toolkit.measures.costing.unit_costs.full_cost_per_case`). The costing needs the
    whole hospital's ledger; a hospital whose service units' data failed validation gives no
    full cost (the unit-cost report says why) rather than no report.
    """
    try:
        return full_cost_per_case(ctx.source, ctx.unit.unit_id, ctx.period, ctx.params)
    except DataValidationError:
        return None


def salary_needs_hours(cost: CostAllocation) -> CostAllocation:
    """The allocation with no cost in a month whose salary could not be spread (no work hours).

    The direct cost per case holds the salary allocated by hours. In a month with salary and no
    registered work hours (:func:`~toolkit.measures.economy.cost_per_case`'s unallocated reason
    ``salary_without_hours``) the activities' cost would be their direct bookings alone, far too
    low: their ``salary``, ``cost`` and ``cost_per_case`` are missing (no data), not 0.
    """
    months = set(cost.unallocated.loc[cost.unallocated["reason"] == "salary_without_hours", "period"])
    if not months:
        return cost
    by_activity = cost.by_activity.copy()
    by_activity.loc[by_activity["period"].isin(months), ["salary", "cost", "cost_per_case"]] = np.nan
    return CostAllocation(by_activity, cost.unallocated)


def incomplete_years_missing(summary: pd.DataFrame, cost: CostAllocation, period: str) -> pd.DataFrame:
    """:func:`~toolkit.measures.economy.cost_per_case_summary` without sums over months that lack data.

    A year to date (this year's or last year's) with a month whose salary could not be spread
    (see :func:`salary_needs_hours`) would add up part of the costs against all the volume: its
    cost per case is missing, and so is the change against last year.
    """
    months = set(cost.unallocated.loc[cost.unallocated["reason"] == "salary_without_hours", "period"])
    p = parse_period(period)
    ytd = {str(x) for x in pd.period_range(f"{p.year}-01", p, freq="M")}
    ly = {str(x - 12) for x in pd.period_range(f"{p.year}-01", p, freq="M")}
    out = summary.copy()
    if ytd & months:
        out[["ytd_cost", "ytd_cost_per_case", "ytd_change_pct"]] = np.nan
    if ly & months:
        out[["ly_ytd_cost_per_case", "ytd_change_pct"]] = np.nan
    return out


def cost_gaps(res: KPIResults, period: str) -> pd.DataFrame:
    """Per activity of the cost summary: is its cost missing (no data) in the month, the year, last year?

    True where the activities' cost (direct bookings plus salary by hours) is missing over the
    months, for want of finance rows or of work hours to spread the salary by
    (:func:`salary_needs_hours`). A cost per case that is missing while its cost is there has
    no cases: that is not "no data". Columns ``activity_id``, ``month``, ``ytd``, ``ly``.
    """
    p = parse_period(period)
    ytd = [str(x) for x in pd.period_range(f"{p.year}-01", p, freq="M")]
    spans = {"month": [period], "ytd": ytd, "ly": [str(parse_period(m) - 12) for m in ytd]}
    by = res.cost.by_activity
    out = pd.DataFrame({"activity_id": res.cost_summary["activity_id"]})
    for name, months in spans.items():
        cost = by[by["period"].isin(months)].groupby("activity_id")["cost"].sum(min_count=1)
        out[name] = out["activity_id"].map(cost).isna()
    return out


def _absence(inp: KPIInput, period: str, last12: list[str], min_n: int, *, hidden: bool) -> pd.DataFrame:
    """The unit's absence figures in the month and over 12 months (all missing when ``hidden``)."""
    out = unit_absence(inp.hours, inp.hr, {"month": [period], "last12": last12}, min_group_size=min_n)
    if hidden:
        out[["month", "last12"]] = np.nan
    return out


def _total(df: pd.DataFrame) -> pd.Series:
    return df[df["staff_group"] == TOTAL].iloc[0]


def _hr_table(
    hr12: pd.DataFrame, hr_m: pd.DataFrame, min_n: int, forced: Collection[str] = ()
) -> pd.DataFrame:
    """12-month figures per staff group with the month's sick leave; suppressed as one.

    ``forced`` are the groups the unit tree's pattern hides (so that the centre's and the
    hospital's reports hide the same cells); a group hidden in the month or the 12 months is
    hidden in both.
    """
    s12 = suppress_small_groups(hr12, min_group_size=min_n, forced=forced)
    sm = suppress_small_groups(hr_m, min_group_size=min_n, forced=forced)
    month = sm.set_index("staff_group")
    out = s12.copy()
    out["sick_pct_month"] = out["staff_group"].map(month["sick_pct"])
    hidden_month = out["staff_group"].map(month["suppressed"]).fillna(True).astype(bool)
    out["suppressed"] = out["suppressed"] | hidden_month
    values = [*HR_VALUE_COLUMNS, "sick_pct_month"]
    out.loc[out["suppressed"], values] = np.nan
    out.loc[out["suppressed"], "persons"] = np.nan
    return out


def has_input(res: KPIResults, name: str) -> bool:
    """True if the input ``name`` (a :class:`~toolkit.measures.inputs.Coverage` field) has rows."""
    return True if res.coverage_of is None else bool(getattr(res.coverage_of, name))


def budget_total(res: KPIResults) -> pd.Series:
    """The budget row of all account groups together."""
    return res.budget[res.budget["account_group"] == TOTAL].iloc[0]


def volume_ratios(res: KPIResults) -> pd.Series:
    """Year-to-date actual/planned volume of each activity that has a plan."""
    return (res.volume["ytd_actual"] / res.volume["ytd_planned"]).replace([np.inf, -np.inf], np.nan).dropna()


def measured_goals(res: KPIResults) -> pd.DataFrame:
    """The goals that have a result for the month."""
    return res.goals[res.goals["status"] != "missing"]


# --------------------------------------------------------------------------- comparison


def _key_ratios(source: DataSource, unit_id: str, period: str, params: Params) -> dict[str, object]:
    """The agreed key ratios of one department, read and computed with its ``params``.

    Shown as its parent's table of the units below shows them
    (:func:`~toolkit.measures.levels.shown_key_ratios`): a department whose total the unit tree's
    suppression pattern hides has no sick leave or overtime here either.
    """
    inp = inputs.load(source, unit_id, period, params.history_months)
    thresholds = settings(params).goal_thresholds
    min_n = params.privacy.min_group_size
    pattern = tree_pattern(source, source.units(), period, min_n, unit=unit_id)
    return levels.shown_key_ratios(
        inp,
        min_group_size=min_n,
        green=thresholds.green,
        amber=thresholds.amber,
        hidden_totals=hidden_totals(pattern),
    )


def sibling_ratios(ctx: ReportContext) -> pd.DataFrame:
    """Key ratios of the unit's sibling departments (the agreed aggregates only).

    Each sibling's row hides what its parent's table of the units below hides (one rule,
    :func:`~toolkit.measures.levels.shown_key_ratios` with the tree's suppression pattern). A
    staged source has them precomputed; a data folder computes them from each sibling's data.
    A sibling whose data fail validation is left out (its own report says why).
    """
    units = ctx.source.units()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    pre = ctx.source.aggregate("unit_key_ratios")
    sib = siblings(units, ctx.unit.unit_id)
    if pre is not None:
        df = pre[(pre["unit_id"].isin(sib)) & (pre["period"] == ctx.period)].copy()
    else:
        rows = []
        for uid in sib:
            try:
                rows.append(_key_ratios(ctx.source, uid, ctx.period, ctx.params))
            except DataValidationError:
                continue
        df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["name"] = df["unit_id"].map(names)
    return df.sort_values("name", kind="stable").reset_index(drop=True)


@register_aggregate("unit_key_ratios", notebooks=("kpi",))
def key_ratio_aggregate(
    source: DataSource, period: str, units: list[str], params_for: Callable[[str], Params]
) -> pd.DataFrame:
    """The key ratios of every department in ``units`` (staged once per run for comparison)."""
    catalogue = source.units()
    departments = set(catalogue.loc[catalogue["level"] == "department", "unit_id"])
    rows = [_key_ratios(source, uid, period, params_for(uid)) for uid in units if uid in departments]
    columns = ["unit_id", "period", *KEY_RATIO_COLUMNS, "suppressed"]
    return pd.DataFrame(rows, columns=columns)
