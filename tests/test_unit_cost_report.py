"""The unit-cost report: what it says and shows, on a textbook case and on the sample hospital."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest
from openpyxl import load_workbook

from toolkit import analyses
from toolkit.analyses import unit_cost
from toolkit.analyses.unit_cost import charts, tables, views
from toolkit.core import config
from toolkit.data.sources import FolderSource
from toolkit.measures.costing import allocation, inputs, scenarios
from toolkit.measures.costing import contacts as uc_contacts
from toolkit.measures.suppression import CostPattern
from toolkit.report.context import open_context
from toolkit.report.export import find_artifacts
from toolkit.run.runner import EXIT_FAILED, RunRequest, run

analyses.load_all()
FIXTURES = Path(__file__).parent / "fixtures"
NBSP = "\u00a0"


# --------------------------------------------------------------------------- a textbook case, end to end


@pytest.fixture(scope="module")
def kaplan():
    ctx = open_context(
        "unit-cost",
        unit="D",
        period="2004-03",
        data_dir=FIXTURES / "kaplan_2004",
        params_dir=config.PARAMS_DIR,
    )
    inp = inputs.load(ctx.source, "D", "2004-03")
    return unit_cost.compute(inp, ctx), ctx


def test_headline_states_the_published_unit_costs_and_unused_capacity(kaplan):
    res, ctx = kaplan
    lines = unit_cost.headline(res, ctx)
    assert 3 <= len(lines) <= 5
    text = " ".join(lines).replace(NBSP, " ")
    assert (
        "Customer-service department kostede 567 t. kr. i januar–marts 2004; der er ingen fællesomkostninger"
        in text
    )
    assert "process customer orders 7,20 kr. stykket" in text
    assert "perform credit checks 45,00 kr. stykket" in text and "handle customer inquiries 39,60 kr." in text
    assert "Ubrugt kapacitet er 46 t. kr. (8 % af kapaciteten)" in text
    assert "En praktisk kapacitetsandel på 100 % flytter enhedsomkostningerne op til 20 %" in text


def test_cards_and_reconciliation_table(kaplan):
    res, ctx = kaplan
    cards = {c.label: c for c in unit_cost.cards(res, ctx)}
    assert cards["Omkostninger i alt"].value.replace(NBSP, " ") == "567 t. kr."
    assert cards["Ubrugt kapacitet"].value.replace(NBSP, " ") == "46 t. kr."
    assert (
        cards["Afstemning"].value.replace(NBSP, " ") == "0,00 kr." and cards["Afstemning"].status == "green"
    )
    table = tables.reconciliation_table(res, "da").frame.set_index("line")
    assert table.loc["difference", ["direct", "step_down", "reciprocal"]].tolist() == [0.0, 0.0, 0.0]
    assert (
        table.loc["activities", "step_down"] == 520_740.00 and table.loc["unused", "step_down"] == 46_260.00
    )
    assert not res.has_contacts and views.no_contacts_text(res, "da").startswith(
        "Data rummer ingen patientkontakter"
    )


def test_english_texts_and_unit_cost_table(kaplan):
    res, ctx = kaplan
    english = dataclasses.replace(ctx, params=ctx.params.model_copy(update={"language": "en"}))
    text = " ".join(unit_cost.headline(res, english)).replace(NBSP, " ")
    assert "Unit costs: Process customer orders DKK 7.20 each" in text
    units = tables.unit_cost_table(res, "en").frame.set_index("activity_id")["unit_cost"].round(6)
    assert units.to_dict() == {"ORD": 7.2, "CRD": 45.0, "INQ": 39.6}


def test_every_chart_builds_without_data_from_other_units(kaplan):
    res, ctx = kaplan
    for fig in (
        charts.flow_chart(res, ctx),
        charts.unit_cost_chart(res, "da"),
        charts.capacity_chart(res, "da"),
        charts.sensitivity_chart(res, "da"),
    ):
        assert len(fig.data) >= 1
    links = charts.flow_links(res, "da")
    assert links["value"].sum() > 0 and (links["value"] > 0).all()


def test_an_activity_of_one_hidden_resource_hides_its_unit_cost_everywhere(kaplan):
    """Kaplan's three activities use only the front-line staff: hidden, each total would be its part."""
    res, _ = kaplan
    hidden = dataclasses.replace(res, hidden=CostPattern(frozenset({"FRONT"})))
    units = tables.unit_cost_table(hidden, "da").frame
    assert units["suppressed"].all() and units[["unit_cost", "cost"]].isna().all().all()
    split = tables.split_table(hidden, "da").frame
    assert split["suppressed"].all() and split[["unit_cost", "minutes", "rate"]].isna().all().all()
    assert len(charts.unit_cost_chart(hidden, "da").data) == 0  # no bar gives a total away
    shown = tables.unit_cost_table(res, "da").frame
    assert not shown["suppressed"].any() and shown["unit_cost"].notna().all()


# --------------------------------------------------------------------------- the sample hospital


@pytest.fixture(scope="module")
def hospital(sample_dir: Path):
    return inputs.load(FolderSource(sample_dir), "FS", "2026-10")


def _department(inp: inputs.CostingInput, unit: str) -> inputs.CostingInput:
    keep = inp.contacts["unit_id"] == unit
    return dataclasses.replace(
        inp,
        unit_id=unit,
        scope_units=(unit,),
        contacts=inp.contacts[keep].reset_index(drop=True),
        contact_activities=inp.contact_activities[inp.contact_activities["unit_id"] == unit].reset_index(
            drop=True
        ),
    )


def test_every_department_and_the_hospital_reconcile_to_the_ore_in_every_method(hospital):
    settings = inputs.Settings()
    departments = hospital.units.loc[hospital.units["level"] == "department", "unit_id"]
    for unit in [*departments, "FS"]:
        inp = hospital if unit == "FS" else _department(hospital, unit)
        for method in allocation.METHODS:
            result = scenarios.evaluate(inp, settings, method=method)
            lines = scenarios.reconcile(inp, result).set_index("line")["amount"]
            assert lines["difference"] == 0 and lines["hospital_difference"] == 0, (unit, method)
            assert lines["total"] == lines["own"] + lines["received"], (unit, method)


def test_the_sample_tells_the_planted_stories(hospital):
    result = scenarios.evaluate(hospital, inputs.Settings())
    acts = result.time_driven.activities
    cc = uc_contacts.contact_costs(
        hospital.contacts,
        hospital.contact_activities,
        acts[acts["centre_kind"] == "final"],
        bed_day_activity="SENG",
    )
    drg = uc_contacts.drg_summary(
        cc.contacts, hospital.drg_groups, small_group=30, min_distribution=5
    ).set_index("drg_group")
    assert (
        drg.loc["08MP03", "index"] > 1.2
    )  # hip replacements: the implant price rise of the orthopaedic ward
    assert (drg["n"] < 5).any() and ((drg["n"] >= 5) & drg["small"]).any()  # tiny and small groups exist
    unmatched = cc.matched["unmatched_cost"].sum() / cc.matched["used_cost"].sum()
    assert 0 < unmatched < 0.01  # a few visits are not on a contact
    res = result.time_driven.resources
    by_unit = res.groupby("unit_id")[["unused_cost", "capacity_cost"]].sum()
    share = by_unit["unused_cost"] / by_unit["capacity_cost"]
    assert share.idxmax() == "FS-AKU"  # the emergency department's extra staff shows as unused capacity


# --------------------------------------------------------------------------- the runner's outputs


@pytest.mark.slow
def test_unit_cost_outputs_for_a_department(sample_run):
    summary, out = sample_run
    folder = out / summary.period / "FS-ORT"
    doc = json.loads((folder / "unit-cost.json").read_text())
    kpis = {k["key"]: k for k in doc["kpis"]}
    assert kpis["reconciliation_difference_kr"]["value"] == 0 and kpis["total_cost_kr"]["unit"] == "kr"
    assert kpis["drg_index"]["value"] > 1.05 and kpis["unit_cost_OP"]["unit"] == "kr/operationer"
    wb = load_workbook(folder / "unit-cost.xlsx", read_only=True)
    for sheet in ("Afstemning", "Enhedsomkostninger", "Kapacitet i minutter", "DRG mod takst", "Fordeling"):
        assert sheet in wb.sheetnames
    matrices = [s for s in wb.sheetnames if s.startswith("Fordelingsmatrix")]
    assert len(matrices) == 3
    header = next(wb[matrices[1]].iter_rows(values_only=True))
    assert "FS-ORT-K" in header and "FS-KAR-K" not in header  # another department's centre is not shown
    rows = {r[0]: r[1:] for r in wb["Afstemning"].iter_rows(values_only=True)}
    assert rows["Difference"] == (0, 0, 0)
    html = (folder / "unit-cost.html").read_text()
    assert "Primær hoftealloplastik" in html and "Fra konti til patientgrupper" in html


@pytest.mark.slow
def test_unit_cost_outputs_for_the_hospital_and_a_service_department(sample_run):
    summary, out = sample_run
    wb = load_workbook(out / summary.period / "FS" / "unit-cost.xlsx", read_only=True)
    header = next(wb["Fordelingsmatrix T"].iter_rows(values_only=True))
    assert {"FS-ORT-K", "FS-KAR-K", "FS-FORSK", "FS-IT"} <= set(header)  # the full matrix
    rad = (out / summary.period / "FS-RAD" / "unit-cost.html").read_text()
    assert "blev givet videre til" in rad and "røntgenpoint" in rad
    kba = (out / summary.period / "FS-KBA" / "unit-cost.html").read_text()
    assert '<html lang="en">' in kba and "Unit costs" in kba and "was passed on to" in kba


@pytest.mark.slow
def test_notebook_runs_directly_on_a_data_folder_without_widgets_under_papermill(tmp_path: Path):
    nb = pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "unit-cost.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"unit": "FS-URO", "interactive": True},
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
        execution_timeout=300,
    )
    assert find_artifacts(nb)["unit"] == "FS-URO"
    mimes = {m for c in nb.cells if c.cell_type == "code" for o in c.outputs for m in (o.get("data") or {})}
    assert "application/vnd.jupyter.widget-view+json" not in mimes


def test_explorer_recomputes_when_share_and_method_change(monkeypatch, sample_dir: Path):
    from toolkit.analyses.unit_cost import widgets as unit_cost_widgets
    from toolkit.report import notebook

    monkeypatch.setenv("TOOLKIT_WIDGETS", "1")
    shown: list = []
    monkeypatch.setattr(unit_cost_widgets, "display", lambda obj, **kw: shown.append(obj))
    ctx = notebook.start(
        "unit-cost", unit="FS-URO", period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR
    )
    inp = inputs.load(ctx.source, ctx.unit.unit_id, ctx.period)
    box = unit_cost_widgets.explorer(ctx, inp)
    method, share = box.children[1].children
    before = len(shown)
    share.value = 0.6
    tables = [
        s["text/html"] for s in shown[before:] if isinstance(s, dict) and "<table" in s.get("text/html", "")
    ]
    assert tables
    method.value = next(v for _, v in method.options if v != method.value)
    assert len(shown) > before + 1
    monkeypatch.setenv("TOOLKIT_WIDGETS", "0")
    assert unit_cost_widgets.explorer(ctx) is None


@pytest.mark.slow
def test_bad_data_in_a_service_unit_fails_the_unit_cost_reports_that_depend_on_it(
    data_copy: Path, tmp_path: Path
):
    """A negative salary on the hospital's administration fails every unit-cost report of the hospital
    (their allocation needs it) but not the KPI reports; a bad contact fails only its own unit."""

    def edit(name: str, change) -> None:
        path = data_copy / name
        df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        change(df)
        df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")

    def salary(df: pd.DataFrame) -> None:
        hit = (df["cost_centre_id"] == "FS-ADM") & (df["cost_type"] == "LOEN") & (df["period"] == "2026-05")
        df.loc[hit, "amount"] = "-5,00"

    edit("ledger.csv", salary)
    contacts = pd.read_parquet(data_copy / "contacts.parquet")
    contacts.loc[contacts.index[contacts["unit_id"] == "FS-END"][0], "drg_group"] = "NOPE"
    contacts.to_parquet(data_copy / "contacts.parquet", index=False)
    summary = run(
        RunRequest(
            notebooks=["kpi", "unit-cost"],
            units=["FS-KAR", "FS-END"],
            data_dir=data_copy,
            out_dir=tmp_path,
            progress=False,
        ),
        echo=lambda s: None,
    )
    assert summary.exit_code == EXIT_FAILED
    status = {(r.notebook, r.unit): r for r in summary.results}
    assert status[("kpi", "FS-KAR")].status == "ok"
    assert status[("kpi", "FS-END")].status == "failed"  # its own rows are bad
    assert "contacts.parquet, column 'drg_group'" in status[("unit-cost", "FS-END")].error
    kar = status[("unit-cost", "FS-KAR")]
    assert kar.status == "failed" and "needs the data of FS, which failed validation" in kar.error
    assert "ledger.csv, column 'amount'" in kar.error
    assert not (tmp_path / summary.period / "FS-KAR" / "unit-cost.html").exists()


def test_notebook_runs_for_departments_and_the_hospital():
    nb = nbformat.read(config.NOTEBOOKS_DIR / "unit-cost.ipynb", as_version=4)
    assert nb.metadata["toolkit"]["levels"] == ["department", "hospital"]
    assert nb.metadata["toolkit"]["title"] == {"da": "Enhedsomkostninger", "en": "Unit costs"}


@pytest.fixture(scope="module")
def orthopaedics(sample_dir: Path):
    ctx = open_context(
        "unit-cost", unit="FS-ORT", period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR
    )
    return unit_cost.compute(inputs.load(ctx.source, "FS-ORT", ctx.period), ctx), ctx


def test_the_hidden_staff_label_names_the_configured_limit(orthopaedics):
    """A limit of 10 is worded "under 10 personer" / "under 10 persons", not the floor of 5."""
    res, _ = orthopaedics
    assert res.hidden.resources and res.hidden.min_group_size == 5
    higher = dataclasses.replace(res, hidden=dataclasses.replace(res.hidden, min_group_size=10))
    assert "Personalegrupper under 10 personer" in {t.name for t in charts.unit_cost_chart(higher, "da").data}
    assert "Staff groups under 10 persons" in {t.name for t in charts.unit_cost_chart(higher, "en").data}
    assert "Personalegrupper under 5 personer" in {t.name for t in charts.unit_cost_chart(res, "da").data}


def test_the_stacked_unit_costs_add_up_to_the_table(orthopaedics):
    """Each activity's bar is the sum of its resources' parts; a gap (NaN) would break plotly's stacking."""
    res, ctx = orthopaedics
    fig = charts.unit_cost_chart(res, "da")
    totals: dict[str, float] = {}
    for trace in fig.data:
        values = [float(x) for x in trace.x]
        assert all(v == v for v in values), trace.name  # no NaN in a stacked bar
        for y, x in zip(trace.y, values, strict=True):
            totals[y] = totals.get(y, 0.0) + x
    table = tables.unit_cost_table(res, "da").frame.set_index("name")["unit_cost"]
    assert totals == pytest.approx(table.to_dict(), rel=1e-9)
    for figure in (charts.capacity_chart(res, "da"), charts.drg_chart(res, ctx)):
        for trace in figure.data:
            assert all(float(x) == float(x) for x in trace.x), trace.name
