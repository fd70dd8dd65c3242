"""Who receives which reports: the ``recipients`` table read by ``toolkit send`` and ``publish``.

A row gives one person (an e-mail address) the reports of one unit, and, when
``include_below`` says so, the reports of every unit below it. Nobody receives the report of a
unit that is neither their own unit nor below it: the delivery step
(:mod:`toolkit.delivery.recipients`) enforces the rule, the table only states the wish.

The report names are checked against the report notebooks present when the table is
validated (the ``notebooks/`` folder; the check is registered by :mod:`toolkit.delivery`), not
against a list written here, so that a new report is known the moment its notebook exists; so
is the match of role and unit level, a rule across tables.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

import toolkit.data.delivery_params  # noqa: F401  (the delivery parameter section goes with the table)
from toolkit.data.schemas import ID_PATTERN, TableModel, register

ROLES = ("department_manager", "centre_manager", "hospital_manager", "controller")
LANGUAGES = ("da", "en")
#: The ``reports`` value for every report made for the unit(s).
ALL_REPORTS = "all"

#: A practical address check (local part @ domain with a dot); the mail server has the last word.
EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)


def parse_reports(value: str) -> tuple[str, ...]:
    """The report names in a ``reports`` cell: ``all`` or names separated by commas."""
    parts = [p.strip() for p in str(value).split(",")]
    return tuple(p for p in parts if p)


def unknown_reports(value: object, known: frozenset[str]) -> list[str]:
    """The names in a ``reports`` cell that are not reports (``all`` alone is every report).

    An empty cell, or ``all`` together with names, is wrong as a whole (returned as is).
    """
    names = parse_reports(str(value)) if isinstance(value, str) else ()
    if names == (ALL_REPORTS,):
        return []
    if not names or ALL_REPORTS in names:
        return [str(value)]
    return [n for n in names if n not in known]


@register
class Recipients(TableModel):
    """Who receives which reports by mail (``toolkit send``).

    One row per person and unit. A person receives the reports of the row's unit, and of the
    units below it only when ``include_below`` is true (a centre or hospital manager, a
    controller); nobody ever receives a report of a unit that is neither their own nor below
    it. A person with several rows gets one mail with the reports of all of them.
    ``reports`` is ``all`` or report names separated by commas (``kpi, unit-cost``); a name
    must be a report notebook in ``notebooks/`` (checked by ``toolkit validate``). Mail texts are in the row's ``language``.
    The role must match the unit's level (a department manager's unit is a department,
    ...); a controller may sit at any level.
    """

    unit_id: Series[str] = pa.Field(
        str_matches=ID_PATTERN,
        description="The recipient's own unit.",
        metadata={"references": "units"},
    )
    email: Series[str] = pa.Field(description="E-mail address (name@domain.tld).")
    name: Series[str] = pa.Field(description="The recipient's name, used in the greeting.")
    role: Series[str] = pa.Field(isin=ROLES, description="Role in the organisation.")
    language: Series[str] = pa.Field(isin=LANGUAGES, description="Language of the mail (da or en).")
    reports: Series[str] = pa.Field(
        description="Reports to receive: all, or report names separated by commas (kpi, unit-cost, ...)."
    )
    include_below: Series[pd.BooleanDtype] = pa.Field(
        description="Also the reports of every unit below the recipient's unit (true/false)."
    )

    @pa.check("email", name="must_be_an_e-mail_address_like_name@example.org")
    def _email(cls, email: Series[str]) -> Series[bool]:
        return email.map(lambda v: isinstance(v, str) and bool(EMAIL_PATTERN.match(v))).astype(bool)

    class Config:
        unique = ["email", "unit_id"]
        metadata = {"table": "recipients", "reports": False, "period_column": None}
