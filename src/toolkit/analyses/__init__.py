"""The analyses: one folder each, and this, the one list of them.

Each analysis is a package ``toolkit.analyses.<name>`` holding its schemas, parameters,
computation, report views, texts, widgets, forms and sample data. Importing this package
imports every analysis, so that its tables, parameter section, checks, aggregates, texts and
sample generators are registered. Adding an analysis means adding its folder and one line
to :data:`ANALYSES`. Analyses never import each other (import-linter checks it).
"""

from __future__ import annotations

import importlib

#: Every analysis, in the order of ``params/defaults.yaml``.
ANALYSES = ("kpi", "need_assessment", "unit_cost", "shift_assessment")

for _name in ANALYSES:
    importlib.import_module(f"{__name__}.{_name}")


def load_all() -> None:
    """Every analysis is registered once this package is imported; kept for callers (idempotent)."""
