"""The unit-cost report's tables: shown in the sections, or only in the workbook beside the report.

Each function returns a :class:`~toolkit.report.blocks.TableView` of raw values (kr. with øre
where a controller checks them); the sections (:mod:`.views`) decide which to show.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit.analyses.unit_cost.results import (
    UnitCostResults,
    catalogue_names,
    hidden_split,
    mask_activities,
    resource_label,
    shown_activities,
    shown_resources,
    totals,
)
from toolkit.analyses.unit_cost.texts import (
    TEXTS,
    fmt_kr_ore,
    kind_label,
    kr,
    method_label,
    variant_label,
)
from toolkit.core.formatting import Language, fmt_kr, fmt_pct, join_words
from toolkit.measures.costing.allocation import METHODS
from toolkit.measures.costing.money import ORE_PER_KR, to_ore
from toolkit.measures.split_suppression import mask_where
from toolkit.measures.suppression import RESOURCE_COST_COLUMNS, mask_rows
from toolkit.report.blocks import Column, TableView
from toolkit.report.context import ReportContext


def reconciliation_table(res: UnitCostResults, lang: Language) -> TableView:
    """The reconciliation, one column per method (kr. with øre)."""
    lines = (
        ["ledger", "external", "unused", "direct", "activities", "difference"]
        if res.scope == "hospital"
        else [
            "own",
            "received",
            "total",
            "passed_on",
            "external",
            "unused",
            "direct",
            "activities",
            "difference",
        ]
    )
    tbl = res.reconciliation.loc[lines] / ORE_PER_KR
    if res.scope == "hospital":
        tbl.loc["difference"] = res.reconciliation.loc["hospital_difference"] / ORE_PER_KR
    frame = tbl.reset_index().rename(columns={"index": "line"})
    frame["label"] = frame["line"].map(lambda k: TEXTS(f"line.{k}", lang))
    return TableView(
        TEXTS("tbl.reconciliation", lang),
        frame,
        note=TEXTS(f"recon.note.{res.scope}", lang),
        columns=[Column("label", TEXTS("col.line", lang))]
        + [Column(m, method_label(m, lang).capitalize(), "number", decimals=2) for m in METHODS],
    )


def reconciliation_notes(res: UnitCostResults, lang: Language) -> list[str]:
    """Notes under the reconciliation: activity without contact, the whole hospital."""
    notes = []
    tot = totals(res)
    if res.has_contacts and tot["activities"]:
        notes.append(
            TEXTS(
                "unmatched_note",
                lang,
                amount=fmt_kr(kr(tot["unmatched"]), lang),
                pct=fmt_pct(tot["unmatched"] / tot["activities"] * 100, 1, lang),
            )
        )
    if res.scope == "department":
        notes.append(
            TEXTS(
                "hospital_note",
                lang,
                ledger=fmt_kr_ore(kr(tot["ledger"]), lang),
                allocated=fmt_kr_ore(kr(tot["hospital_allocated"]), lang),
                diff=fmt_kr_ore(kr(tot["hospital_difference"]), lang),
            )
        )
    missing = sorted(
        set(res.inp.volume.loc[res.inp.volume["unit_id"].isin(res.inp.scope_units), "activity_id"])
        - set(res.base.usage.loc[res.base.usage["unit_id"].isin(res.inp.scope_units), "activity_id"])
    )
    if missing:
        names = catalogue_names(res)["activity"]
        notes.append(TEXTS("no_standard", lang, names=join_words([names.get(a, a) for a in missing], lang)))
    return notes


def unit_cost_table(res: UnitCostResults, lang: Language) -> TableView:
    """Unit cost per activity (and department at hospital level)."""
    names = catalogue_names(res)
    acts = shown_activities(res)
    acts["name"] = acts["activity_id"].map(names["activity"])
    acts["volume_unit"] = acts["activity_id"].map(names["volume_unit"])
    acts["unit"] = acts["unit_id"].map(names["unit"])
    acts["kind_label"] = acts["centre_kind"].map(lambda k: kind_label(k, lang))
    cols = [Column("name", TEXTS("col.activity", lang))]
    if res.scope == "hospital":
        acts = acts.sort_values(["activity_id", "unit_cost"], kind="stable")
        cols.append(Column("unit", TEXTS("col.unit", lang)))
    cols += [
        Column("volume", TEXTS("col.volume", lang), "int"),
        Column("volume_unit", TEXTS("col.volume_unit", lang)),
        Column("unit_cost", TEXTS("col.unit_cost", lang), "number", decimals=2),
        Column("cost", TEXTS("col.total_cost", lang), "kr"),
        Column("kind_label", TEXTS("col.centre_kind", lang)),
    ]
    return TableView(TEXTS("tbl.unit_costs", lang), acts, cols, suppressed="suppressed")


def split_table(res: UnitCostResults, lang: Language) -> TableView:
    """Unit cost per activity split by resource: minutes × rate."""
    names = catalogue_names(res)
    td = res.base.time_driven
    r = shown_resources(res)
    sp = td.split[td.split["resource_id"].isin(r["resource_id"])].merge(
        r[["resource_id", "name", "kind", "rate"]], on="resource_id"
    )
    sp = mask_rows(sp, res.hidden.resources, key="resource_id", columns=RESOURCE_COST_COLUMNS)
    sp = mask_where(sp, hidden_split(res).part_mask(sp), RESOURCE_COST_COLUMNS)  # the rows' complements
    sp = sp.assign(
        activity=sp["activity_id"].map(names["activity"]),
        unit=sp["unit_id"].map(names["unit"]),
        kind_label=sp["kind"].map(lambda k: kind_label(k, lang)),
        cost=sp["used_cost"] / ORE_PER_KR,
    ).sort_values(["unit_id", "activity_id", "unit_cost"], ascending=[True, True, False], kind="stable")
    cols = [Column("activity", TEXTS("col.activity", lang))]
    if res.scope == "hospital":
        cols.append(Column("unit", TEXTS("col.unit", lang)))
    cols += [
        Column("name", TEXTS("col.resource", lang)),
        Column("kind_label", TEXTS("col.kind", lang)),
        Column("minutes", TEXTS("col.minutes", lang), "number", decimals=1),
        Column("rate", TEXTS("col.rate", lang), "number", decimals=2),
        Column("unit_cost", TEXTS("col.unit_cost", lang), "number", decimals=2),
        Column("cost", TEXTS("col.total_cost", lang), "kr"),
    ]
    return TableView(TEXTS("tbl.split", lang), sp, cols, suppressed="suppressed")


def capacity_table(res: UnitCostResults, lang: Language) -> TableView:
    """Capacity per resource: cost, practical, used and unused time and cost, utilisation."""
    r = shown_resources(res)
    r = r.assign(
        label=resource_label(res, r),
        kind_label=r["kind"].map(lambda k: kind_label(k, lang)),
        capacity=r["capacity_cost"] / ORE_PER_KR,
        used=r["used_cost"] / ORE_PER_KR,
        unused=r["unused_cost"] / ORE_PER_KR,
        practical_hours=r["practical_minutes"] / 60,
        used_hours=r["used_minutes"] / 60,
        unused_hours=r["unused_minutes"] / 60,
        utilisation_pct=r["utilisation"] * 100,
        share_pct=r["practical_share"] * 100,
    ).sort_values("unused", ascending=False, kind="stable")
    return TableView(
        TEXTS("tbl.capacity", lang),
        r,
        [
            Column("label", TEXTS("col.resource", lang)),
            Column("capacity", TEXTS("col.capacity_cost", lang), "kr"),
            Column("share_pct", TEXTS("col.share_used", lang), "pct", decimals=0),
            Column("practical_hours", TEXTS("col.practical_hours", lang), "int"),
            Column("used_hours", TEXTS("col.used_hours", lang), "int"),
            Column("utilisation_pct", TEXTS("col.utilisation", lang), "pct", decimals=0),
            Column("rate", TEXTS("col.rate", lang), "number", decimals=2),
            Column("unused", TEXTS("col.unused_cost", lang), "kr"),
        ],
        suppressed="suppressed",
    )


def capacity_minutes_table(res: UnitCostResults, lang: Language) -> TableView:
    """Capacity per resource in minutes and kr. with øre (workbook: for checking every rate)."""
    r = shown_resources(res)
    r = r.assign(
        label=resource_label(res, r),
        kind_label=r["kind"].map(lambda k: kind_label(k, lang)),
        **{k: r[k] / ORE_PER_KR for k in ("capacity_cost", "used_cost", "unused_cost")},
        utilisation_pct=r["utilisation"] * 100,
    )
    return TableView(
        TEXTS("tbl.capacity_minutes", lang),
        r,
        [
            Column("resource_id", TEXTS("col.resource", lang)),
            Column("label", TEXTS("col.name", lang)),
            Column("kind_label", TEXTS("col.kind", lang)),
            Column("cost_centre_id", TEXTS("col.centre", lang)),
            Column("capacity_cost", TEXTS("col.capacity_cost", lang), "number", decimals=2),
            Column("theoretical_minutes", TEXTS("col.theoretical_minutes", lang), "number", decimals=0),
            Column("practical_minutes", TEXTS("col.practical_minutes", lang), "number", decimals=0),
            Column("used_minutes", TEXTS("col.used_minutes", lang), "number", decimals=0),
            Column("unused_minutes", TEXTS("col.unused_minutes", lang), "number", decimals=0),
            Column("utilisation_pct", TEXTS("col.utilisation", lang), "pct", decimals=1),
            Column("rate", TEXTS("col.rate", lang), "number", decimals=4),
            Column("used_cost", TEXTS("col.used_cost", lang), "number", decimals=2),
            Column("unused_cost", TEXTS("col.unused_cost", lang), "number", decimals=2),
        ],
        suppressed="suppressed",
    )


def drg_table(res: UnitCostResults, ctx: ReportContext) -> TableView:
    """Cost per DRG/DAGS group against the tariff, with n and the small-group marker."""
    lang = ctx.lang
    return TableView(
        TEXTS("tbl.drg", lang),
        res.drg,
        [
            Column("drg_group", TEXTS("col.group", lang)),
            Column("name", TEXTS("col.name", lang)),
            Column("n", TEXTS("col.n", lang), "int"),
            Column("mean", TEXTS("col.mean", lang), "kr_full"),
            Column("tariff", TEXTS("col.tariff", lang), "kr_full"),
            Column("index", TEXTS("col.index", lang), "number", decimals=2),
            Column("gap", TEXTS("col.gap", lang), "kr", signed=True),
            Column("small", TEXTS("col.small", lang), "bool"),
        ],
        note=drg_hidden_note(res, lang),
        suppressed="suppressed" if "suppressed" in res.drg else None,
    )


def drg_hidden_note(res: UnitCostResults, lang: Language) -> str | None:
    """The note under the DRG tables where a group's cost or spread is hidden (``None`` otherwise)."""
    if "suppressed" not in res.drg or not res.drg["suppressed"].any():
        return None
    return TEXTS("note.drg_hidden", lang, n=res.hidden.min_group_size)


def drg_distribution_table(res: UnitCostResults, lang: Language) -> TableView:
    """The spread of cost per contact per group (workbook)."""
    return TableView(
        "DRG-spredning" if lang == "da" else "DRG spread",
        res.drg,
        [
            Column("drg_group", TEXTS("col.group", lang)),
            Column("n", TEXTS("col.n", lang), "int"),
            Column("p05", TEXTS("col.p05", lang), "kr_full"),
            Column("q1", TEXTS("col.q1", lang), "kr_full"),
            Column("median", TEXTS("col.median", lang), "kr_full"),
            Column("q3", TEXTS("col.q3", lang), "kr_full"),
            Column("p95", TEXTS("col.p95", lang), "kr_full"),
            Column("mean", TEXTS("col.mean", lang), "kr_full"),
        ],
        note=drg_hidden_note(res, lang),
        suppressed="suppressed" if "suppressed" in res.drg else None,
    )


def match_table(res: UnitCostResults, lang: Language) -> TableView:
    """Activity in the volume table against activity recorded on contacts (workbook)."""
    names = catalogue_names(res)
    m = res.contacts.matched.copy() if res.contacts is not None else pd.DataFrame()
    m = m.assign(
        activity=m["activity_id"].map(names["activity"]),
        unit=m["unit_id"].map(names["unit"]),
        used=m["used_cost"] / ORE_PER_KR,
        matched=m["matched_cost"] / ORE_PER_KR,
        unmatched=m["unmatched_cost"] / ORE_PER_KR,
    )
    if len(m):  # an activity whose unit cost is hidden: its cost over the volume would be it
        m = mask_activities(m, res, ["used", "matched", "unmatched"])
    return TableView(
        TEXTS("tbl.match", lang),
        m,
        [
            Column("unit", TEXTS("col.unit", lang)),
            Column("activity", TEXTS("col.activity", lang)),
            Column("volume", TEXTS("col.volume", lang), "int"),
            Column("contact_quantity", TEXTS("col.contact_quantity", lang), "int"),
            Column("used", TEXTS("col.used_cost", lang), "number", decimals=2),
            Column("matched", TEXTS("col.matched", lang), "number", decimals=2),
            Column("unmatched", TEXTS("col.unmatched", lang), "number", decimals=2),
        ],
        suppressed="suppressed" if "suppressed" in m else None,
    )


def sensitivity_table(res: UnitCostResults, lang: Language) -> TableView:
    """Unit cost per activity under each variant, and the change against the chosen computation."""
    names = catalogue_names(res)
    s = res.sensitivity.copy()
    if len(s):  # a hidden unit cost is hidden under every variant (and its change against it)
        s = mask_activities(s, res, ["unit_cost", "base_unit_cost", "change_pct"])
    s["activity"] = s["activity_id"].map(names["activity"])
    s["unit"] = s["unit_id"].map(names["unit"])
    s["label"] = [
        variant_label(k, v, lang, res.base.method) for k, v in zip(s["kind"], s["variant"], strict=True)
    ]
    cols = [Column("label", TEXTS("col.variant", lang)), Column("activity", TEXTS("col.activity", lang))]
    if res.scope == "hospital":
        cols.append(Column("unit", TEXTS("col.unit", lang)))
    cols += [
        Column("unit_cost", TEXTS("col.unit_cost", lang), "number", decimals=2),
        Column("change_pct", TEXTS("col.change", lang), "pct", decimals=1, signed=True),
    ]
    return TableView(
        TEXTS("tbl.sensitivity", lang), s, cols, suppressed="suppressed" if "suppressed" in s else None
    )


def overhead_table(res: UnitCostResults, lang: Language) -> TableView:
    """Flows into (and, for a service department, out of) the scope's centres, with keys and shares."""
    names = catalogue_names(res)
    f = res.base.allocation.flows
    scope = set(res.inp.scope_centres)
    if res.scope == "hospital":
        f = f[f["amount"] != 0]
    else:
        f = f[(f["to_centre"].isin(scope) | f["from_centre"].isin(scope)) & (f["amount"] != 0)]
    key_total = res.base.allocation.flows.groupby("from_centre")["quantity"].sum()
    f = f.assign(
        from_name=f["from_centre"].map(names["centre"]),
        to_name=f["to_centre"].map(names["centre"]),
        key_total=f["from_centre"].map(key_total),
        share_pct=f["share"] * 100,
        kr=f["amount"] / ORE_PER_KR,
    ).sort_values(["from_centre", "amount"], ascending=[True, False], kind="stable")
    return TableView(
        TEXTS("tbl.allocation", lang),
        f,
        [
            Column("from_name", TEXTS("col.from", lang)),
            Column("to_name", TEXTS("col.to", lang)),
            Column("driver", TEXTS("col.key", lang)),
            Column("quantity", TEXTS("col.quantity", lang), "number", decimals=0),
            Column("key_total", TEXTS("col.key_total", lang), "number", decimals=0),
            Column("share_pct", TEXTS("col.share", lang), "pct", decimals=1),
            Column("kr", TEXTS("col.amount", lang), "number", decimals=2),
        ],
    )


def centres_table(res: UnitCostResults, lang: Language) -> TableView:
    """Every cost centre's own, received, passed-on and retained cost (workbook; hospital shows it)."""
    names = catalogue_names(res)
    c = res.base.allocation.centres
    if res.scope == "department":
        senders = set(
            res.base.allocation.flows.loc[
                res.base.allocation.flows["to_centre"].isin(res.inp.scope_centres), "from_centre"
            ]
        )
        c = c[c["cost_centre_id"].isin(set(res.inp.scope_centres) | senders)]
        c = c.assign(own=np.where(c["cost_centre_id"].isin(res.inp.scope_centres), c["own"], np.nan))
    frame = c.assign(
        name=c["cost_centre_id"].map(names["centre"]),
        kind_label=c["kind"].map(lambda k: kind_label(k, lang)),
        **{k: c[k] / ORE_PER_KR for k in ("own", "received", "total", "passed_on", "retained")},
    )
    frame = mask_rows(frame, res.hidden.centres, key="cost_centre_id", columns=["own", "total", "retained"])
    return TableView(
        TEXTS("tbl.centres", lang),
        frame,
        [
            Column("cost_centre_id", TEXTS("col.centre", lang)),
            Column("name", TEXTS("col.name", lang)),
            Column("kind_label", TEXTS("col.centre_kind", lang)),
            Column("own", TEXTS("col.own", lang), "number", decimals=2),
            Column("received", TEXTS("col.received", lang), "number", decimals=2),
            Column("total", TEXTS("col.pool", lang), "number", decimals=2),
            Column("passed_on", TEXTS("col.passed_on", lang), "number", decimals=2),
            Column("retained", TEXTS("col.retained", lang), "number", decimals=2),
        ],
        suppressed="suppressed",
    )


def matrix_tables(res: UnitCostResults, lang: Language) -> list[TableView]:
    """The allocation matrix of every method (workbook): sending centre × receiving centre, kr.

    The hospital's report has the full matrix; a department's has the columns of its own centres
    (and, for a service department, the rows it sends) with each sender's pool, so every share can
    be checked without showing other departments' costs.
    """
    out = []
    scope = set(res.inp.scope_centres)
    order = list(res.inp.centres["cost_centre_id"])
    for method, c in res.by_method.items():
        f = c.allocation.flows
        if res.scope == "department":
            f = f[f["to_centre"].isin(scope) | f["from_centre"].isin(scope)]
        m = f.pivot_table(
            index="from_centre", columns="to_centre", values="amount", aggfunc="sum", fill_value=0
        )
        m = m.reindex(index=[x for x in order if x in m.index], columns=[x for x in order if x in m.columns])
        m = m / ORE_PER_KR
        pools = c.allocation.centres.set_index("cost_centre_id")["total"] / ORE_PER_KR
        frame = m.reset_index().rename(columns={"from_centre": "centre"})
        frame.insert(1, "pool", frame["centre"].map(pools))
        cols = [
            Column("centre", TEXTS("col.from", lang)),
            Column("pool", TEXTS("col.pool", lang), "number", decimals=2),
        ]
        cols += [Column(str(x), str(x), "number", decimals=2) for x in m.columns]
        label = (
            {"direct": "D", "step_down": "T", "reciprocal": "G"}
            if lang == "da"
            else {"direct": "D", "step_down": "S", "reciprocal": "R"}
        )
        out.append(
            TableView(
                f"{TEXTS('tbl.matrix', lang)} {label[method]}",
                frame,
                cols,
                title=f"{TEXTS('tbl.matrix', lang)}: {method_label(method, lang)}",
            )
        )
    return out


def ledger_table(res: UnitCostResults, lang: Language) -> TableView:
    """The scope's ledger by cost centre and cost type (workbook): the starting point."""
    names = catalogue_names(res)
    led = res.inp.ledger[res.inp.ledger["cost_centre_id"].isin(res.inp.scope_centres)]
    g = (
        led.assign(ore=to_ore(led["amount"]))
        .groupby(["cost_centre_id", "cost_type"], as_index=False)["ore"]
        .sum()
    )
    g = g.assign(
        name=g["cost_centre_id"].map(names["centre"]),
        type_name=g["cost_type"].map(names["cost_type"]),
        kr=g["ore"] / ORE_PER_KR,
    )
    g = mask_rows(g, res.hidden.centres, key="cost_centre_id", columns=["kr"])  # a lone small staff group
    return TableView(
        TEXTS("tbl.ledger", lang),
        g,
        [
            Column("cost_centre_id", TEXTS("col.centre", lang)),
            Column("name", TEXTS("col.name", lang)),
            Column("type_name", TEXTS("col.cost_type", lang)),
            Column("kr", TEXTS("col.amount", lang), "number", decimals=2),
        ],
        suppressed="suppressed",
    )
