"""Hospital unit costs: from the general ledger to the cost of an activity and a DRG group.

Pure functions: data frames in, data frames out; inputs are never changed. The chain follows the
Danish Health Data Authority's cost allocation accounts (*fordelingsregnskab*) with time-driven
activity-based costing (Kaplan & Anderson 2004) on top, and NHS England's discipline of
reconciling every step back to the ledger:

1. **Ledger → cost centres.** Each centre's own cost is the sum of its ledger lines.
2. **Intermediate → final centres** (:func:`allocate`): the direct, step-down or reciprocal
   method shares each intermediate centre's pool by its allocation key.
3. **Final centres → activities** (:func:`time_driven`): a centre's cost (less the costs assigned
   directly to contacts) is loaded onto its resources; each resource gets a capacity cost rate
   (kr. per minute of practical capacity); an activity costs Σ rate × standard minutes; what
   the activities do not use is unused capacity.
4. **Activities → contacts → DRG groups** (:func:`contact_costs`, :func:`drg_summary`).

Money is held in integer øre. Every split of an amount is rounded with the largest-remainder
rule (:func:`round_to_total`), so that allocated + unused + external = ledger **exactly**, in
every method (:func:`reconcile`). A driver without quantity, an allocation cycle or a negative
cost is an error with a message, never a silent NaN.

Scale: everything per contact is vectorised (numpy); loops run only over cost centres and
allocation variants, which number in the tens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError, ParameterError
from toolkit.core.periods import parse_period

METHODS = ("direct", "step_down", "reciprocal")
FINAL, INTERMEDIATE, EXTERNAL = "final", "intermediate", "external"
ORE_PER_KR = 100
REQUIRED_TABLES = (
    "cost_types",
    "cost_centres",
    "ledger",
    "allocation_drivers",
    "resources",
    "standard_minutes",
)
PATIENT_TABLES = ("contacts", "contact_activities", "drg_groups")


# --------------------------------------------------------------------------- money


ROUNDING = Definition(
    "uc_rounding",
    "Afrunding til øre",
    "Rounding to the øre",
    "Beløb regnes i hele øre. Når et beløb deles (efter en fordelingsnøgle, på ressourcer, på "
    "aktiviteter eller kontakter), afrundes hver del ned, og de øre, der mangler, gives til de "
    "dele med de største rester (største restmetode). Delene summerer derfor altid præcist til "
    "beløbet.",
    "Amounts are computed in whole øre. When an amount is split (by an allocation key, over "
    "resources, activities or contacts) each part is rounded down and the missing øre go to the "
    "parts with the largest remainders (largest-remainder method), so the parts always add up to "
    "the amount exactly.",
)


def to_ore(kr: object) -> np.ndarray:
    """Amounts in kr. (floats with at most two decimals) as integer øre."""
    return np.rint(np.asarray(kr, dtype="float64") * ORE_PER_KR).astype(np.int64)


def to_kr(ore: object) -> np.ndarray | float:
    """Integer øre as kr. (float)."""
    return np.asarray(ore, dtype="float64") / ORE_PER_KR


@define(ROUNDING)
def round_to_total(
    values: np.ndarray | Sequence[float],
    totals: np.ndarray | Sequence[int] | int,
    groups: np.ndarray | None = None,
) -> np.ndarray:
    """Round ``values`` (øre, floats) to integers whose sum per group is exactly ``totals``.

    Parameters
    ----------
    values
        The exact (fractional) amounts, any sign.
    totals
        The integer total of each group (or one integer when ``groups`` is None).
    groups
        Group number (0 … n_groups − 1) of each value; None: one group.

    Returns
    -------
    numpy.ndarray
        int64 amounts: each value rounded down, plus one øre for the values with the largest
        remainders, until each group sums to its total (any difference, also one larger than
        the group, is spread evenly first). Vectorised; ties go to the earlier value.
    """
    vals = np.asarray(values, dtype="float64")
    if groups is None:
        grp = np.zeros(len(vals), dtype=np.int64)
        tot = np.atleast_1d(np.asarray(totals, dtype=np.int64))
    else:
        grp = np.asarray(groups, dtype=np.int64)
        tot = np.asarray(totals, dtype=np.int64)
    if len(vals) == 0:
        return np.zeros(0, dtype=np.int64)
    n_groups = len(tot)
    base = np.floor(vals)
    frac = vals - base
    base_int = base.astype(np.int64)
    sums = np.zeros(n_groups, dtype=np.int64)
    np.add.at(sums, grp, base_int)
    counts = np.bincount(grp, minlength=n_groups)
    missing = tot - sums
    if np.any((counts == 0) & (missing != 0)):
        raise ValueError("round_to_total: a non-zero total has no values to go to")
    per = np.floor_divide(missing, np.maximum(counts, 1))
    rest = missing - per * counts
    # By group, then largest remainder first; one stable sort of a float key (ties keep their order).
    order = np.argsort(grp - frac / 2, kind="stable")
    starts = np.cumsum(counts) - counts
    rank = np.empty(len(vals), dtype=np.int64)
    rank[order] = np.arange(len(vals)) - starts[grp[order]]
    return base_int + per[grp] + (rank < rest[grp]).astype(np.int64)


def split_total(total: int, weights: np.ndarray | Sequence[float]) -> np.ndarray:
    """Split the integer ``total`` in proportion to non-negative ``weights`` (largest remainder)."""
    w = np.asarray(weights, dtype="float64")
    s = w.sum()
    if s <= 0:
        raise ValueError("split_total: the weights sum to zero")
    return round_to_total(total * w / s, total)


# --------------------------------------------------------------------------- definitions

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
OVERHEAD_LOADING = Definition(
    "uc_overhead_loading",
    "Omkostning pr. ressource",
    "Cost per resource",
    "Et steds omkostninger (egne plus modtagne, minus det, der er henført direkte til kontakter) "
    "lægges på stedets ressourcer i forhold til ressourcernes egne omkostninger (løn, husleje, "
    "afskrivning).",
    "A centre's costs (own plus received, less what is assigned directly to contacts) are loaded "
    "onto its resources in proportion to the resources' own costs (salaries, rent, depreciation).",
)
PRACTICAL_CAPACITY = Definition(
    "uc_practical_capacity",
    "Praktisk kapacitet",
    "Practical capacity",
    "Den del af den betalte tid, der realistisk kan bruges på patienter: teoretiske minutter × "
    "praktisk andel (typisk 80 % for personale og 85 % for udstyr og lokaler; parameter).",
    "The share of paid time that can realistically be used for patients: theoretical minutes × "
    "practical share (typically 80% for staff, 85% for equipment and rooms; a parameter).",
)
CAPACITY_RATE = Definition(
    "uc_capacity_rate",
    "Kapacitetsomkostning pr. minut",
    "Capacity cost rate",
    "Ressourcens omkostning / praktisk kapacitet i minutter.",
    "The resource's cost / its practical capacity in minutes.",
)
UNIT_COST = Definition(
    "uc_unit_cost",
    "Enhedsomkostning pr. aktivitet",
    "Unit cost per activity",
    "Σ over ressourcer af kapacitetsomkostning pr. minut × normtid i minutter for én enhed af "
    "aktiviteten (et besøg, en operation, en sengedag).",
    "Σ over resources of capacity cost rate × standard minutes for one unit of the activity "
    "(a visit, an operation, a bed-day).",
)
USED_UNUSED = Definition(
    "uc_used_unused",
    "Brugt og ubrugt kapacitet",
    "Used and unused capacity",
    "Brugt kapacitet = Σ aktivitet × normtid (minutter) og × kapacitetsomkostning pr. minut (kr.). "
    "Ubrugt kapacitet = praktisk kapacitet − brugt, i minutter og kr. Negativ ubrugt kapacitet "
    "betyder, at ressourcen er brugt ud over sin praktiske kapacitet.",
    "Used capacity = Σ volume × standard minutes (minutes) and × capacity cost rate (kr.). Unused "
    "capacity = practical capacity − used, in minutes and kr. Negative unused capacity means the "
    "resource was used beyond its practical capacity.",
)
DIRECT_COSTS = Definition(
    "uc_direct_costs",
    "Direkte henførte omkostninger",
    "Directly assigned costs",
    "Implantater og dyr medicin registreret på kontakten henføres direkte til kontakten og tages "
    "ud af afdelingens omkostninger, før resten fordeles på ressourcer; de fordeles aldrig efter "
    "en nøgle.",
    "Implants and expensive medicine recorded on a contact are assigned to that contact directly "
    "and taken out of the department's costs before the rest is loaded onto resources; they are "
    "never spread by a key.",
)
CONTACT_COST = Definition(
    "uc_contact_cost",
    "Omkostning pr. kontakt",
    "Cost per contact",
    "Kontaktens aktiviteter × enhedsomkostning + sengedage × enhedsomkostning pr. sengedag + "
    "direkte henførte omkostninger.",
    "The contact's activities × unit cost + bed-days × unit cost of a bed-day + directly assigned costs.",
)
UNMATCHED = Definition(
    "uc_unmatched",
    "Aktivitet uden kontakt",
    "Activity not matched to contacts",
    "Omkostningen ved aktivitet i aktivitetsopgørelsen (volume), som ikke er registreret på en "
    "patientkontakt (negativ, hvis kontakterne har mere aktivitet end opgørelsen). Den vises, den "
    "forsvinder ikke.",
    "The cost of activity counted in the volume table but not recorded on any patient contact "
    "(negative when the contacts record more activity than the table). It is shown, never dropped.",
)
DRG_INDEX = Definition(
    "uc_drg_index",
    "Omkostningsindeks mod takst",
    "Cost index against tariff",
    "Gennemsnitlig omkostning pr. kontakt i gruppen / gruppens takst for året. 1,00 = takst; "
    "over 1 koster gruppen mere end taksten. Samlet: Σ omkostninger / Σ takster.",
    "Mean cost per contact in the group / the group's tariff for the year. 1.00 = tariff; above 1 "
    "the group costs more than its tariff. Overall: Σ costs / Σ tariffs.",
)
SMALL_GROUP = Definition(
    "uc_small_group",
    "Små grupper",
    "Small groups",
    "Grupper med færre kontakter end parameteren unit_cost.small_group_contacts markeres; deres "
    "gennemsnit er usikkert. Fordelingen (boksplot) vises kun for grupper med mindst "
    "privacy.min_group_size kontakter.",
    "Groups with fewer contacts than the parameter unit_cost.small_group_contacts are marked; their "
    "mean is uncertain. The distribution (box plot) is shown only for groups with at least "
    "privacy.min_group_size contacts.",
)
RECONCILIATION = Definition(
    "uc_reconciliation",
    "Afstemning til regnskabet",
    "Reconciliation to the ledger",
    "For hele sygehuset: bogførte omkostninger = aktiviteter (brugt kapacitet) + direkte henført "
    "til kontakter + ubrugt kapacitet + eksterne steder, på øret, i hver metode. For en afdeling: "
    "egne omkostninger + modtaget fra mellemliggende steder = aktiviteter + direkte henført + "
    "ubrugt kapacitet + videregivet til andre steder.",
    "For the whole hospital: ledger total = activities (used capacity) + assigned directly to "
    "contacts + unused capacity + external centres, to the øre, in every method. For a department: "
    "own costs + received from intermediate centres = activities + directly assigned + unused "
    "capacity + passed on to other centres.",
)
SENSITIVITY = Definition(
    "uc_sensitivity",
    "Følsomhed",
    "Sensitivity",
    "Enhedsomkostningerne regnet igen med de andre fordelingsmetoder (og omvendt rækkefølge i den "
    "trinvise fordeling) og med andre praktiske kapacitetsandele for periodens ressourcer; "
    "ændringen i procent af den valgte beregning.",
    "Unit costs computed again with the other allocation methods (and the reversed step-down "
    "order) and with other practical-capacity shares for the period's resources; the change in per "
    "cent of the chosen computation.",
)


# --------------------------------------------------------------------------- allocation


def _fail(messages: Sequence[str]) -> DataValidationError:
    return DataValidationError(list(messages))


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
        stuck = _closed_loops(quantity, intermediate)
        if stuck:
            problems.append(
                "allocation_drivers: allocation cycle: "
                + ", ".join(ids[i] for i in stuck)
                + " pass costs only among themselves; no path leads to a final or external centre"
            )
    if problems:
        raise _fail(problems)
    return CostSystem(cat, own, quantity, driver)


def _closed_loops(quantity: np.ndarray, intermediate: np.ndarray) -> list[int]:
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
                raise _fail(
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
            i = system.position(c)
            is_open[i] = False
            w = q[i] * is_open
            if w.sum() <= 0:
                if pool[i] == 0:
                    continue
                raise _fail(
                    [
                        f"step-down method: cost centre {c} has no key quantity for any centre that is not "
                        f"yet closed (order: {', '.join(steps)}); change unit_cost.step_order"
                    ]
                )
            flows[i] = s[i] * pool[i] * w / w.sum()
            retained[i] = (1 - s[i]) * pool[i]
            pool += flows[i]
    else:
        totals = q.sum(axis=1)
        shares = np.divide(q, totals[:, None], out=np.zeros_like(q), where=totals[:, None] > 0)
        sub = shares[np.ix_(inter, inter)].T * s[inter][None, :]
        try:
            x = np.linalg.solve(np.eye(len(inter)) - sub, system.own[inter].astype("float64"))
        except np.linalg.LinAlgError:
            raise _fail(
                ["reciprocal method: the allocation system has no solution (an allocation cycle)"]
            ) from None
        if not np.all(np.isfinite(x)) or np.any(x < -0.5):
            raise _fail(
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


# --------------------------------------------------------------------------- time-driven ABC


@define(PRACTICAL_CAPACITY)
def resource_capacity(
    resources: pd.DataFrame,
    *,
    default_share: Mapping[str, float],
    override: float | None = None,
    override_units: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Cost weight and practical capacity per resource over the period's months.

    Parameters
    ----------
    resources
        Rows of the ``resources`` table for the period.
    default_share
        Practical share by resource kind (used where the row has none).
    override
        A practical share that replaces every other for the resources of ``override_units``
        (all when None): the sensitivity analysis and the interactive slider.

    Returns
    -------
    pandas.DataFrame
        One row per resource: ``resource_id``, ``unit_id``, ``cost_centre_id``, ``name``,
        ``kind``, ``cost`` (kr.), ``theoretical_minutes``, ``practical_minutes`` and the
        effective ``practical_share``.
    """
    r = resources.copy()
    share = r["practical_share"].astype("float64")
    share = share.fillna(r["kind"].map(dict(default_share)).astype("float64"))
    if override is not None:
        hit = (
            r["unit_id"].isin(override_units)
            if override_units is not None
            else pd.Series(True, index=r.index)
        )
        share = share.where(~hit, float(override))
    r["practical"] = r["theoretical_minutes"] * share
    last = r.sort_values("period", kind="stable").groupby("resource_id", sort=False).last()
    out = r.groupby("resource_id", sort=False).agg(
        cost=("cost", "sum"),
        theoretical_minutes=("theoretical_minutes", "sum"),
        practical_minutes=("practical", "sum"),
    )
    out = last[["unit_id", "cost_centre_id", "name", "kind"]].join(out).reset_index()
    out["practical_share"] = np.divide(
        out["practical_minutes"],
        out["theoretical_minutes"],
        out=np.full(len(out), np.nan),
        where=out["theoretical_minutes"].to_numpy() > 0,
    )
    return out


def resource_usage(volume: pd.DataFrame, standard_minutes: pd.DataFrame) -> pd.DataFrame:
    """Minutes used per resource and activity: volume × standard minutes.

    Returns one row per (``unit_id``, ``activity_id``, ``resource_id``) with the period's
    ``volume``, the standard ``minutes`` and ``used_minutes``. Activities with standard minutes
    but no volume use nothing.
    """
    vol = volume.groupby(["unit_id", "activity_id"], as_index=False)["actual"].sum()
    vol = vol.rename(columns={"actual": "volume"})
    use = standard_minutes.merge(vol, on=["unit_id", "activity_id"], how="left")
    use["volume"] = use["volume"].fillna(0.0)
    use["used_minutes"] = use["volume"] * use["minutes"]
    return use[["unit_id", "activity_id", "resource_id", "volume", "minutes", "used_minutes"]]


def pass_on_shares(capacity: pd.DataFrame, usage: pd.DataFrame, centres: pd.DataFrame) -> dict[str, float]:
    """Per intermediate centre with resources: the share of its pool it passes on.

    The pool is spread over the resources by their cost; each resource passes on used /
    practical minutes of its share. So the share = Σ cost weight × used / practical.
    """
    kinds = dict(zip(centres["cost_centre_id"], centres["kind"], strict=True))
    used = usage.groupby("resource_id")["used_minutes"].sum()
    cap = capacity[capacity["cost_centre_id"].map(kinds) == INTERMEDIATE].copy()
    if cap.empty:
        return {}
    cap["used"] = cap["resource_id"].map(used).fillna(0.0)
    bad = cap[(cap["practical_minutes"] <= 0) & (cap["used"] > 0)]
    if len(bad):
        raise _fail(
            [f"resources: {r} has activity but no practical capacity (0 minutes)" for r in bad["resource_id"]]
        )
    ratio = np.divide(
        cap["used"], cap["practical_minutes"], out=np.zeros(len(cap)), where=cap["practical_minutes"] > 0
    )
    cap["weighted"] = cap["cost"] * ratio
    g = cap.groupby("cost_centre_id")[["weighted", "cost"]].sum()
    return {str(c): float(row["weighted"] / row["cost"]) for c, row in g.iterrows() if row["cost"] > 0}


@dataclass(frozen=True)
class TimeDriven:
    """Time-driven ABC of the cost centres in scope (amounts int64 øre, unit costs in kr.).

    Attributes
    ----------
    resources
        Per resource: capacity ``capacity_cost``, ``practical_minutes``, ``used_minutes``,
        ``unused_minutes``, ``rate`` (kr. per minute), ``used_cost``, ``unused_cost``,
        ``utilisation`` (used / practical).
    activities
        Per (``unit_id``, ``activity_id``, ``centre_kind``): ``volume``, ``unit_cost`` (kr.),
        ``used_cost``.
    split
        Per (``unit_id``, ``activity_id``, ``resource_id``): ``minutes`` per unit, ``unit_cost``
        (kr.) and ``used_cost``.
    """

    resources: pd.DataFrame
    activities: pd.DataFrame
    split: pd.DataFrame


@define(OVERHEAD_LOADING, CAPACITY_RATE, UNIT_COST, USED_UNUSED)
def time_driven(
    capacity: pd.DataFrame,
    usage: pd.DataFrame,
    centre_cost: Mapping[str, int],
    unused_target: Mapping[str, int],
) -> TimeDriven:
    """Capacity cost rates, unit costs per activity and used/unused capacity.

    Parameters
    ----------
    capacity
        :func:`resource_capacity` rows of the centres to cost.
    usage
        :func:`resource_usage` rows.
    centre_cost
        Per centre: the cost to load onto its resources (øre): for a final centre its total less
        the directly assigned costs, for an intermediate one its pool.
    unused_target
        Per intermediate centre: the unused capacity it retained in the allocation (øre), so
        that the capacity view and the allocation agree to the øre.

    Raises
    ------
    DataValidationError
        For a centre with costs but resources without cost to load them by, or a resource with
        activity but no practical capacity.
    """
    cap = capacity[capacity["cost_centre_id"].isin(list(centre_cost))].reset_index(drop=True).copy()
    problems = []
    centre_codes, centre_index = pd.factorize(cap["cost_centre_id"])
    weights = cap.groupby("cost_centre_id", sort=False)["cost"].sum()
    for c, total in centre_cost.items():
        if total != 0 and (c not in weights.index or weights[c] <= 0):
            problems.append(
                f"resources: cost centre {c} has costs ({total / ORE_PER_KR:,.2f} kr.) but no resources with "
                "a cost to load them onto"
            )
    used = usage.groupby("resource_id")["used_minutes"].sum()
    cap["used_minutes"] = cap["resource_id"].map(used).fillna(0.0)
    no_capacity = cap[(cap["practical_minutes"] <= 0) & (cap["used_minutes"] > 0)]
    problems += [
        f"resources: {r} has activity but no practical capacity (0 minutes)"
        for r in no_capacity["resource_id"]
    ]
    if problems:
        raise _fail(problems)
    totals = np.array([int(centre_cost[c]) for c in centre_index], dtype=np.int64)
    w_sum = cap.groupby(centre_codes)["cost"].transform("sum").to_numpy()
    exact = totals[centre_codes] * np.divide(
        cap["cost"].to_numpy(), w_sum, out=np.zeros(len(cap)), where=w_sum > 0
    )
    cap["capacity_cost"] = round_to_total(exact, totals, centre_codes)
    capacity_cost = cap["capacity_cost"].to_numpy(dtype=np.int64)
    prac = cap["practical_minutes"].to_numpy()
    minutes = cap["used_minutes"].to_numpy()
    rate_ore = np.divide(capacity_cost, prac, out=np.zeros(len(cap)), where=prac > 0)
    unused_exact = capacity_cost - rate_ore * minutes
    # A resource no activity uses keeps its whole cost as unused capacity; the others share the
    # centre's unused total (the allocation's retained amount for a service centre).
    idle = minutes == 0
    targets = np.zeros(len(centre_index), dtype=np.int64)
    for k, c in enumerate(centre_index):
        in_c = centre_codes == k
        fixed = int(capacity_cost[in_c & idle].sum())
        total_unused = (
            int(unused_target[c]) if c in unused_target else fixed + round(unused_exact[in_c & ~idle].sum())
        )
        targets[k] = total_unused - fixed
    unused = capacity_cost.copy()
    busy = np.flatnonzero(~idle)
    unused[busy] = round_to_total(unused_exact[busy], targets, centre_codes[busy])
    cap["unused_cost"] = unused
    cap["used_cost"] = capacity_cost - unused
    cap["rate"] = rate_ore / ORE_PER_KR
    cap["unused_minutes"] = prac - minutes
    cap["utilisation"] = np.divide(minutes, prac, out=np.full(len(cap), np.nan), where=prac > 0)
    # Used cost per activity: each resource's used cost split by its minutes per activity.
    cols = ["resource_id", "cost_centre_id", "rate", "used_cost"] + (
        ["centre_kind"] if "centre_kind" in cap else []
    )
    sp = usage[usage["resource_id"].isin(cap["resource_id"]) & (usage["used_minutes"] > 0)].merge(
        cap[cols], on="resource_id"
    )
    if "centre_kind" not in sp:
        sp["centre_kind"] = FINAL
    res_codes, res_index = pd.factorize(sp["resource_id"])
    res_used = cap.set_index("resource_id").loc[res_index, "used_cost"].to_numpy(dtype=np.int64)
    sp["used_cost"] = round_to_total(sp["rate"] * ORE_PER_KR * sp["used_minutes"], res_used, res_codes)
    sp["unit_cost"] = sp["rate"] * sp["minutes"]
    acts = sp.groupby(["unit_id", "activity_id", "centre_kind"], as_index=False).agg(
        volume=("volume", "first"), unit_cost=("unit_cost", "sum"), used_cost=("used_cost", "sum")
    )
    split = sp[
        [
            "unit_id",
            "activity_id",
            "resource_id",
            "cost_centre_id",
            "centre_kind",
            "minutes",
            "unit_cost",
            "used_cost",
        ]
    ]
    return TimeDriven(cap, acts, split.reset_index(drop=True))


# --------------------------------------------------------------------------- patient level


@dataclass(frozen=True)
class ContactCosts:
    """Cost per patient contact (int64 øre) and the match of contacts to activity.

    Attributes
    ----------
    contacts
        Per contact (never reported as rows): ``unit_id``, ``period``, ``drg_group``,
        ``length_of_stay``, ``activity_cost``, ``direct_cost``, ``total``.
    components
        Per (``drg_group``, ``unit_id``, ``activity_id``): ``contacts``, ``quantity``,
        ``cost`` — plus ``activity_id`` ``__direct__`` for directly assigned costs.
    matched
        Per (``unit_id``, ``activity_id``): ``volume`` (volume table), ``contact_quantity``,
        ``used_cost``, ``matched_cost``, ``unmatched_cost``.
    """

    contacts: pd.DataFrame
    components: pd.DataFrame
    matched: pd.DataFrame


DIRECT = "__direct__"


def direct_costs(contacts: pd.DataFrame) -> np.ndarray:
    """Directly assigned costs (implants + expensive medicine) per contact, int64 øre."""
    return to_ore(contacts["implant_cost"].fillna(0.0)) + to_ore(contacts["medicine_cost"].fillna(0.0))


@define(DIRECT_COSTS, CONTACT_COST, UNMATCHED)
def contact_costs(
    contacts: pd.DataFrame,
    contact_activities: pd.DataFrame,
    activities: pd.DataFrame,
    *,
    bed_day_activity: str,
    intermediate_activities: pd.DataFrame | None = None,
) -> ContactCosts:
    """Cost every contact: its activities at unit cost, its bed-days, its direct costs.

    Parameters
    ----------
    contacts, contact_activities
        The contacts of the period and their activities.
    activities
        Per (``unit_id``, ``activity_id``) of final centres: ``volume`` and ``used_cost``
        (:class:`TimeDriven` ``activities``).
    bed_day_activity
        The activity a bed-day is (``length_of_stay`` counts it).
    intermediate_activities
        (``unit_id``, ``activity_id``) produced by intermediate centres: their cost is passed on
        by allocation key, so a contact may not record them.

    Notes
    -----
    For each unit and activity the cost of the contacts' quantity, Q × used cost / volume, is
    split over the contacts in proportion to quantity with the largest-remainder rule, so the
    contacts' costs add up exactly; the rest of the used cost is activity not matched to any
    contact.
    """
    ca = contact_activities
    if (ca["activity_id"] == bed_day_activity).any():
        n = int((ca["activity_id"] == bed_day_activity).sum())
        raise _fail(
            [
                f"contact_activities: {n} rows record the bed-day activity {bed_day_activity}; bed-days come "
                "from contacts.length_of_stay (remove those rows, or change unit_cost.bed_day_activity)"
            ]
        )
    if intermediate_activities is not None and len(intermediate_activities) and len(ca):
        key = pd.MultiIndex.from_frame(intermediate_activities[["unit_id", "activity_id"]])
        bad = pd.MultiIndex.from_frame(ca[["unit_id", "activity_id"]]).isin(key)
        if bad.any():
            pairs = sorted(
                {f"{u}/{a}" for u, a in ca.loc[bad, ["unit_id", "activity_id"]].itertuples(index=False)}
            )
            raise _fail(
                [
                    "contact_activities: activities produced by an intermediate cost centre are passed on by "
                    f"allocation key and cannot also be costed on contacts: {', '.join(pairs)}"
                ]
            )
    row = _lookup(ca["contact_id"], contacts["contact_id"])
    if (row < 0).any():
        raise _fail([f"contact_activities: {(row < 0).sum()} rows name a contact that is not in contacts"])
    # Work on integer codes: unit × activity pairs number a few hundred, contacts millions.
    units = pd.Index(
        pd.unique(
            np.concatenate(
                [_distinct(contacts["unit_id"]), _distinct(ca["unit_id"]), _distinct(activities["unit_id"])]
            )
        )
    )
    acts = pd.Index(
        pd.unique(
            np.concatenate(
                [[bed_day_activity], _distinct(ca["activity_id"]), _distinct(activities["activity_id"])]
            )
        )
    )
    n_pairs = len(units) * len(acts)
    contact_unit = _codes(contacts["unit_id"], units)
    los = contacts["length_of_stay"].fillna(0).to_numpy(dtype="float64")
    stay = np.flatnonzero(los > 0)
    r_row = np.concatenate([row, stay])
    r_pair = np.concatenate(
        [
            _codes(ca["unit_id"], units) * len(acts) + _codes(ca["activity_id"], acts),
            contact_unit[stay] * len(acts) + acts.get_loc(bed_day_activity),
        ]
    )
    r_qty = np.concatenate([ca["quantity"].to_numpy(dtype="float64"), los[stay]])
    price_pair = _codes(activities["unit_id"], units) * len(acts) + _codes(activities["activity_id"], acts)
    volume = np.zeros(n_pairs)
    used = np.zeros(n_pairs)
    np.add.at(volume, price_pair, activities["volume"].to_numpy(dtype="float64"))
    np.add.at(used, price_pair, activities["used_cost"].to_numpy(dtype="float64"))
    per_unit = np.divide(used, volume, out=np.zeros(n_pairs), where=volume > 0)
    quantity = np.bincount(r_pair, weights=r_qty, minlength=n_pairs)
    targets = np.rint(quantity * per_unit).astype(np.int64)
    amounts = round_to_total(r_qty * per_unit[r_pair], targets, r_pair)
    n = len(contacts)
    activity_cost = np.bincount(r_row, weights=amounts, minlength=n).astype(np.int64)
    direct = direct_costs(contacts)
    out = contacts[["unit_id", "period", "drg_group"]].reset_index(drop=True)
    out["length_of_stay"] = los
    out["activity_cost"] = activity_cost
    out["direct_cost"] = direct
    out["total"] = activity_cost + direct
    # Components per group: what the group's contacts cost by unit and activity, and directly.
    group_codes, group_names = pd.factorize(contacts["drg_group"])
    key = group_codes[r_row].astype(np.int64) * n_pairs + r_pair
    size = len(group_names) * n_pairs
    comp_cost = np.bincount(key, weights=amounts, minlength=size)
    comp_qty = np.bincount(key, weights=r_qty, minlength=size)
    hit = np.flatnonzero(comp_qty > 0)
    pair_of = hit % n_pairs
    components = pd.DataFrame(
        {
            "drg_group": np.asarray(group_names, dtype=object)[hit // n_pairs],
            "unit_id": np.asarray(units, dtype=object)[pair_of // len(acts)],
            "activity_id": np.asarray(acts, dtype=object)[pair_of % len(acts)],
            "quantity": comp_qty[hit],
            "cost": comp_cost[hit].astype(np.int64),
        }
    )
    dkey = group_codes.astype(np.int64) * len(units) + contact_unit
    dsum = np.bincount(dkey, weights=direct, minlength=len(group_names) * len(units))
    dhit = np.flatnonzero(dsum != 0)
    direct_comp = pd.DataFrame(
        {
            "drg_group": np.asarray(group_names, dtype=object)[dhit // len(units)],
            "unit_id": np.asarray(units, dtype=object)[dhit % len(units)],
            "activity_id": DIRECT,
            "quantity": 0.0,
            "cost": dsum[dhit].astype(np.int64),
        }
    )
    components = pd.concat([components, direct_comp], ignore_index=True)
    present = np.flatnonzero((volume > 0) | (quantity > 0))
    matched = pd.DataFrame(
        {
            "unit_id": np.asarray(units, dtype=object)[present // len(acts)],
            "activity_id": np.asarray(acts, dtype=object)[present % len(acts)],
            "volume": volume[present],
            "contact_quantity": quantity[present],
            "used_cost": used[present].astype(np.int64),
            "matched_cost": targets[present],
        }
    )
    matched["unmatched_cost"] = matched["used_cost"] - matched["matched_cost"]
    return ContactCosts(out, components, matched.reset_index(drop=True))


def _distinct(values: pd.Series) -> np.ndarray:
    """The distinct values of a column as an object array (cheap for categoricals and Arrow strings)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return np.asarray(values.cat.categories, dtype=object)
    return np.asarray(pd.unique(values), dtype=object)


def _codes(values: pd.Series, categories: pd.Index) -> np.ndarray:
    """Position of each value in ``categories`` (all present), as int64."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        lookup = categories.get_indexer(values.cat.categories)
        return lookup[values.cat.codes.to_numpy()].astype(np.int64)
    return _lookup(values, pd.Series(np.asarray(categories, dtype=object)))


def _lookup(values: pd.Series, keys: pd.Series) -> np.ndarray:
    """Position of each value in ``keys`` (−1 where absent), hashed in Arrow: no Python objects.

    Millions of text keys (contact ids) are joined in about a second this way; ``keys`` must be
    unique (the schema checks that).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(x: pd.Series) -> pa.Array:
        if isinstance(x.dtype, pd.CategoricalDtype):
            x = x.astype(str)
        a = pa.array(x, from_pandas=True)
        return (
            a.cast(pa.string())
            if not pa.types.is_string(a.type) and not pa.types.is_large_string(a.type)
            else a
        )

    v, k = arrow(values), arrow(keys)
    if v.type != k.type:
        v, k = v.cast(pa.large_string()), k.cast(pa.large_string())
    found = pc.index_in(v, value_set=k)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)


DRG_COLUMNS = ("drg_group", "name", "kind", "n", "total", "mean", "median", "q1", "q3", "p05", "p95", "tariff",
               "index", "gap", "small")  # fmt: skip


@define(DRG_INDEX, SMALL_GROUP)
def drg_summary(
    costs: pd.DataFrame,
    groups: pd.DataFrame,
    *,
    small_group: int,
    min_distribution: int,
) -> pd.DataFrame:
    """Cost per DRG/DAGS group against the tariff.

    Parameters
    ----------
    costs
        :class:`ContactCosts` ``contacts``.
    groups
        The ``drg_groups`` rows of the year (one per group).
    small_group
        Groups with fewer contacts are flagged ``small``.
    min_distribution
        Quartiles and percentiles are given only for groups with at least this many contacts.

    Returns
    -------
    pandas.DataFrame
        Per group: ``drg_group``, ``name``, ``kind``, ``n``, ``total`` (øre), ``mean``,
        ``median``, ``q1``, ``q3``, ``p05``, ``p95`` (kr.), ``tariff`` (kr.), ``index``,
        ``gap`` (Σ cost − Σ tariff, kr.) and ``small``; largest total first.
    """
    if costs.empty:
        return pd.DataFrame(columns=list(DRG_COLUMNS))
    kr = costs["total"].to_numpy(dtype="float64") / ORE_PER_KR
    frame = pd.DataFrame({"drg_group": costs["drg_group"].reset_index(drop=True), "kr": kr})
    g = frame.groupby("drg_group")["kr"]
    out = pd.DataFrame(
        {"n": g.size(), "total": costs.groupby("drg_group")["total"].sum().astype(np.int64), "mean": g.mean()}
    )
    q = g.quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    q.columns = ["p05", "q1", "median", "q3", "p95"]
    out = out.join(q)
    hide = out["n"] < min_distribution
    out.loc[hide, ["p05", "q1", "median", "q3", "p95"]] = np.nan
    out = out.reset_index().merge(groups[["drg_group", "name", "kind", "tariff"]], on="drg_group", how="left")
    out["index"] = out["mean"] / out["tariff"]
    out["gap"] = out["total"] / ORE_PER_KR - out["n"] * out["tariff"]
    out["small"] = out["n"] < small_group
    return (
        out[list(DRG_COLUMNS)]
        .sort_values(["total", "drg_group"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)
    )


def overall_index(summary: pd.DataFrame) -> float:
    """Σ cost / Σ tariff over all contacts with a tariff (NaN without contacts)."""
    s = summary.dropna(subset=["tariff"])
    tariffs = float((s["n"] * s["tariff"]).sum())
    return float(s["total"].sum() / ORE_PER_KR / tariffs) if tariffs > 0 else float("nan")


# --------------------------------------------------------------------------- inputs and orchestration


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
    from toolkit.data.hierarchy import ancestors

    chain = [*ancestors(units, unit_id), unit_id]  # top first
    level = dict(zip(units["unit_id"], units["level"], strict=True))
    hospitals = [u for u in chain if level.get(u) == "hospital"]
    if not hospitals:
        raise ParameterError(f"unit {unit_id!r} has no hospital above it in the units table")
    return hospitals[0]


def units_below(units: pd.DataFrame, unit_id: str) -> list[str]:
    """``unit_id`` and every unit below it, at any level."""
    from toolkit.data.hierarchy import descendants
    from toolkit.data.schemas.core import UNIT_LEVELS

    return sorted({unit_id, *(u for lvl in UNIT_LEVELS for u in descendants(units, unit_id, lvl))})


def load(source: object, unit_id: str, period: str) -> CostingInput:
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
    from toolkit.data.sources import DataSource

    assert isinstance(source, DataSource)
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
    from toolkit.data.schemas import get_table

    return pd.DataFrame({c: pd.Series(dtype=object) for c in get_table(table).to_schema().columns})


def _check_dependencies(
    source: object, units: pd.DataFrame, centres: pd.DataFrame, scope: Sequence[str], hospital: Sequence[str]
) -> None:
    """Refuse to cost with a hospital whose service units' data were left out for errors."""
    from toolkit.data.sources import DataSource

    assert isinstance(source, DataSource)
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


@dataclass(frozen=True)
class Costing:
    """One costing variant: the allocation and the time-driven ABC of the scope."""

    method: str
    allocation: Allocation
    time_driven: TimeDriven
    direct: dict[str, int]  # directly assigned costs per final centre in scope (øre)
    capacity: pd.DataFrame
    usage: pd.DataFrame


def centre_direct_costs(inp: CostingInput, allocation: Allocation) -> dict[str, int]:
    """Directly assigned contact costs per final centre of the scope (øre).

    A unit's contacts' direct costs come out of its final centres in proportion to their cost.
    """
    if inp.contacts.empty:
        return {}
    per_unit = (
        pd.Series(direct_costs(inp.contacts), index=inp.contacts.index).groupby(inp.contacts["unit_id"]).sum()
    )
    table = allocation.centres
    out: dict[str, int] = {}
    problems = []
    for unit, amount in per_unit.items():
        if amount == 0:
            continue
        finals = table[(table["unit_id"] == unit) & (table["kind"] == FINAL)]
        if finals.empty or finals["total"].sum() <= 0:
            problems.append(
                f"contacts: unit {unit} has directly assigned costs but no final cost centre with costs"
            )
            continue
        parts = split_total(int(amount), finals["total"].to_numpy(dtype="float64"))
        for c, part, total in zip(finals["cost_centre_id"], parts, finals["total"], strict=True):
            if part > total:
                problems.append(
                    f"contacts: the directly assigned costs of unit {unit} ({amount / ORE_PER_KR:,.2f} kr.) exceed "
                    f"the costs of its cost centre {c}"
                )
            out[str(c)] = int(part)
    if problems:
        raise _fail(problems)
    return out


def evaluate(
    inp: CostingInput,
    settings: Settings,
    *,
    method: str | None = None,
    order: Sequence[str] | None = None,
    share: float | None = None,
) -> Costing:
    """Allocate and cost the scope's activities under one method and practical share.

    ``share`` (sensitivity, slider) replaces the practical share of the scope's resources.
    """
    method = method or settings.method
    order = tuple(settings.step_order) if order is None else tuple(order)
    capacity = resource_capacity(
        inp.resources,
        default_share=settings.practical_share,
        override=share,
        override_units=list(inp.scope_units) if share is not None else None,
    )
    kinds = dict(zip(inp.centres["cost_centre_id"], inp.centres["kind"], strict=True))
    capacity["centre_kind"] = capacity["cost_centre_id"].map(kinds)
    usage = resource_usage(inp.volume, inp.standard_minutes)
    system = build_cost_system(inp.centres, inp.ledger, inp.drivers)
    shares = pass_on_shares(capacity, usage, inp.centres)
    allocation = allocate(system, method, order=order, pass_on=shares)
    direct = centre_direct_costs(inp, allocation)
    table = allocation.centres.set_index("cost_centre_id")
    scope = set(inp.scope_centres)
    with_resources = set(capacity["cost_centre_id"])
    centre_cost: dict[str, int] = {}
    unused_target: dict[str, int] = {}
    for c, row in table.iterrows():
        if row["kind"] == EXTERNAL:
            continue
        if row["kind"] == INTERMEDIATE:
            if c in with_resources and c in scope:
                centre_cost[str(c)] = int(row["total"])
                unused_target[str(c)] = int(row["retained"])
            continue
        if c in scope:
            rest = int(row["total"]) - direct.get(str(c), 0)
            if c not in with_resources and rest != 0:
                raise _fail(
                    [
                        f"resources: final cost centre {c} has costs ({rest / ORE_PER_KR:,.2f} kr.) but no resources, "
                        "so they cannot reach activities; add its resources or make it an external centre"
                    ]
                )
            if c in with_resources:
                centre_cost[str(c)] = rest
    td = time_driven(capacity, usage, centre_cost, unused_target)
    return Costing(method, allocation, td, direct, capacity, usage)


@define(RECONCILIATION)
def reconcile(inp: CostingInput, costing: Costing, contacts: ContactCosts | None = None) -> pd.DataFrame:
    """The reconciliation of the report's scope to the ledger (øre); ``difference`` must be 0.

    Lines (``line``, ``amount``): ``own`` (ledger costs of the scope's centres), ``received``
    (from intermediate centres), ``total`` (own + received), ``passed_on`` (to other centres),
    ``external``, ``unused`` (capacity), ``direct`` (assigned to contacts), ``activities``
    (used capacity of final centres; of which ``matched`` to contacts and ``unmatched``) and
    ``difference`` = total − passed on − external − unused − direct − activities. For the whole
    hospital: ``ledger`` (all lines), ``hospital_allocated`` (final and external centres' costs
    + capacity retained by intermediate centres) and ``hospital_difference``.
    """
    alloc = costing.allocation.centres
    scope = alloc[alloc["cost_centre_id"].isin(inp.scope_centres)]
    td = costing.time_driven
    in_scope_res = td.resources["cost_centre_id"].isin(inp.scope_centres)
    own = int(scope["own"].sum())
    received = int(scope["received"].sum())
    passed = int(scope["passed_on"].sum())
    external = int(scope.loc[scope["kind"] == EXTERNAL, "total"].sum())
    unused_res = int(td.resources.loc[in_scope_res, "unused_cost"].sum())
    intermediate_retained = scope[(scope["kind"] == INTERMEDIATE)]
    no_res = ~intermediate_retained["cost_centre_id"].isin(td.resources["cost_centre_id"])
    unused = unused_res + int(intermediate_retained.loc[no_res, "retained"].sum())
    direct = sum(v for c, v in costing.direct.items() if c in set(inp.scope_centres))
    final_res = in_scope_res & (td.resources["centre_kind"] == FINAL)
    activities = int(td.resources.loc[final_res, "used_cost"].sum())
    matched = unmatched = 0
    if contacts is not None:
        finals = set(td.resources.loc[final_res, "resource_id"])
        fin_pairs = td.split[td.split["resource_id"].isin(finals)][
            ["unit_id", "activity_id"]
        ].drop_duplicates()
        m = contacts.matched.merge(fin_pairs, on=["unit_id", "activity_id"])
        matched = int(m["matched_cost"].sum())
        unmatched = activities - matched
    total = own + received
    ledger_total = int(to_ore(inp.ledger["amount"]).sum())
    hosp = costing.allocation.centres
    allocated = int(hosp.loc[hosp["kind"] != INTERMEDIATE, "total"].sum() + hosp["retained"].sum())
    lines = {
        "own": own,
        "received": received,
        "total": total,
        "passed_on": passed,
        "external": external,
        "unused": unused,
        "direct": direct,
        "activities": activities,
        "matched": matched,
        "unmatched": unmatched,
        "difference": total - passed - external - unused - direct - activities,
        "ledger": ledger_total,
        "hospital_allocated": allocated,
        "hospital_difference": ledger_total - allocated,
    }
    return pd.DataFrame({"line": list(lines), "amount": np.array(list(lines.values()), dtype=np.int64)})


def variants(settings: Settings, system_order: Sequence[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """The allocation variants of the sensitivity analysis: (key, method, step order)."""
    chosen = tuple(system_order)
    out = [("direct", "direct", ()), ("step_down", "step_down", chosen)]
    if len(chosen) > 1:
        out.append(("step_down_reversed", "step_down", tuple(reversed(chosen))))
    out.append(("reciprocal", "reciprocal", ()))
    return out


@define(SENSITIVITY)
def sensitivity(
    inp: CostingInput,
    settings: Settings,
    base: Costing,
    *,
    shares: Sequence[float],
    known: Mapping[str, Costing] | None = None,
) -> pd.DataFrame:
    """Unit costs of the scope's activities under other methods and practical shares.

    Returns
    -------
    pandas.DataFrame
        One row per (``variant``, ``unit_id``, ``activity_id``): ``kind`` (``method`` or
        ``share``), ``label`` value (method key or share), ``unit_cost`` (kr.), ``unused_cost``
        of the scope (øre) and ``change_pct`` against the base costing. Costings already made
        (``known``: method → costing with the settings' order) are reused.
    """
    order = (
        base.allocation.order
        if base.method == "step_down"
        else tuple(
            step_down_order(build_cost_system(inp.centres, inp.ledger, inp.drivers), settings.step_order)
        )
    )
    rows = []
    base_costs = _scope_unit_costs(inp, base)
    known = dict(known or {})
    known.setdefault(base.method, base)
    for key, method, o in variants(settings, order):
        same_order = method != "step_down" or tuple(o) == known.get("step_down", base).allocation.order
        c = (
            known[method]
            if (method in known and same_order)
            else evaluate(inp, settings, method=method, order=o)
        )
        rows.append(_scope_unit_costs(inp, c).assign(kind="method", variant=key))
    for s in shares:
        c = evaluate(inp, settings, share=float(s))
        rows.append(_scope_unit_costs(inp, c).assign(kind="share", variant=f"{float(s):.2f}"))
    out = pd.concat(rows, ignore_index=True)
    ref = base_costs.set_index(["unit_id", "activity_id"])["unit_cost"]
    key = pd.MultiIndex.from_frame(out[["unit_id", "activity_id"]])
    out["base_unit_cost"] = ref.reindex(key).to_numpy()
    out["change_pct"] = (out["unit_cost"] / out["base_unit_cost"] - 1) * 100
    return out


def _scope_unit_costs(inp: CostingInput, costing: Costing) -> pd.DataFrame:
    td = costing.time_driven
    in_scope = td.resources.loc[td.resources["cost_centre_id"].isin(inp.scope_centres), ["resource_id"]]
    sp = td.split.merge(in_scope, on="resource_id")
    acts = sp.groupby(["unit_id", "activity_id"], as_index=False).agg(unit_cost=("unit_cost", "sum"))
    unused = int(
        td.resources.loc[td.resources["cost_centre_id"].isin(inp.scope_centres), "unused_cost"].sum()
    )
    return acts.assign(unused_cost=unused)


__all__ = [
    "METHODS",
    "Allocation",
    "ContactCosts",
    "CostSystem",
    "Costing",
    "CostingInput",
    "Settings",
    "TimeDriven",
    "allocate",
    "build_cost_system",
    "contact_costs",
    "drg_summary",
    "evaluate",
    "load",
    "reconcile",
    "resource_capacity",
    "resource_usage",
    "round_to_total",
    "sensitivity",
    "step_down_order",
    "time_driven",
    "to_ore",
]
