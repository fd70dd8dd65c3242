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
#       da: Ledelsesinformation
#       en: Management information
# ---

# %% [markdown]
# # Ledelsesinformation for en afdeling
#
# Aktivitet, tid, økonomi, HR og mål for én afdeling og én måned, koblet på aktiviteten (Økonomistyrelsens *sammenhængende ledelsesinformation*).
#
# **Sådan bruges notebooken:** ret parametrene i cellen herunder og kør alle celler. Rapporten til ledere dannes af `toolkit run kpi --unit <enhed>` (kode og disse tekster vises ikke i rapporten). Alle beregninger ligger i `toolkit.kpi`; definitionerne står i bilaget nederst.

# %% tags=["parameters"]
unit = "FS-KAR"  # enhed (afdeling), fx "FS-LUN"
period = None  # måned som YYYY-MM; None betyder seneste måned i data
data_dir = "../data_samples"  # datamappe med CSV/XLSX/Parquet
params_dir = "../params"  # parametre: defaults.yaml og units/<enhed>.yaml
language = None  # da eller en; None betyder som i parametrene
interactive = True  # widgets i JupyterLab; runneren sætter False

# %%
from toolkit.analyses.kpi import report as view
from toolkit.core.formatting import fmt_kr, fmt_pct
from toolkit.core.i18n import t
from toolkit.measures.inputs import load
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "kpi", unit=unit, period=period, data_dir=data_dir, params_dir=params_dir, language=language
)
lang = ctx.lang
data = load(ctx.source, ctx.unit.unit_id, ctx.period, ctx.params.history_months)
res = view.compute(data, ctx)
r = Report(ctx, t("kpi.title", lang))

# %% [markdown]
# ## Overblik
# Overskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(view.headline(res, ctx))
r.cards(view.cards(res, ctx))
view.record_kpis(r, res, ctx)

# %% [markdown]
# ## Aktivitet
# Faktisk aktivitet mod plan og samme periode sidste år.

# %%
r.section(t("kpi.sec.activity", lang), t("kpi.sec.activity.lead", lang))
r.figure(view.volume_chart(res, lang))
r.table(view.volume_table(res, lang))

# %% [markdown]
# ## Tid
# Tidstrappen: fra normtimer til tid på kerneopgaverne.

# %%
r.section(t("kpi.sec.time", lang), t("kpi.sec.time.lead", lang))
r.figure(view.staircase_chart(res, lang))
r.table(view.staircase_table(res, lang))
r.figure(view.hours_chart(res, lang))
r.note(t("kpi.coverage_note", lang, pct=fmt_pct(res.coverage, 1, lang)))

# %% [markdown]
# ## Produktivitet og enhedsomkostninger
# Løn fordeles efter aktiviteternes andel af de registrerede timer (metode b).

# %%
r.section(t("kpi.sec.productivity", lang), t("kpi.sec.productivity.lead", lang))
r.figure(view.productivity_chart(res, lang))
r.table(view.productivity_table(res, lang))
r.figure(view.cost_chart(res, ctx))
r.table(view.cost_table(res, lang))
unallocated = res.cost.unallocated.query("period == @ctx.period")["amount"].sum()
r.note(t("kpi.unallocated_note", lang, amount=fmt_kr(unallocated, lang)))

# %% [markdown]
# ## Økonomi
# Forbrug år til dato mod periodiseret budget, prognose for året.

# %%
method = t(f"method.{ctx.params.kpi.forecast_method}", lang)
r.section(t("kpi.sec.budget", lang), t("kpi.sec.budget.lead", lang, method=method))
r.figure(view.budget_chart(res, lang))
r.table(view.budget_table(res, lang))
explanation = view.explanation_note(res, ctx)
if explanation:
    r.note(explanation)
    r.table(view.explanations_table(res, lang))

# %% [markdown]
# ## Sygefravær og overarbejde
# Grupper under 5 personer skjules.

# %%
r.section(t("kpi.sec.hr", lang), t("kpi.sec.hr.lead", lang))
r.figure(view.sick_chart(res, ctx))
r.table(view.hr_table(res, ctx))

# %% [markdown]
# ## Mål
# Statusgrænserne er parametre (`kpi.goal_thresholds`).

# %%
thresholds = ctx.params.kpi.goal_thresholds
r.section(
    t("kpi.sec.goals", lang),
    t("kpi.sec.goals.lead", lang, green=round(thresholds.green * 100), amber=round(thresholds.amber * 100)),
)
if len(res.goals):
    r.table(view.goals_table(res, lang))
else:
    r.text(t("kpi.no_goals", lang))

# %% [markdown]
# ## Sammenligning
# Kun aftalte, aggregerede nøgletal for centrets afdelinger.

# %%
ratios = view.sibling_ratios(ctx)
r.section(t("kpi.sec.compare", lang), t("kpi.sec.compare.lead", lang, centre=ctx.unit.parent_name or ""))
r.figure(view.comparison_chart(ratios, ctx, "budget_deviation_ytd_pct", "col.budget_dev_ytd"))
r.figure(view.comparison_chart(ratios, ctx, "sick_pct_12m", "col.sick_pct_12m"))
r.table(view.comparison_table(ratios, ctx))

# %% [markdown]
# ## Udforsk (kun i JupyterLab)
# Vælg enhed, måned og aktivitet; graferne opdateres.

# %%
if interactive:
    from toolkit.analyses.kpi.widgets import kpi_explorer

    kpi_explorer(ctx)

# %% [markdown]
# ## Bilag
# Definitioner (samme tekst som i funktionernes docstrings), parametre og datakilde.

# %%
r.appendix(view.definitions())
r.finish()
