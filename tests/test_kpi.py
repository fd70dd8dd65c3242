"""KPI functions against hand-computed values (the comments show the arithmetic)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.core.definitions import DEFINITIONS
from toolkit.measures.activity import registration_coverage, time_staircase, volume_comparison
from toolkit.measures.common import TOTAL, pct_change, ratio
from toolkit.measures.economy import (
    attach_explanations,
    budget_monthly,
    budget_status,
    cost_per_case,
    productivity,
)
from toolkit.measures.goals import goal_status
from toolkit.measures.hr import staff_group_kpis, suppress_small_groups

ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A", "B", "I"],
        "name": ["Ambulant", "Bed", "Intern"],
        "kind": ["core", "core", "internal"],
        "volume_unit": ["besøg", "dage", None],
    }
)


def volume() -> pd.DataFrame:
    rows = [
        ("2025-01", "A", 90, None),
        ("2025-02", "A", 95, None),
        ("2025-03", "A", 80, None),
        ("2026-01", "A", 100, 90),
        ("2026-02", "A", 110, 100),
        ("2026-03", "A", 120, 100),
    ]
    return pd.DataFrame(rows, columns=["period", "activity_id", "actual", "planned"]).assign(unit_id="D1")


def test_volume_comparison():
    row = volume_comparison(volume(), ACTIVITIES, "2026-03").iloc[0]
    assert row["actual"] == 120 and row["planned"] == 100
    assert row["vs_plan_pct"] == pytest.approx(20.0)  # (120 - 100) / 100
    assert row["vs_last_year_pct"] == pytest.approx(50.0)  # (120 - 80) / 80
    assert row["ytd_actual"] == 330 and row["ytd_planned"] == 290
    assert row["ytd_vs_plan_pct"] == pytest.approx(40 / 290 * 100)  # 13.79 %
    assert row["ytd_vs_last_year_pct"] == pytest.approx(65 / 265 * 100)  # 330 vs 265


def hours_and_hr() -> tuple[pd.DataFrame, pd.DataFrame]:
    h = [
        ("E1", None, "holiday", 20),
        ("E1", None, "sick_own", 10),
        ("E2", None, "sick_child", 2),
        ("E1", "A", "productive", 100),
        ("E2", "A", "productive", 50),
        ("E2", "I", "productive", 40),
        ("E1", "A", "overtime", 5),
        ("E1", "A", "extra_hours", 1),
    ]
    hours = pd.DataFrame(h, columns=["employee_id", "activity_id", "time_category", "hours"]).assign(
        period="2026-03", unit_id="D1"
    )
    hr = pd.DataFrame(
        {
            "period": "2026-03",
            "unit_id": "D1",
            "employee_id": ["E1", "E2"],
            "staff_group": ["X", "X"],
            "fte": [1.0, 0.6],
            "contracted_hours": [160.0, 100.0],
        }
    )
    return hours, hr


def test_time_staircase_adds_up():
    hours, hr = hours_and_hr()
    s = time_staircase(hours, hr, ACTIVITIES, ["2026-03"]).set_index("step")["hours"]
    assert s["contracted"] == 260
    assert s["possible"] == 240  # 260 - 20 holiday
    assert s["overtime_extra"] == 6  # 5 overtime + 1 extra
    assert s["attendance"] == 234  # 240 - 10 - 2 + 6
    assert s["internal"] == 40
    assert s["core"] == 156  # 100 + 50 + 5 + 1 on A
    assert s["unregistered"] == 38  # 234 - 40 - 156


def test_registration_coverage():
    hours, hr = hours_and_hr()
    # registered 228 (all rows) / (260 contracted + 6 overtime and extra)
    assert registration_coverage(hours, hr, ["2026-03"]) == pytest.approx(228 / 266 * 100)


def test_productivity():
    hours, _ = hours_and_hr()
    p = productivity(volume(), hours, ACTIVITIES, ["2026-03"]).iloc[0]
    assert p["volume"] == 120 and p["hours"] == 156
    assert p["productivity"] == pytest.approx(120 / 156)
    assert p["hours_per_case"] == pytest.approx(1.3)


def finance() -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("2026-03", "salary", None, 0.0, 100_000.0),
            ("2026-03", "goods_services", "A", 0.0, 5_000.0),
            ("2026-03", "premises", None, 0.0, 20_000.0),
        ],
        columns=["period", "account_group", "activity_id", "budget", "actual"],
    ).assign(unit_id="D1")


def test_cost_per_case_method_b_and_conservation():
    hours, _ = hours_and_hr()
    alloc = cost_per_case(finance(), hours, volume(), ACTIVITIES, ["2026-03"])
    by = alloc.by_activity.set_index("activity_id")
    assert by.loc["A", "salary"] == pytest.approx(100_000 * 156 / 196)  # 79.591,84
    assert by.loc["I", "salary"] == pytest.approx(100_000 * 40 / 196)
    assert by.loc["A", "cost"] == pytest.approx(5_000 + 100_000 * 156 / 196)
    assert by.loc["A", "cost_per_case"] == pytest.approx((5_000 + 100_000 * 156 / 196) / 120)  # 704,93
    assert math.isnan(by.loc["I", "cost_per_case"])  # internal: no cases
    assert alloc.unallocated["amount"].sum() == 20_000
    assert alloc.total() == pytest.approx(125_000)


def test_salary_in_a_month_without_hours_is_not_lost():
    fin = finance().assign(period="2026-04")
    hours, _ = hours_and_hr()
    alloc = cost_per_case(fin, hours, volume(), ACTIVITIES, ["2026-04"])
    reasons = alloc.unallocated.set_index("reason")["amount"]
    assert reasons["salary_without_hours"] == 100_000
    assert alloc.total() == pytest.approx(125_000)


@settings(max_examples=60, deadline=None)
@given(
    amounts=st.lists(st.floats(-1e6, 1e7, allow_nan=False), min_size=1, max_size=12),
    hours=st.lists(st.floats(0, 500, allow_nan=False), min_size=0, max_size=6),
    data=st.data(),
)
def test_cost_allocation_conserves_the_total(amounts, hours, data):
    """Attributed cost + unallocated = actual spending, whatever the data."""
    groups = ["salary", "medicine", "premises", "goods_services"]
    acts = [None, "A", "B", "I"]
    fin = pd.DataFrame(
        {
            "period": "2026-03",
            "unit_id": "D1",
            "account_group": [data.draw(st.sampled_from(groups)) for _ in amounts],
            "activity_id": [data.draw(st.sampled_from(acts)) for _ in amounts],
            "budget": 0.0,
            "actual": amounts,
        }
    )
    h = pd.DataFrame(
        {
            "period": "2026-03",
            "unit_id": "D1",
            "employee_id": [f"E{i}" for i in range(len(hours))],
            "activity_id": [data.draw(st.sampled_from(["A", "B", "I"])) for _ in hours],
            "time_category": "productive",
            "hours": hours,
        }
    )
    alloc = cost_per_case(fin, h, volume(), ACTIVITIES, ["2026-03"])
    assert alloc.total() == pytest.approx(sum(amounts), rel=1e-9, abs=1e-6)


def budget_finance() -> pd.DataFrame:
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    budget = [100.0] * 12
    budget[6] = 50.0  # July
    actual = [110.0, 100.0, 120.0] + [None] * 9
    return pd.DataFrame(
        {
            "period": months,
            "unit_id": "D1",
            "account_group": "salary",
            "activity_id": None,
            "budget": budget,
            "actual": actual,
        }
    )


@pytest.mark.parametrize(
    ("method", "forecast"),
    [("remaining_budget", 330 + 850), ("run_rate", 330 / 3 * 12), ("seasonal", 330 / 300 * 1150)],
)
def test_budget_status(method, forecast):
    b = budget_status(budget_finance(), "2026-03", method=method, materiality_pct=2, materiality_kr=20)
    total = b[b["account_group"] == TOTAL].iloc[0]
    assert total["annual_budget"] == 1150
    assert total["budget_ytd"] == 300 and total["actual_ytd"] == 330
    assert total["deviation_kr"] == 30
    assert total["deviation_pct"] == pytest.approx(10.0)
    assert total["expected_consumption_pct"] == pytest.approx(300 / 1150 * 100)
    assert total["consumption_pct"] == pytest.approx(330 / 1150 * 100)
    assert total["forecast"] == pytest.approx(forecast)
    assert total["forecast_deviation_kr"] == pytest.approx(forecast - 1150)
    assert bool(total["needs_explanation"])


def test_budget_materiality_needs_both_limits():
    b = budget_status(budget_finance(), "2026-03", materiality_pct=2, materiality_kr=50)
    assert not b["needs_explanation"].any()  # 30 kr. < 50 kr.


@pytest.mark.parametrize(
    ("method", "december"), [("remaining_budget", 1180), ("run_rate", 1320), ("seasonal", 1265)]
)
def test_budget_monthly_forecast_path_ends_at_the_forecast(method, december):
    m = budget_monthly(budget_finance(), "2026-03", method=method).set_index("period")
    assert m.loc["2026-03", "cum_actual"] == 330
    assert np.isnan(m.loc["2026-04", "cum_actual"])
    assert m.loc["2026-03", "cum_forecast"] == pytest.approx(330)
    assert m.loc["2026-12", "cum_forecast"] == pytest.approx(december)
    assert m.loc["2026-12", "cum_budget"] == 1150


def staff(groups: dict[str, int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    hr_rows, h_rows = [], []
    n = 0
    for g, size in groups.items():
        for _ in range(size):
            n += 1
            hr_rows.append(("2026-03", "D1", f"E{n}", g, 1.0, 160.0))
            h_rows += [
                ("2026-03", "D1", f"E{n}", None, "holiday", 10.0),
                ("2026-03", "D1", f"E{n}", None, "sick_own", 7.5),
                ("2026-03", "D1", f"E{n}", "A", "overtime", 2.0),
            ]
    hr = pd.DataFrame(
        hr_rows, columns=["period", "unit_id", "employee_id", "staff_group", "fte", "contracted_hours"]
    )
    hours = pd.DataFrame(
        h_rows, columns=["period", "unit_id", "employee_id", "activity_id", "time_category", "hours"]
    )
    return hours, hr


def test_staff_group_kpis():
    hours, hr = staff({"X": 6})
    x = staff_group_kpis(hours, hr, ["2026-03"]).set_index("staff_group").loc["X"]
    assert x["persons"] == 6 and x["fte"] == 6
    assert x["possible"] == 6 * 150  # 160 contracted - 10 holiday each
    assert x["sick_pct"] == pytest.approx(45 / 900 * 100)  # 5,0 %
    assert x["sick_days_per_fte"] == pytest.approx(45 / 7.4 / 6)
    assert x["overtime_per_fte"] == pytest.approx(2.0)
    assert x["overtime_pct"] == pytest.approx(12 / 960 * 100)


def test_small_groups_are_suppressed_with_complementary_suppression():
    hours, hr = staff({"Large": 8, "Mid": 6, "Tiny": 2})
    table = staff_group_kpis(hours, hr, ["2026-03"])
    s = suppress_small_groups(table, min_group_size=5).set_index("staff_group")
    assert bool(s.loc["Tiny", "suppressed"]) and math.isnan(s.loc["Tiny", "sick_pct"])
    assert math.isnan(s.loc["Tiny", "persons"])
    # Only one group would be hidden: the next smallest is hidden too, so the total does not reveal it.
    assert bool(s.loc["Mid", "suppressed"]) and math.isnan(s.loc["Mid", "sick_pct"])
    assert math.isnan(s.loc["Mid", "persons"])  # its count would give Tiny's away (total minus shown)
    assert not s.loc["Large", "suppressed"] and s.loc["Large", "sick_pct"] == pytest.approx(5.0)
    assert not s.loc[TOTAL, "suppressed"]


def test_suppression_limit_cannot_be_lowered():
    hours, hr = staff({"X": 6})
    with pytest.raises(ValueError, match="at least 5"):
        suppress_small_groups(staff_group_kpis(hours, hr, ["2026-03"]), min_group_size=3)


def test_goal_status():
    goals = pd.DataFrame(
        [
            ("G1", "higher", 90.0, 90.0),
            ("G2", "higher", 90.0, 85.0),
            ("G3", "lower", 30.0, 40.0),
            ("G4", "lower", 0.0, 0.0),
            ("G5", "higher", 90.0, None),
            ("G6", "lower", 5.0, 0.0),
            ("G7", "higher", 0.0, -1.0),
        ],
        columns=["goal_id", "direction", "target", "actual"],
    ).assign(period="2026-03", unit_id="D1", name=lambda d: d["goal_id"], measure_unit="%", activity_id=None)
    g = goal_status(goals, "2026-03", green=1.0, amber=0.9).set_index("goal_id")
    assert g.loc["G1", "status"] == "green" and g.loc["G1", "achievement"] == 1.0
    assert g.loc["G2", "status"] == "amber" and g.loc["G2", "achievement"] == pytest.approx(85 / 90)
    assert g.loc["G3", "status"] == "red" and g.loc["G3", "achievement"] == pytest.approx(0.75)
    assert g.loc["G4", "status"] == "green"
    assert g.loc["G5", "status"] == "missing"
    assert g.loc["G6", "status"] == "green"
    assert g.loc["G7", "status"] == "red"
    assert list(g["status"])[:2] == ["red", "red"]  # worst first


def test_pct_change_and_ratio_guard_against_zero():
    assert math.isnan(pct_change(5, 0))
    assert pct_change(110, 100) == pytest.approx(10)
    assert math.isnan(ratio(1, 0))


def test_definitions_are_the_docstrings_and_cover_the_appendix():
    from toolkit.analyses import kpi
    from toolkit.analyses.kpi import overview
    from toolkit.measures import activity, catalogue, economy, goals, hr, ratios, relations
    from toolkit.measures.costing import unit_costs

    documented: set[str] = set()
    for func in [
        f
        for module in (activity, economy, hr, goals, ratios, catalogue, relations, unit_costs, overview)
        for f in vars(module).values()
    ]:
        for key in getattr(func, "__toolkit_definitions__", ()):
            d = DEFINITIONS[key]
            assert d.text_en in func.__doc__, (func.__name__, key)
            assert d.text_da in func.__doc__, (func.__name__, key)
            documented.add(key)
    shown = {d.key for d in kpi.definitions()}
    assert shown <= documented, shown - documented


def test_explanations_attach_the_latest_of_the_year_and_flag_missing_ones():
    b = budget_status(budget_finance(), "2026-03", materiality_pct=2, materiality_kr=20)
    expl = pd.DataFrame(
        {
            "period": ["2025-12", "2026-01", "2026-02", "2026-04"],
            "unit_id": "D1",
            "account_group": "salary",
            "explanation": ["last year", "first", "second", "future"],
        }
    )
    out = attach_explanations(b, expl, "2026-03").set_index("account_group")
    assert out.loc["salary", "explanation"] == "second"
    assert not out.loc["salary", "explanation_missing"]
    none = attach_explanations(b, None, "2026-03").set_index("account_group")
    assert none.loc["salary", "explanation_missing"]
    assert not none.loc[TOTAL, "explanation_missing"]


def test_goal_table_never_rounds_an_amber_goal_up_to_100_percent():
    """84,9 against a target of 85 is 99,9 % and amber; the table must not print "100 %"."""
    from types import SimpleNamespace

    from toolkit.analyses.kpi.tables import goals_table
    from toolkit.report.blocks import format_value

    goals = pd.DataFrame(
        {
            "name": ["Tilfredse patienter"],
            "measure_unit": ["%"],
            "direction": ["higher"],
            "target": [85.0],
            "actual": [84.9],
            "achievement": [84.9 / 85.0],
            "status": ["amber"],
        }
    )
    view = goals_table(SimpleNamespace(goals=goals), "da")
    [column] = [c for c in view.columns if c.key == "achievement_pct"]
    assert format_value(view.frame["achievement_pct"].iloc[0], column, "da") == "99,9\xa0%"


def test_a_month_whose_salary_no_hours_could_spread_has_no_direct_cost_per_case():
    """Without work hours the activities' cost would be their direct bookings alone: no data, not that."""
    from toolkit.analyses.kpi.results import incomplete_years_missing, salary_needs_hours
    from toolkit.measures.economy import cost_per_case_summary

    fin = pd.concat([finance(), finance().assign(period="2026-04")], ignore_index=True)
    hours, _ = hours_and_hr()  # March only
    vol = pd.concat([volume(), volume().tail(1).assign(period="2026-04")], ignore_index=True)
    raw = cost_per_case(fin, hours, vol, ACTIVITIES, ["2026-03", "2026-04"])
    april = raw.by_activity[
        (raw.by_activity["period"] == "2026-04") & (raw.by_activity["activity_id"] == "A")
    ]
    assert april["cost_per_case"].iloc[0] == pytest.approx(5_000 / 120)  # the direct booking alone
    alloc = salary_needs_hours(raw)
    by = alloc.by_activity.set_index(["period", "activity_id"])
    assert math.isnan(by.loc[("2026-04", "A"), "cost_per_case"]) and math.isnan(
        by.loc[("2026-04", "A"), "cost"]
    )
    assert by.loc[("2026-03", "A"), "cost_per_case"] == pytest.approx((5_000 + 100_000 * 156 / 196) / 120)
    assert alloc.unallocated.equals(raw.unallocated)  # what was not spread is still accounted for
    summary = cost_per_case_summary(alloc, "2026-04")
    assert math.isnan(summary.set_index("activity_id").loc["A", "cost_per_case"])
    ytd = incomplete_years_missing(summary, alloc, "2026-04").set_index("activity_id")
    # January-April holds April's missing cost: the year to date would add March's cost to 4 months' cases
    assert ytd[["ytd_cost_per_case", "ytd_change_pct"]].isna().all().all()
    march = incomplete_years_missing(cost_per_case_summary(alloc, "2026-03"), alloc, "2026-03")
    assert march.set_index("activity_id").loc["A", "ytd_cost_per_case"] == pytest.approx(
        (5_000 + 100_000 * 156 / 196) / 120
    )
    assert salary_needs_hours(alloc.__class__(raw.by_activity, raw.unallocated.iloc[0:0])).by_activity.equals(
        raw.by_activity
    )
