"""What a unit-cost report reads: the hospital's costing tables and the scope's contacts.

The allocation needs the whole hospital's ledger, keys and service-centre resources; contacts
are read for the report's scope only (a department, or every unit of the hospital).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.core.periods import parse_period
from toolkit.data.hierarchy import ancestors, below
from toolkit.data.schemas import get_table
from toolkit.data.sources import DataSource
from toolkit.measures.costing.allocation import INTERMEDIATE

REQUIRED_TABLES = (
    "cost_types",
    "cost_centres",
    "ledger",
    "allocation_drivers",
    "resources",
    "standard_minutes",
)
PATIENT_TABLES = ("contacts", "contact_activities", "drg_groups")


@dataclass(frozen=True)
class Settings:
    """The choices a costing depends on (from the ``unit_cost`` parameters)."""

    method: str = "step_down"
    step_order: tuple[str, ...] = ()
    practical_share: Mapping[str, float] = field(
        default_factory=lambda: {"staff": 0.80, "room": 0.85, "equipment": 0.85}
    )
    bed_day_activity: str = "SENG"


@dataclass(frozen=True)
class CostingInput:
    """Everything one unit-cost report reads: the hospital's costing tables and the scope's contacts."""

    hospital_id: str
    unit_id: str
    period: str
    months: tuple[str, ...]
    units: pd.DataFrame
    scope_units: tuple[str, ...]
    activities: pd.DataFrame
    cost_types: pd.DataFrame
    centres: pd.DataFrame
    ledger: pd.DataFrame
    drivers: pd.DataFrame
    resources: pd.DataFrame
    standard_minutes: pd.DataFrame
    volume: pd.DataFrame
    drg_groups: pd.DataFrame
    contacts: pd.DataFrame
    contact_activities: pd.DataFrame
    patient_data: bool = True  # False: the data folder has no contacts, activities or tariffs

    @property
    def year(self) -> int:
        """The costing year."""
        return int(self.period[:4])

    @property
    def scope_centres(self) -> list[str]:
        """The cost centres of the report's scope (a department's own, or all of the hospital)."""
        return list(self.centres.loc[self.centres["unit_id"].isin(self.scope_units), "cost_centre_id"])


def hospital_of(units: pd.DataFrame, unit_id: str) -> str:
    """The hospital above ``unit_id`` (itself if it is a hospital)."""
    chain = [*ancestors(units, unit_id), unit_id]  # top first
    level = dict(zip(units["unit_id"], units["level"], strict=True))
    hospitals = [u for u in chain if level.get(u) == "hospital"]
    if not hospitals:
        raise ParameterError(f"unit {unit_id!r} has no hospital above it in the units table")
    return hospitals[0]


def units_below(units: pd.DataFrame, unit_id: str) -> list[str]:
    """``unit_id`` and every unit below it, at any level."""
    return sorted({unit_id, *below(units, unit_id)})


def load(source: DataSource, unit_id: str, period: str) -> CostingInput:
    """Read one report's inputs from a :class:`~toolkit.data.DataSource`.

    The costing period runs from January to ``period``. The allocation needs the whole
    hospital's ledger, keys and service-centre resources; contacts are read for the report's
    scope only (the department, or every unit of the hospital).

    Raises
    ------
    DataStructureError
        If a costing table is missing.
    DataValidationError
        If the data of a unit the hospital's allocation depends on failed validation.
    """
    source.require(*REQUIRED_TABLES)
    p = parse_period(period)
    start, end = f"{p.year}-01", str(p)
    months = tuple(str(m) for m in pd.period_range(start, end, freq="M"))
    units = source.units()
    hospital = hospital_of(units, unit_id)
    in_hospital = units_below(units, hospital)
    level = dict(zip(units["unit_id"], units["level"], strict=True))
    scope = tuple(in_hospital) if level[unit_id] == "hospital" else tuple(units_below(units, unit_id))
    centres = source.read("cost_centres")
    centres = centres[centres["unit_id"].isin(in_hospital)].reset_index(drop=True)
    _check_dependencies(source, units, centres, scope, in_hospital)
    drivers = source.read("allocation_drivers", units=in_hospital)
    drivers = drivers[drivers["year"] == p.year].reset_index(drop=True)
    patient = all(source.has(t) for t in PATIENT_TABLES)
    if patient:
        contacts = source.read("contacts", units=list(scope), start=start, end=end)
        contact_activities = source.read("contact_activities", units=list(scope), start=start, end=end)
        groups = source.read("drg_groups")
        groups = groups[groups["year"] == p.year].reset_index(drop=True)
    else:
        contacts = _empty("contacts")
        contact_activities = _empty("contact_activities")
        groups = _empty("drg_groups")
    return CostingInput(
        hospital_id=hospital,
        unit_id=unit_id,
        period=str(p),
        months=months,
        units=units[units["unit_id"].isin(in_hospital)].reset_index(drop=True),
        scope_units=scope,
        activities=source.activities(),
        cost_types=source.read("cost_types"),
        centres=centres,
        ledger=source.read("ledger", units=in_hospital, start=start, end=end),
        drivers=drivers,
        resources=source.read("resources", units=in_hospital, start=start, end=end),
        standard_minutes=source.read("standard_minutes", units=in_hospital),
        volume=source.read("volume", units=in_hospital, start=start, end=end),
        drg_groups=groups,
        contacts=contacts,
        contact_activities=contact_activities,
        patient_data=patient,
    )


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in get_table(table).to_schema().columns})


def _check_dependencies(
    source: DataSource,
    units: pd.DataFrame,
    centres: pd.DataFrame,
    scope: Sequence[str],
    hospital: Sequence[str],
) -> None:
    """Refuse to cost with a hospital whose service units' data were left out for errors."""
    failed = source.failed_units()
    if not failed:
        return
    needed = set(centres.loc[centres["kind"] == INTERMEDIATE, "unit_id"])
    needed |= set(hospital) if set(scope) == set(hospital) else set()
    hit = sorted(u for u in needed if u in failed)
    if hit:
        raise DataValidationError(
            [
                f"the hospital-wide cost allocation needs the data of {', '.join(hit)}, which failed validation "
                f"(see {'its' if len(hit) == 1 else 'their'} own report): " + "; ".join(failed[hit[0]][:2])
            ]
        )
