"""The management-information KPIs (sammenhængende ledelsesinformation).

The contract the notebook ``notebooks/kpi.ipynb`` uses, and nothing else:
:func:`title`, :func:`load`, :func:`compute`, :func:`headline`, :func:`cards`,
:func:`record_kpis`, one view per section (:func:`activity`, :func:`time`,
:func:`productivity`, :func:`budget`, :func:`hr`, :func:`goals`, :func:`comparison`, and the
joined views :func:`activity_sheet`, :func:`relationships`, :func:`catalogue`) and
:func:`definitions`; the JupyterLab explorer is :func:`toolkit.analyses.kpi.widgets.explorer`.
Importing the package registers the parameter section ``kpi``, the texts of the namespace
``kpi`` and the ``unit_key_ratios`` aggregate.
"""

from toolkit.analyses.kpi import params, results, texts  # noqa: F401  (registers parameters, texts, aggregate)
from toolkit.analyses.kpi.overview import cards, headline, record_kpis
from toolkit.analyses.kpi.params import KPIParams, settings
from toolkit.analyses.kpi.results import KPIResults, compute, load
from toolkit.analyses.kpi.texts import title
from toolkit.analyses.kpi.views import (
    activity,
    activity_sheet,
    budget,
    catalogue,
    comparison,
    definitions,
    goals,
    hr,
    productivity,
    relationships,
    time,
)

__all__ = [
    "KPIParams",
    "KPIResults",
    "activity",
    "activity_sheet",
    "budget",
    "cards",
    "catalogue",
    "comparison",
    "compute",
    "definitions",
    "goals",
    "headline",
    "hr",
    "load",
    "productivity",
    "record_kpis",
    "relationships",
    "settings",
    "time",
    "title",
]
