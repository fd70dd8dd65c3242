"""Mapping tables: the source systems' codes translated into the data model's keys.

Payroll exports wage types and absence codes (lønarter, fraværskoder), the ledger exports
account × cost centre, the rostering system exports shift codes, the patient administration
exports procedure or contact codes (SKS, DRG). A mapping table says once what each code means;
the data layer applies it when it reads a table (:mod:`toolkit.data.mappings`), so a raw export
plus a mapping file is a valid input. Every mapping table is optional; a code in an export that
the mapping does not name is an error that names the file, the code and its row count.
"""

from __future__ import annotations

from typing import Any

import pandera.pandas as pa
from pandera.typing import Series

from toolkit.data.schemas import TableModel, register
from toolkit.data.schemas.core import ACCOUNT_GROUPS, TIME_CATEGORIES, _id

#: A clock time of a shift code: HH:MM, 00:00 … 24:00 (24:00 is the end of the day).
CLOCK_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"


def _code(description: str) -> Any:
    return pa.Field(unique=True, description=description)


def _mapping_meta(table: str) -> dict[str, Any]:
    return {
        "table": table,
        "catalogue": True,
        "required": False,
        "unit_column": None,
        "period_column": None,
        "group": "mappings",
    }


@register
class WageCodes(TableModel):
    """Wage types and absence codes (lønarter, fraværskoder) → time category.

    Applied to ``hours``: an export with a ``wage_code`` column instead of ``time_category``
    gets the time category of its code; rows that then share a key (two wage types that are
    both ``overtime``) are added up.
    """

    wage_code: Series[str] = _code("The code as the payroll system exports it.")
    time_category: Series[str] = pa.Field(isin=TIME_CATEGORIES, description="Time category it counts as.")
    name: Series[str] = pa.Field(nullable=True, description="What the code is (for the reader).")

    class Config:
        metadata = _mapping_meta("wage_codes")


@register
class AccountCodes(TableModel):
    """Accounts of the ledger (konti) → account group (and cost type).

    Applied to ``finance``: an export with an ``account`` column instead of ``account_group``
    gets the group of its account, and the amounts of accounts in one group are added up.
    Applied to ``ledger`` (unit cost): an ``account`` column instead of ``cost_type`` gets
    ``cost_type`` (which must then be filled in for every account the ledger uses).
    """

    account: Series[str] = _code("The account as the ledger exports it.")
    account_group: Series[str] = pa.Field(isin=ACCOUNT_GROUPS, description="Account group.")
    cost_type: Series[str] = _id(
        "Cost type of the unit-cost ledger (empty: the account is not used there).",
        references="cost_types",
        nullable=True,
    )
    name: Series[str] = pa.Field(nullable=True, description="What the account is (for the reader).")

    class Config:
        metadata = _mapping_meta("account_codes")


@register
class CostCentreCodes(TableModel):
    """Cost centres of the source systems (omkostningssteder) → unit (and unit-cost cost centre).

    Applied to every table with a ``unit_id``: an export with a ``cost_centre`` column instead
    of ``unit_id`` gets the unit of its cost centre; the ``ledger`` also gets its
    ``cost_centre_id`` from it. Amounts, hours and volumes of cost centres of one unit are added up.
    """

    cost_centre: Series[str] = _code("The cost centre as the source system exports it.")
    unit_id: Series[str] = _id("The unit it belongs to.", references="units")
    cost_centre_id: Series[str] = _id(
        "Cost centre of the unit-cost model (empty: not used there).",
        references="cost_centres",
        nullable=True,
    )

    class Config:
        metadata = _mapping_meta("cost_centre_codes")


@register
class ShiftCodes(TableModel):
    """Shift codes of the rostering system (vagtkoder) → shift type with planned start and end.

    Applied to ``shifts``: an export with ``date`` and ``shift_code`` columns instead of
    ``shift_type``, ``planned_start`` and ``planned_end`` gets the shift type, and the planned
    times of the code on that date, in local time. An end at or before the start is on the
    next day (a night ``N 22:00–07:00``); ``24:00`` is midnight at the end of the day. A
    ``period`` column may then be left out: it is the month of the planned start.
    """

    shift_code: Series[str] = _code("The code as the rostering system exports it.")
    shift_type: Series[str] = pa.Field(
        description="Shift type (day, evening, night, long_day, on_call or other)."
    )
    start: Series[str] = pa.Field(str_matches=CLOCK_PATTERN, description="Planned start, HH:MM (local time).")
    end: Series[str] = pa.Field(
        str_matches=CLOCK_PATTERN, description="Planned end, HH:MM; at or before the start: the next day."
    )
    name: Series[str] = pa.Field(nullable=True, description="What the code is (for the reader).")

    class Config:
        metadata = _mapping_meta("shift_codes")


@register
class ActivityCodes(TableModel):
    """Procedure and contact codes (SKS, DRG, ydelseskoder) → activity.

    Applied to ``volume`` and ``contact_activities``: an export with an ``activity_code``
    column instead of ``activity_id`` gets the activity of its code, and the volumes of codes
    of one activity are added up.
    """

    activity_code: Series[str] = _code("The code as the patient administration exports it.")
    activity_id: Series[str] = _id("The activity it counts as.", references="activities")
    name: Series[str] = pa.Field(nullable=True, description="What the code is (for the reader).")

    class Config:
        metadata = _mapping_meta("activity_codes")


#: The mapping tables, in documentation order.
MAPPING_TABLES = ("wage_codes", "account_codes", "cost_centre_codes", "shift_codes", "activity_codes")
