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
    "need-assessment-centre",
    unit=unit,
    period=period,
    data_dir=data_dir,
    params_dir=params_dir,
    language=language,
)
lang = ctx.lang
cn = view.centre_needs(ctx)
r = Report(ctx, t("na.centre_title", lang))

# %% [markdown]
# ## Overblik

# %%
r.header()
r.headline(view.centre_headline(cn, ctx))
r.cards(view.centre_cards(cn, ctx))
view.centre_record_kpis(r, cn, ctx)
note = view.centre_note(cn, ctx)
if note:
    r.note(note)

# %% [markdown]
# ## Største behov
# De højeste scorer på tværs af afdelingerne.

# %%
if len(cn.rows):
    r.section(t("na.sec.centre_top", lang), t("na.sec.centre_top.lead", lang, n=min(10, len(cn.rows))))
    r.figure(view.centre_top_chart(cn, ctx))
    r.table(view.centre_top_table(cn, ctx))
    r.section(t("na.sec.centre_map", lang))
    r.figure(view.centre_heatmap_chart(cn, ctx))
    r.section(t("na.sec.centre_dept", lang, n=ctx.params.need_assessment.top_n))
    r.table(view.centre_department_table(cn, ctx))
    r.section(t("na.sec.centre_gaps", lang), t("na.sec.centre_gaps.lead", lang))
    gaps = view.centre_gaps_table(cn, ctx)
    if len(gaps.frame):
        r.table(gaps)
    else:
        r.text(t("na.centre_no_gaps", lang))
else:
    r.text(t("na.centre_none", lang))

# %% [markdown]
# ## Vægte, regler og bilag

# %%
r.section(t("na.sec.weights", lang), t("na.sec.weights.lead", lang))
r.table(view.weights_table(ctx.params.need_assessment, lang))
r.table(view.rules_table(ctx.params.need_assessment, lang))
r.appendix(view.centre_definitions(), parameters=view.appendix_parameters(ctx.params))
r.finish()
