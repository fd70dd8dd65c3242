"""Checks across tables: the registry that :meth:`TableSource.validate_all` runs, and its report.

A check takes the source and returns problems, attributed to units where it can; it registers
with :func:`register_check` (its analysis's or layer's module does, on import).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from toolkit.data.validation import Problem

#: Checks that :meth:`TableSource.validate_all` runs after the per-table validation:
#: rules across tables, and inputs that are not tables (e.g. filled-in Excel forms).
#: Each takes the source and returns problems (attributed to units where possible).
CHECKS: list[Callable[[Any], list[Problem]]] = []

#: The tables whose raw rows a registered check reads (:meth:`TableSource.checked_raw`), by check.
CHECK_READS: dict[Callable[[Any], list[Problem]], tuple[str, ...]] = {}

Check = Callable[[Any], list[Problem]]


def register_check(func: Check | None = None, *, reads: Sequence[str] = ()) -> Any:
    """Register a check for :meth:`TableSource.validate_all` (decorator, bare or with ``reads``).

    ``reads`` names the tables whose raw rows the check reads (:meth:`TableSource.checked_raw`):
    :meth:`TableSource.validate_all` keeps those in memory for the checks and lets the others
    go once they are validated (a check that reads another table's raw rows still gets them,
    read again).
    """

    def deco(check: Check) -> Check:
        if check not in CHECKS:
            CHECKS.append(check)
        CHECK_READS[check] = tuple(reads)
        return check

    return deco(func) if func is not None else deco


@dataclass
class ValidationReport:
    """What :meth:`TableSource.validate_all` found."""

    problems: list[Problem] = field(default_factory=list)

    @property
    def global_problems(self) -> list[Problem]:
        """Problems that concern every unit (catalogues, unknown units, structure)."""
        return [p for p in self.problems if p.is_global]

    def unit_problems(self, unit_id: str) -> list[Problem]:
        """Problems in the rows of ``unit_id``."""
        return [p for p in self.problems if p.units is not None and unit_id in p.units]

    @property
    def failed_units(self) -> set[str]:
        """Units with at least one problem of their own."""
        return {u for p in self.problems if p.units is not None for u in p.units}

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems
