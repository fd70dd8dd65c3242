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
#     - centre
#     - hospital
#     title:
#       da: Ledelsesinformation
#       en: Management information
# ---

# %% [markdown]
# # Ledelsesinformation for en afdeling, et center eller sygehuset
#
# Aktivitet, tid, økonomi, HR og mål for én enhed og én måned (et center og sygehuset regnes af afdelingerne under dem), koblet på aktiviteten (Økonomistyrelsens *sammenhængende ledelsesinformation*).
#
# **Sådan bruges notebooken:** ret parametrene i cellen herunder og kør alle celler. Rapporten til ledere dannes af `toolkit run kpi --unit <enhed>` (kode og disse tekster vises ikke i rapporten). Alle beregninger ligger i `toolkit.analyses.kpi` og `toolkit.measures`; definitionerne står i bilaget nederst.

# %% tags=["parameters"]
unit = "FS-KAR"  # enhed (afdeling, center eller sygehus), fx "FS-LUN", "FS-MC" eller "FS"
period = None  # måned som YYYY-MM; None betyder seneste måned, enhedens data dækker helt
data_dir = "../data_samples"  # datamappe med CSV/XLSX/Parquet
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
settings = []  # toolkit-parametre for denne kørsel, samme form som --set, fx "unit_cost.method" sat til "step_down"
interactive = True  # widgets i JupyterLab; runneren sætter False

# %%
from toolkit.analyses import kpi
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "kpi",
    unit=unit,
    period=period,
    data_dir=data_dir,
    params_dir=params_dir,
    language=language,
    settings=settings,
)
res = kpi.compute(kpi.load(ctx), ctx)
r = Report(ctx, kpi.title(ctx.lang))

# %% [markdown]
# ## Overblik
# Overskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(kpi.headline(res, ctx))
r.cards(kpi.cards(res, ctx))
kpi.record_kpis(r, res, ctx)

# %% [markdown]
# ## Aktivitetsark
# Afsnittenes tal samlet pr. kerneaktivitet; aktivitet og periode kan vælges i rapporten.

# %%
r.show(kpi.activity_sheet(res, ctx))

# %% [markdown]
# ## Aktivitet
# Faktisk aktivitet mod plan og samme periode sidste år.

# %%
r.show(kpi.activity(res, ctx))

# %% [markdown]
# ## Tid
# Tidstrappen: fra normtimer til tid på kerneopgaverne.

# %%
r.show(kpi.time(res, ctx))

# %% [markdown]
# ## Produktivitet og enhedsomkostninger
# Løn fordeles efter aktiviteternes andel af de registrerede timer (metode b).

# %%
r.show(kpi.productivity(res, ctx))

# %% [markdown]
# ## Økonomi
# Forbrug år til dato mod periodiseret budget, prognose for året.

# %%
r.show(kpi.budget(res, ctx))

# %% [markdown]
# ## Sygefravær og overarbejde
# Grupper under 5 personer skjules.

# %%
r.show(kpi.hr(res, ctx))

# %% [markdown]
# ## Mål
# Statusgrænserne er parametre (`kpi.goal_thresholds`).

# %%
r.show(kpi.goals(res, ctx))

# %% [markdown]
# ## Sammenhænge over tid
# Overarbejde og sygefravær mod målopfyldelse og produktivitet; samvariation, ikke årsag.

# %%
r.show(kpi.relationships(res, ctx))

# %% [markdown]
# ## Nøgletal fra KPI-katalogerne
# Økonomistyrelsens økonomi- og HR-kataloger (se `docs/kpi-catalogue.md`).

# %%
r.show(kpi.catalogue(res, ctx))

# %% [markdown]
# ## Sammenligning
# Kun aftalte, aggregerede nøgletal for centrets afdelinger.

# %%
r.show(kpi.comparison(res, ctx))

# %% [markdown]
# ## Udforsk (kun i JupyterLab)
# Vælg enhed, måned og aktivitet; graferne opdateres.

# %%
if interactive:
    from toolkit.analyses.kpi.widgets import explorer

    explorer(ctx)

# %% [markdown]
# ## Bilag
# Definitioner (samme tekst som i funktionernes docstrings), parametre og datakilde.

# %%
r.appendix(kpi.definitions())
r.finish()
