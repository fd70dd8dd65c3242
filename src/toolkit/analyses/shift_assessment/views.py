"""The sections of the shift-planning report, one view each, in reading order.

A view builds a section's heading, lead and blocks from the results and decides what privacy
or missing data leaves out; the notebook only calls ``r.show(view(res, ctx))``.
"""

from __future__ import annotations

from toolkit.analyses.shift_assessment import charts, tables
from toolkit.analyses.shift_assessment.params import settings
from toolkit.analyses.shift_assessment.results import ShiftResults
from toolkit.analyses.shift_assessment.suggestions import next_steps
from toolkit.analyses.shift_assessment.texts import TEXTS
from toolkit.analyses.shift_assessment.wording import (
    blocks_note,
    forms_note,
    rest_note,
    staffing_lead,
    theme_names,
)
from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language, fmt_month, fmt_number
from toolkit.report.blocks import Block, Chart, Note, Paragraph, Section, WorkbookOnly
from toolkit.report.context import ReportContext


def title(lang: Language) -> str:
    """The report's title."""
    return TEXTS("title", lang)


def self_assessment(res: ShiftResults, ctx: ReportContext) -> Section:
    """The self-assessment: who rated when, the scores and gaps per theme (nothing without forms)."""
    lang = ctx.lang
    blocks: list[Block] = [Note(forms_note(res, ctx))]
    if res.assessment.n_raters:
        names = theme_names(res, lang)
        blocks += [
            charts.assessment_chart(res.themes, names=names, lang=lang),
            charts.gap_chart(res.themes, names=names, lang=lang, priority=settings(ctx.params).gap_priority),
            tables.themes_table(res, lang),
            WorkbookOnly(tables.statements_table(res, lang)),
        ]
    return Section(TEXTS("sec.assessment", lang), TEXTS("sec.assessment.lead", lang), blocks)


def judgement(res: ShiftResults, ctx: ReportContext) -> Section:
    """Each theme's rating held against the figures that speak to it."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.judgement", lang), TEXTS("sec.judgement.lead", lang), [tables.judgement_table(res, lang)]
    )


def rest(res: ShiftResults, ctx: ReportContext) -> Section:
    """Rest-time breaches month by month (the chart and note left out in a unit too small to show)."""
    lang = ctx.lang
    sp = settings(ctx.params)
    lead = TEXTS(
        "sec.rest.lead", lang, month_cap=sp.reduced_rest_per_month, year_cap=sp.reduced_rest_per_year
    )
    blocks: list[Block]
    if res.suppressed:
        blocks = [Note(TEXTS("suppressed_unit", lang, n=ctx.params.privacy.min_group_size))]
    else:
        note = rest_note(res, lang)
        blocks = [charts.rest_chart(res.rest, lang=lang), Note(note) if note else None]
    return Section(TEXTS("sec.rest", lang), lead, [*blocks, tables.rest_table(res, ctx)])


def staffing(res: ShiftResults, ctx: ReportContext) -> Section:
    """Staffing against the patients over the week's hours (a sentence instead without a profile)."""
    lang = ctx.lang
    st = res.staffing
    blocks: list[Block]
    profile = tables.profile_table(res, lang)
    if profile is None:
        blocks = [Paragraph(TEXTS("no_flow", lang))]
    else:
        blocks = [
            charts.demand_heatmap(st, lang),
            charts.staff_heatmap(st, lang),
            _ratio_chart(res, lang),
            Note(blocks_note(res, lang) or ""),  # shown even when empty (no index), as it always was
            WorkbookOnly(profile),
        ]
    return Section(TEXTS("sec.staffing", lang), staffing_lead(res, ctx), blocks)


def _ratio_chart(res: ShiftResults, lang: Language) -> Chart | None:
    """The staff-per-patient heat map with the caption that explains its colours."""
    fig = charts.ratio_heatmap(res.staffing, lang)
    return None if fig is None else Chart(fig, charts.ratio_caption(res.staffing, lang))


def trends(res: ShiftResults, ctx: ReportContext) -> Section:
    """Overtime, agency use and short-notice changes month by month."""
    lang = ctx.lang
    days = settings(ctx.params).short_notice_days
    return Section(
        TEXTS("sec.trends", lang),
        TEXTS("sec.trends.lead", lang, days=days),
        [charts.trends_chart(res.monthly, lang=lang), tables.monthly_table(res.monthly, ctx)],
    )


def groups(res: ShiftResults, ctx: ReportContext) -> Section:
    """The month's figures per staff group, small groups suppressed."""
    lang = ctx.lang
    lead = TEXTS("sec.groups.lead", lang, month=fmt_month(ctx.period, lang))
    return Section(TEXTS("sec.groups", lang), lead, tables.group_blocks(res, ctx))


def steps(res: ShiftResults, ctx: ReportContext) -> Section:
    """Suggested next steps, most important first (a sentence instead when none is needed)."""
    lang = ctx.lang
    found = next_steps(res, ctx)
    gap = fmt_number(settings(ctx.params).gap_priority, 1, lang)
    shown = tables.steps_table(found, lang) if len(found) else Paragraph(TEXTS("no_steps", lang))
    return Section(TEXTS("sec.steps", lang), TEXTS("sec.steps.lead", lang, gap=gap), [shown])


def definitions() -> list[Definition]:
    """Every definition the report's appendix shows, in reading order."""
    keys = [
        "shift_card_colours",
        "self_assessment",
        "judgement_vs_data",
        "rest_time_breach",
        "reduced_rest_caps",
        "staffing_vs_demand",
        "mismatch_index",
        "overtime_pct_planned",
        "agency_share",
        "short_notice_changes",
        "actual_times_registered",
        "toil_per_fte",
        "sick_leave_pct",
        "suppression",
    ]
    return [DEFINITIONS[k] for k in keys]
