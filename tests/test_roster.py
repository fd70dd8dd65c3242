"""Roster KPIs with hand-computed values: overtime, agency, short notice, rest caps, staffing vs demand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.analyses.shift_assessment import demand, roster
from toolkit.measures.common import TOTAL

T = pd.Timestamp
NaT = pd.NaT


def row(
    emp,
    start,
    end,
    *,
    kind="none",
    agency=False,
    actual=None,
    changed=None,
    cost=np.nan,
    shift_type=None,
    group="Sygeplejersker",
):  # type: ignore[no-untyped-def]
    a0, a1 = actual if actual else (None, None)
    return {
        "period": T(start).strftime("%Y-%m"),
        "unit_id": "U1",
        "employee_id": emp,
        "staff_group": group,
        "shift_type": shift_type or ("on_call" if kind != "none" else "day"),
        "planned_start": T(start),
        "planned_end": T(end),
        "actual_start": T(a0) if a0 else NaT,
        "actual_end": T(a1) if a1 else NaT,
        "changed_at": T(changed) if changed else NaT,
        "agency": agency,
        "on_call": kind,
        "cost_kr": cost,
    }


@pytest.fixture
def march() -> pd.DataFrame:
    """Seven shifts with known answers (see each row's comment)."""
    return pd.DataFrame(
        [
            # 1.5 h overtime; changed a month ahead (not short notice).
            row(
                "E1",
                "2026-03-02 07:00",
                "2026-03-02 15:00",
                actual=("2026-03-02 07:00", "2026-03-02 16:30"),
                changed="2026-02-01 10:00",
                cost=2000,
            ),
            # changed 2 days ahead: short notice.
            row(
                "E1",
                "2026-03-03 07:00",
                "2026-03-03 15:00",
                actual=("2026-03-03 07:00", "2026-03-03 15:00"),
                changed="2026-03-01 07:00",
                cost=2000,
            ),
            # exactly 4 days ahead: not short notice; no actual times (planned used, not registered).
            row(
                "E2",
                "2026-03-06 15:00",
                "2026-03-06 23:00",
                changed="2026-03-02 15:00",
                cost=1800,
                shift_type="evening",
            ),
            # agency night shift, booked 3 hours ahead.
            row(
                "V1",
                "2026-03-05 23:00",
                "2026-03-06 07:00",
                agency=True,
                actual=("2026-03-05 23:00", "2026-03-06 07:00"),
                changed="2026-03-05 20:00",
                cost=4000,
                shift_type="night",
            ),
            # on call at home: rest, no planned working time.
            row("E3", "2026-03-09 16:00", "2026-03-10 08:00", kind="at_home", cost=500, group="Læger"),
            # a call-in: unplanned work, counted as hours beyond the plan.
            row(
                "E3",
                "2026-03-09 20:00",
                "2026-03-09 22:30",
                kind="called_in",
                actual=("2026-03-09 20:00", "2026-03-09 22:30"),
                cost=800,
                group="Læger",
            ),
            # changed after it started (registering actual times): not short notice.
            row(
                "E2",
                "2026-03-10 07:00",
                "2026-03-10 15:00",
                actual=("2026-03-10 07:00", "2026-03-10 15:00"),
                changed="2026-03-10 16:00",
            ),
        ]
    )


def test_monthly_kpis_hand_computed(march: pd.DataFrame) -> None:
    before = march.copy()
    facts = roster.shift_facts(march, notice_days=4)
    m = roster.monthly_kpis(facts, ["2026-02", "2026-03"]).set_index("period")
    pd.testing.assert_frame_equal(march, before)  # inputs are never changed
    mar = m.loc["2026-03"]
    assert mar["persons"] == 4  # E1, E2, V1, E3 (called in)
    assert mar["shifts"] == 5  # worked, rostered: not the on-call at home, not the call-in
    assert mar["planned_h"] == 32.0  # own staff's regular shifts: 4 × 8
    assert mar["overtime_h"] == 4.0  # 1.5 run-over + 2.5 call-in
    assert mar["overtime_pct"] == pytest.approx(4 / 32 * 100)
    assert mar["worked_h"] == pytest.approx(9.5 + 8 + 8 + 8 + 2.5 + 8)
    assert mar["agency_pct"] == pytest.approx(8 / 44 * 100)
    assert mar["agency_night_pct"] == pytest.approx(100.0)
    assert mar["agency_cost_pct"] == pytest.approx(4000 / (2000 + 2000 + 1800 + 4000 + 800) * 100)
    assert mar["short_notice"] == 2
    assert mar["short_notice_pct"] == pytest.approx(2 / 6 * 100)  # rostered: all but the call-in
    assert mar["registered_pct"] == pytest.approx(5 / 6 * 100)
    feb = m.loc["2026-02"]
    assert feb["shifts"] == 0 and np.isnan(feb["overtime_pct"])


def test_short_notice_parameter(march: pd.DataFrame) -> None:
    facts = roster.shift_facts(march, notice_days=5)  # now the change exactly 4 days ahead counts
    assert roster.monthly_kpis(facts, ["2026-03"])["short_notice"].iloc[0] == 3


def test_group_kpis_have_a_total_row(march: pd.DataFrame) -> None:
    g = roster.group_kpis(roster.shift_facts(march, notice_days=4), ["2026-03"]).set_index("staff_group")
    assert list(g.index) == ["Læger", "Sygeplejersker", TOTAL]
    assert g.loc["Læger", "overtime_h"] == 2.5
    assert g.loc[TOTAL, "persons"] == 4
    assert g.loc["Sygeplejersker", "planned_h"] + g.loc["Læger", "planned_h"] == g.loc[TOTAL, "planned_h"]


# --------------------------------------------------------------------------- rest time per month and the caps


def quick_returns(emp: str, month: str, n: int, first_day: int = 1) -> list[dict]:
    """``n`` evening shifts each followed by a day shift (8 hours' rest), two days apart."""
    rows = []
    for i in range(n):
        day = pd.Timestamp(f"{month}-01") + pd.Timedelta(days=first_day - 1 + 2 * i)
        rows.append(
            row(emp, day + pd.Timedelta(hours=15), day + pd.Timedelta(hours=23), shift_type="evening")
        )
        nxt = day + pd.Timedelta(days=1)
        rows.append(row(emp, nxt + pd.Timedelta(hours=7), nxt + pd.Timedelta(hours=15)))
    return rows


def summary(rows: list[dict], months: list[str]) -> pd.DataFrame:
    facts = roster.shift_facts(pd.DataFrame(rows), notice_days=4)
    return roster.rest_summary(roster.rest_stretches(facts), months).set_index("period")


def test_reduced_rests_against_the_monthly_cap() -> None:
    s = summary(quick_returns("E1", "2026-03", 11) + quick_returns("E2", "2026-03", 10), ["2026-03"])
    m = s.loc["2026-03"]
    assert m["stretches"] == 42
    assert m["breaches"] == m["reduced"] == 21
    assert m["under_reduced"] == 0
    assert m["breach_pct"] == pytest.approx(50.0)
    assert m["persons_with_reduced"] == 2
    assert m["persons_over_month_cap"] == 1  # 11 > 10; 10 is allowed


def test_reduced_rests_against_the_yearly_cap() -> None:
    rows = []
    for month in ("2026-01", "2026-02", "2026-03", "2026-04"):
        rows += quick_returns("E1", month, 10)
    rows += quick_returns("E1", "2026-05", 6)  # 46 in the year by May
    months = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    s = summary(rows, months)
    assert s["persons_over_month_cap"].tolist() == [0] * 6
    assert s["persons_over_year_cap"].tolist() == [0, 0, 0, 0, 1, 1]


def test_long_stretches_are_counted() -> None:
    rows = [
        row("E1", "2026-03-02 07:00", "2026-03-02 15:00"),
        row("E1", "2026-03-02 15:00", "2026-03-02 23:00", shift_type="evening"),
        row("E2", "2026-03-02 07:00", "2026-03-02 15:00"),
    ]
    s = summary(rows, ["2026-03"]).loc["2026-03"]
    assert (s["stretches"], s["breaches"], s["long_stretches"]) == (2, 1, 1)


# --------------------------------------------------------------------------- staffing and demand


def test_hourly_staffing_counts_by_the_minute() -> None:
    facts = roster.shift_facts(
        pd.DataFrame(
            [
                row("E1", "2026-03-02 07:30", "2026-03-02 09:00"),
                row("E2", "2026-03-02 08:00", "2026-03-02 10:00"),
                row("E3", "2026-03-02 06:00", "2026-03-02 12:00", kind="at_home"),  # rest: not counted
            ]
        ),
        notice_days=4,
    )
    staff = demand.hourly_staffing(facts, T("2026-03-02 06:00"), T("2026-03-02 11:00"))
    assert staff.tolist() == [0.0, 0.5, 2.0, 1.0, 0.0]
    assert staff.index[0] == T("2026-03-02 06:00")


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 47 * 60), st.integers(1, 16 * 60)), min_size=1, max_size=20))
def test_hourly_staffing_conserves_staff_hours(spans: list[tuple[int, int]]) -> None:
    base = T("2026-03-02 00:00")
    rows = [
        row(f"E{i}", base + pd.Timedelta(minutes=a), base + pd.Timedelta(minutes=a + n))
        for i, (a, n) in enumerate(spans)
    ]
    facts = roster.shift_facts(pd.DataFrame(rows), notice_days=4)
    staff = demand.hourly_staffing(facts, base, base + pd.Timedelta(days=3))
    assert staff.sum() == pytest.approx(sum(n for _, n in spans) / 60)


def profile(staff: dict[tuple[int, int], float], demand: dict[tuple[int, int], float]) -> pd.DataFrame:
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    return pd.DataFrame(
        {
            "staff": pd.Series(staff).reindex(grid, fill_value=0.0),
            "demand": pd.Series(demand).reindex(grid, fill_value=0.0),
        }
    ).reset_index()


def test_mismatch_index_hand_computed() -> None:
    # Staff 3:1 over two hours, patients 1:1: shares .75/.25 against .5/.5 → ½(.25 + .25) = .25.
    assert demand.mismatch_index(profile({(0, 8): 3, (0, 9): 1}, {(0, 8): 1, (0, 9): 1})) == pytest.approx(
        0.25
    )
    # The same shape: 0; no overlap at all: 1.
    assert demand.mismatch_index(profile({(0, 8): 4, (1, 3): 2}, {(0, 8): 2, (1, 3): 1})) == pytest.approx(
        0.0
    )
    assert demand.mismatch_index(profile({(0, 8): 1}, {(3, 20): 5})) == pytest.approx(1.0)
    assert np.isnan(demand.mismatch_index(profile({(0, 8): 1}, {})))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.just(0.0), st.floats(0.01, 50)), min_size=168, max_size=168),
    st.lists(st.floats(0.1, 80, allow_nan=False), min_size=168, max_size=168),
    st.floats(0.1, 100),
)
def test_mismatch_index_is_a_share_and_ignores_scale(
    staff: list[float], patients: list[float], k: float
) -> None:
    grid = pd.MultiIndex.from_product([range(7), range(24)], names=["weekday", "hour"])
    p = pd.DataFrame({"staff": staff, "demand": patients}, index=grid).reset_index()
    if sum(staff) == 0:
        return
    mi = demand.mismatch_index(p)
    assert 0 <= mi <= 1
    assert demand.mismatch_index(p.assign(staff=p["staff"] * k, demand=p["demand"] / k)) == pytest.approx(mi)
    blocks = demand.mismatch_blocks(p)
    assert blocks["hours_per_week"].sum() == pytest.approx(0, abs=1e-6)  # hours moved out = hours moved in
    assert blocks["difference"].abs().sum() / 2 <= mi + 1e-9  # blocks can only hide differences


def test_hour_of_week_uses_only_hours_with_demand() -> None:
    hours = pd.date_range("2026-03-02", periods=24 * 14, freq="h")  # two weeks from a Monday
    staff = pd.Series(2.0, index=hours)
    patients = pd.Series(4.0, index=hours)
    patients.iloc[:24] = np.nan  # the first Monday has no patient data
    staff.iloc[:24] = 100.0  # ... so its staffing is left out too
    prof = demand.hour_of_week(staff, patients)
    assert len(prof) == 168
    assert prof["staff"].eq(2.0).all() and prof["ratio"].eq(0.5).all()
    assert prof.loc[prof["weekday"] == 0, "n_hours"].eq(1).all()
    assert prof.loc[prof["weekday"] == 1, "n_hours"].eq(2).all()


def test_staffing_vs_demand_counts_the_chosen_groups_and_picks_census() -> None:
    rows = [
        row("E1", "2026-03-02 00:00", "2026-03-02 12:00"),
        row("D1", "2026-03-02 00:00", "2026-03-02 12:00", group="Læger"),
    ]
    facts = roster.shift_facts(pd.DataFrame(rows), notice_days=4)
    hours = pd.date_range("2026-03-02", periods=24, freq="h")
    flow = pd.DataFrame({"hour": hours, "arrivals": 1.0, "census": np.r_[np.full(12, 3.0), np.full(12, 1.0)]})
    sv = demand.staffing_vs_demand(
        facts,
        flow,
        start=hours[0],
        end=hours[-1] + pd.Timedelta(hours=1),
        groups=["Sygeplejersker", "Jordemødre"],
    )
    assert sv.groups == ("Sygeplejersker",) and sv.measure == "census"
    # Staff all in the first 12 hours (share 1), census 36 of 48 there: index ½(.25 + .25) = .25.
    assert sv.mismatch == pytest.approx(0.25)
    assert sv.staff_hours_per_week == pytest.approx(12.0)
    none = demand.staffing_vs_demand(facts, None, start=hours[0], end=hours[-1])
    assert none.profile is None and np.isnan(none.mismatch)


def test_demand_measure_choice() -> None:
    flow = pd.DataFrame({"arrivals": [1.0, 2.0], "census": [np.nan, np.nan]})
    assert demand.demand_measure(flow, "auto") == "arrivals"
    assert demand.demand_measure(flow, "census") is None
    assert demand.demand_measure(flow.assign(census=5.0), "auto") == "census"
    assert demand.demand_measure(None, "auto") is None


# --------------------------------------------------------------------------- time off in lieu


def test_toil_per_fte_hand_computed() -> None:
    toil = pd.DataFrame(
        {
            "period": "2026-03",
            "unit_id": "U1",
            "employee_id": ["E1", "E2", "E3"],
            "balance_hours": [10.0, 20.0, 5.0],
        }
    )
    hr = pd.DataFrame(
        {
            "period": "2026-03",
            "unit_id": "U1",
            "employee_id": ["E1", "E2", "E4"],
            "staff_group": ["A", "B", "B"],
            "fte": [1.0, 0.5, 1.0],
            "contracted_hours": [160.0, 80.0, 160.0],
        }
    )
    unit = roster.toil_per_fte(toil, hr, ["2026-02", "2026-03"]).set_index("period")
    assert unit.loc["2026-03", "per_fte"] == pytest.approx(35 / 2.5)  # E3 has no hr row: balance, no FTE
    assert unit.loc["2026-03", "persons"] == 4
    assert np.isnan(unit.loc["2026-02", "per_fte"])
    groups = roster.toil_per_fte(toil, hr, ["2026-03"], by_group=True).set_index("staff_group")
    assert groups.loc["A", "per_fte"] == 10.0
    assert groups.loc["B", "per_fte"] == pytest.approx(20 / 1.5)
    assert np.isnan(groups.loc["?", "per_fte"])
    assert groups.loc[TOTAL, "balance_hours"] == 35.0


def test_months_needed_covers_trend_heat_maps_and_january() -> None:
    assert roster.months_needed("2026-03", trend_months=3, heatmap_months=2) == [
        "2026-01",
        "2026-02",
        "2026-03",
    ]
    assert roster.months_needed("2026-10", trend_months=3, heatmap_months=2)[0] == "2026-01"
    assert roster.months_needed("2026-02", trend_months=6, heatmap_months=2)[0] == "2025-09"
