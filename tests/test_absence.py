"""Absence as Statistics Denmark counts it: own illness, child's illness, all absence, days per FTE.

Hand-computed on two employees over one month.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from toolkit.measures.common import TOTAL
from toolkit.measures.hr import ABSENCE_MEASURES, staff_group_kpis, unit_absence

P = "2026-10"


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    # Two nurses, 160 and 120 contracted hours (FTE 1.0 and 0.75): 280 contracted, 20 holiday,
    # so 260 possible hours. Own illness 13 h, child's illness 5,2 h, work injury 2 h,
    # parental leave 4 h, other absence 1,8 h: 26 h of absence that counts (not the holiday).
    hr = pd.DataFrame(
        {
            "period": [P, P],
            "unit_id": ["U", "U"],
            "employee_id": ["E1", "E2"],
            "staff_group": ["Sygeplejersker", "Sygeplejersker"],
            "fte": [1.0, 0.75],
            "contracted_hours": [160.0, 120.0],
        }
    )
    rows = [
        ("E1", "A", "productive", 130.0),
        ("E1", None, "holiday", 12.0),
        ("E1", None, "sick_own", 13.0),
        ("E1", None, "sick_child", 5.2),
        ("E2", "A", "productive", 100.0),
        ("E2", "A", "overtime", 3.0),
        ("E2", None, "holiday", 8.0),
        ("E2", None, "work_injury", 2.0),
        ("E2", None, "parental_leave", 4.0),
        ("E2", None, "other_absence", 1.8),
    ]
    hours = pd.DataFrame(
        [
            {"period": P, "unit_id": "U", "employee_id": e, "activity_id": a, "time_category": c, "hours": h}
            for e, a, c, h in rows
        ]
    )
    return hours, hr


def test_absence_percentages_and_days_by_hand():
    hours, hr = _tables()
    total = staff_group_kpis(hours, hr, [P]).set_index("staff_group").loc[TOTAL]
    assert total["possible"] == pytest.approx(260.0)
    assert total["sick_pct"] == pytest.approx(13 / 260 * 100)  # 5,0 %
    assert total["child_sick_pct"] == pytest.approx(5.2 / 260 * 100)  # 2,0 %
    assert total["all_absence_pct"] == pytest.approx(26 / 260 * 100)  # 10,0 %: holiday not counted
    assert total["sick_days_per_fte"] == pytest.approx(13 / 7.4 / 1.75)
    assert total["absence_days_per_fte"] == pytest.approx(26 / 7.4 / 1.75)  # 2,0 days per FTE


def test_overtime_is_not_absence_and_holiday_is_not_absence():
    hours, hr = _tables()
    more = pd.concat(
        [
            hours,
            pd.DataFrame(
                [
                    {
                        "period": P,
                        "unit_id": "U",
                        "employee_id": "E1",
                        "activity_id": "A",
                        "time_category": "overtime",
                        "hours": 50.0,
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    a = staff_group_kpis(hours, hr, [P]).set_index("staff_group").loc[TOTAL, "all_absence_pct"]
    b = staff_group_kpis(more, hr, [P]).set_index("staff_group").loc[TOTAL, "all_absence_pct"]
    assert a == b == pytest.approx(10.0)


def test_unit_absence_is_suppressed_below_the_privacy_limit_and_shown_at_it():
    hours, hr = _tables()
    hidden = unit_absence(hours, hr, {"month": [P]}, min_group_size=5)
    assert list(hidden["measure"]) == list(ABSENCE_MEASURES)
    assert hidden["month"].isna().all()  # two persons
    many_hr = pd.concat(
        [hr.assign(employee_id=hr["employee_id"] + str(i)) for i in range(3)], ignore_index=True
    )
    many_hours = pd.concat(
        [hours.assign(employee_id=hours["employee_id"] + str(i)) for i in range(3)], ignore_index=True
    )
    shown = unit_absence(many_hours, many_hr, {"month": [P]}, min_group_size=5).set_index("measure")["month"]
    assert shown["all_absence_pct"] == pytest.approx(10.0)  # six persons, the same shares
    assert shown["absence_days_per_fte"] == pytest.approx(78 / 7.4 / 5.25)
    assert not any(math.isnan(v) for v in shown)
