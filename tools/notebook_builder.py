"""What every notebook-writing script shares: metadata, the parameters cell, cell ids, writing.

The notebooks in ``notebooks/`` are written by ``tools/make_<name>_notebook.py`` so that their
source is reviewable as plain Python; ``tests/test_notebooks.py`` checks that each script
reproduces the committed notebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell

PERIOD_HELP = "måned som YYYY-MM; None betyder seneste måned i data"
DATA_HELP = "datamappe med CSV/XLSX/Parquet"
PARAMS_HELP = "parametre: defaults.yaml og units/<enhed>.yaml"


def parameters(
    unit: str,
    unit_help: str,
    *,
    period_help: str = PERIOD_HELP,
    data_help: str = DATA_HELP,
    params_help: str = PARAMS_HELP,
    interactive_help: str = "widgets i JupyterLab; runneren sætter False",
) -> nbf.NotebookNode:
    """The parameters cell every report notebook has (papermill overrides it; no '=' in comments)."""
    return code(
        f'unit = "{unit}"  # {unit_help}\n'
        f"period = None  # {period_help}\n"
        f'data_dir = "../data_samples"  # {data_help}\n'
        f'params_dir = "../params"  # {params_help}\n'
        "language = None  # da eller en; None betyder som i parametrene\n"
        f"interactive = True  # {interactive_help}",
        metadata={"tags": ["parameters"]},
    )


def notebook(title: dict[str, str], levels: list[str], cells: list[nbf.NotebookNode]) -> nbf.NotebookNode:
    """A report notebook: kernel and toolkit metadata, stable cell ids, no outputs."""
    nb = nbf.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "toolkit": {"title": title, "levels": levels},
    }
    nb.cells = cells
    for i, c in enumerate(nb.cells):
        c["id"] = f"cell-{i:02d}"
    return nb


def write(nb: nbf.NotebookNode, name: str) -> None:
    """Write ``notebooks/<name>.ipynb`` (relative to the current folder, the project root)."""
    nbf.write(nb, Path("notebooks") / f"{name}.ipynb")
