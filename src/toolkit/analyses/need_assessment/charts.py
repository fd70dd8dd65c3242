"""The charts of the department report: score bars, the profile bubbles and the criteria heat map.

The bar and heat map builders serve the centre report too (:mod:`.centre_views`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.need_assessment.assessment import NeedResults
from toolkit.analyses.need_assessment.labels import key_label
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.core.formatting import Language, fmt_number
from toolkit.report import figures

#: Bar and bubble colour of each need level.
LEVEL_COLORS = {
    "high": figures.COLORS["highlight"],
    "medium": figures.COLORS["primary"],
    "low": figures.COLORS["tertiary"],
}
#: The profile's axes: the mean of complexity and risk against strategic attention.
PROFILE_X = ("complexity", "risk")
PROFILE_Y = "strategic"


def score_bars(
    df: pd.DataFrame,
    *,
    label: str,
    score: str,
    level: str,
    lang: Language,
    low: str | None = None,
    high: str | None = None,
    limits: Mapping[str, float] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of 1–5 scores in the frame's order, coloured by need level.

    ``low``/``high`` name columns with each row's range (drawn as an error bar); ``limits``
    maps a text key to a vertical reference line (e.g. the high-need limit).
    """
    fig = go.Figure(
        go.Bar(
            y=df[label],
            x=df[score],
            orientation="h",
            marker_color=[LEVEL_COLORS.get(v, figures.COLORS["muted"]) for v in df[level]],
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            error_x=(
                {
                    "type": "data",
                    "symmetric": False,
                    "array": (df[high] - df[score]).fillna(0).to_numpy(),
                    "arrayminus": (df[score] - df[low]).fillna(0).to_numpy(),
                    "color": figures.COLORS["muted"],
                    "thickness": 1.5,
                    "width": 4,
                }
                if low and high
                else None
            ),
            text=[fmt_number(v, 1, lang) for v in df[score]],
            textposition="inside",
            insidetextanchor="start",
        )
    )
    for key, value in (limits or {}).items():
        fig.add_vline(
            x=value,
            line={
                "color": figures.COLORS["bad"] if key == "fig.high" else figures.COLORS["muted"],
                "dash": "dot",
            },
            annotation_text=TEXTS(key, lang),
            annotation_position="top",
        )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=TEXTS("fig.score", lang), range=[0, 5.2], dtick=1)
    return figures.style(fig, lang=lang, height=max(240, 80 + 34 * len(df)), title=title)


_LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")
Box = tuple[float, float, float, float]


def label_positions(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    radii: Sequence[float] | np.ndarray | None = None,
    *,
    px_per_x: float = 190.0,
    px_per_y: float = 67.0,
    char_px: float = 7.0,
    line_px: float = 16.0,
) -> list[str]:
    """Where each bubble's label goes so that labels overlap neither each other nor bubbles.

    Greedy, in screen pixels: labels are placed in the order given; each takes the first of
    above, below, right and left of its bubble whose box is clear of the labels placed before
    it and of every other bubble, and above if none is. ``radii`` are the bubbles' radii in
    pixels; boxes are estimated from the label length (``char_px`` per character, ``line_px``
    per line) and the axis scales (``px_per_x``, ``px_per_y``; the defaults fit the 1–5 axes of
    the report's 460 px chart). Labels near the top of a 1–5 axis start below the bubble.
    """
    n = len(labels)
    r = np.zeros(n) if radii is None else np.asarray(radii, dtype=float)
    cx = np.asarray(x, dtype=float) * px_per_x
    cy = np.asarray(y, dtype=float) * px_per_y
    bubbles_ = [(cx[i] - r[i], cx[i] + r[i], cy[i] - r[i], cy[i] + r[i]) for i in range(n)]
    placed: list[Box] = []
    out: list[str] = []
    for i, text in enumerate(labels):
        w, pad = char_px * len(text), 3.0
        xi, yi, ri = cx[i], cy[i], r[i]
        candidates: dict[str, Box] = {
            "top center": (xi - w / 2, xi + w / 2, yi + ri + pad, yi + ri + pad + line_px),
            "bottom center": (xi - w / 2, xi + w / 2, yi - ri - pad - line_px, yi - ri - pad),
            "middle right": (xi + ri + pad, xi + ri + pad + w, yi - line_px / 2, yi + line_px / 2),
            "middle left": (xi - ri - pad - w, xi - ri - pad, yi - line_px / 2, yi + line_px / 2),
        }
        order = list(_LABEL_PLACES)
        if y[i] >= 4.5:
            order.remove("bottom center")
            order.insert(0, "bottom center")
        obstacles = placed + [b for j, b in enumerate(bubbles_) if j != i]
        chosen = next(
            (place for place in order if not any(_overlaps(candidates[place], o) for o in obstacles)),
            order[0],
        )
        placed.append(candidates[chosen])
        out.append(chosen)
    return out


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def bubbles(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    size: str,
    label: str,
    level: str,
    lang: Language,
    x_title: str,
    y_title: str,
    title: str | None = None,
) -> go.Figure:
    """A bubble chart on two 1–5 axes; bubble area proportional to ``size``, colour by level."""
    d = df.dropna(subset=[x, y])
    sizes = d[size].fillna(0).clip(lower=0)
    biggest = float(sizes.max()) if len(sizes) and sizes.max() > 0 else 1.0
    ranked = d.loc[sizes.sort_values(ascending=False, kind="stable").index]  # big bubbles choose first
    radii = np.maximum(30.0 * np.sqrt(sizes[ranked.index] / biggest), 2.5)  # as plotly draws them below
    places = label_positions(
        ranked[x].to_numpy(), ranked[y].to_numpy(), ranked[label].astype(str).tolist(), radii.to_numpy()
    )
    positions = dict(zip(ranked.index, places, strict=True))
    fig = go.Figure()
    for lv in ("high", "medium", "low"):
        part = d[d[level] == lv]
        if part.empty:
            continue
        fig.add_scatter(
            x=part[x],
            y=part[y],
            mode="markers+text",
            name=TEXTS(f"level.{lv}", lang),
            text=part[label],
            textposition=[positions[i] for i in part.index],
            marker={
                "size": part[size].fillna(0).clip(lower=0),
                "sizemode": "area",
                "sizeref": 2.0 * biggest / (60.0**2),
                "sizemin": 5,
                "color": LEVEL_COLORS[lv],
                "opacity": 0.75,
                "line": {"color": "#ffffff", "width": 1},
            },
            customdata=part[size],
            hovertemplate="%{text}<br>%{x:.1f} · %{y:.1f} · %{customdata:.1f} %<extra></extra>",
        )
    for value, axis in ((3.0, "x"), (3.0, "y")):
        if axis == "x":
            fig.add_vline(x=value, line={"color": "#c9d1d9", "dash": "dot"})
        else:
            fig.add_hline(y=value, line={"color": "#c9d1d9", "dash": "dot"})
    fig.update_xaxes(title=x_title, range=[0.5, 5.5], dtick=1)
    fig.update_yaxes(title=y_title, range=[0.5, 5.6], dtick=1)
    figures.style(fig, lang=lang, height=460, title=title)
    fig.update_layout(legend={"itemsizing": "constant"})
    return fig


def score_heat_map(
    matrix: pd.DataFrame, *, row_labels: list[str], column_labels: list[str], lang: Language
) -> go.Figure:
    """A heat map of 1–5 scores (rows × columns) with the values written in the cells.

    Both reports draw theirs with this (activity × criterion, department × activity), through
    the one heat map builder :func:`toolkit.report.figures.heat_map`.
    """
    z = matrix.to_numpy(dtype="float64")
    fig = figures.heat_map(
        z,
        x=column_labels,
        y=row_labels,
        lang=lang,
        height=max(280, 140 + 34 * len(row_labels)),
        colorscale=[
            [0.0, "#f4f6f8"],
            [0.5, figures.COLORS["secondary"]],
            [1.0, figures.COLORS["primary"]],
        ],
        zmin=1.0,
        zmax=5.0,
        text=[[fmt_number(v, 1, lang) if np.isfinite(v) else "" for v in row] for row in z],
        hovertemplate="%{y} · %{x}: %{text}",
        colorbar={"title": {"text": "1–5"}},
        gap=2,
        x_side="top",
    )
    fig.update_xaxes(tickangle=-30)
    return fig


def ranking_chart(res: NeedResults, lang: Language) -> go.Figure:
    """Activities by total score with the raters' range and the need limits."""
    df = res.ranked.dropna(subset=["score"])
    return score_bars(
        df,
        label="name",
        score="score",
        level="level",
        lang=lang,
        low="rater_min" if res.forms.n_raters > 1 else None,
        high="rater_max" if res.forms.n_raters > 1 else None,
        limits={"fig.medium": res.params.medium_need, "fig.high": res.params.high_need},
    )


def profile_frame(res: NeedResults) -> pd.DataFrame:
    """Complexity/risk (mean) and strategic attention per activity, with cost share and level."""
    m = res.scores.matrix
    xs = [k for k in PROFILE_X if k in m]
    df = res.ranked[["activity_id", "name", "level", "cost_share_pct"]].copy()
    ids = df["activity_id"]
    df["x"] = m.loc[ids, xs].mean(axis=1).to_numpy() if xs else np.nan
    df["y"] = m.loc[ids, PROFILE_Y].to_numpy() if PROFILE_Y in m else np.nan
    return df


def has_profile(res: NeedResults) -> bool:
    """True when the bubble chart has something to show (workshop scores on its axes)."""
    df = profile_frame(res)
    return bool(df[["x", "y"]].notna().all(axis=1).any())


def profile_chart(res: NeedResults, lang: Language) -> go.Figure:
    """Bubble chart: complexity/risk × strategic attention, size = share of cost."""
    return bubbles(
        profile_frame(res),
        x="x",
        y="y",
        size="cost_share_pct",
        label="name",
        level="level",
        lang=lang,
        x_title=TEXTS("fig.x_profile", lang),
        y_title=TEXTS("fig.y_profile", lang),
    )


def heatmap_chart(res: NeedResults, lang: Language) -> go.Figure:
    """Activity × criterion scores (1–5), activities in rank order, weighted criteria only."""
    ranked = res.ranked
    weights = res.params.weights()
    cols = [k for k in res.scores.matrix.columns if k in weights and weights[k] > 0]
    m = res.scores.matrix.loc[ranked["activity_id"], cols]
    return score_heat_map(
        m,
        row_labels=list(ranked["name"]),
        column_labels=[key_label(k, res.params, lang) for k in cols],
        lang=lang,
    )
