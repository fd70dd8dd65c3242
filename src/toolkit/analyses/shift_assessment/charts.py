"""The charts of the shift-planning report: self-assessment bars, week heat maps, trends, rest time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.shift_assessment import demand
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.core.formatting import Language, fmt_month, fmt_number
from toolkit.report import figures


def assessment_chart(themes: pd.DataFrame, *, names: dict[str, str], lang: Language) -> go.Figure:
    """Current status and desired potential per theme, with the raters' spread as whiskers."""
    df = themes.iloc[::-1]
    labels = [names[x] for x in df["theme"]]
    fig = go.Figure()
    # Horizontal grouped bars stack the first trace at the bottom: desired first puts current on top.
    for col, key, color in (
        ("desired", "fig.desired", figures.COLORS["tertiary"]),
        ("current", "fig.current", figures.COLORS["primary"]),
    ):
        lo, hi = df[f"{col}_min"], df[f"{col}_max"]
        fig.add_bar(
            y=labels,
            x=df[col],
            name=TEXTS(key, lang),
            orientation="h",
            marker_color=color,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (hi - df[col]).fillna(0).to_numpy(),
                "arrayminus": (df[col] - lo).fillna(0).to_numpy(),
                "color": figures.COLORS["muted"],
                "thickness": 1.5,
            },
            hovertemplate="%{y}: %{x:.1f}<extra>" + TEXTS(key, lang) + "</extra>",
        )
    fig.update_layout(barmode="group", legend={"traceorder": "reversed"})
    fig.update_xaxes(title=TEXTS("fig.score", lang), range=[0, 5.2], dtick=1)
    return figures.style(fig, lang=lang, height=120 + 55 * len(df))


def gap_chart(themes: pd.DataFrame, *, names: dict[str, str], lang: Language, priority: float) -> go.Figure:
    """The gap (desired − current) per theme, largest first; gaps from ``priority`` up highlighted."""
    df = themes.dropna(subset=["gap"]).sort_values("gap", ascending=True, kind="stable")
    colors = [
        figures.COLORS["highlight"] if g >= priority else figures.COLORS["secondary"] for g in df["gap"]
    ]
    fig = go.Figure(
        go.Bar(
            y=[names[x] for x in df["theme"]],
            x=df["gap"],
            orientation="h",
            marker_color=colors,
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=TEXTS("fig.gap", lang), rangemode="tozero")
    return figures.style(fig, lang=lang, height=100 + 40 * len(df))


def week_heatmap(
    profile: pd.DataFrame,
    *,
    value: str,
    lang: Language,
    title: str,
    colorscale: str | list[list[object]] = "Blues",
    zmid: float | None = None,
    zrange: tuple[float, float] | None = None,
    decimals: int = 1,
    suffix: str = "",
    hover_value: str | None = None,
    hover_decimals: int = 2,
) -> go.Figure:
    """A 7 × 24 heat map of ``value`` by weekday (rows, Monday on top) and hour of the day.

    ``hover_value`` names a second column shown on hover (e.g. the raw ratio behind a
    relative colour scale). Built by :func:`toolkit.report.figures.heat_map`.
    """

    def grid(col: str) -> np.ndarray:
        wide = profile.pivot(index="weekday", columns="hour", values=col)
        return wide.reindex(index=range(7), columns=range(24)).to_numpy()

    shown = "%{z:." + str(decimals) + "f}" + suffix
    if hover_value is not None:
        shown = "%{customdata:." + str(hover_decimals) + "f} (%{z:+." + str(decimals) + "f}" + suffix + ")"
    zmin, zmax = zrange if zrange is not None else (None, None)
    return figures.heat_map(
        grid(value),
        x=[f"{h:02d}" for h in range(24)],
        y=[TEXTS(f"day.{d}", lang) for d in range(7)],
        lang=lang,
        title=title,
        height=300,
        colorscale=colorscale,
        zmin=zmin,
        zmax=zmax,
        zmid=zmid,
        customdata=grid(hover_value) if hover_value is not None else None,
        hovertemplate="%{y} %{x}:00: " + shown,
        colorbar={"ticksuffix": suffix},
        x_title=TEXTS("fig.hour", lang),
    )


#: Blue (fewer staff per patient than average) → white → orange (more), the report's colours.
RELATIVE_SCALE = [[0.0, figures.COLORS["primary"]], [0.5, "#ffffff"], [1.0, figures.COLORS["highlight"]]]


def demand_heatmap(staffing: demand.StaffingVsDemand, lang: Language) -> go.Figure | None:
    """Patients by hour of the week, the colour scale from zero (None without patient data)."""
    if staffing.profile is None:
        return None
    title = TEXTS("fig.demand", lang, measure=TEXTS(f"measure.{staffing.measure}", lang))
    top = float(staffing.profile["demand"].max())
    return week_heatmap(
        staffing.profile, value="demand", lang=lang, title=title, colorscale="Oranges", zrange=(0.0, top)
    )


def staff_heatmap(staffing: demand.StaffingVsDemand, lang: Language) -> go.Figure | None:
    """Staff at work by hour of the week, the colour scale from zero (None without patient data)."""
    if staffing.profile is None:
        return None
    top = float(staffing.profile["staff"].max())
    return week_heatmap(
        staffing.profile,
        value="staff",
        lang=lang,
        title=TEXTS("fig.staff", lang),
        colorscale="Blues",
        zrange=(0.0, top),
    )


def ratio_heatmap(staffing: demand.StaffingVsDemand, lang: Language) -> go.Figure | None:
    """Staff per patient by hour of the week, coloured by its difference from the unit's average.

    The colour is (ratio / average ratio − 1) × 100, capped at ±100 %; hovering shows the ratio.
    """
    if staffing.profile is None:
        return None
    prof = staffing.profile
    avg = _average_ratio(prof)
    relative = ((prof["ratio"] / avg - 1) * 100).clip(-100, 100) if avg > 0 else prof["ratio"] * np.nan
    return week_heatmap(
        prof.assign(relative=relative),
        value="relative",
        lang=lang,
        title=TEXTS("fig.ratio", lang),
        colorscale=RELATIVE_SCALE,
        zmid=0.0,
        zrange=(-100.0, 100.0),
        decimals=0,
        suffix=" %",
        hover_value="ratio",
    )


def _average_ratio(profile: pd.DataFrame) -> float:
    s, d = profile["staff"].sum(), profile["demand"].sum()
    return float(s / d) if d > 0 else float("nan")


def ratio_caption(staffing: demand.StaffingVsDemand, lang: Language) -> str | None:
    """What the ratio heat map's colours mean."""
    if staffing.profile is None:
        return None
    return TEXTS("fig.ratio_caption", lang, avg=fmt_number(_average_ratio(staffing.profile), 2, lang))


def trends_chart(monthly: pd.DataFrame, *, lang: Language) -> go.Figure:
    """Overtime, agency share and short-notice changes per month (one line each)."""
    long = pd.concat(
        [
            monthly[["period"]].assign(series=TEXTS(key, lang), value=monthly[col])
            for col, key in (
                ("overtime_pct", "fig.overtime"),
                ("agency_pct", "fig.agency"),
                ("short_notice_pct", "fig.short_notice"),
            )
        ],
        ignore_index=True,
    )
    return figures.trend_lines(
        long, value="value", series="series", lang=lang, y_title=TEXTS("fig.pct", lang)
    )


def rest_chart(rest: pd.DataFrame, *, lang: Language) -> go.Figure:
    """Breaches per month, stacked: rest under 8 hours and 8 to under 11 hours."""
    x = [fmt_month(p, lang, short=True) for p in rest["period"]]
    fig = go.Figure()
    fig.add_bar(
        x=x, y=rest["under_reduced"], name=TEXTS("fig.under8", lang), marker_color=figures.COLORS["bad"]
    )
    fig.add_bar(x=x, y=rest["reduced"], name=TEXTS("fig.reduced", lang), marker_color=figures.COLORS["warn"])
    fig.update_layout(barmode="stack")
    fig.update_traces(hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=TEXTS("fig.breaches", lang), rangemode="tozero")
    return figures.style(fig, lang=lang)
