"""The need assessment (afdækning af styringsbehov)."""

from toolkit.analyses.need_assessment import forms, params, report, sample, schemas  # noqa: F401  (registers tables, parameters, texts)
