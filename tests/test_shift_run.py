"""The shift-planning report end to end: every sample department through the runner, privacy, browser."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from toolkit.analyses.shift_assessment.assessment import FORMS_DIR, form_files
from toolkit.run.cli import main as cli
from toolkit.run.runner import RunRequest, run

pytestmark = pytest.mark.slow

NOTEBOOK = "shift-assessment"


def shift_results(sample_run) -> list:  # type: ignore[no-untyped-def]
    summary, _ = sample_run
    return [r for r in summary.results if r.notebook == NOTEBOOK]


def departments(sample_dir: Path) -> list[str]:
    units = pd.read_csv(sample_dir / "units.csv", sep=";", encoding="utf-8-sig")
    return sorted(units.loc[units["level"] == "department", "unit_id"])


def test_every_sample_department_has_an_ok_report(sample_run, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    summary, out = sample_run
    results = shift_results(sample_run)
    assert sorted(r.unit for r in results) == departments(sample_dir)
    assert all(r.status == "ok" for r in results), [(r.unit, r.error) for r in results if r.status != "ok"]
    for r in results:
        folder = out / summary.period / r.unit
        for suffix in ("html", "xlsx", "json"):
            assert (folder / f"{NOTEBOOK}.{suffix}").is_file()


def test_json_and_workbook(sample_run) -> None:  # type: ignore[no-untyped-def]
    summary, out = sample_run
    doc = json.loads((out / summary.period / "FS-AKU" / f"{NOTEBOOK}.json").read_text(encoding="utf-8"))
    values = {k["key"]: k["value"] for k in doc["kpis"]}
    for key in (
        "overtime_pct",
        "agency_hours_pct",
        "short_notice_pct",
        "rest_breaches",
        "rest_breaches_under_8h",
        "mismatch_index",
        "link_to_activity_gap",
    ):
        assert key in values
    assert values["mismatch_index"] > 0.2 and values["shift_raters"] >= 2
    wb = load_workbook(out / summary.period / "FS-AKU" / f"{NOTEBOOK}.xlsx", read_only=True)
    assert {
        "Selvvurdering",
        "Udsagn",
        "Vurdering og data",
        "Hviletid",
        "Ugens timer",
        "Udvikling",
        "Personalegrupper",
    } <= set(wb.sheetnames)


def test_no_person_key_or_rater_in_any_report(sample_run, sample_dir: Path) -> None:  # type: ignore[no-untyped-def]
    summary, out = sample_run
    keys = set(pd.read_parquet(sample_dir / "shifts.parquet", columns=["employee_id"])["employee_id"])
    keys |= set(pd.read_parquet(sample_dir / "toil_balances.parquet", columns=["employee_id"])["employee_id"])
    raters = set()
    for paths in form_files(sample_dir).values():
        for p in paths:
            wb = load_workbook(p, read_only=True)
            raters.add(str(wb.worksheets[1]["C4"].value))
    assert raters
    for r in shift_results(sample_run):
        folder = out / summary.period / r.unit
        texts = [
            (folder / f"{NOTEBOOK}.html").read_text(encoding="utf-8"),
            (folder / f"{NOTEBOOK}.json").read_text(encoding="utf-8"),
        ]
        wb = load_workbook(folder / f"{NOTEBOOK}.xlsx", read_only=True)
        texts.append(
            "\n".join(
                str(v)
                for ws in wb.worksheets
                for row in ws.iter_rows(values_only=True)
                for v in row
                if v is not None
            )
        )
        for text in texts:
            tokens = set(re.findall(r"[\w-]+", text))
            assert not tokens & keys, r.unit
            assert not any(rater in text for rater in raters), r.unit


def test_the_report_says_what_the_data_show(sample_run) -> None:  # type: ignore[no-untyped-def]
    summary, out = sample_run
    html = (out / summary.period / "FS-AKU" / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert "Kobling til aktivitet: I vurderer jer højt, men tallene viser problemer" in html
    assert "Bilag: definitioner" in html and "Mismatch-indeks" in html
    assert "<script" in html and "Plotly.newPlot" in html
    kba = (out / summary.period / "FS-KBA" / f"{NOTEBOOK}.html").read_text(encoding="utf-8")
    assert "Shift-planning assessment" in kba and "Judgement and data" in kba  # FS-KBA reports in English


@pytest.mark.browser
def test_every_chart_renders_without_network(sample_run) -> None:  # type: ignore[no-untyped-def]
    from browser import (
        chromium_available,
        render,
    )  # tests/browser.py (imported here: no import-order quarrel)

    if not chromium_available():
        pytest.skip("needs Chromium")
    summary, out = sample_run
    paths = [out / summary.period / r.unit / f"{NOTEBOOK}.html" for r in shift_results(sample_run)]
    rendered = render(paths)
    for path, page in rendered.items():
        assert page.charts == 7, path  # assessment, gap, rest time, three heat maps, trends
        assert page.rendered == page.charts, (path, page.charts, page.rendered)
        assert page.external_requests == [], path
        assert page.errors == [], (path, page.errors)
        assert "Hovedbudskaber" in page.text or "Key messages" in page.text


def break_form(folder: Path) -> None:
    path = folder / FORMS_DIR / "FS-AKU" / "rater2.xlsx"
    wb = load_workbook(path)
    wb["Vurdering"]["D8"] = 7
    wb.save(path)


def test_a_bad_form_fails_only_its_unit(data_copy: Path, tmp_path: Path) -> None:
    break_form(data_copy)
    out = tmp_path / "reports"
    summary = run(
        RunRequest(
            notebooks=[NOTEBOOK], units=["FS-AKU", "FS-KAR"], data_dir=data_copy, out_dir=out, progress=False
        ),
        echo=lambda s: None,
    )
    by_unit = {r.unit: r for r in summary.results}
    assert by_unit["FS-KAR"].status == "ok"
    assert by_unit["FS-AKU"].status == "failed"
    assert (
        "forms/shift-assessment/FS-AKU/rater2.xlsx, sheet 'Vurdering', cell D8: must be a whole number 1–5; found 7"
        in by_unit["FS-AKU"].error
    )
    assert not (out / summary.period / "FS-AKU" / f"{NOTEBOOK}.html").exists()


def test_validate_names_the_form_cell(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    break_form(data_copy)
    assert cli(["validate", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert (
        "- [FS-AKU] forms/shift-assessment/FS-AKU/rater2.xlsx, sheet 'Vurdering', cell D8: must be a whole number 1–5; found 7"
        in err
    )


def test_plain_papermill_runs_the_notebook_with_widgets_on(tmp_path: Path) -> None:
    """JupyterLab and plain papermill open the committed notebook; its defaults switch widgets on."""
    import papermill as pm

    from toolkit.core import config

    out = tmp_path / "out.ipynb"
    nb = pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / f"{NOTEBOOK}.ipynb"),
        str(out),
        cwd=str(config.NOTEBOOKS_DIR),
        kernel_name="python3",
        progress_bar=False,
        execution_timeout=300,
    )
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"
    ]
    assert errors == []
    assert any("application/vnd.toolkit.artifacts+json" in o.get("data", {}) for o in nb.cells[-1].outputs)
