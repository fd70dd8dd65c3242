"""Which unknowns a system of sums fixes: the linear algebra under :func:`~toolkit.measures.suppression.derivable`.

A system is given as rows, one per sum that holds a hidden cell: each hidden cell's coefficient
in it (the total +1, a part -1). :func:`connected_parts` splits the rows into independent
systems (cells linked by a shared sum), :func:`determined_cells` solves one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

Cell = TypeVar("Cell", bound=tuple[str, ...])  # (unit or row, group or column)


def connected_parts(rows: Sequence[dict[Cell, float]]) -> list[list[dict[Cell, float]]]:
    """``rows`` grouped by the connected parts of the system (cells linked by a shared sum).

    Each part is solved alone: a unit tree of many hospitals is as many small systems as it
    has hospitals (where nothing above them is hidden), not one large one.
    """
    parent: dict[Cell, Cell] = {}

    def find(c: Cell) -> Cell:
        root = c
        while parent[root] != root:
            root = parent[root]
        while parent[c] != root:
            parent[c], c = root, parent[c]
        return root

    for row in rows:
        cells = list(row)
        for c in cells:
            parent.setdefault(c, c)
        first = find(cells[0])
        for c in cells[1:]:
            other = find(c)
            if other != first:
                parent[other] = first
    parts: dict[Cell, list[dict[Cell, float]]] = {}
    for row in rows:
        parts.setdefault(find(next(iter(row))), []).append(row)
    return list(parts.values())


def determined_cells(rows: Sequence[dict[Cell, float]]) -> set[Cell]:
    """The cells of one connected system ``rows`` (coefficients of its hidden cells) it fixes."""
    cols = sorted({c for row in rows for c in row})
    index = {c: i for i, c in enumerate(cols)}
    a = np.zeros((len(rows), len(cols)))
    for r, row in enumerate(rows):
        for c, v in row.items():
            a[r, index[c]] = v
    _, s, vt = np.linalg.svd(a)
    rank = int((s > 1e-9 * max(1.0, float(s.max(initial=0.0)))).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return set(cols)
    free = np.abs(null).max(axis=0) > 1e-9
    return {c for c, i in index.items() if not free[i]}
