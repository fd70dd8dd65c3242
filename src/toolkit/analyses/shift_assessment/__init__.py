"""The shift-planning assessment (vurdering af vagtplanlægning).

The notebook ``notebooks/shift-assessment.ipynb`` uses only the entry points below: :func:`title`,
:func:`load`, :func:`compute`, :func:`headline`, :func:`cards`, :func:`record_kpis`, one view
per report section (:func:`self_assessment`, :func:`judgement`, :func:`rest`, :func:`staffing`,
:func:`trends`, :func:`groups`, :func:`steps`) and :func:`definitions`; the explorer for
JupyterLab is :func:`toolkit.analyses.shift_assessment.widgets.explorer`.
"""

from toolkit.analyses.shift_assessment import assessment, params, sample, sample_forms, schemas, texts  # noqa: F401  (registers tables, parameters, texts)
from toolkit.analyses.shift_assessment.overview import cards, headline, record_kpis
from toolkit.analyses.shift_assessment.results import ShiftInputs, ShiftResults, compute, load
from toolkit.analyses.shift_assessment.views import (
    definitions,
    groups,
    judgement,
    rest,
    self_assessment,
    staffing,
    steps,
    title,
    trends,
)

__all__ = [
    "ShiftInputs",
    "ShiftResults",
    "cards",
    "compute",
    "definitions",
    "groups",
    "headline",
    "judgement",
    "load",
    "record_kpis",
    "rest",
    "self_assessment",
    "staffing",
    "steps",
    "title",
    "trends",
]
