"""A user's mistake raised inside a notebook reaches papermill (and the runner) as its message."""

from __future__ import annotations

from pathlib import Path

import nbformat
import papermill as pm
import pytest


@pytest.mark.slow
def test_a_toolkit_error_in_a_notebook_is_one_named_message(tmp_path: Path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from toolkit.report import notebook\n"
            "from toolkit.core.errors import DataValidationError\n"
            "notebook.install_error_handler()\n"
            "raise DataValidationError(['ledger.csv, row 7: must be ≥ 0'])"
        )
    ]
    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(nb, str(tmp_path / "out.ipynb"), progress_bar=False)
    assert info.value.ename == "DataValidationError"
    assert info.value.evalue == "Input data failed validation: ledger.csv, row 7: must be ≥ 0"
    out = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    [code] = [c for c in out.cells if c.cell_type == "code"]
    [error] = [o for o in code.outputs if o.output_type == "error"]
    assert error.traceback == [f"DataValidationError: {info.value.evalue}"]  # no Python traceback for a user
