"""The need assessment (afdækning af styringsbehov): two reports of one analysis.

The department report (``notebooks/need-assessment.ipynb``) uses the contract entry points
of this package: :func:`title`, :func:`load`, :func:`compute`, :func:`headline`,
:func:`cards`, :func:`record_kpis`, the section views :func:`ranking`, :func:`profile`,
:func:`criteria`, :func:`tools`, :func:`plan`, :func:`data`, :func:`registration` and
:func:`weights`, :func:`definitions` and :func:`appendix_parameters`; in JupyterLab
``widgets.explorer(ctx, res)`` (the weight sliders).

The centre report (``notebooks/need-assessment-centre.ipynb``) is the sub-namespace
:mod:`need_assessment.centre <toolkit.analyses.need_assessment.centre>`, with the same kind
of entry points: ``centre.title``, ``centre.load``, ``centre.compute``, ``centre.headline``,
``centre.cards``, ``centre.record_kpis``, ``centre.note``, the section views ``centre.top``,
``centre.heat_map``, ``centre.departments``, ``centre.gaps`` and ``centre.weights``,
``centre.definitions`` and ``centre.appendix_parameters``.

Where things live: :mod:`.params` (parameters, :func:`settings`), :mod:`.steps` (the pure
steps, gathered from :mod:`.inputs`, :mod:`.indicators`, :mod:`.scoring`, :mod:`.planning`),
:mod:`.assessment` (one department: load, compute, rerank), :mod:`.summary` (headline, cards,
KPIs), :mod:`.tables`, :mod:`.charts`, :mod:`.views` (the department's sections),
:mod:`.rollup` (the agreed aggregate) and :mod:`.centre` (the centre report), :mod:`.texts`
(namespace ``need_assessment``), :mod:`.forms` (the workshop form), :mod:`.sample`.
"""

# Registering imports: tables, parameters, form checks, texts, sample data, the aggregate.
from toolkit.analyses.need_assessment import centre, forms, params, rollup, sample, schemas, texts  # noqa: F401
from toolkit.analyses.need_assessment.assessment import (
    NeedData,
    NeedResults,
    assess,
    assess_input,
    compute,
    load,
    rerank,
)
from toolkit.analyses.need_assessment.params import settings
from toolkit.analyses.need_assessment.summary import cards, headline, record_kpis
from toolkit.analyses.need_assessment.views import (
    appendix_parameters,
    criteria,
    data,
    definitions,
    plan,
    profile,
    ranking,
    registration,
    title,
    tools,
    weights,
)

__all__ = [
    "NeedData",
    "NeedResults",
    "appendix_parameters",
    "assess",
    "assess_input",
    "cards",
    "centre",
    "compute",
    "criteria",
    "data",
    "definitions",
    "headline",
    "load",
    "plan",
    "profile",
    "ranking",
    "record_kpis",
    "registration",
    "rerank",
    "settings",
    "title",
    "tools",
    "weights",
]
