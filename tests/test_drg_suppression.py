"""A hidden unit cost must not come back through the cost per DRG group (hand-made numbers).

A group's cost is Σ quantity × unit cost over its contacts' activities plus its direct costs.
The attacker below knows what each group's contacts had (the quantities, the direct costs) and
every shown unit cost; each shown group's cost is then one linear equation in the hidden unit
costs, and a hidden unit cost is found when the equations fix it (rank test, solved by least
squares). Under the old rule (every group's cost shown) it finds them; under
:func:`~toolkit.measures.split_suppression.shown_drg` it finds nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.measures.costing.contacts import overall_index
from toolkit.measures.split_suppression import (
    DRG_COST_COLUMNS,
    DRG_SPREAD_COLUMNS,
    determined_columns,
    hidden_drg_groups,
    shown_drg,
)

#: Unit costs (kr.) of unit U's activities; TLF and KON are hidden (a staff group under 5).
UNIT_COST = {"AMB": 1_800.0, "TLF": 21.0, "KON": 400.0}
HIDDEN = {("U", "TLF"), ("U", "KON")}

#: Per group: (activity, quantity) of its contacts, and its direct costs (kr.).
GROUPS = {
    "BG50A": ([("AMB", 50.0)], 300.0),  # no hidden activity
    "BG50T": ([("TLF", 20.0)], 0.0),  # telephone only: cost / 20 is TLF's unit cost
    "BG50B": ([("AMB", 10.0), ("TLF", 5.0)], 0.0),  # one hidden activity beside a shown one
    "MIX1": ([("TLF", 3.0), ("KON", 1.0)], 0.0),  # two hidden activities ...
    "MIX2": ([("TLF", 1.0), ("KON", 2.0)], 50.0),  # ... in another proportion: both follow
}


def components() -> pd.DataFrame:
    rows = [
        {
            "drg_group": g,
            "unit_id": "U",
            "activity_id": a,
            "quantity": q,
            "cost": round(q * UNIT_COST[a] * 100),
        }
        for g, (acts, _) in GROUPS.items()
        for a, q in acts
    ]
    return pd.DataFrame(rows)


def summary() -> pd.DataFrame:
    """A drg_summary-like table: one row per group, n contacts, total in øre, mean and spread in kr."""
    rows = []
    for g, (acts, direct) in GROUPS.items():
        total = sum(q * UNIT_COST[a] for a, q in acts) + direct
        n = 5
        rows.append(
            {"drg_group": g, "name": g, "kind": "DRG", "n": n, "total": round(total * 100), "mean": total / n}
            | {k: total / n for k in DRG_SPREAD_COLUMNS}
            | {"tariff": 1_000.0, "index": total / n / 1_000.0, "gap": total - n * 1_000.0, "small": False}
        )
    return pd.DataFrame(rows)


def attack(drg: pd.DataFrame, comp: pd.DataFrame) -> dict[str, float]:
    """The hidden unit costs the shown group costs fix, with their values (kr.).

    Σ_hidden q × u = mean × n − Σ_shown q × u − direct, one equation per group whose mean is
    shown; unknown j is fixed when adding the unit vector e_j to the equations leaves the rank
    unchanged (e_j lies in their row space).
    """
    hidden = sorted(a for _, a in HIDDEN)
    rows, rhs = [], []
    for g, mean, n in zip(drg["drg_group"], drg["mean"], drg["n"], strict=True):
        if pd.isna(mean):
            continue
        acts, direct = GROUPS[g]
        known = sum(q * UNIT_COST[a] for a, q in acts if a not in hidden) + direct
        row = [sum(q for a, q in acts if a == h) for h in hidden]
        if any(row):
            rows.append(row)
            rhs.append(mean * n - known)
    if not rows:
        return {}
    a, b = np.array(rows), np.array(rhs)
    x = np.linalg.lstsq(a, b, rcond=None)[0]
    rank = np.linalg.matrix_rank(a)
    found = {}
    for j, h in enumerate(hidden):
        e = np.zeros((1, len(hidden)))
        e[0, j] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            found[h] = float(x[j])
    return found


def test_the_attacker_finds_the_hidden_unit_costs_under_the_old_rule() -> None:
    found = attack(summary(), components())  # the old rule: every group's cost is shown
    assert found == {"TLF": pytest.approx(21.0), "KON": pytest.approx(400.0)}


def test_the_attacker_finds_nothing_under_the_new_rule() -> None:
    comp = components()
    out = shown_drg(summary(), comp, HIDDEN).set_index("drg_group")
    assert attack(out.reset_index(), comp) == {}
    # The telephone group and the one with TLF beside AMB must go; of MIX1 and MIX2 one (either
    # alone fixes nothing: one equation in two unknowns); BG50A has no hidden activity.
    hidden = set(out.index[out["cost_hidden"]])
    assert {"BG50T", "BG50B"} <= hidden and "BG50A" not in hidden
    assert len(hidden & {"MIX1", "MIX2"}) == 1
    for g in hidden:
        assert out.loc[g, list(DRG_COST_COLUMNS)].isna().all(), g
        assert out.loc[g, "n"] == 5 and out.loc[g, "tariff"] == 1_000.0 and bool(out.loc[g, "suppressed"])
    # A shown group with a hidden activity keeps its mean but not its spread (one contact's cost).
    (mix,) = {"MIX1", "MIX2"} - hidden
    assert out.loc[mix, "mean"] > 0 and out.loc[mix, list(DRG_SPREAD_COLUMNS)].isna().all()
    assert bool(out.loc[mix, "suppressed"]) and not out.loc[mix, "cost_hidden"]
    assert not out.loc["BG50A", "suppressed"] and out.loc["BG50A", "median"] == out.loc["BG50A", "mean"]


def test_a_hidden_group_is_left_out_of_the_overall_index() -> None:
    out = shown_drg(summary(), components(), HIDDEN)
    shown = out[~out["cost_hidden"]]
    expected = shown["total"].sum() / 100 / (shown["n"] * shown["tariff"]).sum()
    assert overall_index(out) == pytest.approx(expected)
    # Over every group, the index × Σ tariffs − the shown totals would be the hidden groups' cost.
    assert overall_index(out) != pytest.approx(overall_index(summary()))


def test_nothing_is_hidden_without_a_hidden_unit_cost_used_on_a_contact() -> None:
    comp = components()
    assert hidden_drg_groups(comp, set()) == frozenset()
    assert hidden_drg_groups(comp, {("U", "SENG")}) == frozenset()  # no contact had it
    assert hidden_drg_groups(comp, {("OTHER", "TLF")}) == frozenset()  # another unit's
    out = shown_drg(summary(), comp, set())
    assert not out["suppressed"].any() and out["total"].notna().all()


def test_determined_columns() -> None:
    assert determined_columns(np.array([[20.0, 0.0]])).tolist() == [True, False]
    assert determined_columns(np.array([[3.0, 1.0]])).tolist() == [False, False]
    assert determined_columns(np.array([[3.0, 1.0], [1.0, 2.0]])).tolist() == [True, True]
    assert determined_columns(np.array([[3.0, 1.0], [6.0, 2.0]])).tolist() == [False, False]  # one proportion
    assert determined_columns(np.array([[21_997.0, 1.0], [1.0, 0.0]])).tolist() == [True, True]
    assert determined_columns(np.zeros((0, 2))).tolist() == [False, False]
