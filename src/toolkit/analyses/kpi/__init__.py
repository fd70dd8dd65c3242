"""The management-information KPIs (sammenhængende ledelsesinformation)."""

from toolkit.analyses.kpi import params, report  # noqa: F401  (registers tables, parameters, texts)
