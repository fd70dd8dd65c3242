"""Cost allocation: from the ledger to cost centres, and from intermediate to final centres.

Each centre's own cost is the sum of its ledger lines (:func:`build_cost_system`); the direct,
step-down or reciprocal method shares each intermediate centre's pool by its allocation key
(:func:`allocate`), following the Danish Health Data Authority's cost allocation accounts
(*fordelingsregnskab*). The flows are integer øre that balance exactly at every centre. A key
without quantity, an allocation cycle or a negative cost is an error with a message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.measures.costing.money import ORE_PER_KR, round_to_total, to_ore

METHODS = ("direct", "step_down", "reciprocal")
FINAL, INTERMEDIATE, EXTERNAL = "final", "intermediate", "external"

LEDGER_TOTAL = Definition(
    "uc_ledger_total",
    "Bogførte omkostninger",
    "Ledger total",
    "Summen af finansposterne (kontoart × omkostningssted) i perioden fra januar til rapportens "
    "måned. Det er udgangspunktet, som hver fordelingsmetode afstemmer tilbage til på øret.",
    "The sum of the general-ledger lines (cost type × cost centre) from January to the report's "
    "month: the starting point every allocation method reconciles back to, to the øre.",
)
CENTRE_KINDS = Definition(
    "uc_centre_kinds",
    "Omkostningssteder",
    "Cost centres",
    "Endelige steder (kliniske afdelinger) bærer omkostninger frem til patientkontakter. "
    "Mellemliggende steder (administration, IT, rengøring, køkken, laboratorium, røntgen ...) "
    "fordeler deres omkostninger videre efter en fordelingsnøgle. Eksterne steder (forskning, "
    "opgaver for andre myndigheder) ligger uden for DRG-området.",
    "Final centres (clinical departments) carry costs on to patient contacts. Intermediate "
    "centres (administration, IT, cleaning, kitchen, laboratory, radiology, ...) pass their costs "
    "on by an allocation key. External centres (research, tasks for other authorities) are "
    "outside the DRG scope.",
)
DIRECT_METHOD = Definition(
    "uc_direct_method",
    "Direkte fordeling",
    "Direct method",
    "Hvert mellemliggende sted fordeler sine egne omkostninger direkte til de endelige og eksterne "
    "steder i forhold til deres andel af nøglen; ydelser mellem mellemliggende steder ignoreres.",
    "Each intermediate centre shares its own costs directly among the final and external centres "
    "in proportion to their share of its key; services between intermediate centres are ignored.",
)
STEP_DOWN = Definition(
    "uc_step_down",
    "Trinvis fordeling",
    "Step-down method",
    "De mellemliggende steder lukkes ét ad gangen i en fast rækkefølge. Hvert sted fordeler sin "
    "pulje (egne omkostninger plus det, det har modtaget) til alle steder, der endnu ikke er "
    "lukket, i forhold til nøglen. Et lukket sted modtager intet.",
    "The intermediate centres are closed one at a time in a fixed order. Each distributes its pool "
    "(own costs plus what it has received) to every centre not yet closed, in proportion to its "
    "key. A closed centre receives nothing.",
)
STEP_ORDER = Definition(
    "uc_step_order",
    "Rækkefølge i trinvis fordeling",
    "Step-down order",
    "Den rækkefølge, der er givet i parametrene (unit_cost.step_order); ellers først det sted, "
    "der betjener flest andre steder, ved lighed det med de største egne omkostninger "
    "(Medicare-reglen).",
    "The order given in the parameters (unit_cost.step_order); otherwise the centre that serves "
    "the most other centres first, ties broken by the larger own cost (the Medicare rule).",
)
RECIPROCAL = Definition(
    "uc_reciprocal",
    "Gensidig fordeling",
    "Reciprocal method",
    "Alle ydelser mellem mellemliggende steder medregnes: puljerne x findes ved at løse "
    "x = c + A·x, hvor c er de egne omkostninger og A nøgleandelene mellem mellemliggende steder. "
    "Derefter fordeles hver pulje efter nøglen til alle steder.",
    "Every service between intermediate centres counts: the pools x solve x = c + A·x, with c the "
    "own costs and A the key shares between intermediate centres. Each pool is then shared by its "
    "key among all centres.",
)
PASS_ON = Definition(
    "uc_pass_on",
    "Videregivet kapacitet fra servicesteder",
    "Capacity passed on by service centres",
    "Et mellemliggende sted med ressourcer (fx røntgen, laboratorium) giver kun omkostningen ved "
    "den kapacitet, det har brugt, videre efter nøglen; dets ubrugte kapacitet bliver stående som "
    "ubrugt kapacitet. Steder uden ressourcer giver hele puljen videre.",
    "An intermediate centre with resources (e.g. radiology, laboratory) passes on only the cost of "
    "the capacity it used; its unused capacity stays as unused capacity. Centres without resources "
    "pass on their whole pool.",
)


@dataclass(frozen=True)
class CostSystem:
    """The allocation problem of one hospital and period.

    Attributes
    ----------
    centres
        Every cost centre (``cost_centre_id``, ``name``, ``kind``, ``unit_id``), in catalogue order.
    own
        Each centre's own cost (sum of its ledger lines), int64 øre, aligned with ``centres``.
    quantity
        ``quantity[i, j]``: centre j's quantity of centre i's allocation key (rows of centres
        that are not intermediate are zero).
    driver
        The key's name per intermediate centre.
    """

    centres: pd.DataFrame
    own: np.ndarray
    quantity: np.ndarray
    driver: dict[str, str]

    @property
    def ids(self) -> list[str]:
        """Centre ids in order."""
        return list(self.centres["cost_centre_id"])

    @property
    def kinds(self) -> np.ndarray:
        """Centre kinds in order."""
        return self.centres["kind"].to_numpy()

    def position(self, centre: str) -> int:
        """The row of ``centre``."""
        return self.ids.index(centre)


@define(LEDGER_TOTAL, CENTRE_KINDS)
def build_cost_system(centres: pd.DataFrame, ledger: pd.DataFrame, drivers: pd.DataFrame) -> CostSystem:
    """Assemble the allocation problem and check it.

    Parameters
    ----------
    centres
        The ``cost_centres`` rows of the hospital.
    ledger
        Ledger lines of the period (``cost_centre_id``, ``amount`` in kr.).
    drivers
        Allocation keys of the year (``from_centre``, ``to_centre``, ``driver``, ``quantity``).

    Raises
    ------
    DataValidationError
        For a ledger line or key on an unknown centre, a negative net cost, a key from a centre
        that is not intermediate, an intermediate centre with costs but no key, a key with no
        quantity, and an allocation cycle (centres that pass costs only among themselves).
    """
    cat = centres[["cost_centre_id", "name", "kind", "unit_id"]].reset_index(drop=True)
    ids = list(cat["cost_centre_id"])
    pos = {c: i for i, c in enumerate(ids)}
    problems: list[str] = []
    unknown = sorted(set(ledger["cost_centre_id"]) - set(pos))
    if unknown:
        problems.append(f"ledger: cost centres not in the hospital's cost_centres: {', '.join(unknown)}")
    own = np.zeros(len(ids), dtype=np.int64)
    if len(ledger):
        lines = ledger[ledger["cost_centre_id"].isin(pos)]
        np.add.at(own, lines["cost_centre_id"].map(pos).to_numpy(dtype=np.int64), to_ore(lines["amount"]))
    for i in np.flatnonzero(own < 0):
        problems.append(
            f"ledger: the net cost of cost centre {ids[i]} in the period is negative "
            f"({own[i] / ORE_PER_KR:,.2f} kr.); a negative cost cannot be allocated"
        )
    kinds = cat["kind"].to_numpy()
    quantity = np.zeros((len(ids), len(ids)), dtype="float64")
    driver: dict[str, str] = {}
    known = drivers["from_centre"].isin(pos) & drivers["to_centre"].isin(pos)
    for c in sorted(set(drivers.loc[~known, "from_centre"]) | set(drivers.loc[~known, "to_centre"])):
        if c not in pos:
            problems.append(f"allocation_drivers: cost centre {c} is not in the hospital's cost_centres")
    d = drivers[known]
    if len(d):
        f = d["from_centre"].map(pos).to_numpy(dtype=np.int64)
        t = d["to_centre"].map(pos).to_numpy(dtype=np.int64)
        bad_from = sorted({ids[i] for i in f if kinds[i] != INTERMEDIATE})
        for c in bad_from:
            problems.append(
                f"allocation_drivers: cost centre {c} is {kinds[pos[c]]}; only intermediate centres "
                "distribute costs"
            )
        if np.any(f == t):
            problems.append("allocation_drivers: a cost centre cannot be its own receiver")
        np.add.at(quantity, (f, t), d["quantity"].to_numpy(dtype="float64"))
        for c, names in d.groupby("from_centre")["driver"].unique().items():
            if len(names) > 1:
                problems.append(
                    f"allocation_drivers: cost centre {c} has more than one key ({', '.join(map(str, names))}); "
                    "use one key per centre and year"
                )
            driver[str(c)] = str(names[0])
    np.fill_diagonal(quantity, 0.0)
    intermediate = kinds == INTERMEDIATE
    for i in np.flatnonzero(intermediate):
        c = ids[i]
        receives = quantity[:, i].sum() > 0
        if c not in driver:
            if own[i] != 0 or receives:
                problems.append(
                    f"allocation_drivers: intermediate cost centre {c} has costs but no allocation key: "
                    "its costs cannot be passed on"
                )
        elif quantity[i].sum() <= 0:
            problems.append(
                f"allocation_drivers: key '{driver[c]}' of cost centre {c} has no quantity (every quantity "
                "is 0): its costs cannot be shared"
            )
    if not problems:
        stuck = closed_loops(quantity, intermediate)
        if stuck:
            problems.append(
                "allocation_drivers: allocation cycle: "
                + ", ".join(ids[i] for i in stuck)
                + " pass costs only among themselves; no path leads to a final or external centre"
            )
    if problems:
        raise DataValidationError(problems)
    return CostSystem(cat, own, quantity, driver)


def closed_loops(quantity: np.ndarray, intermediate: np.ndarray) -> list[int]:
    """Intermediate centres from which no chain of keys reaches a final or external centre."""
    reaches = ~intermediate  # sinks reach themselves
    edges = quantity > 0
    for _ in range(len(reaches)):
        new = reaches | (intermediate & (edges & reaches[None, :]).any(axis=1))
        if (new == reaches).all():
            break
        reaches = new
    has_key = edges.any(axis=1)
    return [int(i) for i in np.flatnonzero(intermediate & has_key & ~reaches)]


@define(STEP_ORDER)
def step_down_order(system: CostSystem, given: Sequence[str] = ()) -> list[str]:
    """The order in which the step-down method closes the intermediate centres.

    ``given`` comes first (unknown or non-intermediate ids are a :class:`ParameterError`); the
    remaining intermediate centres follow by the rule: most other centres served, then the
    larger own cost, then the id.
    """
    ids, kinds = system.ids, system.kinds
    intermediate = [c for c, k in zip(ids, kinds, strict=True) if k == INTERMEDIATE]
    for c in given:
        if c not in intermediate:
            raise ParameterError(
                f"unit_cost.step_order names {c!r}, which is not an intermediate cost centre of the "
                f"hospital; intermediate centres: {', '.join(intermediate)}"
            )
    if len(set(given)) != len(given):
        raise ParameterError("unit_cost.step_order names a cost centre twice")
    served = (system.quantity > 0).sum(axis=1)
    rest = [c for c in intermediate if c not in given]
    rest.sort(key=lambda c: (-int(served[system.position(c)]), -int(system.own[system.position(c)]), c))
    return [*given, *rest]


@dataclass(frozen=True)
class Allocation:
    """The result of one allocation method (all amounts int64 øre).

    Attributes
    ----------
    method, order
        The method and (step-down) the order of the intermediate centres.
    centres
        Per centre: ``own``, ``received``, ``passed_on``, ``retained`` (unused capacity kept by
        an intermediate centre) and ``total`` (for an intermediate centre its pool, own +
        received; for a final or external centre the cost it ends up with).
    flows
        One row per key relation: ``from_centre``, ``to_centre``, ``driver``, ``quantity``,
        ``share`` of the key, ``amount``.
    """

    method: str
    order: tuple[str, ...]
    centres: pd.DataFrame
    flows: pd.DataFrame

    def matrix(self) -> pd.DataFrame:
        """The allocation matrix: one row per distributing centre, one column per receiver (øre)."""
        m = self.flows.pivot_table(
            index="from_centre", columns="to_centre", values="amount", aggfunc="sum", fill_value=0
        )
        receivers = [c for c in self.centres["cost_centre_id"] if c in m.columns]
        senders = [c for c in self.centres["cost_centre_id"] if c in m.index]
        return m.loc[senders, receivers].astype(np.int64)


@define(DIRECT_METHOD, STEP_DOWN, RECIPROCAL, PASS_ON)
def allocate(
    system: CostSystem,
    method: str,
    *,
    order: Sequence[str] = (),
    pass_on: Mapping[str, float] | None = None,
) -> Allocation:
    """Share the intermediate centres' costs among the other centres.

    Parameters
    ----------
    system
        From :func:`build_cost_system`.
    method
        ``direct``, ``step_down`` or ``reciprocal``.
    order
        Step-down only: centres to close first (see :func:`step_down_order`).
    pass_on
        Share of its pool an intermediate centre passes on (default 1); the rest is retained as
        unused capacity (see :func:`pass_on_shares`).

    Raises
    ------
    DataValidationError
        If a centre's costs have nowhere to go in the chosen method (the direct method for a
        centre serving only intermediate centres; a step-down order in which a centre serves
        only centres already closed), or the reciprocal system has no solution.
    """
    if method not in METHODS:
        raise ParameterError(f"unit_cost.method must be one of {', '.join(METHODS)}; got {method!r}")
    ids, kinds = system.ids, system.kinds
    n = len(ids)
    inter = np.flatnonzero(kinds == INTERMEDIATE)
    s = np.ones(n)
    for c, v in (pass_on or {}).items():
        if c in ids:
            s[system.position(c)] = float(v)
    q = system.quantity
    flows = np.zeros((n, n))
    retained = np.zeros(n)
    steps: list[str] = []
    if method == "direct":
        sink = kinds != INTERMEDIATE
        for i in inter:
            w = q[i] * sink
            if w.sum() <= 0:
                if system.own[i] == 0:
                    continue
                raise DataValidationError(
                    [
                        f"direct method: intermediate cost centre {ids[i]} serves no final or external "
                        "centre, so its costs cannot be distributed directly"
                    ]
                )
            flows[i] = s[i] * system.own[i] * w / w.sum()
            retained[i] = (1 - s[i]) * system.own[i]
        steps = [ids[i] for i in inter]
    elif method == "step_down":
        steps = step_down_order(system, order)
        pool = system.own.astype("float64")
        is_open = np.ones(n, dtype=bool)
        for c in steps:
            k = system.position(c)
            is_open[k] = False
            w = q[k] * is_open
            if w.sum() <= 0:
                if pool[k] == 0:
                    continue
                raise DataValidationError(
                    [
                        f"step-down method: cost centre {c} has no key quantity for any centre that is not "
                        f"yet closed (order: {', '.join(steps)}); change unit_cost.step_order"
                    ]
                )
            flows[k] = s[k] * pool[k] * w / w.sum()
            retained[k] = (1 - s[k]) * pool[k]
            pool += flows[k]
    else:
        totals = q.sum(axis=1)
        shares = np.divide(q, totals[:, None], out=np.zeros_like(q), where=totals[:, None] > 0)
        sub = shares[np.ix_(inter, inter)].T * s[inter][None, :]
        try:
            x = np.linalg.solve(np.eye(len(inter)) - sub, system.own[inter].astype("float64"))
        except np.linalg.LinAlgError:
            raise DataValidationError(
                ["reciprocal method: the allocation system has no solution (an allocation cycle)"]
            ) from None
        if not np.all(np.isfinite(x)) or np.any(x < -0.5):
            raise DataValidationError(
                ["reciprocal method: the allocation system has no meaningful solution (an allocation cycle)"]
            )
        x = np.maximum(x, 0.0)
        flows[inter] = (s[inter] * x)[:, None] * shares[inter]
        retained[inter] = (1 - s[inter]) * x
        steps = [ids[i] for i in inter]
    flows_int, retained_int = _integerise(system.own, flows, retained, inter)
    received = flows_int.sum(axis=0)
    passed = flows_int.sum(axis=1)
    total = system.own + received
    table = system.centres.copy()
    table["own"] = system.own
    table["received"] = received
    table["passed_on"] = passed
    table["retained"] = retained_int
    table["total"] = total
    assert np.array_equal(total[inter], passed[inter] + retained_int[inter]), "allocation does not balance"
    f_idx, t_idx = np.nonzero(q > 0)
    key_total = q.sum(axis=1)
    flow_table = pd.DataFrame(
        {
            "from_centre": np.array(ids, dtype=object)[f_idx],
            "to_centre": np.array(ids, dtype=object)[t_idx],
            "driver": [system.driver.get(ids[i], "") for i in f_idx],
            "quantity": q[f_idx, t_idx],
            "share": q[f_idx, t_idx] / key_total[f_idx],
            "amount": flows_int[f_idx, t_idx],
        }
    )
    return Allocation(method, tuple(steps), table, flow_table)


def _integerise(
    own: np.ndarray, flows: np.ndarray, retained: np.ndarray, senders: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Integer flows and retained amounts that balance exactly at every centre.

    Each sender's outflows must add up to its integer pool (own + integer inflows). Senders are
    settled from the farthest from a sink (final/external centre or retention) to the nearest;
    flows that go "down" towards a sink absorb the rounding by the largest-remainder rule, the
    others are rounded to the nearest øre. This works for cyclic (reciprocal) systems too.
    """
    n = len(own)
    out = np.zeros((n, n), dtype=np.int64)
    kept = np.zeros(n, dtype=np.int64)
    is_sender = np.zeros(n, dtype=bool)
    is_sender[senders] = True
    positive = (flows > 0) | (flows < 0)
    dist = np.where(is_sender, np.inf, 0.0)
    for _ in range(n + 1):
        via_flow = np.where(positive, dist[None, :], np.inf).min(axis=1)
        via_kept = np.where(retained != 0, 0.0, np.inf)
        new = np.where(is_sender, 1 + np.minimum(via_flow, via_kept), 0.0)
        if np.array_equal(new, dist):
            break
        dist = new
    dist = np.where(is_sender & ~np.isfinite(dist), 1.0, dist)  # a sender with nothing to pass on
    down = positive & (dist[None, :] < dist[:, None]) & is_sender[:, None]
    out[:] = np.where(positive & ~down, np.rint(flows), 0).astype(np.int64)
    for i in sorted(senders, key=lambda k: -dist[k]):
        pool = int(own[i]) + int(out[:, i].sum())
        remaining = pool - int(out[i].sum())
        targets = np.flatnonzero(down[i])
        parts = round_to_total(np.append(flows[i, targets], retained[i]), remaining)
        out[i, targets] = parts[:-1]
        kept[i] = parts[-1]
    return out, kept
