"""The unit-cost report's sections: one view per section, each a heading, a lead and its blocks.

A view holds every presentation branch of its section (a department without patient contacts,
a hospital against a department), so that the notebook only calls ``r.show(view(res, ctx))``.
The tables a controller audits go to the workbook only (:class:`~toolkit.report.blocks.WorkbookOnly`).
"""

from __future__ import annotations

from toolkit.analyses.unit_cost.charts import (
    capacity_chart,
    distribution_chart,
    drg_chart,
    flow_chart,
    sensitivity_chart,
    unit_cost_chart,
)
from toolkit.analyses.unit_cost.params import settings
from toolkit.analyses.unit_cost.results import UnitCostResults
from toolkit.analyses.unit_cost.tables import (
    capacity_minutes_table,
    capacity_table,
    centres_table,
    drg_distribution_table,
    drg_table,
    ledger_table,
    match_table,
    matrix_tables,
    overhead_table,
    reconciliation_notes,
    reconciliation_table,
    sensitivity_table,
    split_table,
    unit_cost_table,
)
from toolkit.analyses.unit_cost.texts import TEXTS, method_label, period_label
from toolkit.core.definitions import Definition
from toolkit.core.formatting import Language
from toolkit.measures.costing import allocation, contacts, money, scenarios, tdabc
from toolkit.measures.suppression import SUPPRESSION
from toolkit.report.blocks import Note, Paragraph, Section, WorkbookOnly
from toolkit.report.context import ReportContext


def period_note(res: UnitCostResults, ctx: ReportContext) -> str:
    """The costing period under the cards: ``Omkostningsperiode: januar–oktober 2026 (år til dato).``"""
    return TEXTS("period", ctx.lang, period=period_label(res.inp.months, ctx.lang))


def reconciliation(res: UnitCostResults, ctx: ReportContext) -> Section:
    """The ledger carried through every method, the differences (0,00 kr.) and what is not on a contact."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.reconciliation", lang),
        TEXTS("sec.reconciliation.lead", lang, method=method_label(res.base.method, lang)),
        [reconciliation_table(res, lang), Note(" ".join(reconciliation_notes(res, lang)))],
    )


def flow(res: UnitCostResults, ctx: ReportContext) -> Section:
    """Cost types → cost centres → activities → patient groups (Sankey)."""
    lang = ctx.lang
    return Section(TEXTS("sec.flow", lang), TEXTS("sec.flow.lead", lang), [flow_chart(res, ctx)])


def unit_costs(res: UnitCostResults, ctx: ReportContext) -> Section:
    """The unit cost of every activity, split by resource (standard minutes × cost per minute)."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.unit_costs", lang),
        TEXTS("sec.unit_costs.lead", lang),
        [unit_cost_chart(res, lang), unit_cost_table(res, lang), Note(TEXTS("full_vs_direct_note", lang))],
    )


def capacity(res: UnitCostResults, ctx: ReportContext) -> Section:
    """Used and unused capacity per resource, in kroner and hours."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.capacity", lang),
        TEXTS("sec.capacity.lead", lang),
        [capacity_chart(res, lang), capacity_table(res, lang)],
    )


def no_contacts_text(res: UnitCostResults, lang: Language) -> str:
    """Why there is no DRG section: a service department, or no patient data at all."""
    return TEXTS("no_contacts" if res.inp.patient_data else "no_patient_data", lang)


def drg(res: UnitCostResults, ctx: ReportContext) -> Section:
    """Mean cost per contact against the tariff per DRG/DAGS group, or why there is none."""
    lang = ctx.lang
    if not res.has_contacts:
        return Section(TEXTS("sec.drg", lang), None, [Paragraph(no_contacts_text(res, lang))])
    return Section(
        TEXTS("sec.drg", lang),
        TEXTS("sec.drg.lead", lang, n=settings(ctx.params).small_group_contacts),
        [drg_chart(res, ctx), drg_table(res, ctx)],
    )


def distribution(res: UnitCostResults, ctx: ReportContext) -> Section | None:
    """The spread of cost per contact in the largest groups; ``None`` without patient contacts.

    Groups with fewer contacts than ``privacy.min_group_size`` are not shown.
    """
    if not res.has_contacts:
        return None
    lang = ctx.lang
    return Section(
        TEXTS("sec.distribution", lang),
        TEXTS("sec.distribution.lead", lang, n=ctx.params.privacy.min_group_size),
        [
            distribution_chart(res, ctx),
            WorkbookOnly(drg_distribution_table(res, lang)),
            WorkbookOnly(match_table(res, lang)),
        ],
    )


def sensitivity(res: UnitCostResults, ctx: ReportContext) -> Section:
    """Unit costs under the other allocation methods and practical-capacity shares."""
    lang = ctx.lang
    return Section(
        TEXTS("sec.sensitivity", lang),
        TEXTS("sec.sensitivity.lead", lang),
        [sensitivity_chart(res, lang), WorkbookOnly(sensitivity_table(res, lang))],
    )


def shared_costs(res: UnitCostResults, ctx: ReportContext) -> Section:
    """The allocation of shared costs: keys, quantities and shares.

    The workbook also gets what a controller audits: unit cost by resource, capacity in minutes,
    the cost centres, the ledger by cost type and the allocation matrix of every method.
    """
    lang = ctx.lang
    audit = [
        split_table(res, lang),
        capacity_minutes_table(res, lang),
        centres_table(res, lang),
        ledger_table(res, lang),
        *matrix_tables(res, lang),
    ]
    return Section(
        TEXTS("sec.allocation", lang),
        TEXTS("sec.allocation.lead", lang),
        [overhead_table(res, lang), *(WorkbookOnly(view) for view in audit)],
    )


def appendix_parameters(res: UnitCostResults, ctx: ReportContext) -> dict[str, object]:
    """The parameters this report depends on, with the step-down order actually used."""
    p = settings(ctx.params)
    order = res.by_method["step_down"].allocation.order
    rule = f"({TEXTS('rule', ctx.lang)}: {', '.join(order)})"
    return {
        "language": ctx.params.language,
        "privacy.min_group_size": ctx.params.privacy.min_group_size,
        "unit_cost.method": p.method,
        "unit_cost.step_order": ", ".join(p.step_order) if p.step_order else rule,
        **{f"unit_cost.practical_share.{k}": v for k, v in p.practical_share.items()},
        "unit_cost.bed_day_activity": p.bed_day_activity,
        "unit_cost.small_group_contacts": p.small_group_contacts,
        "unit_cost.sensitivity_shares": ", ".join(f"{x:g}" for x in p.sensitivity_shares),
        "unit_cost.top_groups": p.top_groups,
    }


def definitions() -> list[Definition]:
    """Every definition the unit-cost report's appendix shows, in reading order."""
    return [
        allocation.LEDGER_TOTAL,
        allocation.CENTRE_KINDS,
        allocation.DIRECT_METHOD,
        allocation.STEP_DOWN,
        allocation.STEP_ORDER,
        allocation.RECIPROCAL,
        allocation.PASS_ON,
        contacts.DIRECT_COSTS,
        tdabc.OVERHEAD_LOADING,
        tdabc.PRACTICAL_CAPACITY,
        tdabc.CAPACITY_RATE,
        tdabc.UNIT_COST,
        tdabc.USED_UNUSED,
        contacts.CONTACT_COST,
        contacts.UNMATCHED,
        contacts.DRG_INDEX,
        contacts.SMALL_GROUP,
        SUPPRESSION,
        scenarios.RECONCILIATION,
        scenarios.SENSITIVITY,
        money.ROUNDING,
    ]
