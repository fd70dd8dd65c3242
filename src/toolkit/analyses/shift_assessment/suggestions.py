"""Suggested next steps: from the statement bank and from the figures above their alert level."""

from __future__ import annotations

import pandas as pd

from toolkit.analyses.shift_assessment.params import settings
from toolkit.analyses.shift_assessment.results import ShiftResults
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.analyses.shift_assessment.wording import block_name, busiest_blocks, fact_value, theme_names
from toolkit.core.formatting import fmt_number, fmt_pct, is_missing
from toolkit.report.context import ReportContext


def next_steps(res: ShiftResults, ctx: ReportContext) -> pd.DataFrame:
    """Suggested next steps for the themes that need them, most important first.

    A theme needs them when its gap is at least ``gap_priority`` or a figure of the theme is
    above its alert level. The steps are the bank's for the theme and one per figure above
    its alert level, with the numbers filled in.

    Returns
    -------
    DataFrame
        ``theme``, ``name``, ``why``, ``step`` (one row per step).
    """
    lang = ctx.lang
    sp = settings(ctx.params)
    names = theme_names(res, lang)
    bank = res.assessment.bank
    rows = []
    themes = res.themes.copy()
    themes["priority"] = (
        themes["n_flagged"] * 2 + themes["gap"].fillna(0) + (themes["verdict"] == "data_worse") * 3
    )
    for _, th in themes.sort_values("priority", ascending=False, kind="stable").iterrows():
        big_gap = not is_missing(th["gap"]) and th["gap"] >= sp.gap_priority
        flagged = res.facts[(res.facts["theme"] == th["theme"]) & res.facts["flagged"]]
        if not big_gap and flagged.empty:
            continue
        why = []
        if big_gap:
            why.append(TEXTS("steps.why_gap", lang, gap=fmt_number(th["gap"], 1, lang)))
        if len(flagged):
            why.append(TEXTS("steps.why_flag", lang))
        reason = "; ".join(why)
        for _, f in flagged.iterrows():
            rows.append((th["theme"], names[th["theme"]], reason, _fact_step(f, res, ctx)))
        for step in bank.theme(th["theme"]).next_steps[:2]:
            rows.append((th["theme"], names[th["theme"]], reason, step.get(lang)))
    return pd.DataFrame(rows, columns=["theme", "name", "why", "step"])


def _fact_step(fact: pd.Series, res: ShiftResults, ctx: ReportContext) -> str:
    """The step suggested by a figure above its alert level, with the numbers filled in."""
    lang = ctx.lang
    key = fact["key"]
    value = fact_value(key, fact["value"], lang)
    if key == "mismatch_index":
        b = res.staffing.blocks
        assert b is not None
        under, over = busiest_blocks(b)
        hours = res.staffing.mismatch * res.staffing.staff_hours_per_week
        return TEXTS(
            "step.mismatch_index",
            lang,
            hours=fmt_number(hours, 0, lang),
            over=block_name(over, lang),
            under=block_name(under, lang),
            value=value,
        )
    if key == "rest_breach_pct":
        return TEXTS(
            "step.rest_breach_pct",
            lang,
            value=fmt_pct(fact["value"], 1, lang),
            long=int(res.rest_month["long_stretches"]),
        )
    if key == "short_notice_pct":
        return TEXTS(
            "step.short_notice_pct",
            lang,
            value=value,
            days=settings(ctx.params).short_notice_days,
        )
    if key == "toil_per_fte":
        return TEXTS("step.toil_per_fte", lang, value=fmt_number(fact["value"], 1, lang))
    return TEXTS(f"step.{key}", lang, value=value)
