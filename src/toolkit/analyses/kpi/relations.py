"""Relationships over time: overtime and sick leave set against goal achievement and productivity.

The sentence states only what moved with what (co-movement, never cause), with the number of
months behind each statement, and says so plainly when nothing moved clearly together. On
fewer than :data:`~toolkit.measures.relations.MIN_MONTHS` months it states no relationship.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from toolkit.analyses.kpi.texts import TEXTS
from toolkit.core.definitions import DEFINITIONS
from toolkit.core.formatting import Language, fmt_month, fmt_number, join_words
from toolkit.measures.relations import CLEAR_R, MIN_MONTHS, CoMovement, co_movement
from toolkit.report import figures
from toolkit.report.explore import with_period_range

#: The pairs set against each other: (HR figure, outcome figure).
PAIRS = (
    ("overtime_pct", "goals_green_pct"),
    ("overtime_pct", "productivity_index"),
    ("sick_pct", "goals_green_pct"),
    ("sick_pct", "productivity_index"),
)

#: The definition that names each series in the chart's legend.
LEGEND = {
    "overtime_pct": "overtime_pct",
    "sick_pct": "sick_leave_pct",
    "goals_green_pct": "goals_green_share",
    "productivity_index": "productivity_index",
}


def relationships(monthly: pd.DataFrame) -> dict[tuple[str, str], CoMovement]:
    """The co-movement of every pair of :data:`PAIRS` over the months of ``monthly``."""
    df = monthly.set_index("period")
    return {(a, b): co_movement(df[a], df[b]) for a, b in PAIRS}


def relation_sentence(monthly: pd.DataFrame, lang: Language) -> str:
    """One sentence: which figures moved together or opposite, with r and the months, or none."""
    found = relationships(monthly)
    enough = {k: v for k, v in found.items() if v.verdict != "too_few"}
    if not enough:
        months = max((v.months for v in found.values()), default=0)
        if months == 0:  # no month has both figures: no data, not "0 months"
            return TEXTS("rel.no_data", lang)
        return TEXTS("rel.too_few", lang, n=months, min=MIN_MONTHS)
    clear = [(k, v) for k, v in enough.items() if v.verdict in ("together", "opposite")]
    if not clear:
        months = max(v.months for v in enough.values())
        return TEXTS("rel.none", lang, n=months, r=fmt_number(CLEAR_R, 1, lang))
    parts = [
        TEXTS(
            f"rel.{v.verdict}",
            lang,
            a=TEXTS(f"rel.name.{a}", lang),
            b=TEXTS(f"rel.name.{b}", lang),
            r=fmt_number(v.r, 2, lang),
            n=v.months,
        )
        for (a, b), v in clear
    ]
    return TEXTS("rel.sentence", lang, parts=join_words(parts, lang))


def relation_chart(monthly: pd.DataFrame, lang: Language) -> go.Figure:
    """Two panels over the same months: overtime and sick leave; goal achievement and productivity."""
    labels = [fmt_month(p, lang, short=True) for p in monthly["period"]]
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.12,
        subplot_titles=[TEXTS("rel.panel.hr", lang), TEXTS("rel.panel.outcome", lang)],
    )
    series = [
        (1, "overtime_pct", figures.SERIES[1]),
        (1, "sick_pct", figures.SERIES[0]),
        (2, "goals_green_pct", figures.SERIES[2]),
        (2, "productivity_index", figures.SERIES[3]),
    ]
    for row, col, colour in series:
        fig.add_scatter(
            x=labels,
            y=[None if pd.isna(v) else float(v) for v in monthly[col]],
            name=DEFINITIONS[LEGEND[col]].name(lang),
            mode="lines+markers",
            line={"color": colour, "width": 2.5},
            marker={"size": 5},
            hovertemplate="%{x}: %{y:,.1f}<extra></extra>",
            row=row,
            col=1,
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(rangemode="tozero")
    fig.update_annotations(font={"size": 13}, xanchor="left", x=0)
    fig = figures.style(fig, lang=lang, height=560, title=TEXTS("rel.chart_title", lang))
    fig.update_layout(margin={"t": 120}, legend={"y": 1.1, "yanchor": "bottom", "xanchor": "left", "x": 0})
    spans = [(TEXTS("range.12", lang), 12), (TEXTS("range.all", lang), None)]
    return with_period_range(fig, labels, spans, y=1.06)
