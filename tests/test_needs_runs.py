"""The need-assessment notebooks end to end: structure, every sample unit, browser, privacy, centre."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from openpyxl import load_workbook

import toolkit.analyses.need_assessment as na
from toolkit.analyses.need_assessment import centre, rollup
from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment.params import settings
from toolkit.core import config
from toolkit.data.hierarchy import units_at_level
from toolkit.data.params import load_params
from toolkit.data.sources import FolderSource
from toolkit.report.context import open_context
from toolkit.run.runner import RUNNER_PARAMETERS, RunRequest, run

NOTEBOOKS = {"need-assessment": ["department"], "need-assessment-centre": ["centre"]}
FORBIDDEN = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Lambda,
    ast.For,
    ast.AsyncFor,
    ast.While,
)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
#: Sheet names (the first two) and headings of a department report, by language.
HEADINGS = {
    "da": ("Styringsbehov", "Handlingsplan", "Hovedbudskaber", "Bilag: definitioner"),
    "en": ("Management need", "Action plan", "Key messages", "Appendix: definitions"),
}


def rater_names(sample_dir: Path) -> set[str]:
    names = set()
    for path in (sample_dir / "forms" / "need-assessment").rglob("*.xlsx"):
        names.add(str(load_workbook(path, read_only=True)["Vurdering"]["B3"].value))
    return names


# --------------------------------------------------------------------------- notebooks


@pytest.mark.parametrize("name", list(NOTEBOOKS))
def test_notebook_is_thin_clean_and_parameterised(name):
    nb = nbformat.read(config.NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    assert nb.metadata["toolkit"]["levels"] == NOTEBOOKS[name]
    assert set(nb.metadata["toolkit"]["title"]) == {"da", "en"}
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and not c.get("execution_count") for c in code)
    params = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1
    assigned = {t.id for node in ast.parse(params[0].source).body for t in node.targets}  # type: ignore[attr-defined]
    assert set(RUNNER_PARAMETERS) <= assigned
    comments = [line.split("#", 1)[1] for line in params[0].source.splitlines() if "#" in line]
    assert all("=" not in c for c in comments)  # papermill's parser chokes on '=' in comments
    for cell in code:
        for node in ast.walk(ast.parse(cell.source)):
            assert not isinstance(node, FORBIDDEN + COMPREHENSIONS), (
                f"{name}: {type(node).__name__} in a cell"
            )


def results(sample_run, notebook: str) -> list:
    summary, _ = sample_run
    return [r for r in summary.results if r.notebook == notebook]


@pytest.mark.slow
def test_every_sample_unit_has_an_ok_report(sample_run, sample_dir):
    summary, out = sample_run
    units = FolderSource(sample_dir).units()
    for notebook, levels in NOTEBOOKS.items():
        got = {r.unit: r for r in results(sample_run, notebook)}
        expected = [u for level in levels for u in units_at_level(units, level)]
        assert sorted(got) == sorted(expected)
        for unit, r in got.items():
            assert r.status == "ok", f"{notebook} {unit}: {r.error}"
            folder = out / summary.period / unit
            for suffix in (".html", ".xlsx", ".json"):
                assert (folder / f"{notebook}{suffix}").is_file()


@pytest.mark.slow
def test_report_outputs_hold_the_numbers_and_no_rater_names(sample_run, sample_dir):
    summary, out = sample_run
    names = rater_names(sample_dir)
    assert (
        len(list((sample_dir / "forms").rglob("*.xlsx"))) >= 22 and len(names) >= 5
    )  # 2–3 raters per department
    for r in results(sample_run, "need-assessment") + results(sample_run, "need-assessment-centre"):
        folder = out / summary.period / r.unit
        html = (folder / r.html).read_text(encoding="utf-8")
        doc = json.loads((folder / r.json).read_text(encoding="utf-8"))
        wb = load_workbook(folder / r.xlsx, read_only=True)
        cells = " ".join(
            str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
        )
        for name in names:
            assert name not in html and name not in cells and name not in json.dumps(doc, ensure_ascii=False)
        assert "bedoemmer-" not in html  # no form file names either
        keys = {k["key"] for k in doc["kpis"]}
        if r.notebook == "need-assessment":
            assert {"high_need_activities", "top_score", "raters", "missing_tools_high_need"} <= keys
            words = HEADINGS[doc["language"]]
            assert all(w in html for w in words)
            assert words[0] in wb.sheetnames  # the action plan has a sheet only when there are actions
        else:
            assert {"departments", "high_need_activities"} <= keys


@pytest.mark.slow
def test_department_report_numbers_match_the_library(sample_run, sample_dir):
    summary, out = sample_run
    source = FolderSource(sample_dir)
    params = settings(load_params(config.PARAMS_DIR, "FS-ORT", ancestors=["FS", "FS-KC"]))
    res = na.assess(source, "FS-ORT", summary.period, params)
    doc = json.loads((out / summary.period / "FS-ORT" / "need-assessment.json").read_text(encoding="utf-8"))
    kpis = {k["key"]: k["value"] for k in doc["kpis"]}
    assert kpis["top_score"] == pytest.approx(res.scores.table["score"].iloc[0])
    assert kpis["raters"] == res.forms.n_raters >= 2
    wb = load_workbook(out / summary.period / "FS-ORT" / "need-assessment.xlsx", read_only=True)
    rows = list(wb["Styringsbehov"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == res.ranked["name"].tolist()


@pytest.mark.browser
@pytest.mark.slow
def test_reports_render_in_a_browser_without_network(sample_run):
    from browser import chromium_available, render

    if not chromium_available():
        pytest.skip("Chromium is not installed")
    summary, out = sample_run
    paths = [
        out / summary.period / r.unit / r.html
        for r in results(sample_run, "need-assessment") + results(sample_run, "need-assessment-centre")
    ]
    for path, shown in render(paths).items():
        expected = 3 if path.name == "need-assessment.html" else 2
        assert shown.charts == shown.rendered == expected, path
        assert not shown.external_requests and not shown.errors and not shown.dialogs, path


# --------------------------------------------------------------------------- the centre roll-up


@pytest.mark.slow
def test_centre_aggregate_matches_a_folder_computation(sample_run, sample_dir):
    summary, out = sample_run
    folder_ctx = open_context(
        "need-assessment-centre",
        unit="FS-MC",
        period=summary.period,
        data_dir=sample_dir,
        params_dir=config.PARAMS_DIR,
    )
    from_folder = centre.compute(centre.load(folder_ctx), folder_ctx)
    assert from_folder.departments == ["FS-END", "FS-GER", "FS-KAR", "FS-LUN"]
    assert not from_folder.failed
    assert set(from_folder.rows["unit_id"]) == set(from_folder.departments)
    # The staged report shows the same top needs.
    html = (out / summary.period / "FS-MC" / "need-assessment-centre.html").read_text(encoding="utf-8")
    top = from_folder.rows.iloc[0]
    assert f"højest er {top['name']} i {top['department']}" in html
    # Only the agreed columns travel between units.
    assert set(rollup.AGGREGATE_COLUMNS) <= set(from_folder.rows.columns)


@pytest.mark.slow
def test_a_broken_form_fails_only_its_unit(data_copy, tmp_path):
    folder = data_copy / "forms" / "need-assessment" / "FS-ORT"
    path = sorted(folder.glob("*.xlsx"))[1]
    wb = load_workbook(path)
    wb["Vurdering"]["E9"] = 7
    wb.save(path)
    out = tmp_path / "reports"
    dept = run(
        RunRequest(
            notebooks=["need-assessment"],
            units=["FS-ORT", "FS-MAV"],
            data_dir=data_copy,
            out_dir=out,
            progress=False,
        ),
        echo=lambda s: None,
    )
    by_unit = {r.unit: r for r in dept.results}
    assert by_unit["FS-MAV"].status == "ok"
    assert by_unit["FS-ORT"].status == "failed"
    assert (
        f"forms/need-assessment/FS-ORT/{path.name}: sheet 'Vurdering', cell E9: must be a whole number 1–5; found 7"
        in by_unit["FS-ORT"].error
    )
    assert not (out / dept.period / "FS-ORT" / "need-assessment.html").exists()
    centre = run(
        RunRequest(
            notebooks=["need-assessment-centre"],
            units=["FS-KC"],
            data_dir=data_copy,
            out_dir=out,
            progress=False,
            language="en",
        ),
        echo=lambda s: None,
    )
    (res,) = centre.results
    assert res.status == "ok", res.error
    html = (out / centre.period / "FS-KC" / "need-assessment-centre.html").read_text(encoding="utf-8")
    assert "Not included because their data failed validation: Ortopædkirurgisk Afdeling." in html
    assert "Management needs across the centre" in html


@pytest.mark.slow
def test_english_report_and_relative_data_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(config.PROJECT_ROOT)  # --data data_samples, as typed in the project folder
    out = tmp_path / "reports"
    summary = run(
        RunRequest(
            notebooks=["need-assessment"],
            units=["FS-AKU"],
            data_dir=Path("data_samples"),
            out_dir=out,
            progress=False,
            language="en",
        ),
        echo=lambda s: None,
    )
    (r,) = summary.results
    assert r.status == "ok", r.error
    html = (out / summary.period / "FS-AKU" / "need-assessment.html").read_text(encoding="utf-8")
    assert "Need assessment" in html and "Highest management need" in html
    assert "raters. Names are not shown" in html  # the forms were found through the staged data
    assert "Akutte kontakter" in html


def test_staged_source_finds_the_forms_of_a_relative_data_folder(tmp_path, monkeypatch):
    from toolkit.run import staging

    monkeypatch.chdir(config.PROJECT_ROOT)
    folder = FolderSource(Path("data_samples"))
    staged = staging.stage(
        folder, tmp_path / "staged", period="2026-10", aggregate_units=[], params_for=lambda u: None
    )
    monkeypatch.chdir(tmp_path)
    assert staged.source.original_folder == config.DATA_SAMPLES_DIR
    assert staged.source.description == "data_samples"  # unchanged: the report's footer
    forms = needs_forms.read_unit_forms(
        staged.source.original_folder, "FS-KAR", set(folder.activities()["activity_id"])
    )
    assert forms.n_raters >= 2


def test_fingerprint_covers_the_forms(data_copy):
    before = FolderSource(data_copy).fingerprint()
    path = sorted((data_copy / "forms" / "need-assessment" / "FS-END").glob("*.xlsx"))[0]
    wb = load_workbook(path)
    wb["Vurdering"]["C7"] = 1 if wb["Vurdering"]["C7"].value != 1 else 2
    wb.save(path)
    assert FolderSource(data_copy).fingerprint() != before


def test_sample_forms_cover_every_department(sample_dir):
    units = FolderSource(sample_dir).units()
    base = sample_dir / "forms" / "need-assessment"
    for unit in units_at_level(units, "department"):
        forms = needs_forms.read_unit_forms(
            sample_dir, unit, set(FolderSource(sample_dir).activities()["activity_id"])
        )
        assert forms.n_raters >= 2, unit
    assert {p.name for p in base.iterdir()} == set(units_at_level(units, "department"))


def test_sample_activity_budget_splits_the_salary_budget(sample_dir):
    """The generator splits each month's salary budget over the activities (plus direct costs)."""
    source = FolderSource(sample_dir)
    ab = source.read("activity_budget")
    fin = source.read("finance")
    salary = fin[(fin["account_group"] == "salary") & fin["activity_id"].isna()].set_index(
        ["period", "unit_id"]
    )["budget"]
    total = ab.groupby(["period", "unit_id"])["budget"].sum()
    n = ab.groupby(["period", "unit_id"]).size()
    both = pd.concat(
        [total.rename("activities"), salary.rename("salary"), n.rename("n")], axis=1, join="inner"
    )
    assert len(both) == 11 * 24  # every department, every month of the sample
    with_direct = set(fin.loc[fin["activity_id"].notna(), "unit_id"])
    plain = both[~both.index.get_level_values("unit_id").isin(with_direct)]
    assert (
        len(plain) and ((plain["activities"] - plain["salary"]).abs() <= plain["n"] * 0.5).all()
    )  # rounding
    assert (both["activities"] >= both["salary"] - both["n"] * 0.5).all()
