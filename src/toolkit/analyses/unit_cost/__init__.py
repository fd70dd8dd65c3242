"""The hospital unit-cost analysis (enhedsomkostninger)."""

from toolkit.analyses.unit_cost import checks, params, report, sample, schemas  # noqa: F401  (registers tables, parameters, texts)
