"""Notebooks are thin, committed clean, and run directly with papermill on a data folder."""

from __future__ import annotations

import ast

import nbformat
import papermill as pm
import pytest

from toolkit.core import config
from toolkit.report.export import find_artifacts
from toolkit.run.runner import RUNNER_PARAMETERS, list_notebooks

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


def _cells(nb: nbformat.NotebookNode) -> list[tuple[str, str, list[str]]]:
    return [(c.cell_type, c.source.strip(), sorted(c.metadata.get("tags", []))) for c in nb.cells]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_is_in_sync_with_its_script(path):
    """Each notebook is paired (jupytext) with a py:percent script; both hold the same cells."""
    import jupytext

    script = path.with_suffix(".py")
    assert script.is_file(), f"{path.name} has no paired script; run `make notebooks`"
    text = jupytext.read(script)
    nb = nbformat.read(path, as_version=4)
    assert _cells(text) == _cells(nb), f"{path.name} and {script.name} differ; run `make notebooks`"
    assert text.metadata.get("toolkit") == nb.metadata.get("toolkit"), path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_and_metadata(path):
    info = list_notebooks(config.NOTEBOOKS_DIR)[path.stem]
    assert set(RUNNER_PARAMETERS) <= set(info.parameters)
    assert info.levels and {"da", "en"} <= set(info.title)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_the_runner_reads_the_parameters_papermill_would_set(path):
    """The runner reads a parameters cell with ast (no papermill import); papermill agrees."""
    assert list_notebooks(config.NOTEBOOKS_DIR)[path.stem].parameters == tuple(pm.inspect_notebook(str(path)))


def test_the_parameter_names_of_a_cell_with_annotations_and_repeats():
    from toolkit.run.jobs import notebook_parameters

    cell = nbformat.v4.new_code_cell(
        'unit = "A"  # a comment\nperiod: str | None = None\nunit = "B"\nx, y = 1, 2\nprint(unit)',
        metadata={"tags": ["parameters"]},
    )
    other = nbformat.v4.new_code_cell("z = 1")
    assert notebook_parameters(nbformat.v4.new_notebook(cells=[other, cell])) == ("unit", "period")
    assert notebook_parameters(nbformat.v4.new_notebook(cells=[other])) == ()


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
    from toolkit.analyses.kpi.widgets import explorer
    from toolkit.report.notebook import start
    from toolkit.report.widgets import frontend_available

    monkeypatch.setenv("TOOLKIT_WIDGETS", "1")
    assert frontend_available()
    shown: list = []
    monkeypatch.setattr("toolkit.analyses.kpi.widgets.display", lambda obj, **kw: shown.append(obj))
    ctx = start("kpi", unit="FS-KAR", period=None, data_dir=sample_dir, params_dir=config.PARAMS_DIR)
    box = explorer(ctx)
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
    assert explorer(ctx) is None
