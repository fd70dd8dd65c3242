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
# **Sådan bruges notebooken:** ret parametrene i cellen herunder og kør alle celler. Rapporten til ledere dannes af `toolkit run shift-assessment --unit <enhed>` (kode og disse tekster vises ikke i rapporten). Skemaet til selvvurderingen dannes med `toolkit template shift-assessment --unit <enhed> --out skema.xlsx`; de udfyldte skemaer lægges i datamappen under `forms/shift-assessment/<enhed>/`. Alle beregninger ligger i `toolkit.analyses.shift_assessment`; definitionerne står i bilaget nederst.

# %% tags=["parameters"]
unit = "FS-AKU"  # enhed (afdeling), fx "FS-ORT"
period = None  # måned som YYYY-MM; None betyder seneste måned, enhedens data dækker helt
data_dir = "../data_samples"  # datamappe med CSV/XLSX/Parquet og forms/
params_dir = "../params"  # parametre: defaults.yaml, units/<enhed>.yaml og udsagnsbanken
language = None  # da eller en; None betyder som i parametrene
settings = []  # toolkit-parametre for denne kørsel, samme form som --set, fx "unit_cost.method" sat til "step_down"
interactive = True  # widgets i JupyterLab; runneren sætter False

# %%
from toolkit.analyses import shift_assessment
from toolkit.report import notebook
from toolkit.report.blocks import Report

ctx = notebook.start(
    "shift-assessment",
    unit=unit,
    period=period,
    data_dir=data_dir,
    params_dir=params_dir,
    language=language,
    settings=settings,
)
res = shift_assessment.compute(shift_assessment.load(ctx), ctx)
r = Report(ctx, shift_assessment.title(ctx.lang))

# %% [markdown]
# ## Overblik
# Overskrift, hovedbudskaber (genereret ud fra tallene) og nøgletal.

# %%
r.header()
r.headline(shift_assessment.headline(res, ctx))
r.cards(shift_assessment.cards(res, ctx))
shift_assessment.record_kpis(r, res, ctx)

# %% [markdown]
# ## Selvvurdering
# Gennemsnit over bedømmerne (hver bedømmer vejer lige meget); stregerne viser laveste og højeste bedømmer. Bedømmernes navne vises aldrig.

# %%
r.show(shift_assessment.self_assessment(res, ctx))

# %% [markdown]
# ## Vurdering og data
# Hvert tema holdt op mod de nøgletal, der taler til det. Grænserne står i `params/defaults.yaml` under `shift_assessment`.

# %%
r.show(shift_assessment.judgement(res, ctx))

# %% [markdown]
# ## Hviletid
# 24-timers-reglen (Arbejdstilsynet), talt pr. arbejdsforløb; personer vises aldrig.

# %%
r.show(shift_assessment.rest(res, ctx))

# %% [markdown]
# ## Bemanding og patientstrøm
# Varmekort over ugens 7 × 24 timer: patienter, personale og personale pr. patient. Mismatch-indekset er andelen af vagttimerne, der ligger i andre timer end patienterne.

# %%
r.show(shift_assessment.staffing(res, ctx))

# %% [markdown]
# ## Udvikling
# Månedlige tendenser for overarbejde, vikarforbrug og ændringer med kort varsel.

# %%
r.show(shift_assessment.trends(res, ctx))

# %% [markdown]
# ## Personalegrupper
# Grupper under 5 personer skjules (og den næstmindste, hvis kun én skjules).

# %%
r.show(shift_assessment.groups(res, ctx))

# %% [markdown]
# ## Næste skridt
# Forslag fra udsagnsbanken og fra de nøgletal, der ligger over grænsen.

# %%
r.show(shift_assessment.steps(res, ctx))

# %% [markdown]
# ## Udforsk (kun i JupyterLab)
# Vælg enhed, måned og personalegruppe; varmekort og tendenser opdateres.

# %%
if interactive:
    from toolkit.analyses.shift_assessment.widgets import explorer

    explorer(ctx)

# %% [markdown]
# ## Bilag
# Definitioner (samme tekst som i funktionernes docstrings), parametre og datakilde.

# %%
r.appendix(shift_assessment.definitions())
r.finish()
