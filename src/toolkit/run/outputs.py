"""What a run writes beside the reports: ``manifest.json`` and ``index.html`` for the period.

The manifest records what was run on which data with which parameters and how each report
went; the index page (:mod:`toolkit.run.index`) links every report of the run in the unit tree.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.core.files import write_text
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.run.jobs import JobResult, NotebookInfo

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class RunRecord:
    """What the manifest says about the run as a whole.

    Parameters
    ----------
    period
        The month of the run.
    started, finished
        When the run started and when its last report finished.
    command
        The command line (``toolkit run ...``).
    notebooks
        The notebooks of the run.
    parameters
        The run's own parameters (language, extra notebook parameters, parameter folder).
    data_dir
        The data folder as given.
    """

    period: str
    started: datetime
    finished: datetime
    command: Sequence[str]
    notebooks: Sequence[NotebookInfo]
    parameters: Mapping[str, Any]
    data_dir: Path


def _in_unit(unit: str, name: str | None) -> str | None:
    return f"{unit}/{name}" if name else None


def write_manifest(
    period_dir: Path,
    record: RunRecord,
    source: DataSource,
    results: Sequence[JobResult],
    params: Mapping[str, Params],
    seconds: float,
) -> Path:
    """Write ``manifest.json`` into ``period_dir``; its path.

    ``params`` are the units' parameters (each run's are recorded with it) and ``seconds`` the
    run's duration.
    """
    runs = [
        {
            "notebook": r.notebook,
            "unit": r.unit,
            "status": r.status,
            "seconds": r.seconds,
            "html": _in_unit(r.unit, r.html),
            "xlsx": _in_unit(r.unit, r.xlsx),
            "json": _in_unit(r.unit, r.json),
            "error": r.error,
            # relative to the period folder: _failed/<unit>/<notebook>.ipynb (private, mode 0700)
            "failed_notebook": r.failed_notebook,
            "inputs": r.inputs,
            "unchanged": r.unchanged,
            "parameters": params[r.unit].model_dump() if r.unit in params else None,
        }
        for r in results
    ]
    doc = {
        "toolkit_version": __version__,
        "period": record.period,
        "started": record.started.isoformat(timespec="seconds"),
        "finished": record.finished.isoformat(timespec="seconds"),
        "seconds": round(seconds, 3),
        "command": list(record.command),
        "notebooks": [nb.name for nb in record.notebooks],
        "parameters": dict(record.parameters),
        "data": {
            "dir": str(record.data_dir),
            "sha256": source.fingerprint(),
            "as_of": source.as_of().isoformat(),
        },
        "summary": {
            "ok": sum(r.status == "ok" for r in results),
            "failed": sum(r.status != "ok" for r in results),
        },
        "runs": runs,
    }
    path = period_dir / "manifest.json"
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return path
