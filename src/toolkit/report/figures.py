"""Chart builders: data frame in, plotly figure out.

Every builder has the same shape (plotly-express style): the data first, then keyword-only
options, and it returns a figure without showing it. Labels come from :mod:`toolkit.i18n`,
numbers follow the report language (``layout.separators``), and month axes are categories
with formatted month names (no locale script needed in the browser).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from toolkit.core.formatting import Language, fmt_month, plotly_separators
from toolkit.core.i18n import register, t
from toolkit.report.assets import plotly_manifest

#: The report palette (colour-blind safe blues with signal colours).
COLORS = {
    "primary": "#1f4e79",
    "secondary": "#7aa6d6",
    "tertiary": "#b9cfe6",
    "muted": "#9aa5b1",
    "good": "#2e7d4f",
    "warn": "#d99a00",
    "bad": "#b3261e",
    "highlight": "#e07b00",
}
SERIES = ["#1f4e79", "#e07b00", "#2a9d8f", "#8e5ea2", "#7aa6d6", "#c05a7b", "#6b8e23", "#9aa5b1"]
STATUS_COLORS = {
    "green": COLORS["good"],
    "amber": COLORS["warn"],
    "red": COLORS["bad"],
    "missing": COLORS["muted"],
}
FONT = "Segoe UI, Helvetica Neue, Arial, sans-serif"

register(
    {
        "fig.month": ("Måned", "Month"),
        "fig.vs_plan": ("Ift. plan", "Against plan"),
        "fig.vs_last_year": ("Ift. sidste år", "Against last year"),
        "fig.pct_deviation": ("Afvigelse, %", "Deviation, %"),
        "fig.hours": ("Timer", "Hours"),
        "fig.actual": ("Faktisk", "Actual"),
        "fig.planned": ("Plan", "Plan"),
        "fig.budget": ("Periodiseret budget", "Periodised budget"),
        "fig.forecast": ("Prognose", "Forecast"),
        "fig.cum_kr": ("Akkumuleret, mio. kr.", "Cumulative, DKK million"),
        "fig.mio_kr": ("Mio. kr.", "DKK million"),
        "fig.kr_per_case": ("Kr. pr. ydelse", "DKK per case"),
        "fig.per_hour": ("Ydelser pr. time", "Cases per hour"),
        "fig.sick_pct": ("Sygefravær, %", "Sick leave, %"),
        "fig.alert": ("Opmærksomhedsgrænse", "Alert level"),
        "fig.overtime_per_fte": ("Overarbejde, timer pr. årsværk", "Overtime, hours per FTE"),
    }
)


AXIS_NUMBERS = ",~r"
"""d3 format for numeric axes: thousands grouped, trailing zeros trimmed (separators follow the language)."""


def _months(periods: Sequence[str], lang: Language) -> list[str]:
    return [fmt_month(p, lang, short=True) for p in periods]


@cache
def report_template() -> go.layout.Template:
    """plotly's "plotly_white" theme with the trace defaults of the embedded bundle's trace types only.

    The same look; a figure takes its theme as a copy, and the full theme's defaults for some
    forty trace types the reports never draw cost about half of a chart's styling.
    """
    base = pio.templates["plotly_white"]
    traces = plotly_manifest()["traces"]
    return go.layout.Template(layout=base.layout, data={k: getattr(base.data, k) for k in traces})


def style(fig: go.Figure, *, lang: Language, height: int = 360, title: str | None = None) -> go.Figure:
    """Apply the report's look: fonts, margins, separators, white background, legend on top."""
    fig.update_layout(
        template=report_template(),
        font={"family": FONT, "size": 13, "color": "#1d2733"},
        separators=plotly_separators(lang),
        height=height,
        margin={"l": 10, "r": 10, "t": 48 if title else 28, "b": 10},
        legend=(
            {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1}
            if title
            else {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0}
        ),
        hoverlabel={"font": {"family": FONT}},
        title={"text": title, "x": 0, "font": {"size": 15}} if title else None,
        colorway=SERIES,
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True, zerolinecolor="#c9d1d9")
    fig.for_each_xaxis(_full_numbers)
    fig.for_each_yaxis(_full_numbers)
    return fig


def _full_numbers(axis: Any) -> None:
    """Numeric ticks as the report writes numbers (40.000, 0,05), never plotly's "40k" or "1500".

    An axis that sets its own ``tickformat`` keeps it; category axes ignore the format.
    """
    if axis.tickformat is None:
        axis.tickformat = AXIS_NUMBERS


def deviation_bars(
    df: pd.DataFrame,
    *,
    label: str,
    columns: Sequence[tuple[str, str]],
    lang: Language,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of percentage deviations, one group per row of ``df``.

    ``columns`` pairs a column of ``df`` with a text key for its legend entry.
    """
    fig = go.Figure()
    colors = [COLORS["primary"], COLORS["secondary"], COLORS["highlight"]]
    for i, (col, key) in enumerate(columns):
        fig.add_bar(
            y=df[label],
            x=df[col],
            name=t(key, lang),
            orientation="h",
            marker_color=colors[i % len(colors)],
            hovertemplate="%{y}: %{x:.1f} %<extra>" + t(key, lang) + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_xaxes(title=t("fig.pct_deviation", lang), ticksuffix=" %", zeroline=True, zerolinewidth=2)
    fig.update_yaxes(autorange="reversed")
    return style(fig, lang=lang, height=max(220, 70 + 60 * len(df)), title=title)


def trend_lines(
    df: pd.DataFrame,
    *,
    period: str = "period",
    value: str,
    series: str,
    lang: Language,
    y_title: str,
    title: str | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
) -> go.Figure:
    """One line per ``series`` over the months in ``period`` (a category axis of month names)."""
    fig = go.Figure()
    periods = sorted(df[period].unique())
    labels = dict(zip(periods, _months(periods, lang), strict=True))
    for i, (name, g) in enumerate(df.sort_values(period).groupby(series, sort=True)):
        fig.add_scatter(
            x=g[period].map(labels),
            y=g[value],
            name=str(name),
            mode="lines+markers",
            line={"color": SERIES[i % len(SERIES)], "width": 2.5},
            marker={"size": 5},
        )
    if reference is not None:
        fig.add_hline(
            y=reference,
            line={"color": COLORS["bad"], "dash": "dot"},
            annotation_text=reference_label or "",
            annotation_position="top left",
        )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(labels.values()))
    fig.update_yaxes(title=y_title, rangemode="tozero")
    return style(fig, lang=lang, title=title)


def staircase(
    df: pd.DataFrame, *, labels: dict[str, str], lang: Language, title: str | None = None
) -> go.Figure:
    """A waterfall of the time staircase (:func:`toolkit.measures.activity.time_staircase`)."""
    measure = df["kind"].map({"total": "absolute", "decrease": "relative", "increase": "relative"})
    values = np.where(df["kind"] == "decrease", -df["hours"], df["hours"])
    fig = go.Figure(
        go.Waterfall(
            x=[labels[s] for s in df["step"]],
            y=values,
            measure=measure,
            connector={"line": {"color": "#c9d1d9"}},
            decreasing={"marker": {"color": COLORS["secondary"]}},
            increasing={"marker": {"color": COLORS["highlight"]}},
            totals={"marker": {"color": COLORS["primary"]}},
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    fig.update_yaxes(title=t("fig.hours", lang), tickformat=",.0f")
    return style(fig, lang=lang, height=400, title=title)


def horizontal_bars(
    df: pd.DataFrame,
    *,
    label: str,
    value: str,
    lang: Language,
    x_title: str,
    title: str | None = None,
    color: str | None = None,
    suffix: str = "",
) -> go.Figure:
    """Simple horizontal bars, largest first."""
    d = df.sort_values(value, ascending=False)
    fig = go.Figure(
        go.Bar(
            y=d[label],
            x=d[value],
            orientation="h",
            marker_color=color or COLORS["primary"],
            hovertemplate="%{y}: %{x:,.1f}" + suffix + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=x_title)
    return style(fig, lang=lang, height=max(220, 60 + 38 * len(d)), title=title)


def budget_cumulative(df: pd.DataFrame, *, lang: Language, title: str | None = None) -> go.Figure:
    """Cumulative periodised budget, actual and forecast over the year (:func:`toolkit.measures.economy.budget_monthly`)."""
    x = _months(df["period"], lang)
    fig = go.Figure()
    fig.add_scatter(
        x=x, y=df["cum_budget"] / 1e6, name=t("fig.budget", lang), line={"color": COLORS["muted"], "width": 2}
    )
    fig.add_scatter(
        x=x,
        y=df["cum_actual"] / 1e6,
        name=t("fig.actual", lang),
        line={"color": COLORS["primary"], "width": 3},
    )
    fig.add_scatter(
        x=x,
        y=df["cum_forecast"] / 1e6,
        name=t("fig.forecast", lang),
        line={"color": COLORS["highlight"], "width": 2, "dash": "dash"},
    )
    fig.update_traces(hovertemplate="%{x}: %{y:,.1f}<extra>%{fullData.name}</extra>")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t("fig.cum_kr", lang), rangemode="tozero")
    return style(fig, lang=lang, title=title)


def comparison_bars(
    df: pd.DataFrame,
    *,
    label: str,
    value: str,
    highlight: str,
    lang: Language,
    title: str | None = None,
    suffix: str = "",
    reference: float | None = None,
) -> go.Figure:
    """Bars for each unit with ``highlight`` coloured; an optional reference line (e.g. median)."""
    colors = [COLORS["highlight"] if v == highlight else COLORS["secondary"] for v in df[label]]
    fig = go.Figure(
        go.Bar(
            x=df[label],
            y=df[value],
            marker_color=colors,
            hovertemplate="%{x}: %{y:,.1f}" + suffix + "<extra></extra>",
        )
    )
    if reference is not None and np.isfinite(reference):
        fig.add_hline(y=reference, line={"color": COLORS["muted"], "dash": "dot"})
    fig.update_xaxes(type="category")
    fig.update_yaxes(ticksuffix=suffix, zeroline=True, zerolinewidth=2)
    return style(fig, lang=lang, height=300, title=title)


def small_multiples(
    df: pd.DataFrame,
    *,
    period: str = "period",
    value: str,
    facet: str,
    lang: Language,
    y_title: str,
    title: str | None = None,
    decimals: int = 2,
) -> go.Figure:
    """One small line chart per ``facet`` (own y-axis each), sharing the month axis.

    For measures whose level differs between series (cases per hour of a bed-day against an
    outpatient visit), so that each series' trend is visible. ``y_title`` names the measure and
    is the chart's title unless ``title`` is given.
    """
    from plotly.subplots import make_subplots

    names = sorted(df[facet].dropna().unique())
    periods = sorted(df[period].unique())
    labels = dict(zip(periods, _months(periods, lang), strict=True))
    fig = make_subplots(
        rows=max(len(names), 1),
        cols=1,
        shared_xaxes=True,
        subplot_titles=[str(n) for n in names],
        vertical_spacing=0.09,
    )
    for i, name in enumerate(names, start=1):
        g = df[df[facet] == name].sort_values(period)
        fig.add_scatter(
            x=g[period].map(labels),
            y=g[value],
            name=str(name),
            mode="lines+markers",
            line={"color": SERIES[(i - 1) % len(SERIES)], "width": 2.5},
            marker={"size": 5},
            showlegend=False,
            hovertemplate="%{x}: %{y:,." + str(decimals) + "f}<extra></extra>",
            row=i,
            col=1,
        )
        fig.update_yaxes(rangemode="tozero", row=i, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=list(labels.values()))
    fig.update_annotations(font={"size": 13}, xanchor="left", x=0)
    # The measure names the chart (an annotation above the first panel would be cut off).
    return style(fig, lang=lang, height=110 + 170 * max(len(names), 1), title=title or y_title)


def heat_map(
    z: np.ndarray,
    *,
    x: Sequence[str],
    y: Sequence[str],
    lang: Language,
    title: str | None = None,
    height: int | None = None,
    colorscale: str | list[list[object]] = "Blues",
    zmin: float | None = None,
    zmax: float | None = None,
    zmid: float | None = None,
    text: np.ndarray | list[list[str]] | None = None,
    customdata: np.ndarray | None = None,
    hovertemplate: str = "%{y} · %{x}: %{z}",
    colorbar: dict[str, Any] | None = None,
    gap: int = 0,
    y_reversed: bool = True,
    x_title: str | None = None,
    x_side: str | None = None,
) -> go.Figure:
    """The one heat map builder: a grid of values (rows ``y`` × columns ``x``), styled.

    Missing values (NaN) are left as gaps, never drawn as 0. ``text`` writes a value in each
    cell (formatted by the caller, in the report language); ``customdata`` carries a second
    value for the hover text. Rows run top to bottom in the order given (``y_reversed``).
    The height grows with the number of rows unless ``height`` is given.
    """
    grid = np.asarray(z, dtype="float64")
    options: dict[str, Any] = {
        "colorscale": colorscale,
        "hoverongaps": False,
        "hovertemplate": hovertemplate + "<extra></extra>",
        "colorbar": {"thickness": 12, **(colorbar or {})},
    }
    for key, value in {"zmin": zmin, "zmax": zmax, "zmid": zmid, "customdata": customdata}.items():
        if value is not None:
            options[key] = value
    if text is not None:
        options["text"] = text
        options["texttemplate"] = "%{text}"
    if gap:
        options["xgap"] = options["ygap"] = gap
    fig = go.Figure(
        go.Heatmap(
            z=[[float(v) if np.isfinite(v) else None for v in row] for row in grid],
            x=list(x),
            y=list(y),
            **options,
        )
    )
    fig.update_xaxes(type="category", title=x_title, side=x_side)
    fig.update_yaxes(type="category", autorange="reversed" if y_reversed else True)
    return style(fig, lang=lang, height=height or max(260, 130 + 34 * len(y)), title=title)
