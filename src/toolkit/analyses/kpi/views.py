"""The sections of the management-information KPI report, one view each, in reading order.

A view builds its section's heading, lead and blocks from the results and decides what is
shown: the notes under the charts, the deviation explanations when there are any, the text
for a unit without goals. The notebook only calls ``r.show(kpi.<section>(res, ctx))``.
"""

from __future__ import annotations

from toolkit.analyses.kpi import charts, sheet, tables
from toolkit.analyses.kpi.params import settings
from toolkit.analyses.kpi.relations import relation_chart, relation_sentence
from toolkit.analyses.kpi.results import KPIResults, has_input, sibling_ratios
from toolkit.analyses.kpi.texts import TEXTS
from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language, fmt_kr, fmt_month, fmt_pct, join_words
from toolkit.measures.catalogue import CATALOGUE_KPIS
from toolkit.measures.common import TOTAL
from toolkit.report.blocks import (
    SUPPRESSED_MARK,
    Block,
    Note,
    Paragraph,
    ScreenOnly,
    Section,
    TableView,
    WorkbookOnly,
)
from toolkit.report.context import ReportContext


def activity(res: KPIResults, ctx: ReportContext) -> Section:
    """Volume per core activity against plan and the same period last year."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.activity", lang),
        TEXTS("sec.activity.lead", lang),
        [charts.volume_chart(res, lang), tables.volume_table(res, lang)],
    )


def time(res: KPIResults, ctx: ReportContext) -> Section:
    """The time staircase, the hours per activity and the month's registration coverage.

    The staircase holds the month's sick and other absence hours of the whole unit: where the
    unit's figures of the month are hidden (:attr:`KPIResults.time_hidden`) a sentence says so
    instead; the work hours per activity stay.
    """
    lang = ctx.lang
    if not has_input(res, "hours"):
        text = TEXTS("no_data.hours", lang, month=fmt_month(ctx.period, lang))
        return Section(TEXTS("sec.time", lang), TEXTS("sec.time.lead", lang), [Paragraph(text)])
    return Section(
        TEXTS("sec.time", lang),
        TEXTS("sec.time.lead", lang),
        [
            *(
                [Paragraph(TEXTS("time.hidden", lang, n=ctx.params.privacy.min_group_size))]
                if res.time_hidden
                else [charts.staircase_chart(res, lang), tables.staircase_table(res, lang)]
            ),
            charts.hours_chart(res, lang),
            Note(TEXTS("coverage_note", lang, pct=fmt_pct(res.coverage, 1, lang))),
        ],
    )


def productivity(res: KPIResults, ctx: ReportContext) -> Section:
    """Cases per hour and cost per case per core activity, with the month's unallocated costs.

    A figure whose input is missing (no hours rows, no finance rows, or salary that no hours
    could spread) reads "ingen data", and a note says which input is missing.
    """
    lang = ctx.lang
    month = fmt_month(ctx.period, lang)
    unallocated = res.cost.unallocated[res.cost.unallocated["period"] == ctx.period]
    overhead = unallocated.loc[unallocated["reason"] == "overhead", "amount"].sum()
    salary_unspread = (unallocated["reason"] == "salary_without_hours").any()
    notes: list[Block] = []
    if not has_input(res, "finance_month"):
        notes.append(Note(TEXTS("no_data.cost", lang, month=month)))
    elif salary_unspread:
        notes.append(Note(TEXTS("no_data.cost_hours", lang, month=month)))
    notes.append(Note(full_cost_note(res, lang)))
    if bool(tables.full_cost_hidden(res).any()):
        n = ctx.params.privacy.min_group_size
        notes.append(Note(TEXTS("full_cost_hidden_note", lang, mark=SUPPRESSED_MARK, n=n)))
    if has_input(res, "finance_month"):
        notes.append(Note(TEXTS("unallocated_note", lang, amount=fmt_kr(overhead, lang))))
    return Section(
        TEXTS("sec.productivity", lang),
        TEXTS("sec.productivity.lead", lang),
        [
            charts.productivity_chart(res, lang),
            *tables.shown_with_no_data(tables.productivity_table(res, lang), tables.hours_no_data(res), lang),
            charts.cost_chart(res, ctx),
            *_cost_blocks(res, ctx),
            *notes,
        ],
    )


def _cost_blocks(res: KPIResults, ctx: ReportContext) -> list[Block]:
    view = tables.cost_table(res, ctx.lang)
    blocks = tables.shown_with_no_data(view, tables.cost_no_data(res, ctx.period, view.frame), ctx.lang)
    return tables.mark_hidden_cells(blocks, {"full_cost_per_case": "full_cost_hidden"}, ctx.lang)


def full_cost_note(res: KPIResults, lang: Language) -> str:
    """How the direct and the full cost per case relate, and where the full cost comes from."""
    if res.full_cost is None:
        return TEXTS("full_cost_none_note", lang)
    return TEXTS("full_cost_note" if res.level == "department" else "full_cost_pooled_note", lang)


def budget(res: KPIResults, ctx: ReportContext) -> Section:
    """Spending against the periodised budget and the forecast; the deviations that need explaining."""
    lang = ctx.lang
    method = TEXTS(f"method.{settings(ctx.params).forecast_method}", lang)
    if not has_input(res, "finance_ytd"):
        text = TEXTS("no_data.finance", lang, year=ctx.period[:4])
        return Section(
            TEXTS("sec.budget", lang), TEXTS("sec.budget.lead", lang, method=method), [Paragraph(text)]
        )
    blocks: list[Block] = [charts.budget_chart(res, lang), tables.budget_table(res, lang)]
    explanation = explanation_note(res, ctx)
    if explanation:
        blocks += [Note(explanation), tables.explanations_table(res, lang)]
    return Section(TEXTS("sec.budget", lang), TEXTS("sec.budget.lead", lang, method=method), blocks)


def explanation_note(res: KPIResults, ctx: ReportContext) -> str | None:
    """Which account groups need a deviation explanation, and which lack one (None if none need one)."""
    lang = ctx.lang
    need = res.budget[res.budget["needs_explanation"] & (res.budget["account_group"] != TOTAL)]
    if need.empty:
        return None
    groups = join_words([TEXTS(f"acct.{g}", lang) for g in need["account_group"]], lang)
    missing = res.budget[res.budget["explanation_missing"]]
    kp = settings(ctx.params)
    text = TEXTS(
        "explanation_needed",
        lang,
        kr=fmt_kr(kp.materiality_kr, lang),
        pct=fmt_pct(kp.materiality_pct, 1, lang),
        groups=groups,
    )
    if len(missing):
        text += " " + TEXTS(
            "explanation_missing",
            lang,
            groups=join_words([TEXTS(f"acct.{g}", lang) for g in missing["account_group"]], lang),
        )
    return text


def hr(res: KPIResults, ctx: ReportContext) -> Section:
    """Sick leave and overtime per staff group (small groups suppressed)."""
    lang = ctx.lang
    if res.persons == 0 or not has_input(res, "hr"):
        text = TEXTS("no_data.hr", lang, month=fmt_month(ctx.period, lang))
        return Section(TEXTS("sec.hr", lang), TEXTS("sec.hr.lead", lang), [Paragraph(text)])
    return Section(
        TEXTS("sec.hr", lang),
        TEXTS("sec.hr.lead", lang),
        [
            charts.sick_chart(res, ctx),
            tables.hr_table(res, ctx),
            tables.absence_table(res, ctx),
            Note(TEXTS("sick_sources_note", lang)),
        ],
    )


def goals(res: KPIResults, ctx: ReportContext) -> Section:
    """The month's goals with their status, or a line saying the unit has none."""
    lang = ctx.lang
    thresholds = settings(ctx.params).goal_thresholds
    lead = TEXTS(
        "sec.goals.lead", lang, green=round(thresholds.green * 100), amber=round(thresholds.amber * 100)
    )
    block: Block = tables.goals_table(res, lang) if len(res.goals) else Paragraph(TEXTS("no_goals", lang))
    return Section(TEXTS("sec.goals", lang), lead, [block])


def comparison(res: KPIResults, ctx: ReportContext) -> Section:
    """The agreed key ratios of the centre's departments (read from the siblings, not from ``res``).

    Above a department: the units directly below side by side with the unit's own figure.
    """
    lang = ctx.lang
    if res.below is not None:
        name = ctx.unit.name
        return Section(
            TEXTS("sec.compare.below", lang),
            TEXTS("sec.compare.below.lead", lang, unit=name),
            [
                charts.comparison_chart(res.below, ctx, "budget_deviation_ytd_pct", "col.budget_dev_ytd"),
                charts.comparison_chart(res.below, ctx, "sick_pct_12m", "col.sick_pct_12m"),
                *_ratios_blocks(tables.below_table(res.below, ctx), lang),
            ],
        )
    ratios = sibling_ratios(ctx)
    return Section(
        TEXTS("sec.compare", lang),
        TEXTS("sec.compare.lead", lang, centre=ctx.unit.parent_name or ""),
        [
            charts.comparison_chart(ratios, ctx, "budget_deviation_ytd_pct", "col.budget_dev_ytd"),
            charts.comparison_chart(ratios, ctx, "sick_pct_12m", "col.sick_pct_12m"),
            *_ratios_blocks(tables.comparison_table(ratios, ctx), lang),
        ],
    )


def _ratios_blocks(view: TableView, lang: Language) -> list[Block]:
    """A key-ratio table whose missing figures in rows not suppressed read "ingen data"."""
    shown = ~view.frame["suppressed"].fillna(False).astype(bool).reset_index(drop=True)
    return tables.shown_with_no_data(view, {c.key: shown for c in view.columns[1:]}, lang)


def activity_sheet(res: KPIResults, ctx: ReportContext) -> Section:
    """The activity sheet: the sections' figures joined per core activity, one table and one chart."""
    lang = ctx.lang
    df = sheet.activity_sheet(res, ctx.period, lang)
    blocks: list[Block] = []
    line = sheet.sheet_headline(df, lang)
    if line:
        blocks.append(Paragraph(line))
    no_data = {**tables.hours_no_data(res), **tables.cost_no_data(res, ctx.period, df)}
    blocks += [ScreenOnly(tables.no_data_view(view, no_data, lang)) for view in sheet.sheet_parts(df, lang)]
    blocks.append(WorkbookOnly(sheet.sheet_table(df, lang)))
    if len(df):
        blocks.append(sheet.sheet_chart(res, ctx, df))
        blocks.append(Note(TEXTS("sheet.explore_note", lang, name=df["name"].iloc[0])))
    return Section(TEXTS("sec.sheet", lang), TEXTS("sec.sheet.lead", lang), blocks)


def relationships(res: KPIResults, ctx: ReportContext) -> Section | None:
    """Overtime and sick leave against goal achievement and productivity: one sentence, paired charts."""
    if res.monthly is None:
        return None
    lang = ctx.lang
    return Section(
        TEXTS("sec.relations", lang),
        TEXTS("sec.relations.lead", lang),
        [Paragraph(relation_sentence(res.monthly, lang)), relation_chart(res.monthly, lang)],
    )


def catalogue(res: KPIResults, ctx: ReportContext) -> Section | None:
    """The core set of the economy and HR KPI catalogues not shown elsewhere in the report."""
    if res.catalogue is None:
        return None
    lang = ctx.lang
    return Section(
        TEXTS("sec.catalogue", lang),
        TEXTS("sec.catalogue.lead", lang),
        [tables.catalogue_table(res.catalogue, ctx)],
    )


def definitions() -> list[Definition]:
    """Every definition the KPI report's appendix shows, in reading order."""
    keys = [
        "kpi_card_colours",
        "volume_vs_plan",
        "volume_vs_last_year",
        "time_staircase",
        "registration_coverage",
        "productivity",
        "cost_per_case",
        "full_cost_per_case",
        "budget_deviation",
        "expected_consumption",
        "forecast",
        "sick_leave_pct",
        "sick_days_per_fte",
        "child_sick_pct",
        "all_absence_pct",
        "absence_days_per_fte",
        "overtime_per_fte",
        "suppression",
        "goal_achievement",
        "key_ratios",
        "co_movement",
        "overtime_pct",
        "goals_green_share",
        "productivity_index",
        *(key for key, _, _ in CATALOGUE_KPIS),
    ]
    return [DEFINITIONS[k] for k in keys]
