"""Suppression that holds across reports: a unit's comparison with its siblings against its
parent's table, the unit-cost report against the KPI report's full cost per case, with small
hand-made numbers (and the sample data where a whole report is needed)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.measures.common import TOTAL
from toolkit.measures.costing.unit_costs import pooled_unit_costs
from toolkit.measures.split_suppression import SplitPattern, shown_unit_costs, split_pattern

# ------------------------------------------------------ unit cost: the activity's total


def test_an_activity_whose_total_the_split_hides_shows_no_unit_cost_cost_or_used_cost() -> None:
    # B is done by one resource only, SEKR (a staff group under the limit): its unit cost is SEKR's.
    # In A, SEKR and TERA (both under the limit) protect each other.
    split = pd.DataFrame(
        {
            "unit_id": "U",
            "activity_id": ["A", "A", "A", "A", "B"],
            "centre_kind": "final",
            "resource_id": ["LAEG", "SEKR", "TERA", "SYGE", "SEKR"],
            "unit_cost": [34.0, 10.0, 6.0, 30.0, 8.0],
        }
    )
    acts = pd.DataFrame(
        {
            "unit_id": "U",
            "activity_id": ["A", "B"],
            "centre_kind": "final",
            "unit_cost": [80.0, 8.0],
            "used_cost": [8_000_00.0, 80_00.0],
            "volume": [100.0, 10.0],
            "cost": [8_000.0, 80.0],
        }
    )
    shown = shown_unit_costs(acts, split_pattern(split, {"SEKR", "TERA"})).set_index("activity_id")
    assert shown["suppressed"].tolist() == [False, True]
    assert shown.loc["A", "unit_cost"] == 80.0 and shown.loc["A", "cost"] == 8_000.0
    assert shown.loc["B", ["unit_cost", "cost", "used_cost"]].isna().all()
    assert shown.loc["B", "volume"] == 10.0  # the volume tells nothing about the salaries
    assert not shown_unit_costs(acts, SplitPattern())["suppressed"].any()


def test_a_pooled_full_cost_hides_an_activity_when_one_of_its_departments_hides_it() -> None:
    acts = pd.DataFrame(
        {
            "unit_id": ["D1", "D2", "D3", "D1", "D2"],
            "activity_id": ["AMB", "AMB", "AMB", "TLF", "TLF"],
            "centre_kind": "final",
            "unit_cost": [100.0, float("nan"), 300.0, 20.0, 30.0],
            "volume": [10.0, 20.0, 30.0, 5.0, 5.0],
            "cost": [1_000.0, float("nan"), 9_000.0, 100.0, 150.0],
            "suppressed": [False, True, False, False, False],
        }
    )
    out = pooled_unit_costs(acts, ["D1", "D2", "D3"]).set_index("activity_id")
    # Shown, AMB's pooled cost × 60 cases − D1's 1.000 − D3's 9.000 would be D2's hidden cost.
    assert bool(out.loc["AMB", "suppressed"])
    assert pd.isna(out.loc["AMB", "unit_cost"]) and pd.isna(out.loc["AMB", "cost"])
    assert out.loc["AMB", "volume"] == 60.0
    assert not out.loc["TLF", "suppressed"] and out.loc["TLF", "unit_cost"] == pytest.approx(25.0)
    # Without D2 nothing hidden is pooled: the figure of D1 and D3 is shown.
    part = pooled_unit_costs(acts, ["D1", "D3"]).set_index("activity_id")
    assert not part.loc["AMB", "suppressed"] and part.loc["AMB", "unit_cost"] == pytest.approx(250.0)


# ------------------------------------------------------------ the sample: whole reports

PERIOD = "2026-10"


def one_resource_activity(data: Path) -> None:
    """FS-LUN's telephone consultations (TLF) done by its secretaries alone (a group under 5)."""
    path = data / "standard_minutes.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    keep = [line for line in lines if not (line.startswith("FS-LUN;TLF;") and ";FS-LUN-K-SEKR;" not in line)]
    assert len(keep) == len(lines) - 4
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")


def start(notebook_name: str, unit: str, data: Path):
    from toolkit.core import config
    from toolkit.report import notebook

    return notebook.start(
        notebook_name, unit=unit, period=PERIOD, data_dir=data, params_dir=config.PARAMS_DIR, language=None
    )


@pytest.mark.slow
def test_an_activity_the_unit_cost_report_hides_has_no_full_cost_in_the_kpi_reports(data_copy: Path) -> None:
    from toolkit.analyses import kpi, unit_cost
    from toolkit.analyses.kpi import overview as kpi_overview
    from toolkit.analyses.kpi import tables as kpi_tables
    from toolkit.analyses.unit_cost import overview as uc_overview
    from toolkit.analyses.unit_cost import tables as uc_tables
    from toolkit.analyses.unit_cost.results import catalogue_names
    from toolkit.analyses.unit_cost.texts import in_sentence
    from toolkit.report.blocks import SUPPRESSED_MARK, Report, ScreenOnly, WorkbookOnly

    one_resource_activity(data_copy)
    ctx = start("unit-cost", "FS-LUN", data_copy)
    res = unit_cost.compute(unit_cost.load(ctx), ctx)
    table = uc_tables.unit_cost_table(res, ctx.lang).frame.set_index("activity_id")
    assert bool(table.loc["TLF", "suppressed"]) and pd.isna(table.loc["TLF", "unit_cost"])
    # AMB is hidden too: TLF alone hidden, its cost would be the reconciliation's line
    # "activities" minus the shown activities' costs.
    assert bool(table.loc["AMB", "suppressed"]) and pd.isna(table.loc["AMB", "unit_cost"])
    assert not table.loc["SENG", "suppressed"] and table.loc["SENG", "unit_cost"] > 0
    # Nor under another computation, nor as the cost matched to the contacts.
    sens = uc_tables.sensitivity_table(res, ctx.lang).frame
    tlf, seng = sens[sens["activity_id"] == "TLF"], sens[sens["activity_id"] == "SENG"]
    assert len(tlf) and tlf[["unit_cost", "base_unit_cost", "change_pct"]].isna().all().all()
    assert seng["unit_cost"].notna().all()
    match = uc_tables.match_table(res, ctx.lang).frame.set_index("activity_id")
    assert match.loc["TLF", ["used", "matched", "unmatched"]].isna().all() and match.loc["SENG", "used"] > 0
    report = Report(ctx, "")
    uc_overview.record_kpis(report, res, ctx)
    uc_json = {k["key"]: k["value"] for k in report.kpis}
    assert uc_json["unit_cost_TLF"] is None and uc_json["unit_cost_SENG"] is not None
    names = catalogue_names(res)
    sentence = uc_overview._unit_cost_sentence(res, ctx.lang, names)
    assert in_sentence(names["activity"]["SENG"], ctx.lang) in sentence  # the others are named
    assert in_sentence(names["activity"]["TLF"], ctx.lang) not in sentence

    for uid in ("FS-LUN", "FS-MC", "FS"):
        kctx = start("kpi", uid, data_copy)
        kres = kpi.compute(kpi.load(kctx), kctx)
        assert kres.full_cost is not None
        full = kres.full_cost.set_index("activity_id")
        assert bool(full.loc["TLF", "suppressed"]) and pd.isna(full.loc["TLF", "unit_cost"]), uid
        assert not full.loc["SENG", "suppressed"] and full.loc["SENG", "unit_cost"] > 0, uid
        report = Report(kctx, "")
        kpi_overview.record_kpis(report, kres, kctx)
        kpi_json = {k["key"]: k["value"] for k in report.kpis}
        assert kpi_json["unit_cost_TLF"] is None and kpi_json["unit_cost_SENG"] is not None, uid
        if uid == "FS-LUN":  # the department's figure is the unit-cost report's, to the krone
            assert kpi_json["unit_cost_SENG"] == pytest.approx(uc_json["unit_cost_SENG"])
        blocks = kpi.views._cost_blocks(kres, kctx)
        screen = next(b.view for b in blocks if isinstance(b, ScreenOnly))
        book = next(b.view for b in blocks if isinstance(b, WorkbookOnly))
        row = screen.frame.set_index("activity_id").loc["TLF"]
        assert row["full_cost_per_case__marked"] == SUPPRESSED_MARK, uid
        assert pd.isna(book.frame.set_index("activity_id").loc["TLF", "full_cost_per_case"]), uid
        assert kpi_tables.full_cost_hidden(kres).to_dict().get("SENG") is False, uid


# ------------------------------------------------ key ratios: siblings against the parent


def kar_total_hidden(source, units, period, min_group_size, months=12, unit=None) -> pd.DataFrame:
    """A tree pattern that hides FS-KAR's total (as a sibling under the limit would)."""
    return pd.DataFrame(
        [("FS-KAR", TOTAL, False, True), ("FS-KAR", "Læger", True, True), ("FS-LUN", TOTAL, False, False)],
        columns=["unit_id", "staff_group", "primary", "hidden"],
    )


@pytest.mark.slow
def test_the_sibling_comparison_hides_what_the_parents_table_hides(sample_dir: Path, monkeypatch) -> None:
    from toolkit.analyses import kpi
    from toolkit.analyses.kpi import results
    from toolkit.measures import levels
    from toolkit.measures.ratios import KEY_RATIO_COLUMNS
    from toolkit.measures.suppression import hidden_totals

    monkeypatch.setattr(results, "tree_pattern", kar_total_hidden)
    ctx = start("kpi", "FS-LUN", sample_dir)
    siblings = results.sibling_ratios(ctx).set_index("unit_id")
    assert set(siblings.index) == {"FS-END", "FS-GER", "FS-KAR", "FS-LUN"}
    centre = start("kpi", "FS-MC", sample_dir)
    pattern = kar_total_hidden(None, None, PERIOD, 5)
    below = levels.key_ratios_below(
        kpi.load(centre), centre.source.units(), hidden_totals=hidden_totals(pattern)
    ).set_index("unit_id")
    assert pd.isna(below.loc["FS-KAR", "sick_pct_12m"]) and bool(below.loc["FS-KAR", "suppressed"])
    for uid in siblings.index:
        for col in KEY_RATIO_COLUMNS:
            mine, parents = siblings.loc[uid, col], below.loc[uid, col]
            assert pd.isna(mine) == pd.isna(parents), (uid, col, mine, parents)
            if not pd.isna(mine):
                assert mine == pytest.approx(parents), (uid, col)
        assert bool(siblings.loc[uid, "suppressed"]) == bool(below.loc[uid, "suppressed"]), uid
    # The staged aggregate (what a run's reports read) follows the same rule.
    staged = results.key_ratio_aggregate(ctx.source, PERIOD, ["FS-KAR", "FS-LUN"], lambda u: ctx.params)
    staged = staged.set_index("unit_id")
    assert pd.isna(staged.loc["FS-KAR", "overtime_per_fte"]) and bool(staged.loc["FS-KAR", "suppressed"])
    assert staged.loc["FS-LUN", "sick_pct_12m"] == pytest.approx(siblings.loc["FS-LUN", "sick_pct_12m"])


# ------------------------------------------------------- months against the 12 months


def hr_rows(persons: dict[str, int], small: dict[str, int], months: list[str], month: str) -> pd.DataFrame:
    """HR rows of one department: ``persons`` per group each month, ``small[g]`` in ``month``."""
    rows = []
    for m in months:
        for g, n in persons.items():
            k = small.get(g, n) if m == month else n
            rows += [(m, f"{g}{j}", g) for j in range(k)]
    return pd.DataFrame(rows, columns=["period", "employee_id", "staff_group"]).assign(unit_id="d1")


ONE_UNIT = pd.DataFrame({"unit_id": ["d1"], "level": ["department"], "parent_id": [""]})


def test_a_units_total_small_in_one_month_is_primary_over_the_window() -> None:
    from toolkit.measures.suppression import window_primary

    months = ["2026-08", "2026-09", "2026-10"]
    # September: 2 + 2 = 4 persons (A, B and the total under 5); over the months 6 + 6 = 12.
    hr = hr_rows({"A": 6, "B": 6}, {"A": 2, "B": 2}, months, "2026-09")
    assert window_primary(hr, ONE_UNIT, months, 5) == {("d1", TOTAL)}
    assert window_primary(hr, ONE_UNIT, ["2026-09"], 5) == {("d1", "A"), ("d1", "B"), ("d1", TOTAL)}
    assert window_primary(hr, ONE_UNIT, ["2026-08", "2026-10"], 5) == set()


def leaked_months(hr: pd.DataFrame, months: list[str], target: str, published: set[str]) -> set[str]:
    """The months whose figure of ``target`` (a staff group or ``TOTAL``) follows from an archive.

    Each month's report shows, as :func:`~toolkit.measures.suppression.hr_pattern` of the month
    and the 12 months hides them, every group's and the total's figure over the 12 months that
    end with it (an additive figure: hours), and the month's own figure of the cells in
    ``published`` (the unit's total: the time staircase). The attacker holds every report and
    every sum that links them; a month's figure that none shows is hidden throughout.
    """
    from toolkit.measures.suppression import Constraint, derivable, hidden_groups, hr_pattern

    groups = sorted(hr["staff_group"].unique())
    values: dict[tuple[str, str], float] = {}
    cons: list[Constraint] = []
    hidden: set[tuple[str, str]] = set()
    for i, t in enumerate(months):
        window = [str(p) for p in pd.period_range(end=t, periods=12, freq="M")]
        hid = hidden_groups(hr_pattern(hr, ONE_UNIT, [[t], window], 5), "d1")
        for kind in ("M", "W"):  # the month, the 12 months
            for g in [*groups, TOTAL]:
                values[(kind + t, g)] = 100.0
            cons.append(Constraint((kind + t, TOTAL), tuple((kind + t, g) for g in groups)))
        hidden |= {("W" + t, g) for g in hid}
        hidden |= {("M" + t, g) for g in [*groups, TOTAL] if g not in published or g in hid}
        data = months[max(0, i - 11) : i + 1]  # the months of the window with data
        cons += [Constraint(("W" + t, g), tuple(("M" + m, g) for m in data)) for g in [*groups, TOTAL]]
    return {c[0][1:] for c in derivable(values, cons, hidden) if c[1] == target and c[0][0] == "M"}


MONTHS = [str(p) for p in pd.period_range("2025-01", periods=15, freq="M")]


def count_only(monkeypatch) -> None:
    """The rule before: a window is primary only under the limit over the window (distinct persons)."""
    from toolkit.measures import suppression

    monkeypatch.setattr(
        suppression,
        "window_primary",
        lambda hr, units, window, n: suppression.primary_cells(
            suppression.tree_counts(suppression.hr_counts(hr, list(window)), units), n
        ),
    )


def test_a_small_month_of_a_staff_group_does_not_follow_from_the_twelve_month_tables() -> None:
    # A has 3 persons in October 2025, 6 in every other month; no report shows a group's month.
    # The attacker finds A's other months (from the 12 months' tables of consecutive months and
    # the published totals: no secret, each is about 6 persons), but not October.
    hr = hr_rows({"A": 6, "B": 8, "C": 12}, {"A": 3}, MONTHS, "2025-10")
    found = leaked_months(hr, MONTHS, "A", {TOTAL})
    assert "2025-10" not in found and {"2025-02", "2025-09"} <= found


def test_a_units_small_month_does_not_follow_from_its_twelve_months_minus_its_other_months(
    monkeypatch,
) -> None:
    # The unit has 4 persons in October 2025 (2 + 2), 6 in every other month; every month's
    # report publishes the unit's month (the time staircase) unless its total is hidden.
    hr = hr_rows({"A": 3, "B": 3}, {"A": 2, "B": 2}, MONTHS, "2025-10")
    assert leaked_months(hr, MONTHS, TOTAL, {TOTAL}) == set()
    # Before, November's report showed the 12 months' total again, and those minus the other
    # months' published totals gave October's away.
    count_only(monkeypatch)
    assert leaked_months(hr, MONTHS, TOTAL, {TOTAL}) == {"2025-10"}


@pytest.mark.slow
def test_a_unit_whose_total_is_hidden_shows_no_time_staircase(sample_dir: Path, monkeypatch) -> None:
    from toolkit.analyses import kpi
    from toolkit.analyses.kpi import results, views
    from toolkit.report.blocks import Paragraph, TableView

    ctx = start("kpi", "FS-LUN", sample_dir)
    shown = kpi.compute(kpi.load(ctx), ctx)
    assert not shown.time_hidden
    titles = [b.name for b in views.time(shown, ctx).blocks if isinstance(b, TableView)]
    assert titles == ["Tidstrappe"]

    def lun_total_hidden(source, units, period, min_group_size, months=12, unit=None) -> pd.DataFrame:
        return pd.DataFrame(
            [("FS-LUN", TOTAL, True, True), ("FS-LUN", "Læger", False, True)],
            columns=["unit_id", "staff_group", "primary", "hidden"],
        )

    monkeypatch.setattr(results, "tree_pattern", lun_total_hidden)
    hidden = kpi.compute(kpi.load(ctx), ctx)
    assert hidden.time_hidden and pd.isna(hidden.sick_12m)
    blocks = views.time(hidden, ctx).blocks
    assert not [b for b in blocks if isinstance(b, TableView)]  # no staircase table
    assert any(isinstance(b, Paragraph) and "Tidstrappen" in b.text for b in blocks)
    assert (
        len([b for b in blocks if not isinstance(b, (Paragraph, TableView))])
        == len([b for b in views.time(shown, ctx).blocks if not isinstance(b, (Paragraph, TableView))]) - 1
    )  # the staircase chart is gone, the hours chart stays


# ------------------------------------------- unit cost: a room's part against the capacity table


def split_attack(
    split: pd.DataFrame, hidden_resources: set[str], pattern: SplitPattern
) -> set[tuple[str, str]]:
    """The hidden parts that the split table, the unit-cost table and the capacity table give away.

    The split shows each activity's parts (cost = unit cost × volume, the volume is shown) but
    the pattern's; the unit-cost table each activity's cost but the pattern's totals; the
    capacity table each resource's used cost, the sum of its parts, but the hidden resources'.
    """
    from toolkit.measures.suppression import Constraint, derivable

    values: dict[tuple[str, str], float] = {}
    cons: list[Constraint] = []
    hidden: set[tuple[str, str]] = set()
    for act, res_id, cost in zip(split["activity_id"], split["resource_id"], split["cost"], strict=True):
        values[(act, res_id)] = float(cost)
        if ("U", act, "final", res_id) in pattern.parts:
            hidden.add((act, res_id))
    for act, rows in split.groupby("activity_id"):
        values[(act, TOTAL)] = float(rows["cost"].sum())
        cons.append(Constraint((act, TOTAL), tuple((act, r) for r in rows["resource_id"])))
        if ("U", act, "final") in pattern.totals:
            hidden.add((act, TOTAL))
    for res_id, rows in split.groupby("resource_id"):
        values[("column", res_id)] = float(rows["cost"].sum())
        cons.append(Constraint(("column", res_id), tuple((a, res_id) for a in rows["activity_id"])))
        if res_id in hidden_resources:
            hidden.add(("column", res_id))
    return {c for c in derivable(values, cons, hidden) if c[1] != TOTAL and c[0] != "column"}


def test_a_room_hidden_beside_a_small_staff_group_does_not_follow_from_the_capacity_table() -> None:
    # SEKR (a staff group under the limit) is the only hidden part of A; the smallest other part
    # is the room's, and the room is used by A and B: its used cost is in the capacity table.
    split = pd.DataFrame(
        {
            "unit_id": "U",
            "activity_id": ["A", "A", "A", "A", "B", "B", "B"],
            "centre_kind": "final",
            "resource_id": ["LAEG", "SEKR", "ROOM", "SYGE", "LAEG", "ROOM", "SYGE"],
            "unit_cost": [40.0, 10.0, 5.0, 30.0, 50.0, 7.0, 20.0],
            "volume": [100.0] * 4 + [10.0] * 3,
        }
    ).assign(cost=lambda d: d["unit_cost"] * d["volume"])
    rows_only = split_pattern(split, {"SEKR"}, columns=False)
    assert rows_only.parts == {("U", "A", "final", "SEKR"), ("U", "A", "final", "ROOM")}
    # The room's used cost (1.000 + 70 kr.) minus B's shown 70 kr. is A's room part, and A's
    # cost minus its other shown parts is then the secretaries'.
    assert split_attack(split, {"SEKR"}, rows_only) == {("A", "SEKR"), ("A", "ROOM")}
    pattern = split_pattern(split, {"SEKR"})
    assert split_attack(split, {"SEKR"}, pattern) == set()
    assert ("U", "A", "final", "SEKR") in pattern.parts


@pytest.mark.slow
def test_the_shift_report_hides_the_12_months_sick_leave_where_the_kpi_report_does(
    sample_dir: Path, monkeypatch
) -> None:
    """Both reports record ``sick_leave_12m_pct``: where the tree's pattern hides the unit's total
    (the KPI report hides it), the shift report's is hidden too."""
    from toolkit.analyses import kpi, shift_assessment
    from toolkit.analyses.kpi import results as kpi_results
    from toolkit.analyses.shift_assessment import results as shift_results

    ctx = start("shift-assessment", "FS-LUN", sample_dir)
    shown = shift_assessment.compute(shift_assessment.load(ctx), ctx)
    assert shown.sick_12m > 0

    def lun_total_hidden(source, units, period, min_group_size, months=12, unit=None) -> pd.DataFrame:
        return pd.DataFrame(
            [("FS-LUN", TOTAL, True, True), ("FS-LUN", "Læger", False, True)],
            columns=["unit_id", "staff_group", "primary", "hidden"],
        )

    monkeypatch.setattr(shift_results, "tree_pattern", lun_total_hidden)
    monkeypatch.setattr(kpi_results, "tree_pattern", lun_total_hidden)
    hidden = shift_assessment.compute(shift_assessment.load(ctx), ctx)
    assert pd.isna(hidden.sick_12m) and pd.isna(hidden.values["sick_pct_12m"])
    kctx = start("kpi", "FS-LUN", sample_dir)
    assert pd.isna(kpi.compute(kpi.load(kctx), kctx).sick_12m)


# ------------------------------------- unit cost: a hidden unit cost against the DRG groups


@pytest.mark.slow
def test_a_hidden_unit_cost_does_not_follow_from_the_cost_per_drg_group(data_copy: Path) -> None:
    """FS-LUN's TLF is hidden; the DAGS group BG50T's contacts had telephone consultations only.

    The attacker knows each group's quantities and direct costs (what its contacts had) and the
    shown unit costs: a shown group cost with TLF in it gives (cost − known) / quantity = TLF's.
    """
    from toolkit.analyses import unit_cost
    from toolkit.analyses.unit_cost import charts as uc_charts
    from toolkit.analyses.unit_cost import overview as uc_overview
    from toolkit.analyses.unit_cost import tables as uc_tables
    from toolkit.analyses.unit_cost import texts as uc_texts
    from toolkit.analyses.unit_cost.params import settings
    from toolkit.analyses.unit_cost.results import catalogue_names, hidden_activities, scope_activities
    from toolkit.core.formatting import fmt_number
    from toolkit.measures.costing.contacts import DIRECT, drg_summary, overall_index
    from toolkit.report.blocks import SUPPRESSED_MARK, Report, table_html

    one_resource_activity(data_copy)
    ctx = start("unit-cost", "FS-LUN", data_copy)
    res = unit_cost.compute(unit_cost.load(ctx), ctx)
    # AMB is hidden too (the reconciliation's second row, see the test above).
    assert res.contacts is not None and hidden_activities(res) == {("FS-LUN", "TLF"), ("FS-LUN", "AMB")}
    comp = res.contacts.components
    true_tlf = scope_activities(res).set_index("activity_id").loc["TLF", "unit_cost"]
    acts = uc_tables.unit_cost_table(res, ctx.lang).frame
    shown_costs = {str(a): float(u) for a, u in zip(acts["activity_id"], acts["unit_cost"], strict=True)}

    def attack(drg: pd.DataFrame) -> list[float]:
        """TLF's unit cost from each group whose cost is shown and that used TLF and shown activities.

        (A group that used AMB too gives a sum of two unknowns; the systems of several groups
        and hidden activities are tests/test_drg_suppression.py's.)
        """
        out = []
        for g, n, mean in zip(drg["drg_group"], drg["n"], drg["mean"], strict=True):
            rows = comp[comp["drg_group"] == g]
            q = float(rows.loc[rows["activity_id"] == "TLF", "quantity"].sum())
            if pd.isna(mean) or q == 0:
                continue
            direct = float(rows.loc[rows["activity_id"] == DIRECT, "cost"].sum()) / 100
            others = rows[~rows["activity_id"].isin(["TLF", DIRECT])]
            if any(pd.isna(shown_costs[str(a)]) for a in others["activity_id"]):
                continue
            known = sum(
                float(qty) * shown_costs[str(a)]
                for a, qty in zip(others["activity_id"], others["quantity"], strict=True)
            )
            out.append((mean * n - direct - known) / q)
        return out

    # The old rule (every group's cost shown) gives TLF's hidden unit cost back, to the øre.
    old = drg_summary(
        res.contacts.contacts,
        res.inp.drg_groups,
        small_group=settings(ctx.params).small_group_contacts,
        min_distribution=5,
    )
    assert attack(old) and attack(old)[0] == pytest.approx(true_tlf, abs=0.01)
    assert old.set_index("drg_group").loc["BG50T", "median"] == pytest.approx(true_tlf, abs=0.01)
    # The report's tables (screen and workbook) do not.
    table = uc_tables.drg_table(res, ctx)
    spread = uc_tables.drg_distribution_table(res, ctx.lang)
    for view in (table, spread):
        assert attack(view.frame) == []
        row = view.frame.set_index("drg_group").loc["BG50T"]
        assert row[["mean"]].isna().all() and bool(row["suppressed"]) and row["n"] > 0
        assert SUPPRESSED_MARK in table_html(view, ctx.lang) and view.note
    frame = table.frame.set_index("drg_group")
    assert frame.loc["BG50T", ["total", "index", "gap", "median"]].isna().all()
    # BG50A and BG50B used AMB (hidden too); 04MA13's contacts had neither.
    assert frame.loc[["BG50A", "BG50B"], "suppressed"].all()
    assert not frame.loc["04MA13", "suppressed"] and frame.loc["04MA13", "mean"] > 0
    # Nor the charts: no bar, no box and no flow of the group or of TLF.
    drg_fig = uc_charts.drg_chart(res, ctx)
    assert not any("BG50T" in str(y) for y in drg_fig.data[0].y)
    assert "BG50T" not in list(uc_charts.distribution_chart(res, ctx).data[0].x)
    links = uc_charts.flow_links(res, ctx.lang, 12)
    tlf = catalogue_names(res)["activity"]["TLF"]
    assert not ((links["source"] == tlf) | (links["target"] == tlf) | (links["target"] == "BG50T")).any()
    # The overall index (card, JSON) is over the groups shown: with BG50T's n × tariff it would
    # give BG50T's cost back.
    shown = res.drg.dropna(subset=["total"])
    expected = shown["total"].sum() / 100 / (shown["n"] * shown["tariff"]).sum()
    assert overall_index(res.drg) == pytest.approx(expected)
    report = Report(ctx, "")
    uc_overview.record_kpis(report, res, ctx)
    kpis = {k["key"]: k["value"] for k in report.kpis}
    assert kpis["drg_index"] == pytest.approx(expected) and kpis["contacts"] == float(res.drg["n"].sum())
    sentence = uc_overview._drg_sentence(res, ctx)
    assert sentence and "BG50T" not in sentence
    card = next(c for c in uc_overview.cards(res, ctx) if c.label == uc_texts.TEXTS("card.index", ctx.lang))
    assert card.value == fmt_number(expected, 2, ctx.lang)
    # The hospital's report hides the group too: its BG50T minus the other departments' shown
    # BG50T would be FS-LUN's, and FS-LUN's the TLF unit cost again.
    hctx = start("unit-cost", "FS", data_copy)
    hres = unit_cost.compute(unit_cost.load(hctx), hctx)
    assert ("FS-LUN", "TLF") in hidden_activities(hres)
    hospital = hres.drg.set_index("drg_group")
    assert bool(hospital.loc["BG50T", "cost_hidden"]) and pd.isna(hospital.loc["BG50T", "mean"])
    assert not hospital.loc["08MP03", "suppressed"] and hospital.loc["08MP03", "mean"] > 0


@pytest.mark.slow
def test_a_hidden_unit_cost_does_not_follow_from_the_reconciliation(data_copy: Path) -> None:
    """The line "activities" is the sum of the scope's final activities' costs, in every report.

    With FS-LUN's TLF hidden alone, that line minus the shown costs would be TLF's cost, and
    over its shown volume its unit cost; in the hospital's report likewise, and with the two
    reports together (the hospital's shown FS-LUN rows against the department's line). A second
    row (AMB) is hidden in both reports alike.
    """
    from toolkit.analyses import unit_cost
    from toolkit.analyses.unit_cost import tables as uc_tables
    from toolkit.analyses.unit_cost.results import hidden_activities, scope_activities

    one_resource_activity(data_copy)
    reports = {}
    for uid in ("FS-LUN", "FS"):
        ctx = start("unit-cost", uid, data_copy)
        res = unit_cost.compute(unit_cost.load(ctx), ctx)
        acts = uc_tables.unit_cost_table(res, ctx.lang).frame
        recon = uc_tables.reconciliation_table(res, ctx.lang).frame.set_index("line")[res.base.method]
        true = scope_activities(res).set_index(["unit_id", "activity_id"])
        reports[uid] = (res, acts, recon, true)
    lun, hospital = reports["FS-LUN"], reports["FS"]
    assert (
        hidden_activities(lun[0]) == hidden_activities(hospital[0]) == {("FS-LUN", "TLF"), ("FS-LUN", "AMB")}
    )
    for _res, acts, recon, true in reports.values():
        final = acts[acts["centre_kind"] == "final"]
        assert recon["activities"] == pytest.approx(true.loc[true["centre_kind"] == "final", "cost"].sum())
        row = final.set_index(["unit_id", "activity_id"]).loc[("FS-LUN", "TLF")]
        assert pd.isna(row["cost"]) and row["volume"] > 0
        guess = (recon["activities"] - final["cost"].sum()) / row["volume"]
        assert guess != pytest.approx(true.loc[("FS-LUN", "TLF"), "unit_cost"], rel=1e-6)
    # Both reports together: FS-LUN's line minus what either report shows of FS-LUN.
    shown = pd.concat([lun[1], hospital[1]]).dropna(subset=["cost"])
    shown = shown[(shown["unit_id"] == "FS-LUN") & (shown["centre_kind"] == "final")].drop_duplicates(
        ["unit_id", "activity_id", "centre_kind"]
    )
    gap = lun[2]["activities"] - shown["cost"].sum()
    hidden_cost = lun[3].loc[[("FS-LUN", "TLF"), ("FS-LUN", "AMB")], "cost"]
    assert gap == pytest.approx(hidden_cost.sum()) and (hidden_cost > 0).all()
