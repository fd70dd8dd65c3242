"""The objective indicators of each activity: what the unit's own data show.

Cost and hours shares, volume, volatility, budget deviation year to date and goal shortfall
(:func:`activity_indicators`), the hours and costs that do not meet on the activity
(:func:`unmatched`) and the few activities that carry most of the cost
(:func:`cost_concentration`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.inputs import NeedInput
from toolkit.core.definitions import Definition, define
from toolkit.measures.common import pct_change, work_hours
from toolkit.measures.economy import cost_per_case
from toolkit.measures.goals import goal_status

#: The indicator column each weighted indicator is normalised from.
INDICATOR_COLUMNS = {
    "cost_share": "cost_share_pct",
    "hours_share": "hours_share_pct",
    "volatility": "volatility_pct",
    "budget_deviation": "budget_deviation_pct",
    "goal_shortfall": "goal_shortfall_pct",
}


# --------------------------------------------------------------------------- indicators


COST_SHARE = Definition(
    "need_cost_share",
    "Andel af omkostninger",
    "Share of cost",
    "Aktivitetens omkostninger i analyseperioden / alle aktiviteters omkostninger × 100. "
    "Omkostningen er den, der henføres til aktiviteten som i omkostning pr. ydelse: omkostninger "
    "konteret direkte på aktiviteten + lønudgiften fordelt efter aktivitetens andel af de "
    "registrerede arbejdstimer. Omkostninger uden aktivitet (fx lokaler) indgår ikke.",
    "The activity's cost in the analysis period / the cost of all activities × 100. The cost is "
    "the one attributed to the activity as in the cost per case: costs booked directly on the "
    "activity + salary allocated by the activity's share of registered work hours. Costs "
    "without an activity (e.g. premises) are not included.",
)
HOURS_SHARE = Definition(
    "need_hours_share",
    "Andel af timer",
    "Share of hours",
    "Timer arbejdet på aktiviteten (produktive timer, overarbejde og merarbejde) i "
    "analyseperioden / alle arbejdstimer på aktiviteter × 100.",
    "Hours worked on the activity (productive hours, overtime and extra hours) in the analysis "
    "period / all work hours on activities × 100.",
)
VOLUME = Definition(
    "need_volume",
    "Aktivitet (volumen)",
    "Volume",
    "Faktisk aktivitet (ydelser) i analyseperioden i alt, for kerneaktiviteter.",
    "Actual volume (cases) in the analysis period in total, for core activities.",
)
VOLATILITY = Definition(
    "need_volatility",
    "Udsving (variationskoefficient)",
    "Volatility (coefficient of variation)",
    "Standardafvigelsen af månedsværdierne / gennemsnittet × 100 over analyseperiodens måneder "
    "med data (standardafvigelse over alle måneder, divideret med antal måneder; en måned uden "
    "registrering tæller som 0). Beregnes for månedlig aktivitet og for månedlige omkostninger; "
    "udsvinget er den største af de to. Månedsdata viser ikke udsving inden for dagen eller ugen.",
    "The standard deviation of the monthly values / their mean × 100 over the months of the "
    "analysis period that have data (population standard deviation, divided by the number of "
    "months; a month without a record counts as 0). Computed for monthly volume and for monthly "
    "cost; the volatility is the larger of the two. Monthly data cannot show variation within a "
    "day or week.",
)
ACTIVITY_BUDGET_DEVIATION = Definition(
    "need_budget_deviation",
    "Budgetafvigelse på aktiviteten år til dato",
    "Budget deviation of the activity year to date",
    "(omkostninger henført til aktiviteten år til dato − aktivitetsbudget år til dato) / "
    "aktivitetsbudget år til dato × 100. Aktivitetsbudgettet er tabellen activity_budget (samme "
    "omkostninger som den henførte omkostning: direkte omkostninger og løn fordelt efter timer). "
    "Positiv er merforbrug. I scoren tæller afvigelsen i begge retninger. Uden aktivitetsbudget "
    "mangler tallet, og vægten fordeles på de øvrige kriterier.",
    "(cost attributed to the activity year to date − activity budget year to date) / activity "
    "budget year to date × 100. The activity budget is the table activity_budget (the same costs "
    "as the attributed cost: direct costs and salary allocated by hours). Positive is "
    "overspending. The score counts the deviation in either direction. Without an activity "
    "budget the figure is missing and its weight goes to the other criteria.",
)
GOAL_SHORTFALL = Definition(
    "need_goal_shortfall",
    "Manglende målopfyldelse",
    "Goal shortfall",
    "Gennemsnittet over aktivitetens målte mål og måneder i analyseperioden af (1 − "
    "målopfyldelse) × 100, hvor et opfyldt mål tæller 0. Målopfyldelse som i ledelsesinformationen "
    "(faktisk / mål eller mål / faktisk, når lavere er bedre). Mangler, når ingen mål er knyttet "
    "til aktiviteten.",
    "The mean over the activity's measured goals and months in the analysis period of "
    "(1 − achievement) × 100, a met goal counting 0. Achievement as in the management "
    "information (actual / target, or target / actual when lower is better). Missing when no "
    "goal is linked to the activity.",
)


def monthly_cv(values: pd.DataFrame, value: str, months: Sequence[str]) -> pd.Series:
    """Coefficient of variation (%) of ``value`` per ``activity_id`` over ``months``.

    ``values`` has ``period``, ``activity_id`` and ``value``; a month without a row counts as
    0. The standard deviation divides by the number of months (population). Missing when the
    mean is not positive or there are fewer than 2 months.
    """
    sel = values[values["period"].isin(months)]
    wide = sel.groupby(["activity_id", "period"])[value].sum().unstack()
    wide = wide.reindex(columns=list(months)).fillna(0.0)
    if len(months) < 2 or wide.empty:
        return pd.Series(np.nan, index=wide.index, dtype="float64")
    mean = wide.mean(axis=1)
    sd = wide.std(axis=1, ddof=0)
    return (sd / mean.where(mean > 0) * 100).astype("float64")


def goal_shortfall(goals: pd.DataFrame, months: Sequence[str]) -> pd.DataFrame:
    """Mean goal shortfall (%) per activity over ``months`` (see the ``need_goal_shortfall`` definition).

    Returns
    -------
    DataFrame
        ``activity_id``, ``goal_shortfall_pct`` and ``n_goals`` (distinct measured goals).
    """
    linked = goals[goals["period"].isin(months) & goals["activity_id"].notna()]
    if linked.empty:
        return pd.DataFrame({"activity_id": [], "goal_shortfall_pct": [], "n_goals": []})
    # goal_status rates each row of one month; every goal-month becomes its own row of one
    # pseudo-month, so all months are rated in one call.
    key = linked["period"] + "|" + linked["goal_id"]
    status = goal_status(linked.assign(goal_id=key, period="window"), "window")
    every = status[["goal_id", "achievement"]].merge(
        pd.DataFrame({"goal_id": key, "goal": linked["goal_id"], "activity_id": linked["activity_id"]}),
        on="goal_id",
    )
    every = every.dropna(subset=["achievement"])
    every = every.assign(shortfall=(1 - every["achievement"].clip(upper=1.0)) * 100)
    out = every.groupby("activity_id").agg(
        goal_shortfall_pct=("shortfall", "mean"), n_goals=("goal", "nunique")
    )
    return out.reset_index()


@define(COST_SHARE, HOURS_SHARE, VOLUME, VOLATILITY, ACTIVITY_BUDGET_DEVIATION, GOAL_SHORTFALL)
def activity_indicators(inp: NeedInput, activities: pd.DataFrame) -> pd.DataFrame:
    """The objective indicators of each of the unit's activities.

    Parameters
    ----------
    inp
        The unit's tables (see :func:`load`).
    activities
        The unit's activities (from :func:`unit_activities`).

    Returns
    -------
    DataFrame
        One row per activity of ``activities``: ``activity_id``, ``cost`` (kr. in the window),
        ``cost_share_pct``, ``hours``, ``hours_share_pct``, ``volume`` (core activities),
        ``volume_cv_pct``, ``cost_cv_pct``, ``volatility_pct``, ``cost_ytd``, ``budget_ytd``,
        ``budget_deviation_pct``, ``goal_shortfall_pct`` and ``n_goals``. Cost shares and hours
        shares of all activities add up to 100.
    """
    window, ytd = list(inp.window), list(inp.ytd)
    months = sorted(set(window) | set(ytd))
    alloc = cost_per_case(inp.finance, inp.hours, inp.volume, inp.activities, months).by_activity
    observed = sorted(set(inp.hours["period"]) | set(inp.volume["period"]))
    observed_window = [m for m in window if m in observed]
    ids = pd.Index(activities["activity_id"], name="activity_id")
    out = pd.DataFrame(index=ids)
    in_window = alloc[alloc["period"].isin(window)]
    cost = in_window.groupby("activity_id")["cost"].sum()
    out["cost"] = cost.reindex(ids).fillna(0.0)
    total_cost = out["cost"].sum()
    out["cost_share_pct"] = out["cost"] / total_cost * 100 if total_cost > 0 else np.nan
    hours = work_hours(inp.hours, window)
    out["hours"] = hours.reindex(ids).fillna(0.0)
    total_hours = out["hours"].sum()
    out["hours_share_pct"] = out["hours"] / total_hours * 100 if total_hours > 0 else np.nan
    vol = inp.volume[inp.volume["period"].isin(window)]
    core = activities.set_index("activity_id")["kind"].eq("core").reindex(ids)
    out["volume"] = vol.groupby("activity_id")["actual"].sum().reindex(ids).where(core)
    out["volume_cv_pct"] = monthly_cv(vol, "actual", observed_window).reindex(ids).where(core)
    out["cost_cv_pct"] = monthly_cv(in_window, "cost", observed_window).reindex(ids)
    out["volatility_pct"] = out[["volume_cv_pct", "cost_cv_pct"]].max(axis=1, skipna=True)
    out["cost_ytd"] = alloc[alloc["period"].isin(ytd)].groupby("activity_id")["cost"].sum().reindex(ids)
    out["cost_ytd"] = out["cost_ytd"].fillna(0.0)
    if inp.activity_budget is not None:
        ab = inp.activity_budget[inp.activity_budget["period"].isin(ytd)]
        out["budget_ytd"] = ab.groupby("activity_id")["budget"].sum().reindex(ids)
    else:
        out["budget_ytd"] = np.nan
    out["budget_deviation_pct"] = pct_change(out["cost_ytd"], out["budget_ytd"])
    goals = goal_shortfall(inp.goals, window).set_index("activity_id")
    out["goal_shortfall_pct"] = goals["goal_shortfall_pct"].reindex(ids).astype("float64")
    out["n_goals"] = goals["n_goals"].reindex(ids).fillna(0).astype(int)
    return out.reset_index()


def unmatched(activities: pd.DataFrame, indicators: pd.DataFrame, inp: NeedInput) -> dict[str, float]:
    """Hours and costs that do not meet on the common key in the window.

    Returns
    -------
    dict
        ``hours_without_finance`` (hours on activities with no finance rows),
        ``hours_total``, ``direct_without_hours`` (costs booked on activities with no hours)
        and ``direct_total``.
    """
    window = list(inp.window)
    m = activities.merge(indicators[["activity_id", "hours"]], on="activity_id")
    fin = inp.finance[inp.finance["period"].isin(window) & inp.finance["activity_id"].notna()]
    direct = fin.groupby("activity_id")["actual"].sum()
    no_hours = set(m.loc[~m["in_hours"], "activity_id"])
    return {
        "hours_without_finance": float(m.loc[~m["in_finance"], "hours"].sum()),
        "hours_total": float(m["hours"].sum()),
        "direct_without_hours": float(direct[direct.index.isin(no_hours)].sum()),
        "direct_total": float(direct.sum()),
    }


def cost_concentration(
    indicators: pd.DataFrame, *, share: float = 70.0, max_activities: int = 3
) -> pd.DataFrame:
    """The fewest activities (at most ``max_activities``) that carry ``share`` % of the cost.

    Returns the largest activities by cost share (``activity_id``, ``cost_share_pct``,
    ``cumulative_pct``): as many as needed to reach ``share``, but at most
    ``max_activities`` (then their cumulative share is below ``share``).
    """
    d = indicators[["activity_id", "cost_share_pct"]].dropna()
    d = d[d["cost_share_pct"] > 0].sort_values(["cost_share_pct", "activity_id"], ascending=[False, True])
    d = d.assign(cumulative_pct=d["cost_share_pct"].cumsum())
    reached = int((d["cumulative_pct"] < share - 1e-9).sum()) + 1
    return d.head(min(reached, max_activities)).reset_index(drop=True)
