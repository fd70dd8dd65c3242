"""The unit-cost report's charts: the cost flow (Sankey), unit costs, capacity, DRG and sensitivity.

Heat maps are drawn by the shared builder :func:`toolkit.report.figures.heat_map`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.unit_cost.params import settings
from toolkit.analyses.unit_cost.results import (
    UnitCostResults,
    catalogue_names,
    hidden_activities,
    hidden_split,
    mask_activities,
    resource_label,
    scope_resources,
    scope_split,
    shown_activities,
)
from toolkit.analyses.unit_cost.texts import TEXTS, variant_label
from toolkit.core.formatting import Language, fmt_number, fmt_pct
from toolkit.measures.costing.allocation import EXTERNAL, FINAL, INTERMEDIATE
from toolkit.measures.costing.contacts import DIRECT
from toolkit.measures.costing.money import ORE_PER_KR, to_ore
from toolkit.report import figures
from toolkit.report.context import ReportContext

OTHER = "__other__"


def sankey(links: pd.DataFrame, *, lang: Language, title: str | None = None, height: int = 560) -> go.Figure:
    """A Sankey diagram of ``links`` (``source``, ``target``, ``value`` in kr., ``layer`` of source).

    Nodes are placed by layer (left to right); values are shown in kr. with the report's
    separators.
    """
    labels = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {name: i for i, name in enumerate(labels)}
    layer: dict[str, int] = {}
    for s, tgt, lay in zip(links["source"], links["target"], links["layer"], strict=True):
        layer[s] = min(layer.get(s, lay), lay)
        layer.setdefault(tgt, lay + 1)
        layer[tgt] = max(layer[tgt], lay + 1)
    palette = [
        figures.COLORS["primary"],
        figures.COLORS["secondary"],
        figures.SERIES[2],
        figures.SERIES[3],
        figures.COLORS["highlight"],
    ]
    node_colors = [palette[min(layer[n], len(palette) - 1)] for n in labels]
    special = {
        TEXTS("node.unused", lang): figures.COLORS["muted"],
        TEXTS("node.unmatched", lang): figures.COLORS["warn"],
    }
    node_colors = [special.get(n, c) for n, c in zip(labels, node_colors, strict=True)]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.0f",
            valuesuffix=" kr." if lang == "da" else " DKK",
            node={"label": labels, "color": node_colors, "pad": 12, "thickness": 14, "line": {"width": 0}},
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[x] for x in links["target"]],
                "value": links["value"].to_numpy(dtype=float),
                "color": "rgba(122,166,214,0.35)",
            },
        )
    )
    return figures.style(fig, lang=lang, height=height, title=title)


def flow_links(res: UnitCostResults, lang: Language, top_groups: int = 12) -> pd.DataFrame:
    """The links of the flow chart: cost types → cost centres → activities → patient groups (kr.)."""
    names = catalogue_names(res)
    inp = res.inp
    alloc = res.base.allocation
    centres = alloc.centres.set_index("cost_centre_id")
    scope = set(inp.scope_centres)
    ledger = inp.ledger.assign(ore=to_ore(inp.ledger["amount"]))
    links: list[tuple[str, str, int, int]] = []

    def node_of(c: str) -> str:
        if res.scope == "hospital":
            kind = centres.loc[c, "kind"]
            if kind == INTERMEDIATE:
                return TEXTS("node.shared", lang)
            if kind == EXTERNAL:
                return TEXTS("node.external", lang)
        return names["centre"].get(c, c)

    own = ledger[ledger["cost_centre_id"].isin(scope)].groupby(["cost_type", "cost_centre_id"])["ore"].sum()
    for (ct, c), v in own.items():
        links.append((names["cost_type"].get(ct, ct), node_of(c), int(v), 0))
    flows = alloc.flows[alloc.flows["amount"] != 0]
    if res.scope == "hospital":
        for _, f in flows.iterrows():
            src, dst = node_of(f["from_centre"]), node_of(f["to_centre"])
            if src != dst:
                links.append((src, dst, int(f["amount"]), 1))
        retained = int(centres.loc[centres["kind"] == INTERMEDIATE, "retained"].sum())
        if retained:
            links.append((TEXTS("node.shared", lang), TEXTS("node.unused", lang), retained, 1))
    else:
        into = flows[flows["to_centre"].isin(scope) & ~flows["from_centre"].isin(scope)]
        for (src, dst), v in into.groupby(["from_centre", "to_centre"])["amount"].sum().items():
            links.append(
                (TEXTS("node.from", lang, name=names["centre"].get(src, src)), node_of(dst), int(v), 0)
            )
        out = flows[flows["from_centre"].isin(scope)]
        for src, v in out.groupby("from_centre")["amount"].sum().items():
            links.append((node_of(src), TEXTS("node.passed_on", lang), int(v), 2))
    td = res.base.time_driven
    r = td.resources[td.resources["cost_centre_id"].isin(scope)]
    for c, v in r.groupby("cost_centre_id")["unused_cost"].sum().items():
        if v > 0:
            links.append((node_of(c), TEXTS("node.unused", lang), int(v), 2))
    no_res = centres[
        (centres.index.isin(scope))
        & (centres["kind"] == INTERMEDIATE)
        & ~centres.index.isin(r["cost_centre_id"])
    ]
    if res.scope == "department":
        for c, v in no_res["retained"].items():
            if v > 0:
                links.append((node_of(c), TEXTS("node.unused", lang), int(v), 2))
    finals = r[r["centre_kind"] == FINAL]
    sp = td.split[td.split["resource_id"].isin(finals["resource_id"])]
    # A hidden unit cost's activity and a group whose cost is hidden have no node: each link into
    # or out of one is its cost (over the shown volume, the unit cost).
    hidden = hidden_activities(res)
    sp = sp[~_pairs_in(sp, hidden)]
    for (c, a), v in sp.groupby(["cost_centre_id", "activity_id"])["used_cost"].sum().items():
        links.append((node_of(c), names["activity"].get(a, a), int(v), 2))
    direct = {c: v for c, v in res.base.direct.items() if c in scope and v}
    for c, v in direct.items():
        links.append((node_of(c), TEXTS("node.direct", lang), int(v), 2))
    if res.has_contacts and res.contacts is not None:
        comp = res.contacts.components
        comp = comp[~_pairs_in(comp, hidden)]
        if "cost_hidden" in res.drg:
            comp = comp[~comp["drg_group"].isin(res.drg.loc[res.drg["cost_hidden"], "drg_group"])]
        top = list(res.drg["drg_group"].head(top_groups))
        group_node = comp["drg_group"].where(comp["drg_group"].isin(top), OTHER)
        comp = comp.assign(node=group_node)
        for (a, g), v in comp.groupby(["activity_id", "node"])["cost"].sum().items():
            src = TEXTS("node.direct", lang) if a == DIRECT else names["activity"].get(a, a)
            dst = TEXTS("node.other_groups", lang) if g == OTHER else str(g)
            if v:
                links.append((src, dst, int(v), 3))
        matched = res.contacts.matched
        um = matched[~_pairs_in(matched, hidden)].groupby("activity_id")["unmatched_cost"].sum()
        for a, v in um.items():
            if v > 0:
                links.append((names["activity"].get(a, a), TEXTS("node.unmatched", lang), int(v), 3))
    frame = pd.DataFrame(links, columns=["source", "target", "ore", "layer"])
    frame = frame.groupby(["source", "target"], as_index=False, sort=False).agg(
        ore=("ore", "sum"), layer=("layer", "min")
    )
    frame = frame[frame["ore"] > 0]
    return frame.assign(value=frame["ore"] / ORE_PER_KR)[["source", "target", "value", "layer"]]


def _pairs_in(frame: pd.DataFrame, pairs: set[tuple[str, str]]) -> pd.Series:
    """True for the rows of ``frame`` whose (``unit_id``, ``activity_id``) is in ``pairs``."""
    keys = zip(frame["unit_id"].astype(str), frame["activity_id"].astype(str), strict=True)
    return pd.Series([k in pairs for k in keys], index=frame.index, dtype=bool)


def flow_chart(res: UnitCostResults, ctx: ReportContext) -> go.Figure:
    """Accounts → cost centres → activities → patient groups (the largest groups by name)."""
    links = flow_links(res, ctx.lang, settings(ctx.params).top_groups)
    return sankey(links, lang=ctx.lang, height=640 if res.scope == "hospital" else 540)


def stacked_bars(
    df: pd.DataFrame,
    *,
    label: str,
    stack: str,
    value: str,
    lang: Language,
    x_title: str,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of ``value`` per ``label``, stacked by ``stack`` (largest total on top)."""
    order = df.groupby(label)[value].sum().sort_values(ascending=False).index.tolist()
    fig = go.Figure()
    for i, (name, g) in enumerate(df.groupby(stack, sort=True)):
        g = g.groupby(label)[value].sum().reindex(order, fill_value=0.0)  # a gap breaks plotly's stacking
        fig.add_bar(
            y=order,
            x=g.to_numpy(dtype=float),
            name=str(name),
            orientation="h",
            marker_color=figures.SERIES[i % len(figures.SERIES)],
            hovertemplate="%{y}: %{x:,.2f}<extra>" + str(name).replace("<", "") + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=x_title)
    return figures.style(fig, lang=lang, height=max(260, 90 + 42 * len(order)), title=title)


def unit_cost_chart(res: UnitCostResults, lang: Language) -> go.Figure:
    """Unit cost per activity split by resource (department) or unit cost per department (hospital)."""
    names = catalogue_names(res)
    if res.scope == "hospital":
        # A hidden unit cost is left out, and out of the mean it is set against (the mean, the
        # shown costs and the volumes would give it back).
        acts = shown_activities(res)
        acts = acts[(acts["volume"] > 0) & ~acts["suppressed"]]
        acts = acts.assign(activity=acts["activity_id"].map(names["activity"]))
        mean = (
            acts.groupby("activity_id")["used_cost"].sum()
            / acts.groupby("activity_id")["volume"].sum()
            / ORE_PER_KR
        )
        acts["vs_mean"] = (acts["unit_cost"] / acts["activity_id"].map(mean) - 1) * 100
        acts["text"] = [fmt_number(v, 0, lang) for v in acts["unit_cost"]]
        return deviation_heat_map(
            acts, row="unit_id", column="activity", value="vs_mean", text="text", lang=lang,
            colorbar=TEXTS("fig.vs_mean", lang),
        )  # fmt: skip
    r = scope_resources(res)
    pattern = hidden_split(res)
    sp = scope_split(res).merge(r[["resource_id", "name"]], on="resource_id")
    # Staff groups under the limit and each bar's complements make one stack; a bar whose total
    # would give a hidden part away is left out.
    hidden = sp["resource_id"].isin(res.hidden.resources) | pattern.part_mask(sp)
    sp = sp.assign(
        name=sp["name"].where(~hidden, TEXTS("fig.hidden_staff", lang, n=res.hidden.min_group_size))
    )
    sp = sp[~pattern.total_mask(sp)]
    sp = sp.assign(activity=sp["activity_id"].map(names["activity"]))
    return stacked_bars(
        sp,
        label="activity",
        stack="name",
        value="unit_cost",
        lang=lang,
        x_title=TEXTS("fig.kr_per_unit", lang),
    )


def deviation_heat_map(
    df: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    text: str,
    lang: Language,
    colorbar: str = "%",
) -> go.Figure:
    """A heat map of ``value`` (a % deviation, 0 is white) with ``text`` written in each cell.

    The long table ``df`` is pivoted to rows × columns and drawn by the shared
    :func:`toolkit.report.figures.heat_map`, on a colour scale symmetric around 0.
    """
    grid = df.pivot_table(index=row, columns=column, values=value, aggfunc="first")
    labels = df.pivot_table(index=row, columns=column, values=text, aggfunc="first").reindex_like(grid)
    z = grid.to_numpy(dtype=float)
    limit = max(1.0, float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0)
    return figures.heat_map(
        z,
        x=[str(c) for c in grid.columns],
        y=[str(r) for r in grid.index],
        lang=lang,
        colorscale=[[0, figures.COLORS["good"]], [0.5, "#ffffff"], [1, figures.COLORS["bad"]]],
        zmin=-limit,
        zmax=limit,
        text=labels.fillna("").to_numpy(),
        hovertemplate="%{y} · %{x}: %{text} (%{z:+.1f} %)",
        colorbar={"title": {"text": colorbar}, "thickness": 30},  # plotly's default width, as before
        x_side="top",
    )


def capacity_chart(res: UnitCostResults, lang: Language, top: int = 20) -> go.Figure:
    """Used and unused capacity per resource (kr.), utilisation in the hover text."""
    r = scope_resources(res)
    r = r[~r["resource_id"].isin(res.hidden.resources)]  # staff groups under the privacy limit
    r = r.assign(label=resource_label(res, r)).sort_values("capacity_cost", ascending=False).head(top)
    r = r.iloc[::-1]
    used = np.minimum(r["used_cost"], r["capacity_cost"]) / ORE_PER_KR / 1e6
    unused = np.maximum(r["unused_cost"], 0) / ORE_PER_KR / 1e6
    over = np.maximum(-r["unused_cost"], 0) / ORE_PER_KR / 1e6
    util = (r["utilisation"] * 100).round(0)
    fig = go.Figure()
    fig.add_bar(y=r["label"], x=used, name=TEXTS("fig.used", lang), orientation="h", marker_color=figures.COLORS["primary"],
                customdata=util, hovertemplate="%{y}: %{x:,.2f}<extra>%{customdata:.0f} %</extra>")  # fmt: skip
    fig.add_bar(y=r["label"], x=unused, name=TEXTS("fig.unused", lang), orientation="h", marker_color=figures.COLORS["tertiary"],
                hovertemplate="%{y}: %{x:,.2f}<extra></extra>")  # fmt: skip
    if over.sum() > 0:
        fig.add_bar(y=r["label"], x=over, name=TEXTS("fig.over", lang), orientation="h", marker_color=figures.COLORS["bad"],
                    hovertemplate="%{y}: %{x:,.2f}<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_yaxes(type="category")
    fig.update_xaxes(title=TEXTS("fig.mio_kr", lang))
    return figures.style(fig, lang=lang, height=max(260, 90 + 30 * len(r)))


def drg_chart(res: UnitCostResults, ctx: ReportContext) -> go.Figure:
    """Cost against tariff per group (% above or below), largest groups by cost; n and small groups marked."""
    lang = ctx.lang
    d = res.drg.dropna(subset=["index"]) if "cost_hidden" in res.drg else res.drg  # hidden: left out
    d = d.head(settings(ctx.params).top_groups).iloc[::-1]
    small = TEXTS("fig.small", lang)
    labels = [
        f"{g} {name} · n={fmt_number(float(n), 0, lang)}" + (f" ({small})" if sm else "")
        for g, name, n, sm in zip(d["drg_group"], d["name"].fillna(""), d["n"], d["small"], strict=True)
    ]
    gap = (d["index"] - 1) * 100
    colors = [
        figures.COLORS["muted"]
        if sm
        else (
            figures.COLORS["bad"]
            if g > 5
            else (figures.COLORS["good"] if g < -5 else figures.COLORS["secondary"])
        )
        for sm, g in zip(d["small"], gap, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=gap,
            orientation="h",
            marker_color=colors,
            customdata=np.stack([d["mean"], d["tariff"]], axis=1),
            hovertemplate="%{y}<br>%{x:+.1f} %<br>%{customdata[0]:,.0f} / %{customdata[1]:,.0f}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": figures.COLORS["highlight"], "width": 2})
    fig.update_yaxes(type="category")
    fig.update_xaxes(title=TEXTS("fig.vs_tariff", lang), ticksuffix=" %", zeroline=False)
    return figures.style(fig, lang=lang, height=max(280, 90 + 32 * len(d)))


def distribution_chart(res: UnitCostResults, ctx: ReportContext) -> go.Figure:
    """Box plot of cost per contact relative to the tariff (1 = tariff), from precomputed quantiles.

    Quartiles with the 5th and 95th percentiles as whiskers, so that groups with very different
    tariffs (a telephone consultation, a hip replacement) share one axis.
    """
    lang = ctx.lang
    d = res.drg.dropna(subset=["median", "tariff"]).head(settings(ctx.params).top_groups)
    rel = {k: d[k] / d["tariff"] for k in ("q1", "median", "q3", "p05", "p95", "mean")}
    fig = go.Figure(
        go.Box(
            x=d["drg_group"],
            q1=rel["q1"],
            median=rel["median"],
            q3=rel["q3"],
            lowerfence=rel["p05"],
            upperfence=rel["p95"],
            mean=rel["mean"],
            marker_color=figures.COLORS["primary"],
            fillcolor=figures.COLORS["tertiary"],
            showlegend=False,
            name="",
        )
    )
    fig.add_hline(y=1, line={"color": figures.COLORS["highlight"], "dash": "dot", "width": 2})
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=TEXTS("fig.relative", lang), rangemode="tozero")
    return figures.style(fig, lang=lang, height=400)


def sensitivity_chart(res: UnitCostResults, lang: Language) -> go.Figure:
    """Heat map: change in unit cost per activity (rows) for each computation (columns), in %.

    At hospital level each cell shows the largest change over the departments.
    """
    names = catalogue_names(res)
    s = res.sensitivity
    if len(s):  # a hidden unit cost's changes are left out (with the table's variants they give it)
        s = mask_activities(s, res, ["unit_cost", "base_unit_cost", "change_pct"])
    s = s.dropna(subset=["change_pct"]).copy()
    s["label"] = [
        variant_label(k, v, lang, res.base.method) for k, v in zip(s["kind"], s["variant"], strict=True)
    ]
    s = s.groupby(["label", "activity_id"], as_index=False, sort=False)["change_pct"].agg(
        lambda x: x.loc[x.abs().idxmax()]
    )
    s["row"] = s["activity_id"].map(names["activity"])
    s["text"] = [fmt_pct(v, 1, lang, signed=True) for v in s["change_pct"]]
    s["label"] = pd.Categorical(s["label"], categories=list(dict.fromkeys(s["label"])), ordered=True)
    return deviation_heat_map(s, row="row", column="label", value="change_pct", text="text", lang=lang)
