"""The tables of the department report (shown, and in the workbook beside it), and their notes.

Each builder takes the results (or the parameters) and the report language; the section views
(:mod:`.views`) put them in order. The weights and rules tables serve the centre report too.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from toolkit.analyses.need_assessment.assessment import NeedResults, disagreements
from toolkit.analyses.need_assessment.labels import (
    cell_list,
    decap,
    key_label,
    level_label,
    row_items,
    source_names,
    tool_names,
)
from toolkit.analyses.need_assessment.params import NeedAssessmentParams
from toolkit.analyses.need_assessment.texts import TEXTS
from toolkit.core.formatting import Language, fmt_kr, fmt_number, join_words
from toolkit.report.blocks import Column, TableView


def ranking_table(res: NeedResults, lang: Language) -> TableView:
    """Activities by total score, with the judged and data parts and the raters' spread."""
    df = res.ranked.copy()
    df["level_label"] = df["level"].map(lambda v: level_label(v, lang))
    widest = disagreements(res).drop_duplicates("activity_id").set_index("activity_id")
    df["disagree"] = df["activity_id"].map(
        lambda a: (
            f"{key_label(widest.loc[a, 'key'], res.params, lang)} "
            f"({fmt_number(widest.loc[a, 'low'], 0, lang)}–{fmt_number(widest.loc[a, 'high'], 0, lang)})"
            if a in widest.index
            else None
        )
    )
    return TableView(
        "Styringsbehov" if lang == "da" else "Management need",
        df,
        [
            Column("rank", TEXTS("col.rank", lang), "int"),
            Column("name", TEXTS("col.activity", lang)),
            Column("score", TEXTS("col.score", lang), "number", decimals=1),
            Column("level_label", TEXTS("col.level", lang)),
            Column("judged_score", TEXTS("col.judged", lang), "number", decimals=1),
            Column("data_score", TEXTS("col.data", lang), "number", decimals=1),
            Column("n_raters", TEXTS("col.raters", lang), "int"),
            Column("spread", TEXTS("col.spread", lang), "number", decimals=1),
            Column("disagree", TEXTS("col.disagree", lang)),
        ],
    )


def indicators_table(res: NeedResults, lang: Language) -> TableView:
    """The objective indicators per activity, in rank order."""
    order = res.scores.table[["activity_id", "rank"]]
    df = order.merge(res.indicators, on="activity_id").merge(res.activities, on="activity_id")
    return TableView(
        "Data pr. aktivitet" if lang == "da" else "Data per activity",
        df,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("cost_share_pct", TEXTS("col.cost_share", lang), "pct"),
            Column("hours_share_pct", TEXTS("col.hours_share", lang), "pct"),
            Column("volume", TEXTS("col.volume", lang), "int"),
            Column("volume_unit", TEXTS("col.volume_unit", lang)),
            Column("volume_cv_pct", TEXTS("col.volume_cv", lang), "pct"),
            Column("cost_cv_pct", TEXTS("col.cost_cv", lang), "pct"),
            Column("budget_deviation_pct", TEXTS("col.budget_dev", lang), "pct", signed=True),
            Column("goal_shortfall_pct", TEXTS("col.goal_shortfall", lang), "pct"),
        ],
    )


def recommendations_table(res: NeedResults, lang: Language) -> TableView:
    """Recommended tools against the tools in use today, the gap and the data to register."""
    p = res.params
    df = res.ranked[["activity_id", "rank", "name", "level"]].copy()
    df["level_label"] = df["level"].map(lambda v: level_label(v, lang))
    for col, frame in (
        ("recommended", res.plan.recommended),
        ("in_use", res.plan.in_use),
        ("gap", res.plan.gap),
        ("extra", res.plan.extra),
    ):
        items = row_items(frame)
        df[col] = df["activity_id"].map(
            lambda a, items=items: cell_list(tool_names(items.get(a, ()), p, lang))
        )
    missing = row_items(res.plan.missing_data)
    df["missing_data"] = df["activity_id"].map(lambda a: cell_list(source_names(missing.get(a, ()), lang)))
    return TableView(
        "Værktøjer" if lang == "da" else "Tools",
        df,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("level_label", TEXTS("col.level", lang)),
            Column("recommended", TEXTS("col.recommended", lang)),
            Column("in_use", TEXTS("col.in_use", lang)),
            Column("gap", TEXTS("col.gap", lang)),
            Column("missing_data", TEXTS("col.missing_data", lang)),
            Column("extra", TEXTS("col.extra", lang)),
        ],
    )


def registration_table(res: NeedResults, lang: Language) -> TableView:
    """Where each activity is registered; high-need activities first."""
    df = res.ranked.copy()
    df["level_label"] = df["level"].map(lambda v: level_label(v, lang))
    df["both"] = df["in_hours"] & df["in_finance"]
    return TableView(
        "Registrering" if lang == "da" else "Registration",
        df,
        [
            Column("name", TEXTS("col.activity", lang)),
            Column("level_label", TEXTS("col.level", lang)),
            Column("in_hours", TEXTS("col.in_hours", lang), "bool"),
            Column("in_finance", TEXTS("col.in_finance", lang), "bool"),
            Column("both", TEXTS("col.both", lang), "bool"),
            Column("in_volume", TEXTS("col.in_volume", lang), "bool"),
            Column("in_goals", TEXTS("col.in_goals", lang), "bool"),
            Column("in_activity_budget", TEXTS("col.in_activity_budget", lang), "bool"),
        ],
    )


def unmatched_note(res: NeedResults, lang: Language) -> str:
    """Hours and costs that do not meet on the activity."""
    u = res.unmatched
    return TEXTS(
        "unmatched",
        lang,
        hours=fmt_number(u["hours_without_finance"], 0, lang),
        hours_total=fmt_number(u["hours_total"], 0, lang),
        kr=fmt_kr(u["direct_without_hours"], lang),
        kr_total=fmt_kr(u["direct_total"], lang),
    )


def action_texts(res: NeedResults, lang: Language) -> list[str]:
    """The action plan as sentences, in order."""
    p = res.params
    names = res.names
    bounds = res.rater_scores.groupby(["activity_id", "key"])["score"].agg(["min", "max"])
    out = []
    for row in res.actions.itertuples(index=False):
        activity = names[row.activity_id]
        if row.kind == "discuss":
            key = row.items[0]
            lo, hi = bounds.loc[(row.activity_id, key)]
            out.append(
                TEXTS(
                    "act.discuss",
                    lang,
                    criterion=decap(key_label(key, p, lang)),
                    activity=activity,
                    low=fmt_number(lo, 0, lang),
                    high=fmt_number(hi, 0, lang),
                )
            )
            continue
        if row.kind == "register":
            items = source_names(row.items, lang)
        else:
            items = [decap(n) for n in tool_names(row.items, p, lang)]
        out.append(TEXTS(f"act.{row.kind}", lang, activity=activity, items=join_words(items, lang)))
    return out


def action_table(res: NeedResults, lang: Language) -> TableView:
    """The action plan as a numbered table (also in the workbook)."""
    df = pd.DataFrame({"step": res.actions["step"], "action": action_texts(res, lang)})
    return TableView(
        "Handlingsplan" if lang == "da" else "Action plan",
        df,
        [Column("step", TEXTS("col.step", lang), "int"), Column("action", TEXTS("col.action", lang))],
    )


def weights_table(
    params: NeedAssessmentParams, lang: Language, weights: Mapping[str, float] | None = None
) -> TableView:
    """Every criterion and indicator with its kind, weight and share of the total weight."""
    w = dict(weights) if weights is not None else params.weights()
    total = sum(w.values())
    rows = []
    for key, value in w.items():
        judged = key in params.criteria
        rows.append(
            {
                "label": key_label(key, params, lang),
                "kind": TEXTS("kind.judged" if judged else "kind.data", lang),
                "weight": value,
                "share": value / total * 100 if total else np.nan,
                "full_at": np.nan if judged else params.indicators[key].full_at,
            }
        )
    return TableView(
        "Vægte" if lang == "da" else "Weights",
        pd.DataFrame(rows),
        [
            Column("label", TEXTS("col.criterion", lang)),
            Column("kind", TEXTS("col.kind", lang)),
            Column("weight", TEXTS("col.weight", lang), "number", decimals=1),
            Column("share", TEXTS("col.weight_share", lang), "pct", decimals=0),
            Column("full_at", TEXTS("col.full_at", lang), "pct", decimals=0),
        ],
    )


def rules_table(params: NeedAssessmentParams, lang: Language) -> TableView:
    """The tool-mapping rules in words."""
    rows = []
    for rule in params.rules.values():
        parts = []
        for c in rule.when:
            label = TEXTS("fig.score", lang) if c.key == "score" else key_label(c.key, params, lang)
            if c.min is not None:
                parts.append(f"{label} ≥ {fmt_number(c.min, 1, lang)}")
            if c.max is not None:
                parts.append(f"{label} ≤ {fmt_number(c.max, 1, lang)}")
        if rule.otherwise:
            parts.append(TEXTS("when_otherwise", lang))
        rows.append(
            {
                "rule": rule.name(lang),
                "when": join_words(parts, lang) if parts else TEXTS("when_always", lang),
                "tools": join_words(tool_names(rule.tools, params, lang), lang),
            }
        )
    return TableView(
        "Regler" if lang == "da" else "Rules",
        pd.DataFrame(rows),
        [
            Column("rule", TEXTS("col.rule", lang)),
            Column("when", TEXTS("col.when", lang)),
            Column("tools", TEXTS("col.tools", lang)),
        ],
    )


def tools_catalogue_table(params: NeedAssessmentParams, lang: Language) -> TableView:
    """The management tools and the data each needs on the activity."""
    rows = [
        {
            "tool": tool.name(lang),
            "data": tool.data(lang),
            "requires": join_words(source_names(list(tool.requires), lang), lang) or None,
        }
        for tool in params.tools.values()
    ]
    return TableView(
        "Værktøjskatalog" if lang == "da" else "Tool catalogue",
        pd.DataFrame(rows),
        [
            Column("tool", TEXTS("col.tool", lang)),
            Column("data", TEXTS("col.missing_data", lang)),
            Column("requires", TEXTS("col.tool_data", lang)),
        ],
    )
