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
#     - hospital
#     title:
#       da: Enhedsomkostninger
#       en: Unit costs
# ---

# %% [markdown]
# # Enhedsomkostninger: fra finansposter til aktiviteter og DRG-grupper
#
# Sygehusets fordelingsregnskab med tidsdrevet aktivitetsbaseret kalkulation: finansposter på omkostningssteder, fællesfunktioner fordelt efter nøgler (trinvis, direkte eller gensidig), afdelingens omkostninger gjort til en pris pr. minut for hver ressource, enhedsomkostning pr. aktivitet, brugt og ubrugt kapacitet, omkostning pr. patientkontakt og pr. DRG-/DAGS-gruppe mod taksten. Alt afstemmes til regnskabet på øret.
#
# **Sådan bruges notebooken:** ret parametrene herunder og kør alle celler. `unit` kan være en afdeling eller hele sygehuset (`FS`). Omkostningsperioden er januar til `period` i samme år. Fordelingsmetode, rækkefølge og praktiske kapacitetsandele står i `params/` under `unit_cost`. Rapporten til ledere dannes af `toolkit run unit-cost --unit <enhed>`; kode og disse tekster vises ikke i rapporten. Beregningerne ligger i `toolkit.analyses.unit_cost`, definitionerne i bilaget.

# %% tags=["parameters"]
unit = "FS-ORT"  # afdeling, eller sygehuset FS for hele sygehuset
period = None  # sidste måned i omkostningsperioden som YYYY-MM; None betyder seneste måned i data
data_dir = "../data_samples"  # datamappe med CSV/XLSX/Parquet
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
settings = []  # toolkit-parametre for denne kørsel, samme form som --set, fx "unit_cost.method" sat til "step_down"
interactive = True  # widgets i JupyterLab; runneren sætter False

# %%
from toolkit.analyses import unit_cost
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "unit-cost",
    unit=unit,
    period=period,
    data_dir=data_dir,
    params_dir=params_dir,
    language=language,
    settings=settings,
)
res = unit_cost.compute(unit_cost.load(ctx), ctx)
r = Report(ctx, unit_cost.title(ctx.lang))

# %% [markdown]
# ## Overblik
# Overskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(unit_cost.headline(res, ctx))
r.cards(unit_cost.cards(res, ctx))
unit_cost.record_kpis(r, res, ctx)
r.note(unit_cost.period_note(res, ctx))

# %% [markdown]
# ## Afstemning
# Bogførte omkostninger ført igennem alle tre metoder; differencen skal være 0,00 kr. Aktivitet, der ikke er registreret på en kontakt, vises for sig.

# %%
r.show(unit_cost.reconciliation(res, ctx))

# %% [markdown]
# ## Flow
# Kontoarter → omkostningssteder → aktiviteter → patientgrupper (Sankey).

# %%
r.show(unit_cost.flow(res, ctx))

# %% [markdown]
# ## Enhedsomkostninger
# Pris pr. enhed af hver aktivitet, fordelt på ressourcer (normtid × minutpris).

# %%
r.show(unit_cost.unit_costs(res, ctx))

# %% [markdown]
# ## Kapacitet
# Brugt og ubrugt kapacitet pr. ressource, i kroner og timer.

# %%
r.show(unit_cost.capacity(res, ctx))

# %% [markdown]
# ## DRG og takst
# Gennemsnitlig omkostning pr. kontakt mod taksten, antal kontakter og små grupper.

# %%
r.show(unit_cost.drg(res, ctx))
r.show(unit_cost.distribution(res, ctx))  # nothing without patient contacts

# %% [markdown]
# ## Følsomhed
# Enhedsomkostninger med andre fordelingsmetoder og andre praktiske kapacitetsandele.

# %%
r.show(unit_cost.sensitivity(res, ctx))

# %% [markdown]
# ## Fordeling af fællesomkostninger
# Nøgler, mængder og andele; regnearket har hele fordelingsmatricen for hver metode, omkostningsstederne og regnskabet pr. kontoart.

# %%
r.show(unit_cost.shared_costs(res, ctx))

# %% [markdown]
# ## Udforsk (kun i JupyterLab)
# Skub til den praktiske kapacitetsandel og vælg fordelingsmetode; enhedsomkostningerne og den ubrugte kapacitet regnes igen.

# %%
if interactive:
    from toolkit.analyses.unit_cost.widgets import explorer

    explorer(ctx)

# %% [markdown]
# ## Bilag
# Definitioner (samme tekst som i funktionernes docstrings), parametre og datakilde.

# %%
r.appendix(unit_cost.definitions(), parameters=unit_cost.appendix_parameters(res, ctx))
r.finish()
