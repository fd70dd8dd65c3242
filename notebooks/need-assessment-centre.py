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
#     - centre
#     title:
#       da: Styringsbehov i centret
#       en: Management needs across the centre
# ---

# %% [markdown]
# # Styringsbehov på tværs af centrets afdelinger
#
# Samler afdelingernes afdækning af styringsbehov: de største behov, de hyppigste manglende værktøjer og registreringen på aktiviteten. Centret ser kun det aftalte aggregat for hver afdeling (`need_assessment`), aldrig skemaer eller bedømmere.
#
# **Sådan bruges notebooken:** ret parametrene herunder og kør alle celler; rapporten dannes af `toolkit run need-assessment-centre --unit <center>`.

# %% tags=["parameters"]
unit = "FS-KC"  # enhed (center)
period = None  # måned som YYYY-MM; None betyder seneste måned, enhedens data dækker helt
data_dir = "../data_samples"  # datamappe med tabeller og forms/need-assessment/<enhed>/
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
settings = []  # toolkit-parametre for denne kørsel, samme form som --set, fx "unit_cost.method" sat til "step_down"
interactive = True  # vægt-skydere i JupyterLab; runneren sætter False

# %%
from toolkit.analyses.need_assessment import centre
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "need-assessment-centre",
    unit=unit,
    period=period,
    data_dir=data_dir,
    params_dir=params_dir,
    language=language,
    settings=settings,
)
cn = centre.compute(centre.load(ctx), ctx)
r = Report(ctx, centre.title(ctx.lang))

# %% [markdown]
# ## Overblik

# %%
r.header()
r.headline(centre.headline(cn, ctx))
r.cards(centre.cards(cn, ctx))
centre.record_kpis(r, cn, ctx)
r.show(centre.note(cn, ctx))

# %% [markdown]
# ## Største behov
# De højeste scorer på tværs af afdelingerne.

# %%
r.show(centre.nothing(cn, ctx))  # only when no department has data in the period
r.show(centre.top(cn, ctx))
r.show(centre.heat_map(cn, ctx))
r.show(centre.departments(cn, ctx))
r.show(centre.gaps(cn, ctx))

# %% [markdown]
# ## Vægte, regler og bilag

# %%
r.show(centre.weights(cn, ctx))
r.appendix(centre.definitions(), parameters=centre.appendix_parameters(ctx))
r.finish()
