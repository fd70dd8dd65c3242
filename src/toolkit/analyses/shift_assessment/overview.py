"""The top of the shift-planning report: headline, KPI cards and the KPIs recorded beside it."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from toolkit.analyses.shift_assessment.params import settings
from toolkit.analyses.shift_assessment.results import ShiftResults
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.analyses.shift_assessment.wording import fact_text, score_text, theme_names
from toolkit.core.definitions import Definition, define
from toolkit.core.formatting import Language, fmt_month, fmt_number, fmt_pct, is_missing, join_words
from toolkit.report.blocks import SUPPRESSED_MARK, Card, Report
from toolkit.report.context import ReportContext
from toolkit.report.narrative import Finding, ranked


def _largest_gap(res: ShiftResults) -> pd.Series | None:
    """The rated theme with the largest gap (the first of equals), None without ratings."""
    rated = res.themes.dropna(subset=["gap"])
    if not len(rated):
        return None
    return rated.sort_values("gap", ascending=False, kind="stable").iloc[0]


def headline(res: ShiftResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences, the most important first, generated from the numbers."""
    lang: Language = ctx.lang
    sp = settings(ctx.params)
    found: list[Finding] = []
    names = theme_names(res, lang)
    month = fmt_month(ctx.period, lang)
    top = _largest_gap(res)
    if top is not None:
        found.append(
            Finding(
                1.5 + float(top["gap"]),
                TEXTS(
                    "hl.gap",
                    lang,
                    theme=names[top["theme"]],
                    current=score_text(top["current"], lang),
                    desired=score_text(top["desired"], lang),
                    n=res.assessment.n_raters,
                ),
            )
        )
    else:
        found.append(Finding(3.0, TEXTS("hl.no_forms", lang)))
    worse = res.themes[res.themes["verdict"] == "data_worse"]
    if len(worse):
        flagged = res.facts[res.facts["theme"].isin(worse["theme"]) & res.facts["flagged"]]
        facts_text = join_words(
            [fact_text(f, lang, with_limit=False) for _, f in flagged.head(3).iterrows()], lang
        )
        found.append(
            Finding(
                4.0 + len(worse),
                TEXTS(
                    "hl.worse",
                    lang,
                    themes=join_words([names[x] for x in worse["theme"]], lang),
                    facts=facts_text,
                ),
            )
        )
    if res.suppressed:
        found.append(Finding(5.0, TEXTS("hl.suppressed", lang, n=ctx.params.privacy.min_group_size)))
    else:
        rm = res.rest_month
        n = int(rm["breaches"])
        if n:
            score = (
                1.0
                + float(rm["breach_pct"]) / max(sp.rest_breach_alert_pct, 0.1)
                + (1.0 if rm["under_reduced"] else 0)
            )
            found.append(
                Finding(
                    score,
                    TEXTS(
                        "hl.rest",
                        lang,
                        n=fmt_number(n, 0, lang),
                        month=month,
                        pct=fmt_pct(rm["breach_pct"], 1, lang),
                        under=fmt_number(rm["under_reduced"], 0, lang),
                    ),
                )
            )
        else:
            found.append(Finding(0.5, TEXTS("hl.rest_none", lang, month=month)))
        m = res.month
        limits = (sp.overtime_alert_pct, sp.agency_alert_pct, sp.short_notice_alert_pct)
        observed = (m["overtime_pct"], m["agency_pct"], m["short_notice_pct"])
        excess = sum(
            max(0.0, float(v) / lim - 1)
            for v, lim in zip(observed, limits, strict=True)
            if lim and not is_missing(v)
        )
        found.append(
            Finding(
                1.2 + 2 * excess,
                TEXTS(
                    "hl.use",
                    lang,
                    month=month,
                    ot=fmt_pct(m["overtime_pct"], 1, lang),
                    ag=fmt_pct(m["agency_pct"], 1, lang),
                    sn=fmt_pct(m["short_notice_pct"], 1, lang),
                    days=sp.short_notice_days,
                ),
            )
        )
    st = res.staffing
    if not is_missing(st.mismatch):
        hours = st.mismatch * st.staff_hours_per_week
        if st.mismatch > sp.mismatch_alert:
            found.append(
                Finding(
                    2.0 + 10 * (st.mismatch - sp.mismatch_alert),
                    TEXTS(
                        "hl.mismatch_high",
                        lang,
                        index=fmt_number(st.mismatch, 2, lang),
                        limit=fmt_number(sp.mismatch_alert, 2, lang),
                        hours=fmt_number(hours, 0, lang),
                    ),
                )
            )
        else:
            found.append(
                Finding(
                    0.8,
                    TEXTS(
                        "hl.mismatch_ok",
                        lang,
                        index=fmt_number(st.mismatch, 2, lang),
                        limit=fmt_number(sp.mismatch_alert, 2, lang),
                    ),
                )
            )
    return ranked(found)


Status = Literal["green", "amber", "red", "neutral"]


SHIFT_CARD_COLOURS = Definition(
    "shift_card_colours",
    "Kortenes farver",
    "The cards' colours",
    "Overarbejde, vikarandel og kort varsel: rød over grænsen (parametre), gul over 80 % af den, "
    "ellers grøn; overarbejde kræver faktiske vagttider, ellers ingen data og ingen farve. "
    "Hviletid: rød ved ethvert brud med under 8 timers hvile, gul ved ethvert andet brud (og rød, "
    "når andelen af vagtforløb med brud er over grænsen), grøn kun uden brud. Mismatch-indeks: som "
    "overarbejde. Største gab: gul fra prioritetsgrænsen. Skjulte tal og kort uden data har ingen farve.",
    "Overtime, agency share and short notice: red above the limit (parameters), amber above 80% of "
    "it, else green; overtime needs actual shift times, otherwise no data and no colour. Rest: red "
    "for any breach with under 8 hours' rest, amber for any other breach (and red when the share of "
    "stretches with a breach is above the limit), green only without breaches. Mismatch index: as "
    "overtime. Largest gap: amber from the priority limit. Suppressed figures and cards without data "
    "have no colour.",
)


@define(SHIFT_CARD_COLOURS)
def rest_status(breaches: float, under8: float, breach_pct: float, limit: float) -> Status:
    """The rest card's colour: red for any rest under 8 hours, amber for any breach, green for none.

    A breach share above ``limit`` is red as well; missing figures have no colour.
    """
    if is_missing(breaches):
        return "neutral"
    if (not is_missing(under8) and under8 > 0) or (not is_missing(breach_pct) and breach_pct > limit):
        return "red"
    return "amber" if breaches > 0 else "green"


def _status(value: float, limit: float, *, higher_is_worse: bool = True) -> Status:
    """Red beyond ``limit``, amber near it (above 80 % of it; below 102 % where lower is worse),
    green otherwise; neutral when the value is missing."""
    if is_missing(value):
        return "neutral"
    bad = value > limit if higher_is_worse else value < limit
    if bad:
        return "red"
    near = value > 0.8 * limit if higher_is_worse else value < 1.02 * limit
    return "amber" if near else "green"


def cards(res: ShiftResults, ctx: ReportContext) -> list[Card]:
    """The KPI boxes under the headline."""
    lang = ctx.lang
    sp = settings(ctx.params)
    min_n = ctx.params.privacy.min_group_size
    hidden = TEXTS("card.suppressed", lang, n=min_n)
    names = theme_names(res, lang)
    top = _largest_gap(res)
    if top is not None:
        gap_card = Card(
            TEXTS("card.gap", lang),
            names[top["theme"]],
            f"{score_text(top['current'], lang)} → {score_text(top['desired'], lang)}",
            "amber" if top["gap"] >= sp.gap_priority else "green",
        )
    else:
        gap_card = Card(TEXTS("card.gap", lang), "–", TEXTS("card.no_forms", lang))
    st = res.staffing
    mismatch_card = Card(
        TEXTS("card.mismatch", lang),
        fmt_number(st.mismatch, 2, lang),
        TEXTS("card.limit", lang, limit=fmt_number(sp.mismatch_alert, 2, lang)),
        _status(st.mismatch, sp.mismatch_alert),
    )
    if res.suppressed:
        person_cards = [
            Card(TEXTS(k, lang), SUPPRESSED_MARK, hidden)
            for k in (
                "card.overtime",
                "card.agency",
                "card.short_notice",
                "card.rest",
            )
        ]
        return [gap_card, *person_cards, mismatch_card]
    m, rm = res.month, res.rest_month
    return [
        gap_card,
        Card(
            TEXTS("card.overtime", lang),
            fmt_pct(m["overtime_pct"], 1, lang),
            TEXTS("card.of_planned", lang),
            _status(m["overtime_pct"], sp.overtime_alert_pct),
        )
        if not is_missing(m["overtime_pct"])
        else Card(
            TEXTS("card.overtime", lang), TEXTS("card.no_data", lang), TEXTS("card.no_actual_times", lang)
        ),
        Card(
            TEXTS("card.agency", lang),
            fmt_pct(m["agency_pct"], 1, lang),
            TEXTS("card.of_hours", lang, kr=fmt_pct(m["agency_cost_pct"], 1, lang)),
            _status(m["agency_pct"], sp.agency_alert_pct),
        ),
        Card(
            TEXTS("card.short_notice", lang),
            fmt_pct(m["short_notice_pct"], 1, lang),
            TEXTS("card.of_shifts", lang, days=sp.short_notice_days),
            _status(m["short_notice_pct"], sp.short_notice_alert_pct),
        ),
        Card(
            TEXTS("card.rest", lang),
            fmt_number(rm["breaches"], 0, lang),
            TEXTS("card.under8", lang, n=fmt_number(rm["under_reduced"], 0, lang)),
            rest_status(rm["breaches"], rm["under_reduced"], rm["breach_pct"], sp.rest_breach_alert_pct),
        ),
        mismatch_card,
    ]


def record_kpis(report: Report, res: ShiftResults, ctx: ReportContext) -> None:
    """Record the headline values (and each theme's scores) for the JSON file beside the report."""
    lang = ctx.lang
    m, rm = res.month, res.rest_month
    hidden = res.suppressed
    person_based = (
        ("overtime_pct", "col.overtime_pct", m["overtime_pct"], "%"),
        ("agency_hours_pct", "col.agency_pct", m["agency_pct"], "%"),
        ("agency_cost_pct", "col.agency_cost_pct", m["agency_cost_pct"], "%"),
        ("short_notice_pct", "col.short_notice_pct", m["short_notice_pct"], "%"),
        ("actual_times_pct", "col.registered_pct", m["registered_pct"], "%"),
        ("rest_breaches", "col.breaches", rm["breaches"], "stretches"),
        ("rest_breaches_under_8h", "col.under8", rm["under_reduced"], "stretches"),
        ("rest_breaches_8_11h", "col.reduced", rm["reduced"], "stretches"),
        ("rest_breach_pct", "col.breach_pct", rm["breach_pct"], "%"),
    )
    for key, label, value, unit in person_based:
        report.kpi(key, TEXTS(label, lang), None if hidden else value, unit)
    report.kpi("mismatch_index", TEXTS("card.mismatch", lang), res.staffing.mismatch, "index")
    report.kpi(
        "toil_hours_per_fte",
        TEXTS("col.toil_per_fte", lang),
        None if hidden else res.toil_month,
        "hours/FTE",
    )
    report.kpi("sick_leave_12m_pct", TEXTS("col.sick_pct", lang), res.sick_12m, "%")
    report.kpi("shift_raters", TEXTS("col.raters", lang), res.assessment.n_raters, "raters")
    names = theme_names(res, lang)
    for row in res.themes.itertuples(index=False):
        for col in ("current", "desired", "gap"):
            report.kpi(
                f"{row.theme}_{col}",
                f"{names[row.theme]}: {TEXTS(f'col.{col}', lang)}",
                getattr(row, col),
                "score 1-5",
            )
