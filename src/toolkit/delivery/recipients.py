"""Who may receive what: the recipients table turned into each person's reports.

The privacy rule, enforced here and nowhere weakened: a person receives a report only if its
unit is the unit of one of their rows, or lies below that unit *and* the row's
``include_below`` is true. :func:`may_receive` is the rule as one predicate; the mail builder
asks it again for every file it attaches.

The rules across tables (the report names against the notebooks, the role against the unit's
level, one language per address) are a registered check of
:meth:`~toolkit.data.sources.FolderSource.validate_all` (``toolkit validate``) and are run
again when ``toolkit send`` loads the table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.core.errors import DataStructureError, DataValidationError
from toolkit.core.formatting import Language
from toolkit.data.hierarchy import below
from toolkit.data.schemas import get_table, table_meta
from toolkit.data.schemas.recipients import ALL_REPORTS, parse_reports, unknown_reports
from toolkit.data.sources import FolderSource, register_check
from toolkit.data.validation import Problem, make_problem, text_series
from toolkit.delivery.catalogue import report_kinds

TABLE = "recipients"
#: The unit level each role belongs to (a controller may sit at any level).
ROLE_LEVEL = {"department_manager": "department", "centre_manager": "centre", "hospital_manager": "hospital"}


class PrivacyError(RuntimeError):
    """A report was about to reach a person who may not receive it (a bug, never sent)."""


@dataclass(frozen=True)
class Grant:
    """One row of the table: a unit's reports, and those below it if ``include_below``."""

    unit_id: str
    reports: tuple[str, ...]  # ("all",) for every report
    include_below: bool

    def wants(self, report: str) -> bool:
        """True if the row asks for ``report``."""
        return self.reports == (ALL_REPORTS,) or report in self.reports


@dataclass(frozen=True)
class Recipient:
    """A person: one address, one language, the rows (grants) of the table."""

    email: str
    name: str
    language: Language
    grants: tuple[Grant, ...]

    @property
    def units(self) -> tuple[str, ...]:
        """The recipient's own units (the units of their rows)."""
        return tuple(g.unit_id for g in self.grants)


def scope(grant: Grant, units: pd.DataFrame) -> set[str]:
    """The units whose reports ``grant`` may give: its unit, and those below it if the row says so."""
    own = {grant.unit_id}
    return own | set(below(units, grant.unit_id)) if grant.include_below else own


def may_receive(recipient: Recipient, unit_id: str, report: str, units: pd.DataFrame) -> bool:
    """The privacy rule: may ``recipient`` receive ``report`` of ``unit_id``?

    Only if one of their rows names the report (or ``all``) and ``unit_id`` is that row's unit,
    or below it with ``include_below`` true.
    """
    return any(g.wants(report) and unit_id in scope(g, units) for g in recipient.grants)


def wanted(recipient: Recipient, units: pd.DataFrame, kinds: Mapping[str, object]) -> list[tuple[str, str]]:
    """Every (unit, report) the recipient is entitled to and that is made for the unit's level.

    ``kinds`` maps report names to :class:`~toolkit.delivery.catalogue.ReportKind`. Sorted by
    the unit's place in the tree (own unit first), then by report name.
    """
    levels = dict(zip(units["unit_id"], units["level"], strict=True))
    out: list[tuple[str, str]] = []
    for grant in recipient.grants:
        for unit in [grant.unit_id, *sorted(scope(grant, units) - {grant.unit_id})]:
            for name, kind in sorted(kinds.items()):
                made_for = getattr(kind, "levels", ())
                if levels.get(unit) in made_for and grant.wants(name) and (unit, name) not in out:
                    out.append((unit, name))
    return out


# --------------------------------------------------------------------------- validation


def recipient_problems(raw: pd.DataFrame, units: pd.DataFrame, known: frozenset[str]) -> list[Problem]:
    """The rules across tables, on the raw rows (file and row numbers kept).

    * ``reports`` names only report notebooks (``all`` alone for every report);
    * ``role`` matches the level of the row's unit (a controller may sit anywhere);
    * one address has one ``language`` and one ``name`` (it gets one mail).
    """
    meta = table_meta(get_table(TABLE))
    valid_units = set(units["unit_id"])
    problems: list[Problem] = []
    reports = text_series(raw["reports"])
    bad = [unknown_reports(v if isinstance(v, str) else "", known) for v in reports.fillna("")]
    mask = pd.Series([bool(b) for b in bad], index=raw.index).to_numpy()
    if mask.any():
        names = ", ".join(sorted(known))
        rule = f"unknown report name; write {ALL_REPORTS} or names separated by commas from: {names}"
        problems.append(make_problem(TABLE, raw, mask, "reports", rule, reports, meta, valid_units))
    level_of = dict(zip(units["unit_id"], units["level"], strict=True))
    role = text_series(raw["role"])
    unit = text_series(raw["unit_id"])
    need = role.map(ROLE_LEVEL)
    have = unit.map(level_of)
    mismatch = (need.notna() & have.notna() & (need != have)).fillna(False).astype(bool).to_numpy()
    if mismatch.any():
        rule = (
            "the role does not match the unit's level ("
            + ", ".join(f"{r} → {lv}" for r, lv in ROLE_LEVEL.items())
            + ")"
        )
        problems.append(make_problem(TABLE, raw, mismatch, "role", rule, role, meta, valid_units))
    email = text_series(raw["email"]).str.lower()
    for column in ("language", "name"):
        values = text_series(raw[column])
        counts = pd.DataFrame({"e": email, "v": values}).groupby("e")["v"].transform("nunique")
        several = (counts > 1).fillna(False).astype(bool).to_numpy()
        if several.any():
            rule = f"one address has one {column}: the rows of this address differ"
            problems.append(make_problem(TABLE, raw, several, column, rule, values, meta, valid_units))
    return problems


@register_check
def check_recipients(source: FolderSource) -> list[Problem]:
    """Registered check for ``toolkit validate``: :func:`recipient_problems` on the table."""
    if TABLE not in source.tables():
        return []
    return recipient_problems(source.raw(TABLE), source.units(), frozenset(report_kinds()))


def load_recipients(data_dir: str | Path) -> tuple[list[Recipient], pd.DataFrame]:
    """The recipients of a data folder, validated, one per address, and the units catalogue.

    Raises
    ------
    DataStructureError
        If the folder has no recipients table (or it has missing/extra columns).
    DataValidationError
        If a row breaks a rule (the message names file, column, rows and rule).
    """
    source = FolderSource(data_dir)
    if TABLE not in source.tables():
        raise DataStructureError(
            [f"the data folder {data_dir} has no {TABLE} table ({TABLE}.csv or {TABLE}.xlsx)"]
        )
    units = source.units()
    problems = recipient_problems(source.raw(TABLE), units, frozenset(report_kinds()))
    try:
        frame = source.read(TABLE)
    except DataValidationError as exc:
        raise DataValidationError([*exc.problems, *problems]) from None
    if problems:
        raise DataValidationError(list(problems))
    return recipients_from_frame(frame), units


def recipients_from_frame(frame: pd.DataFrame) -> list[Recipient]:
    """Group validated rows by address (case-insensitive), keeping the table's order."""
    by_email: dict[str, list[pd.Series]] = {}
    for _, row in frame.iterrows():
        by_email.setdefault(str(row["email"]).lower(), []).append(row)
    out = []
    for rows in by_email.values():
        first = rows[0]
        grants = tuple(
            Grant(str(r["unit_id"]), parse_reports(str(r["reports"])), bool(r["include_below"])) for r in rows
        )
        lang: Language = "en" if first["language"] == "en" else "da"
        out.append(Recipient(str(first["email"]), str(first["name"]), lang, grants))
    return out
