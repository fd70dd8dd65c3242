"""What a run writes beside the reports: ``manifest.json`` and ``index.html`` for the period.

The manifest records what was run on which data with which parameters and how each report
went; the index page links every report of the run, unit by unit (the failed ones say why).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit import __version__
from toolkit.core.files import write_text
from toolkit.core.formatting import Language, fmt_month
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.run.jobs import JobResult, NotebookInfo
from toolkit.run.texts import TEXTS

TEMPLATES = Path(__file__).parent / "templates"
#: Units on the index page: hospitals first, then centres, then departments, each by name.
LEVEL_ORDER = {"hospital": 0, "centre": 1, "department": 2}


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
            "failed_notebook": _in_unit(r.unit, r.failed_notebook),
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


@cache
def _template() -> Any:
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("index.html.j2")


def index_page(
    period: str,
    results: Sequence[JobResult],
    units: pd.DataFrame,
    notebooks: Sequence[NotebookInfo],
    lang: Language,
) -> str:
    """The index page of a run: a row per unit, a column per notebook that ran (see the template).

    Parameters
    ----------
    period
        The month of the run.
    results
        Every report's outcome.
    units
        The units catalogue (names and levels).
    notebooks
        The notebooks of the run, in column order; a notebook without results has no column.
    lang
        The page's language.
    """
    from markupsafe import Markup

    from toolkit.report.assets import report_css

    names = dict(zip(units["unit_id"], units["name"], strict=True))
    levels = dict(zip(units["unit_id"], units["level"], strict=True))
    done = {(r.unit, r.notebook): r for r in results}
    columns = [nb for nb in notebooks if any(r.notebook == nb.name for r in results)]
    order = sorted(
        {r.unit for r in results}, key=lambda u: (LEVEL_ORDER.get(levels.get(u, ""), 9), names.get(u, u))
    )
    ok = sum(r.status == "ok" for r in results)
    failed = len(results) - ok
    summary = TEXTS("index.summary", lang, ok=ok, total=len(results))
    if failed:
        summary += TEXTS("index.summary_failed", lang, failed=failed)
    page: str = _template().render(
        lang=lang,
        heading=TEXTS("index.title", lang, month=fmt_month(period, lang)),
        css=Markup(report_css()),
        summary=summary,
        version=__version__,
        texts={key: TEXTS(f"index.{key}", lang) for key in ("unit", "open", "failed")},
        columns=[nb.title.get(lang, nb.name) for nb in columns],
        rows=[
            {"unit": u, "name": names.get(u, u), "results": [done.get((u, nb.name)) for nb in columns]}
            for u in order
        ],
    )
    return page


def write_index(
    period_dir: Path,
    period: str,
    results: Sequence[JobResult],
    units: pd.DataFrame,
    notebooks: Sequence[NotebookInfo],
    lang: Language,
) -> Path:
    """Write ``index.html`` (:func:`index_page`) into ``period_dir``; its path."""
    path = period_dir / "index.html"
    write_text(path, index_page(period, results, units, notebooks, lang))
    return path
