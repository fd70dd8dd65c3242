"""The 11-hour rest rule: hand-built rosters with known answers, and a brute-force cross-check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.analyses.shift_assessment import rest_time, roster
from toolkit.analyses.shift_assessment.rest_time import OK, REDUCED, UNDER_REDUCED, RestRule, check_rest
from toolkit.core.errors import DataValidationError

T = pd.Timestamp


def intervals(*spans: tuple[str, str], person: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Arrays for :func:`check_rest` from (start, end) pairs of one person."""
    start = np.array([T(a) for a, _ in spans], dtype="datetime64[ns]")
    end = np.array([T(b) for _, b in spans], dtype="datetime64[ns]")
    return np.full(len(spans), person), start, end


def outcome(*spans: tuple[str, str]) -> list[tuple[float, int]]:
    """(longest rest in hours, category) per stretch of work, in time order."""
    res = check_rest(*intervals(*spans))
    return [(round(float(h), 4), int(c)) for h, c in zip(res.longest_rest_h, res.category, strict=True)]


# --------------------------------------------------------------------------- the cases


def test_ten_hour_gap_across_midnight_is_a_breach() -> None:
    got = outcome(("2026-03-02 14:00", "2026-03-02 22:00"), ("2026-03-03 08:00", "2026-03-03 16:00"))
    assert got == [(16.0, OK), (10.0, REDUCED)]


def test_eleven_hour_gap_is_not_a_breach() -> None:
    got = outcome(("2026-03-02 14:00", "2026-03-02 22:00"), ("2026-03-03 09:00", "2026-03-03 17:00"))
    assert got == [(16.0, OK), (11.0, OK)]


def test_sixteen_hour_double_shift_breaches_although_the_gaps_around_it_are_long() -> None:
    got = outcome(
        ("2026-03-01 07:00", "2026-03-01 15:00"),
        ("2026-03-02 07:00", "2026-03-02 15:00"),  # day shift ...
        ("2026-03-02 15:00", "2026-03-02 23:00"),  # ... that runs on as an evening shift
        ("2026-03-04 07:00", "2026-03-04 15:00"),
    )
    # Three stretches: the double shift is one, and only 24 − 16 = 8 hours before its end are free.
    assert got == [(16.0, OK), (8.0, REDUCED), (16.0, OK)]


def test_seventeen_hour_stretch_leaves_under_eight_hours() -> None:
    got = outcome(("2026-03-02 07:00", "2026-03-02 15:00"), ("2026-03-02 15:00", "2026-03-03 00:00"))
    assert got == [(7.0, UNDER_REDUCED)]


@pytest.mark.parametrize(
    ("hours", "category"), [(13.0, OK), (13.25, REDUCED), (16.0, REDUCED), (16.5, UNDER_REDUCED)]
)
def test_more_than_thirteen_hours_in_a_row_always_breaches(hours: float, category: int) -> None:
    start = T("2026-03-10 06:00")
    end = start + pd.Timedelta(hours=hours)
    res = check_rest(np.array([1]), np.array([start.to_datetime64()]), np.array([end.to_datetime64()]))
    assert res.category.tolist() == [category]
    assert res.longest_rest_h[0] == pytest.approx(24 - hours)


def test_an_earlier_eleven_hour_rest_inside_the_window_is_enough() -> None:
    # Short breaks do not matter as long as 11 consecutive free hours fit in the 24 hours.
    got = outcome(
        ("2026-03-02 00:00", "2026-03-02 02:00"),
        ("2026-03-02 13:00", "2026-03-02 14:00"),
        ("2026-03-02 15:00", "2026-03-02 20:00"),
    )
    assert got == [(22.0, OK), (11.0, OK), (11.0, OK)]


def test_persons_are_checked_separately_whatever_the_row_order() -> None:
    person = np.array([2, 1, 2])
    start = np.array(
        [T("2026-03-02 14:00"), T("2026-03-02 23:00"), T("2026-03-03 06:00")], dtype="datetime64[ns]"
    )
    end = np.array(
        [T("2026-03-02 22:00"), T("2026-03-03 07:00"), T("2026-03-03 14:00")], dtype="datetime64[ns]"
    )
    res = check_rest(person, start, end)
    by_first = dict(zip(res.first.tolist(), res.category.tolist(), strict=True))
    # Person 1's night is fine; person 2 has 8 hours between 22:00 and 06:00.
    assert by_first == {1: OK, 0: OK, 2: REDUCED}


def test_rule_parameters_are_used() -> None:
    strict = RestRule(rest_hours=12.0, reduced_rest_hours=9.0)
    res = check_rest(
        *intervals(("2026-03-02 14:00", "2026-03-02 22:00"), ("2026-03-03 09:00", "2026-03-03 17:00")), strict
    )
    # 11 hours' rest: a breach of a 12-hour rule, within a reduced rest of 9.
    assert res.category.tolist() == [OK, REDUCED]
    assert res.longest_rest_h.tolist() == [16.0, 11.0]


def test_rule_must_be_consistent() -> None:
    with pytest.raises(ValueError, match="reduced_rest_hours"):
        RestRule(rest_hours=8.0, reduced_rest_hours=9.0)


# --------------------------------------------------------------------------- data errors


def test_overlapping_shifts_are_a_data_error_not_merged() -> None:
    with pytest.raises(DataValidationError, match=r"shifts 0, 1: working time overlaps another shift"):
        check_rest(
            *intervals(("2026-03-02 14:00", "2026-03-02 22:00"), ("2026-03-02 21:00", "2026-03-03 07:00"))
        )


def test_reversed_shift_is_a_data_error() -> None:
    with pytest.raises(DataValidationError, match=r"shift 1: the end is not after the start"):
        check_rest(
            *intervals(("2026-03-01 07:00", "2026-03-01 15:00"), ("2026-03-02 14:00", "2026-03-02 12:00"))
        )


def test_overlap_with_a_shift_that_is_not_the_previous_one_names_both() -> None:
    person = np.array([1, 1, 1])
    start = np.array(
        [T("2026-03-02 00:00"), T("2026-03-02 02:00"), T("2026-03-02 05:00")], dtype="datetime64[ns]"
    )
    end = np.array(
        [T("2026-03-02 20:00"), T("2026-03-02 03:00"), T("2026-03-02 06:00")], dtype="datetime64[ns]"
    )
    assert rest_time.overlapping_rows(person, start, end).tolist() == [0, 1, 2]


def test_touching_shifts_do_not_overlap() -> None:
    person, start, end = intervals(
        ("2026-03-02 07:00", "2026-03-02 15:00"), ("2026-03-02 15:00", "2026-03-02 23:00")
    )
    assert rest_time.overlapping_rows(person, start, end).size == 0


# --------------------------------------------------------------------------- on call, via the roster frame


def shift_rows(*rows: tuple) -> pd.DataFrame:
    """Shift rows (employee, start, end, on_call[, actual start, actual end])."""
    out = []
    for r in rows:
        emp, a, b, kind = r[:4]
        actual = r[4:6] if len(r) > 4 else (None, None)
        out.append(
            {
                "period": T(a).strftime("%Y-%m"),
                "unit_id": "U1",
                "employee_id": emp,
                "staff_group": "Læger",
                "shift_type": "on_call" if kind != "none" else "day",
                "planned_start": T(a),
                "planned_end": T(b),
                "actual_start": T(actual[0]) if actual[0] else pd.NaT,
                "actual_end": T(actual[1]) if actual[1] else pd.NaT,
                "changed_at": pd.NaT,
                "agency": False,
                "on_call": kind,
                "cost_kr": np.nan,
            }
        )
    return pd.DataFrame(out)


def stretch_categories(shifts: pd.DataFrame) -> list[str]:
    facts = roster.shift_facts(shifts, notice_days=4)
    return roster.rest_stretches(facts)["category"].astype(str).tolist()


def test_on_call_on_site_counts_as_work() -> None:
    shifts = shift_rows(
        ("E1", "2026-03-02 08:00", "2026-03-02 16:00", "none"),
        ("E1", "2026-03-02 16:00", "2026-03-02 22:00", "on_site"),
        ("E1", "2026-03-03 08:00", "2026-03-03 16:00", "none"),
    )
    # 08–22 is one 14-hour stretch (10 hours free before its end), then only 10 hours' rest.
    assert stretch_categories(shifts) == ["reduced", "reduced"]


def test_on_call_at_home_without_call_in_is_rest() -> None:
    shifts = shift_rows(
        ("E1", "2026-03-02 08:00", "2026-03-02 16:00", "none"),
        ("E1", "2026-03-02 16:00", "2026-03-03 08:00", "at_home"),
        ("E1", "2026-03-03 08:00", "2026-03-03 16:00", "none"),
    )
    assert stretch_categories(shifts) == ["ok", "ok"]


def test_a_call_in_during_on_call_at_home_is_work() -> None:
    shifts = shift_rows(
        ("E1", "2026-03-02 08:00", "2026-03-02 16:00", "none"),
        ("E1", "2026-03-02 16:00", "2026-03-03 08:00", "at_home"),
        ("E1", "2026-03-02 22:00", "2026-03-03 01:00", "called_in"),
        ("E1", "2026-03-03 08:00", "2026-03-03 16:00", "none"),
    )
    # The call-in (22–01) is work: in the 24 hours before 01:00 the longest rest is 01–08 the day
    # before (7 hours; 16–22 is only 6), and before the next day shift ends at 16:00 it is 01–08.
    assert stretch_categories(shifts) == ["ok", "under_reduced", "under_reduced"]


def test_actual_times_are_used_where_registered() -> None:
    shifts = shift_rows(
        ("E1", "2026-03-02 14:00", "2026-03-02 22:00", "none", "2026-03-02 14:00", "2026-03-02 23:30"),
        ("E1", "2026-03-03 09:00", "2026-03-03 17:00", "none"),
    )
    # Planned: 11 hours' rest; actual: the evening ran to 23:30, leaving 9.5 hours.
    assert stretch_categories(shifts) == ["ok", "reduced"]


def test_overlap_in_a_roster_names_the_shifts_by_planned_start_never_the_person() -> None:
    shifts = shift_rows(
        ("E123456", "2026-03-01 16:00", "2026-03-02 08:00", "at_home"),  # rest: left out, positions shift
        ("E123456", "2026-03-02 14:00", "2026-03-02 22:00", "none"),
        ("E123456", "2026-03-02 21:00", "2026-03-03 05:00", "called_in"),
    )
    with pytest.raises(DataValidationError) as err:
        roster.rest_stretches(roster.shift_facts(shifts, notice_days=4))
    assert "planned 2026-03-02 14:00, planned 2026-03-02 21:00" in str(err.value)
    assert "E123456" not in str(err.value)


# --------------------------------------------------------------------------- against a direct reading of the rule


def brute_force(person: np.ndarray, start_min: np.ndarray, end_min: np.ndarray) -> dict[int, list[float]]:
    """For each person: minute by minute, the longest free run in the 24 h before each stretch ends."""
    out: dict[int, list[float]] = {}
    for p in np.unique(person):
        sel = person == p
        horizon = int(end_min[sel].max()) + 1
        busy = np.zeros(horizon + 1440, dtype=bool)  # 24 free hours before the first shift
        for a, b in zip(start_min[sel], end_min[sel], strict=True):
            busy[a + 1440 : b + 1440] = True
        ends = np.flatnonzero(busy[:-1] & ~busy[1:]) + 1  # work → free transitions
        result = []
        for b in ends:
            run = best = 0
            for x in busy[b - 1440 : b]:
                run = 0 if x else run + 1
                best = max(best, run)
            result.append(best / 60)
        out[int(p)] = result
    return out


@st.composite
def rosters(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    persons, starts, ends = [], [], []
    for p in range(draw(st.integers(1, 3))):
        t = draw(st.integers(0, 24 * 4)) * 15
        for _ in range(draw(st.integers(1, 8))):
            gap = draw(st.sampled_from([0, 0, 1, 4, 20, 30, 32, 36, 40, 44, 48, 60, 64, 96])) * 15
            length = draw(st.integers(1, 70)) * 15
            t += gap
            persons.append(p)
            starts.append(t)
            ends.append(t + length)
            t += length
    return np.array(persons), np.array(starts), np.array(ends)


@settings(max_examples=150, deadline=None)
@given(rosters(), st.randoms(use_true_random=False))
def test_vectorised_check_matches_the_minute_by_minute_rule(roster_: tuple, rnd) -> None:  # type: ignore[no-untyped-def]
    person, start_min, end_min = roster_
    order = list(range(len(person)))
    rnd.shuffle(order)  # input order must not matter
    base = np.datetime64("2026-03-01T00:00", "ns")
    to_ns = np.timedelta64(1, "m")
    res = check_rest(person[order], base + start_min[order] * to_ns, base + end_min[order] * to_ns)
    expected = brute_force(person, start_min, end_min)
    for p, want in expected.items():
        got = np.minimum(res.longest_rest_h[res.person == p], 24.0)
        assert got.tolist() == pytest.approx(want), (p, got, want)
    cats = np.where(res.longest_rest_h >= 11, OK, np.where(res.longest_rest_h >= 8, REDUCED, UNDER_REDUCED))
    assert res.category.tolist() == cats.tolist()


# --------------------------------------------------------------------------- daylight-saving switches


def test_clock_times_become_instants_across_both_switches() -> None:
    """Copenhagen: 2026-03-29 02:00 → 03:00 (spring), 2026-10-25 03:00 → 02:00 (autumn)."""
    start = pd.Series([T("2026-03-28 22:00"), T("2026-10-24 22:00"), T("2026-06-01 22:00")])
    end = pd.Series([T("2026-03-29 06:00"), T("2026-10-25 06:00"), T("2026-06-02 06:00")])
    a, b = rest_time.instants(start, end)
    assert ((b - a) / pd.Timedelta(hours=1)).tolist() == [7.0, 9.0, 8.0]
    assert list(rest_time.local_times(a.to_numpy())) == list(start.to_numpy())  # and back


def test_clock_times_in_the_repeated_and_the_missing_hour() -> None:
    start = pd.Series([T("2026-10-25 01:30"), T("2026-10-25 02:30"), T("2026-03-29 02:30")])
    end = pd.Series([T("2026-10-25 02:15"), T("2026-10-25 02:15"), T("2026-03-29 05:00")])
    a, b = rest_time.instants(start, end)
    # 45 minutes in the first pass; an end before its start lies in the second pass (45 min);
    # 02:30 on the spring night is read as 03:30 summer time (1.5 hours to 05:00).
    assert ((b - a) / pd.Timedelta(minutes=1)).tolist() == [45.0, 45.0, 90.0]


def test_rest_across_the_spring_switch_is_an_hour_shorter() -> None:
    # Evening until 22:00, day shift from 08:00: 10 clock hours, but 9 real hours on the spring night.
    shifts = shift_rows(
        ("E1", "2026-03-28 14:00", "2026-03-28 22:00", "none"),
        ("E1", "2026-03-29 08:00", "2026-03-29 16:00", "none"),
        ("E2", "2026-03-28 12:00", "2026-03-28 20:00", "none"),
        ("E2", "2026-03-29 08:00", "2026-03-29 16:00", "none"),  # 12 clock hours, 11 real: still ok
    )
    st = roster.rest_stretches(roster.shift_facts(shifts, notice_days=4))
    assert st["longest_rest_h"].round(4).tolist() == [16.0, 9.0, 16.0, 11.0]
    assert st["category"].astype(str).tolist() == ["ok", "reduced", "ok", "ok"]


def test_rest_across_the_autumn_switch_is_an_hour_longer() -> None:
    # 10 clock hours of rest (22:00 → 08:00) are 11 real hours on the autumn night: no breach.
    shifts = shift_rows(
        ("E1", "2026-10-24 14:00", "2026-10-24 22:00", "none"),
        ("E1", "2026-10-25 08:00", "2026-10-25 16:00", "none"),
    )
    st = roster.rest_stretches(roster.shift_facts(shifts, notice_days=4))
    assert st["longest_rest_h"].round(4).tolist() == [16.0, 11.0]
    assert st["category"].astype(str).tolist() == ["ok", "ok"]
    # The same clock times on an ordinary night are a reduced rest; the local times come back.
    summer = shifts.assign(
        planned_start=shifts["planned_start"] - pd.Timedelta(days=7),
        planned_end=shifts["planned_end"] - pd.Timedelta(days=7),
    )
    st = roster.rest_stretches(roster.shift_facts(summer, notice_days=4))
    assert st["category"].astype(str).tolist() == ["ok", "reduced"]
    assert st["start"].tolist() == summer["planned_start"].tolist()


def test_night_shifts_across_both_switches_last_seven_and_nine_hours() -> None:
    shifts = shift_rows(
        ("E1", "2026-03-28 22:00", "2026-03-29 06:00", "none"),
        ("E1", "2026-10-24 22:00", "2026-10-25 06:00", "none"),
        ("E1", "2026-06-01 22:00", "2026-06-02 06:00", "none"),
    )
    facts = roster.shift_facts(shifts, notice_days=4)
    assert facts["planned_h"].tolist() == [7.0, 9.0, 8.0]
    assert facts["worked_h"].tolist() == [7.0, 9.0, 8.0]
    st = roster.rest_stretches(facts)
    assert st["hours"].tolist() == [7.0, 8.0, 9.0]  # in time order
    assert st["period"].astype(str).tolist() == ["2026-03", "2026-06", "2026-10"]


def test_another_time_zone_has_other_switches() -> None:
    # New York puts its clocks forward on 2026-03-08, not on 2026-03-29.
    shifts = shift_rows(
        ("E1", "2026-03-07 22:00", "2026-03-08 06:00", "none"),
        ("E1", "2026-03-28 22:00", "2026-03-29 06:00", "none"),
    )
    assert roster.shift_facts(shifts, notice_days=4, time_zone="America/New_York")["planned_h"].tolist() == [
        7.0,
        8.0,
    ]
