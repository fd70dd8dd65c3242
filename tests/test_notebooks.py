"""Notebooks are thin, committed clean, and run directly with papermill on a data folder."""

from __future__ import annotations

import ast

import nbformat
import papermill as pm
import pytest

from toolkit import config
from toolkit.export import find_artifacts
from toolkit.runner import RUNNER_PARAMETERS, list_notebooks

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_logic_in_notebooks(path):
    """No def, class or loops: computations live in src/toolkit."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.For | ast.While | ast.Lambda
            ), (path.name, cell.source[:80])


SCRIPTS = sorted((config.PROJECT_ROOT / "tools").glob("make_*_notebook.py"))


def test_every_notebook_is_what_its_script_writes(tmp_path):
    """The notebooks are written by tools/make_<name>_notebook.py; the committed files match."""
    import subprocess
    import sys

    (tmp_path / "notebooks").mkdir()
    for script in SCRIPTS:
        subprocess.run([sys.executable, str(script)], cwd=tmp_path, check=True)
    made = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "notebooks").glob("*.ipynb")}
    assert set(made) == {p.name for p in NOTEBOOKS}
    for name, text in made.items():
        assert text == (config.NOTEBOOKS_DIR / name).read_text(encoding="utf-8"), (
            f"rerun tools/ to update {name}"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_and_metadata(path):
    info = list_notebooks(config.NOTEBOOKS_DIR)[path.stem]
    assert set(RUNNER_PARAMETERS) <= set(info.parameters)
    assert info.levels and {"da", "en"} <= set(info.title)


@pytest.mark.slow
def test_kpi_notebook_runs_directly_with_papermill_on_a_data_folder(tmp_path):
    """An analyst's path: plain papermill against the raw sample folder (sibling ratios computed live)."""
    out = tmp_path / "kpi-FS-GER.ipynb"
    nb = pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "kpi.ipynb"),
        str(out),
        parameters={"unit": "FS-GER", "interactive": False},
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
        execution_timeout=300,
    )
    artifacts = find_artifacts(nb)
    assert artifacts["unit"] == "FS-GER" and artifacts["tables"]["Sammenligning"]["rows"]
    names = [r[0] for r in artifacts["tables"]["Sammenligning"]["rows"]]
    assert "Geriatrisk Afdeling" in names and "Kardiologisk Afdeling" in names  # the centre's siblings
    assert "Akutafdelingen" not in names  # another centre's department


@pytest.mark.slow
def test_under_papermill_the_widgets_stay_away_even_when_asked_for(tmp_path):
    nb = pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "kpi.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"unit": "FS-URO", "interactive": True},
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
        execution_timeout=300,
    )
    mimes = {m for c in nb.cells if c.cell_type == "code" for o in c.outputs for m in (o.get("data") or {})}
    assert "application/vnd.jupyter.widget-view+json" not in mimes
    assert find_artifacts(nb) is not None


def test_kpi_explorer_switches_unit_month_and_activity(monkeypatch, sample_dir):
    """The JupyterLab explorer, driven like an analyst would: change the drop-downs, see new charts."""
    from toolkit.notebook import start
    from toolkit.widgets import frontend_available, kpi_explorer

    monkeypatch.setenv("TOOLKIT_WIDGETS", "1")
    assert frontend_available()
    shown: list = []
    monkeypatch.setattr("toolkit.widgets.display", lambda obj, **kw: shown.append(obj))
    ctx = start("kpi", unit="FS-KAR", period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR)
    box = kpi_explorer(ctx)
    unit_dd, period_dd, activity_dd = box.children[0].children
    assert unit_dd.value == "FS-KAR" and period_dd.value == "2026-10"
    assert [v for _, v in activity_dd.options] == ["AMB", "SENG", "TLF"]
    figures_before = len(shown)
    unit_dd.value = "FS-ORT"
    assert [v for _, v in activity_dd.options] == ["AMB", "OP", "SENG"]
    period_dd.value = "2026-05"
    activity_dd.value = "OP"
    assert len(shown) > figures_before
    last = [s for s in shown if isinstance(s, dict)][-3]  # productivity chart of the chosen activity
    assert "Operationer" in str(last)
    monkeypatch.setenv("TOOLKIT_WIDGETS", "0")
    assert kpi_explorer(ctx) is None
