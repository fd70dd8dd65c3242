"""Write notebooks/need-assessment.ipynb and notebooks/need-assessment-centre.ipynb.

Kept as a script so the notebooks' source is reviewable: `python tools/make_need_assessment_notebook.py`.
"""

from notebook_builder import code, md, notebook, write
from notebook_builder import parameters as base_parameters


def parameters(unit: str, kind: str):
    return base_parameters(
        unit,
        f"enhed ({kind})",
        data_help="datamappe med tabeller og forms/need-assessment/<enhed>/",
        interactive_help="vægt-skydere i JupyterLab; runneren sætter False",
    )


department = notebook(
    {"da": "Afdækning af styringsbehov", "en": "Need assessment"},
    ["department"],
    [
        md(
            "# Afdækning af styringsbehov for en afdeling\n\n"
            "Hvor betaler tæt styring sig, aktivitet for aktivitet? Workshoppens vurdering (skemaer i "
            "`forms/need-assessment/<enhed>/`, lavet med `toolkit template need-assessment --unit <enhed>`) "
            "kobles med det, afdelingens egne data viser (omkostninger, timer, udsving, budgetafvigelse, "
            "målopfyldelse), og ender i anbefalede værktøjer og en handlingsplan.\n\n"
            "**Sådan bruges notebooken:** ret parametrene herunder og kør alle celler. Rapporten til "
            "ledere dannes af `toolkit run need-assessment --unit <enhed>` (kode og disse tekster vises "
            "ikke). Alle beregninger ligger i `toolkit.needs`; kriterier, vægte og regler i "
            "`params/` (`need_assessment`)."
        ),
        parameters("FS-ORT", "afdeling"),
        code(
            "from toolkit import needs_report as view\n"
            "from toolkit import notebook\n"
            "from toolkit.i18n import t\n"
            "from toolkit.report import Report\n\n"
            "ctx = notebook.start(\n"
            '    "need-assessment", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language\n'
            ")\n"
            "lang = ctx.lang\n"
            "res = view.compute(ctx)\n"
            'r = Report(ctx, t("na.title", lang))'
        ),
        md("## Overblik\nHovedbudskaber (genereret ud fra tallene) og nøgletal."),
        code(
            "r.header()\n"
            "r.headline(view.headline(res, lang))\n"
            "r.cards(view.cards(res, lang))\n"
            "view.record_kpis(r, res, lang)"
        ),
        md("## Rangordning\nSamlet score 1–5 med spredningen mellem bedømmerne."),
        code(
            'r.section(t("na.sec.ranking", lang), t("na.sec.ranking.lead", lang))\n'
            "r.figure(view.ranking_chart(res, lang))\n"
            "r.table(view.ranking_table(res, lang))\n"
            "if res.forms.n_raters:\n"
            '    r.note(t("na.raters_note", lang, n=res.forms.n_raters))\n'
            "else:\n"
            '    r.note(t("na.no_forms", lang, unit=ctx.unit.unit_id))'
        ),
        md(
            "## Profil\nBoblediagram: kompleksitet/risiko mod strategisk bevågenhed; størrelse = andel af omkostninger."
        ),
        code(
            'r.section(t("na.sec.profile", lang), t("na.sec.profile.lead", lang))\n'
            "if view.has_profile(res):\n"
            "    r.figure(view.profile_chart(res, lang))\n"
            "else:\n"
            '    r.note(t("na.no_profile", lang))'
        ),
        md("## Kriterier\nVarmekort: aktivitet × kriterium på skalaen 1–5."),
        code(
            'r.section(t("na.sec.heatmap", lang), t("na.sec.heatmap.lead", lang))\n'
            "r.figure(view.heatmap_chart(res, lang))"
        ),
        md(
            "## Værktøjer\nAnbefalet efter reglerne i parametrene mod det, skemaerne angiver er i brug i dag."
        ),
        code(
            'r.section(t("na.sec.tools", lang), t("na.sec.tools.lead", lang))\n'
            "r.table(view.recommendations_table(res, lang))"
        ),
        md("## Handlingsplan"),
        code(
            'r.section(t("na.sec.plan", lang), t("na.sec.plan.lead", lang))\n'
            "if len(res.actions):\n"
            "    r.table(view.action_table(res, lang))\n"
            "else:\n"
            '    r.text(t("na.no_actions", lang))'
        ),
        md("## Data\nDe objektive indikatorer bag datakriterierne."),
        code(
            'r.section(t("na.sec.data", lang), t("na.sec.data.lead", lang, months=res.params.months))\n'
            "r.table(view.indicators_table(res, lang))\n"
            "if not res.has_budget:\n"
            '    r.note(t("na.no_budget", lang))'
        ),
        md("## Registrering\nDen fælles nøgle: findes aktiviteten i både tids- og økonomidata?"),
        code(
            'r.section(t("na.sec.registration", lang), t("na.sec.registration.lead", lang))\n'
            "r.table(view.registration_table(res, lang))\n"
            "r.note(view.unmatched_note(res, lang))"
        ),
        md("## Vægte (kun i JupyterLab)\nFlyt vægtene; rangordningen og handlingsplanen opdateres straks."),
        code(
            "if interactive:\n"
            "    from toolkit.needs_widgets import weight_sliders\n\n"
            "    weight_sliders(res, lang)"
        ),
        md(
            "## Vægte, regler og bilag\nDefinitioner (samme tekst som i funktionernes docstrings), vægte og parametre."
        ),
        code(
            'r.section(t("na.sec.weights", lang), t("na.sec.weights.lead", lang))\n'
            "r.table(view.weights_table(res.params, lang))\n"
            "r.table(view.rules_table(res.params, lang))\n"
            "r.table(view.tools_catalogue_table(res.params, lang))\n"
            "r.appendix(view.definitions(), parameters=view.appendix_parameters(ctx.params))\n"
            "r.finish()"
        ),
    ],
)

centre = notebook(
    {"da": "Styringsbehov i centret", "en": "Management needs across the centre"},
    ["centre"],
    [
        md(
            "# Styringsbehov på tværs af centrets afdelinger\n\n"
            "Samler afdelingernes afdækning af styringsbehov: de største behov, de hyppigste manglende "
            "værktøjer og registreringen på aktiviteten. Centret ser kun det aftalte aggregat for hver "
            "afdeling (`need_assessment`), aldrig skemaer eller bedømmere.\n\n"
            "**Sådan bruges notebooken:** ret parametrene herunder og kør alle celler; rapporten dannes af "
            "`toolkit run need-assessment-centre --unit <center>`."
        ),
        parameters("FS-KC", "center"),
        code(
            "from toolkit import needs_report as view\n"
            "from toolkit import notebook\n"
            "from toolkit.i18n import t\n"
            "from toolkit.report import Report\n\n"
            "ctx = notebook.start(\n"
            '    "need-assessment-centre",\n'
            "    unit=unit,\n"
            "    period=period,\n"
            "    data_dir=data_dir,\n"
            "    params_dir=params_dir,\n"
            "    language=language,\n"
            ")\n"
            "lang = ctx.lang\n"
            "cn = view.centre_needs(ctx)\n"
            'r = Report(ctx, t("na.centre_title", lang))'
        ),
        md("## Overblik"),
        code(
            "r.header()\n"
            "r.headline(view.centre_headline(cn, ctx))\n"
            "r.cards(view.centre_cards(cn, ctx))\n"
            "view.centre_record_kpis(r, cn, ctx)\n"
            "note = view.centre_note(cn, ctx)\n"
            "if note:\n"
            "    r.note(note)"
        ),
        md("## Største behov\nDe højeste scorer på tværs af afdelingerne."),
        code(
            "if len(cn.rows):\n"
            '    r.section(t("na.sec.centre_top", lang), t("na.sec.centre_top.lead", lang, n=min(10, len(cn.rows))))\n'
            "    r.figure(view.centre_top_chart(cn, ctx))\n"
            "    r.table(view.centre_top_table(cn, ctx))\n"
            '    r.section(t("na.sec.centre_map", lang))\n'
            "    r.figure(view.centre_heatmap_chart(cn, ctx))\n"
            '    r.section(t("na.sec.centre_dept", lang, n=ctx.params.need_assessment.top_n))\n'
            "    r.table(view.centre_department_table(cn, ctx))\n"
            '    r.section(t("na.sec.centre_gaps", lang), t("na.sec.centre_gaps.lead", lang))\n'
            "    gaps = view.centre_gaps_table(cn, ctx)\n"
            "    if len(gaps.frame):\n"
            "        r.table(gaps)\n"
            "    else:\n"
            '        r.text(t("na.centre_no_gaps", lang))\n'
            "else:\n"
            '    r.text(t("na.centre_none", lang))'
        ),
        md("## Vægte, regler og bilag"),
        code(
            'r.section(t("na.sec.weights", lang), t("na.sec.weights.lead", lang))\n'
            "r.table(view.weights_table(ctx.params.need_assessment, lang))\n"
            "r.table(view.rules_table(ctx.params.need_assessment, lang))\n"
            "r.appendix(view.centre_definitions(), parameters=view.appendix_parameters(ctx.params))\n"
            "r.finish()"
        ),
    ],
)

write(department, "need-assessment")
write(centre, "need-assessment-centre")
