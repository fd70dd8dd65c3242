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
    )
    artifacts = find_artifacts(nb)
    assert artifacts["unit"] == "FS-GER" and artifacts["tables"]["Sammenligning"]["rows"]
    names = [r[0] for r in artifacts["tables"]["Sammenligning"]["rows"]]
    assert "Geriatrisk Afdeling" in names and "Kardiologisk Afdeling" in names  # the centre's siblings
    assert "Akutafdelingen" not in names  # another centre's department


@pytest.mark.slow
def test_kpi_notebook_with_widgets_does_not_break(tmp_path):
    nb = pm.execute_notebook(
        str(config.NOTEBOOKS_DIR / "kpi.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"unit": "FS-URO", "interactive": True},
        cwd=str(config.NOTEBOOKS_DIR),
        progress_bar=False,
    )
    mimes = {m for c in nb.cells if c.cell_type == "code" for o in c.outputs for m in (o.get("data") or {})}
    assert "application/vnd.jupyter.widget-view+json" in mimes
