"""The charts of the management-information KPI report (plotly figures, built by :mod:`toolkit.report.figures`)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.kpi.params import settings
from toolkit.analyses.kpi.results import KPIResults, trend_periods
from toolkit.analyses.kpi.texts import TEXTS
from toolkit.core.formatting import Language
from toolkit.core.i18n import t
from toolkit.measures.activity import STAIRCASE_STEPS
from toolkit.report import figures
from toolkit.report.context import ReportContext


def volume_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Year-to-date deviation from plan and from last year per activity."""
    return figures.deviation_bars(
        res.volume,
        label="name",
        columns=[("ytd_vs_plan_pct", "fig.vs_plan"), ("ytd_vs_last_year_pct", "fig.vs_last_year")],
        lang=lang,
    )


def staircase_chart(res: KPIResults, lang: Language) -> go.Figure:
    """The time staircase as a waterfall."""
    labels = {s: TEXTS(f"step.{s}", lang) for s, _ in STAIRCASE_STEPS}
    return figures.staircase(res.staircase, labels=labels, lang=lang)


def hours_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Hours worked per activity in the month, core and internal activities coloured apart."""
    df = res.hours_by_activity
    colors = {"core": figures.COLORS["primary"], "internal": figures.COLORS["secondary"]}
    fig = go.Figure()
    for kind in ("core", "internal"):
        part = df[df["kind"] == kind]
        if part.empty:
            continue
        fig.add_bar(
            y=part["name"],
            x=part["hours"],
            orientation="h",
            name=TEXTS(f"kind.{kind}", lang),
            marker_color=colors[kind],
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="total ascending")
    fig.update_xaxes(title=t("fig.hours", lang), tickformat=",.0f")
    return figures.style(fig, lang=lang, height=max(220, 70 + 40 * len(df)), title=TEXTS("hours_title", lang))


def productivity_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Cases per hour per activity over the trend window."""
    return figures.small_multiples(
        res.productivity,
        value="productivity",
        facet="name",
        lang=lang,
        y_title=t("fig.per_hour", lang),
        decimals=3,
    )


def cost_chart(res: KPIResults, ctx: ReportContext) -> go.Figure:
    """Cost per case per activity over the trend window."""
    df = res.cost.by_activity
    df = df[(df["kind"] == "core") & df["period"].isin(trend_periods(ctx))]
    return figures.small_multiples(
        df,
        value="cost_per_case",
        facet="name",
        lang=ctx.lang,
        y_title=t("fig.kr_per_case", ctx.lang),
        decimals=0,
    )


def budget_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Cumulative budget, actual and forecast."""
    return figures.budget_cumulative(res.budget_monthly, lang=lang)


def sick_chart(res: KPIResults, ctx: ReportContext) -> go.Figure:
    """The unit's monthly sick-leave % with the alert level."""
    df = res.sick_trend.assign(series=t("fig.sick_pct", ctx.lang))
    return figures.trend_lines(
        df,
        value="sick_pct",
        series="series",
        lang=ctx.lang,
        y_title=t("fig.sick_pct", ctx.lang),
        reference=settings(ctx.params).sick_leave_alert_pct,
        reference_label=t("fig.alert", ctx.lang),
    )


def comparison_chart(
    ratios: pd.DataFrame, ctx: ReportContext, column: str, title_key: str, suffix: str = " %"
) -> go.Figure:
    """One key ratio across the sibling departments, this unit highlighted.

    ``title_key`` is the chart title's text key in the ``kpi`` namespace (e.g. ``col.sick_pct_12m``).
    """
    return figures.comparison_bars(
        ratios,
        label="name",
        value=column,
        highlight=ctx.unit.name,
        lang=ctx.lang,
        title=TEXTS(title_key, ctx.lang),
        reference=float(ratios[column].median()) if ratios[column].notna().any() else None,
        suffix=suffix,
    )
