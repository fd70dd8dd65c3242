"""Need assessment (afdækning af styringsbehov): where management effort pays off, activity by activity.

Økonomistyrelsen's "Kender du dine styringsbehov?" starts from the unit's activities. This
module combines what the unit's own data show about each activity (objective indicators)
with the workshop's judgement (criteria scored 1–5 by several raters), weighs them into one
score on the 1–5 scale, ranks the activities, and maps the scores to management tools by
configurable rules (``need_assessment`` in the parameters; see :mod:`toolkit.needs_params`).

Pure functions: data frames in, data frames out; inputs are never changed. The definitions
registered with :func:`toolkit.definitions.define` are the text of the report's appendix.

The steps, in the order the report uses them:

1. :func:`load` reads one unit's tables for the window of months;
2. :func:`unit_activities` lists the unit's activities and where each is registered (the
   common-key check);
3. :func:`activity_indicators` computes the objective indicators per activity;
4. :func:`normalise_indicators` puts them on the 1–5 scale; :func:`judged_scores` applies the
   criteria's direction to the raters' scores;
5. :func:`score_activities` combines both by the weights and ranks, with the raters' spread;
6. :func:`tools_in_use`, :func:`recommend_tools` and :func:`action_plan` turn scores into a plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.params import (
    DATA_SOURCES,
    SCORE_KEY,
    NeedCriterion,
    NeedIndicator,
    NeedRule,
    NeedTool,
)
from toolkit.core.definitions import Definition, define
from toolkit.core.periods import parse_period, year_to_date
from toolkit.data.schemas.core import WORK_CATEGORIES
from toolkit.measures.common import pct_change, work_hours
from toolkit.measures.economy import cost_per_case
from toolkit.measures.goals import goal_status

#: Presence columns of :func:`unit_activities`, one per data source.
PRESENCE = {source: f"in_{source}" for source in DATA_SOURCES}
#: The indicator column each weighted indicator is normalised from.
INDICATOR_COLUMNS = {
    "cost_share": "cost_share_pct",
    "hours_share": "hours_share_pct",
    "volatility": "volatility_pct",
    "budget_deviation": "budget_deviation_pct",
    "goal_shortfall": "goal_shortfall_pct",
}
LEVELS = ("high", "medium", "low")


# --------------------------------------------------------------------------- input


@dataclass(frozen=True)
class NeedInput:
    """One unit's tables for the need assessment (see :func:`load`).

    ``window`` holds the months behind the indicators (the last ``months`` months up to the
    report month), ``ytd`` the budget year to date; the tables cover both.
    """

    unit_id: str
    period: str
    window: tuple[str, ...]
    ytd: tuple[str, ...]
    activities: pd.DataFrame
    volume: pd.DataFrame
    hours: pd.DataFrame
    finance: pd.DataFrame
    goals: pd.DataFrame
    activity_budget: pd.DataFrame | None


def months_for(period: str, months: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The indicator window (``months`` months ending with ``period``) and the year to date."""
    p = parse_period(period)
    window = tuple(str(x) for x in pd.period_range(end=p, periods=months, freq="M"))
    ytd = tuple(str(x) for x in year_to_date(p))
    return window, ytd


def load(source: object, unit_id: str, period: str, months: int) -> NeedInput:
    """Read one unit's tables for the need assessment from a :class:`~toolkit.data.DataSource`.

    ``activity_budget`` is optional: without it the budget deviation per activity is missing.
    """
    from toolkit.data.sources import DataSource

    assert isinstance(source, DataSource)
    window, ytd = months_for(period, months)
    start, end = min(window[0], ytd[0]), period
    units = [unit_id]

    def read(table: str) -> pd.DataFrame:
        return source.read(table, units=units, start=start, end=end)

    return NeedInput(
        unit_id=unit_id,
        period=period,
        window=window,
        ytd=ytd,
        activities=source.activities(),
        volume=read("volume"),
        hours=read("hours"),
        finance=read("finance"),
        goals=read("goals"),
        activity_budget=read("activity_budget") if source.has("activity_budget") else None,
    )


# --------------------------------------------------------------------------- registration


REGISTRATION = Definition(
    "need_registration",
    "Registrering på aktiviteten (fælles nøgle)",
    "Registration on the activity (common key)",
    "For hver aktivitet vises, om den findes i tidsregistreringen (timer arbejdet på aktiviteten), "
    "i økonomidata (omkostninger eller budget konteret på aktiviteten), i aktivitetsdata, i målene "
    "og i aktivitetsbudgettet i analyseperioden. Enhedens aktiviteter er alle aktiviteter, der "
    "findes i mindst én af kilderne eller i et workshopskema; ingen udelades. En aktivitet med "
    "højt styringsbehov bør findes i både økonomi- og tidsdata; timer uden omkostninger på "
    "aktiviteten og omkostninger uden timer vises som ikke matchet.",
    "For each activity the report shows whether it exists in the time registration (hours worked "
    "on the activity), in the finance data (costs or budget booked on the activity), in the "
    "volume data, in the goals and in the activity budget during the analysis period. The "
    "unit's activities are all activities found in at least one of the sources or in a workshop "
    "form; none is dropped. An activity with a high need should exist in both finance and time "
    "data; hours without costs on the activity and costs without hours are shown as unmatched.",
)


@define(REGISTRATION)
def unit_activities(inp: NeedInput, extra: Iterable[str] = ()) -> pd.DataFrame:
    """The unit's activities and where each is registered in the window.

    Parameters
    ----------
    inp
        The unit's tables.
    extra
        Further activity ids (e.g. from the workshop forms) to include.

    Returns
    -------
    DataFrame
        ``activity_id``, ``name``, ``kind``, ``volume_unit`` and one boolean per data source
        (``in_hours``, ``in_finance``, ``in_volume``, ``in_goals``, ``in_activity_budget``),
        ordered core activities first, then by name.
    """
    window = list(inp.window)
    work = inp.hours[
        inp.hours["period"].isin(window)
        & inp.hours["time_category"].isin(WORK_CATEGORIES)
        & (inp.hours["hours"] > 0)
    ]
    fin = inp.finance[inp.finance["period"].isin(window) & inp.finance["activity_id"].notna()]
    fin = fin[(fin["budget"].fillna(0) != 0) | (fin["actual"].fillna(0) != 0)]
    ids = {
        "hours": set(work["activity_id"]),
        "finance": set(fin["activity_id"]),
        "volume": set(inp.volume.loc[inp.volume["period"].isin(window), "activity_id"]),
        "goals": set(inp.goals.loc[inp.goals["period"].isin(window), "activity_id"].dropna()),
        "activity_budget": set()
        if inp.activity_budget is None
        else set(inp.activity_budget.loc[inp.activity_budget["period"].isin(window), "activity_id"]),
    }
    every = set().union(*ids.values(), set(extra))
    cat = inp.activities[inp.activities["activity_id"].isin(every)]
    unknown = every - set(cat["activity_id"])
    if unknown:
        raise ValueError(f"activities not in the catalogue: {sorted(unknown)}")
    out = cat[["activity_id", "name", "kind", "volume_unit"]].copy()
    for source, column in PRESENCE.items():
        out[column] = out["activity_id"].isin(ids[source])
    order = out["kind"].map({"core": 0, "internal": 1})
    return (
        out.assign(_order=order)
        .sort_values(["_order", "name"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )


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


# --------------------------------------------------------------------------- scores


NORMALISATION = Definition(
    "need_normalisation",
    "Normalisering af datakriterier",
    "Normalising the data criteria",
    "Hver indikator omregnes til skalaen 1–5: score = 1 + 4 × min(værdi / mætningsværdi, 1), "
    "hvor mætningsværdien er en parameter (fx 40 % af omkostningerne giver 5). Budgetafvigelsen "
    "regnes som numerisk værdi. En manglende indikator indgår ikke.",
    "Each indicator is put on the 1–5 scale: score = 1 + 4 × min(value / saturation value, 1), "
    "where the saturation value is a parameter (e.g. 40% of the cost gives 5). The budget "
    "deviation counts as its absolute value. A missing indicator is left out.",
)
JUDGED = Definition(
    "need_judged",
    "Vurderede kriterier",
    "Judged criteria",
    "Hver bedømmer giver hver aktivitet 1–5 på hvert kriterium i workshopskemaet (tom = ved "
    "ikke). Aktivitetens værdi er gennemsnittet af bedømmernes scorer. Et kriterium markeret "
    "'omvendt' i parametrene tæller som 6 − score.",
    "Each rater scores each activity 1–5 on each criterion in the workshop form (empty = don't "
    "know). The activity's value is the mean of the raters' scores. A criterion marked 'reverse' "
    "in the parameters counts as 6 − score.",
)
SCORE = Definition(
    "need_score",
    "Styringsbehov (samlet score)",
    "Management need (total score)",
    "Vægtet gennemsnit på skalaen 1–5 af de vurderede kriterier og de normaliserede "
    "datakriterier: Σ vægt × score / Σ vægt over de kriterier, aktiviteten har en værdi for. "
    "Vægtene er parametre (standard: ens). Højt behov fra den høje grænse, middel fra den "
    "mellemste (parametre), for scoren med én decimal, som den vises. Aktiviteterne "
    "rangordnes efter scoren.",
    "Weighted mean on the 1–5 scale of the judged criteria and the normalised data criteria: "
    "Σ weight × score / Σ weight over the criteria the activity has a value for. The weights "
    "are parameters (default: equal). High need from the high limit, medium from the medium "
    "limit (parameters), for the score to one decimal as shown. Activities are ranked by the "
    "score.",
)
SPREAD = Definition(
    "need_spread",
    "Spredning mellem bedømmere",
    "Spread between raters",
    "Den samlede score beregnes for hver bedømmer alene (bedømmerens egne scorer og de samme "
    "datakriterier); spredningen er højeste minus laveste af disse. 0 med én bedømmer. "
    "Bedømmernes navne vises aldrig.",
    "The total score is computed for each rater alone (the rater's own scores and the same data "
    "criteria); the spread is the highest minus the lowest of these. 0 with one rater. Raters' "
    "names are never shown.",
)


def normalise_indicators(indicators: pd.DataFrame, specs: Mapping[str, NeedIndicator]) -> pd.DataFrame:
    """The weighted indicators on the 1–5 scale (long format).

    Returns
    -------
    DataFrame
        ``activity_id``, ``key`` (indicator), ``value`` (as computed) and ``score`` (1–5;
        missing where the value is missing).
    """
    parts = []
    for key, spec in specs.items():
        value = indicators[INDICATOR_COLUMNS[key]].astype("float64")
        magnitude = value.abs() if key == "budget_deviation" else value.clip(lower=0)
        score = 1 + 4 * (magnitude / spec.full_at).clip(upper=1.0)
        parts.append(
            pd.DataFrame(
                {"activity_id": indicators["activity_id"], "key": key, "value": value, "score": score}
            )
        )
    if not parts:
        return pd.DataFrame({"activity_id": [], "key": [], "value": [], "score": []})
    return pd.concat(parts, ignore_index=True)


def judged_scores(responses: pd.DataFrame, criteria: Mapping[str, NeedCriterion]) -> pd.DataFrame:
    """The raters' scores of the criteria in ``criteria``, turned the right way.

    ``responses`` has ``rater``, ``activity_id``, ``criterion`` and ``score`` (1–5). Returns
    ``rater``, ``activity_id``, ``key`` and ``score`` (6 − score for a reversed criterion);
    criteria not in ``criteria`` are left out.
    """
    sel = responses[responses["criterion"].isin(list(criteria)) & responses["score"].notna()]
    reverse = sel["criterion"].map({k: c.reverse for k, c in criteria.items()}).astype(bool)
    score = sel["score"].astype("float64")
    return pd.DataFrame(
        {
            "rater": sel["rater"].to_numpy(),
            "activity_id": sel["activity_id"].to_numpy(),
            "key": sel["criterion"].to_numpy(),
            "score": np.where(reverse, 6 - score, score),
        }
    )


def _weighted_mean(matrix: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Σ w × x / Σ w per row over the non-missing cells; missing where no weighted cell has a value."""
    w = np.array([float(weights.get(c, 0.0)) for c in matrix.columns])
    x = matrix.to_numpy(dtype="float64")
    present = ~np.isnan(x) & (w > 0)
    num = np.where(present, x * w, 0.0).sum(axis=1)
    den = np.where(present, w, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return pd.Series(np.where(den > 0, num / den, np.nan), index=matrix.index)


@dataclass(frozen=True)
class NeedScores:
    """The scores of every activity.

    Attributes
    ----------
    table
        One row per activity, ranked: ``activity_id``, ``rank``, ``score``, ``judged_score``,
        ``data_score``, ``n_raters``, ``rater_min``, ``rater_max``, ``spread``.
    matrix
        Activity × criterion/indicator scores on the 1–5 scale (judged: the raters' mean),
        plus the column ``score``.
    criterion_range
        Activity × judged criterion: highest minus lowest rater score.
    """

    table: pd.DataFrame
    matrix: pd.DataFrame
    criterion_range: pd.DataFrame


@define(NORMALISATION, JUDGED, SCORE, SPREAD)
def score_activities(
    activity_ids: Sequence[str],
    data_scores: pd.DataFrame,
    rater_scores: pd.DataFrame,
    weights: Mapping[str, float],
) -> NeedScores:
    """Combine judged and data criteria by the weights, rank, and measure the raters' spread.

    Parameters
    ----------
    activity_ids
        The activities to score (every one gets a row, also without any value).
    data_scores
        Normalised indicators (``activity_id``, ``key``, ``score``; see :func:`normalise_indicators`).
    rater_scores
        The raters' judged scores (``rater``, ``activity_id``, ``key``, ``score``; see
        :func:`judged_scores`).
    weights
        Weight of each criterion and indicator key; keys without a weight count 0.

    Returns
    -------
    NeedScores
        Ranked by score (highest first; ties by activity id).
    """
    ids = pd.Index(list(activity_ids), name="activity_id")
    judged_present = set(rater_scores["key"].unique())
    data_present = set(data_scores["key"].unique())
    judged_keys = [k for k in weights if k in judged_present]
    data_keys = [k for k in weights if k in data_present]
    data = data_scores.groupby(["activity_id", "key"])["score"].mean().unstack()
    data = data.reindex(index=ids, columns=data_keys)
    judged = rater_scores.groupby(["activity_id", "key"])["score"]
    mean = judged.mean().unstack().reindex(index=ids, columns=judged_keys)
    rng = (judged.max() - judged.min()).unstack().reindex(index=ids, columns=judged_keys)
    matrix = pd.concat([mean, data], axis=1)
    table = pd.DataFrame(index=ids)
    table["score"] = _weighted_mean(matrix, weights)
    table["judged_score"] = _weighted_mean(mean, weights)
    table["data_score"] = _weighted_mean(data, weights)
    # Each rater alone: the rater's own judged scores and the same data criteria.
    per_rater = rater_scores.groupby(["rater", "activity_id", "key"])["score"].mean().unstack()
    per_rater = per_rater.reindex(columns=judged_keys)
    if len(per_rater):
        own = per_rater.join(data, on="activity_id")
        totals = _weighted_mean(own, weights).groupby(level="activity_id")
        table["n_raters"] = totals.size().reindex(ids).fillna(0).astype(int)
        table["rater_min"] = totals.min().reindex(ids)
        table["rater_max"] = totals.max().reindex(ids)
    else:
        table["n_raters"] = 0
        table["rater_min"] = np.nan
        table["rater_max"] = np.nan
    table["spread"] = table["rater_max"] - table["rater_min"]
    table = table.reset_index().sort_values(
        ["score", "activity_id"], ascending=[False, True], na_position="last", kind="stable"
    )
    table.insert(1, "rank", np.arange(1, len(table) + 1))
    matrix[SCORE_KEY] = table.set_index("activity_id")["score"]
    return NeedScores(table.reset_index(drop=True), matrix, rng)


def need_level(score: pd.Series, *, high: float, medium: float) -> pd.Series:
    """``high``, ``medium`` or ``low`` need by the total score as shown, to one decimal (missing: ``low``)."""
    shown = score.round(1)
    return pd.Series(
        np.select([shown >= high, shown >= medium], ["high", "medium"], default="low"),
        index=score.index,
    )


# --------------------------------------------------------------------------- tools


TOOLS = Definition(
    "need_tools",
    "Anbefalede værktøjer og gab",
    "Recommended tools and gap",
    "Reglerne i parametrene knytter scorer (skala 1–5) til styringsværktøjer: gælder alle en "
    "regels betingelser, anbefales dens værktøjer; en reserveregel gælder kun, når ingen anden "
    "regel anbefaler noget. Et værktøj er i brug i dag, når mindst halvdelen af de skemaer, der "
    "nævner aktiviteten, markerer det. Gab = anbefalede værktøjer, der ikke er i brug. Data at "
    "registrere = de datakilder, de anbefalede værktøjer kræver, og som aktiviteten mangler.",
    "The rules in the parameters map scores (1–5 scale) to management tools: when every "
    "condition of a rule holds, its tools are recommended; a fallback rule applies only when no "
    "other rule recommends anything. A tool is in use today when at least half of the forms that "
    "list the activity mark it. Gap = recommended tools not in use. Data to register = the data "
    "sources the recommended tools need that the activity lacks.",
)


def tools_in_use(marks: pd.DataFrame, activity_ids: Sequence[str], tools: Sequence[str]) -> pd.DataFrame:
    """Activity × tool: in use when at least half of the forms listing the activity mark it.

    ``marks`` has ``rater``, ``activity_id``, ``tool`` and ``in_use`` (bool) for every
    (rater, activity, tool) cell of the forms.
    """
    ids = pd.Index(list(activity_ids), name="activity_id")
    if marks.empty:
        return pd.DataFrame(False, index=ids, columns=list(tools))
    share = marks.groupby(["activity_id", "tool"])["in_use"].mean().unstack()
    return share.reindex(index=ids, columns=list(tools)).fillna(0.0).ge(0.5)


@dataclass(frozen=True)
class ToolPlan:
    """Rules, tools and data per activity (boolean frames indexed by activity id)."""

    fired: pd.DataFrame  # activity × rule
    recommended: pd.DataFrame  # activity × tool
    in_use: pd.DataFrame  # activity × tool
    gap: pd.DataFrame  # activity × tool: recommended, not in use
    extra: pd.DataFrame  # activity × tool: in use, not recommended
    missing_data: pd.DataFrame  # activity × data source: needed by a recommended tool, absent


@define(TOOLS)
def recommend_tools(
    matrix: pd.DataFrame,
    rules: Mapping[str, NeedRule],
    tools: Mapping[str, NeedTool],
    in_use: pd.DataFrame,
    presence: pd.DataFrame,
) -> ToolPlan:
    """Apply the tool-mapping rules to the scores and compare with the tools in use.

    Parameters
    ----------
    matrix
        Activity × key scores on the 1–5 scale, including ``score`` (from :func:`score_activities`).
    rules, tools
        The rules and tools of the parameters.
    in_use
        Activity × tool booleans (from :func:`tools_in_use`).
    presence
        ``activity_id`` and the presence columns of :func:`unit_activities`.
    """
    ids = matrix.index
    fired = pd.DataFrame(False, index=ids, columns=list(rules))
    for name, rule in rules.items():  # a handful of rules; each is vectorised over activities
        ok = pd.Series(True, index=ids)
        for cond in rule.when:
            value = matrix[cond.key] if cond.key in matrix else pd.Series(np.nan, index=ids)
            if cond.min is not None:
                ok &= value >= cond.min
            if cond.max is not None:
                ok &= value <= cond.max
        fired[name] = ok
    fallback = [n for n, r in rules.items() if r.otherwise]
    regular = [n for n in rules if n not in fallback]
    any_regular = fired[regular].any(axis=1) if regular else pd.Series(False, index=ids)
    for name in fallback:
        fired[name] &= ~any_regular
    rule_tools = pd.DataFrame(
        [[int(t in rule.tools) for t in tools] for rule in rules.values()],
        index=list(rules),
        columns=list(tools),
    )
    recommended = (fired.astype(int) @ rule_tools) > 0
    use = in_use.reindex(index=ids, columns=list(tools)).fillna(False).astype(bool)
    requires = pd.DataFrame(
        [[int(d in tool.requires) for d in DATA_SOURCES] for tool in tools.values()],
        index=list(tools),
        columns=list(DATA_SOURCES),
    )
    needed = (recommended.astype(int) @ requires) > 0
    present = presence.set_index("activity_id")[[PRESENCE[s] for s in DATA_SOURCES]]
    present.columns = list(DATA_SOURCES)
    present = present.reindex(ids).fillna(False).astype(bool)
    return ToolPlan(
        fired=fired,
        recommended=recommended,
        in_use=use,
        gap=recommended & ~use,
        extra=use & ~recommended,
        missing_data=needed & ~present,
    )


# --------------------------------------------------------------------------- summaries


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


ACTION_KINDS = ("introduce", "register", "discuss", "simplify")


def action_plan(
    scores: pd.DataFrame,
    levels: pd.Series,
    plan: ToolPlan,
    presence: pd.DataFrame,
    criterion_range: pd.DataFrame,
    *,
    disagreement: float,
    light_tools: Iterable[str] = (),
    max_actions: int = 8,
) -> pd.DataFrame:
    """A short, ordered action plan.

    Steps, in this order and within each kind in rank order: for high-need activities,
    introduce the missing recommended tools (``introduce``) and register the missing data,
    at least in both finance and time (``register``); for any activity with a criterion whose
    raters' scores are ``disagreement`` points apart or more, discuss that criterion again
    (``discuss``; ``items`` holds the criterion); for low-need activities managed with tools
    that are neither recommended nor light, consider lighter management (``simplify``).

    Returns
    -------
    DataFrame
        ``step`` (1, 2, ...), ``kind``, ``activity_id`` and ``items`` (tool, data-source or
        criterion keys), at most ``max_actions`` rows.
    """
    ranked = scores.set_index("activity_id")
    lvl = levels.reindex(ranked.index)
    pres = presence.set_index("activity_id").reindex(ranked.index)
    rng = criterion_range.reindex(ranked.index)
    light = set(light_tools)
    rows: list[tuple[int, int, str, str, tuple[str, ...]]] = []

    def items(frame: pd.DataFrame, aid: str) -> tuple[str, ...]:
        row = frame.loc[aid]
        return tuple(row.index[row.to_numpy(dtype=bool)])

    for order, aid in enumerate(ranked.index):  # the unit's activities: a few dozen at most
        if lvl[aid] == "high":
            gap = items(plan.gap, aid)
            if gap:
                rows.append((0, order, "introduce", aid, gap))
            missing = set(items(plan.missing_data, aid))
            missing |= {s for s in ("finance", "hours") if not bool(pres.loc[aid, PRESENCE[s]])}
            if missing:
                rows.append((1, order, "register", aid, tuple(s for s in DATA_SOURCES if s in missing)))
        widths = rng.loc[aid].dropna() if rng.shape[1] else pd.Series(dtype="float64")
        if len(widths) and widths.max() >= disagreement:
            rows.append((2, order, "discuss", aid, (str(widths.idxmax()),)))
        if lvl[aid] == "low":
            extra = tuple(x for x in items(plan.extra, aid) if x not in light)
            if extra:
                rows.append((3, order, "simplify", aid, extra))
    rows.sort(key=lambda r: (r[0], r[1]))
    out = pd.DataFrame(
        [(k, a, i) for _, _, k, a, i in rows[:max_actions]], columns=["kind", "activity_id", "items"]
    )
    out.insert(0, "step", np.arange(1, len(out) + 1))
    return out
