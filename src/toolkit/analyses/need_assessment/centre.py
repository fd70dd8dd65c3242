"""The centre report: the departments' need assessments rolled up (``need-assessment-centre``).

The second report of the analysis, reached as ``need_assessment.centre``. Its entry points,
as the notebook calls them: :func:`title`, :func:`load`, :func:`compute`, :func:`headline`,
:func:`cards`, :func:`record_kpis`, :func:`note` (departments left out or without a
workshop), :func:`has_departments`, the section views :func:`top`, :func:`heat_map`,
:func:`departments`, :func:`gaps` and :func:`weights`, :func:`nothing` (the text shown instead
of the sections when no department has data), :func:`definitions` and
:func:`appendix_parameters`. The centre sees its departments only through the agreed
aggregate (:mod:`.rollup`), never through their raw data or forms.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.need_assessment import tables
from toolkit.analyses.need_assessment.charts import score_bars, score_heat_map
from toolkit.analyses.need_assessment.labels import cell_list, decap, level_label, split_items, tool_names
from toolkit.analyses.need_assessment.params import settings
from toolkit.analyses.need_assessment.rollup import (
    CentreData,
    CentreNeeds,
    centre_gaps,
    compute,
    high_missing_registration,
    load,
)
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.analyses.need_assessment.views import appendix_parameters
from toolkit.analyses.need_assessment.views import definitions as department_definitions
from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language, fmt_number, join_words
from toolkit.report.blocks import Card, Column, Note, Paragraph, Report, Section, TableView
from toolkit.report.context import ReportContext
from toolkit.report.narrative import in_order

#: How many activities the centre's top list and chart show.
TOP = 10

__all__ = [
    "CentreData",
    "CentreNeeds",
    "appendix_parameters",
    "cards",
    "compute",
    "definitions",
    "departments",
    "gaps",
    "has_departments",
    "headline",
    "heat_map",
    "load",
    "note",
    "nothing",
    "record_kpis",
    "title",
    "top",
    "weights",
]


def title(lang: Language) -> str:
    """The centre report's title."""
    return TEXTS("centre_title", lang)


# --------------------------------------------------------------------------- overview


def headline(cn: CentreNeeds, ctx: ReportContext) -> list[str]:
    """3–5 sentences about the centre's needs, in a fixed reading order."""
    lang = ctx.lang
    p = settings(ctx.params)
    rows = cn.rows.dropna(subset=["score"])
    if rows.empty:
        return [TEXTS("centre_none", lang)]
    top_row = rows.iloc[0]
    out = [
        TEXTS(
            "hl.centre_top",
            lang,
            n=rows["unit_id"].nunique(),
            high=int((rows["level"] == "high").sum()),
            name=top_row["name"],
            dept=top_row["department"],
            score=fmt_number(top_row["score"], 1, lang),
        )
    ]
    counts = centre_gaps(cn)
    if len(counts):
        tool = decap(tool_names([counts["tool"].iloc[0]], p, lang)[0])
        out.append(TEXTS("hl.centre_gap", lang, tool=tool, n=int(counts["count"].iloc[0])))
    missing = high_missing_registration(cn)
    if len(missing):
        out.append(TEXTS("hl.centre_registration", lang, n=len(missing)))
    with_forms = rows.groupby("unit_id")["unit_raters"].max()
    n_forms = int((with_forms > 0).sum())
    key = "hl.centre_forms_all" if n_forms == len(with_forms) else "hl.centre_forms"
    out.append(TEXTS(key, lang, n=n_forms, total=len(with_forms)))
    return in_order(out)


def cards(cn: CentreNeeds, ctx: ReportContext) -> list[Card]:
    """The boxes under the centre headline."""
    lang = ctx.lang
    rows = cn.rows.dropna(subset=["score"])
    n_high = int((rows["level"] == "high").sum())
    counts = centre_gaps(cn)
    with_forms = rows.groupby("unit_id")["unit_raters"].max() if len(rows) else pd.Series(dtype=float)
    missing = high_missing_registration(cn)
    return [
        Card(
            TEXTS("card.departments", lang),
            fmt_number(rows["unit_id"].nunique(), 0, lang),
            TEXTS("card.departments_detail", lang, n=int((with_forms > 0).sum())),
            "amber" if cn.failed else "neutral",
        ),
        Card(
            TEXTS("card.high", lang),
            fmt_number(n_high, 0, lang),
            TEXTS("card.high_detail", lang, limit=fmt_number(settings(ctx.params).high_need, 1, lang)),
            "amber" if n_high else "green",
        ),
        Card(
            TEXTS("card.gap", lang),
            fmt_number(int(counts["count"].sum()) if len(counts) else 0, 0, lang),
            TEXTS("card.gap_detail", lang),
        ),
        Card(
            TEXTS("card.registration", lang),
            fmt_number(len(missing), 0, lang),
            TEXTS("card.registration_detail", lang),
            "red" if len(missing) else "green",
        ),
    ]


def record_kpis(report: Report, cn: CentreNeeds, ctx: ReportContext) -> None:
    """The centre's headline values for the JSON file."""
    lang = ctx.lang
    rows = cn.rows.dropna(subset=["score"])
    n_high = int((rows["level"] == "high").sum())
    report.kpi("departments", TEXTS("card.departments", lang), float(rows["unit_id"].nunique()), "count")
    report.kpi("high_need_activities", TEXTS("card.high", lang), float(n_high), "count")
    report.kpi(
        "top_score", TEXTS("card.top", lang), float(rows["score"].iloc[0]) if len(rows) else None, "score 1-5"
    )
    counts = centre_gaps(cn)
    report.kpi(
        "missing_tools_high_need",
        TEXTS("card.gap", lang),
        float(counts["count"].sum()) if len(counts) else 0.0,
        "count",
    )


def note(cn: CentreNeeds, ctx: ReportContext) -> Section | None:
    """A note under the cards: departments left out (failed data) or assessed on data only."""
    lang = ctx.lang
    units = ctx.source.units()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    notes = []
    if cn.failed:
        notes.append(TEXTS("centre_missing", lang, names=join_words([names[u] for u in cn.failed], lang)))
    raters = cn.rows.groupby("unit_id")["unit_raters"].max()
    none = sorted(names[u] for u in raters.index[raters == 0])
    if none:
        notes.append(TEXTS("centre_no_forms", lang, names=join_words(none, lang)))
    return Section(None, None, [Note(" ".join(notes))]) if notes else None


def has_departments(cn: CentreNeeds) -> bool:
    """True when some department has rows in the period (else :func:`nothing` is shown)."""
    return bool(len(cn.rows))


def nothing(cn: CentreNeeds, ctx: ReportContext) -> Section | None:
    """What the report says instead of its sections when no department has data in the period."""
    return None if has_departments(cn) else Section(None, None, [Paragraph(TEXTS("centre_none", ctx.lang))])


# --------------------------------------------------------------------------- sections


def top(cn: CentreNeeds, ctx: ReportContext) -> Section | None:
    """The highest-scoring activities across the departments: chart and table."""
    if not has_departments(cn):
        return None
    lang = ctx.lang
    return Section(
        TEXTS("sec.centre_top", lang),
        TEXTS("sec.centre_top.lead", lang, n=min(TOP, len(cn.rows))),
        [top_chart(cn, ctx), top_table(cn, ctx)],
    )


def heat_map(cn: CentreNeeds, ctx: ReportContext) -> Section | None:
    """Department × activity scores."""
    if not has_departments(cn):
        return None
    return Section(TEXTS("sec.centre_map", ctx.lang), None, [heatmap_chart(cn, ctx)])


def departments(cn: CentreNeeds, ctx: ReportContext) -> Section | None:
    """The top activities of each department."""
    if not has_departments(cn):
        return None
    lang = ctx.lang
    return Section(
        TEXTS("sec.centre_dept", lang, n=settings(ctx.params).top_n), None, [department_table(cn, ctx)]
    )


def gaps(cn: CentreNeeds, ctx: ReportContext) -> Section | None:
    """The tools missing for high-need activities, or that none is missing."""
    if not has_departments(cn):
        return None
    lang = ctx.lang
    view = gaps_table(cn, ctx)
    block = view if len(view.frame) else Paragraph(TEXTS("centre_no_gaps", lang))
    return Section(TEXTS("sec.centre_gaps", lang), TEXTS("sec.centre_gaps.lead", lang), [block])


def weights(cn: CentreNeeds, ctx: ReportContext) -> Section:
    """The centre's own weights and rules (each department is scored with its own)."""
    lang = ctx.lang
    p = settings(ctx.params)
    return Section(
        TEXTS("sec.weights", lang),
        TEXTS("sec.weights.lead", lang),
        [tables.weights_table(p, lang), tables.rules_table(p, lang)],
    )


def definitions() -> list[Definition]:
    """The centre report's definitions: the roll-up, then the department report's."""
    return [DEFINITIONS["need_rollup"], *department_definitions()]


# --------------------------------------------------------------------------- tables and charts


def top_table(cn: CentreNeeds, ctx: ReportContext, n: int = TOP) -> TableView:
    """The highest-scoring activities across the departments."""
    lang = ctx.lang
    p = settings(ctx.params)
    df = cn.rows.head(n).copy()
    df["level_label"] = df["level"].map(lambda v: level_label(v, lang))
    df["gap_names"] = df["gap"].map(lambda g: cell_list(tool_names(split_items(g), p, lang)))
    df["both"] = df["in_hours"].astype(bool) & df["in_finance"].astype(bool)
    return TableView(
        "Største behov" if lang == "da" else "Highest needs",
        df,
        [
            Column("department", TEXTS("col.department", lang)),
            Column("name", TEXTS("col.activity", lang)),
            Column("score", TEXTS("col.score", lang), "number", decimals=1),
            Column("level_label", TEXTS("col.level", lang)),
            Column("spread", TEXTS("col.spread", lang), "number", decimals=1),
            Column("cost_share_pct", TEXTS("col.cost_share", lang), "pct"),
            Column("gap_names", TEXTS("col.gap", lang)),
            Column("both", TEXTS("col.both", lang), "bool"),
        ],
    )


def department_table(cn: CentreNeeds, ctx: ReportContext) -> TableView:
    """The top activities of each department."""
    lang = ctx.lang
    p = settings(ctx.params)
    df = (
        cn.rows[pd.to_numeric(cn.rows["rank"]) <= p.top_n]
        .sort_values(["department", "rank"], kind="stable")
        .copy()
    )
    df["level_label"] = df["level"].map(lambda v: level_label(v, lang))
    df["recommended_names"] = df["recommended"].map(lambda g: cell_list(tool_names(split_items(g), p, lang)))
    return TableView(
        "Top pr. afdeling" if lang == "da" else "Top per department",
        df,
        [
            Column("department", TEXTS("col.department", lang)),
            Column("rank", TEXTS("col.rank", lang), "int"),
            Column("name", TEXTS("col.activity", lang)),
            Column("score", TEXTS("col.score", lang), "number", decimals=1),
            Column("level_label", TEXTS("col.level", lang)),
            Column("n_raters", TEXTS("col.raters", lang), "int"),
            Column("recommended_names", TEXTS("col.recommended", lang)),
        ],
    )


def gaps_table(cn: CentreNeeds, ctx: ReportContext) -> TableView:
    """Tools missing for high-need activities, by count."""
    lang = ctx.lang
    df = centre_gaps(cn)
    df["tool_name"] = tool_names(list(df["tool"]), settings(ctx.params), lang)
    return TableView(
        "Manglende værktøjer" if lang == "da" else "Missing tools",
        df,
        [Column("tool_name", TEXTS("col.tool", lang)), Column("count", TEXTS("col.count", lang), "int")],
    )


def top_chart(cn: CentreNeeds, ctx: ReportContext, n: int = TOP) -> go.Figure:
    """The highest-scoring activities across the departments."""
    df = cn.rows.dropna(subset=["score"]).head(n).copy()
    df["label"] = df["name"] + " · " + df["department"]
    p = settings(ctx.params)
    return score_bars(
        df,
        label="label",
        score="score",
        level="level",
        lang=ctx.lang,
        limits={"fig.medium": p.medium_need, "fig.high": p.high_need},
    )


def heatmap_chart(cn: CentreNeeds, ctx: ReportContext) -> go.Figure:
    """Department × activity total scores, the highest departments and activities first."""
    rows = cn.rows.dropna(subset=["score"])
    wide = rows.pivot_table(index="department", columns="name", values="score", aggfunc="mean")
    order = wide.max(axis=1).sort_values(ascending=False).index
    cols = wide.max(axis=0).sort_values(ascending=False).index
    wide = wide.loc[order, cols]
    return score_heat_map(wide, row_labels=list(wide.index), column_labels=list(wide.columns), lang=ctx.lang)
