"""The activity sheet: volume, hours, productivity, direct cost per case and goals, per core activity.

The sheet joins the report's sections on the activity (Økonomistyrelsen's *sammenhængende
ledelsesinformation*): every figure is taken from the section it belongs to (volume from the
activity section, hours and productivity from the productivity section, the direct cost per
case from the cost table, the goals from the goals section), so the sheet never disagrees
with them. Its headline names the activity whose volume and hours moved apart most.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from toolkit.analyses.kpi.results import KPIResults, trend_periods
from toolkit.analyses.kpi.texts import TEXTS
from toolkit.core.formatting import Language, fmt_month, fmt_number, fmt_pct, is_missing
from toolkit.core.i18n import t
from toolkit.measures.common import pct_change, ratio
from toolkit.report import figures
from toolkit.report.blocks import Column, TableView
from toolkit.report.context import ReportContext
from toolkit.report.explore import Choice, with_choices, with_period_range

#: Volume and hours year to date against last year moving apart by at least this many
#: percentage points make an activity the sheet's headline.
DIVERGENCE_LIMIT_PP = 5.0
#: A change under this % (either way) is called unchanged.
FLAT_PCT = 1.0

SHEET_COLUMNS = (
    "activity_id",
    "name",
    "volume_unit",
    "actual",
    "planned",
    "vs_plan_pct",
    "last_year",
    "vs_last_year_pct",
    "ytd_actual",
    "ytd_planned",
    "ytd_vs_plan_pct",
    "ytd_last_year",
    "ytd_vs_last_year_pct",
    "hours",
    "productivity",
    "ytd_hours",
    "ytd_productivity",
    "ly_ytd_hours",
    "ytd_hours_change_pct",
    "cost_per_case",
    "ytd_cost_per_case",
    "ytd_cost_per_case_change_pct",
    "goals_n",
    "goals_green",
    "goals",
)


def activity_sheet(res: KPIResults, period: str, lang: Language = "da") -> pd.DataFrame:
    """One row per core activity with the figures of the sections it joins (see the module).

    Month: ``actual``, ``planned``, ``vs_plan_pct``, ``last_year``, ``vs_last_year_pct``,
    ``hours``, ``productivity``, ``cost_per_case``. Year to date: the same with ``ytd_``, and
    ``ly_ytd_hours`` (last year's volume / last year's productivity), ``ytd_hours_change_pct``
    and ``ytd_cost_per_case_change_pct`` against last year. Goals: ``goals_n``, ``goals_green``
    and ``goals`` (each attached goal with its status, as text).
    """
    vol = res.volume.set_index("activity_id")
    prod = res.productivity_summary.set_index("activity_id")
    cost = res.cost_summary.set_index("activity_id")
    month = res.productivity[res.productivity["period"] == period].set_index("activity_id")
    out = vol[
        [
            "name",
            "volume_unit",
            "actual",
            "planned",
            "vs_plan_pct",
            "last_year",
            "vs_last_year_pct",
            "ytd_actual",
            "ytd_planned",
            "ytd_vs_plan_pct",
            "ytd_last_year",
            "ytd_vs_last_year_pct",
        ]
    ].copy()
    out["hours"] = month["hours"].reindex(out.index)
    out["productivity"] = month["productivity"].reindex(out.index)
    out["ytd_hours"] = prod["ytd_hours"].reindex(out.index)
    out["ytd_productivity"] = prod["ytd_productivity"].reindex(out.index)
    out["ly_ytd_hours"] = ratio(out["ytd_last_year"], prod["ly_ytd_productivity"].reindex(out.index))
    out["ytd_hours_change_pct"] = pct_change(out["ytd_hours"], out["ly_ytd_hours"])
    out["cost_per_case"] = cost["cost_per_case"].reindex(out.index)
    out["ytd_cost_per_case"] = cost["ytd_cost_per_case"].reindex(out.index)
    out["ytd_cost_per_case_change_pct"] = cost["ytd_change_pct"].reindex(out.index)
    goals = _goals_by_activity(res, lang)
    out["goals_n"] = goals["n"].reindex(out.index).fillna(0).astype(int)
    out["goals_green"] = goals["green"].reindex(out.index).fillna(0).astype(int)
    out["goals"] = goals["text"].reindex(out.index).fillna("")
    return out.reset_index(names="activity_id")[list(SHEET_COLUMNS)]


def _goals_by_activity(res: KPIResults, lang: Language) -> pd.DataFrame:
    """Per activity: the number of attached goals, how many are green, and 'goal: status' text."""
    if res.goal_activity is None or res.goals.empty:
        return pd.DataFrame(columns=["n", "green", "text"])
    activity_of = res.goal_activity.set_index("name")["activity_id"]
    g = res.goals.assign(activity_id=res.goals["name"].map(activity_of)).dropna(subset=["activity_id"])
    rows = {}
    for act, part in g.groupby("activity_id", sort=True):
        text = "; ".join(
            f"{n}: {t(f'status.{s}', lang)}" for n, s in zip(part["name"], part["status"], strict=True)
        )
        rows[act] = {"n": len(part), "green": int((part["status"] == "green").sum()), "text": text}
    return pd.DataFrame.from_dict(rows, orient="index", columns=["n", "green", "text"])


def _direction(pct: float, lang: Language) -> str:
    if abs(pct) < FLAT_PCT:
        return TEXTS("sheet.flat", lang)
    return TEXTS("sheet.up" if pct > 0 else "sheet.down", lang, pct=fmt_pct(abs(pct), 1, lang))


def sheet_headline(sheet: pd.DataFrame, lang: Language) -> str | None:
    """The activity whose volume and hours year to date moved apart most against last year.

    The gap is volume change − hours change (percentage points). At least
    :data:`DIVERGENCE_LIMIT_PP` names the activity with its volume, hours and direct cost per
    case; below it the sentence says that volume and hours followed each other. None when no
    activity has last year's figures.
    """
    gap = sheet["ytd_vs_last_year_pct"] - sheet["ytd_hours_change_pct"]
    if not gap.notna().any():
        return None
    at = gap.abs().idxmax()
    row = sheet.loc[at]
    if abs(float(gap[at])) < DIVERGENCE_LIMIT_PP:
        return TEXTS("sheet.hl_together", lang, limit=fmt_number(DIVERGENCE_LIMIT_PP, 0, lang))
    cpc = float(row["ytd_cost_per_case_change_pct"])
    text = TEXTS(
        "sheet.hl",
        lang,
        name=row["name"],
        volume=_direction(float(row["ytd_vs_last_year_pct"]), lang),
        hours=_direction(float(row["ytd_hours_change_pct"]), lang),
    )
    if not is_missing(cpc):
        text = text[:-1] + TEXTS("sheet.hl_cost", lang, cost=_direction(cpc, lang))
    return text


def sheet_table(sheet: pd.DataFrame, lang: Language) -> TableView:
    """The activity sheet as one table, a row per core activity."""
    return TableView(
        TEXTS("sheet.table", lang),
        sheet,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("actual", TEXTS("col.actual", lang), "int"),
            Column("vs_plan_pct", TEXTS("col.vs_plan", lang), "pct", signed=True),
            Column("vs_last_year_pct", TEXTS("col.vs_last_year", lang), "pct", signed=True),
            Column("ytd_actual", TEXTS("col.ytd_actual", lang), "int"),
            Column("ytd_vs_plan_pct", TEXTS("col.ytd_vs_plan", lang), "pct", signed=True),
            Column("ytd_vs_last_year_pct", TEXTS("col.ytd_vs_last_year", lang), "pct", signed=True),
            Column("hours", TEXTS("sheet.col.hours", lang), "int"),
            Column("ytd_hours", TEXTS("col.ytd_hours", lang), "int"),
            Column("ytd_hours_change_pct", TEXTS("sheet.col.hours_change", lang), "pct", signed=True),
            Column("productivity", TEXTS("sheet.col.productivity", lang), "number", decimals=3),
            Column("ytd_productivity", TEXTS("col.ytd_productivity", lang), "number", decimals=3),
            Column("cost_per_case", TEXTS("sheet.col.cpc", lang), "kr_full"),
            Column("ytd_cost_per_case", TEXTS("sheet.col.cpc_ytd", lang), "kr_full"),
            Column("ytd_cost_per_case_change_pct", TEXTS("sheet.col.cpc_change", lang), "pct", signed=True),
            Column("goals", TEXTS("sheet.col.goals", lang)),
        ],
    )


#: The sheet's columns as the report shows them: three tables that each fit a printed A4 page.
SCREEN_PARTS = (
    (
        "sheet.part.volume",
        (
            "actual",
            "vs_plan_pct",
            "vs_last_year_pct",
            "ytd_actual",
            "ytd_vs_plan_pct",
            "ytd_vs_last_year_pct",
        ),
    ),
    ("sheet.part.hours", ("hours", "ytd_hours", "ytd_hours_change_pct", "productivity", "ytd_productivity")),
    ("sheet.part.cost", ("cost_per_case", "ytd_cost_per_case", "ytd_cost_per_case_change_pct", "goals")),
)


def sheet_parts(sheet: pd.DataFrame, lang: Language) -> list[TableView]:
    """The activity sheet as the report shows it: volume; hours and productivity; cost and goals.

    The same columns as :func:`sheet_table` (which goes whole to the workbook), cut in three so
    that each table fits the paper when printed.
    """
    whole = sheet_table(sheet, lang)
    by_key = {c.key: c for c in whole.columns}
    return [
        TableView(TEXTS(title, lang), sheet, [by_key["name"], *(by_key[k] for k in keys)])
        for title, keys in SCREEN_PARTS
    ]


#: The panels of the sheet's chart: (text key, traces as (series, colour)).
PANELS = ("sheet.panel.volume", "sheet.panel.hours", "sheet.panel.productivity", "sheet.panel.cpc")


def sheet_series(res: KPIResults, ctx: ReportContext) -> pd.DataFrame:
    """Monthly actual, planned, hours, productivity and direct cost per case per core activity."""
    periods = trend_periods(ctx)
    vt = res.volume_trend[res.volume_trend["period"].isin(periods)]
    prod = res.productivity[["period", "activity_id", "hours", "productivity"]]
    cost = res.cost.by_activity[["period", "activity_id", "cost_per_case"]]
    df = vt[["period", "activity_id", "name", "actual", "planned"]].merge(
        prod, on=["period", "activity_id"], how="left"
    )
    return df.merge(cost, on=["period", "activity_id"], how="left")


def sheet_chart(res: KPIResults, ctx: ReportContext, sheet: pd.DataFrame, *, active: int = 0) -> go.Figure:
    """Four small panels (volume and plan, hours, productivity, direct cost per case) of one activity.

    A drop-down chooses the activity, buttons the period range; the default view is the
    activity at ``active`` in the sheet's order, over the whole trend window.
    """
    lang = ctx.lang
    periods = trend_periods(ctx)
    labels = [fmt_month(p, lang, short=True) for p in periods]
    series = sheet_series(res, ctx)
    fig = make_subplots(
        rows=4,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        subplot_titles=[TEXTS(k, lang) for k in PANELS],
    )
    specs = [
        (1, "actual", TEXTS("sheet.trace.actual", lang), figures.SERIES[0], "solid"),
        (1, "planned", TEXTS("sheet.trace.planned", lang), figures.SERIES[4], "dash"),
        (2, "hours", TEXTS("sheet.panel.hours", lang), figures.SERIES[1], "solid"),
        (3, "productivity", TEXTS("sheet.panel.productivity", lang), figures.SERIES[2], "solid"),
        (4, "cost_per_case", TEXTS("sheet.panel.cpc", lang), figures.SERIES[3], "solid"),
    ]
    for row, _, name, colour, dash in specs:
        fig.add_scatter(
            x=labels,
            y=[np.nan] * len(labels),
            name=name,
            mode="lines+markers",
            line={"color": colour, "width": 2.5, "dash": dash},
            marker={"size": 5},
            showlegend=row == 1,
            hovertemplate="%{x}: %{y:,.3~f}<extra></extra>" if row == 3 else "%{x}: %{y:,.0f}<extra></extra>",
            row=row,
            col=1,
        )
    for row in range(1, 5):
        fig.update_yaxes(rangemode="tozero", row=row, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_annotations(font={"size": 13}, xanchor="left", x=0)
    choices = []
    for act, name in zip(sheet["activity_id"], sheet["name"], strict=True):
        part = series[series["activity_id"] == act].set_index("period").reindex(periods)
        ys = [[_num(v) for v in part[col]] for _, col, _, _, _ in specs]
        choices.append(Choice(str(name), {"x": [labels] * len(specs), "y": ys}))
    fig = figures.style(fig, lang=lang, height=760, title=TEXTS("sheet.chart_title", lang))
    fig.update_layout(margin={"t": 130}, legend={"y": 1.1})
    if not choices:
        return fig
    fig = with_choices(fig, choices, active=active, y=1.035)
    return with_period_range(fig, labels, period_spans(lang), y=1.035)


def period_spans(lang: Language) -> list[tuple[str, int | None]]:
    """The period-range buttons: the last 6 and 12 months and the whole window."""
    return [(TEXTS("range.6", lang), 6), (TEXTS("range.12", lang), 12), (TEXTS("range.all", lang), None)]


def _num(value: object) -> float | None:
    """A plain float for the figure's JSON (None for a gap)."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]
