"""The assessment of one department: its tables and forms in, the ranked activities and the plan out.

:func:`load` reads what the department report needs (the unit's tables and its filled-in
workshop forms, checked against the parameters); :func:`compute` scores, ranks and plans
from them (:func:`assess_input`, pure); :func:`rerank` does it again with other weights (the
sliders in JupyterLab). :func:`assess` is all of it for any department (the centre roll-up
assesses each of its departments this way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment.indicators import activity_indicators, cost_concentration, unmatched
from toolkit.analyses.need_assessment.inputs import NeedInput, unit_activities
from toolkit.analyses.need_assessment.inputs import load as load_tables
from toolkit.analyses.need_assessment.params import NeedAssessmentParams, settings
from toolkit.analyses.need_assessment.planning import ToolPlan, action_plan, recommend_tools, tools_in_use
from toolkit.analyses.need_assessment.scoring import (
    NeedScores,
    judged_scores,
    need_level,
    normalise_indicators,
    score_activities,
)
from toolkit.data.sources import DataSource
from toolkit.report.context import ReportContext

#: The share of the cost (%) the headline's cost concentration looks for.
CONCENTRATION_PCT = 70.0


@dataclass(frozen=True)
class NeedData:
    """One department's inputs: its tables for the window and its filled-in forms (checked)."""

    tables: NeedInput
    forms: needs_forms.NeedForms


@dataclass(frozen=True)
class NeedResults:
    """Everything the department report shows, computed once."""

    unit_id: str
    params: NeedAssessmentParams
    activities: pd.DataFrame  # the unit's activities with presence flags
    indicators: pd.DataFrame
    data_scores: pd.DataFrame
    rater_scores: pd.DataFrame
    forms: needs_forms.NeedForms
    scores: NeedScores
    levels: pd.Series  # activity_id → high/medium/low
    plan: ToolPlan
    actions: pd.DataFrame
    concentration: pd.DataFrame
    unmatched: dict[str, float]
    has_budget: bool

    @property
    def names(self) -> pd.Series:
        """activity_id → name."""
        return self.activities.set_index("activity_id")["name"]

    @property
    def ranked(self) -> pd.DataFrame:
        """The score table in rank order with names, levels, presence and cost share."""
        df = self.scores.table.merge(self.activities, on="activity_id", how="left")
        df = df.merge(self.indicators[["activity_id", "cost_share_pct", "hours_share_pct"]], on="activity_id")
        df["level"] = df["activity_id"].map(self.levels)
        return df

    @property
    def high(self) -> list[str]:
        """Activity ids with a high need, in rank order."""
        return [a for a in self.scores.table["activity_id"] if self.levels.get(a) == "high"]

    @property
    def high_missing_registration(self) -> int:
        """How many high-need activities are missing from the time or the finance data."""
        pres = self.activities.set_index("activity_id")
        return sum(1 for a in self.high if not (pres.loc[a, "in_finance"] and pres.loc[a, "in_hours"]))

    @property
    def high_gap(self) -> int:
        """How many recommended tools the high-need activities lack (activity × tool)."""
        return int(self.plan.gap.loc[self.high].to_numpy().sum()) if self.high else 0


def read(source: DataSource, unit_id: str, period: str, params: NeedAssessmentParams) -> NeedData:
    """One department's tables and forms, the forms checked against the parameters.

    Raises
    ------
    DataValidationError
        If a form is wrong (naming file, sheet and cell) or does not match the parameters.
    """
    tables = load_tables(source, unit_id, period, params.months)
    catalogue = set(tables.activities["activity_id"])
    forms = needs_forms.read_unit_forms(source.original_folder, unit_id, catalogue)
    needs_forms.check_against_params(forms, params, unit_id)
    return NeedData(tables, forms)


def load(ctx: ReportContext) -> NeedData:
    """The inputs of the department report: ``ctx.unit``'s tables and forms for ``ctx.period``."""
    return read(ctx.source, ctx.unit.unit_id, ctx.period, settings(ctx.params))


def compute(inputs: NeedData, ctx: ReportContext) -> NeedResults:
    """The need assessment of ``ctx.unit`` with the unit's parameters."""
    return assess_input(inputs.tables, inputs.forms, settings(ctx.params))


def assess(source: DataSource, unit_id: str, period: str, params: NeedAssessmentParams) -> NeedResults:
    """Compute the need assessment of one department (its data and its filled-in forms).

    Raises
    ------
    DataValidationError
        If a form is wrong (naming file, sheet and cell) or does not match the parameters.
    """
    data = read(source, unit_id, period, params)
    return assess_input(data.tables, data.forms, params)


def assess_input(
    inp: NeedInput,
    forms: needs_forms.NeedForms,
    params: NeedAssessmentParams,
) -> NeedResults:
    """The need assessment from a unit's tables and forms (pure)."""
    activities = unit_activities(inp, extra=forms.activity_ids)
    indicators = activity_indicators(inp, activities)
    data_scores = normalise_indicators(indicators, params.indicators)
    rater_scores = judged_scores(forms.scores, params.criteria)
    in_use = tools_in_use(forms.marks, activities["activity_id"], list(params.tools))
    scores, levels, plan, actions = _rank_and_plan(
        params, activities, data_scores, rater_scores, in_use, params.weights()
    )
    return NeedResults(
        unit_id=inp.unit_id,
        params=params,
        activities=activities,
        indicators=indicators,
        data_scores=data_scores,
        rater_scores=rater_scores,
        forms=forms,
        scores=scores,
        levels=levels,
        plan=plan,
        actions=actions,
        concentration=cost_concentration(indicators, share=CONCENTRATION_PCT),
        unmatched=unmatched(activities, indicators, inp),
        has_budget=bool(inp.activity_budget is not None and indicators["budget_ytd"].notna().any()),
    )


def _rank_and_plan(
    params: NeedAssessmentParams,
    activities: pd.DataFrame,
    data_scores: pd.DataFrame,
    rater_scores: pd.DataFrame,
    in_use: pd.DataFrame,
    weights: Mapping[str, float],
) -> tuple[NeedScores, pd.Series, ToolPlan, pd.DataFrame]:
    """Scores, need levels, tools and actions for the given weights."""
    scores = score_activities(activities["activity_id"], data_scores, rater_scores, weights)
    levels = need_level(
        scores.table.set_index("activity_id")["score"], high=params.high_need, medium=params.medium_need
    )
    plan = recommend_tools(scores.matrix, params.rules, params.tools, in_use, activities)
    actions = action_plan(
        scores.table,
        levels,
        plan,
        activities,
        scores.criterion_range,
        disagreement=params.disagreement,
        light_tools=[k for k, tool in params.tools.items() if tool.light],
    )
    return scores, levels, plan, actions


def rerank(res: NeedResults, weights: Mapping[str, float]) -> NeedResults:
    """The same assessment with other weights (what the sliders in JupyterLab do)."""
    scores, levels, plan, actions = _rank_and_plan(
        res.params, res.activities, res.data_scores, res.rater_scores, res.plan.in_use, weights
    )
    return replace(res, scores=scores, levels=levels, plan=plan, actions=actions)


def disagreements(res: NeedResults) -> pd.DataFrame:
    """(activity, criterion) pairs whose raters are ``disagreement`` points apart or more.

    ``activity_id``, ``key``, ``low``, ``high`` and ``range``, widest first (ties in rank order).
    """
    bounds = (
        res.rater_scores.groupby(["activity_id", "key"])["score"].agg(low="min", high="max").reset_index()
    )
    bounds["range"] = bounds["high"] - bounds["low"]
    wide = bounds[bounds["range"] >= res.params.disagreement]
    rank = res.scores.table.set_index("activity_id")["rank"]
    wide = wide.assign(rank=wide["activity_id"].map(rank))
    return wide.sort_values(
        ["range", "rank", "key"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)
