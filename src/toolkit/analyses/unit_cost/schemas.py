"""Unit-cost tables: the general ledger, cost centres, allocation keys, resources, patient contacts.

The chain these tables describe is the Danish *fordelingsregnskab* (cost allocation accounts) with
time-driven activity-based costing on top:

``ledger`` (cost type × cost centre) → ``cost_centres`` (final, intermediate, external) →
``allocation_drivers`` (intermediate centres pass their costs on) → ``resources`` and
``standard_minutes`` (a centre's cost becomes a cost per minute, then a cost per activity, with
the ``volume`` table as the activity count) → ``contacts`` and ``contact_activities`` (activities
and directly assigned costs per patient contact) → ``drg_groups`` (the national tariff).

Every table is optional: a data folder without them still serves the other reports. Rules that
span tables (a ledger line on another unit's cost centre, a driver without quantity, an
allocation cycle, a contact without a tariff, ...) are checked by :mod:`toolkit.analyses.unit_cost.checks`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from toolkit.data.schemas import ID_PATTERN, PERIOD_PATTERN, TableModel, register

COST_CENTRE_KINDS = ("final", "intermediate", "external")
RESOURCE_KINDS = ("staff", "room", "equipment")
GROUP_KINDS = ("DRG", "DAGS")
GROUP = "unit_cost"


def _id(description: str, references: str | None = None, **kw: Any) -> Any:
    meta = {"references": references} if references else None
    return pa.Field(str_matches=ID_PATTERN, description=description, metadata=meta, **kw)


def _period(description: str = "Month, YYYY-MM.") -> Any:
    return pa.Field(str_matches=PERIOD_PATTERN, description=description)


def _catalogue(table: str) -> dict[str, Any]:
    return {
        "table": table,
        "catalogue": True,
        "unit_column": None,
        "period_column": None,
        "group": GROUP,
    }


@register
class CostTypes(TableModel):
    """Cost types (kontoarter) of the general ledger, with the names the reports show.

    ``allow_negative`` marks the cost types whose ledger lines may be negative (refunds,
    internal income, corrections). On every other cost type a negative line is an error.
    """

    cost_type: Series[str] = _id("Cost type key.", unique=True)
    name: Series[str] = pa.Field(description="Name shown in reports (Løn, Medicin, ...).")
    allow_negative: Series[pd.BooleanDtype] = pa.Field(
        nullable=True, description="May a ledger line of this type be negative? (ja/nej; empty: nej)."
    )

    class Config:
        metadata = _catalogue("cost_types")


@register
class CostCentres(TableModel):
    """Cost centres (omkostningssteder), their kind and the unit each belongs to.

    ``final`` centres are where costs reach patient contacts (clinical departments);
    ``intermediate`` centres (administration, IT, cleaning, kitchen, laboratory, radiology, ...)
    pass their costs on to other centres by an allocation key; ``external`` centres hold costs
    outside the DRG scope (research, tasks for other authorities). The unit places the centre
    in the organisation's hierarchy (hospital → centre → department): hospital-wide service
    centres belong to the hospital unit.
    """

    cost_centre_id: Series[str] = _id("Cost centre key.", unique=True)
    name: Series[str] = pa.Field(description="Name shown in reports.")
    kind: Series[str] = pa.Field(isin=COST_CENTRE_KINDS, description="final, intermediate or external.")
    unit_id: Series[str] = _id(
        "The unit the cost centre belongs to (in the units table).", references="units"
    )

    class Config:
        metadata = _catalogue("cost_centres")


@register
class Ledger(TableModel):
    """General-ledger lines (finansposter) per month, cost centre and cost type, in kr.

    The costing starts from this total and reconciles back to it to the øre. A line may be
    negative only on a cost type that allows it (see ``cost_types``), and a cost centre's net
    cost in a year must not be negative. Implants and expensive medicine are booked here like
    any other cost; the contacts table says which patient they were used for.
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key (the unit the cost centre belongs to).", references="units")
    cost_centre_id: Series[str] = _id("Cost centre key.", references="cost_centres")
    cost_type: Series[str] = _id("Cost type key.", references="cost_types")
    amount: Series[float] = pa.Field(description="Amount in kr. (øre as decimals).")

    class Config:
        metadata = {"table": "ledger", "group": GROUP}


@register
class AllocationDrivers(TableModel):
    """Allocation keys (fordelingsnøgler) per year: how much each centre uses of an intermediate centre.

    One row per intermediate centre (``from_centre``), receiving centre (``to_centre``) and
    year; ``driver`` names the key (m², årsværk, måltider, laboratoriepoint, ...) and must be the
    same on every row of a centre and year. An intermediate centre's costs are shared in
    proportion to ``quantity``; its own use is left out (a centre cannot be its own receiver).
    ``unit_id`` is the unit of ``from_centre``.
    """

    year: Series[pd.Int64Dtype] = pa.Field(ge=2000, le=2100, description="Year the key applies to.")
    unit_id: Series[str] = _id("Unit of the distributing centre.", references="units")
    from_centre: Series[str] = _id(
        "The intermediate centre whose costs are shared.", references="cost_centres"
    )
    to_centre: Series[str] = _id("The receiving centre.", references="cost_centres")
    driver: Series[str] = pa.Field(description="Name of the allocation key (m², årsværk, ...).")
    quantity: Series[float] = pa.Field(ge=0, description="The receiving centre's quantity of the key.")

    @pa.dataframe_check(name="a cost centre cannot be its own receiver (from_centre = to_centre)")
    def _not_self(cls, df: pd.DataFrame) -> Series[bool]:
        return df["from_centre"] != df["to_centre"]

    class Config:
        unique = ["year", "from_centre", "to_centre"]
        metadata = {"table": "allocation_drivers", "period_column": None, "group": GROUP}


@register
class Resources(TableModel):
    """Resources for time-driven costing, per month: staff groups, rooms and equipment.

    ``cost`` is the resource's own cost in the month (salaries of the staff group, rent or
    depreciation of a room); the rest of its cost centre's cost (other costs and the overhead it
    receives) is loaded onto its resources in proportion to that cost. ``theoretical_minutes``
    is the paid working time (contracted minutes less holidays; opening minutes of a room or a
    scanner); ``practical_share`` is the share of it that can be used for patients (empty: the
    default of the resource's kind in the parameters).
    """

    period: Series[str] = _period()
    unit_id: Series[str] = _id("Unit key.", references="units")
    resource_id: Series[str] = _id("Resource key.")
    cost_centre_id: Series[str] = _id("The cost centre the resource belongs to.", references="cost_centres")
    name: Series[str] = pa.Field(description="Name shown in reports (Sygeplejersker, Operationsstuer, ...).")
    kind: Series[str] = pa.Field(isin=RESOURCE_KINDS, description="staff, room or equipment.")
    cost: Series[float] = pa.Field(ge=0, description="The resource's own cost in the month, kr.")
    theoretical_minutes: Series[float] = pa.Field(
        ge=0, description="Paid (theoretical) capacity in the month, minutes."
    )
    practical_share: Series[float] = pa.Field(
        nullable=True, description="Practical capacity as a share of theoretical (0–1; empty: parameter)."
    )

    @pa.dataframe_check(name="practical_share must be above 0 and at most 1")
    def _share(cls, df: pd.DataFrame) -> Series[bool]:
        share = df["practical_share"]
        return share.isna() | ((share > 0) & (share <= 1))

    class Config:
        unique = ["period", "unit_id", "resource_id"]
        metadata = {"table": "resources", "group": GROUP}


@register
class StandardMinutes(TableModel):
    """Standard minutes (normtider): the minutes of each resource that one unit of an activity takes.

    One unit is what the ``volume`` table counts (a visit, an operation, a bed-day). An activity
    may use several resources (a surgeon, a nurse, an operating room).
    """

    unit_id: Series[str] = _id("Unit key.", references="units")
    activity_id: Series[str] = _id("Activity key.", references="activities")
    resource_id: Series[str] = _id("Resource key (in the resources table of the same unit).")
    minutes: Series[float] = pa.Field(ge=0, description="Minutes of the resource per unit of the activity.")

    class Config:
        unique = ["unit_id", "activity_id", "resource_id"]
        metadata = {"table": "standard_minutes", "period_column": None, "group": GROUP}


@register
class DrgGroups(TableModel):
    """DRG and DAGS groups with the national tariff (takst) per year.

    The tariff is the national average cost of the group; the local cost per contact is
    compared with it (index = local mean / tariff).
    """

    drg_group: Series[str] = _id("DRG or DAGS group code.")
    year: Series[pd.Int64Dtype] = pa.Field(ge=2000, le=2100, description="Tariff year.")
    name: Series[str] = pa.Field(description="Group name shown in reports.")
    kind: Series[str] = pa.Field(isin=GROUP_KINDS, description="DRG (inpatient) or DAGS (outpatient).")
    tariff: Series[float] = pa.Field(description="Tariff per contact, kr.")

    @pa.dataframe_check(name="tariff must be above 0")
    def _tariff(cls, df: pd.DataFrame) -> Series[bool]:
        return df["tariff"] > 0

    class Config:
        unique = ["drg_group", "year"]
        metadata = {**_catalogue("drg_groups")}


@register
class Contacts(TableModel):
    """Patient contacts (kontakter): one row per contact, in the month it ended.

    ``length_of_stay`` counts bed-days (0 for an outpatient contact); they are costed as the
    bed-day activity (parameter ``unit_cost.bed_day_activity``). ``implant_cost`` and
    ``medicine_cost`` are assigned to the contact directly, never spread by a key.
    ``contact_id`` is a pseudonymous key; it never reaches a report.
    """

    period: Series[str] = _period("Month the contact ended, YYYY-MM.")
    unit_id: Series[str] = _id("Unit key.", references="units")
    contact_id: Series[str] = pa.Field(
        description="Pseudonymous contact key (never reported).", metadata={"person_key": True}
    )
    drg_group: Series[str] = _id("DRG or DAGS group of the contact.", references="drg_groups")
    length_of_stay: Series[pd.Int64Dtype] = pa.Field(ge=0, description="Bed-days (0: outpatient).")
    implant_cost: Series[float] = pa.Field(
        ge=0, nullable=True, description="Implants and special supplies used, kr."
    )
    medicine_cost: Series[float] = pa.Field(ge=0, nullable=True, description="Expensive medicine given, kr.")

    class Config:
        unique = ["contact_id"]
        metadata = {"table": "contacts", "group": GROUP}


@register
class ContactActivities(TableModel):
    """The activities of each patient contact: visits, operations, ... (bed-days come from ``contacts``).

    ``quantity`` counts the activity's volume unit, as the ``volume`` table does.
    ``contact_id`` is a pseudonymous key; it never reaches a report.
    """

    period: Series[str] = _period("Month the contact ended, YYYY-MM.")
    unit_id: Series[str] = _id("Unit key.", references="units")
    contact_id: Series[str] = pa.Field(
        description="Pseudonymous contact key (never reported).", metadata={"person_key": True}
    )
    activity_id: Series[str] = _id("Activity key.", references="activities")
    quantity: Series[float] = pa.Field(ge=0, description="Volume of the activity on the contact.")

    class Config:
        unique = ["contact_id", "activity_id"]
        metadata = {"table": "contact_activities", "group": GROUP}


__all__ = [
    "COST_CENTRE_KINDS",
    "GROUP_KINDS",
    "RESOURCE_KINDS",
    "AllocationDrivers",
    "ContactActivities",
    "Contacts",
    "CostCentres",
    "CostTypes",
    "DrgGroups",
    "Ledger",
    "Resources",
    "StandardMinutes",
]
