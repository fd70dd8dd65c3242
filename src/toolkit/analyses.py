"""The analysis modules, imported so that their tables, aggregates and texts are registered.

Each notebook in ``notebooks/`` is backed by one module here. Adding an analysis means adding
its module to :data:`MODULES`.
"""

from __future__ import annotations

import importlib

MODULES = ("toolkit.kpi_report", "toolkit.needs_report", "toolkit.shift_report", "toolkit.unit_cost_report")


def load_all() -> None:
    """Import every analysis module (idempotent)."""
    for name in MODULES:
        importlib.import_module(name)
