"""One number per concept: every figure two reports of a unit share (by id) is the same number.

Read from the reports' JSON files of one ``toolkit run --all-units`` over the sample data (the
session's ``sample_run``), for every unit: a KPI id that two reports record must carry the same
value in both. Two figures that differ in definition carry different ids (the KPI report's
``direct_cost_per_case_*`` beside the unit-cost engine's ``unit_cost_*``).
"""

from __future__ import annotations

import json
import math
from itertools import combinations
from pathlib import Path

import pytest


def _reports(out: Path) -> dict[str, dict[str, dict[str, float | None]]]:
    """Unit → notebook → KPI id → value, from every report JSON of the run in ``out``."""
    units: dict[str, dict[str, dict[str, float | None]]] = {}
    for path in sorted(out.glob("*/*/*.json")):
        if path.name == "manifest.json":
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        values = {k["key"]: k["value"] for k in doc["kpis"]}
        units.setdefault(doc["unit"], {})[doc["notebook"]] = values
    return units


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def reports(sample_run) -> dict[str, dict[str, dict[str, float | None]]]:
    summary, out = sample_run
    failed = [f"{r.notebook} {r.unit}: {r.error}" for r in summary.results if r.status != "ok"]
    assert not failed, "\n".join(failed)
    return _reports(out)


def test_every_shared_concept_has_one_value_in_every_report_of_a_unit(reports):
    differences = []
    compared = 0
    for unit, by_notebook in reports.items():
        for (na, a), (nb, b) in combinations(sorted(by_notebook.items()), 2):
            for key in sorted(set(a) & set(b)):
                compared += 1
                if not _same(a[key], b[key]):
                    differences.append(f"{unit} {key}: {na} {a[key]} vs {nb} {b[key]}")
    assert not differences, "\n".join(differences)
    assert compared > 0


def test_the_kpi_reports_full_cost_per_case_is_the_unit_cost_engines(reports):
    departments = [u for u, nb in reports.items() if "kpi" in nb and "unit-cost" in nb]
    assert departments, "the sample run made no KPI and unit-cost report for one unit"
    for unit in departments:
        kpi, cost = reports[unit]["kpi"], reports[unit]["unit-cost"]
        engine = {k for k in cost if k.startswith("unit_cost_")}
        # Every activity the engine costs that the KPI report shows has the same id there.
        shown = {
            k.removeprefix("direct_cost_per_case_ytd_")
            for k in kpi
            if k.startswith("direct_cost_per_case_ytd_")
        }
        expected = {k for k in engine if k.removeprefix("unit_cost_") in shown}
        assert expected <= set(kpi), f"{unit}: KPI report lacks {sorted(expected - set(kpi))}"
    assert any(k.startswith("unit_cost_") for u in departments for k in reports[u]["kpi"])


def test_sick_leave_over_12_months_is_one_figure_in_the_kpi_and_shift_reports(reports):
    both = [u for u, nb in reports.items() if "kpi" in nb and "shift-assessment" in nb]
    assert both
    for unit in both:
        assert "sick_leave_12m_pct" in reports[unit]["kpi"]
        assert _same(
            reports[unit]["kpi"]["sick_leave_12m_pct"],
            reports[unit]["shift-assessment"]["sick_leave_12m_pct"],
        )
