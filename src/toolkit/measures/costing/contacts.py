"""Patient level: the cost of every contact, and cost per DRG/DAGS group against the tariff.

Everything per contact is vectorised (numpy and Arrow): contacts number in the millions, unit ×
activity pairs in the hundreds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.core.definitions import Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.measures.costing.money import ORE_PER_KR, round_to_total, to_ore

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
        raise DataValidationError(
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
            raise DataValidationError(
                [
                    "contact_activities: activities produced by an intermediate cost centre are passed on by "
                    f"allocation key and cannot also be costed on contacts: {', '.join(pairs)}"
                ]
            )
    row = _lookup(ca["contact_id"], contacts["contact_id"])
    if (row < 0).any():
        raise DataValidationError(
            [f"contact_activities: {(row < 0).sum()} rows name a contact that is not in contacts"]
        )
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
    """Σ cost / Σ tariff over all contacts with a tariff (NaN without contacts).

    A group whose cost is hidden (``total`` missing, see
    :func:`~toolkit.measures.split_suppression.shown_drg`) is left out of both sums: over every
    group the index would give the hidden groups' cost back.
    """
    s = summary.dropna(subset=["tariff", "total"])
    tariffs = float((s["n"] * s["tariff"]).sum())
    return float(s["total"].sum() / ORE_PER_KR / tariffs) if tariffs > 0 else float("nan")
