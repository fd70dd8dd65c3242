"""The hospital unit-cost analysis (enhedsomkostninger): from the general ledger to the cost of an
activity and a DRG group.

The chain follows the Danish Health Data Authority's cost allocation accounts
(*fordelingsregnskab*) with time-driven activity-based costing (Kaplan & Anderson 2004) on top,
and NHS England's discipline of reconciling every step back to the ledger:

1. **Ledger → cost centres** and **intermediate → final centres** (:mod:`.allocation`): the
   direct, step-down or reciprocal method shares each intermediate centre's pool by its key.
2. **Final centres → activities** (:mod:`.tdabc`): capacity cost rates (kr. per minute of
   practical capacity), unit cost per activity, used and unused capacity.
3. **Activities → contacts → DRG groups** (:mod:`.contacts`).
4. **One costing, its reconciliation and the sensitivity** (:mod:`.scenarios`), on the inputs
   of :mod:`.inputs`.

Money is held in integer øre and every split is rounded by the largest-remainder rule
(:mod:`.money`), so that allocated + unused + external = ledger **exactly**, in every method.
Pure functions: data frames in, data frames out; inputs are never changed.

The report's contract (the notebook ``notebooks/unit-cost.py`` uses only these): :func:`title`,
:func:`load`, :func:`compute`, :func:`headline`, :func:`cards`, :func:`record_kpis`, one view per
section (:func:`reconciliation`, :func:`flow`, :func:`unit_costs`, :func:`capacity`,
:func:`drg`, :func:`distribution`, :func:`sensitivity`, :func:`shared_costs`),
:func:`definitions` and, in :mod:`.widgets`, ``explorer(ctx)``.
"""

from toolkit.analyses.unit_cost import checks, params, sample, schemas, texts  # noqa: F401  (registers tables, parameters, checks, texts)
from toolkit.analyses.unit_cost.overview import cards, headline, record_kpis
from toolkit.analyses.unit_cost.results import compute, load
from toolkit.analyses.unit_cost.texts import title
from toolkit.analyses.unit_cost.views import (
    appendix_parameters,
    capacity,
    definitions,
    distribution,
    drg,
    flow,
    period_note,
    reconciliation,
    sensitivity,
    shared_costs,
    unit_costs,
)

__all__ = [
    "appendix_parameters",
    "capacity",
    "cards",
    "compute",
    "definitions",
    "distribution",
    "drg",
    "flow",
    "headline",
    "load",
    "period_note",
    "reconciliation",
    "record_kpis",
    "sensitivity",
    "shared_costs",
    "title",
    "unit_costs",
]
