"""The unit tree (hospital → centre → department), written once.

The ``units`` catalogue holds one row per unit with its level and parent. Every question about
the tree (a unit's ancestors, its siblings, the units below it) is answered here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from toolkit.core.errors import ParameterError

#: The levels from the top: a list of units shows hospitals, then centres, then departments.
LEVEL_ORDER = {"hospital": 0, "centre": 1, "department": 2}


@dataclass(frozen=True)
class Unit:
    """A unit with its place in the hierarchy."""

    unit_id: str
    name: str
    level: str
    parent_id: str | None
    parent_name: str | None
    hospital_name: str | None


def unit_info(units: pd.DataFrame, unit_id: str) -> Unit:
    """Look up ``unit_id`` in the units catalogue.

    Raises
    ------
    ParameterError
        If the unit is not in the catalogue (the message lists some that are).
    """
    by_id = units.set_index("unit_id")
    if unit_id not in by_id.index:
        known = ", ".join(sorted(by_id.index)[:12])
        raise ParameterError(f"unknown unit {unit_id!r}; units in the data include: {known}")
    row = by_id.loc[unit_id]
    parent = row["parent_id"] if isinstance(row["parent_id"], str) else None
    parent_name = by_id.loc[parent, "name"] if parent in by_id.index else None
    hospital = None
    node: str | None = unit_id
    while node is not None and node in by_id.index:
        if by_id.loc[node, "level"] == "hospital":
            hospital = by_id.loc[node, "name"]
        nxt = by_id.loc[node, "parent_id"]
        node = nxt if isinstance(nxt, str) else None
    return Unit(unit_id, str(row["name"]), str(row["level"]), parent, parent_name, hospital)


def units_at_level(units: pd.DataFrame, level: str) -> list[str]:
    """Unit ids at ``level`` (hospital, centre or department), sorted."""
    return sorted(units.loc[units["level"] == level, "unit_id"])


def siblings(units: pd.DataFrame, unit_id: str) -> list[str]:
    """The units with the same parent and level as ``unit_id`` (itself included), sorted."""
    info = unit_info(units, unit_id)
    same = units[(units["parent_id"] == info.parent_id) & (units["level"] == info.level)]
    return sorted(same["unit_id"])


def below(units: pd.DataFrame, unit_id: str) -> list[str]:
    """Every unit below ``unit_id`` in the hierarchy (any level), sorted."""
    children: dict[str, list[str]] = {}
    for uid, parent in zip(units["unit_id"], units["parent_id"], strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(uid)
    out, stack = [], list(children.get(unit_id, []))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children.get(node, []))
    return sorted(out)


def descendants(units: pd.DataFrame, unit_id: str, level: str = "department") -> list[str]:
    """The units at ``level`` below ``unit_id`` (or ``unit_id`` itself if it is at that level)."""
    children: dict[str, list[str]] = {}
    for uid, parent in zip(units["unit_id"], units["parent_id"], strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, []).append(uid)
    levels = dict(zip(units["unit_id"], units["level"], strict=True))
    out, stack = [], [unit_id]
    while stack:
        node = stack.pop()
        if levels.get(node) == level:
            out.append(node)
        stack.extend(children.get(node, []))
    return sorted(out)


def ancestors(units: pd.DataFrame, unit_id: str) -> list[str]:
    """The unit's ancestors, top first (hospital, centre)."""
    parent = dict(zip(units["unit_id"], units["parent_id"], strict=True))
    chain: list[str] = []
    node = parent.get(unit_id)
    while isinstance(node, str) and node not in chain:
        chain.append(node)
        node = parent.get(node)
    return list(reversed(chain))


def hospital_units(units: pd.DataFrame, unit_id: str) -> list[str]:
    """The unit's hospital (its top ancestor, or the unit itself) and every unit below it, sorted."""
    root = (ancestors(units, unit_id) or [unit_id])[0]
    return sorted({root, *below(units, root)})
