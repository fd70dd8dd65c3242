"""Tiny report notebooks for the runner's tests: a parameters cell and a body that shows one
table and hands the runner its artifacts, with whatever the test wants to happen first."""

from __future__ import annotations

from pathlib import Path

import nbformat

from toolkit.run.jobs import RUNNER_PARAMETERS

#: The end of every tiny notebook: one table of one staff group, handed to the runner.
SHOW = (
    "from IPython.display import display\n"
    "tables = {'Personale': {'columns': ['Gruppe', 'Timer'], 'rows': [[shown, 12.5]]}}\n"
    "payload = {'title': 'Lille', 'notebook': name, 'unit': unit, 'period': period, 'language': 'da',\n"
    "           'as_of': '2026-11-01', 'tables': tables, 'kpis': [{'key': 'x', 'value': 1, 'label': 'x'}]}\n"
    "display({'application/vnd.toolkit.artifacts+json': payload, 'text/plain': ''}, raw=True)\n"
)


def write_tiny_notebook(path: Path, *, parameters: str, before: str) -> Path:
    """Write a report notebook at ``path`` with the runner's parameters plus ``parameters``
    (source lines), that runs ``before`` and then shows one table (:data:`SHOW`)."""
    params = "\n".join(f"{p} = None" for p in RUNNER_PARAMETERS) + '\nshown = "Sygeplejersker"\n' + parameters
    body = f"name = {path.stem!r}\n{before}{SHOW}"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["toolkit"] = {"levels": ["department"], "title": {"da": "Lille", "en": "Tiny"}}
    nb.cells = [
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path
