"""Primary and complementary suppression on hand-made tables (toolkit.measures.suppression)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.measures.common import TOTAL
from toolkit.measures.hr import suppress_small_groups
from toolkit.measures.split_suppression import SplitPattern, mask_where, split_pattern
from toolkit.measures.suppression import (
    Constraint,
    complementary,
    derivable,
    group_pattern,
    hidden_groups,
    hierarchy_constraints,
    hr_counts,
    hr_pattern,
    mask_rows,
    primary_cells,
    staff_cost_pattern,
    suppress_rows,
    table_constraints,
    tree_counts,
    tree_pattern,
)


def table(**groups: float) -> dict[tuple[str, str], float]:
    """One unit's counts with their total (the sum)."""
    cells = {("", g): float(v) for g, v in groups.items()}
    cells[("", TOTAL)] = sum(groups.values())
    return cells


def hidden_names(cells: set[tuple[str, str]]) -> set[str]:
    return {g for _, g in cells}


def protect(counts: dict[tuple[str, str], float], n: int = 5) -> set[str]:
    cons = table_constraints([g for _, g in counts])
    return hidden_names(complementary(counts, cons, primary_cells(counts, n)))


# ----------------------------------------------------------------- primary cells


def test_primary_cells_are_one_to_four_persons_never_zero_or_five() -> None:
    counts = {("", "a"): 0.0, ("", "b"): 1.0, ("", "c"): 4.0, ("", "d"): 5.0, ("", "e"): np.nan}
    assert primary_cells(counts, 5) == {("", "b"), ("", "c")}
    assert primary_cells(counts, 6) == {("", "b"), ("", "c"), ("", "d")}


def test_a_limit_under_five_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        primary_cells({}, 4)


# ----------------------------------------------------------------- the attacker


def test_total_minus_shown_gives_a_lone_hidden_cell_away() -> None:
    # The shift report's case: Lægesekretærer 4 hidden, the rest and the total shown.
    counts = table(Laeger=9, Sekretaerer=4, SOSU=6, Sygepl=19, Terapeuter=5)
    cons = table_constraints([g for _, g in counts])
    assert derivable(counts, cons, {("", "Sekretaerer")}) == {("", "Sekretaerer")}
    assert derivable(counts, cons, {("", "Sekretaerer"), ("", "Terapeuter")}) == set()


def test_a_hidden_cell_in_no_sum_is_not_derivable() -> None:
    counts = {("", "a"): 3.0, ("", "b"): 7.0}
    assert derivable(counts, [], {("", "a")}) == set()


def test_two_sums_can_give_away_what_one_does_not() -> None:
    # s = a + b and t = a + c: with a and b hidden, t - c gives a and then s - a gives b.
    cells = {("", k): 1.0 for k in ("a", "b", "c", "s", "t")}
    cons = [Constraint(("", "s"), (("", "a"), ("", "b"))), Constraint(("", "t"), (("", "a"), ("", "c")))]
    assert derivable(cells, cons, {("", "a"), ("", "b")}) == {("", "a"), ("", "b")}
    assert derivable(cells, cons, {("", "a"), ("", "b"), ("", "c")}) == set()


# ----------------------------------------------------------------- the defender


def test_the_next_smallest_group_is_hidden_with_a_lone_small_group() -> None:
    counts = table(Laeger=9, Sekretaerer=4, SOSU=6, Sygepl=19, Terapeuter=5)
    assert protect(counts) == {"Sekretaerer", "Terapeuter"}


def test_two_small_groups_protect_each_other() -> None:
    counts = table(a=3, b=4, c=10)
    assert protect(counts) == {"a", "b"}


def test_groups_of_exactly_five_are_shown() -> None:
    assert protect(table(a=5, b=5, c=12)) == set()


def test_a_zero_group_is_never_the_complement() -> None:
    # Hiding the empty group would protect nothing (a sum of 4 with a zero beside it is 4).
    counts = table(a=4, empty=0, b=7, c=9)
    assert protect(counts) == {"a", "b"}


def test_the_only_group_of_a_table_hides_its_total_too() -> None:
    counts = table(a=3)
    assert protect(counts) == {"a", TOTAL}


def test_a_total_under_the_limit_hides_every_group() -> None:
    counts = table(a=2, b=2)
    assert protect(counts) == {"a", "b", TOTAL}


def test_a_small_group_beside_one_large_group_hides_the_large_one() -> None:
    # a = 3, b = 10, total 13: the smallest shown cell in the sum is b (10 < 13).
    assert protect(table(a=3, b=10)) == {"a", "b"}


def test_the_pattern_of_a_unit_tree_survives_rows_and_columns() -> None:
    # Two departments under a centre; d1 has 4 persons in group A.
    units = pd.DataFrame(
        {
            "unit_id": ["C", "d1", "d2"],
            "level": ["centre", "department", "department"],
            "parent_id": ["", "C", "C"],
        }
    )
    counts = pd.DataFrame(
        {"unit_id": ["d1", "d1", "d2", "d2"], "staff_group": ["A", "B", "A", "B"], "persons": [4, 10, 6, 8]}
    )
    values = tree_counts(counts, units)
    assert values[("C", "A")] == 10 and values[("C", TOTAL)] == 28 and values[("d1", TOTAL)] == 14
    pattern = group_pattern(counts, units, 5)
    hidden = set(
        zip(
            pattern.loc[pattern["hidden"], "unit_id"],
            pattern.loc[pattern["hidden"], "staff_group"],
            strict=True,
        )
    )
    # d1's A goes with the smallest department cell beside it (d2's A, 6), then d1's B and
    # d2's B: every department cell is hidden, the centre and every total stay shown, and
    # nothing hidden follows from them (four unknowns, three independent sums).
    assert hidden == {("d1", "A"), ("d1", "B"), ("d2", "A"), ("d2", "B")}
    assert derivable(values, hierarchy_constraints(units, ["A", "B"]), hidden) == set()
    assert hidden_groups(pattern, "d2") == {"A", "B"} and hidden_groups(pattern, "C") == set()
    # Each department alone would have hidden only its own row: d2 would show everything, and
    # the centre's A (10) minus d2's A (6) gives d1's 4.
    assert derivable(values, hierarchy_constraints(units, ["A", "B"]), {("d1", "A"), ("d1", "B")}) == {
        ("d1", "A"),
        ("d1", "B"),
    }


def test_a_group_hidden_in_the_month_or_the_year_is_hidden_in_both() -> None:
    units = pd.DataFrame({"unit_id": ["d1"], "level": ["department"], "parent_id": [""]})
    rows = [("2026-09", f"E{i}", "A") for i in range(6)] + [("2026-10", f"E{i}", "A") for i in range(3)]
    rows += [("2026-09", f"F{i}", "B") for i in range(7)] + [("2026-10", f"F{i}", "B") for i in range(7)]
    rows += [("2026-10", f"G{i}", "C") for i in range(9)]
    hr = pd.DataFrame(rows, columns=["period", "employee_id", "staff_group"]).assign(unit_id="d1")
    month = hr_pattern(hr, units, [["2026-10"]], 5)
    both = hr_pattern(hr, units, [["2026-10"], ["2026-09", "2026-10"]], 5)
    # In the month A has 3 persons (hidden, with B, 7 < 9); over the two months A has 6.
    assert hidden_groups(month, "d1") == {"A", "B"}
    assert hidden_groups(both, "d1") == {"A", "B"}
    assert set(both.loc[both["primary"], "staff_group"]) == {"A"}


# ----------------------------------------------------------------- tables


def hr_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "staff_group": ["Læger", "Lægesekretærer", "SOSU", "Sygeplejersker", "Terapeuter", TOTAL],
            "persons": [9, 4, 6, 19, 5, 43],
            "sick_pct": [2.0, 8.0, 5.0, 4.0, 3.0, 4.1],
        }
    )


def test_suppress_rows_hides_the_complements_count_too() -> None:
    out = suppress_rows(hr_frame(), min_group_size=5, value_columns=["sick_pct"])
    hidden = out[out["suppressed"]]
    assert list(hidden["staff_group"]) == ["Lægesekretærer", "Terapeuter"]
    assert hidden["persons"].isna().all() and hidden["sick_pct"].isna().all()
    shown = out[~out["suppressed"]]
    assert list(shown["persons"]) == [9, 6, 19, 43]
    # The shown persons leave 43 - 34 = 9 for the two hidden groups: neither follows.
    assert shown["persons"].iloc[:-1].sum() == 34


def test_forced_groups_are_hidden_and_protected_in_turn() -> None:
    # Læger hidden by the tree and Lægesekretærer (4) protect each other: Terapeuter (5) shows.
    out = suppress_rows(hr_frame(), min_group_size=5, value_columns=["sick_pct"], forced=["Læger"])
    assert set(out.loc[out["suppressed"], "staff_group"]) == {"Læger", "Lægesekretærer"}
    out = suppress_rows(hr_frame().iloc[[0, 2, 3, 5]], min_group_size=5, forced=["Læger"])
    # Læger hidden by the tree: the next smallest (SOSU, 6) goes with it.
    assert set(out.loc[out["suppressed"], "staff_group"]) == {"Læger", "SOSU"}


def test_a_row_of_uncounted_persons_with_figures_is_hidden() -> None:
    df = pd.DataFrame(
        {"staff_group": ["?", "A", "B", TOTAL], "persons": [0, 8, 9, 17], "sick_pct": [4.0, 1.0, 2.0, 1.8]}
    )
    out = suppress_rows(df, min_group_size=5, value_columns=["sick_pct"])
    assert set(out.loc[out["suppressed"], "staff_group"]) == {"?", "A"}
    empty = df.assign(sick_pct=[0.0, 1.0, 2.0, 1.8])
    assert not suppress_rows(empty, min_group_size=5, value_columns=["sick_pct"])["suppressed"].any()


def test_a_table_without_a_total_hides_only_its_small_groups() -> None:
    df = pd.DataFrame({"staff_group": ["A", "B"], "persons": [3, 9]})
    out = suppress_rows(df, min_group_size=5)
    assert list(out["suppressed"]) == [True, False]


def test_suppress_small_groups_hides_hours_behind_the_figures() -> None:
    df = hr_frame().assign(contracted=[1.0, 2.0, 3.0, 4.0, 5.0, 15.0], fte=[9.0, 3.5, 5.0, 17.0, 4.0, 38.5])
    out = suppress_small_groups(df, min_group_size=5)
    assert out.loc[out["suppressed"], ["contracted", "fte", "persons"]].isna().all().all()
    assert out.loc[~out["suppressed"], "contracted"].tolist() == [1.0, 3.0, 4.0, 15.0]


# ----------------------------------------------------------------- unit costs


def test_staff_costs_of_a_small_group_are_hidden_with_the_next_smallest_resource() -> None:
    resources = pd.DataFrame(
        {
            "period": "2026-10",
            "unit_id": "U",
            "cost_centre_id": ["U-K", "U-K", "U-K", "U-K", "U-S"],
            "resource_id": ["U-K-LAEG", "U-K-SEKR", "U-K-ROOM", "U-K-SYGE", "U-S-SEKR"],
            "name": ["Læger", "Lægesekretærer", "Stue", "Sygeplejersker", "Lægesekretærer"],
            "kind": ["staff", "staff", "room", "staff", "staff"],
            "cost": [900_000.0, 120_000.0, 50_000.0, 1_400_000.0, 30_000.0],
        }
    )
    hr = pd.DataFrame(
        {
            "period": "2026-10",
            "unit_id": "U",
            "employee_id": [f"E{i}" for i in range(30)],
            "staff_group": ["Læger"] * 8 + ["Lægesekretærer"] * 3 + ["Sygeplejersker"] * 19,
        }
    )
    # 3 secretaries: their salaries are hidden in both centres; in U-K the doctors (the smallest
    # other salaries; the room is no salary) go with them, so the centre's salaries minus the
    # shown ones leave two figures. In U-S the secretaries are the only staff: the centre's
    # salaries are their cost, so the centre's totals are hidden as well.
    pattern = staff_cost_pattern(resources, hr, "2026-10", 5)
    assert pattern.resources == {"U-K-SEKR", "U-K-LAEG", "U-S-SEKR"} and pattern.centres == {"U-S"}
    assert (
        pattern.min_group_size == 5 and staff_cost_pattern(resources, hr, "2026-10", 10).min_group_size == 10
    )
    hr_many = hr.assign(staff_group=["Læger"] * 8 + ["Lægesekretærer"] * 5 + ["Sygeplejersker"] * 17)
    none = staff_cost_pattern(resources, hr_many, "2026-10", 5)
    assert not none.resources and not none.centres
    # Over two months the secretaries are small in one of them: hidden all the same.
    two = pd.concat([resources, resources.assign(period="2026-09")], ignore_index=True)
    both = pd.concat([hr_many.assign(period="2026-09"), hr], ignore_index=True)
    assert staff_cost_pattern(two, both, ["2026-09", "2026-10"], 5) == pattern
    assert staff_cost_pattern(two, both, ["2026-09"], 5) == none
    masked = mask_rows(resources, pattern.resources, key="resource_id", columns=["cost"])
    assert masked.loc[masked["suppressed"], "cost"].isna().all()
    assert masked.loc[~masked["suppressed"], "cost"].tolist() == [50_000.0, 1_400_000.0]


# ----------------------------------------------------------------- the sample hospital


def test_the_sample_hospitals_pattern_hides_lungemedicins_secretaries_and_therapists(sample_dir) -> None:
    from toolkit.data.sources import FolderSource

    source = FolderSource(sample_dir)
    units = source.units()
    pattern = tree_pattern(source, units, "2026-10", 5)
    # FS-LUN: 4 secretaries in October (primary), therapists (5, the smallest beside them) too.
    assert {"Lægesekretærer", "Terapeuter"} <= hidden_groups(pattern, "FS-LUN")
    assert tree_pattern(source, units, "2026-10", 5).equals(pattern)  # cached, and a copy
    month = [str(p) for p in pd.period_range(end="2026-10", periods=1, freq="M")]
    values = tree_counts(hr_counts(source.read("hr", start="2026-10", end="2026-10"), month), units)
    hidden = {
        (u, g)
        for u, g, h in zip(pattern["unit_id"], pattern["staff_group"], pattern["hidden"], strict=True)
        if h
    }
    groups = sorted({g for _, g in values})
    assert not derivable(values, hierarchy_constraints(units, groups), hidden)


def test_a_lone_hidden_part_of_a_unit_cost_split_gets_a_complement_or_its_total_hidden() -> None:
    # Unit cost (kr.) per activity and resource; SEKR and TERA are staff groups under the limit.
    split = pd.DataFrame(
        {
            "unit_id": "U",
            "activity_id": ["A", "A", "A", "A", "B", "C", "C", "D", "D", "D"],
            "centre_kind": "final",
            "resource_id": ["LAEG", "SEKR", "ROOM", "SYGE", "SEKR", "SEKR", "LAEG", "SEKR", "TERA", "LAEG"],
            "unit_cost": [40.0, 10.0, 5.0, 30.0, 8.0, 0.0, 15.0, 6.0, 9.0, 20.0],
        }
    )
    pattern = split_pattern(split, {"SEKR", "TERA"}, columns=False)  # the rows' sums alone
    # A: 85 - 40 - 5 - 30 would leave SEKR's 10, so the smallest other part (ROOM, 5) goes too.
    # B: SEKR is the only part, 8 = the total: the total is hidden. C: SEKR's part is 0, nothing
    # to protect. D: two hidden parts (6 + 9 = 35 - 20) protect each other.
    assert pattern.parts == {
        ("U", "A", "final", "SEKR"),
        ("U", "A", "final", "ROOM"),
        ("U", "B", "final", "SEKR"),
        ("U", "D", "final", "SEKR"),
        ("U", "D", "final", "TERA"),
    }
    assert pattern.totals == {("U", "B", "final")}
    assert pattern.part_mask(split).tolist() == [
        False,
        True,
        True,
        False,
        True,
        False,
        False,
        True,
        True,
        False,
    ]
    # With the columns' sums (each resource's used cost in the capacity table): ROOM and SYGE
    # work for A alone, so a hidden part of theirs would be their column total; a hidden LAEG
    # would need a second hidden LAEG part, in C or D, and then more. A's total goes instead.
    both = split_pattern(split, {"SEKR", "TERA"})
    assert both.parts == pattern.parts - {("U", "A", "final", "ROOM")}
    assert both.totals == {("U", "A", "final"), ("U", "B", "final")}
    assert split_pattern(split, set()) == split_pattern(split.iloc[:0], {"SEKR"}) == SplitPattern()
    # A shown sum of rows' totals in kr. (the reconciliation's line "activities" of a scope of
    # B, C and D): B's hidden total would be the sum minus C's and D's. C's total alone would
    # follow from its shown parts (0 + 15), D's has two hidden parts beside it: D's goes.
    bcd = [("U", "B", "final"), ("U", "C", "final"), ("U", "D", "final")]
    summed = split_pattern(split, {"SEKR", "TERA"}, sums=[bcd])
    assert summed.totals == {("U", "A", "final"), ("U", "B", "final"), ("U", "D", "final")}
    assert summed.parts == both.parts
    # A sum over every row (given twice: counted once): B's and D's totals hide each other in
    # it; A's SEKR part is covered by A's LAEG part, and that by D's in LAEG's column (ROOM and
    # SYGE, alone in their columns, could cover nothing: the greedy tried them and let them go).
    every = [("U", r, "final") for r in "ABCD"]
    over_all = split_pattern(split, {"SEKR", "TERA"}, sums=[every, every])
    assert over_all.totals == {("U", "B", "final"), ("U", "D", "final")}
    assert over_all.parts == both.parts | {("U", "A", "final", "LAEG"), ("U", "D", "final", "LAEG")}
    rows = pd.DataFrame(
        {"unit_id": "U", "activity_id": ["A", "B"], "centre_kind": "final", "cost": [85.0, 8.0]}
    )
    masked = mask_where(rows, pattern.total_mask(rows), ["cost"])
    assert masked["suppressed"].tolist() == [False, True] and masked["cost"].tolist()[0] == 85.0
    assert pd.isna(masked["cost"].iloc[1])


def test_each_hospitals_pattern_comes_from_its_own_rows_alone(sample_dir) -> None:
    """Two hospitals in one catalogue: no sum crosses them, so each gets the pattern it gets alone.

    (A region run and a run of one hospital then hide the same cells, and a unit's report reads
    and protects its own hospital's rows, not the region's.)
    """
    from toolkit.data.sources import FolderSource

    source = FolderSource(sample_dir)
    units = source.units()
    hr = source.read("hr", start="2025-11", end="2026-10")
    # A second hospital: the sample's, renamed, with 9 of FS-KAR's 11 doctors gone (2 left: another
    # primary cell, another pattern).
    other = units.assign(
        unit_id="X" + units["unit_id"],
        parent_id=units["parent_id"].where(units["parent_id"].isna(), "X" + units["parent_id"]),
    )
    month = hr[(hr["unit_id"] == "FS-KAR") & (hr["period"] == "2026-10")]
    gone = month.loc[month["staff_group"] == "Læger", "employee_id"].unique()[:9]
    hr2 = hr[~hr["employee_id"].isin(gone)].assign(
        unit_id="X" + hr["unit_id"], employee_id="X" + hr["employee_id"]
    )

    class Rows:
        """A source of the two hospitals' ``hr`` rows that notes which units each read asks for."""

        def __init__(self, units: pd.DataFrame, hr: pd.DataFrame, name: str) -> None:
            self.catalogue, self.hr, self.name, self.asked = units, hr, name, []

        def fingerprint(self) -> str:
            return self.name

        def read(self, table: str, units=None, start=None, end=None) -> pd.DataFrame:
            assert table == "hr" and units is not None
            self.asked.append(set(units))
            rows = self.hr[self.hr["unit_id"].isin(units)]
            return rows[(rows["period"] >= start) & (rows["period"] <= end)]

    both = pd.concat([units, other], ignore_index=True)
    alone_fs = tree_pattern(Rows(units, hr, "fs"), units, "2026-10", 5)
    alone_x = tree_pattern(Rows(other, hr2, "x"), other, "2026-10", 5)
    region = Rows(both, pd.concat([hr, hr2], ignore_index=True), "region")
    pattern = tree_pattern(region, both, "2026-10", 5)
    key = ["unit_id", "staff_group"]
    for alone in (alone_fs, alone_x):
        mine = pattern[pattern["unit_id"].isin(alone["unit_id"])].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, alone.sort_values(key).reset_index(drop=True))
    shown = {
        k: set(map(tuple, p.loc[p["hidden"], key].to_numpy())) for k, p in (("fs", alone_fs), ("x", alone_x))
    }
    assert {(u[1:], g) for u, g in shown["x"]} != shown["fs"]  # two different patterns
    # Each read asked for one hospital's departments only.
    fs_departments = set(units.loc[units["level"] == "department", "unit_id"])
    assert fs_departments in region.asked and all(
        a <= fs_departments or a.isdisjoint(fs_departments) for a in region.asked
    )
    # With unit=, only that unit's hospital (from the cache: nothing read again).
    before = len(region.asked)
    one = tree_pattern(region, both, "2026-10", 5, unit="XFS-LUN")
    assert (
        set(one["unit_id"]) == set(other["unit_id"]) & set(pattern["unit_id"]) and len(region.asked) == before
    )
