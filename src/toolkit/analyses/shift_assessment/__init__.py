"""The shift-planning assessment (vurdering af vagtplanlægning)."""

from toolkit.analyses.shift_assessment import assessment, params, report, sample, schemas  # noqa: F401  (registers tables, parameters, texts)
