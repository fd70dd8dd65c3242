"""The unit-cost report's texts (namespace ``unit_cost``) and how its names and amounts are worded.

Code calls ``TEXTS("key", lang, **values)``; the keys below carry no prefix (``title`` is the
full key ``unit_cost.title``).
"""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.core.formatting import Language, fmt_kr, fmt_month, fmt_number, fmt_pct
from toolkit.core.i18n import Texts
from toolkit.measures.costing.money import ORE_PER_KR

TEXTS = Texts("unit_cost")

TEXTS.register(
    {
        "title": ("Enhedsomkostninger", "Unit costs"),
        "period": (
            "Omkostningsperiode: {period} (år til dato).",
            "Costing period: {period} (year to date).",
        ),
        "method.direct": ("direkte fordeling", "direct method"),
        "method.step_down": ("trinvis fordeling", "step-down method"),
        "method.step_down_reversed": ("trinvis, omvendt rækkefølge", "step-down, reversed order"),
        "method.reciprocal": ("gensidig fordeling", "reciprocal method"),
        "share": ("praktisk andel {pct}", "practical share {pct}"),
        "chosen": ("valgt", "chosen"),
        "rule": ("regel", "rule"),
        "kind.staff": ("Personale", "Staff"),
        "kind.room": ("Lokaler", "Rooms"),
        "kind.equipment": ("Udstyr", "Equipment"),
        "kind.final": ("endeligt", "final"),
        "kind.intermediate": ("mellemliggende", "intermediate"),
        "kind.external": ("eksternt", "external"),
        # sections
        "sec.reconciliation": ("Afstemning til regnskabet", "Reconciliation to the ledger"),
        "sec.reconciliation.lead": (
            "Alle tre fordelingsmetoder fører de bogførte omkostninger hele vejen igennem og afstemmer til øret. "
            "Rapporten bruger {method}; de to andre vises til sammenligning.",
            "All three allocation methods carry the ledger costs all the way through and reconcile to the øre. "
            "The report uses the {method}; the other two are shown for comparison.",
        ),
        "sec.flow": ("Fra konti til patientgrupper", "From accounts to patient groups"),
        "sec.flow.lead": (
            "Omkostningernes vej fra kontoarter over omkostningssteder og aktiviteter til DRG-/DAGS-grupper.",
            "How the costs flow from cost types through cost centres and activities to DRG/DAGS groups.",
        ),
        "sec.unit_costs": ("Enhedsomkostninger pr. aktivitet", "Unit cost per activity"),
        "full_vs_direct_note": (
            "Enhedsomkostningen er den fulde omkostning pr. ydelse år til dato, med fællesomkostninger; "
            "ledelsesinformationen (KPI-rapporten) viser samme tal og desuden den lavere direkte "
            "omkostning pr. ydelse (direkte bogførte omkostninger og løn fordelt efter timer).",
            "The unit cost is the full cost per case year to date, shared costs included; the "
            "management information (KPI report) shows the same figure and also the lower direct cost "
            "per case (directly booked costs and salary allocated by hours).",
        ),
        "sec.unit_costs.lead": (
            "Hvad én enhed af hver aktivitet koster, fordelt på de ressourcer, den bruger (kapacitetsomkostning "
            "pr. minut × normtid).",
            "What one unit of each activity costs, split by the resources it uses (capacity cost rate × "
            "standard minutes).",
        ),
        "sec.capacity": ("Brugt og ubrugt kapacitet", "Used and unused capacity"),
        "sec.capacity.lead": (
            "Betalt kapacitet, som aktiviteterne ikke bruger, er ubrugt kapacitet. Den lægges ikke på "
            "aktiviteterne, men vises her i minutter og kroner.",
            "Paid capacity the activities do not use is unused capacity. It is not loaded onto the activities "
            "but shown here in minutes and kroner.",
        ),
        "sec.drg": (
            "Omkostning pr. DRG-/DAGS-gruppe mod taksten",
            "Cost per DRG/DAGS group against the tariff",
        ),
        "sec.drg.lead": (
            "Gennemsnitlig omkostning pr. kontakt mod årets takst. Grupper med under {n} kontakter er markeret "
            "som små: deres gennemsnit er usikkert.",
            "Mean cost per contact against the year's tariff. Groups with fewer than {n} contacts are marked "
            "small: their mean is uncertain.",
        ),
        "sec.distribution": ("Spredning pr. gruppe", "Spread per group"),
        "sec.distribution.lead": (
            "Omkostning pr. kontakt i forhold til taksten (1 = takst) i de største grupper: boksen er den "
            "midterste halvdel, stregen medianen, knurhårene 5.–95. percentil. Grupper med under {n} kontakter "
            "vises ikke.",
            "Cost per contact relative to the tariff (1 = tariff) in the largest groups: the box is the middle "
            "half, the line the median, the whiskers the 5th–95th percentile. Groups with fewer than {n} "
            "contacts are not shown.",
        ),
        "sec.sensitivity": ("Følsomhed", "Sensitivity"),
        "sec.sensitivity.lead": (
            "Hvor meget enhedsomkostningerne flytter sig med en anden fordelingsmetode eller rækkefølge, og "
            "med en anden praktisk kapacitetsandel for periodens ressourcer (ændring i % af den valgte beregning).",
            "How much the unit costs move with another allocation method or order, and with another "
            "practical-capacity share for the period's resources (change in % of the chosen computation).",
        ),
        "sec.allocation": ("Fordeling af fællesomkostninger", "Allocation of shared costs"),
        "sec.allocation.lead": (
            "Hvad hvert mellemliggende sted har givet videre, efter hvilken nøgle, og med hvilken andel. Hele "
            "fordelingsmatricen ligger i regnearket.",
            "What each intermediate centre passed on, by which key and with which share. The full allocation "
            "matrix is in the workbook.",
        ),
        "sec.allocation.lead.service": (
            "Afdelingens servicefunktion giver omkostningen ved den brugte kapacitet videre efter {key}; modtagerne "
            "står herunder.",
            "The department's service centre passes on the cost of the capacity it used by {key}; the receivers "
            "are listed below.",
        ),
        "no_contacts": (
            "Afdelingen har ingen patientkontakter i perioden: dens omkostninger gives videre til andre afdelinger.",
            "The department has no patient contacts in the period: its costs are passed on to other departments.",
        ),
        "no_patient_data": (
            "Data rummer ingen patientkontakter og takster, så omkostningen pr. DRG-gruppe kan ikke vises.",
            "The data hold no patient contacts and tariffs, so the cost per DRG group cannot be shown.",
        ),
        "unmatched_note": (
            "Aktivitet uden kontakt: {amount} ({pct} af aktiviteternes omkostning) er talt i aktivitetsopgørelsen, "
            "men ikke registreret på en patientkontakt.",
            "Activity without a contact: {amount} ({pct} of the activities' cost) is counted in the volume table "
            "but not recorded on a patient contact.",
        ),
        "hospital_note": (
            "Hele sygehuset: bogført {ledger}, fordelt {allocated}, difference {diff}",
            "Whole hospital: ledger {ledger}, allocated {allocated}, difference {diff}.",
        ),
        "no_standard": (
            "Aktiviteter uden normtider får ingen omkostning: {names}.",
            "Activities without standard minutes get no cost: {names}.",
        ),
        "widget.note": (
            "Skub til den praktiske kapacitetsandel og vælg metode: enhedsomkostningerne regnes igen.",
            "Move the practical-capacity share and choose a method: the unit costs are computed again.",
        ),
        # reconciliation lines
        "line.own": ("Egne bogførte omkostninger", "Own ledger costs"),
        "line.received": ("Modtaget fra mellemliggende steder", "Received from intermediate centres"),
        "line.total": ("Omkostninger i alt", "Total cost"),
        "line.ledger": ("Bogførte omkostninger (hele sygehuset)", "Ledger total (whole hospital)"),
        "line.passed_on": ("Givet videre til andre steder", "Passed on to other centres"),
        "line.external": ("Eksterne steder (uden for DRG)", "External centres (outside DRG)"),
        "line.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "line.direct": ("Direkte henført til kontakter", "Assigned directly to contacts"),
        "line.activities": ("Aktiviteter (brugt kapacitet)", "Activities (used capacity)"),
        "line.difference": ("Difference", "Difference"),
        "recon.note.department": (
            "Omkostninger i alt = egne + modtagne. Difference = omkostninger i alt − givet videre − eksterne − "
            "ubrugt kapacitet − direkte henført − aktiviteter.",
            "Total cost = own + received. Difference = total cost − passed on − external − unused capacity − "
            "assigned directly − activities.",
        ),
        "recon.note.hospital": (
            "Difference = bogførte omkostninger − eksterne − ubrugt kapacitet − direkte henført − aktiviteter.",
            "Difference = ledger total − external − unused capacity − assigned directly − activities.",
        ),
        # columns
        "col.line": ("Post", "Line"),
        "col.activity": ("Aktivitet", "Activity"),
        "col.unit": ("Afdeling", "Department"),
        "col.volume": ("Aktivitet", "Volume"),
        "col.volume_unit": ("Enhed", "Unit"),
        "col.unit_cost": ("Kr. pr. enhed", "DKK per unit"),
        "col.total_cost": ("Omkostning", "Cost"),
        "col.resource": ("Ressource", "Resource"),
        "col.kind": ("Type", "Kind"),
        "col.minutes": ("Minutter pr. enhed", "Minutes per unit"),
        "col.rate": ("Kr. pr. minut", "DKK per minute"),
        "col.capacity_cost": ("Kapacitet, kr.", "Capacity, DKK"),
        "col.practical_hours": ("Praktisk, timer", "Practical, hours"),
        "col.used_hours": ("Brugt, timer", "Used, hours"),
        "col.theoretical_minutes": ("Teoretisk, minutter", "Theoretical, minutes"),
        "col.practical_minutes": ("Praktisk, minutter", "Practical, minutes"),
        "col.used_minutes": ("Brugt, minutter", "Used, minutes"),
        "col.unused_minutes": ("Ubrugt, minutter", "Unused, minutes"),
        "col.unused_hours": ("Ubrugt, timer", "Unused, hours"),
        "col.utilisation": ("Udnyttelse", "Utilisation"),
        "col.used_cost": ("Brugt", "Used"),
        "col.unused_cost": ("Ubrugt", "Unused"),
        "col.share_used": ("Praktisk andel", "Practical share"),
        "col.group": ("Gruppe", "Group"),
        "col.name": ("Navn", "Name"),
        "col.n": ("Kontakter", "Contacts"),
        "col.mean": ("Gns. omkostning", "Mean cost"),
        "col.median": ("Median", "Median"),
        "col.q1": ("25 %-fraktil", "25th percentile"),
        "col.q3": ("75 %-fraktil", "75th percentile"),
        "col.p05": ("5 %-fraktil", "5th percentile"),
        "col.p95": ("95 %-fraktil", "95th percentile"),
        "col.tariff": ("Takst", "Tariff"),
        "col.index": ("Indeks", "Index"),
        "col.gap": ("Omkostning − takst i alt", "Cost − tariff in total"),
        "col.small": ("Lille gruppe", "Small group"),
        "col.variant": ("Beregning", "Computation"),
        "col.change": ("Ændring", "Change"),
        "col.from": ("Fra", "From"),
        "col.to": ("Til", "To"),
        "col.key": ("Nøgle", "Key"),
        "col.quantity": ("Mængde", "Quantity"),
        "col.key_total": ("Nøgle i alt", "Key total"),
        "col.share": ("Andel", "Share"),
        "col.amount": ("Beløb", "Amount"),
        "col.pool": ("Pulje", "Pool"),
        "col.own": ("Egne", "Own"),
        "col.received": ("Modtaget", "Received"),
        "col.passed_on": ("Givet videre", "Passed on"),
        "col.retained": ("Ubrugt kapacitet", "Unused capacity"),
        "col.centre": ("Omkostningssted", "Cost centre"),
        "col.centre_kind": ("Art", "Kind"),
        "col.contact_quantity": ("På kontakter", "On contacts"),
        "col.matched": ("Henført til kontakter", "Assigned to contacts"),
        "col.unmatched": ("Uden kontakt", "Without contact"),
        "col.cost_type": ("Kontoart", "Cost type"),
        # tables (sheet names)
        "tbl.reconciliation": ("Afstemning", "Reconciliation"),
        "tbl.unit_costs": ("Enhedsomkostninger", "Unit costs"),
        "tbl.split": ("Enhedsomk. pr. ressource", "Unit cost by resource"),
        "tbl.capacity": ("Kapacitet", "Capacity"),
        "tbl.capacity_minutes": ("Kapacitet i minutter", "Capacity in minutes"),
        "tbl.drg": ("DRG mod takst", "DRG against tariff"),
        "note.drg_hidden": (
            ".. = skjult: gruppens omkostning (eller spredningen af omkostning pr. kontakt) ville sammen "
            "med de viste tal vise en skjult enhedsomkostning (personalegrupper under {n} personer). "
            "Det samlede indeks er for de viste grupper.",
            ".. = hidden: the group's cost (or the spread of cost per contact) would, with the figures "
            "shown, give a hidden unit cost away (staff groups under {n} persons). The overall index is "
            "over the groups shown.",
        ),
        "tbl.match": ("Aktivitet og kontakter", "Activity and contacts"),
        "tbl.sensitivity": ("Følsomhed", "Sensitivity"),
        "tbl.allocation": ("Fordeling", "Allocation"),
        "tbl.centres": ("Omkostningssteder", "Cost centres"),
        "tbl.matrix": ("Fordelingsmatrix", "Allocation matrix"),
        "tbl.flows": ("Fordelingsnøgler", "Allocation keys"),
        "tbl.ledger": ("Regnskab pr. kontoart", "Ledger by cost type"),
        # charts
        "fig.kr_per_unit": ("Kr. pr. enhed", "DKK per unit"),
        "fig.kr": ("Kr.", "DKK"),
        "fig.mio_kr": ("Mio. kr.", "DKK million"),
        "fig.hidden_staff": ("Personalegrupper under {n} personer", "Staff groups under {n} persons"),
        "fig.used": ("Brugt kapacitet", "Used capacity"),
        "fig.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "fig.over": ("Brugt ud over praktisk kapacitet", "Used beyond practical capacity"),
        "fig.mean_cost": ("Gns. omkostning pr. kontakt", "Mean cost per contact"),
        "fig.tariff": ("Takst", "Tariff"),
        "fig.small": ("lille gruppe", "small group"),
        "fig.cost_per_contact": ("Kr. pr. kontakt", "DKK per contact"),
        "fig.change_pct": ("Ændring i enhedsomkostning, %", "Change in unit cost, %"),
        "fig.vs_tariff": (
            "Omkostning over (+) eller under (−) taksten",
            "Cost above (+) or below (−) the tariff",
        ),
        "fig.relative": ("Omkostning pr. kontakt / takst", "Cost per contact / tariff"),
        "fig.vs_mean": ("% mod sygehusets gns.", "% vs hospital mean"),
        "node.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "node.direct": ("Implantater og dyr medicin", "Implants and expensive medicine"),
        "node.passed_on": ("Givet videre til andre afdelinger", "Passed on to other departments"),
        "node.unmatched": ("Aktivitet uden kontakt", "Activity without a contact"),
        "node.other_groups": ("Øvrige grupper", "Other groups"),
        "node.shared": ("Fælles- og servicefunktioner", "Shared and service centres"),
        "node.external": ("Uden for DRG", "Outside DRG"),
        "node.from": ("Fra {name}", "From {name}"),
        # cards
        "card.total": ("Omkostninger i alt", "Total cost"),
        "card.received": ("heraf fællesomkostninger {pct}", "of which shared costs {pct}"),
        "card.ledger": ("bogført i perioden", "booked in the period"),
        "card.unused": ("Ubrugt kapacitet", "Unused capacity"),
        "card.unused_detail": ("{pct} af kapaciteten", "{pct} of capacity"),
        "card.index": ("Omkostning mod takst", "Cost against tariff"),
        "card.index_detail": ("{n} kontakter", "{n} contacts"),
        "card.passed_on": ("Givet videre", "Passed on"),
        "card.passed_on_detail": ("til {n} steder efter {key}", "to {n} centres by {key}"),
        "card.reconciled": ("Afstemning", "Reconciliation"),
        "card.reconciled_detail": ("difference i alle tre metoder", "difference in all three methods"),
        "card.external": ("Uden for DRG", "Outside DRG"),
        # headline
        "hl.total": (
            "{unit} kostede {total} i {period}: {own} egne omkostninger og {received} fællesomkostninger fra {n} "
            "mellemliggende steder ({method}).",
            "{unit} cost {total} in {period}: {own} of its own costs and {received} of shared costs from {n} "
            "intermediate centres ({method}).",
        ),
        "hl.total_own": (
            "{unit} kostede {total} i {period}; der er ingen fællesomkostninger fordelt til afdelingen.",
            "{unit} cost {total} in {period}; no shared costs were allocated to it.",
        ),
        "hl.share_only": (
            "En praktisk kapacitetsandel på {share} flytter enhedsomkostningerne op til {share_pct}.",
            "A practical-capacity share of {share} moves the unit costs by up to {share_pct}.",
        ),
        "hl.hospital": (
            "{unit} har bogført {total} i {period}: {pct_a} gik til patientaktiviteter, {pct_d} direkte til "
            "patienter (implantater og dyr medicin), {pct_u} er ubrugt kapacitet og {pct_e} ligger uden for DRG.",
            "{unit} booked {total} in {period}: {pct_a} went to patient activities, {pct_d} directly to patients "
            "(implants and expensive medicine), {pct_u} is unused capacity and {pct_e} is outside DRG.",
        ),
        "hl.service": (
            "{unit} kostede {total} i {period}; {passed} ({pct}) blev givet videre til {n} afdelinger efter {key}.",
            "{unit} cost {total} in {period}; {passed} ({pct}) was passed on to {n} departments by {key}.",
        ),
        "hl.unit_costs": ("Enhedsomkostninger: {items}.", "Unit costs: {items}."),
        "hl.unit_cost_item": ("{name} {kr} stykket", "{name} {kr} each"),
        "hl.range": (
            "{name} koster mellem {low} ({low_unit}) og {high} ({high_unit}) stykket.",
            "{name} cost between {low} ({low_unit}) and {high} ({high_unit}) each.",
        ),
        "hl.unused": (
            "Ubrugt kapacitet er {kr} ({pct} af kapaciteten); mest for {resource} ({rpct} ubrugt).",
            "Unused capacity is {kr} ({pct} of capacity), most of it for {resource} ({rpct} unused).",
        ),
        "hl.over": (
            " {resource} er brugt {pct} ud over sin praktiske kapacitet.",
            " {resource} is used {pct} beyond its practical capacity.",
        ),
        "hl.drg": (
            "Patientkontakterne koster samlet {pct} {dir} taksten (indeks {idx}, {n} kontakter); størst er "
            "afvigelsen for {group} {name} med indeks {gidx} ({gn} kontakter).",
            "The patient contacts cost {pct} {dir} the tariff in total (index {idx}, {n} contacts); the largest "
            "gap is for {group} {name}, index {gidx} ({gn} contacts).",
        ),
        "hl.above": ("over", "above"),
        "hl.below": ("under", "below"),
        "hl.small": (
            " {k} grupper har under {n} kontakter og er markeret som små.",
            " {k} groups have fewer than {n} contacts and are marked small.",
        ),
        "hl.small_one": (
            " Én gruppe har under {n} kontakter og er markeret som lille.",
            " One group has fewer than {n} contacts and is marked small.",
        ),
        "hl.sensitivity": (
            "Med en anden fordelingsmetode flytter enhedsomkostningerne højst {method_pct}; en praktisk "
            "kapacitetsandel på {share} flytter dem op til {share_pct}.",
            "Another allocation method moves the unit costs by at most {method_pct}; a practical-capacity share "
            "of {share} moves them by up to {share_pct}.",
        ),
        # the explorer (widgets)
        "widget.share": ("Praktisk andel", "Practical share"),
        "widget.method": ("Metode", "Method"),
    }
)


def title(lang: Language) -> str:
    """The report's title (``Enhedsomkostninger`` / ``Unit costs``)."""
    return TEXTS("title", lang)


def period_label(months: Sequence[str], lang: Language) -> str:
    """``januar–oktober 2026`` (``January–October 2026``), or one month."""
    if len(months) == 1:
        return fmt_month(months[0], lang)
    first = fmt_month(months[0], lang).rsplit(" ", 1)[0]
    return f"{first}–{fmt_month(months[-1], lang)}"


def kr(ore: float | int) -> float:
    """An amount in øre as kr."""
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


def in_sentence(name: str, lang: Language) -> str:
    """A catalogue name inside a Danish sentence: ``Ambulante besøg`` → ``ambulante besøg`` (not ``CT``)."""
    if lang == "da" and len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def method_label(key: str, lang: Language) -> str:
    """The name of an allocation method (``step_down`` → ``trinvis fordeling``)."""
    return TEXTS(f"method.{key}", lang)


def kind_label(kind: str, lang: Language) -> str:
    """The name of a resource or cost-centre kind (``staff`` → ``Personale``, ``final`` → ``endeligt``)."""
    return TEXTS(f"kind.{kind}", lang)


def variant_label(kind: str, variant: str, lang: Language, chosen: str | None = None) -> str:
    """The name of a sensitivity variant: a method (``(valgt)`` if it is ``chosen``) or a share."""
    if kind == "method":
        label = method_label(variant, lang).capitalize()
        return f"{label} ({TEXTS('chosen', lang)})" if variant == chosen else label
    return TEXTS("share", lang, pct=fmt_pct(float(variant) * 100, 0, lang)).capitalize()
