"""Rules across the unit-cost tables, run by ``toolkit validate`` and the runner's staging.

Each rule names the file, the rows and the rule, and is attributed to the units whose rows
break it (so only those units' reports fail). The per-table rules (types, ranges, keys) are in
:mod:`toolkit.analyses.unit_cost.schemas`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from toolkit.data.readers import FILE_COL, ROW_COL
from toolkit.data.schemas import get_table, table_meta
from toolkit.data.sources import FolderSource, register_check
from toolkit.data.validation import Problem, make_problem
from toolkit.measures.costing.allocation import INTERMEDIATE, closed_loops
from toolkit.measures.costing.money import to_ore


def _frame(source: FolderSource, table: str) -> pd.DataFrame | None:
    if table not in source.tables():
        return None
    try:
        return source.validated(table)
    except RuntimeError:  # pragma: no cover - validate_all() not run
        return None


def _problem(
    source: FolderSource,
    table: str,
    frame: pd.DataFrame,
    mask: np.ndarray | pd.Series,
    column: str | None,
    rule: str,
    show: bool = True,
) -> Problem:
    m = np.asarray(mask, dtype=bool)
    values = (
        _raw_values(source, table, frame, column)
        if (show and column is not None and column in frame)
        else None
    )
    return make_problem(
        table,
        frame,
        m,
        column,
        rule,
        values,
        table_meta(get_table(table)),
        source.catalogue_keys().get("units"),
    )


def _raw_values(source: FolderSource, table: str, frame: pd.DataFrame, column: str) -> pd.Series:
    """The cells of ``column`` as the file has them (``-1.250,50``), aligned with ``frame``'s rows."""
    raw = source.raw(table)
    if FILE_COL not in raw or ROW_COL not in frame:
        return frame[column]
    cells = raw.set_index([FILE_COL, ROW_COL])[column]
    keys = pd.MultiIndex.from_arrays([frame[FILE_COL], frame[ROW_COL]])
    return pd.Series(cells.reindex(keys).to_numpy(), index=frame.index)


def _centres(source: FolderSource) -> pd.DataFrame | None:
    return _frame(source, "cost_centres")


@register_check
def cost_centre_units(source: FolderSource) -> list[Problem]:
    """Every cost centre belongs to a unit in the units table."""
    centres = _centres(source)
    if centres is None:
        return []
    known = source.catalogue_keys().get("units", set())
    bad = ~centres["unit_id"].isin(list(known))
    if not bad.any():
        return []
    return [
        _problem(source, "cost_centres", centres, bad, "unit_id", "unknown unit key (not in the units table)")
    ]


def _unit_matches_centre(
    source: FolderSource, table: str, frame: pd.DataFrame, column: str, centres: pd.DataFrame
) -> list[Problem]:
    owner = frame[column].map(dict(zip(centres["cost_centre_id"], centres["unit_id"], strict=True)))
    bad = owner.notna() & (owner != frame["unit_id"])
    if not bad.any():
        return []
    return [
        _problem(
            source,
            table,
            frame,
            bad,
            "unit_id",
            f"must be the unit that {column} belongs to in the cost_centres table",
        )
    ]


@register_check
def ledger_rules(source: FolderSource) -> list[Problem]:
    """Ledger lines: the centre's unit, negative amounts only where allowed, no negative net cost."""
    ledger, centres, types = _frame(source, "ledger"), _centres(source), _frame(source, "cost_types")
    if ledger is None or centres is None or types is None or ledger.empty:
        return []
    problems = _unit_matches_centre(source, "ledger", ledger, "cost_centre_id", centres)
    allowed = set(types.loc[types["allow_negative"].fillna(False).astype(bool), "cost_type"])
    negative = (ledger["amount"] < 0) & ~ledger["cost_type"].isin(list(allowed))
    if negative.any():
        problems.append(
            _problem(
                source,
                "ledger",
                ledger,
                negative,
                "amount",
                "must be ≥ 0 for this cost type (negative amounts are allowed only on cost types marked "
                "allow_negative in cost_types)",
            )
        )
    year = ledger["period"].str[:4]
    net = (
        pd.Series(to_ore(ledger["amount"]), index=ledger.index)
        .groupby([ledger["cost_centre_id"], year])
        .transform("sum")
    )
    below = net < 0
    if below.any():
        for (centre, yr), rows in ledger[below].groupby(["cost_centre_id", year[below]]):
            mask = ledger.index.isin(rows.index)
            total = float(net[rows.index[0]]) / 100
            problems.append(
                _problem(
                    source,
                    "ledger",
                    ledger,
                    mask,
                    "amount",
                    f"the net cost of cost centre {centre} in {yr} is negative ({total:,.2f} kr.); a negative cost "
                    "cannot be allocated",
                    show=False,
                )
            )
    return problems


@register_check
def driver_rules(source: FolderSource) -> list[Problem]:
    """Allocation keys: from intermediate centres of the right unit, one key name, some quantity, no cycle."""
    drivers, centres = _frame(source, "allocation_drivers"), _centres(source)
    if drivers is None or centres is None:
        return []
    problems: list[Problem] = []
    kind = dict(zip(centres["cost_centre_id"], centres["kind"], strict=True))
    if not drivers.empty:
        problems += _unit_matches_centre(source, "allocation_drivers", drivers, "from_centre", centres)
        not_intermediate = drivers["from_centre"].map(kind).fillna(INTERMEDIATE) != INTERMEDIATE
        if not_intermediate.any():
            problems.append(
                _problem(
                    source,
                    "allocation_drivers",
                    drivers,
                    not_intermediate,
                    "from_centre",
                    "only intermediate cost centres distribute costs (this centre is final or external)",
                )
            )
        key = [drivers["year"], drivers["from_centre"]]
        names = drivers.groupby(key)["driver"].transform("nunique")
        if (names > 1).any():
            problems.append(
                _problem(
                    source,
                    "allocation_drivers",
                    drivers,
                    names > 1,
                    "driver",
                    "one key per cost centre and year: the rows of this centre name different keys",
                )
            )
        total = drivers.groupby(key)["quantity"].transform("sum")
        if (total <= 0).any():
            problems.append(
                _problem(
                    source,
                    "allocation_drivers",
                    drivers,
                    total <= 0,
                    "quantity",
                    "the key has no quantity (every quantity of this centre and year is 0): its costs cannot be "
                    "shared",
                )
            )
        problems += _cycles(source, drivers, kind)
    problems += _intermediate_without_key(source, drivers, kind)
    return problems


def _cycles(source: FolderSource, drivers: pd.DataFrame, kind: dict[str, str]) -> list[Problem]:
    problems = []
    for year, rows in drivers.groupby("year"):
        ids = sorted(set(rows["from_centre"]) | set(rows["to_centre"]))
        pos = {c: i for i, c in enumerate(ids)}
        q = np.zeros((len(ids), len(ids)))
        np.add.at(
            q,
            (rows["from_centre"].map(pos).to_numpy(int), rows["to_centre"].map(pos).to_numpy(int)),
            rows["quantity"].to_numpy(float),
        )
        np.fill_diagonal(q, 0)
        inter = np.array([kind.get(c, INTERMEDIATE) == INTERMEDIATE for c in ids])
        stuck = [ids[i] for i in closed_loops(q, inter)]
        if stuck:
            loop = rows["from_centre"].isin(stuck) & (rows["quantity"] > 0)
            mask = drivers.index.isin(rows.index[loop])
            problems.append(
                _problem(
                    source,
                    "allocation_drivers",
                    drivers,
                    mask,
                    "to_centre",
                    f"allocation cycle in {year}: {', '.join(stuck)} pass costs only among themselves; no path leads "
                    "to a final or external centre",
                )
            )
    return problems


def _intermediate_without_key(
    source: FolderSource, drivers: pd.DataFrame | None, kind: dict[str, str]
) -> list[Problem]:
    ledger = _frame(source, "ledger")
    if ledger is None or ledger.empty:
        return []
    is_inter = ledger["cost_centre_id"].map(kind) == INTERMEDIATE
    lines = _pairs(ledger.assign(year=ledger["period"].str[:4]), ["year", "cost_centre_id"])
    keys = (
        _pairs(drivers.assign(year=drivers["year"].astype(int)), ["year", "from_centre"])
        if drivers is not None and not drivers.empty
        else pd.MultiIndex.from_arrays([[], []])
    )
    missing = is_inter & ~lines.isin(keys)
    if not missing.any():
        return []
    return [
        _problem(
            source,
            "ledger",
            ledger,
            missing,
            "cost_centre_id",
            "intermediate cost centre with costs but no allocation key for the year in allocation_drivers",
        )
    ]


@register_check
def resource_rules(source: FolderSource) -> list[Problem]:
    """Resources: the centre's unit, not an external centre, one centre and kind per resource."""
    res, centres = _frame(source, "resources"), _centres(source)
    if res is None or centres is None or res.empty:
        return []
    problems = _unit_matches_centre(source, "resources", res, "cost_centre_id", centres)
    kind = res["cost_centre_id"].map(dict(zip(centres["cost_centre_id"], centres["kind"], strict=True)))
    external = kind == "external"
    if external.any():
        problems.append(
            _problem(
                source,
                "resources",
                res,
                external,
                "cost_centre_id",
                "resources belong to final or intermediate centres (external centres are not costed)",
            )
        )
    for column in ("cost_centre_id", "kind", "unit_id"):
        varies = res.groupby("resource_id")[column].transform("nunique") > 1
        if varies.any():
            problems.append(
                _problem(
                    source,
                    "resources",
                    res,
                    varies,
                    column,
                    f"a resource must keep one {column} in every month",
                )
            )
    return problems


@register_check
def standard_minute_rules(source: FolderSource) -> list[Problem]:
    """Standard minutes name a resource of the same unit."""
    sm, res = _frame(source, "standard_minutes"), _frame(source, "resources")
    if sm is None or sm.empty:
        return []
    known = (
        _pairs(res, ["unit_id", "resource_id"]) if res is not None else pd.MultiIndex.from_arrays([[], []])
    )
    bad = pd.Series(~_pairs(sm, ["unit_id", "resource_id"]).isin(known), index=sm.index)
    if not bad.any():
        return []
    return [
        _problem(
            source,
            "standard_minutes",
            sm,
            bad,
            "resource_id",
            "unknown resource (not in the resources table for this unit)",
        )
    ]


def _pairs(frame: pd.DataFrame, columns: Iterable[str]) -> pd.MultiIndex:
    return pd.MultiIndex.from_frame(frame[list(columns)].astype(str))


@register_check
def contact_rules(source: FolderSource) -> list[Problem]:
    """Contacts have a tariff for their year; contact activities belong to a known contact."""
    contacts, groups, acts = (
        _frame(source, "contacts"),
        _frame(source, "drg_groups"),
        _frame(source, "contact_activities"),
    )
    problems: list[Problem] = []
    if contacts is not None and groups is not None and not contacts.empty:
        known = set(groups["drg_group"])
        tariffs = _pairs(groups.assign(year=groups["year"].astype(int)), ["drg_group", "year"])
        year = contacts["period"].str[:4].astype(int)
        has = _pairs(contacts.assign(year=year), ["drg_group", "year"]).isin(tariffs)
        missing = ~has & contacts["drg_group"].isin(list(known))
        if missing.any():
            problems.append(
                _problem(
                    source,
                    "contacts",
                    contacts,
                    missing,
                    "drg_group",
                    "no tariff for the group in the contact's year (drg_groups table)",
                )
            )
    if acts is not None and contacts is not None and not acts.empty:
        known_contacts = _pairs(contacts, ["contact_id", "unit_id", "period"])
        bad = ~_pairs(acts, ["contact_id", "unit_id", "period"]).isin(known_contacts)
        if bad.any():
            problems.append(
                _problem(
                    source,
                    "contact_activities",
                    acts,
                    bad,
                    "contact_id",
                    "contact not in the contacts table for the same unit and month",
                    show=False,
                )
            )
    return problems
