"""Issue 10 in the KPI report: the activity sheet, relationships over time, the centre and hospital
levels, and the KPI catalogues' core set, against hand-computed values (the comments show the
arithmetic)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from toolkit.core.definitions import DEFINITIONS
from toolkit.measures.catalogue import (
    absence_pct,
    catalogue_kpis,
    cost_per_fte,
    fte_average,
    salary_share,
    staff_turnover,
    unallocated_share,
)
from toolkit.measures.inputs import KPIInput
from toolkit.measures.levels import combine, cost_per_case_by_unit, subset
from toolkit.measures.relations import co_movement, unit_monthly_series

ACTIVITIES = pd.DataFrame(
    {
        "activity_id": ["A", "B", "I"],
        "name": ["Ambulant", "Bed", "Intern"],
        "kind": ["core", "core", "internal"],
        "volume_unit": ["besøg", "dage", None],
    }
)


# --------------------------------------------------------------------------- co-movement


def months(n: int, end: str = "2026-10") -> list[str]:
    return [str(p) for p in pd.period_range(end=end, periods=n, freq="M")]


def test_co_movement_states_a_clear_relationship_only_on_12_months():
    idx = months(12)
    x = pd.Series(np.arange(1.0, 13.0), index=idx)
    assert co_movement(x, 2 * x + 3).verdict == "together"  # r = 1
    assert co_movement(x, -x).r == pytest.approx(-1.0)
    assert co_movement(x, -x).verdict == "opposite"
    # symmetric against linear: Σ (x - x̄)(y - ȳ) = 0, so r = 0
    sym = pd.Series([1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1], index=idx, dtype=float)
    none = co_movement(x, sym)
    assert none.r == pytest.approx(0.0, abs=1e-12) and none.verdict == "none" and none.months == 12
    eleven = co_movement(x.iloc[1:], (2 * x).iloc[1:])
    assert eleven.verdict == "too_few" and eleven.months == 11 and np.isnan(eleven.r)
    # a month missing in one series does not count
    assert co_movement(x, (2 * x).where(x != 5)).months == 11
    # the limit is a parameter: r = 1 is not "clear" against a limit above 1
    assert co_movement(x, x, clear=1.01).verdict == "none"


def constructed_unit(overtime: list[float], volume: list[float], *, end: str = "2026-10") -> KPIInput:
    """Five employees of 100 contracted hours a month; 500 productive hours on A each month;
    overtime on the internal activity (so it does not change A's productivity)."""
    periods = months(len(overtime), end)
    hr, hours, vol = [], [], []
    for p, o, v in zip(periods, overtime, volume, strict=True):
        for e in range(5):
            hr.append((p, "U", f"E{e}", "Sygeplejersker", 1.0, 100.0))
            hours.append((p, "U", f"E{e}", "A", "productive", 100.0))
        hours.append((p, "U", "E0", "I", "overtime", o))
        vol.append((p, "U", "A", v, v))
    return KPIInput(
        unit_id="U",
        period=periods[-1],
        activities=ACTIVITIES,
        volume=pd.DataFrame(vol, columns=["period", "unit_id", "activity_id", "actual", "planned"]),
        hours=pd.DataFrame(
            hours, columns=["period", "unit_id", "employee_id", "activity_id", "time_category", "hours"]
        ),
        hr=pd.DataFrame(
            hr, columns=["period", "unit_id", "employee_id", "staff_group", "fte", "contracted_hours"]
        ),
        finance=pd.DataFrame(
            columns=["period", "unit_id", "account_group", "activity_id", "budget", "actual"]
        ),
        goals=pd.DataFrame(
            columns=[
                "period",
                "unit_id",
                "goal_id",
                "name",
                "activity_id",
                "measure_unit",
                "direction",
                "target",
                "actual",
            ]
        ),
    )


def test_monthly_series_of_a_constructed_unit():
    inp = constructed_unit([10.0, 20.0, 30.0], [100.0, 200.0, 300.0])
    m = unit_monthly_series(inp, months(3)).set_index("period")
    # overtime 10 h of 500 contracted hours = 2 %
    assert m.loc["2026-08", "overtime_pct"] == pytest.approx(2.0)
    # A has 500 hours each month (the overtime is on I): 0.2, 0.4, 0.6 cases per hour;
    # mean 0.4; index 50, 100, 150
    assert m["productivity_index"].tolist() == pytest.approx([50.0, 100.0, 150.0])
    assert m["sick_pct"].tolist() == pytest.approx([0.0, 0.0, 0.0])
    assert m["goals_green_pct"].isna().all()  # no goals


def test_relationship_sentence_on_known_none_and_too_few():
    from toolkit.analyses.kpi.relations import relation_sentence

    o = [float(v) for v in range(1, 13)]
    known = unit_monthly_series(constructed_unit(o, [100 + 10 * v for v in o]), months(24))
    assert relation_sentence(known, "da") == (
        "Måned for måned: overarbejdet og produktiviteten gik op og ned sammen (r = 1,00, 12 måneder)."
    )
    opposite = unit_monthly_series(constructed_unit(o, [300 - 10 * v for v in o]), months(24))
    assert "overarbejdet var højere i måneder, hvor produktiviteten var lavere (r = −1,00" in (
        relation_sentence(opposite, "da").replace("-", "−")
    )
    sym = [1.0, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1]
    none = unit_monthly_series(constructed_unit(o, [100 + 10 * v for v in sym]), months(24))
    text = relation_sentence(none, "da")
    assert text.startswith("Over de seneste 12 måneder er der ingen klar sammenhæng")
    short = unit_monthly_series(constructed_unit(o[:11], [100 + 10 * v for v in o[:11]]), months(24))
    text = relation_sentence(short, "da")
    assert text.startswith("Der er kun 11 måneder") and "r =" not in text
    for sentence in (relation_sentence(known, "en"), relation_sentence(none, "en")):
        assert not any(w in sentence.lower() for w in ("because", "caused", "leads to", "due to"))


# --------------------------------------------------------------------------- catalogue


def finance_rows() -> pd.DataFrame:
    rows = [
        ("2026-01", "salary", None, 500.0),
        ("2026-02", "salary", None, 300.0),
        ("2026-02", "medicine", None, 100.0),
        ("2026-02", "goods_services", "A", 100.0),
        ("2025-12", "salary", None, 9999.0),  # last year: not in the year to date
    ]
    df = pd.DataFrame(rows, columns=["period", "account_group", "activity_id", "actual"])
    return df.assign(unit_id="U", budget=0.0)


def test_economy_catalogue_kpis():
    fin = finance_rows()
    assert salary_share(fin, "2026-02") == pytest.approx(80.0)  # 800 / 1000
    assert unallocated_share(fin, "2026-02") == pytest.approx(10.0)  # medicine 100 without activity / 1000
    hr = pd.DataFrame(
        {
            "period": ["2026-01", "2026-01", "2026-02", "2026-02"],
            "employee_id": ["a", "b", "a", "b"],
            "fte": [2.0, 2.0, 3.0, 3.0],
            "contracted_hours": [0.0] * 4,
        }
    )
    assert cost_per_fte(fin, hr, "2026-02") == pytest.approx(200.0)  # 1000 / ((4 + 6) / 2)


def test_hr_catalogue_kpis():
    hr = pd.DataFrame(
        {
            "period": ["2026-01", "2026-02", "2026-03"],
            "employee_id": ["a"] * 3,
            "fte": [5.0, 5.0, 2.0],
            "contracted_hours": [100.0, 100.0, 100.0],
        }
    )
    assert fte_average(hr, ["2026-01", "2026-02", "2026-03"]) == pytest.approx(4.0)  # 12 / 3
    hours = pd.DataFrame(
        {
            "period": ["2026-01"] * 4 + ["2025-01"],
            "time_category": ["holiday", "sick_own", "sick_child", "parental_leave", "sick_own"],
            "hours": [20.0, 10.0, 5.0, 15.0, 99.0],
        }
    )
    # (10 + 5 + 15) / (300 − 20) × 100 = 10.714 %
    assert absence_pct(hours, hr, ["2026-01", "2026-02", "2026-03"]) == pytest.approx(30 / 280 * 100)


def test_staff_turnover():
    p = months(13)  # p[0] is the month before the 12-month window
    rows = [(m, f"E{e}") for m in p for e in range(1, 6)]
    rows += [(m, "E6") for m in p[:6]]  # E6 leaves after p[5]
    rows += [(p[0], "E7")]  # E7 leaves after p[0]
    hr = pd.DataFrame(rows, columns=["period", "employee_id"])
    # 2 leavers; headcount p[1..5] = 6, p[6..12] = 5: mean 65/12
    assert staff_turnover(hr, p[-1]) == pytest.approx(2 / (65 / 12) * 100)


def test_catalogue_suppresses_person_figures_of_small_units():
    inp = constructed_unit([1.0] * 12, [10.0] * 12)
    small = KPIInput(**{**inp.__dict__, "hr": inp.hr[inp.hr["employee_id"] != "E4"]})
    out = catalogue_kpis(small).set_index("key")
    assert out.loc["staff_turnover", "suppressed"] and np.isnan(out.loc["staff_turnover", "value"])
    assert not out.loc["fte_average", "suppressed"]
    assert catalogue_kpis(inp).set_index("key").loc["staff_turnover", "value"] == 0.0


def test_every_new_measure_has_a_definition_in_the_appendix():
    from toolkit.analyses import kpi

    keys = {d.key for d in kpi.definitions()}
    for key in (
        "co_movement",
        "productivity_index",
        "overtime_pct",
        "goals_green_share",
        "salary_share",
        "cost_per_fte",
        "unallocated_share",
        "fte_average",
        "staff_turnover",
        "all_absence_pct",
    ):
        assert key in keys and key in DEFINITIONS
    assert DEFINITIONS["cost_per_case"].name("da") == "Direkte omkostning pr. ydelse"


# --------------------------------------------------------------------------- levels


def two_departments() -> KPIInput:
    def part(
        unit: str, salary: float, hours_a: float, hours_b: float, vol_a: float, vol_b: float
    ) -> KPIInput:
        fin = pd.DataFrame(
            [("2026-01", unit, "salary", None, 0.0, salary)],
            columns=["period", "unit_id", "account_group", "activity_id", "budget", "actual"],
        )
        hours = pd.DataFrame(
            [
                ("2026-01", unit, "E1", "A", "productive", hours_a),
                ("2026-01", unit, "E1", "B", "productive", hours_b),
            ],
            columns=["period", "unit_id", "employee_id", "activity_id", "time_category", "hours"],
        )
        vol = pd.DataFrame(
            [("2026-01", unit, "A", vol_a, None), ("2026-01", unit, "B", vol_b, None)],
            columns=["period", "unit_id", "activity_id", "actual", "planned"],
        )
        hr = pd.DataFrame(
            [("2026-01", unit, "E1", "Læger", 1.0, 160.0)],
            columns=["period", "unit_id", "employee_id", "staff_group", "fte", "contracted_hours"],
        )
        goals = pd.DataFrame(
            columns=[
                "period",
                "unit_id",
                "goal_id",
                "name",
                "activity_id",
                "measure_unit",
                "direction",
                "target",
                "actual",
            ]
        )
        return KPIInput(unit, "2026-01", ACTIVITIES, vol, hours, hr, fin, goals)

    return combine(
        [part("D1", 1000.0, 10.0, 30.0, 5.0, 10.0), part("D2", 600.0, 30.0, 10.0, 15.0, 10.0)], "C"
    )


def test_a_centres_cost_per_case_is_its_departments_costs_over_their_volumes():
    alloc = cost_per_case_by_unit(two_departments(), ["2026-01"]).by_activity.set_index("activity_id")
    # D1: A 1000 × 10/40 = 250, B 750; D2: A 600 × 30/40 = 450, B 150
    assert alloc.loc["A", "cost"] == pytest.approx(700.0) and alloc.loc["B", "cost"] == pytest.approx(900.0)
    assert alloc.loc["A", "cost_per_case"] == pytest.approx(35.0)  # 700 / (5 + 15)
    assert alloc.loc["B", "cost_per_case"] == pytest.approx(45.0)  # 900 / (10 + 10)
    # (pooling the salary of both would give A 1600 × 40/80 = 800: not the departments' figures)


def test_combine_keeps_each_departments_employees_apart():
    inp = two_departments()
    assert sorted(inp.hr["employee_id"]) == ["D1:E1", "D2:E1"]
    assert subset(inp, ["D2"], "D2").hr["employee_id"].tolist() == ["D2:E1"]


def test_the_report_headline_names_the_activity_whose_volume_and_hours_moved_apart(sample_dir):
    """The activity sheet's sentence competes in the report headline when the gap is real."""
    from toolkit.analyses.kpi import compute, headline, load
    from toolkit.analyses.kpi import sheet as sheet_mod
    from toolkit.analyses.kpi.overview import divergence_finding
    from toolkit.core import config
    from toolkit.report.context import open_context

    for unit in ("FS-AKU", "FS-LUN", "FS-ORT"):
        ctx = open_context("kpi", unit=unit, period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR)
        res = compute(load(ctx), ctx)
        table = sheet_mod.activity_sheet(res, ctx.period, ctx.lang)
        gap = (table["ytd_vs_last_year_pct"] - table["ytd_hours_change_pct"]).abs().max()
        finding = divergence_finding(res, ctx)
        if gap >= sheet_mod.DIVERGENCE_LIMIT_PP:
            assert finding is not None and finding.text == sheet_mod.sheet_headline(table, ctx.lang)
            assert finding.weight == pytest.approx(1 + gap / 10)
        else:
            assert finding is None
        sentences = headline(res, ctx)
        assert 1 <= len(sentences) <= 5
        if finding is not None and len(sentences) < 5:
            assert finding.text in sentences  # room in the headline: it is there
