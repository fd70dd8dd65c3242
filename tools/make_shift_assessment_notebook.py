"""Write notebooks/shift-assessment.ipynb (kept as a script so the notebook's source is reviewable)."""

from notebook_builder import code, md, notebook, parameters, write

cells = [
    md(
        "# Vurdering af vagtplanlægning for en afdeling\n\n"
        "Ledelsens selvvurdering af de seks temaer (kompetencer, organisering, aftaler, "
        "systemunderstøttelse, kobling til aktivitet, ledelsesinformation) holdt op mod, hvad "
        "vagtplanen og patientstrømmen viser: overarbejde, vikarer, ændringer med kort varsel, "
        "hviletid, bemanding time for time mod patienterne, afspadsering og sygefravær.\n\n"
        "**Sådan bruges notebooken:** ret parametrene i cellen herunder og kør alle celler. "
        "Rapporten til ledere dannes af `toolkit run shift-assessment --unit <enhed>` (kode og "
        "disse tekster vises ikke i rapporten). Skemaet til selvvurderingen dannes med "
        "`toolkit template shift-assessment --unit <enhed> --out skema.xlsx`; de udfyldte skemaer "
        "lægges i datamappen under `forms/shift-assessment/<enhed>/`. Alle beregninger ligger i "
        "`toolkit.roster`, `toolkit.rest_time` og `toolkit.shift_assessment`; definitionerne står "
        "i bilaget nederst."
    ),
    parameters(
        "FS-AKU",
        'enhed (afdeling), fx "FS-ORT"',
        data_help="datamappe med CSV/XLSX/Parquet og forms/",
        params_help="parametre: defaults.yaml, units/<enhed>.yaml og udsagnsbanken",
    ),
    code(
        "from toolkit import notebook, shift_assessment\n"
        "from toolkit import shift_report as view\n"
        "from toolkit.formatting import fmt_month, fmt_number\n"
        "from toolkit.i18n import t\n"
        "from toolkit.report import Report\n\n"
        "ctx = notebook.start(\n"
        '    "shift-assessment", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language\n'
        ")\n"
        "lang = ctx.lang\n"
        "sp = ctx.params.shift_assessment\n"
        "data = view.load(ctx)\n"
        "assessment = shift_assessment.read_assessment(ctx.source, ctx.unit.unit_id, view.load_bank(ctx))\n"
        "res = view.compute(data, assessment, ctx)\n"
        "names = view.theme_names(res, lang)\n"
        'r = Report(ctx, t("shift.title", lang))'
    ),
    md("## Overblik\nOverskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal."),
    code(
        "r.header()\n"
        "r.headline(view.headline(res, ctx))\n"
        "r.cards(view.cards(res, ctx))\n"
        "view.record_kpis(r, res, ctx)"
    ),
    md(
        "## Selvvurdering\nGennemsnit over bedømmerne (hver bedømmer vejer lige meget); "
        "stregerne viser laveste og højeste bedømmer. Bedømmernes navne vises aldrig."
    ),
    code(
        'r.section(t("shift.sec.assessment", lang), t("shift.sec.assessment.lead", lang))\n'
        "r.note(view.forms_note(res, ctx))\n"
        "if assessment.n_raters:\n"
        "    r.figure(view.assessment_chart(res.themes, names=names, lang=lang))\n"
        "    r.figure(view.gap_chart(res.themes, names=names, lang=lang, priority=sp.gap_priority))\n"
        "    r.table(view.themes_table(res, lang))\n"
        "    r.add_table(view.statements_table(res, lang))"
    ),
    md(
        "## Vurdering og data\nHvert tema holdt op mod de nøgletal, der taler til det. "
        "Grænserne står i `params/defaults.yaml` under `shift_assessment`."
    ),
    code(
        'r.section(t("shift.sec.judgement", lang), t("shift.sec.judgement.lead", lang))\n'
        "r.table(view.judgement_table(res, lang))"
    ),
    md("## Hviletid\n24-timers-reglen (Arbejdstilsynet), talt pr. arbejdsforløb; personer vises aldrig."),
    code(
        "rest_lead = t(\n"
        '    "shift.sec.rest.lead", lang, month_cap=sp.reduced_rest_per_month, year_cap=sp.reduced_rest_per_year\n'
        ")\n"
        'r.section(t("shift.sec.rest", lang), rest_lead)\n'
        "if res.suppressed:\n"
        '    r.note(t("shift.suppressed_unit", lang, n=ctx.params.privacy.min_group_size))\n'
        "else:\n"
        "    r.figure(view.rest_chart(res.rest, lang=lang))\n"
        "    rest_note = view.rest_note(res, lang)\n"
        "    if rest_note:\n"
        "        r.note(rest_note)\n"
        "r.table(view.rest_table(res, ctx))"
    ),
    md(
        "## Bemanding og patientstrøm\nVarmekort over ugens 7 × 24 timer: patienter, personale "
        "og personale pr. patient. Mismatch-indekset er andelen af vagttimerne, der ligger i andre "
        "timer end patienterne."
    ),
    code(
        'r.section(t("shift.sec.staffing", lang), view.staffing_lead(res, ctx))\n'
        "if res.staffing.profile is None:\n"
        '    r.text(t("shift.no_flow", lang))\n'
        "else:\n"
        "    r.figure(view.demand_heatmap(res.staffing, lang))\n"
        "    r.figure(view.staff_heatmap(res.staffing, lang))\n"
        "    r.figure(view.ratio_heatmap(res.staffing, lang), caption=view.ratio_caption(res.staffing, lang))\n"
        "    r.note(view.blocks_note(res, lang))\n"
        "    r.add_table(view.profile_table(res, lang))"
    ),
    md("## Udvikling\nMånedlige tendenser for overarbejde, vikarforbrug og ændringer med kort varsel."),
    code(
        'r.section(t("shift.sec.trends", lang), t("shift.sec.trends.lead", lang, days=sp.short_notice_days))\n'
        "r.figure(view.trends_chart(res.monthly, lang=lang))\n"
        "r.table(view.monthly_table(res.monthly, ctx))"
    ),
    md("## Personalegrupper\nGrupper under 5 personer skjules (og den næstmindste, hvis kun én skjules)."),
    code(
        'r.section(t("shift.sec.groups", lang), t("shift.sec.groups.lead", lang, month=fmt_month(ctx.period, lang)))\n'
        "r.table(view.group_table(res, ctx))"
    ),
    md("## Næste skridt\nForslag fra udsagnsbanken og fra de nøgletal, der ligger over grænsen."),
    code(
        "steps = view.next_steps(res, ctx)\n"
        "r.section(\n"
        '    t("shift.sec.steps", lang), t("shift.sec.steps.lead", lang, gap=fmt_number(sp.gap_priority, 1, lang))\n'
        ")\n"
        "if len(steps):\n"
        "    r.table(view.steps_table(steps, lang))\n"
        "else:\n"
        '    r.text(t("shift.no_steps", lang))'
    ),
    md(
        "## Udforsk (kun i JupyterLab)\nVælg enhed, måned og personalegruppe; varmekort og tendenser opdateres."
    ),
    code("if interactive:\n    from toolkit.shift_widgets import shift_explorer\n\n    shift_explorer(ctx)"),
    md("## Bilag\nDefinitioner (samme tekst som i funktionernes docstrings), parametre og datakilde."),
    code("r.appendix(view.definitions())\nr.finish()"),
]
write(
    notebook(
        {"da": "Vurdering af vagtplanlægning", "en": "Shift-planning assessment"}, ["department"], cells
    ),
    "shift-assessment",
)
