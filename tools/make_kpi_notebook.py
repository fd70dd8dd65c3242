"""Write notebooks/kpi.ipynb (kept as a script so the notebook's source is reviewable)."""

from notebook_builder import code, md, notebook, parameters, write

cells = [
    md(
        "# Ledelsesinformation for en afdeling\n\n"
        "Aktivitet, tid, økonomi, HR og mål for én afdeling og én måned, koblet på aktiviteten "
        "(Økonomistyrelsens *sammenhængende ledelsesinformation*).\n\n"
        "**Sådan bruges notebooken:** ret parametrene i cellen herunder og kør alle celler. "
        "Rapporten til ledere dannes af `toolkit run kpi --unit <enhed>` (kode og disse tekster "
        "vises ikke i rapporten). Alle beregninger ligger i `toolkit.kpi`; definitionerne står "
        "i bilaget nederst."
    ),
    parameters("FS-KAR", 'enhed (afdeling), fx "FS-LUN"'),
    code(
        "from toolkit import kpi, notebook\n"
        "from toolkit import kpi_report as view\n"
        "from toolkit.formatting import fmt_kr, fmt_pct\n"
        "from toolkit.i18n import t\n"
        "from toolkit.report import Report\n\n"
        "ctx = notebook.start(\n"
        '    "kpi", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language\n'
        ")\n"
        "lang = ctx.lang\n"
        "data = kpi.load(ctx.source, ctx.unit.unit_id, ctx.period, ctx.params.history_months)\n"
        "res = view.compute(data, ctx)\n"
        'r = Report(ctx, t("kpi.title", lang))'
    ),
    md("## Overblik\nOverskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal."),
    code(
        "r.header()\n"
        "r.headline(view.headline(res, ctx))\n"
        "r.cards(view.cards(res, ctx))\n"
        "view.record_kpis(r, res, ctx)"
    ),
    md("## Aktivitet\nFaktisk aktivitet mod plan og samme periode sidste år."),
    code(
        'r.section(t("kpi.sec.activity", lang), t("kpi.sec.activity.lead", lang))\n'
        "r.figure(view.volume_chart(res, lang))\n"
        "r.table(view.volume_table(res, lang))"
    ),
    md("## Tid\nTidstrappen: fra normtimer til tid på kerneopgaverne."),
    code(
        'r.section(t("kpi.sec.time", lang), t("kpi.sec.time.lead", lang))\n'
        "r.figure(view.staircase_chart(res, lang))\n"
        "r.table(view.staircase_table(res, lang))\n"
        "r.figure(view.hours_chart(res, lang))\n"
        'r.note(t("kpi.coverage_note", lang, pct=fmt_pct(res.coverage, 1, lang)))'
    ),
    md(
        "## Produktivitet og enhedsomkostninger\nLøn fordeles efter aktiviteternes andel af de registrerede timer (metode b)."
    ),
    code(
        'r.section(t("kpi.sec.productivity", lang), t("kpi.sec.productivity.lead", lang))\n'
        "r.figure(view.productivity_chart(res, lang))\n"
        "r.table(view.productivity_table(res, lang))\n"
        "r.figure(view.cost_chart(res, ctx))\n"
        "r.table(view.cost_table(res, lang))\n"
        'unallocated = res.cost.unallocated.query("period == @ctx.period")["amount"].sum()\n'
        'r.note(t("kpi.unallocated_note", lang, amount=fmt_kr(unallocated, lang)))'
    ),
    md("## Økonomi\nForbrug år til dato mod periodiseret budget, prognose for året."),
    code(
        'method = t(f"method.{ctx.params.kpi.forecast_method}", lang)\n'
        'r.section(t("kpi.sec.budget", lang), t("kpi.sec.budget.lead", lang, method=method))\n'
        "r.figure(view.budget_chart(res, lang))\n"
        "r.table(view.budget_table(res, lang))\n"
        "explanation = view.explanation_note(res, ctx)\n"
        "if explanation:\n"
        "    r.note(explanation)\n"
        "    r.table(view.explanations_table(res, lang))"
    ),
    md("## Sygefravær og overarbejde\nGrupper under 5 personer skjules."),
    code(
        'r.section(t("kpi.sec.hr", lang), t("kpi.sec.hr.lead", lang))\n'
        "r.figure(view.sick_chart(res, ctx))\n"
        "r.table(view.hr_table(res, ctx))"
    ),
    md("## Mål\nStatusgrænserne er parametre (`kpi.goal_thresholds`)."),
    code(
        "thresholds = ctx.params.kpi.goal_thresholds\n"
        "r.section(\n"
        '    t("kpi.sec.goals", lang),\n'
        '    t("kpi.sec.goals.lead", lang, green=round(thresholds.green * 100), amber=round(thresholds.amber * 100)),\n'
        ")\n"
        "if len(res.goals):\n"
        "    r.table(view.goals_table(res, lang))\n"
        "else:\n"
        '    r.text(t("kpi.no_goals", lang))'
    ),
    md("## Sammenligning\nKun aftalte, aggregerede nøgletal for centrets afdelinger."),
    code(
        "ratios = view.sibling_ratios(ctx)\n"
        'r.section(t("kpi.sec.compare", lang), t("kpi.sec.compare.lead", lang, centre=ctx.unit.parent_name or ""))\n'
        'r.figure(view.comparison_chart(ratios, ctx, "budget_deviation_ytd_pct", "col.budget_dev_ytd"))\n'
        'r.figure(view.comparison_chart(ratios, ctx, "sick_pct_12m", "col.sick_pct_12m"))\n'
        "r.table(view.comparison_table(ratios, ctx))"
    ),
    md("## Udforsk (kun i JupyterLab)\nVælg enhed, måned og aktivitet; graferne opdateres."),
    code("if interactive:\n    from toolkit.widgets import kpi_explorer\n\n    kpi_explorer(ctx)"),
    md("## Bilag\nDefinitioner (samme tekst som i funktionernes docstrings), parametre og datakilde."),
    code("r.appendix(view.definitions())\nr.finish()"),
]
write(notebook({"da": "Ledelsesinformation", "en": "Management information"}, ["department"], cells), "kpi")
