"""The top of the unit-cost report: the headline sentences, the KPI cards and the KPI values.

The headline states its sentences in a fixed reading order (the scope's total, a service
centre's passing on, unit costs, unused capacity, the DRG comparison, the sensitivity) and
keeps the first ones (:func:`toolkit.report.narrative.in_order`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.analyses.unit_cost.params import settings
from toolkit.analyses.unit_cost.results import (
    UnitCostResults,
    catalogue_names,
    resource_label,
    scope_resources,
    shown_activities,
    totals,
    unused_share_pct,
    worst_difference,
)
from toolkit.analyses.unit_cost.texts import (
    TEXTS,
    fmt_kr_ore,
    fmt_unit_cost,
    in_sentence,
    kr,
    method_label,
    period_label,
)
from toolkit.core.formatting import Language, fmt_kr, fmt_number, fmt_pct, join_words
from toolkit.measures.costing.allocation import FINAL, INTERMEDIATE
from toolkit.measures.costing.contacts import overall_index
from toolkit.report.blocks import SUPPRESSED_MARK, Card, Report
from toolkit.report.context import ReportContext
from toolkit.report.narrative import in_order


def headline(res: UnitCostResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences, generated from the numbers, most important first."""
    lang: Language = ctx.lang
    names = catalogue_names(res)
    tot = totals(res)
    period = period_label(res.inp.months, lang)
    unit = ctx.unit.name
    out: list[str] = []
    scope = res.scope_centres
    if res.scope == "hospital":
        total = tot["ledger"]
        out.append(
            TEXTS(
                "hl.hospital",
                lang,
                unit=unit,
                total=fmt_kr(kr(total), lang),
                period=period,
                pct_a=fmt_pct(tot["activities"] / total * 100, 0, lang),
                pct_d=fmt_pct(tot["direct"] / total * 100, 0, lang),
                pct_u=fmt_pct(tot["unused"] / total * 100, 0, lang),
                pct_e=fmt_pct(tot["external"] / total * 100, 0, lang),
            )
        )
    elif (scope["kind"] == FINAL).any():
        senders = res.base.allocation.flows
        senders = senders[senders["to_centre"].isin(res.inp.scope_centres) & (senders["amount"] > 0)]
        if tot["received"] == 0:
            out.append(
                TEXTS("hl.total_own", lang, unit=unit, total=fmt_kr(kr(tot["total"]), lang), period=period)
            )
        else:
            out.append(
                TEXTS(
                    "hl.total",
                    lang,
                    unit=unit,
                    total=fmt_kr(kr(tot["total"]), lang),
                    period=period,
                    own=fmt_kr(kr(tot["own"]), lang),
                    received=fmt_kr(kr(tot["received"]), lang),
                    n=senders["from_centre"].nunique(),
                    method=method_label(res.base.method, lang),
                )
            )
    if res.scope == "department" and (scope["kind"] == INTERMEDIATE).any():
        out.append(_service_sentence(res, ctx))
    out.append(_unit_cost_sentence(res, lang, names))
    out.append(_unused_sentence(res, lang))
    if res.has_contacts and (drg_text := _drg_sentence(res, ctx)):
        out.append(drg_text)
    sens = _sensitivity_sentence(res, lang)
    if sens:
        out.append(sens)
    return in_order(out)


def _service_sentence(res: UnitCostResults, ctx: ReportContext) -> str:
    lang = ctx.lang
    scope = res.scope_centres
    service = scope[scope["kind"] == INTERMEDIATE]
    flows = res.base.allocation.flows
    out = flows[flows["from_centre"].isin(service["cost_centre_id"]) & (flows["amount"] > 0)]
    receivers = res.inp.centres.set_index("cost_centre_id").loc[out["to_centre"], "unit_id"].nunique()
    total = int(service["total"].sum())
    passed = int(service["passed_on"].sum())
    keys = join_words(sorted(set(out["driver"])), lang)
    return TEXTS(
        "hl.service",
        lang,
        unit=join_words([catalogue_names(res)["centre"].get(c, c) for c in service["cost_centre_id"]], lang),
        total=fmt_kr(kr(total), lang),
        period=period_label(res.inp.months, lang),
        passed=fmt_kr(kr(passed), lang),
        pct=fmt_pct(passed / total * 100 if total else np.nan, 0, lang),
        n=receivers,
        key=keys,
    )


def _unit_cost_sentence(res: UnitCostResults, lang: Language, names: dict[str, dict[str, str]]) -> str:
    acts = shown_activities(res)
    acts = acts[(acts["volume"] > 0) & ~acts["suppressed"]]  # a hidden unit cost is named nowhere
    if acts.empty:
        return ""
    if res.scope == "hospital":
        by = acts[acts["centre_kind"] == FINAL].groupby("activity_id")
        top = by["used_cost"].sum().sort_values(ascending=False).index[:2]
        parts = []
        for a in top:
            g = acts[(acts["activity_id"] == a)].sort_values("unit_cost")
            if len(g) < 2:
                continue
            lo, hi = g.iloc[0], g.iloc[-1]
            parts.append(
                TEXTS(
                    "hl.range",
                    lang,
                    name=names["activity"].get(a, a),
                    low=fmt_unit_cost(lo["unit_cost"], lang),
                    low_unit=lo["unit_id"],
                    high=fmt_unit_cost(hi["unit_cost"], lang),
                    high_unit=hi["unit_id"],
                )
            )
        return " ".join(parts)
    top = acts.head(3)
    items = [
        TEXTS(
            "hl.unit_cost_item",
            lang,
            name=in_sentence(names["activity"].get(a, a), lang),
            kr=fmt_unit_cost(c, lang),
        )
        for a, c in zip(top["activity_id"], top["unit_cost"], strict=True)
    ]
    return TEXTS("hl.unit_costs", lang, items=join_words(items, lang))


def _unused_sentence(res: UnitCostResults, lang: Language) -> str:
    r = scope_resources(res)
    if r.empty:
        return ""
    capacity = float(r["capacity_cost"].sum())
    unused = float(r["unused_cost"].sum())
    r = r.assign(label=resource_label(res, r))
    worst = r.sort_values("unused_cost", ascending=False).iloc[0]
    text = TEXTS(
        "hl.unused",
        lang,
        kr=fmt_kr(kr(unused), lang),
        pct=fmt_pct(unused / capacity * 100 if capacity else np.nan, 0, lang),
        resource=worst["label"],
        rpct=fmt_pct((1 - worst["utilisation"]) * 100, 0, lang),
    )
    over = r[r["utilisation"] > 1.02].sort_values("utilisation", ascending=False)
    if len(over):
        o = over.iloc[0]
        text += TEXTS(
            "hl.over", lang, resource=o["label"], pct=fmt_pct((o["utilisation"] - 1) * 100, 0, lang)
        )
    return text


def _drg_sentence(res: UnitCostResults, ctx: ReportContext) -> str:
    lang = ctx.lang
    d = res.drg
    idx = overall_index(d)
    shown = d.dropna(subset=["gap"])  # a group whose cost is hidden is named nowhere
    if shown.empty or pd.isna(idx):
        return ""
    big = shown[~shown["small"]]
    pick = big if len(big) else shown
    worst = pick.loc[pick["gap"].abs().idxmax()]
    text = TEXTS(
        "hl.drg",
        lang,
        pct=fmt_pct(abs(idx - 1) * 100, 0, lang),
        dir=TEXTS("hl.above" if idx >= 1 else "hl.below", lang),
        idx=fmt_number(idx, 2, lang),
        n=fmt_number(float(d["n"].sum()), 0, lang),
        group=worst["drg_group"],
        name=worst["name"],
        gidx=fmt_number(worst["index"], 2, lang),
        gn=fmt_number(float(worst["n"]), 0, lang),
    )
    small = int(d["small"].sum())
    if small:
        key = "hl.small_one" if small == 1 else "hl.small"
        text += TEXTS(key, lang, k=small, n=settings(ctx.params).small_group_contacts)
    return text


def _sensitivity_sentence(res: UnitCostResults, lang: Language) -> str:
    s = res.sensitivity.dropna(subset=["change_pct"])
    if s.empty:
        return ""
    methods = s[s["kind"] == "method"]
    shares = s[s["kind"] == "share"]
    if methods.empty or shares.empty:
        return ""
    share_row = shares.loc[shares["change_pct"].abs().idxmax()]
    if float(methods["change_pct"].abs().max()) < 0.05:  # no intermediate centres: the method cannot matter
        return TEXTS(
            "hl.share_only",
            lang,
            share=fmt_pct(float(share_row["variant"]) * 100, 0, lang),
            share_pct=fmt_pct(float(shares["change_pct"].abs().max()), 0, lang),
        )
    return TEXTS(
        "hl.sensitivity",
        lang,
        method_pct=fmt_pct(float(methods["change_pct"].abs().max()), 1, lang),
        share=fmt_pct(float(share_row["variant"]) * 100, 0, lang),
        share_pct=fmt_pct(float(shares["change_pct"].abs().max()), 0, lang),
    )


def cards(res: UnitCostResults, ctx: ReportContext) -> list[Card]:
    """The KPI boxes under the headline."""
    lang = ctx.lang
    tot = totals(res)
    out = []
    if res.scope == "hospital":
        out.append(
            Card(TEXTS("card.total", lang), fmt_kr(kr(tot["ledger"]), lang), TEXTS("card.ledger", lang))
        )
        out.append(
            Card(
                TEXTS("card.external", lang),
                fmt_kr(kr(tot["external"]), lang),
                fmt_pct(tot["external"] / tot["ledger"] * 100, 1, lang),
            )
        )
    else:
        total = tot["total"]
        out.append(
            Card(
                TEXTS("card.total", lang),
                fmt_kr(kr(total), lang),
                TEXTS(
                    "card.received",
                    lang,
                    pct=fmt_pct(tot["received"] / total * 100 if total else np.nan, 0, lang),
                ),
            )
        )
        if tot["passed_on"]:
            flows = res.base.allocation.flows
            out_f = flows[flows["from_centre"].isin(res.inp.scope_centres) & (flows["amount"] > 0)]
            out.append(
                Card(
                    TEXTS("card.passed_on", lang),
                    fmt_kr(kr(tot["passed_on"]), lang),
                    TEXTS(
                        "card.passed_on_detail",
                        lang,
                        n=out_f["to_centre"].nunique(),
                        key=join_words(sorted(set(out_f["driver"])), lang),
                    ),
                )
            )
    unused_pct = unused_share_pct(res)
    out.append(
        Card(
            TEXTS("card.unused", lang),
            fmt_kr(kr(tot["unused"]), lang),
            TEXTS("card.unused_detail", lang, pct=fmt_pct(unused_pct, 0, lang)),
            "red" if unused_pct > 20 else ("amber" if unused_pct > 10 else "green"),
        )
    )
    if res.has_contacts:
        idx = overall_index(res.drg)  # over the groups whose cost is shown
        out.append(
            Card(
                TEXTS("card.index", lang),
                SUPPRESSED_MARK if pd.isna(idx) else fmt_number(idx, 2, lang),
                TEXTS("card.index_detail", lang, n=fmt_number(float(res.drg["n"].sum()), 0, lang)),
                "neutral" if pd.isna(idx) else ("red" if idx > 1.05 else ("amber" if idx > 1.0 else "green")),
            )
        )
    worst = worst_difference(res)
    out.append(
        Card(
            TEXTS("card.reconciled", lang),
            fmt_kr_ore(kr(worst), lang),
            TEXTS("card.reconciled_detail", lang),
            "green" if worst == 0 else "red",
        )
    )
    return out


def record_kpis(report: Report, res: UnitCostResults, ctx: ReportContext) -> None:
    """The headline values for the JSON file beside the report."""
    lang = ctx.lang
    tot = totals(res)
    names = catalogue_names(res)
    total = tot["ledger"] if res.scope == "hospital" else tot["total"]
    report.kpi("total_cost_kr", TEXTS("card.total", lang), kr(total), "kr")
    if res.scope == "department":
        report.kpi("received_kr", TEXTS("col.received", lang), kr(tot["received"]), "kr")
    report.kpi("unused_capacity_kr", TEXTS("card.unused", lang), kr(tot["unused"]), "kr")
    report.kpi("unused_capacity_pct", TEXTS("card.unused", lang), unused_share_pct(res), "%")  # NaN: null
    report.kpi("direct_to_contacts_kr", TEXTS("node.direct", lang), kr(tot["direct"]), "kr")
    worst = worst_difference(res)
    report.kpi("reconciliation_difference_kr", TEXTS("card.reconciled", lang), kr(worst), "kr")
    if res.has_contacts:
        report.kpi("drg_index", TEXTS("card.index", lang), overall_index(res.drg), "index")
        report.kpi("contacts", TEXTS("col.n", lang), float(res.drg["n"].sum()), "contacts")
    if res.scope == "department":
        for row in shown_activities(res).itertuples(index=False):
            if row.volume > 0:
                report.kpi(
                    f"unit_cost_{row.activity_id}",
                    names["activity"].get(row.activity_id, row.activity_id),
                    None if row.suppressed else row.unit_cost,
                    f"kr/{names['volume_unit'].get(row.activity_id) or 'unit'}",
                )
