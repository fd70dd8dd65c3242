"""Money in whole øre, and splits that add up exactly (the largest-remainder rule).

Every amount of the unit-cost chain is held in integer øre. Whenever an amount is split (by an
allocation key, over resources, activities or contacts), :func:`round_to_total` rounds the parts
so that they add up to the amount to the øre, which is what makes every method reconcile.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from toolkit.core.definitions import Definition, define

ORE_PER_KR = 100


ROUNDING = Definition(
    "uc_rounding",
    "Afrunding til øre",
    "Rounding to the øre",
    "Beløb regnes i hele øre. Når et beløb deles (efter en fordelingsnøgle, på ressourcer, på "
    "aktiviteter eller kontakter), afrundes hver del ned, og de øre, der mangler, gives til de "
    "dele med de største rester (største restmetode). Delene summerer derfor altid præcist til "
    "beløbet.",
    "Amounts are computed in whole øre. When an amount is split (by an allocation key, over "
    "resources, activities or contacts) each part is rounded down and the missing øre go to the "
    "parts with the largest remainders (largest-remainder method), so the parts always add up to "
    "the amount exactly.",
)


def to_ore(kr: npt.ArrayLike) -> np.ndarray:
    """Amounts in kr. (floats with at most two decimals) as integer øre."""
    return np.rint(np.asarray(kr, dtype="float64") * ORE_PER_KR).astype(np.int64)


def to_kr(ore: npt.ArrayLike) -> np.ndarray | float:
    """Integer øre as kr. (float)."""
    return np.asarray(ore, dtype="float64") / ORE_PER_KR


@define(ROUNDING)
def round_to_total(
    values: np.ndarray | Sequence[float],
    totals: np.ndarray | Sequence[int] | int,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """Round ``values`` (øre, floats) to integers whose sum per group is exactly ``totals``.

    Parameters
    ----------
    values
        The exact (fractional) amounts, any sign.
    totals
        The integer total of each group (or one integer when ``groups`` is None).
    groups
        Group number (0 … n_groups − 1) of each value; None: one group.

    Returns
    -------
    numpy.ndarray
        int64 amounts: each value rounded down, plus one øre for the values with the largest
        remainders, until each group sums to its total (any difference, also one larger than
        the group, is spread evenly first). Vectorised; ties go to the earlier value.
    """
    vals = np.asarray(values, dtype="float64")
    if groups is None:
        grp = np.zeros(len(vals), dtype=np.int64)
        tot = np.atleast_1d(np.asarray(totals, dtype=np.int64))
    else:
        grp = np.asarray(groups, dtype=np.int64)
        tot = np.asarray(totals, dtype=np.int64)
    if len(vals) == 0:
        return np.zeros(0, dtype=np.int64)
    n_groups = len(tot)
    base = np.floor(vals)
    frac = vals - base
    base_int = base.astype(np.int64)
    sums = np.zeros(n_groups, dtype=np.int64)
    np.add.at(sums, grp, base_int)
    counts = np.bincount(grp, minlength=n_groups)
    missing = tot - sums
    if np.any((counts == 0) & (missing != 0)):
        raise ValueError("round_to_total: a non-zero total has no values to go to")
    per = np.floor_divide(missing, np.maximum(counts, 1))
    rest = missing - per * counts
    # By group, then largest remainder first; one stable sort of a float key (ties keep their order).
    order = np.argsort(grp - frac / 2, kind="stable")
    starts = np.cumsum(counts) - counts
    rank = np.empty(len(vals), dtype=np.int64)
    rank[order] = np.arange(len(vals)) - starts[grp[order]]
    return base_int + per[grp] + (rank < rest[grp]).astype(np.int64)


def split_total(total: int, weights: np.ndarray | Sequence[float]) -> np.ndarray:
    """Split the integer ``total`` in proportion to non-negative ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype="float64")
    s = w.sum()
    if s <= 0:
        raise ValueError("split_total: the weights sum to zero")
    return round_to_total(total * w / s, total)
