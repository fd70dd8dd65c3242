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
# **Sådan bruges notebooken:** ret parametrene herunder og kør alle celler. `unit` kan være en afdeling eller hele sygehuset (`FS`). Omkostningsperioden er januar til `period` i samme år. Fordelingsmetode, rækkefølge og praktiske kapacitetsandele står i `params/` under `unit_cost`. Rapporten til ledere dannes af `toolkit run unit-cost --unit <enhed>`; kode og disse tekster vises ikke i rapporten. Beregningerne ligger i `toolkit.costing`, definitionerne i bilaget.

# %% tags=["parameters"]
unit = "FS-ORT"  # afdeling, eller sygehuset FS for hele sygehuset
period = None  # sidste måned i omkostningsperioden som YYYY-MM; None betyder seneste måned i data
data_dir = "../data_samples"  # datamappe med CSV/XLSX/Parquet
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
interactive = True  # widgets i JupyterLab; runneren sætter False

# %%
from toolkit.analyses.unit_cost import costing
from toolkit.analyses.unit_cost import report as view
from toolkit.core.i18n import t
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "unit-cost", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language
)
lang = ctx.lang
data = costing.load(ctx.source, ctx.unit.unit_id, ctx.period)
res = view.compute(data, ctx)
r = Report(ctx, t("uc.title", lang))

# %% [markdown]
# ## Overblik
# Overskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(view.headline(res, ctx))
r.cards(view.cards(res, ctx))
view.record_kpis(r, res, ctx)
r.note(t("uc.period", lang, period=view.period_label(data.months, lang)))

# %% [markdown]
# ## Afstemning
# Bogførte omkostninger ført igennem alle tre metoder; differencen skal være 0,00 kr. Aktivitet, der ikke er registreret på en kontakt, vises for sig.

# %%
r.section(
    t("uc.sec.reconciliation", lang),
    t("uc.sec.reconciliation.lead", lang, method=view.method_label(res.base.method, lang)),
)
r.table(view.reconciliation_table(res, lang))
r.note(" ".join(view.reconciliation_notes(res, lang)))

# %% [markdown]
# ## Flow
# Kontoarter → omkostningssteder → aktiviteter → patientgrupper (Sankey).

# %%
r.section(t("uc.sec.flow", lang), t("uc.sec.flow.lead", lang))
r.figure(view.flow_chart(res, ctx))

# %% [markdown]
# ## Enhedsomkostninger
# Pris pr. enhed af hver aktivitet, fordelt på ressourcer (normtid × minutpris).

# %%
r.section(t("uc.sec.unit_costs", lang), t("uc.sec.unit_costs.lead", lang))
r.figure(view.unit_cost_chart(res, lang))
r.table(view.unit_cost_table(res, lang))

# %% [markdown]
# ## Kapacitet
# Brugt og ubrugt kapacitet pr. ressource, i kroner og timer.

# %%
r.section(t("uc.sec.capacity", lang), t("uc.sec.capacity.lead", lang))
r.figure(view.capacity_chart(res, lang))
r.table(view.capacity_table(res, lang))

# %% [markdown]
# ## DRG og takst
# Gennemsnitlig omkostning pr. kontakt mod taksten, antal kontakter og små grupper.

# %%
min_n = ctx.params.privacy.min_group_size
if res.has_contacts:
    r.section(t("uc.sec.drg", lang), t("uc.sec.drg.lead", lang, n=ctx.params.unit_cost.small_group_contacts))
    r.figure(view.drg_chart(res, ctx))
    r.table(view.drg_table(res, ctx))
    r.section(t("uc.sec.distribution", lang), t("uc.sec.distribution.lead", lang, n=min_n))
    r.figure(view.distribution_chart(res, ctx))
    r.add_table(view.drg_distribution_table(res, lang))
    r.add_table(view.match_table(res, lang))
else:
    r.section(t("uc.sec.drg", lang))
    r.text(view.no_contacts_text(res, lang))

# %% [markdown]
# ## Følsomhed
# Enhedsomkostninger med andre fordelingsmetoder og andre praktiske kapacitetsandele.

# %%
r.section(t("uc.sec.sensitivity", lang), t("uc.sec.sensitivity.lead", lang))
r.figure(view.sensitivity_chart(res, lang))
r.add_table(view.sensitivity_table(res, lang))

# %% [markdown]
# ## Fordeling af fællesomkostninger
# Nøgler, mængder og andele; regnearket har hele fordelingsmatricen for hver metode, omkostningsstederne og regnskabet pr. kontoart.

# %%
r.section(t("uc.sec.allocation", lang), t("uc.sec.allocation.lead", lang))
r.table(view.overhead_table(res, lang))
view.add_audit_tables(r, res, lang)

# %% [markdown]
# ## Udforsk (kun i JupyterLab)
# Skub til den praktiske kapacitetsandel og vælg fordelingsmetode; enhedsomkostningerne og den ubrugte kapacitet regnes igen.

# %%
if interactive:
    from toolkit.analyses.unit_cost.widgets import unit_cost_explorer

    unit_cost_explorer(data, ctx)

# %% [markdown]
# ## Bilag
# Definitioner (samme tekst som i funktionernes docstrings), parametre og datakilde.

# %%
r.appendix(view.definitions(), parameters=view.appendix_parameters(res, ctx))
r.finish()
