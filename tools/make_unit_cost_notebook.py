"""Write notebooks/unit-cost.ipynb (kept as a script so the notebook's source is reviewable)."""

from notebook_builder import code, md, notebook, parameters, write

cells = [
    md(
        "# Enhedsomkostninger: fra finansposter til aktiviteter og DRG-grupper\n\n"
        "Sygehusets fordelingsregnskab med tidsdrevet aktivitetsbaseret kalkulation: finansposter på "
        "omkostningssteder, fællesfunktioner fordelt efter nøgler (trinvis, direkte eller gensidig), "
        "afdelingens omkostninger gjort til en pris pr. minut for hver ressource, enhedsomkostning pr. "
        "aktivitet, brugt og ubrugt kapacitet, omkostning pr. patientkontakt og pr. DRG-/DAGS-gruppe mod "
        "taksten. Alt afstemmes til regnskabet på øret.\n\n"
        "**Sådan bruges notebooken:** ret parametrene herunder og kør alle celler. `unit` kan være en "
        "afdeling eller hele sygehuset (`FS`). Omkostningsperioden er januar til `period` i samme år. "
        "Fordelingsmetode, rækkefølge og praktiske kapacitetsandele står i `params/` under `unit_cost`. "
        "Rapporten til ledere dannes af `toolkit run unit-cost --unit <enhed>`; kode og disse tekster "
        "vises ikke i rapporten. Beregningerne ligger i `toolkit.costing`, definitionerne i bilaget."
    ),
    parameters(
        "FS-ORT",
        "afdeling, eller sygehuset FS for hele sygehuset",
        period_help="sidste måned i omkostningsperioden som YYYY-MM; None betyder seneste måned i data",
    ),
    code(
        "from toolkit import costing, notebook\n"
        "from toolkit import unit_cost_report as view\n"
        "from toolkit.i18n import t\n"
        "from toolkit.report import Report\n\n"
        "ctx = notebook.start(\n"
        '    "unit-cost", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language\n'
        ")\n"
        "lang = ctx.lang\n"
        "data = costing.load(ctx.source, ctx.unit.unit_id, ctx.period)\n"
        "res = view.compute(data, ctx)\n"
        'r = Report(ctx, t("uc.title", lang))'
    ),
    md("## Overblik\nOverskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal."),
    code(
        "r.header()\n"
        "r.headline(view.headline(res, ctx))\n"
        "r.cards(view.cards(res, ctx))\n"
        "view.record_kpis(r, res, ctx)\n"
        'r.note(t("uc.period", lang, period=view.period_label(data.months, lang)))'
    ),
    md(
        "## Afstemning\nBogførte omkostninger ført igennem alle tre metoder; differencen skal være 0,00 kr. "
        "Aktivitet, der ikke er registreret på en kontakt, vises for sig."
    ),
    code(
        "r.section(\n"
        '    t("uc.sec.reconciliation", lang),\n'
        '    t("uc.sec.reconciliation.lead", lang, method=view.method_label(res.base.method, lang)),\n'
        ")\n"
        "r.table(view.reconciliation_table(res, lang))\n"
        'r.note(" ".join(view.reconciliation_notes(res, lang)))'
    ),
    md("## Flow\nKontoarter → omkostningssteder → aktiviteter → patientgrupper (Sankey)."),
    code(
        'r.section(t("uc.sec.flow", lang), t("uc.sec.flow.lead", lang))\nr.figure(view.flow_chart(res, ctx))'
    ),
    md(
        "## Enhedsomkostninger\nPris pr. enhed af hver aktivitet, fordelt på ressourcer (normtid × minutpris)."
    ),
    code(
        'r.section(t("uc.sec.unit_costs", lang), t("uc.sec.unit_costs.lead", lang))\n'
        "r.figure(view.unit_cost_chart(res, lang))\n"
        "r.table(view.unit_cost_table(res, lang))"
    ),
    md("## Kapacitet\nBrugt og ubrugt kapacitet pr. ressource, i kroner og timer."),
    code(
        'r.section(t("uc.sec.capacity", lang), t("uc.sec.capacity.lead", lang))\n'
        "r.figure(view.capacity_chart(res, lang))\n"
        "r.table(view.capacity_table(res, lang))"
    ),
    md("## DRG og takst\nGennemsnitlig omkostning pr. kontakt mod taksten, antal kontakter og små grupper."),
    code(
        "min_n = ctx.params.privacy.min_group_size\n"
        "if res.has_contacts:\n"
        '    r.section(t("uc.sec.drg", lang), t("uc.sec.drg.lead", lang, n=ctx.params.unit_cost.small_group_contacts))\n'
        "    r.figure(view.drg_chart(res, ctx))\n"
        "    r.table(view.drg_table(res, ctx))\n"
        '    r.section(t("uc.sec.distribution", lang), t("uc.sec.distribution.lead", lang, n=min_n))\n'
        "    r.figure(view.distribution_chart(res, ctx))\n"
        "    r.add_table(view.drg_distribution_table(res, lang))\n"
        "    r.add_table(view.match_table(res, lang))\n"
        "else:\n"
        '    r.section(t("uc.sec.drg", lang))\n'
        "    r.text(view.no_contacts_text(res, lang))"
    ),
    md("## Følsomhed\nEnhedsomkostninger med andre fordelingsmetoder og andre praktiske kapacitetsandele."),
    code(
        'r.section(t("uc.sec.sensitivity", lang), t("uc.sec.sensitivity.lead", lang))\n'
        "r.figure(view.sensitivity_chart(res, lang))\n"
        "r.add_table(view.sensitivity_table(res, lang))"
    ),
    md(
        "## Fordeling af fællesomkostninger\nNøgler, mængder og andele; regnearket har hele fordelingsmatricen "
        "for hver metode, omkostningsstederne og regnskabet pr. kontoart."
    ),
    code(
        'r.section(t("uc.sec.allocation", lang), t("uc.sec.allocation.lead", lang))\n'
        "r.table(view.overhead_table(res, lang))\n"
        "view.add_audit_tables(r, res, lang)"
    ),
    md(
        "## Udforsk (kun i JupyterLab)\nSkub til den praktiske kapacitetsandel og vælg fordelingsmetode; "
        "enhedsomkostningerne og den ubrugte kapacitet regnes igen."
    ),
    code(
        "if interactive:\n    from toolkit.unit_cost_widgets import unit_cost_explorer\n\n    unit_cost_explorer(data, ctx)"
    ),
    md("## Bilag\nDefinitioner (samme tekst som i funktionernes docstrings), parametre og datakilde."),
    code("r.appendix(view.definitions(), parameters=view.appendix_parameters(res, ctx))\nr.finish()"),
]
write(
    notebook({"da": "Enhedsomkostninger", "en": "Unit costs"}, ["department", "hospital"], cells), "unit-cost"
)
