"""The department report's section views, title and appendix.

``notebooks/need-assessment.ipynb`` shows one view per section, in this order: :func:`ranking`,
:func:`profile`, :func:`criteria`, :func:`tools`, :func:`plan`, :func:`data`,
:func:`registration` and :func:`weights`. Each view builds the section's heading, lead and
blocks and decides what missing data (no forms, no profile scores, no actions, no activity
budget) leaves out or notes instead.
"""

from __future__ import annotations

from toolkit.analyses.need_assessment import charts, tables
from toolkit.analyses.need_assessment.assessment import NeedResults
from toolkit.analyses.need_assessment.params import settings
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language
from toolkit.report.blocks import Note, Paragraph, Section
from toolkit.report.context import ReportContext

#: The department report's definitions, in reading order.
DEFINITION_KEYS = (
    "need_score",
    "need_judged",
    "need_normalisation",
    "need_spread",
    "need_cost_share",
    "need_hours_share",
    "need_volume",
    "need_volatility",
    "need_budget_deviation",
    "need_goal_shortfall",
    "need_registration",
    "need_tools",
)


def title(lang: Language) -> str:
    """The department report's title."""
    return TEXTS("title", lang)


def ranking(res: NeedResults, ctx: ReportContext) -> Section:
    """Activities by total score (chart and table) and who rated them (or that nobody has yet)."""
    lang = ctx.lang
    n = res.forms.n_raters
    note = TEXTS("raters_note", lang, n=n) if n else TEXTS("no_forms", lang, unit=ctx.unit.unit_id)
    return Section(
        TEXTS("sec.ranking", lang),
        TEXTS("sec.ranking.lead", lang),
        [charts.ranking_chart(res, lang), tables.ranking_table(res, lang), Note(note)],
    )


def profile(res: NeedResults, ctx: ReportContext) -> Section:
    """The bubble chart of complexity/risk against attention, or why it cannot be drawn."""
    lang = ctx.lang
    block = charts.profile_chart(res, lang) if charts.has_profile(res) else Note(TEXTS("no_profile", lang))
    return Section(TEXTS("sec.profile", lang), TEXTS("sec.profile.lead", lang), [block])


def criteria(res: NeedResults, ctx: ReportContext) -> Section:
    """The heat map of every weighted criterion per activity."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.heatmap", lang), TEXTS("sec.heatmap.lead", lang), [charts.heatmap_chart(res, lang)]
    )


def tools(res: NeedResults, ctx: ReportContext) -> Section:
    """Recommended tools against the tools in use today."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.tools", lang), TEXTS("sec.tools.lead", lang), [tables.recommendations_table(res, lang)]
    )


def plan(res: NeedResults, ctx: ReportContext) -> Section:
    """The action plan, or that no action is needed."""
    lang = ctx.lang
    block = tables.action_table(res, lang) if len(res.actions) else Paragraph(TEXTS("no_actions", lang))
    return Section(TEXTS("sec.plan", lang), TEXTS("sec.plan.lead", lang), [block])


def data(res: NeedResults, ctx: ReportContext) -> Section:
    """The objective indicators, and a note when there is no activity budget."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.data", lang),
        TEXTS("sec.data.lead", lang, months=res.params.months),
        [tables.indicators_table(res, lang), None if res.has_budget else Note(TEXTS("no_budget", lang))],
    )


def registration(res: NeedResults, ctx: ReportContext) -> Section:
    """Where each activity is registered, and the hours and costs that do not meet."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.registration", lang),
        TEXTS("sec.registration.lead", lang),
        [tables.registration_table(res, lang), Note(tables.unmatched_note(res, lang))],
    )


def weights(res: NeedResults, ctx: ReportContext) -> Section:
    """The weights, the tool-mapping rules and the tool catalogue the scores used."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.weights", lang),
        TEXTS("sec.weights.lead", lang),
        [
            tables.weights_table(res.params, lang),
            tables.rules_table(res.params, lang),
            tables.tools_catalogue_table(res.params, lang),
        ],
    )


def definitions() -> list[Definition]:
    """The department report's definitions, in reading order."""
    return [DEFINITIONS[k] for k in DEFINITION_KEYS]


def appendix_parameters(ctx: ReportContext) -> dict[str, object]:
    """The parameters the report used (numbers, not the long texts of criteria and tools)."""
    na = settings(ctx.params)
    out: dict[str, object] = {"language": ctx.params.language}
    for name in ("months", "high_need", "medium_need", "disagreement", "top_n"):
        out[f"need_assessment.{name}"] = getattr(na, name)
    for key, c in na.criteria.items():
        out[f"need_assessment.criteria.{key}.weight"] = c.weight
        if c.reverse:
            out[f"need_assessment.criteria.{key}.reverse"] = True
    for key, i in na.indicators.items():
        out[f"need_assessment.indicators.{key}.weight"] = i.weight
        out[f"need_assessment.indicators.{key}.full_at"] = i.full_at
    return out
