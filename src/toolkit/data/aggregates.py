"""Comparison aggregates: figures about other units that a report may show.

A report reads only its own unit's rows. Where it compares the unit with others (the
centre's departments side by side), it reads an *aggregate*: one row per unit, computed once
per run by the runner's staging from all units' data. An analysis registers its aggregates
here; the runner computes those that the notebooks of a run read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from toolkit.data.params import Params
from toolkit.data.sources import StagedSource

#: An aggregate: (staged source, period, unit ids, parameters of a unit) → one row per unit.
Aggregate = Callable[[StagedSource, str, list[str], Callable[[str], Params]], pd.DataFrame]
AGGREGATES: dict[str, Aggregate] = {}
#: The notebooks that read each aggregate (None: every run computes it).
AGGREGATE_NOTEBOOKS: dict[str, tuple[str, ...] | None] = {}


def register_aggregate(
    name: str, *, notebooks: Sequence[str] | None = None
) -> Callable[[Aggregate], Aggregate]:
    """Register an aggregate that :func:`stage` computes for comparison between units.

    ``notebooks`` names the report notebooks that read it; a run computes it only when one
    of them is in the run.
    """

    def deco(func: Aggregate) -> Aggregate:
        AGGREGATES[name] = func
        AGGREGATE_NOTEBOOKS[name] = tuple(notebooks) if notebooks is not None else None
        return func

    return deco
