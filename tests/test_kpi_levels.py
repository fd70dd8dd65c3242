"""The KPI report on the sample data: the activity sheet agrees with the sections it joins, and a
centre's and the hospital's figures are what their departments' rows give (sums summed, ratios
recomputed from the summed parts, never averaged)."""

from __future__ import annotations

import pandas as pd
import pytest

from toolkit.analyses import kpi
from toolkit.analyses.kpi.sheet import activity_sheet, sheet_headline
from toolkit.data.hierarchy import descendants, units_at_level
from toolkit.measures.common import TOTAL
from toolkit.report import notebook

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def computed(sample_dir):
    """KPI results of every sample unit (departments, centres, the hospital), once."""
    from toolkit.core import config

    out = {}
    first = notebook.start(
        "kpi", unit="FS-KAR", period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR, language=None
    )
    units = first.source.units()
    for uid in units["unit_id"]:
        ctx = notebook.start(
            "kpi", unit=uid, period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR, language=None
        )
        out[uid] = (ctx, kpi.compute(kpi.load(ctx), ctx))
    return units, out


def test_the_activity_sheet_shows_the_sections_figures(computed):
    units, results = computed
    for uid in [*units_at_level(units, "department"), *units_at_level(units, "centre"), "FS"]:
        ctx, res = results[uid]
        sheet = activity_sheet(res, ctx.period).set_index("activity_id")
        vol = res.volume.set_index("activity_id")
        prod = res.productivity_summary.set_index("activity_id")
        cost = res.cost_summary.set_index("activity_id")
        month = res.productivity[res.productivity["period"] == ctx.period].set_index("activity_id")
        assert list(sheet.index) == list(vol.index), uid
        for col in (
            "actual",
            "planned",
            "vs_plan_pct",
            "vs_last_year_pct",
            "ytd_actual",
            "ytd_vs_plan_pct",
            "ytd_vs_last_year_pct",
        ):
            pd.testing.assert_series_equal(sheet[col], vol[col], check_names=False)
        for col in ("ytd_hours", "ytd_productivity"):
            pd.testing.assert_series_equal(sheet[col], prod[col].reindex(sheet.index), check_names=False)
        pd.testing.assert_series_equal(sheet["hours"], month["hours"].reindex(sheet.index), check_names=False)
        pd.testing.assert_series_equal(
            sheet["productivity"], month["productivity"].reindex(sheet.index), check_names=False
        )
        for col in ("cost_per_case", "ytd_cost_per_case"):
            pd.testing.assert_series_equal(sheet[col], cost[col].reindex(sheet.index), check_names=False)
        # last year's hours: last year's volume / last year's productivity, from the same sections
        ly = vol["ytd_last_year"] / prod["ly_ytd_productivity"].reindex(sheet.index)
        assert sheet["ly_ytd_hours"].to_numpy() == pytest.approx(ly.to_numpy(), nan_ok=True)
        # goals: every goal attached to an activity appears on that activity's row with its status
        attached = res.goal_activity.dropna(subset=["activity_id"])
        shown = res.goals[res.goals["name"].isin(attached["name"])]
        assert sheet["goals_n"].sum() == len(
            shown[shown["name"].map(attached.set_index("name")["activity_id"]).isin(sheet.index)]
        ), uid
        assert sheet_headline(sheet.reset_index(), "da")


def test_the_headline_names_the_activity_whose_volume_and_hours_move_apart():
    df = pd.DataFrame(
        {
            "name": ["Ambulant", "Bed"],
            "ytd_vs_last_year_pct": [8.0, 2.0],  # volume up 8 % ...
            "ytd_hours_change_pct": [0.4, 1.0],  # ... hours flat: 7.6 points apart
            "ytd_cost_per_case_change_pct": [-6.0, 0.0],
        }
    )
    assert sheet_headline(df, "da") == (
        "Ambulant: aktiviteten er steget 8,0\u00a0% år til dato mod samme periode sidste år, mens timerne er "
        "uændret, og den direkte omkostning pr. ydelse er faldet 6,0\u00a0%."
    )
    together = df.assign(ytd_vs_last_year_pct=[3.0, 2.0])  # 2.6 and 1.0 points apart
    assert sheet_headline(together, "da").startswith("Aktivitet og timer har fulgt hinanden")


def _hr_total(res):
    return res.hr.set_index("staff_group").loc[TOTAL]


def _sum(results, units, get):
    return sum(get(results[u][1]) for u in units)


def test_centres_and_the_hospital_are_their_departments_rows(computed):
    units, results = computed
    for uid in [*units_at_level(units, "centre"), "FS"]:
        _ctx, res = results[uid]
        depts = descendants(units, uid)
        assert res.departments == tuple(depts)
        # volume: sums, and the % recomputed from the sums
        vol = res.volume.set_index("activity_id")
        for act in vol.index:
            rows = [results[d][1].volume.set_index("activity_id") for d in depts]
            actual = sum(r.loc[act, "actual"] for r in rows if act in r.index)
            planned = sum(r.loc[act, "planned"] for r in rows if act in r.index)
            assert vol.loc[act, "actual"] == pytest.approx(actual), (uid, act)
            assert vol.loc[act, "vs_plan_pct"] == pytest.approx((actual - planned) / planned * 100), (
                uid,
                act,
            )
        # budget: kr. summed to the krone, % = summed deviation / summed periodised budget
        tot = res.budget.set_index("account_group").loc[TOTAL]
        dev = _sum(results, depts, lambda r: r.budget.set_index("account_group").loc[TOTAL, "deviation_kr"])
        bud = _sum(results, depts, lambda r: r.budget.set_index("account_group").loc[TOTAL, "budget_ytd"])
        assert round(tot["deviation_kr"]) == round(dev)
        assert tot["deviation_pct"] == pytest.approx(dev / bud * 100)
        # sick leave over 12 months: summed sick hours / summed possible hours (not a mean of %)
        sick = _sum(results, depts, lambda r: _hr_total(r)["sick_own"])
        possible = _sum(results, depts, lambda r: _hr_total(r)["possible"])
        assert res.sick_12m == pytest.approx(sick / possible * 100)
        assert round(res.sick_12m, 1) == round(sick / possible * 100, 1)
        mean_of_pct = sum(results[d][1].sick_12m for d in depts) / len(depts)
        assert res.sick_12m != pytest.approx(mean_of_pct)  # the naive average would be wrong
        assert res.persons == _sum(results, depts, lambda r: r.persons)
        # direct cost per case: summed costs / summed volumes per activity, costs to the krone
        cost = res.cost_summary.set_index("activity_id")
        for act in cost.index:
            parts = [results[d][1].cost_summary.set_index("activity_id") for d in depts]
            c = sum(p.loc[act, "cost"] for p in parts if act in p.index and pd.notna(p.loc[act, "cost"]))
            v = sum(p.loc[act, "volume"] for p in parts if act in p.index and pd.notna(p.loc[act, "volume"]))
            assert round(cost.loc[act, "cost"]) == round(c), (uid, act)
            assert cost.loc[act, "cost_per_case"] == pytest.approx(c / v), (uid, act)
        # the goals are the departments' goals, each named with its department
        assert len(res.goals) == _sum(results, depts, lambda r: len(r.goals))


def test_the_units_below_stand_beside_the_units_own_figure(computed):
    _units, results = computed
    _ctx, res = results["FS-MC"]
    below = res.below.set_index("unit_id")
    assert list(below.index) == ["FS-END", "FS-GER", "FS-KAR", "FS-LUN", "FS-MC"]
    assert below.loc["FS-MC", "own"] and not below.loc["FS-KAR", "own"]
    assert below.loc["FS-MC", "sick_pct_12m"] == pytest.approx(res.sick_12m)
    for d in ("FS-END", "FS-KAR"):
        assert below.loc[d, "sick_pct_12m"] == pytest.approx(results[d][1].sick_12m)
    hospital = results["FS"][1].below.set_index("unit_id")
    assert list(hospital.index) == ["FS-AC", "FS-KC", "FS-MC", "FS"]
    assert hospital.loc["FS-MC", "sick_pct_12m"] == pytest.approx(res.sick_12m)


def test_pooled_full_cost_is_total_cost_over_total_volume_never_an_average():
    from toolkit.measures.costing.unit_costs import pooled_unit_costs

    acts = pd.DataFrame(
        {
            "unit_id": ["D1", "D2", "D2", "D3", "D1"],
            "activity_id": ["AMB", "AMB", "AMB", "AMB", "SENG"],
            "centre_kind": ["final", "final", "intermediate", "final", "final"],
            "unit_cost": [100.0, 400.0, 50.0, 999.0, 7.0],
            "volume": [30.0, 10.0, 10.0, 0.0, 2.0],  # D2 does AMB in two kinds of centre
            "cost": [3_000.0, 4_000.0, 500.0, 0.0, 14.0],
        }
    )
    out = pooled_unit_costs(acts, ["D1", "D2", "D3"]).set_index("activity_id")
    # (3.000 + 4.000 + 500) kr. / (30 + 10) cases = 187,50 kr.; the mean of 100 and 400 would be 250
    assert out.loc["AMB", "unit_cost"] == pytest.approx(187.5)
    assert out.loc["AMB", "volume"] == 40 and out.loc["AMB", "cost"] == 7_500
    assert out.loc["SENG", "unit_cost"] == pytest.approx(7.0)
    only = pooled_unit_costs(acts, ["D2"]).set_index("activity_id")
    assert list(only.index) == ["AMB"] and only.loc["AMB", "unit_cost"] == pytest.approx(450.0)


def test_a_centres_and_the_hospitals_full_cost_per_case_pools_their_departments(computed, sample_dir):
    from toolkit.measures.costing.unit_costs import full_cost_per_case

    units, results = computed
    for uid in [*units_at_level(units, "centre"), "FS"]:
        ctx, res = results[uid]
        assert res.full_cost is not None, uid
        departments = units_at_level(units, "department")
        below = [d for d in descendants(units, uid) if d in departments]
        parts = pd.concat(
            [full_cost_per_case(ctx.source, d, ctx.period, ctx.params) for d in below], ignore_index=True
        )
        cost = parts.groupby("activity_id")["cost"].sum()
        vol = parts.groupby("activity_id")["volume"].sum()
        got = res.full_cost.set_index("activity_id")
        assert set(got.index) == set(cost.index), uid
        for act in got.index:
            assert got.loc[act, "unit_cost"] == pytest.approx(cost[act] / vol[act], rel=1e-12), (uid, act)
        shown = kpi.tables.cost_table(res, ctx.lang).frame
        assert shown["full_cost_per_case"].notna().all(), uid  # every core activity has its full cost


def test_a_unit_whose_total_the_tree_hides_shows_no_person_ratio_in_its_parents_table(computed):
    """The centre's table of the units below hides a department's sick leave and overtime when the
    tree's pattern hides that department's total, as the department's own report does."""
    from toolkit.measures import levels
    from toolkit.measures.suppression import hidden_totals

    units, results = computed
    ctx, _res = results["FS-MC"]
    inp = kpi.load(ctx)
    shown = levels.key_ratios_below(inp, units).set_index("unit_id")
    hidden = levels.key_ratios_below(inp, units, hidden_totals={"FS-KAR"}).set_index("unit_id")
    assert shown.loc["FS-KAR", "sick_pct_12m"] > 0 and shown.loc["FS-KAR", "overtime_per_fte"] >= 0
    assert pd.isna(hidden.loc["FS-KAR", "sick_pct_12m"]) and pd.isna(hidden.loc["FS-KAR", "overtime_per_fte"])
    assert bool(hidden.loc["FS-KAR", "suppressed"])
    assert hidden.loc["FS-END", "sick_pct_12m"] == pytest.approx(shown.loc["FS-END", "sick_pct_12m"])
    # Volume and budget are not about persons: they stay.
    assert hidden.loc["FS-KAR", "budget_deviation_ytd_pct"] == pytest.approx(
        shown.loc["FS-KAR", "budget_deviation_ytd_pct"]
    )
    pattern = pd.DataFrame(
        [("FS-KAR", TOTAL, False, True), ("FS-KAR", "Læger", True, True), ("FS-END", TOTAL, False, False)],
        columns=["unit_id", "staff_group", "primary", "hidden"],
    )
    assert hidden_totals(pattern) == {"FS-KAR"} and hidden_totals(None) == set()
