# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: toolkit,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   toolkit:
#     levels:
#     - department
#     title:
#       da: "Vurdering af vagtplanl\xE6gning"
#       en: Shift-planning assessment
# ---

# %% [markdown]
# # Vurdering af vagtplanlægning for en afdeling
#
# Ledelsens selvvurdering af de seks temaer (kompetencer, organisering, aftaler, systemunderstøttelse, kobling til aktivitet, ledelsesinformation) holdt op mod, hvad vagtplanen og patientstrømmen viser: overarbejde, vikarer, ændringer med kort varsel, hviletid, bemanding time for time mod patienterne, afspadsering og sygefravær.
#
# **Sådan bruges notebooken:** ret parametrene i cellen herunder og kør alle celler. Rapporten til ledere dannes af `toolkit run shift-assessment --unit <enhed>` (kode og disse tekster vises ikke i rapporten). Skemaet til selvvurderingen dannes med `toolkit template shift-assessment --unit <enhed> --out skema.xlsx`; de udfyldte skemaer lægges i datamappen under `forms/shift-assessment/<enhed>/`. Alle beregninger ligger i `toolkit.roster`, `toolkit.rest_time` og `toolkit.shift_assessment`; definitionerne står i bilaget nederst.

# %% tags=["parameters"]
unit = "FS-AKU"  # enhed (afdeling), fx "FS-ORT"
period = None  # måned som YYYY-MM; None betyder seneste måned i data
data_dir = "../data_samples"  # datamappe med CSV/XLSX/Parquet og forms/
params_dir = "../params"  # parametre: defaults.yaml, units/<enhed>.yaml og udsagnsbanken
language = None  # da eller en; None betyder som i parametrene
interactive = True  # widgets i JupyterLab; runneren sætter False

# %%
from toolkit.analyses.shift_assessment import assessment as shift_assessment
from toolkit.analyses.shift_assessment import report as view
from toolkit.core.formatting import fmt_month, fmt_number
from toolkit.core.i18n import t
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "shift-assessment", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language
)
lang = ctx.lang
sp = ctx.params.shift_assessment
data = view.load(ctx)
assessment = shift_assessment.read_assessment(ctx.source, ctx.unit.unit_id, view.load_bank(ctx))
res = view.compute(data, assessment, ctx)
names = view.theme_names(res, lang)
r = Report(ctx, t("shift.title", lang))

# %% [markdown]
# ## Overblik
# Overskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(view.headline(res, ctx))
r.cards(view.cards(res, ctx))
view.record_kpis(r, res, ctx)

# %% [markdown]
# ## Selvvurdering
# Gennemsnit over bedømmerne (hver bedømmer vejer lige meget); stregerne viser laveste og højeste bedømmer. Bedømmernes navne vises aldrig.

# %%
r.section(t("shift.sec.assessment", lang), t("shift.sec.assessment.lead", lang))
r.note(view.forms_note(res, ctx))
if assessment.n_raters:
    r.figure(view.assessment_chart(res.themes, names=names, lang=lang))
    r.figure(view.gap_chart(res.themes, names=names, lang=lang, priority=sp.gap_priority))
    r.table(view.themes_table(res, lang))
    r.add_table(view.statements_table(res, lang))

# %% [markdown]
# ## Vurdering og data
# Hvert tema holdt op mod de nøgletal, der taler til det. Grænserne står i `params/defaults.yaml` under `shift_assessment`.

# %%
r.section(t("shift.sec.judgement", lang), t("shift.sec.judgement.lead", lang))
r.table(view.judgement_table(res, lang))

# %% [markdown]
# ## Hviletid
# 24-timers-reglen (Arbejdstilsynet), talt pr. arbejdsforløb; personer vises aldrig.

# %%
rest_lead = t(
    "shift.sec.rest.lead", lang, month_cap=sp.reduced_rest_per_month, year_cap=sp.reduced_rest_per_year
)
r.section(t("shift.sec.rest", lang), rest_lead)
if res.suppressed:
    r.note(t("shift.suppressed_unit", lang, n=ctx.params.privacy.min_group_size))
else:
    r.figure(view.rest_chart(res.rest, lang=lang))
    rest_note = view.rest_note(res, lang)
    if rest_note:
        r.note(rest_note)
r.table(view.rest_table(res, ctx))

# %% [markdown]
# ## Bemanding og patientstrøm
# Varmekort over ugens 7 × 24 timer: patienter, personale og personale pr. patient. Mismatch-indekset er andelen af vagttimerne, der ligger i andre timer end patienterne.

# %%
r.section(t("shift.sec.staffing", lang), view.staffing_lead(res, ctx))
if res.staffing.profile is None:
    r.text(t("shift.no_flow", lang))
else:
    r.figure(view.demand_heatmap(res.staffing, lang))
    r.figure(view.staff_heatmap(res.staffing, lang))
    r.figure(view.ratio_heatmap(res.staffing, lang), caption=view.ratio_caption(res.staffing, lang))
    r.note(view.blocks_note(res, lang))
    r.add_table(view.profile_table(res, lang))

# %% [markdown]
# ## Udvikling
# Månedlige tendenser for overarbejde, vikarforbrug og ændringer med kort varsel.

# %%
r.section(t("shift.sec.trends", lang), t("shift.sec.trends.lead", lang, days=sp.short_notice_days))
r.figure(view.trends_chart(res.monthly, lang=lang))
r.table(view.monthly_table(res.monthly, ctx))

# %% [markdown]
# ## Personalegrupper
# Grupper under 5 personer skjules (og den næstmindste, hvis kun én skjules).

# %%
r.section(t("shift.sec.groups", lang), t("shift.sec.groups.lead", lang, month=fmt_month(ctx.period, lang)))
r.table(view.group_table(res, ctx))

# %% [markdown]
# ## Næste skridt
# Forslag fra udsagnsbanken og fra de nøgletal, der ligger over grænsen.

# %%
steps = view.next_steps(res, ctx)
r.section(
    t("shift.sec.steps", lang), t("shift.sec.steps.lead", lang, gap=fmt_number(sp.gap_priority, 1, lang))
)
if len(steps):
    r.table(view.steps_table(steps, lang))
else:
    r.text(t("shift.no_steps", lang))

# %% [markdown]
# ## Udforsk (kun i JupyterLab)
# Vælg enhed, måned og personalegruppe; varmekort og tendenser opdateres.

# %%
if interactive:
    from toolkit.analyses.shift_assessment.widgets import shift_explorer

    shift_explorer(ctx)

# %% [markdown]
# ## Bilag
# Definitioner (samme tekst som i funktionernes docstrings), parametre og datakilde.

# %%
r.appendix(view.definitions())
r.finish()
