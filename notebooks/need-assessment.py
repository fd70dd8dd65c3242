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
# **Sådan bruges notebooken:** ret parametrene herunder og kør alle celler. Rapporten til ledere dannes af `toolkit run need-assessment --unit <enhed>` (kode og disse tekster vises ikke). Alle beregninger ligger i `toolkit.analyses.need_assessment`; kriterier, vægte og regler i `params/` (`need_assessment`).

# %% tags=["parameters"]
unit = "FS-ORT"  # enhed (afdeling)
period = None  # måned som YYYY-MM; None betyder seneste måned, enhedens data dækker helt
data_dir = "../data_samples"  # datamappe med tabeller og forms/need-assessment/<enhed>/
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
settings = []  # toolkit-parametre for denne kørsel, samme form som --set, fx "unit_cost.method" sat til "step_down"
interactive = True  # vægt-skydere i JupyterLab; runneren sætter False

# %%
from toolkit.analyses import need_assessment as na
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "need-assessment",
    unit=unit,
    period=period,
    data_dir=data_dir,
    params_dir=params_dir,
    language=language,
    settings=settings,
)
res = na.compute(na.load(ctx), ctx)
r = Report(ctx, na.title(ctx.lang))

# %% [markdown]
# ## Overblik
# Hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(na.headline(res, ctx))
r.cards(na.cards(res, ctx))
na.record_kpis(r, res, ctx)

# %% [markdown]
# ## Rangordning
# Samlet score 1–5 med spredningen mellem bedømmerne.

# %%
r.show(na.ranking(res, ctx))

# %% [markdown]
# ## Profil
# Boblediagram: kompleksitet/risiko mod strategisk bevågenhed; størrelse = andel af omkostninger.

# %%
r.show(na.profile(res, ctx))

# %% [markdown]
# ## Kriterier
# Varmekort: aktivitet × kriterium på skalaen 1–5.

# %%
r.show(na.criteria(res, ctx))

# %% [markdown]
# ## Værktøjer
# Anbefalet efter reglerne i parametrene mod det, skemaerne angiver er i brug i dag.

# %%
r.show(na.tools(res, ctx))

# %% [markdown]
# ## Handlingsplan

# %%
r.show(na.plan(res, ctx))

# %% [markdown]
# ## Data
# De objektive indikatorer bag datakriterierne.

# %%
r.show(na.data(res, ctx))

# %% [markdown]
# ## Registrering
# Den fælles nøgle: findes aktiviteten i både tids- og økonomidata?

# %%
r.show(na.registration(res, ctx))

# %% [markdown]
# ## Vægte (kun i JupyterLab)
# Flyt vægtene; rangordningen og handlingsplanen opdateres straks.

# %%
if interactive:
    from toolkit.analyses.need_assessment.widgets import explorer

    explorer(ctx, res)

# %% [markdown]
# ## Vægte, regler og bilag
# Definitioner (samme tekst som i funktionernes docstrings), vægte og parametre.

# %%
r.show(na.weights(res, ctx))
r.appendix(na.definitions(), parameters=na.appendix_parameters(ctx))
r.finish()
