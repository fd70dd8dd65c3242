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
#       da: "Afd\xE6kning af styringsbehov"
#       en: Need assessment
# ---

# %% [markdown]
# # Afdækning af styringsbehov for en afdeling
#
# Hvor betaler tæt styring sig, aktivitet for aktivitet? Workshoppens vurdering (skemaer i `forms/need-assessment/<enhed>/`, lavet med `toolkit template need-assessment --unit <enhed>`) kobles med det, afdelingens egne data viser (omkostninger, timer, udsving, budgetafvigelse, målopfyldelse), og ender i anbefalede værktøjer og en handlingsplan.
#
# **Sådan bruges notebooken:** ret parametrene herunder og kør alle celler. Rapporten til ledere dannes af `toolkit run need-assessment --unit <enhed>` (kode og disse tekster vises ikke). Alle beregninger ligger i `toolkit.needs`; kriterier, vægte og regler i `params/` (`need_assessment`).

# %% tags=["parameters"]
unit = "FS-ORT"  # enhed (afdeling)
period = None  # måned som YYYY-MM; None betyder seneste måned i data
data_dir = "../data_samples"  # datamappe med tabeller og forms/need-assessment/<enhed>/
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
interactive = True  # vægt-skydere i JupyterLab; runneren sætter False

# %%
from toolkit.analyses.need_assessment import report as view
from toolkit.core.i18n import t
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "need-assessment", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language
)
lang = ctx.lang
res = view.compute(ctx)
r = Report(ctx, t("na.title", lang))

# %% [markdown]
# ## Overblik
# Hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(view.headline(res, lang))
r.cards(view.cards(res, lang))
view.record_kpis(r, res, lang)

# %% [markdown]
# ## Rangordning
# Samlet score 1–5 med spredningen mellem bedømmerne.

# %%
r.section(t("na.sec.ranking", lang), t("na.sec.ranking.lead", lang))
r.figure(view.ranking_chart(res, lang))
r.table(view.ranking_table(res, lang))
if res.forms.n_raters:
    r.note(t("na.raters_note", lang, n=res.forms.n_raters))
else:
    r.note(t("na.no_forms", lang, unit=ctx.unit.unit_id))

# %% [markdown]
# ## Profil
# Boblediagram: kompleksitet/risiko mod strategisk bevågenhed; størrelse = andel af omkostninger.

# %%
r.section(t("na.sec.profile", lang), t("na.sec.profile.lead", lang))
if view.has_profile(res):
    r.figure(view.profile_chart(res, lang))
else:
    r.note(t("na.no_profile", lang))

# %% [markdown]
# ## Kriterier
# Varmekort: aktivitet × kriterium på skalaen 1–5.

# %%
r.section(t("na.sec.heatmap", lang), t("na.sec.heatmap.lead", lang))
r.figure(view.heatmap_chart(res, lang))

# %% [markdown]
# ## Værktøjer
# Anbefalet efter reglerne i parametrene mod det, skemaerne angiver er i brug i dag.

# %%
r.section(t("na.sec.tools", lang), t("na.sec.tools.lead", lang))
r.table(view.recommendations_table(res, lang))

# %% [markdown]
# ## Handlingsplan

# %%
r.section(t("na.sec.plan", lang), t("na.sec.plan.lead", lang))
if len(res.actions):
    r.table(view.action_table(res, lang))
else:
    r.text(t("na.no_actions", lang))

# %% [markdown]
# ## Data
# De objektive indikatorer bag datakriterierne.

# %%
r.section(t("na.sec.data", lang), t("na.sec.data.lead", lang, months=res.params.months))
r.table(view.indicators_table(res, lang))
if not res.has_budget:
    r.note(t("na.no_budget", lang))

# %% [markdown]
# ## Registrering
# Den fælles nøgle: findes aktiviteten i både tids- og økonomidata?

# %%
r.section(t("na.sec.registration", lang), t("na.sec.registration.lead", lang))
r.table(view.registration_table(res, lang))
r.note(view.unmatched_note(res, lang))

# %% [markdown]
# ## Vægte (kun i JupyterLab)
# Flyt vægtene; rangordningen og handlingsplanen opdateres straks.

# %%
if interactive:
    from toolkit.analyses.need_assessment.widgets import weight_sliders

    weight_sliders(res, lang)

# %% [markdown]
# ## Vægte, regler og bilag
# Definitioner (samme tekst som i funktionernes docstrings), vægte og parametre.

# %%
r.section(t("na.sec.weights", lang), t("na.sec.weights.lead", lang))
r.table(view.weights_table(res.params, lang))
r.table(view.rules_table(res.params, lang))
r.table(view.tools_catalogue_table(res.params, lang))
r.appendix(view.definitions(), parameters=view.appendix_parameters(ctx.params))
r.finish()
