"""Scores on the 1–5 scale: the data criteria normalised, the judged criteria turned the right way,
both weighted into one total score per activity, ranked, with the raters' spread and the need level.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.indicators import INDICATOR_COLUMNS
from toolkit.analyses.need_assessment.params import (
    SCORE_KEY,
    NeedCriterion,
    NeedIndicator,
)
from toolkit.core.definitions import Definition, define

LEVELS = ("high", "medium", "low")


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
