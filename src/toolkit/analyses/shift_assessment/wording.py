"""How the shift-planning report says its figures: values, facts, verdicts and the section notes."""

from __future__ import annotations

import pandas as pd

from toolkit.analyses.shift_assessment import assessment as shift_assessment
from toolkit.analyses.shift_assessment.params import settings
from toolkit.analyses.shift_assessment.results import ShiftResults
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.core.formatting import Language, fmt_date, fmt_number, fmt_pct, is_missing, join_words
from toolkit.report.context import ReportContext


def score_text(value: float, lang: Language) -> str:
    """A score on the 1–5 scale as text (one decimal)."""
    return fmt_number(value, 1, lang)


def fact_value(key: str, value: float | None, lang: Language) -> str:
    """A fact's value as text (%, index, hours or count)."""
    if value is None or is_missing(value):
        return TEXTS("fact.missing", lang)
    kind = next(s.kind for s in shift_assessment.FACTS if s.key == key)
    if kind == "pct":
        return fmt_pct(value, 1, lang)
    if kind == "index":
        return fmt_number(value, 2, lang)
    if kind == "hours":
        return f"{fmt_number(value, 1, lang)} {TEXTS('fact.hours_unit', lang)}"
    return fmt_number(value, 0, lang)


def fact_text(row: pd.Series, lang: Language, *, with_limit: bool = True) -> str:
    """``label value (alert level x)``; a figure on the wrong side says so (``over the alert level x``)."""
    label = TEXTS(f"fact.{row['key']}", lang)
    text = f"{label} {fact_value(row['key'], row['value'], lang)}"
    if with_limit and not is_missing(row["value"]):
        limit = fact_value(row["key"], row["limit"], lang)
        if row["flagged"]:
            key = "fact.over_limit" if row["higher_is_worse"] else "fact.under_limit"
            text += f" — {TEXTS(key, lang, limit=limit)}"
        else:
            text += f" ({TEXTS('fact.limit', lang, limit=limit)})"
    return text


def theme_names(res: ShiftResults, lang: Language) -> dict[str, str]:
    """Theme id → the bank's name in ``lang``."""
    return res.assessment.bank.theme_names(lang)


def verdict_text(row: pd.Series, lang: Language) -> str:
    """The plain sentence that sets a theme's rating against its figures."""
    current = score_text(row["current"], lang) if not is_missing(row["current"]) else ""
    n = int(row["n_flagged"])
    figures = TEXTS("figures.one" if n == 1 else "figures.many", lang, n=n)
    return TEXTS(f"verdict.{row['verdict']}", lang, current=current, figures=figures)


def busiest_blocks(blocks: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The blocks of the week (:func:`.demand.mismatch_blocks`) with the fewest and the most
    staff for their patients: ``(under, over)``."""
    return blocks.loc[blocks["difference"].idxmin()], blocks.loc[blocks["difference"].idxmax()]


def block_name(block: pd.Series, lang: Language) -> str:
    """A block of the week in words (e.g. "weekend nights")."""
    return TEXTS(f"block.{bool(block['weekend'])}.{block['block']}", lang)


def blocks_note(res: ShiftResults, lang: Language) -> str | None:
    """Where staffing and demand part most, in plain words (None without patient data)."""
    st = res.staffing
    if st.blocks is None or is_missing(st.mismatch):
        return None
    under, over = busiest_blocks(st.blocks)
    return TEXTS(
        "blocks_note",
        lang,
        under=block_name(under, lang),
        under_pct=fmt_pct(-under["difference"] * 100, 1, lang),
        over=block_name(over, lang),
        over_pct=fmt_pct(over["difference"] * 100, 1, lang),
        hours=fmt_number(st.mismatch * st.staff_hours_per_week, 0, lang),
        total=fmt_number(st.staff_hours_per_week, 0, lang),
    )


def staffing_lead(res: ShiftResults, ctx: ReportContext) -> str:
    """The lead paragraph of the staffing section."""
    lang = ctx.lang
    sp = settings(ctx.params)
    st = res.staffing
    groups = join_words(list(st.groups), lang) if st.groups else TEXTS("groups.all", lang)
    return TEXTS(
        "sec.staffing.lead",
        lang,
        months=sp.heatmap_months,
        measure=TEXTS(f"measure.{st.measure}", lang) if st.measure else "–",
        groups=groups,
        index=fmt_number(st.mismatch, 2, lang),
        limit=fmt_number(sp.mismatch_alert, 2, lang),
    )


def forms_note(res: ShiftResults, ctx: ReportContext) -> str:
    """How many raters, when, and which statement bank (or how to deliver forms)."""
    lang = ctx.lang
    a = res.assessment
    if not a.n_raters:
        return TEXTS("no_forms", lang, unit=ctx.unit.unit_id)
    first, last = a.dates[0], a.dates[-1]
    dates = fmt_date(first, lang) if first == last else f"{fmt_date(first, lang)} – {fmt_date(last, lang)}"
    return TEXTS("forms_note", lang, n=a.n_raters, dates=dates, bank=a.bank.version)


def rest_note(res: ShiftResults, lang: Language) -> str | None:
    """How many of the month's breaches come from long stretches (None if no breach)."""
    rm = res.rest_month
    if res.suppressed or not rm["breaches"]:
        return None
    if not rm["long_stretches"]:
        return TEXTS("rest_short_note", lang, n=int(rm["breaches"]))
    return TEXTS("rest_long_note", lang, long=int(rm["long_stretches"]), n=int(rm["breaches"]))
