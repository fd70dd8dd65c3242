"""Presentation of the unit-cost report: what it shows, in which order, and what the headline says.

The numbers come from :mod:`toolkit.costing`; this module turns them into tables, charts, cards
and sentences. The notebook ``notebooks/unit-cost.ipynb`` calls these in reading order. A
department's report shows its own cost centres (and, for a service department, where its costs
go); a hospital's report shows every centre. Amounts are kept in øre until they are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.unit_cost import costing
from toolkit.analyses.unit_cost.costing import EXTERNAL, FINAL, INTERMEDIATE, ORE_PER_KR
from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language, fmt_kr, fmt_month, fmt_number, fmt_pct, join_words
from toolkit.core.i18n import register, t
from toolkit.report import figures
from toolkit.report.blocks import Card, Column, TableView
from toolkit.report.context import ReportContext

register(
    {
        "uc.title": ("Enhedsomkostninger", "Unit costs"),
        "uc.period": (
            "Omkostningsperiode: {period} (år til dato).",
            "Costing period: {period} (year to date).",
        ),
        "uc.method.direct": ("direkte fordeling", "direct method"),
        "uc.method.step_down": ("trinvis fordeling", "step-down method"),
        "uc.method.step_down_reversed": ("trinvis, omvendt rækkefølge", "step-down, reversed order"),
        "uc.method.reciprocal": ("gensidig fordeling", "reciprocal method"),
        "uc.share": ("praktisk andel {pct}", "practical share {pct}"),
        "uc.chosen": ("valgt", "chosen"),
        "uc.rule": ("regel", "rule"),
        "uc.kind.staff": ("Personale", "Staff"),
        "uc.kind.room": ("Lokaler", "Rooms"),
        "uc.kind.equipment": ("Udstyr", "Equipment"),
        "uc.kind.final": ("endeligt", "final"),
        "uc.kind.intermediate": ("mellemliggende", "intermediate"),
        "uc.kind.external": ("eksternt", "external"),
        # sections
        "uc.sec.reconciliation": ("Afstemning til regnskabet", "Reconciliation to the ledger"),
        "uc.sec.reconciliation.lead": (
            "Alle tre fordelingsmetoder fører de bogførte omkostninger hele vejen igennem og afstemmer til øret. "
            "Rapporten bruger {method}; de to andre vises til sammenligning.",
            "All three allocation methods carry the ledger costs all the way through and reconcile to the øre. "
            "The report uses the {method}; the other two are shown for comparison.",
        ),
        "uc.sec.flow": ("Fra konti til patientgrupper", "From accounts to patient groups"),
        "uc.sec.flow.lead": (
            "Omkostningernes vej fra kontoarter over omkostningssteder og aktiviteter til DRG-/DAGS-grupper.",
            "How the costs flow from cost types through cost centres and activities to DRG/DAGS groups.",
        ),
        "uc.sec.unit_costs": ("Enhedsomkostninger pr. aktivitet", "Unit cost per activity"),
        "uc.sec.unit_costs.lead": (
            "Hvad én enhed af hver aktivitet koster, fordelt på de ressourcer, den bruger (kapacitetsomkostning "
            "pr. minut × normtid).",
            "What one unit of each activity costs, split by the resources it uses (capacity cost rate × "
            "standard minutes).",
        ),
        "uc.sec.capacity": ("Brugt og ubrugt kapacitet", "Used and unused capacity"),
        "uc.sec.capacity.lead": (
            "Betalt kapacitet, som aktiviteterne ikke bruger, er ubrugt kapacitet. Den lægges ikke på "
            "aktiviteterne, men vises her i minutter og kroner.",
            "Paid capacity the activities do not use is unused capacity. It is not loaded onto the activities "
            "but shown here in minutes and kroner.",
        ),
        "uc.sec.drg": (
            "Omkostning pr. DRG-/DAGS-gruppe mod taksten",
            "Cost per DRG/DAGS group against the tariff",
        ),
        "uc.sec.drg.lead": (
            "Gennemsnitlig omkostning pr. kontakt mod årets takst. Grupper med under {n} kontakter er markeret "
            "som små: deres gennemsnit er usikkert.",
            "Mean cost per contact against the year's tariff. Groups with fewer than {n} contacts are marked "
            "small: their mean is uncertain.",
        ),
        "uc.sec.distribution": ("Spredning pr. gruppe", "Spread per group"),
        "uc.sec.distribution.lead": (
            "Omkostning pr. kontakt i forhold til taksten (1 = takst) i de største grupper: boksen er den "
            "midterste halvdel, stregen medianen, knurhårene 5.–95. percentil. Grupper med under {n} kontakter "
            "vises ikke.",
            "Cost per contact relative to the tariff (1 = tariff) in the largest groups: the box is the middle "
            "half, the line the median, the whiskers the 5th–95th percentile. Groups with fewer than {n} "
            "contacts are not shown.",
        ),
        "uc.sec.sensitivity": ("Følsomhed", "Sensitivity"),
        "uc.sec.sensitivity.lead": (
            "Hvor meget enhedsomkostningerne flytter sig med en anden fordelingsmetode eller rækkefølge, og "
            "med en anden praktisk kapacitetsandel for periodens ressourcer (ændring i % af den valgte beregning).",
            "How much the unit costs move with another allocation method or order, and with another "
            "practical-capacity share for the period's resources (change in % of the chosen computation).",
        ),
        "uc.sec.allocation": ("Fordeling af fællesomkostninger", "Allocation of shared costs"),
        "uc.sec.allocation.lead": (
            "Hvad hvert mellemliggende sted har givet videre, efter hvilken nøgle, og med hvilken andel. Hele "
            "fordelingsmatricen ligger i regnearket.",
            "What each intermediate centre passed on, by which key and with which share. The full allocation "
            "matrix is in the workbook.",
        ),
        "uc.sec.allocation.lead.service": (
            "Afdelingens servicefunktion giver omkostningen ved den brugte kapacitet videre efter {key}; modtagerne "
            "står herunder.",
            "The department's service centre passes on the cost of the capacity it used by {key}; the receivers "
            "are listed below.",
        ),
        "uc.no_contacts": (
            "Afdelingen har ingen patientkontakter i perioden: dens omkostninger gives videre til andre afdelinger.",
            "The department has no patient contacts in the period: its costs are passed on to other departments.",
        ),
        "uc.no_patient_data": (
            "Data rummer ingen patientkontakter og takster, så omkostningen pr. DRG-gruppe kan ikke vises.",
            "The data hold no patient contacts and tariffs, so the cost per DRG group cannot be shown.",
        ),
        "uc.unmatched_note": (
            "Aktivitet uden kontakt: {amount} ({pct} af aktiviteternes omkostning) er talt i aktivitetsopgørelsen, "
            "men ikke registreret på en patientkontakt.",
            "Activity without a contact: {amount} ({pct} of the activities' cost) is counted in the volume table "
            "but not recorded on a patient contact.",
        ),
        "uc.hospital_note": (
            "Hele sygehuset: bogført {ledger}, fordelt {allocated}, difference {diff}",
            "Whole hospital: ledger {ledger}, allocated {allocated}, difference {diff}.",
        ),
        "uc.no_standard": (
            "Aktiviteter uden normtider får ingen omkostning: {names}.",
            "Activities without standard minutes get no cost: {names}.",
        ),
        "uc.widget.note": (
            "Skub til den praktiske kapacitetsandel og vælg metode: enhedsomkostningerne regnes igen.",
            "Move the practical-capacity share and choose a method: the unit costs are computed again.",
        ),
        # reconciliation lines
        "uc.line.own": ("Egne bogførte omkostninger", "Own ledger costs"),
        "uc.line.received": ("Modtaget fra mellemliggende steder", "Received from intermediate centres"),
        "uc.line.total": ("Omkostninger i alt", "Total cost"),
        "uc.line.ledger": ("Bogførte omkostninger (hele sygehuset)", "Ledger total (whole hospital)"),
        "uc.line.passed_on": ("Givet videre til andre steder", "Passed on to other centres"),
        "uc.line.external": ("Eksterne steder (uden for DRG)", "External centres (outside DRG)"),
        "uc.line.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "uc.line.direct": ("Direkte henført til kontakter", "Assigned directly to contacts"),
        "uc.line.activities": ("Aktiviteter (brugt kapacitet)", "Activities (used capacity)"),
        "uc.line.difference": ("Difference", "Difference"),
        "uc.recon.note.department": (
            "Omkostninger i alt = egne + modtagne. Difference = omkostninger i alt − givet videre − eksterne − "
            "ubrugt kapacitet − direkte henført − aktiviteter.",
            "Total cost = own + received. Difference = total cost − passed on − external − unused capacity − "
            "assigned directly − activities.",
        ),
        "uc.recon.note.hospital": (
            "Difference = bogførte omkostninger − eksterne − ubrugt kapacitet − direkte henført − aktiviteter.",
            "Difference = ledger total − external − unused capacity − assigned directly − activities.",
        ),
        # columns
        "uc.col.line": ("Post", "Line"),
        "uc.col.activity": ("Aktivitet", "Activity"),
        "uc.col.unit": ("Afdeling", "Department"),
        "uc.col.volume": ("Aktivitet", "Volume"),
        "uc.col.volume_unit": ("Enhed", "Unit"),
        "uc.col.unit_cost": ("Kr. pr. enhed", "DKK per unit"),
        "uc.col.total_cost": ("Omkostning", "Cost"),
        "uc.col.resource": ("Ressource", "Resource"),
        "uc.col.kind": ("Type", "Kind"),
        "uc.col.minutes": ("Minutter pr. enhed", "Minutes per unit"),
        "uc.col.rate": ("Kr. pr. minut", "DKK per minute"),
        "uc.col.capacity_cost": ("Kapacitet, kr.", "Capacity, DKK"),
        "uc.col.practical_hours": ("Praktisk, timer", "Practical, hours"),
        "uc.col.used_hours": ("Brugt, timer", "Used, hours"),
        "uc.col.theoretical_minutes": ("Teoretisk, minutter", "Theoretical, minutes"),
        "uc.col.practical_minutes": ("Praktisk, minutter", "Practical, minutes"),
        "uc.col.used_minutes": ("Brugt, minutter", "Used, minutes"),
        "uc.col.unused_minutes": ("Ubrugt, minutter", "Unused, minutes"),
        "uc.col.unused_hours": ("Ubrugt, timer", "Unused, hours"),
        "uc.col.utilisation": ("Udnyttelse", "Utilisation"),
        "uc.col.used_cost": ("Brugt", "Used"),
        "uc.col.unused_cost": ("Ubrugt", "Unused"),
        "uc.col.share_used": ("Praktisk andel", "Practical share"),
        "uc.col.group": ("Gruppe", "Group"),
        "uc.col.name": ("Navn", "Name"),
        "uc.col.n": ("Kontakter", "Contacts"),
        "uc.col.mean": ("Gns. omkostning", "Mean cost"),
        "uc.col.median": ("Median", "Median"),
        "uc.col.q1": ("25 %-fraktil", "25th percentile"),
        "uc.col.q3": ("75 %-fraktil", "75th percentile"),
        "uc.col.p05": ("5 %-fraktil", "5th percentile"),
        "uc.col.p95": ("95 %-fraktil", "95th percentile"),
        "uc.col.tariff": ("Takst", "Tariff"),
        "uc.col.index": ("Indeks", "Index"),
        "uc.col.gap": ("Omkostning − takst i alt", "Cost − tariff in total"),
        "uc.col.small": ("Lille gruppe", "Small group"),
        "uc.col.variant": ("Beregning", "Computation"),
        "uc.col.change": ("Ændring", "Change"),
        "uc.col.from": ("Fra", "From"),
        "uc.col.to": ("Til", "To"),
        "uc.col.key": ("Nøgle", "Key"),
        "uc.col.quantity": ("Mængde", "Quantity"),
        "uc.col.key_total": ("Nøgle i alt", "Key total"),
        "uc.col.share": ("Andel", "Share"),
        "uc.col.amount": ("Beløb", "Amount"),
        "uc.col.pool": ("Pulje", "Pool"),
        "uc.col.own": ("Egne", "Own"),
        "uc.col.received": ("Modtaget", "Received"),
        "uc.col.passed_on": ("Givet videre", "Passed on"),
        "uc.col.retained": ("Ubrugt kapacitet", "Unused capacity"),
        "uc.col.centre": ("Omkostningssted", "Cost centre"),
        "uc.col.centre_kind": ("Art", "Kind"),
        "uc.col.contact_quantity": ("På kontakter", "On contacts"),
        "uc.col.matched": ("Henført til kontakter", "Assigned to contacts"),
        "uc.col.unmatched": ("Uden kontakt", "Without contact"),
        "uc.col.cost_type": ("Kontoart", "Cost type"),
        # tables (sheet names)
        "uc.tbl.reconciliation": ("Afstemning", "Reconciliation"),
        "uc.tbl.unit_costs": ("Enhedsomkostninger", "Unit costs"),
        "uc.tbl.split": ("Enhedsomk. pr. ressource", "Unit cost by resource"),
        "uc.tbl.capacity": ("Kapacitet", "Capacity"),
        "uc.tbl.capacity_minutes": ("Kapacitet i minutter", "Capacity in minutes"),
        "uc.tbl.drg": ("DRG mod takst", "DRG against tariff"),
        "uc.tbl.match": ("Aktivitet og kontakter", "Activity and contacts"),
        "uc.tbl.sensitivity": ("Følsomhed", "Sensitivity"),
        "uc.tbl.allocation": ("Fordeling", "Allocation"),
        "uc.tbl.centres": ("Omkostningssteder", "Cost centres"),
        "uc.tbl.matrix": ("Fordelingsmatrix", "Allocation matrix"),
        "uc.tbl.flows": ("Fordelingsnøgler", "Allocation keys"),
        "uc.tbl.ledger": ("Regnskab pr. kontoart", "Ledger by cost type"),
        # charts
        "uc.fig.kr_per_unit": ("Kr. pr. enhed", "DKK per unit"),
        "uc.fig.kr": ("Kr.", "DKK"),
        "uc.fig.mio_kr": ("Mio. kr.", "DKK million"),
        "uc.fig.used": ("Brugt kapacitet", "Used capacity"),
        "uc.fig.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "uc.fig.over": ("Brugt ud over praktisk kapacitet", "Used beyond practical capacity"),
        "uc.fig.mean_cost": ("Gns. omkostning pr. kontakt", "Mean cost per contact"),
        "uc.fig.tariff": ("Takst", "Tariff"),
        "uc.fig.small": ("lille gruppe", "small group"),
        "uc.fig.cost_per_contact": ("Kr. pr. kontakt", "DKK per contact"),
        "uc.fig.change_pct": ("Ændring i enhedsomkostning, %", "Change in unit cost, %"),
        "uc.fig.vs_tariff": (
            "Omkostning over (+) eller under (−) taksten",
            "Cost above (+) or below (−) the tariff",
        ),
        "uc.fig.relative": ("Omkostning pr. kontakt / takst", "Cost per contact / tariff"),
        "uc.fig.vs_mean": ("% mod sygehusets gns.", "% vs hospital mean"),
        "uc.node.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "uc.node.direct": ("Implantater og dyr medicin", "Implants and expensive medicine"),
        "uc.node.passed_on": ("Givet videre til andre afdelinger", "Passed on to other departments"),
        "uc.node.unmatched": ("Aktivitet uden kontakt", "Activity without a contact"),
        "uc.node.other_groups": ("Øvrige grupper", "Other groups"),
        "uc.node.shared": ("Fælles- og servicefunktioner", "Shared and service centres"),
        "uc.node.external": ("Uden for DRG", "Outside DRG"),
        "uc.node.from": ("Fra {name}", "From {name}"),
        # cards
        "uc.card.total": ("Omkostninger i alt", "Total cost"),
        "uc.card.received": ("heraf fællesomkostninger {pct}", "of which shared costs {pct}"),
        "uc.card.ledger": ("bogført i perioden", "booked in the period"),
        "uc.card.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "uc.card.unused_detail": ("{pct} af kapaciteten", "{pct} of capacity"),
        "uc.card.index": ("Omkostning mod takst", "Cost against tariff"),
        "uc.card.index_detail": ("{n} kontakter", "{n} contacts"),
        "uc.card.passed_on": ("Givet videre", "Passed on"),
        "uc.card.passed_on_detail": ("til {n} steder efter {key}", "to {n} centres by {key}"),
        "uc.card.reconciled": ("Afstemning", "Reconciliation"),
        "uc.card.reconciled_detail": ("difference i alle tre metoder", "difference in all three methods"),
        "uc.card.external": ("Uden for DRG", "Outside DRG"),
        # headline
        "hl.uc.total": (
            "{unit} kostede {total} i {period}: {own} egne omkostninger og {received} fællesomkostninger fra {n} "
            "mellemliggende steder ({method}).",
            "{unit} cost {total} in {period}: {own} of its own costs and {received} of shared costs from {n} "
            "intermediate centres ({method}).",
        ),
        "hl.uc.total_own": (
            "{unit} kostede {total} i {period}; der er ingen fællesomkostninger fordelt til afdelingen.",
            "{unit} cost {total} in {period}; no shared costs were allocated to it.",
        ),
        "hl.uc.share_only": (
            "En praktisk kapacitetsandel på {share} flytter enhedsomkostningerne op til {share_pct}.",
            "A practical-capacity share of {share} moves the unit costs by up to {share_pct}.",
        ),
        "hl.uc.hospital": (
            "{unit} har bogført {total} i {period}: {pct_a} gik til patientaktiviteter, {pct_d} direkte til "
            "patienter (implantater og dyr medicin), {pct_u} er ubrugt kapacitet og {pct_e} ligger uden for DRG.",
            "{unit} booked {total} in {period}: {pct_a} went to patient activities, {pct_d} directly to patients "
            "(implants and expensive medicine), {pct_u} is unused capacity and {pct_e} is outside DRG.",
        ),
        "hl.uc.service": (
            "{unit} kostede {total} i {period}; {passed} ({pct}) blev givet videre til {n} afdelinger efter {key}.",
            "{unit} cost {total} in {period}; {passed} ({pct}) was passed on to {n} departments by {key}.",
        ),
        "hl.uc.unit_costs": ("Enhedsomkostninger: {items}.", "Unit costs: {items}."),
        "hl.uc.unit_cost_item": ("{name} {kr} stykket", "{name} {kr} each"),
        "hl.uc.range": (
            "{name} koster mellem {low} ({low_unit}) og {high} ({high_unit}) stykket.",
            "{name} cost between {low} ({low_unit}) and {high} ({high_unit}) each.",
        ),
        "hl.uc.unused": (
            "Ubrugt kapacitet er {kr} ({pct} af kapaciteten); mest for {resource} ({rpct} ubrugt).",
            "Unused capacity is {kr} ({pct} of capacity), most of it for {resource} ({rpct} unused).",
        ),
        "hl.uc.over": (
            " {resource} er brugt {pct} ud over sin praktiske kapacitet.",
            " {resource} is used {pct} beyond its practical capacity.",
        ),
        "hl.uc.drg": (
            "Patientkontakterne koster samlet {pct} {dir} taksten (indeks {idx}, {n} kontakter); størst er "
            "afvigelsen for {group} {name} med indeks {gidx} ({gn} kontakter).",
            "The patient contacts cost {pct} {dir} the tariff in total (index {idx}, {n} contacts); the largest "
            "gap is for {group} {name}, index {gidx} ({gn} contacts).",
        ),
        "hl.uc.above": ("over", "above"),
        "hl.uc.below": ("under", "below"),
        "hl.uc.small": (
            " {k} grupper har under {n} kontakter og er markeret som små.",
            " {k} groups have fewer than {n} contacts and are marked small.",
        ),
        "hl.uc.small_one": (
            " Én gruppe har under {n} kontakter og er markeret som lille.",
            " One group has fewer than {n} contacts and is marked small.",
        ),
        "hl.uc.sensitivity": (
            "Med en anden fordelingsmetode flytter enhedsomkostningerne højst {method_pct}; en praktisk "
            "kapacitetsandel på {share} flytter dem op til {share_pct}.",
            "Another allocation method moves the unit costs by at most {method_pct}; a practical-capacity share "
            "of {share} moves them by up to {share_pct}.",
        ),
    }
)

OTHER = "__other__"


@dataclass(frozen=True)
class UnitCostResults:
    """Everything the unit-cost report shows, computed once."""

    inp: costing.CostingInput
    settings: costing.Settings
    base: costing.Costing
    by_method: dict[str, costing.Costing]
    contacts: costing.ContactCosts | None
    drg: pd.DataFrame
    reconciliation: pd.DataFrame
    sensitivity: pd.DataFrame
    scope: str  # "department" or "hospital"

    @property
    def has_contacts(self) -> bool:
        """True if the scope has patient contacts with tariffs."""
        return self.contacts is not None and len(self.drg) > 0

    @property
    def scope_centres(self) -> pd.DataFrame:
        """The allocation's rows of the scope's cost centres."""
        c = self.base.allocation.centres
        return c[c["cost_centre_id"].isin(self.inp.scope_centres)]


def settings_from(ctx: ReportContext) -> costing.Settings:
    """The costing choices from the ``unit_cost`` parameters."""
    p = ctx.params.unit_cost
    return costing.Settings(
        method=p.method,
        step_order=tuple(p.step_order),
        practical_share=dict(p.practical_share),
        bed_day_activity=p.bed_day_activity,
    )


def compute(inp: costing.CostingInput, ctx: ReportContext) -> UnitCostResults:
    """Cost the report's scope under every method, cost its contacts and run the sensitivity."""
    settings = settings_from(ctx)
    params = ctx.params.unit_cost
    base = costing.evaluate(inp, settings)
    by_method = {
        m: base if m == base.method else costing.evaluate(inp, settings, method=m) for m in costing.METHODS
    }
    contact_costs = None
    drg = pd.DataFrame()
    if len(inp.contacts):
        acts = base.time_driven.activities
        contact_costs = costing.contact_costs(
            inp.contacts,
            inp.contact_activities,
            acts[acts["centre_kind"] == FINAL],
            bed_day_activity=settings.bed_day_activity,
            intermediate_activities=acts[acts["centre_kind"] == INTERMEDIATE],
        )
        drg = costing.drg_summary(
            contact_costs.contacts,
            inp.drg_groups,
            small_group=params.small_group_contacts,
            min_distribution=ctx.params.privacy.min_group_size,
        )
    lines = {
        m: costing.reconcile(inp, c, contact_costs if m == base.method else None).set_index("line")["amount"]
        for m, c in by_method.items()
    }
    reconciliation = pd.DataFrame(lines)
    sens = costing.sensitivity(inp, settings, base, shares=params.sensitivity_shares, known=by_method)
    scope = "hospital" if inp.unit_id == inp.hospital_id else "department"
    return UnitCostResults(inp, settings, base, by_method, contact_costs, drg, reconciliation, sens, scope)


def costing_only(
    inp: costing.CostingInput, settings: costing.Settings, result: costing.Costing
) -> UnitCostResults:
    """Results holding one costing and nothing else (the interactive explorer shows its unit costs)."""
    empty = pd.DataFrame()
    scope = "hospital" if inp.unit_id == inp.hospital_id else "department"
    return UnitCostResults(inp, settings, result, {result.method: result}, None, empty, empty, empty, scope)


# --------------------------------------------------------------------------- names and helpers


def period_label(months: Sequence[str], lang: Language) -> str:
    """``januar–oktober 2026`` (``January–October 2026``), or one month."""
    if len(months) == 1:
        return fmt_month(months[0], lang)
    first = fmt_month(months[0], lang).rsplit(" ", 1)[0]
    return f"{first}–{fmt_month(months[-1], lang)}"


def _kr(ore: float | int) -> float:
    return float(ore) / ORE_PER_KR


def fmt_kr_ore(value: float, lang: Language) -> str:
    """An amount with øre: ``1.234,56 kr.`` (da) / ``DKK 1,234.56`` (en)."""
    number = fmt_number(value, 2, lang)
    return f"{number}\u00a0kr." if lang == "da" else f"DKK\u00a0{number}"


def fmt_unit_cost(value: float, lang: Language) -> str:
    """A unit cost: with øre below 100 kr. (``7,20 kr.``), whole kroner above (``2.373 kr.``)."""
    if value < 100:
        return fmt_kr_ore(value, lang)
    return fmt_kr(value, lang, compact=False)


def _names(res: UnitCostResults) -> dict[str, dict[str, str]]:
    inp = res.inp
    return {
        "activity": dict(zip(inp.activities["activity_id"], inp.activities["name"], strict=True)),
        "volume_unit": dict(
            zip(inp.activities["activity_id"], inp.activities["volume_unit"].fillna(""), strict=True)
        ),
        "centre": dict(zip(inp.centres["cost_centre_id"], inp.centres["name"], strict=True)),
        "unit": dict(zip(inp.units["unit_id"], inp.units["name"], strict=True)),
        "cost_type": dict(zip(inp.cost_types["cost_type"], inp.cost_types["name"], strict=True)),
    }


def in_sentence(name: str, lang: Language) -> str:
    """A catalogue name inside a Danish sentence: ``Ambulante besøg`` → ``ambulante besøg`` (not ``CT``)."""
    if lang == "da" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def method_label(key: str, lang: Language) -> str:
    """The name of an allocation method (``step_down`` → ``trinvis fordeling``)."""
    return t(f"uc.method.{key}", lang)


def _scope_activities(res: UnitCostResults) -> pd.DataFrame:
    """Unit cost per activity of the scope's centres (final and service), with cost in kr."""
    td = res.base.time_driven
    res_scope = td.resources.loc[td.resources["cost_centre_id"].isin(res.inp.scope_centres), "resource_id"]
    sp = td.split[td.split["resource_id"].isin(res_scope)]
    acts = sp.groupby(["unit_id", "activity_id", "centre_kind"], as_index=False).agg(
        unit_cost=("unit_cost", "sum"), used_cost=("used_cost", "sum")
    )
    vol = res.base.usage.groupby(["unit_id", "activity_id"])["volume"].first()
    acts["volume"] = [
        float(vol.get((u, a), 0.0)) for u, a in zip(acts["unit_id"], acts["activity_id"], strict=True)
    ]
    acts["cost"] = acts["used_cost"] / ORE_PER_KR
    return acts.sort_values("used_cost", ascending=False, kind="stable").reset_index(drop=True)


def _scope_resources(res: UnitCostResults) -> pd.DataFrame:
    r = res.base.time_driven.resources
    return r[r["cost_centre_id"].isin(res.inp.scope_centres)].reset_index(drop=True)


def _resource_label(res: UnitCostResults, frame: pd.DataFrame) -> pd.Series:
    if res.scope == "department":
        many_centres = frame["cost_centre_id"].nunique() > 1
        if not many_centres:
            return frame["name"]
        centre = _names(res)["centre"]
        return frame["name"] + " · " + frame["cost_centre_id"].map(centre)
    return frame["name"] + " · " + frame["unit_id"]


# --------------------------------------------------------------------------- headline and cards


def _totals(res: UnitCostResults) -> dict[str, int]:
    return {k: int(v) for k, v in res.reconciliation[res.base.method].items()}


def headline(res: UnitCostResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences, generated from the numbers, most important first."""
    lang: Language = ctx.lang
    names = _names(res)
    tot = _totals(res)
    period = period_label(res.inp.months, lang)
    unit = ctx.unit.name
    out: list[str] = []
    scope = res.scope_centres
    if res.scope == "hospital":
        total = tot["ledger"]
        out.append(
            t(
                "hl.uc.hospital",
                lang,
                unit=unit,
                total=fmt_kr(_kr(total), lang),
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
                t("hl.uc.total_own", lang, unit=unit, total=fmt_kr(_kr(tot["total"]), lang), period=period)
            )
        else:
            out.append(
                t(
                    "hl.uc.total",
                    lang,
                    unit=unit,
                    total=fmt_kr(_kr(tot["total"]), lang),
                    period=period,
                    own=fmt_kr(_kr(tot["own"]), lang),
                    received=fmt_kr(_kr(tot["received"]), lang),
                    n=senders["from_centre"].nunique(),
                    method=method_label(res.base.method, lang),
                )
            )
    if res.scope == "department" and (scope["kind"] == INTERMEDIATE).any():
        out.append(_service_sentence(res, ctx))
    out.append(_unit_cost_sentence(res, lang, names))
    out.append(_unused_sentence(res, lang))
    if res.has_contacts:
        out.append(_drg_sentence(res, ctx))
    sens = _sensitivity_sentence(res, lang)
    if sens:
        out.append(sens)
    return [s for s in out if s][:5]


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
    return t(
        "hl.uc.service",
        lang,
        unit=join_words([_names(res)["centre"].get(c, c) for c in service["cost_centre_id"]], lang),
        total=fmt_kr(_kr(total), lang),
        period=period_label(res.inp.months, lang),
        passed=fmt_kr(_kr(passed), lang),
        pct=fmt_pct(passed / total * 100 if total else np.nan, 0, lang),
        n=receivers,
        key=keys,
    )


def _unit_cost_sentence(res: UnitCostResults, lang: Language, names: dict[str, dict[str, str]]) -> str:
    acts = _scope_activities(res)
    acts = acts[acts["volume"] > 0]
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
                t(
                    "hl.uc.range",
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
        t(
            "hl.uc.unit_cost_item",
            lang,
            name=in_sentence(names["activity"].get(a, a), lang),
            kr=fmt_unit_cost(c, lang),
        )
        for a, c in zip(top["activity_id"], top["unit_cost"], strict=True)
    ]
    return t("hl.uc.unit_costs", lang, items=join_words(items, lang))


def _unused_sentence(res: UnitCostResults, lang: Language) -> str:
    r = _scope_resources(res)
    if r.empty:
        return ""
    capacity = float(r["capacity_cost"].sum())
    unused = float(r["unused_cost"].sum())
    r = r.assign(label=_resource_label(res, r))
    worst = r.sort_values("unused_cost", ascending=False).iloc[0]
    text = t(
        "hl.uc.unused",
        lang,
        kr=fmt_kr(_kr(unused), lang),
        pct=fmt_pct(unused / capacity * 100 if capacity else np.nan, 0, lang),
        resource=worst["label"],
        rpct=fmt_pct((1 - worst["utilisation"]) * 100, 0, lang),
    )
    over = r[r["utilisation"] > 1.02].sort_values("utilisation", ascending=False)
    if len(over):
        o = over.iloc[0]
        text += t("hl.uc.over", lang, resource=o["label"], pct=fmt_pct((o["utilisation"] - 1) * 100, 0, lang))
    return text


def _drg_sentence(res: UnitCostResults, ctx: ReportContext) -> str:
    lang = ctx.lang
    d = res.drg
    idx = costing.overall_index(d)
    big = d[~d["small"]]
    pick = big if len(big) else d
    worst = pick.loc[pick["gap"].abs().idxmax()]
    text = t(
        "hl.uc.drg",
        lang,
        pct=fmt_pct(abs(idx - 1) * 100, 0, lang),
        dir=t("hl.uc.above" if idx >= 1 else "hl.uc.below", lang),
        idx=fmt_number(idx, 2, lang),
        n=fmt_number(float(d["n"].sum()), 0, lang),
        group=worst["drg_group"],
        name=worst["name"],
        gidx=fmt_number(worst["index"], 2, lang),
        gn=fmt_number(float(worst["n"]), 0, lang),
    )
    small = int(d["small"].sum())
    if small:
        key = "hl.uc.small_one" if small == 1 else "hl.uc.small"
        text += t(key, lang, k=small, n=ctx.params.unit_cost.small_group_contacts)
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
        return t(
            "hl.uc.share_only",
            lang,
            share=fmt_pct(float(share_row["variant"]) * 100, 0, lang),
            share_pct=fmt_pct(float(shares["change_pct"].abs().max()), 0, lang),
        )
    return t(
        "hl.uc.sensitivity",
        lang,
        method_pct=fmt_pct(float(methods["change_pct"].abs().max()), 1, lang),
        share=fmt_pct(float(share_row["variant"]) * 100, 0, lang),
        share_pct=fmt_pct(float(shares["change_pct"].abs().max()), 0, lang),
    )


def cards(res: UnitCostResults, ctx: ReportContext) -> list[Card]:
    """The KPI boxes under the headline."""
    lang = ctx.lang
    tot = _totals(res)
    out = []
    if res.scope == "hospital":
        out.append(
            Card(t("uc.card.total", lang), fmt_kr(_kr(tot["ledger"]), lang), t("uc.card.ledger", lang))
        )
        out.append(
            Card(
                t("uc.card.external", lang),
                fmt_kr(_kr(tot["external"]), lang),
                fmt_pct(tot["external"] / tot["ledger"] * 100, 1, lang),
            )
        )
    else:
        total = tot["total"]
        out.append(
            Card(
                t("uc.card.total", lang),
                fmt_kr(_kr(total), lang),
                t(
                    "uc.card.received",
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
                    t("uc.card.passed_on", lang),
                    fmt_kr(_kr(tot["passed_on"]), lang),
                    t(
                        "uc.card.passed_on_detail",
                        lang,
                        n=out_f["to_centre"].nunique(),
                        key=join_words(sorted(set(out_f["driver"])), lang),
                    ),
                )
            )
    r = _scope_resources(res)
    capacity = float(r["capacity_cost"].sum())
    unused_pct = tot["unused"] / capacity * 100 if capacity else np.nan
    out.append(
        Card(
            t("uc.card.unused", lang),
            fmt_kr(_kr(tot["unused"]), lang),
            t("uc.card.unused_detail", lang, pct=fmt_pct(unused_pct, 0, lang)),
            "red" if unused_pct > 20 else ("amber" if unused_pct > 10 else "green"),
        )
    )
    if res.has_contacts:
        idx = costing.overall_index(res.drg)
        out.append(
            Card(
                t("uc.card.index", lang),
                fmt_number(idx, 2, lang),
                t("uc.card.index_detail", lang, n=fmt_number(float(res.drg["n"].sum()), 0, lang)),
                "red" if idx > 1.05 else ("amber" if idx > 1.0 else "green"),
            )
        )
    worst = max(
        abs(int(res.reconciliation.loc[line].abs().max())) for line in ("difference", "hospital_difference")
    )
    out.append(
        Card(
            t("uc.card.reconciled", lang),
            fmt_kr_ore(_kr(worst), lang),
            t("uc.card.reconciled_detail", lang),
            "green" if worst == 0 else "red",
        )
    )
    return out


def record_kpis(report: object, res: UnitCostResults, ctx: ReportContext) -> None:
    """The headline values for the JSON file beside the report."""
    from toolkit.report.blocks import Report

    assert isinstance(report, Report)
    lang = ctx.lang
    tot = _totals(res)
    names = _names(res)
    total = tot["ledger"] if res.scope == "hospital" else tot["total"]
    report.kpi("total_cost_kr", t("uc.card.total", lang), _kr(total), "kr")
    if res.scope == "department":
        report.kpi("received_kr", t("uc.col.received", lang), _kr(tot["received"]), "kr")
    report.kpi("unused_capacity_kr", t("uc.card.unused", lang), _kr(tot["unused"]), "kr")
    r = _scope_resources(res)
    capacity = float(r["capacity_cost"].sum())
    report.kpi(
        "unused_capacity_pct",
        t("uc.card.unused", lang),
        tot["unused"] / capacity * 100 if capacity else None,
        "%",
    )
    report.kpi("direct_to_contacts_kr", t("uc.node.direct", lang), _kr(tot["direct"]), "kr")
    worst = max(
        abs(int(res.reconciliation.loc[line].abs().max())) for line in ("difference", "hospital_difference")
    )
    report.kpi("reconciliation_difference_kr", t("uc.card.reconciled", lang), _kr(worst), "kr")
    if res.has_contacts:
        report.kpi("drg_index", t("uc.card.index", lang), costing.overall_index(res.drg), "index")
        report.kpi("contacts", t("uc.col.n", lang), float(res.drg["n"].sum()), "contacts")
    if res.scope == "department":
        for row in _scope_activities(res).itertuples(index=False):
            if row.volume > 0:
                report.kpi(
                    f"unit_cost_{row.activity_id}",
                    names["activity"].get(row.activity_id, row.activity_id),
                    row.unit_cost,
                    f"kr/{names['volume_unit'].get(row.activity_id) or 'unit'}",
                )


# --------------------------------------------------------------------------- tables


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
    frame["label"] = frame["line"].map(lambda k: t(f"uc.line.{k}", lang))
    return TableView(
        t("uc.tbl.reconciliation", lang),
        frame,
        note=t(f"uc.recon.note.{res.scope}", lang),
        columns=[Column("label", t("uc.col.line", lang))]
        + [Column(m, method_label(m, lang).capitalize(), "number", decimals=2) for m in costing.METHODS],
    )


def reconciliation_notes(res: UnitCostResults, lang: Language) -> list[str]:
    """Notes under the reconciliation: activity without contact, the whole hospital."""
    notes = []
    tot = _totals(res)
    if res.has_contacts and tot["activities"]:
        notes.append(
            t(
                "uc.unmatched_note",
                lang,
                amount=fmt_kr(_kr(tot["unmatched"]), lang),
                pct=fmt_pct(tot["unmatched"] / tot["activities"] * 100, 1, lang),
            )
        )
    if res.scope == "department":
        notes.append(
            t(
                "uc.hospital_note",
                lang,
                ledger=fmt_kr_ore(_kr(tot["ledger"]), lang),
                allocated=fmt_kr_ore(_kr(tot["hospital_allocated"]), lang),
                diff=fmt_kr_ore(_kr(tot["hospital_difference"]), lang),
            )
        )
    missing = sorted(
        set(res.inp.volume.loc[res.inp.volume["unit_id"].isin(res.inp.scope_units), "activity_id"])
        - set(res.base.usage.loc[res.base.usage["unit_id"].isin(res.inp.scope_units), "activity_id"])
    )
    if missing:
        names = _names(res)["activity"]
        notes.append(t("uc.no_standard", lang, names=join_words([names.get(a, a) for a in missing], lang)))
    return notes


def unit_cost_table(res: UnitCostResults, lang: Language) -> TableView:
    """Unit cost per activity (and department at hospital level)."""
    names = _names(res)
    acts = _scope_activities(res).copy()
    acts["name"] = acts["activity_id"].map(names["activity"])
    acts["volume_unit"] = acts["activity_id"].map(names["volume_unit"])
    acts["unit"] = acts["unit_id"].map(names["unit"])
    acts["kind_label"] = acts["centre_kind"].map(lambda k: t(f"uc.kind.{k}", lang))
    cols = [Column("name", t("uc.col.activity", lang))]
    if res.scope == "hospital":
        acts = acts.sort_values(["activity_id", "unit_cost"], kind="stable")
        cols.append(Column("unit", t("uc.col.unit", lang)))
    cols += [
        Column("volume", t("uc.col.volume", lang), "int"),
        Column("volume_unit", t("uc.col.volume_unit", lang)),
        Column("unit_cost", t("uc.col.unit_cost", lang), "number", decimals=2),
        Column("cost", t("uc.col.total_cost", lang), "kr"),
        Column("kind_label", t("uc.col.centre_kind", lang)),
    ]
    return TableView(t("uc.tbl.unit_costs", lang), acts, cols)


def split_table(res: UnitCostResults, lang: Language) -> TableView:
    """Unit cost per activity split by resource: minutes × rate."""
    names = _names(res)
    td = res.base.time_driven
    r = _scope_resources(res)
    sp = td.split[td.split["resource_id"].isin(r["resource_id"])].merge(
        r[["resource_id", "name", "kind", "rate"]], on="resource_id"
    )
    sp = sp.assign(
        activity=sp["activity_id"].map(names["activity"]),
        unit=sp["unit_id"].map(names["unit"]),
        kind_label=sp["kind"].map(lambda k: t(f"uc.kind.{k}", lang)),
        cost=sp["used_cost"] / ORE_PER_KR,
    ).sort_values(["unit_id", "activity_id", "unit_cost"], ascending=[True, True, False], kind="stable")
    cols = [Column("activity", t("uc.col.activity", lang))]
    if res.scope == "hospital":
        cols.append(Column("unit", t("uc.col.unit", lang)))
    cols += [
        Column("name", t("uc.col.resource", lang)),
        Column("kind_label", t("uc.col.kind", lang)),
        Column("minutes", t("uc.col.minutes", lang), "number", decimals=1),
        Column("rate", t("uc.col.rate", lang), "number", decimals=2),
        Column("unit_cost", t("uc.col.unit_cost", lang), "number", decimals=2),
        Column("cost", t("uc.col.total_cost", lang), "kr"),
    ]
    return TableView(t("uc.tbl.split", lang), sp, cols)


def capacity_table(res: UnitCostResults, lang: Language) -> TableView:
    """Capacity per resource: cost, practical, used and unused time and cost, utilisation."""
    r = _scope_resources(res)
    r = r.assign(
        label=_resource_label(res, r),
        kind_label=r["kind"].map(lambda k: t(f"uc.kind.{k}", lang)),
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
        t("uc.tbl.capacity", lang),
        r,
        [
            Column("label", t("uc.col.resource", lang)),
            Column("capacity", t("uc.col.capacity_cost", lang), "kr"),
            Column("share_pct", t("uc.col.share_used", lang), "pct", decimals=0),
            Column("practical_hours", t("uc.col.practical_hours", lang), "int"),
            Column("used_hours", t("uc.col.used_hours", lang), "int"),
            Column("utilisation_pct", t("uc.col.utilisation", lang), "pct", decimals=0),
            Column("rate", t("uc.col.rate", lang), "number", decimals=2),
            Column("unused", t("uc.col.unused_cost", lang), "kr"),
        ],
    )


def capacity_minutes_table(res: UnitCostResults, lang: Language) -> TableView:
    """Capacity per resource in minutes and kr. with øre (workbook: for checking every rate)."""
    r = _scope_resources(res)
    r = r.assign(
        label=_resource_label(res, r),
        kind_label=r["kind"].map(lambda k: t(f"uc.kind.{k}", lang)),
        **{k: r[k] / ORE_PER_KR for k in ("capacity_cost", "used_cost", "unused_cost")},
        utilisation_pct=r["utilisation"] * 100,
    )
    return TableView(
        t("uc.tbl.capacity_minutes", lang),
        r,
        [
            Column("resource_id", t("uc.col.resource", lang)),
            Column("label", t("uc.col.name", lang)),
            Column("kind_label", t("uc.col.kind", lang)),
            Column("cost_centre_id", t("uc.col.centre", lang)),
            Column("capacity_cost", t("uc.col.capacity_cost", lang), "number", decimals=2),
            Column("theoretical_minutes", t("uc.col.theoretical_minutes", lang), "number", decimals=0),
            Column("practical_minutes", t("uc.col.practical_minutes", lang), "number", decimals=0),
            Column("used_minutes", t("uc.col.used_minutes", lang), "number", decimals=0),
            Column("unused_minutes", t("uc.col.unused_minutes", lang), "number", decimals=0),
            Column("utilisation_pct", t("uc.col.utilisation", lang), "pct", decimals=1),
            Column("rate", t("uc.col.rate", lang), "number", decimals=4),
            Column("used_cost", t("uc.col.used_cost", lang), "number", decimals=2),
            Column("unused_cost", t("uc.col.unused_cost", lang), "number", decimals=2),
        ],
    )


def drg_table(res: UnitCostResults, ctx: ReportContext) -> TableView:
    """Cost per DRG/DAGS group against the tariff, with n and the small-group marker."""
    lang = ctx.lang
    return TableView(
        t("uc.tbl.drg", lang),
        res.drg,
        [
            Column("drg_group", t("uc.col.group", lang)),
            Column("name", t("uc.col.name", lang)),
            Column("n", t("uc.col.n", lang), "int"),
            Column("mean", t("uc.col.mean", lang), "kr_full"),
            Column("tariff", t("uc.col.tariff", lang), "kr_full"),
            Column("index", t("uc.col.index", lang), "number", decimals=2),
            Column("gap", t("uc.col.gap", lang), "kr", signed=True),
            Column("small", t("uc.col.small", lang), "bool"),
        ],
    )


def drg_distribution_table(res: UnitCostResults, lang: Language) -> TableView:
    """The spread of cost per contact per group (workbook)."""
    return TableView(
        "DRG-spredning" if lang == "da" else "DRG spread",
        res.drg,
        [
            Column("drg_group", t("uc.col.group", lang)),
            Column("n", t("uc.col.n", lang), "int"),
            Column("p05", t("uc.col.p05", lang), "kr_full"),
            Column("q1", t("uc.col.q1", lang), "kr_full"),
            Column("median", t("uc.col.median", lang), "kr_full"),
            Column("q3", t("uc.col.q3", lang), "kr_full"),
            Column("p95", t("uc.col.p95", lang), "kr_full"),
            Column("mean", t("uc.col.mean", lang), "kr_full"),
        ],
    )


def match_table(res: UnitCostResults, lang: Language) -> TableView:
    """Activity in the volume table against activity recorded on contacts (workbook)."""
    names = _names(res)
    m = res.contacts.matched.copy() if res.contacts is not None else pd.DataFrame()
    m = m.assign(
        activity=m["activity_id"].map(names["activity"]),
        unit=m["unit_id"].map(names["unit"]),
        used=m["used_cost"] / ORE_PER_KR,
        matched=m["matched_cost"] / ORE_PER_KR,
        unmatched=m["unmatched_cost"] / ORE_PER_KR,
    )
    return TableView(
        t("uc.tbl.match", lang),
        m,
        [
            Column("unit", t("uc.col.unit", lang)),
            Column("activity", t("uc.col.activity", lang)),
            Column("volume", t("uc.col.volume", lang), "int"),
            Column("contact_quantity", t("uc.col.contact_quantity", lang), "int"),
            Column("used", t("uc.col.used_cost", lang), "number", decimals=2),
            Column("matched", t("uc.col.matched", lang), "number", decimals=2),
            Column("unmatched", t("uc.col.unmatched", lang), "number", decimals=2),
        ],
    )


def _variant_label(kind: str, variant: str, lang: Language, chosen: str | None = None) -> str:
    if kind == "method":
        label = method_label(variant, lang).capitalize()
        return f"{label} ({t('uc.chosen', lang)})" if variant == chosen else label
    return t("uc.share", lang, pct=fmt_pct(float(variant) * 100, 0, lang)).capitalize()


def sensitivity_table(res: UnitCostResults, lang: Language) -> TableView:
    """Unit cost per activity under each variant, and the change against the chosen computation."""
    names = _names(res)
    s = res.sensitivity.copy()
    s["activity"] = s["activity_id"].map(names["activity"])
    s["unit"] = s["unit_id"].map(names["unit"])
    s["label"] = [
        _variant_label(k, v, lang, res.base.method) for k, v in zip(s["kind"], s["variant"], strict=True)
    ]
    cols = [Column("label", t("uc.col.variant", lang)), Column("activity", t("uc.col.activity", lang))]
    if res.scope == "hospital":
        cols.append(Column("unit", t("uc.col.unit", lang)))
    cols += [
        Column("unit_cost", t("uc.col.unit_cost", lang), "number", decimals=2),
        Column("change_pct", t("uc.col.change", lang), "pct", decimals=1, signed=True),
    ]
    return TableView(t("uc.tbl.sensitivity", lang), s, cols)


def overhead_table(res: UnitCostResults, lang: Language) -> TableView:
    """Flows into (and, for a service department, out of) the scope's centres, with keys and shares."""
    names = _names(res)
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
        t("uc.tbl.allocation", lang),
        f,
        [
            Column("from_name", t("uc.col.from", lang)),
            Column("to_name", t("uc.col.to", lang)),
            Column("driver", t("uc.col.key", lang)),
            Column("quantity", t("uc.col.quantity", lang), "number", decimals=0),
            Column("key_total", t("uc.col.key_total", lang), "number", decimals=0),
            Column("share_pct", t("uc.col.share", lang), "pct", decimals=1),
            Column("kr", t("uc.col.amount", lang), "number", decimals=2),
        ],
    )


def centres_table(res: UnitCostResults, lang: Language) -> TableView:
    """Every cost centre's own, received, passed-on and retained cost (workbook; hospital shows it)."""
    names = _names(res)
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
        kind_label=c["kind"].map(lambda k: t(f"uc.kind.{k}", lang)),
        **{k: c[k] / ORE_PER_KR for k in ("own", "received", "total", "passed_on", "retained")},
    )
    return TableView(
        t("uc.tbl.centres", lang),
        frame,
        [
            Column("cost_centre_id", t("uc.col.centre", lang)),
            Column("name", t("uc.col.name", lang)),
            Column("kind_label", t("uc.col.centre_kind", lang)),
            Column("own", t("uc.col.own", lang), "number", decimals=2),
            Column("received", t("uc.col.received", lang), "number", decimals=2),
            Column("total", t("uc.col.pool", lang), "number", decimals=2),
            Column("passed_on", t("uc.col.passed_on", lang), "number", decimals=2),
            Column("retained", t("uc.col.retained", lang), "number", decimals=2),
        ],
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
            Column("centre", t("uc.col.from", lang)),
            Column("pool", t("uc.col.pool", lang), "number", decimals=2),
        ]
        cols += [Column(str(x), str(x), "number", decimals=2) for x in m.columns]
        label = (
            {"direct": "D", "step_down": "T", "reciprocal": "G"}
            if lang == "da"
            else {"direct": "D", "step_down": "S", "reciprocal": "R"}
        )
        out.append(
            TableView(
                f"{t('uc.tbl.matrix', lang)} {label[method]}",
                frame,
                cols,
                title=f"{t('uc.tbl.matrix', lang)}: {method_label(method, lang)}",
            )
        )
    return out


def ledger_table(res: UnitCostResults, lang: Language) -> TableView:
    """The scope's ledger by cost centre and cost type (workbook): the starting point."""
    names = _names(res)
    led = res.inp.ledger[res.inp.ledger["cost_centre_id"].isin(res.inp.scope_centres)]
    g = (
        led.assign(ore=costing.to_ore(led["amount"]))
        .groupby(["cost_centre_id", "cost_type"], as_index=False)["ore"]
        .sum()
    )
    g = g.assign(
        name=g["cost_centre_id"].map(names["centre"]),
        type_name=g["cost_type"].map(names["cost_type"]),
        kr=g["ore"] / ORE_PER_KR,
    )
    return TableView(
        t("uc.tbl.ledger", lang),
        g,
        [
            Column("cost_centre_id", t("uc.col.centre", lang)),
            Column("name", t("uc.col.name", lang)),
            Column("type_name", t("uc.col.cost_type", lang)),
            Column("kr", t("uc.col.amount", lang), "number", decimals=2),
        ],
    )


# --------------------------------------------------------------------------- charts


def sankey(links: pd.DataFrame, *, lang: Language, title: str | None = None, height: int = 560) -> go.Figure:
    """A Sankey diagram of ``links`` (``source``, ``target``, ``value`` in kr., ``layer`` of source).

    Nodes are placed by layer (left to right); values are shown in kr. with the report's
    separators.
    """
    labels = list(dict.fromkeys([*links["source"], *links["target"]]))
    index = {name: i for i, name in enumerate(labels)}
    layer: dict[str, int] = {}
    for s, tgt, lay in zip(links["source"], links["target"], links["layer"], strict=True):
        layer[s] = min(layer.get(s, lay), lay)
        layer.setdefault(tgt, lay + 1)
        layer[tgt] = max(layer[tgt], lay + 1)
    palette = [
        figures.COLORS["primary"],
        figures.COLORS["secondary"],
        figures.SERIES[2],
        figures.SERIES[3],
        figures.COLORS["highlight"],
    ]
    node_colors = [palette[min(layer[n], len(palette) - 1)] for n in labels]
    special = {
        t("uc.node.unused", lang): figures.COLORS["muted"],
        t("uc.node.unmatched", lang): figures.COLORS["warn"],
    }
    node_colors = [special.get(n, c) for n, c in zip(labels, node_colors, strict=True)]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",.0f",
            valuesuffix=" kr." if lang == "da" else " DKK",
            node={"label": labels, "color": node_colors, "pad": 12, "thickness": 14, "line": {"width": 0}},
            link={
                "source": [index[s] for s in links["source"]],
                "target": [index[x] for x in links["target"]],
                "value": links["value"].to_numpy(dtype=float),
                "color": "rgba(122,166,214,0.35)",
            },
        )
    )
    return figures.style(fig, lang=lang, height=height, title=title)


def flow_links(res: UnitCostResults, lang: Language, top_groups: int = 12) -> pd.DataFrame:
    """The links of the flow chart: cost types → cost centres → activities → patient groups (kr.)."""
    names = _names(res)
    inp = res.inp
    alloc = res.base.allocation
    centres = alloc.centres.set_index("cost_centre_id")
    scope = set(inp.scope_centres)
    ledger = inp.ledger.assign(ore=costing.to_ore(inp.ledger["amount"]))
    links: list[tuple[str, str, int, int]] = []

    def node_of(c: str) -> str:
        if res.scope == "hospital":
            kind = centres.loc[c, "kind"]
            if kind == INTERMEDIATE:
                return t("uc.node.shared", lang)
            if kind == EXTERNAL:
                return t("uc.node.external", lang)
        return names["centre"].get(c, c)

    own = ledger[ledger["cost_centre_id"].isin(scope)].groupby(["cost_type", "cost_centre_id"])["ore"].sum()
    for (ct, c), v in own.items():
        links.append((names["cost_type"].get(ct, ct), node_of(c), int(v), 0))
    flows = alloc.flows[alloc.flows["amount"] != 0]
    if res.scope == "hospital":
        for _, f in flows.iterrows():
            src, dst = node_of(f["from_centre"]), node_of(f["to_centre"])
            if src != dst:
                links.append((src, dst, int(f["amount"]), 1))
        retained = int(centres.loc[centres["kind"] == INTERMEDIATE, "retained"].sum())
        if retained:
            links.append((t("uc.node.shared", lang), t("uc.node.unused", lang), retained, 1))
    else:
        into = flows[flows["to_centre"].isin(scope) & ~flows["from_centre"].isin(scope)]
        for (src, dst), v in into.groupby(["from_centre", "to_centre"])["amount"].sum().items():
            links.append(
                (t("uc.node.from", lang, name=names["centre"].get(src, src)), node_of(dst), int(v), 0)
            )
        out = flows[flows["from_centre"].isin(scope)]
        for src, v in out.groupby("from_centre")["amount"].sum().items():
            links.append((node_of(src), t("uc.node.passed_on", lang), int(v), 2))
    td = res.base.time_driven
    r = td.resources[td.resources["cost_centre_id"].isin(scope)]
    for c, v in r.groupby("cost_centre_id")["unused_cost"].sum().items():
        if v > 0:
            links.append((node_of(c), t("uc.node.unused", lang), int(v), 2))
    no_res = centres[
        (centres.index.isin(scope))
        & (centres["kind"] == INTERMEDIATE)
        & ~centres.index.isin(r["cost_centre_id"])
    ]
    if res.scope == "department":
        for c, v in no_res["retained"].items():
            if v > 0:
                links.append((node_of(c), t("uc.node.unused", lang), int(v), 2))
    finals = r[r["centre_kind"] == FINAL]
    sp = td.split[td.split["resource_id"].isin(finals["resource_id"])]
    for (c, a), v in sp.groupby(["cost_centre_id", "activity_id"])["used_cost"].sum().items():
        links.append((node_of(c), names["activity"].get(a, a), int(v), 2))
    direct = {c: v for c, v in res.base.direct.items() if c in scope and v}
    for c, v in direct.items():
        links.append((node_of(c), t("uc.node.direct", lang), int(v), 2))
    if res.has_contacts and res.contacts is not None:
        comp = res.contacts.components
        top = list(res.drg["drg_group"].head(top_groups))
        group_node = comp["drg_group"].where(comp["drg_group"].isin(top), OTHER)
        comp = comp.assign(node=group_node)
        for (a, g), v in comp.groupby(["activity_id", "node"])["cost"].sum().items():
            src = t("uc.node.direct", lang) if a == costing.DIRECT else names["activity"].get(a, a)
            dst = t("uc.node.other_groups", lang) if g == OTHER else str(g)
            if v:
                links.append((src, dst, int(v), 3))
        um = res.contacts.matched.groupby("activity_id")["unmatched_cost"].sum()
        for a, v in um.items():
            if v > 0:
                links.append((names["activity"].get(a, a), t("uc.node.unmatched", lang), int(v), 3))
    frame = pd.DataFrame(links, columns=["source", "target", "ore", "layer"])
    frame = frame.groupby(["source", "target"], as_index=False, sort=False).agg(
        ore=("ore", "sum"), layer=("layer", "min")
    )
    frame = frame[frame["ore"] > 0]
    return frame.assign(value=frame["ore"] / ORE_PER_KR)[["source", "target", "value", "layer"]]


def flow_chart(res: UnitCostResults, ctx: ReportContext) -> go.Figure:
    """Accounts → cost centres → activities → patient groups (the largest groups by name)."""
    links = flow_links(res, ctx.lang, ctx.params.unit_cost.top_groups)
    return sankey(links, lang=ctx.lang, height=640 if res.scope == "hospital" else 540)


def stacked_bars(
    df: pd.DataFrame,
    *,
    label: str,
    stack: str,
    value: str,
    lang: Language,
    x_title: str,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of ``value`` per ``label``, stacked by ``stack`` (largest total on top)."""
    order = df.groupby(label)[value].sum().sort_values(ascending=False).index.tolist()
    fig = go.Figure()
    for i, (name, g) in enumerate(df.groupby(stack, sort=True)):
        g = g.groupby(label)[value].sum().reindex(order, fill_value=0.0)  # a gap breaks plotly's stacking
        fig.add_bar(
            y=order,
            x=g.to_numpy(dtype=float),
            name=str(name),
            orientation="h",
            marker_color=figures.SERIES[i % len(figures.SERIES)],
            hovertemplate="%{y}: %{x:,.2f}<extra>" + str(name).replace("<", "") + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=x_title)
    return figures.style(fig, lang=lang, height=max(260, 90 + 42 * len(order)), title=title)


def unit_cost_chart(res: UnitCostResults, lang: Language) -> go.Figure:
    """Unit cost per activity split by resource (department) or unit cost per department (hospital)."""
    names = _names(res)
    if res.scope == "hospital":
        acts = _scope_activities(res)
        acts = acts[acts["volume"] > 0].assign(activity=lambda d: d["activity_id"].map(names["activity"]))
        mean = (
            acts.groupby("activity_id")["used_cost"].sum()
            / acts.groupby("activity_id")["volume"].sum()
            / ORE_PER_KR
        )
        acts["vs_mean"] = (acts["unit_cost"] / acts["activity_id"].map(mean) - 1) * 100
        acts["text"] = [fmt_number(v, 0, lang) for v in acts["unit_cost"]]
        return heat_map(
            acts, row="unit_id", column="activity", value="vs_mean", text="text", lang=lang,
            colorbar=t("uc.fig.vs_mean", lang),
        )  # fmt: skip
    td = res.base.time_driven
    r = _scope_resources(res)
    sp = td.split[td.split["resource_id"].isin(r["resource_id"])].merge(
        r[["resource_id", "name"]], on="resource_id"
    )
    sp = sp.assign(activity=sp["activity_id"].map(names["activity"]))
    return stacked_bars(
        sp,
        label="activity",
        stack="name",
        value="unit_cost",
        lang=lang,
        x_title=t("uc.fig.kr_per_unit", lang),
    )


def heat_map(
    df: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    text: str,
    lang: Language,
    colorbar: str = "%",
    title: str | None = None,
) -> go.Figure:
    """A heat map of ``value`` (a % deviation, 0 is white) with ``text`` written in each cell."""
    grid = df.pivot_table(index=row, columns=column, values=value, aggfunc="first")
    labels = df.pivot_table(index=row, columns=column, values=text, aggfunc="first").reindex_like(grid)
    z = grid.to_numpy(dtype=float)
    limit = max(1.0, float(np.nanmax(np.abs(z))) if np.isfinite(z).any() else 1.0)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(c) for c in grid.columns],
            y=[str(r) for r in grid.index],
            text=labels.fillna("").to_numpy(),
            texttemplate="%{text}",
            zmin=-limit,
            zmax=limit,
            colorscale=[[0, figures.COLORS["good"]], [0.5, "#ffffff"], [1, figures.COLORS["bad"]]],
            colorbar={"title": {"text": colorbar}},
            hoverongaps=False,
            hovertemplate="%{y} · %{x}: %{text} (%{z:+.1f} %)<extra></extra>",
        )
    )
    fig.update_xaxes(type="category", side="top")
    fig.update_yaxes(type="category", autorange="reversed")
    return figures.style(fig, lang=lang, height=max(260, 130 + 34 * len(grid)), title=title)


def capacity_chart(res: UnitCostResults, lang: Language, top: int = 20) -> go.Figure:
    """Used and unused capacity per resource (kr.), utilisation in the hover text."""
    r = _scope_resources(res)
    r = r.assign(label=_resource_label(res, r)).sort_values("capacity_cost", ascending=False).head(top)
    r = r.iloc[::-1]
    used = np.minimum(r["used_cost"], r["capacity_cost"]) / ORE_PER_KR / 1e6
    unused = np.maximum(r["unused_cost"], 0) / ORE_PER_KR / 1e6
    over = np.maximum(-r["unused_cost"], 0) / ORE_PER_KR / 1e6
    util = (r["utilisation"] * 100).round(0)
    fig = go.Figure()
    fig.add_bar(y=r["label"], x=used, name=t("uc.fig.used", lang), orientation="h", marker_color=figures.COLORS["primary"],
                customdata=util, hovertemplate="%{y}: %{x:,.2f}<extra>%{customdata:.0f} %</extra>")  # fmt: skip
    fig.add_bar(y=r["label"], x=unused, name=t("uc.fig.unused", lang), orientation="h", marker_color=figures.COLORS["tertiary"],
                hovertemplate="%{y}: %{x:,.2f}<extra></extra>")  # fmt: skip
    if over.sum() > 0:
        fig.add_bar(y=r["label"], x=over, name=t("uc.fig.over", lang), orientation="h", marker_color=figures.COLORS["bad"],
                    hovertemplate="%{y}: %{x:,.2f}<extra></extra>")  # fmt: skip
    fig.update_layout(barmode="stack")
    fig.update_yaxes(type="category")
    fig.update_xaxes(title=t("uc.fig.mio_kr", lang))
    return figures.style(fig, lang=lang, height=max(260, 90 + 30 * len(r)))


def drg_chart(res: UnitCostResults, ctx: ReportContext) -> go.Figure:
    """Cost against tariff per group (% above or below), largest groups by cost; n and small groups marked."""
    lang = ctx.lang
    d = res.drg.head(ctx.params.unit_cost.top_groups).iloc[::-1]
    small = t("uc.fig.small", lang)
    labels = [
        f"{g} {name} · n={fmt_number(float(n), 0, lang)}" + (f" ({small})" if sm else "")
        for g, name, n, sm in zip(d["drg_group"], d["name"].fillna(""), d["n"], d["small"], strict=True)
    ]
    gap = (d["index"] - 1) * 100
    colors = [
        figures.COLORS["muted"]
        if sm
        else (
            figures.COLORS["bad"]
            if g > 5
            else (figures.COLORS["good"] if g < -5 else figures.COLORS["secondary"])
        )
        for sm, g in zip(d["small"], gap, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            y=labels,
            x=gap,
            orientation="h",
            marker_color=colors,
            customdata=np.stack([d["mean"], d["tariff"]], axis=1),
            hovertemplate="%{y}<br>%{x:+.1f} %<br>%{customdata[0]:,.0f} / %{customdata[1]:,.0f}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": figures.COLORS["highlight"], "width": 2})
    fig.update_yaxes(type="category")
    fig.update_xaxes(title=t("uc.fig.vs_tariff", lang), ticksuffix=" %", zeroline=False)
    return figures.style(fig, lang=lang, height=max(280, 90 + 32 * len(d)))


def distribution_chart(res: UnitCostResults, ctx: ReportContext) -> go.Figure:
    """Box plot of cost per contact relative to the tariff (1 = tariff), from precomputed quantiles.

    Quartiles with the 5th and 95th percentiles as whiskers, so that groups with very different
    tariffs (a telephone consultation, a hip replacement) share one axis.
    """
    lang = ctx.lang
    d = res.drg.dropna(subset=["median", "tariff"]).head(ctx.params.unit_cost.top_groups)
    rel = {k: d[k] / d["tariff"] for k in ("q1", "median", "q3", "p05", "p95", "mean")}
    fig = go.Figure(
        go.Box(
            x=d["drg_group"],
            q1=rel["q1"],
            median=rel["median"],
            q3=rel["q3"],
            lowerfence=rel["p05"],
            upperfence=rel["p95"],
            mean=rel["mean"],
            marker_color=figures.COLORS["primary"],
            fillcolor=figures.COLORS["tertiary"],
            showlegend=False,
            name="",
        )
    )
    fig.add_hline(y=1, line={"color": figures.COLORS["highlight"], "dash": "dot", "width": 2})
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t("uc.fig.relative", lang), rangemode="tozero")
    return figures.style(fig, lang=lang, height=400)


def sensitivity_chart(res: UnitCostResults, lang: Language) -> go.Figure:
    """Heat map: change in unit cost per activity (rows) for each computation (columns), in %.

    At hospital level each cell shows the largest change over the departments.
    """
    names = _names(res)
    s = res.sensitivity.dropna(subset=["change_pct"]).copy()
    s["label"] = [
        _variant_label(k, v, lang, res.base.method) for k, v in zip(s["kind"], s["variant"], strict=True)
    ]
    s = s.groupby(["label", "activity_id"], as_index=False, sort=False)["change_pct"].agg(
        lambda x: x.loc[x.abs().idxmax()]
    )
    s["row"] = s["activity_id"].map(names["activity"])
    s["text"] = [fmt_pct(v, 1, lang, signed=True) for v in s["change_pct"]]
    s["label"] = pd.Categorical(s["label"], categories=list(dict.fromkeys(s["label"])), ordered=True)
    return heat_map(s, row="row", column="label", value="change_pct", text="text", lang=lang)


def no_contacts_text(res: UnitCostResults, lang: Language) -> str:
    """Why there is no DRG section: a service department, or no patient data at all."""
    return t("uc.no_contacts" if res.inp.patient_data else "uc.no_patient_data", lang)


def add_audit_tables(report: object, res: UnitCostResults, lang: Language) -> None:
    """Add the tables a controller audits in the workbook (not shown in the HTML): unit cost by
    resource, capacity in minutes, cost centres, ledger by cost type and the allocation matrix
    of every method."""
    from toolkit.report.blocks import Report

    assert isinstance(report, Report)
    for view in [
        split_table(res, lang),
        capacity_minutes_table(res, lang),
        centres_table(res, lang),
        ledger_table(res, lang),
        *matrix_tables(res, lang),
    ]:
        report.add_table(view)


def appendix_parameters(res: UnitCostResults, ctx: ReportContext) -> dict[str, object]:
    """The parameters this report depends on, with the step-down order actually used."""
    p = ctx.params.unit_cost
    order = res.by_method["step_down"].allocation.order
    rule = f"({t('uc.rule', ctx.lang)}: {', '.join(order)})"
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
    keys = [
        "uc_ledger_total",
        "uc_centre_kinds",
        "uc_direct_method",
        "uc_step_down",
        "uc_step_order",
        "uc_reciprocal",
        "uc_pass_on",
        "uc_direct_costs",
        "uc_overhead_loading",
        "uc_practical_capacity",
        "uc_capacity_rate",
        "uc_unit_cost",
        "uc_used_unused",
        "uc_contact_cost",
        "uc_unmatched",
        "uc_drg_index",
        "uc_small_group",
        "uc_reconciliation",
        "uc_sensitivity",
        "uc_rounding",
    ]
    return [DEFINITIONS[k] for k in keys]
