"""Suppression that survives subtraction: primary and complementary suppression of counts.

A figure about fewer than ``min_group_size`` persons (but more than none) is *primary*
suppressed. That alone is not enough: a hidden cell follows by subtraction from a shown total
and the shown cells beside it, from a parent unit's figure and the unit's siblings, or from two
periods. So more cells are hidden (*complementary* suppression) until no hidden cell is
determined by the shown cells and the sums that link them.

The model: cells are ``(unit, group)`` pairs with a count; a :class:`Constraint` says that one
cell (a total) is the sum of others (its parts). :func:`derivable` is the attacker: it finds the
hidden cells whose value the shown cells and the constraints fix exactly (linear algebra on the
constraint matrix). :func:`complementary` is the defender: starting from the primary cells it
hides, for each derivable cell, a small shown non-zero cell of a sum it is part of (of the
smallest few, the one that leaves the fewest cells determined), until :func:`derivable` finds
nothing, and then shows again any complement that turned out not to be needed.
:func:`group_pattern` does this for a whole unit tree (each unit's groups sum to its total; each
parent's group is the sum of its children's), so a department's report and its centre's and
hospital's hide the same cells.

Cells with no persons (zero) are never primary (nothing about a person is shown) and never
chosen as complements (a hidden zero protects nothing: a sum of non-negative counts that is zero
gives every part away).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.core.periods import parse_period
from toolkit.data.hierarchy import hospital_units
from toolkit.data.sources import DataSource
from toolkit.measures.common import TOTAL
from toolkit.measures.linear import connected_parts, determined_cells

HR_COLUMNS = ["period", "unit_id", "employee_id", "staff_group"]

#: A cell of a suppressed table: (unit id, group); a table of one unit may use "" as unit.
Cell = tuple[str, str]

SUPPRESSION = Definition(
    "suppression",
    "Diskretionering",
    "Suppression",
    "Tal om grupper med færre personer end grænsen (mindst 5, men flere end 0) vises ikke "
    "(primær diskretionering). Så skjules også andre tal (sekundær diskretionering): for hvert "
    "skjult tal den mindste viste gruppe i samme sum (rækken, totalen, overordnet enhed), indtil "
    "intet skjult tal kan regnes ud af de viste tal og totaler ved at trække fra. Det gælder "
    "antal personer og alle tal om gruppen, i alle tabeller i rapporten, i måneden og i 12 "
    "måneder, og på samme måde i afdelingens, centrets og sygehusets rapport. Løn og "
    "omkostninger for personalegrupper under grænsen skjules på samme måde.",
    "Figures about groups of fewer persons than the limit (at least 5, but more than 0) are not "
    "shown (primary suppression). Other figures are hidden too (secondary suppression): for each "
    "hidden figure the smallest shown group in the same sum (the row, the total, the parent "
    "unit), until no hidden figure can be worked out from the shown figures and totals by "
    "subtraction. This applies to the number of persons and every figure about the group, in "
    "every table of the report, for the month and the 12 months, and alike in the department's, "
    "the centre's and the hospital's report. Salaries and costs of staff groups under the limit "
    "are hidden the same way.",
)


@dataclass(frozen=True)
class Constraint:
    """``total`` is the sum of ``parts`` (e.g. a unit's total of its staff groups)."""

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The total and its parts."""
        return (self.total, *self.parts)


def check_limit(min_group_size: int) -> None:
    """Refuse a suppression limit under 5 (the toolkit's floor)."""
    if min_group_size < 5:
        raise ValueError(f"min_group_size must be at least 5; got {min_group_size}")


def primary_cells(values: Mapping[Cell, float], min_group_size: int) -> set[Cell]:
    """The cells with more than 0 and fewer than ``min_group_size`` persons."""
    check_limit(min_group_size)
    return {c for c, v in values.items() if not pd.isna(v) and 0 < v < min_group_size}


def derivable(
    values: Mapping[Cell, float], constraints: Sequence[Constraint], hidden: Collection[Cell]
) -> set[Cell]:
    """The hidden cells that the shown cells and the ``constraints`` determine exactly.

    The shown cells are every cell of ``values`` not in ``hidden``. The hidden values solve
    ``A_H x_H = b``; a hidden cell is determined when every vector of the null space of
    ``A_H`` is zero there. A hidden cell that is in no constraint is never determined.
    """
    hidden_set = set(hidden)
    rows: list[dict[Cell, float]] = []  # per sum with a hidden cell: its hidden cells' coefficients
    for k in constraints:
        row: dict[Cell, float] = {}
        if k.total in hidden_set:
            row[k.total] = 1.0
        for p in k.parts:
            if p in hidden_set:
                row[p] = row.get(p, 0.0) - 1.0
        if row:
            rows.append(row)
    found: set[Cell] = set()
    for component in connected_parts(rows):
        found |= determined_cells(component)
    return found


#: How many of the smallest candidates :func:`_complement` weighs by what hiding each leaves exposed.
LOOKAHEAD = 8


def _complement(
    exposed: Iterable[Cell],
    values: Mapping[Cell, float],
    constraints: Sequence[Constraint],
    hidden: set[Cell],
    fixed: Collection[Cell] = frozenset(),
) -> Cell | None:
    """The cell to hide next: of the shown non-zero cells in a sum with an ``exposed`` cell, the
    one that leaves the fewest hidden cells determined, the smallest first.

    The :data:`LOOKAHEAD` smallest candidates are tried (cells that are no sum, a department's
    group, before sums, a total or a parent's group, so that the figures a report leads with stay
    shown where they can; ties go to the cell that sorts first), and the one after which
    :func:`derivable` finds the fewest cells is taken: in a unit tree the smallest cell is often
    one whose hiding opens a sum of the parent's, and then more cells follow.
    """
    sums = {k.total for k in constraints}
    wanted = set(exposed)
    candidates = {
        c
        for k in constraints
        if wanted & set(k.cells)
        for c in k.cells
        if c not in hidden and c not in fixed and not pd.isna(values.get(c)) and float(values[c]) > 0
    }
    if not candidates:
        return None
    first = sorted(candidates, key=lambda c: (c in sums, float(values[c]), c))[:LOOKAHEAD]
    if len(first) == 1:
        return first[0]
    left = {c: len(derivable(values, constraints, hidden | {c})) for c in first}
    return min(first, key=lambda c: (left[c], c in sums, float(values[c]), c))


def complementary(
    values: Mapping[Cell, float],
    constraints: Sequence[Constraint],
    primary: Iterable[Cell],
    fixed: Collection[Cell] = frozenset(),
) -> set[Cell]:
    """The cells to hide: ``primary`` and enough others that none of them is :func:`derivable`.

    Greedy and deterministic: while some hidden cell is determined, hide the cell
    :func:`_complement` picks from the sums that contain one; where none is left to pick, a
    complement that is determined itself is shown again (it hid nothing) and never picked
    again. Then every complement, sums and the largest first, is shown again if no hidden cell
    is determined without it (a cell an earlier step needed and a later one made redundant).
    The result hides at least ``primary``; cells without a value (NaN) count as hidden already.
    Cells in ``fixed`` are never chosen (figures another table shows whatever this pattern
    says). Only a primary cell whose every complement is zero or fixed can stay determined.
    """
    first = set(primary)
    hidden = first | {c for c, v in values.items() if pd.isna(v)}
    never = set(fixed)
    while True:
        exposed = derivable(values, constraints, hidden)
        if not exposed:
            break
        nxt = _complement(exposed, values, constraints, hidden, never)
        if nxt is None:
            # A dead end: a complement that follows from the shown cells (say, the one part of a
            # shown column) hides nothing; show it, never pick it again, and go on from there.
            loose = {c for c in exposed - first if not pd.isna(values.get(c))}
            if not loose:  # only primary cells, with nothing left to hide beside them (zeros)
                break
            hidden -= loose
            never |= loose
            continue
        hidden.add(nxt)
    left = derivable(values, constraints, hidden)
    sums = {k.total for k in constraints}
    added = [c for c in hidden - first if not pd.isna(values.get(c))]
    for c in sorted(added, key=lambda c: (c not in sums, -float(values[c]), c)):
        if derivable(values, constraints, hidden - {c}) <= left:
            hidden.discard(c)
    return hidden


def table_constraints(groups: Sequence[str], unit: str = "", total: str = TOTAL) -> list[Constraint]:
    """One table of one unit: its ``total`` row is the sum of its ``groups``."""
    parts = tuple((unit, g) for g in groups if g != total)
    return [Constraint((unit, total), parts)] if parts else []


def hierarchy_constraints(units: pd.DataFrame, groups: Sequence[str]) -> list[Constraint]:
    """Sums of a unit tree (``unit_id``, ``parent_id``) broken down by ``groups``.

    Each unit's total is the sum of its groups; each parent's group (and total) is the sum of
    its children's.
    """
    body = [g for g in groups if g != TOTAL]
    out: list[Constraint] = []
    for uid in units["unit_id"]:
        out.extend(table_constraints(body, str(uid)))
    children = units[units["parent_id"].notna() & (units["parent_id"] != "")].groupby("parent_id")["unit_id"]
    for parent, kids in children:
        for g in [*body, TOTAL]:
            out.append(Constraint((str(parent), g), tuple((str(k), g) for k in kids)))
    return out


def tree_counts(counts: pd.DataFrame, units: pd.DataFrame) -> dict[Cell, float]:
    """Counts per (unit, group) for every unit of the tree, with totals.

    ``counts`` has ``unit_id``, ``staff_group`` and ``persons`` for the units that have rows
    (the departments); a unit above them gets the sum of its children, group by group, and each
    unit a ``TOTAL`` that is the sum of its groups. Groups a unit lacks count 0.
    """
    groups = sorted(set(counts["staff_group"].astype(str)) - {TOTAL})
    own = counts[counts["staff_group"] != TOTAL].groupby(["unit_id", "staff_group"])["persons"].sum()
    kids: dict[str, list[str]] = {}
    for uid, parent in zip(units["unit_id"], units["parent_id"], strict=True):
        if isinstance(parent, str) and parent:
            kids.setdefault(parent, []).append(str(uid))
    values: dict[Cell, float] = {}

    def fill(uid: str) -> None:
        for k in kids.get(uid, []):
            fill(k)
        for g in groups:
            own_v = float(own.get((uid, g), 0.0))
            values[(uid, g)] = sum(values[(k, g)] for k in kids[uid]) if uid in kids else own_v
        values[(uid, TOTAL)] = sum(values[(uid, g)] for g in groups)

    for uid in units["unit_id"]:
        if (str(uid), TOTAL) not in values:
            fill(str(uid))
    return values


def group_pattern(counts: pd.DataFrame, units: pd.DataFrame, min_group_size: int) -> pd.DataFrame:
    """The suppression pattern of a unit tree's staff-group counts (one for all its reports).

    Returns ``unit_id``, ``staff_group`` (with ``TOTAL``), ``persons``, ``primary`` and
    ``hidden``: hidden cells are the primary ones and their complements over every sum of the
    tree (:func:`hierarchy_constraints`), so that no hidden count follows from a unit's, its
    siblings' and its parents' shown counts.
    """
    values = tree_counts(counts, units)
    groups = sorted({g for _, g in values})
    primary = primary_cells(values, min_group_size)
    hidden = complementary(values, hierarchy_constraints(units, groups), primary)
    rows = [
        {
            "unit_id": u,
            "staff_group": g,
            "persons": v,
            "primary": (u, g) in primary,
            "hidden": (u, g) in hidden,
        }
        for (u, g), v in sorted(values.items())
    ]
    return pd.DataFrame(rows, columns=["unit_id", "staff_group", "persons", "primary", "hidden"])


def hidden_groups(pattern: pd.DataFrame | None, unit_id: str) -> set[str]:
    """The staff groups (and ``TOTAL``) that ``pattern`` hides for ``unit_id``."""
    if pattern is None or pattern.empty:
        return set()
    own = pattern[(pattern["unit_id"] == unit_id) & pattern["hidden"]]
    return set(own["staff_group"].astype(str))


def hidden_totals(pattern: pd.DataFrame | None) -> set[str]:
    """The units whose total (``TOTAL``) ``pattern`` hides."""
    if pattern is None or pattern.empty:
        return set()
    rows = pattern[(pattern["staff_group"] == TOTAL) & pattern["hidden"]]
    return set(rows["unit_id"].astype(str))


def tree_pattern(
    source: DataSource,
    units: pd.DataFrame,
    period: str,
    min_group_size: int,
    months: int = 12,
    *,
    unit: str | None = None,
) -> pd.DataFrame:
    """The staff-group pattern (:func:`hr_pattern`) of the unit tree for ``period``, hospital by hospital.

    A catalogue of several hospitals is as many trees, and no sum crosses from one to another:
    each hospital's pattern is computed from its own ``hr`` rows alone (for the ``months``
    months that end with ``period``), so a unit's pattern is the same whether a run stages its
    hospital or a whole region, and costs its hospital's rows, not the region's. With ``unit``,
    only the tree of ``unit`` (its hospital and the units below it) is computed and returned. A
    unit whose rows break the data model is left out (its own report says why). Computed once
    per dataset, period and hospital (a worker's kernel makes many reports of one run).
    """
    cached = _PATTERNS.of((source.fingerprint(), period, min_group_size, months))
    trees = [hospital_units(units, unit)] if unit is not None else _trees(units)
    frames = []
    for members in trees:
        key = tuple(members)
        if key not in cached:
            tree = units[units["unit_id"].isin(members)].reset_index(drop=True)
            cached[key] = _tree_pattern(source, tree, period, min_group_size, months)
        frames.append(cached[key])
    if not frames:
        return pd.DataFrame(columns=["unit_id", "staff_group", "primary", "hidden"])
    return pd.concat(frames, ignore_index=True)


class _PatternCache:
    """The patterns of :func:`tree_pattern` per hospital's units, for one dataset at a time (a
    run, or a notebook session): asked for another, it forgets the one before."""

    def __init__(self) -> None:
        self.dataset: object = None
        self.trees: dict[tuple[str, ...], pd.DataFrame] = {}

    def of(self, dataset: object) -> dict[tuple[str, ...], pd.DataFrame]:
        """The patterns cached for ``dataset`` (its fingerprint, month, limit and months)."""
        if self.dataset != dataset:
            self.dataset, self.trees = dataset, {}
        return self.trees


_PATTERNS = _PatternCache()


def _trees(units: pd.DataFrame) -> list[list[str]]:
    """The units of each tree of the catalogue (a hospital and everything below it), in order."""
    seen: set[str] = set()
    out = []
    for uid in units["unit_id"].astype(str):
        if uid not in seen:
            members = hospital_units(units, uid)
            seen |= set(members)
            out.append(members)
    return out


def _tree_pattern(
    source: DataSource, units: pd.DataFrame, period: str, min_group_size: int, months: int
) -> pd.DataFrame:
    p = parse_period(period)
    window = [str(x) for x in pd.period_range(end=p, periods=months, freq="M")]
    hr = read_hr(source, units, window[0], window[-1])
    return hr_pattern(hr, units, [[period], window], min_group_size)


def read_hr(source: DataSource, units: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """The ``hr`` rows of the departments of ``units`` for months ``start``..``end`` (only counts are used).

    Only those departments' rows are read (a hospital's, not the region's). A department whose
    rows break the data model is left out (its own report says why).
    """
    departments = [str(u) for u in units.loc[units["level"] == "department", "unit_id"]]
    try:
        return source.read("hr", units=departments, start=start, end=end)
    except DataValidationError:
        frames = []
        for uid in departments:
            try:
                frames.append(source.read("hr", units=[uid], start=start, end=end))
            except DataValidationError:
                continue
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=HR_COLUMNS)


def hr_counts(hr: pd.DataFrame, periods: Sequence[str]) -> pd.DataFrame:
    """Distinct persons per unit and staff group in ``periods`` (``unit_id``, ``staff_group``, ``persons``)."""
    part = hr[hr["period"].isin(list(periods))]
    out = part.groupby(["unit_id", "staff_group"])["employee_id"].nunique().rename("persons").reset_index()
    return out.astype({"persons": "float64"})


def window_primary(
    hr: pd.DataFrame, units: pd.DataFrame, window: Sequence[str], min_group_size: int
) -> set[Cell]:
    """The cells that are primary suppressed over the months of ``window``.

    A cell is primary over the window when it has more than 0 and fewer than ``min_group_size``
    persons over the window (distinct persons). A unit's total (``TOTAL``) is primary over the
    window also when it is primary in any single month of it: every month's report publishes the
    unit's figures of the month (the time staircase: contracted, sick and other hours), so the
    window's figure minus the other months' would give a small month away; with every window that
    holds the small month hidden, its figures are in no shown sum. A staff group's figures of a
    single month are published only as a percentage whose parts are not shown (the month's sick
    leave), never as hours, so a group's window needs its own count only: the 12-month tables of
    consecutive months differ by a month in and a month out, and the one window the small
    month's own report hides keeps it from following.
    """
    check_limit(min_group_size)
    months = list(window)
    cells = primary_cells(tree_counts(hr_counts(hr, months), units), min_group_size)
    if len(months) > 1:
        for month in months:
            totals = tree_counts(hr_counts(hr, [month]), units)
            cells |= {c for c in primary_cells(totals, min_group_size) if c[1] == TOTAL}
    return cells


def hr_pattern(
    hr: pd.DataFrame, units: pd.DataFrame, windows: Sequence[Sequence[str]], min_group_size: int
) -> pd.DataFrame:
    """One pattern for several windows of months (the month, the 12 months).

    The primary cells of each window are :func:`window_primary`'s. A cell hidden in one window
    is hidden in every window, and protected there in turn: the windows are protected again with
    every hidden cell (that has persons in the window) as primary until no window adds one, so
    no table of any window gives a hidden cell away. Returns ``unit_id``, ``staff_group``,
    ``primary`` (primary in some window) and ``hidden``.
    """
    check_limit(min_group_size)
    tables = [tree_counts(hr_counts(hr, w), units) for w in windows]
    cells = sorted(set().union(*tables)) if tables else []
    groups = sorted({g for _, g in cells})
    cons = hierarchy_constraints(units, groups)
    primary = set().union(*(window_primary(hr, units, w, min_group_size) for w in windows)) & set(cells)
    hidden = set(primary)
    while True:
        grown = set(hidden)
        for t in tables:
            full = {c: t.get(c, 0.0) for c in cells}
            grown |= complementary(full, cons, {c for c in hidden if full[c] > 0})  # a zero tells no one
        if grown == hidden:
            break
        hidden = grown
    rows = [(u, g, (u, g) in primary, (u, g) in hidden) for u, g in cells]
    return pd.DataFrame(rows, columns=["unit_id", "staff_group", "primary", "hidden"])


@define(SUPPRESSION)
def suppress_rows(
    df: pd.DataFrame,
    *,
    min_group_size: int,
    count_column: str = "persons",
    value_columns: Sequence[str] = (),
    group_column: str = "staff_group",
    forced: Collection[str] = (),
) -> pd.DataFrame:
    """Hide the rows of small groups and their complements (a copy; adds a ``suppressed`` column).

    A row with more than 0 and fewer than ``min_group_size`` in ``count_column`` is primary,
    and so is a row of no counted persons with figures (hours of persons without an HR row);
    the rows in ``forced`` (hidden by the unit tree's pattern or another table of the report)
    are hidden as well; then complements are hidden until no hidden count follows from the
    shown counts and the ``TOTAL`` row (:func:`complementary`). A hidden row loses its count and
    every value of ``value_columns``.
    """
    check_limit(min_group_size)
    out = df.copy()
    values = {("", str(g)): float(v) for g, v in zip(out[group_column], out[count_column], strict=True)}
    groups = [g for _, g in values]
    cols = [c for c in value_columns if c in out]
    numbers = out[cols].apply(pd.to_numeric, errors="coerce").fillna(0.0)
    uncounted = (out[count_column].fillna(0) == 0).to_numpy() & (numbers != 0).any(axis=1).to_numpy()
    primary = primary_cells(values, min_group_size)
    primary |= {("", str(g)) for g in forced if ("", str(g)) in values}
    primary |= {("", str(g)) for g in out.loc[uncounted, group_column]}
    cons = table_constraints(groups) if TOTAL in groups else []
    hidden = {g for _, g in complementary(values, cons, primary)}
    hide = out[group_column].astype(str).isin(hidden).to_numpy()
    out["suppressed"] = hide
    out[cols] = out[cols].astype("float64")
    out.loc[hide, cols] = np.nan
    out[count_column] = out[count_column].astype("float64")
    out.loc[hide, count_column] = np.nan
    return out


@dataclass(frozen=True)
class CostPattern:
    """What a unit-cost report hides: resource rows and cost centres' totals.

    ``min_group_size`` is the limit the pattern was made for (the report's labels name it).
    """

    resources: frozenset[str] = frozenset()
    centres: frozenset[str] = frozenset()
    min_group_size: int = 5


#: Nothing hidden.
NO_COST_PATTERN = CostPattern()


#: The columns of a resource row that tell its cost (its minutes too: a cost over minutes is the rate).
RESOURCE_COST_COLUMNS = (
    "cost",
    "rate",
    "capacity_cost",
    "used_cost",
    "unused_cost",
    "unit_cost",
    "theoretical_minutes",
    "practical_minutes",
    "used_minutes",
    "unused_minutes",
    "minutes",
)


def staff_cost_pattern(
    resources: pd.DataFrame, hr: pd.DataFrame, periods: str | Sequence[str], min_group_size: int
) -> CostPattern:
    """The resources whose costs a unit-cost report hides: staff groups under the limit and complements.

    A staff resource (``kind`` ``staff``) is the staff group of its ``name`` in its unit; its
    cost (the group's salaries) and everything computed from it (rate, capacity cost) tell
    what a few persons earn when the group has more than 0 and fewer than ``min_group_size``
    persons in ``hr`` in any month of ``periods`` (a report over January to the month would
    otherwise give the small month away against the report of the month before). Those
    resources are hidden, and in each cost centre (whose salaries in the ledger are the sum of
    its staff resources' costs) the smallest other staff resources until no hidden cost follows
    from the centre's salaries (:func:`complementary`). The pattern depends only on the
    resource's own centre, so the department's and the hospital's reports hide the same rows.
    A centre whose salaries would give a hidden cost away (a centre of one staff resource) is
    in :attr:`CostPattern.centres`: its ledger and cost totals are hidden too.
    """
    check_limit(min_group_size)
    months = [periods] if isinstance(periods, str) else list(periods)
    part_of = resources[resources["period"].isin(months)] if "period" in resources else resources
    small: set[tuple[str, str]] = set()
    for month in months:
        counts = hr_counts(hr, [month])
        few = counts[(counts["persons"] > 0) & (counts["persons"] < min_group_size)]
        small |= set(zip(few["unit_id"].astype(str), few["staff_group"].astype(str), strict=True))
    rows = part_of.groupby(["cost_centre_id", "resource_id", "unit_id", "name", "kind"], as_index=False)[
        "cost"
    ].sum()
    values: dict[Cell, float] = {}
    primary: set[Cell] = set()
    constraints: list[Constraint] = []
    staff = rows[rows["kind"] == "staff"]
    for centre, part in staff.groupby("cost_centre_id", sort=True):
        cells = []
        for rid, uid, name, cost in zip(
            part["resource_id"], part["unit_id"], part["name"], part["cost"], strict=True
        ):
            cell = (str(centre), str(rid))
            values[cell] = float(cost)
            cells.append(cell)
            if (str(uid), str(name)) in small:
                primary.add(cell)
        values[(str(centre), TOTAL)] = float(part["cost"].sum())
        constraints.append(Constraint((str(centre), TOTAL), tuple(cells)))
    hidden = complementary(values, constraints, primary) if primary else set()
    return CostPattern(
        frozenset(r for _, r in hidden if r != TOTAL),
        frozenset(c for c, r in hidden if r == TOTAL),
        min_group_size,
    )


def mask_rows(df: pd.DataFrame, hidden: Collection[str], *, key: str, columns: Sequence[str]) -> pd.DataFrame:
    """A copy of ``df`` whose rows with ``key`` in ``hidden`` lose ``columns`` (a ``suppressed`` column says which)."""
    out = df.copy()
    hide = out[key].astype(str).isin(set(hidden)).to_numpy()
    cols = [c for c in columns if c in out]
    out[cols] = out[cols].astype("float64")
    out.loc[hide, cols] = np.nan
    out["suppressed"] = hide
    return out
