"""The subtraction attacks on every sample report: nothing hidden follows from what is shown.

Reads the workbooks of one run over the sample data (the shared ``sample_run`` fixture) as an
outsider would: every table broken down by staff group, with its persons and its total. Then
tries (1) total minus shown in each table, (2) a unit against its parents (the centre's and the
hospital's tables are sums of their departments') and (3) the month against the 12 months and
the same breakdown in another report of the unit (the shift report's month against the KPI
report's month and 12 months; no staff-group table shows a group's additive figure for one month
beside its 12 months). The attacker of (1) and (2) is plain arithmetic first, then
linear algebra over every sum at once (:func:`toolkit.measures.suppression.derivable`).
Last, the unit-cost workbooks: no capacity cost of a staff group with fewer than 5 persons in a
month of the year to date, never one hidden staff group alone in a cost centre, and never one
hidden resource part alone beside its activity's shown unit cost or in the column of a resource
whose used cost the capacity table shows, and no full cost per case that
one of the unit-cost and KPI reports hides and the other shows (the KPI report's centre and
hospital included). And each department's comparison with its siblings shows nothing its
centre's table of the departments below hides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from toolkit.data.sources import FolderSource
from toolkit.measures.common import TOTAL
from toolkit.measures.suppression import Constraint, derivable, hierarchy_constraints, table_constraints

GROUP_HEADERS = ("Personalegruppe", "Staff group")
PERSON_HEADERS = ("Personer", "Persons")
TOTAL_LABELS = ("I alt", "Total")

#: (notebook, unit) -> {sheet: {group: persons or None (hidden)}}
Tables = dict[tuple[str, str], dict[str, dict[str, float | None]]]


def staff_group_sheets(path: Path) -> dict[str, dict[str, Any]]:
    """The sheets of a workbook broken down by staff group: per sheet the rows by group."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    out: dict[str, dict[str, Any]] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        if not rows or rows[0][0] not in GROUP_HEADERS:
            continue
        header = list(rows[0])
        if not any(h in PERSON_HEADERS for h in header):
            continue
        out[f"#{len(out) + 1}"] = {  # by position: the title is in the report's language
            "header": header,
            "title": ws.title,
            "rows": {(TOTAL if r[0] in TOTAL_LABELS else str(r[0])): list(r[1:]) for r in rows[1:]},
        }
    wb.close()
    return out


@pytest.fixture(scope="module")
def reports(sample_run: Any) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """Every workbook of the sample run with a staff-group breakdown, by (notebook, unit)."""
    summary, out = sample_run
    found: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for xlsx in sorted((out / summary.period).glob("*/*.xlsx")):
        sheets = staff_group_sheets(xlsx)
        if sheets:
            found[(xlsx.stem, xlsx.parent.name)] = sheets
    return found


def persons(sheet: dict[str, Any]) -> dict[str, float | None]:
    col = next(i for i, h in enumerate(sheet["header"]) if h in PERSON_HEADERS) - 1
    return {g: (None if r[col] is None else float(r[col])) for g, r in sheet["rows"].items()}


@pytest.mark.slow
def test_the_run_has_staff_group_tables_to_attack(reports) -> None:
    notebooks = {nb for nb, _ in reports}
    assert {"kpi", "shift-assessment"} <= notebooks
    assert ("kpi", "FS-MC") in reports and ("kpi", "FS") in reports  # the parents' tables too


@pytest.mark.slow
def test_a_hidden_group_shows_no_figure(reports) -> None:
    for (nb, unit), sheets in reports.items():
        for title, sheet in sheets.items():
            for group, count in persons(sheet).items():
                row = sheet["rows"][group]
                if count is None:
                    assert all(v is None for v in row), (nb, unit, title, group, row)


@pytest.mark.slow
def test_total_minus_shown(reports) -> None:
    for (nb, unit), sheets in reports.items():
        for title, sheet in sheets.items():
            counts = persons(sheet)
            hidden = [g for g, v in counts.items() if v is None and g != TOTAL]
            if counts.get(TOTAL) is not None:
                assert len(hidden) != 1, f"{nb} {unit} {title}: {hidden[0]} = total minus the shown groups"
            cells = {("", g): (v or 0.0) for g, v in counts.items()}
            cons = table_constraints(list(counts)) if TOTAL in counts else []
            assert not derivable(cells, cons, {("", g) for g, v in counts.items() if v is None}), (
                nb,
                unit,
                title,
            )


def tree_tables(reports, notebook: str, title: str) -> dict[str, dict[str, float | None]]:
    return {
        unit: persons(sheets[title])
        for (nb, unit), sheets in reports.items()
        if nb == notebook and title in sheets
    }


@pytest.mark.slow
def test_unit_against_its_parents(reports, sample_dir: Path) -> None:
    units = FolderSource(sample_dir).units()
    parent = dict(zip(units["unit_id"], units["parent_id"], strict=True))
    titles = {(nb, t) for (nb, _), sheets in reports.items() for t in sheets}
    attacked = 0
    for nb, title in sorted(titles):
        tables = tree_tables(reports, nb, title)
        parents = {p for u in tables if isinstance(p := parent.get(u), str) and p in tables}
        if not parents:
            continue
        attacked += 1
        # Plain arithmetic: a parent's shown group minus its children's shown ones, with one hidden.
        for p in parents:
            kids = [u for u in tables if parent.get(u) == p]
            if len(kids) < len(units[units["parent_id"] == p]):
                continue  # a child without a report: the sum is not complete
            for group, value in tables[p].items():
                if value is None:
                    continue
                hidden = [k for k in kids if tables[k].get(group, 0.0) is None]
                assert len(hidden) != 1, f"{nb} {title}: {hidden[0]} {group} = {p} minus the siblings"
        # Every sum at once: each unit's total, each parent's groups (sums of reports that exist).
        groups = sorted({g for t in tables.values() for g in t})
        cells = {(u, g): (t.get(g) or 0.0) for u, t in tables.items() for g in groups}
        hidden = {(u, g) for u, t in tables.items() for g in groups if g in t and t[g] is None}
        cons: list[Constraint] = [
            k for k in hierarchy_constraints(units, groups) if all(u in tables for u, _ in k.cells)
        ]
        assert not derivable(cells, cons, hidden), (nb, title, sorted(derivable(cells, cons, hidden)))
    assert attacked  # the KPI report at department, centre and hospital level


@pytest.mark.slow
def test_month_against_the_twelve_months_and_the_other_report(reports) -> None:
    compared = 0
    for (nb, unit), sheets in reports.items():
        if nb != "kpi" or ("shift-assessment", unit) not in reports:
            continue
        kpi_hidden = {g for s in sheets.values() for g, v in persons(s).items() if v is None}
        shift = reports[("shift-assessment", unit)]
        shift_hidden = {g for s in shift.values() for g, v in persons(s).items() if v is None}
        shift_groups = {g for s in shift.values() for g in persons(s)}
        # A group the KPI report hides (in the month or the 12 months) is hidden in the shift
        # report's month too, so that neither report's figure is the other's missing piece.
        assert (kpi_hidden & shift_groups) <= shift_hidden, (unit, sorted(kpi_hidden - shift_hidden))
        compared += 1
    assert compared


@pytest.mark.slow
def test_no_staff_group_figure_of_one_month_beside_its_twelve_months(reports, sample_run) -> None:
    """Months against the 12 months: a staff group's 12-month figures minus its other months'
    would give a small month away only if some table showed a group's additive figure (hours,
    FTE, cost) for one month. The staff-group tables show the month's figures of the roster
    (shifts, shares) and the 12 months' of the hours, and the one quantity in both is a
    percentage whose parts are not shown (sick leave). A unit's own month is published (the time
    staircase), so a unit whose total a report hides shows no staircase there
    (toolkit.measures.suppression.window_primary hides its 12 months after a small month)."""
    from openpyxl import load_workbook

    from toolkit.analyses.kpi.texts import TEXTS as KPI
    from toolkit.analyses.shift_assessment.texts import TEXTS as SHIFT

    month_pct = {KPI("col.sick_pct_month", lang) for lang in ("da", "en")}
    year_pct = {SHIFT("col.sick_pct", lang) for lang in ("da", "en")}
    staircase = {"Tidstrappe", "Time staircase"}
    checked = 0
    for (nb, unit), sheets in reports.items():
        for sheet in sheets.values():
            header = [str(h) for h in sheet["header"][1:]]
            if nb == "kpi":  # the 12 months, with the month's sick leave
                month = {h for h in header if ("måned" in h or "month" in h) and "12" not in h}
                assert month <= month_pct, (unit, header)
            if nb == "shift-assessment":  # the month, with the 12 months' sick leave
                assert {h for h in header if "12" in h} <= year_pct, (unit, header)
            checked += 1
        if nb == "kpi":
            summary, out = sample_run
            wb = load_workbook(out / summary.period / unit / "kpi.xlsx", read_only=True)
            titles = {ws.title for ws in wb.worksheets}
            wb.close()
            total_hidden = any(persons(s).get(TOTAL, 0.0) is None for s in sheets.values())
            assert not (total_hidden and titles & staircase), unit
    assert checked


def test_the_attacker_finds_the_leak_of_the_old_rule() -> None:
    """The shift report before: Lægesekretærer 4 hidden, Terapeuter 5 and the total 49 shown."""
    counts = {"Læger": 9.0, "Lægesekretærer": 4.0, "SOSU-assistenter": 6.0, "Sygeplejersker": 25.0}
    cells = {("", g): v for g, v in {**counts, "Terapeuter": 5.0, TOTAL: 49.0}.items()}
    cons = table_constraints([g for _, g in cells])
    assert derivable(cells, cons, {("", "Lægesekretærer")}) == {("", "Lægesekretærer")}
    assert not derivable(cells, cons, {("", "Lægesekretærer"), ("", "Terapeuter")})


# ----------------------------------------------------------------- unit costs (salaries)

RESOURCE_HEADERS = ("Ressource", "Resource")
CENTRE_HEADERS = ("Omkostningssted", "Cost centre")
CAPACITY_HEADERS = ("Kapacitet, kr.", "Capacity, DKK")


def resource_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of a unit-cost workbook's per-resource sheet: resource, centre and capacity cost."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if not rows or rows[0][0] not in RESOURCE_HEADERS:
                continue
            header = list(rows[0])
            if not (set(header) & set(CENTRE_HEADERS) and set(header) & set(CAPACITY_HEADERS)):
                continue
            centre = next(i for i, h in enumerate(header) if h in CENTRE_HEADERS)
            cap = next(i for i, h in enumerate(header) if h in CAPACITY_HEADERS)
            return [{"resource_id": r[0], "centre": r[centre], "capacity": r[cap]} for r in rows[1:]]
    finally:
        wb.close()
    return []


@pytest.mark.slow
def test_salaries_of_small_staff_groups_are_hidden_and_not_derivable(sample_run, sample_dir: Path) -> None:
    summary, out = sample_run
    source = FolderSource(sample_dir)
    period = summary.period
    months = [str(p) for p in pd.period_range(f"{period[:4]}-01", period, freq="M")]
    hr = source.read("hr", start=months[0], end=months[-1])
    per_month = hr.groupby(["period", "unit_id", "staff_group"])["employee_id"].nunique()
    small = {(u, g) for (_, u, g), n in per_month.items() if 0 < n < 5}
    res = source.read("resources", start=months[0], end=months[-1]).drop_duplicates("resource_id")
    staff = res[res["kind"] == "staff"].set_index("resource_id")
    checked = 0
    for xlsx in sorted((out / period).glob("*/unit-cost.xlsx")):
        rows = [r for r in resource_rows(xlsx) if r["resource_id"] in staff.index]
        assert rows, xlsx
        for r in rows:
            unit, group = staff.loc[r["resource_id"], ["unit_id", "name"]]
            if (unit, group) in small:
                assert r["capacity"] is None, (
                    xlsx.parent.name,
                    r["resource_id"],
                    "salaries of under 5 shown",
                )
                checked += 1
        for centre in {r["centre"] for r in rows}:
            in_centre = [r for r in rows if r["centre"] == centre]
            hidden = [r["resource_id"] for r in in_centre if r["capacity"] is None]
            # The centre's salaries minus the shown staff give a lone hidden group away.
            assert len(hidden) != 1 or len(in_centre) == 1, (xlsx.parent.name, centre, hidden)
    assert checked  # the sample hospital has small staff groups


@pytest.mark.slow
def test_the_kpi_files_hold_no_staff_group_figure(sample_run, sample_dir: Path) -> None:
    """The JSON beside each report has unit figures only: a figure per staff group there would
    need the same suppression as the tables (and this test would have to attack it)."""
    import json

    summary, out = sample_run
    groups = {str(g).lower() for g in FolderSource(sample_dir).read("hr")["staff_group"].unique()}
    files = sorted((out / summary.period).glob("*/*.json"))
    assert files
    for path in files:
        for k in json.loads(path.read_text(encoding="utf-8"))["kpis"]:
            text = f"{k.get('key', '')} {k.get('label', '')}".lower()
            assert not any(g in text for g in groups), (path.parent.name, path.name, k)


SPLIT_HEADERS = {"activity": ("Aktivitet", "Activity"), "resource": ("Ressource", "Resource")}
UNIT_COST_HEADERS = ("Kr. pr. enhed", "DKK per unit")
UNIT_HEADERS = ("Afdeling", "Department")


def unit_cost_sheets(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A unit-cost workbook's split sheet (activity, unit, resource, unit cost) and unit-cost sheet.

    Both are keyed by activity and (in the hospital's workbook) department; the split's rows
    have a resource, the unit-cost sheet's rows are the activities' totals.
    """
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    split: list[dict[str, Any]] = []
    totals: list[dict[str, Any]] = []
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if not rows or rows[0][0] not in SPLIT_HEADERS["activity"]:
                continue
            header = list(rows[0])
            if not set(header) & set(UNIT_COST_HEADERS):
                continue
            cost = next(i for i, h in enumerate(header) if h in UNIT_COST_HEADERS)
            unit = next((i for i, h in enumerate(header) if h in UNIT_HEADERS), None)
            resource = next((i for i, h in enumerate(header) if h in SPLIT_HEADERS["resource"]), None)
            for r in rows[1:]:
                row = {"key": (r[0], r[unit] if unit is not None else ""), "unit_cost": r[cost]}
                if resource is None:
                    totals.append(row)
                else:
                    split.append({**row, "resource": r[resource]})
    finally:
        wb.close()
    return split, totals


@pytest.mark.slow
def test_no_lone_hidden_part_of_a_unit_cost_split_beside_its_shown_total(sample_run) -> None:
    """An activity's unit cost minus its shown resource parts never leaves one hidden part."""
    summary, out = sample_run
    checked = 0
    for xlsx in sorted((out / summary.period).glob("*/unit-cost.xlsx")):
        split, totals = unit_cost_sheets(xlsx)
        assert split and totals, xlsx
        shown = {t["key"] for t in totals if t["unit_cost"] is not None}
        hidden_total = {t["key"] for t in totals if t["unit_cost"] is None}
        for key in {s["key"] for s in split}:
            hidden = [s["resource"] for s in split if s["key"] == key and s["unit_cost"] is None]
            if hidden:
                checked += 1
            if key in shown and key not in hidden_total:
                assert len(hidden) != 1, (xlsx.parent.name, key, hidden)
    assert checked  # the sample hospital's small staff groups have parts in the split


# ------------------------------------------- key ratios: a department's siblings vs its parent


def ratio_sheet(path: Path) -> dict[str, tuple[Any, ...]]:
    """The key-ratio comparison of a KPI workbook: per unit name its row (sick leave 12 months on)."""
    from openpyxl import load_workbook

    from toolkit.analyses.kpi.texts import TEXTS

    sick = {TEXTS("col.sick_pct_12m", "da"), TEXTS("col.sick_pct_12m", "en")}
    wb = load_workbook(path, read_only=True)
    try:
        for ws in wb.worksheets:
            rows = list(ws.iter_rows(values_only=True))
            if rows and rows[0][0] in UNIT_HEADERS and set(rows[0]) & sick:
                return {str(r[0]): tuple(r[1:]) for r in rows[1:]}
    finally:
        wb.close()
    return {}


@pytest.mark.slow
def test_a_department_shows_no_sibling_figure_that_its_parent_hides(sample_run, sample_dir: Path) -> None:
    """The sibling comparison of each department's KPI report against its centre's table of the
    departments below: the same row for each sibling, hidden where the centre's is hidden."""
    summary, out = sample_run
    units = FolderSource(sample_dir).units()
    parent = dict(zip(units["unit_id"], units["parent_id"], strict=True))
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    compared = 0
    for uid in units.loc[units["level"] == "department", "unit_id"]:
        mine = ratio_sheet(out / summary.period / uid / "kpi.xlsx")
        theirs = ratio_sheet(out / summary.period / parent[uid] / "kpi.xlsx")
        assert mine and theirs, uid
        siblings = units.loc[
            (units["parent_id"] == parent[uid]) & (units["level"] == "department"), "unit_id"
        ]
        for sib in siblings:
            name = names[sib]
            assert name in mine and name in theirs, (uid, sib)
            for col, (a, b) in enumerate(zip(mine[name], theirs[name], strict=True)):
                assert (a is None) == (b is None), (uid, sib, col, a, b)  # hidden in one: hidden in both
                if a is not None:
                    assert float(a) == pytest.approx(float(b)), (uid, sib, col)
            compared += 1
    assert compared


# ------------------------------------- full cost per case: the unit-cost vs the KPI report


def json_figures(path: Path, prefix: str) -> dict[str, float | None]:
    import json

    kpis = json.loads(path.read_text(encoding="utf-8"))["kpis"]
    return {k["key"]: k["value"] for k in kpis if str(k["key"]).startswith(prefix)}


@pytest.mark.slow
def test_a_unit_cost_hidden_in_one_report_is_shown_in_no_other(sample_run, sample_dir: Path) -> None:
    """Each department's full cost per case: the KPI report's and the unit-cost report's JSON are
    equal, or both hidden; an activity a department hides is hidden in its centre's and the
    hospital's KPI report too (their pooled figure minus the other departments' would give it)."""
    summary, out = sample_run
    units = FolderSource(sample_dir).units()
    parent = dict(zip(units["unit_id"], units["parent_id"], strict=True))
    compared = 0
    for uid in units.loc[units["level"] == "department", "unit_id"]:
        kpi = json_figures(out / summary.period / uid / "kpi.json", "unit_cost_")
        cost = json_figures(out / summary.period / uid / "unit-cost.json", "unit_cost_")
        assert kpi and cost, uid
        for key in set(kpi) & set(cost):
            assert (kpi[key] is None) == (cost[key] is None), (uid, key, kpi[key], cost[key])
            if kpi[key] is not None:
                assert kpi[key] == pytest.approx(cost[key], rel=1e-9), (uid, key)
            compared += 1
        hidden = {k for k, v in cost.items() if v is None}
        above = parent.get(uid)
        while isinstance(above, str) and above:
            shown = json_figures(out / summary.period / above / "kpi.json", "unit_cost_")
            assert not {k for k in hidden if shown.get(k) is not None}, (uid, above, sorted(hidden))
            above = parent.get(above)
    assert compared


NAME_HEADERS = ("Navn", "Name")


@pytest.mark.slow
def test_no_lone_hidden_part_in_a_resource_column_whose_used_cost_is_shown(
    sample_run, sample_dir: Path
) -> None:
    """A resource's used cost (the capacity table) is the sum of its parts over the activities:
    one hidden part of a resource whose capacity row is shown would be that cost minus the
    others (a room hidden as a complement beside a small staff group, say)."""
    from openpyxl import load_workbook

    summary, out = sample_run
    departments = set(FolderSource(sample_dir).units().query("level == 'department'")["unit_id"])
    checked = 0
    for xlsx in sorted((out / summary.period).glob("*/unit-cost.xlsx")):
        if xlsx.parent.name not in departments:
            continue  # the hospital's split names resources by name only: ambiguous across units
        wb = load_workbook(xlsx, read_only=True)
        shown: dict[str, list[bool]] = {}
        try:
            for ws in wb.worksheets:
                rows = list(ws.iter_rows(values_only=True))
                if not rows or rows[0][0] not in RESOURCE_HEADERS:
                    continue
                header = list(rows[0])
                if set(header) & set(NAME_HEADERS) and set(header) & set(CAPACITY_HEADERS):
                    name = next(i for i, h in enumerate(header) if h in NAME_HEADERS)
                    cap = next(i for i, h in enumerate(header) if h in CAPACITY_HEADERS)
                    for r in rows[1:]:
                        shown.setdefault(str(r[name]), []).append(r[cap] is not None)
        finally:
            wb.close()
        split, _ = unit_cost_sheets(xlsx)
        assert shown and split, xlsx
        for resource in {s["resource"] for s in split}:
            if len(shown.get(resource, [])) != 1 or not shown[resource][0]:
                continue  # hidden (or not one row by that name): its column total is not shown
            hidden = [s["key"] for s in split if s["resource"] == resource and s["unit_cost"] is None]
            assert len(hidden) != 1, (xlsx.parent.name, resource, hidden)
            checked += 1
    assert checked
