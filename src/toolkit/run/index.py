"""The index page of a run (``index.html``): the unit tree, a few headline figures, the reports.

A manager or controller opening the index sees

* the month, the date the data were extracted (*opgjort pr.*) and when the reports were made;
* the units as a tree (hospital → centre → department), each under its parent, so that a
  department is found where it belongs; a parent that has no report of its own in the run is
  still shown (greyed) so the tree holds together;
* a few headline figures per unit, read from the unit's management-information report's JSON
  (:data:`INDEX_FIGURES`), formatted like the reports. The figures carry **no colour**: the
  judgement (green, amber, red) is the report's, under the rules written in its appendix, and a
  figure whose inputs are missing says "ingen data";
* per report a link (with the workbook and the JSON), or "ikke dannet" with the reason. The run
  status is a word and a neutral mark, never a green or red dot, so that it cannot be read as a
  department's performance.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from toolkit import __version__
from toolkit.core.files import write_text
from toolkit.core.formatting import Language, fmt_date, fmt_datetime, fmt_kr, fmt_month, fmt_number, fmt_pct
from toolkit.data.hierarchy import LEVEL_ORDER
from toolkit.run.jobs import JobResult, NotebookInfo
from toolkit.run.texts import TEXTS

TEMPLATES = Path(__file__).parent / "templates"
#: The notebook whose JSON gives the index's headline figures.
FIGURES_NOTEBOOK = "kpi"
#: The headline figures on the index (KPI ids of :data:`FIGURES_NOTEBOOK`'s JSON), in column order.
INDEX_FIGURES = ("volume_vs_plan_ytd_pct", "budget_deviation_ytd_pct", "sick_leave_12m_pct")
#: Figures shown with a sign (a deviation, where +0,5 % and −0,5 % mean opposite things).
SIGNED_FIGURES = frozenset({"volume_vs_plan_ytd_pct", "budget_deviation_ytd_pct"})


@dataclass(frozen=True)
class Figure:
    """One headline figure of a unit on the index: its label and its formatted value."""

    label: str
    text: str
    missing: bool = False


@dataclass
class IndexRow:
    """One unit on the index: its place in the tree, its figures and its reports."""

    unit: str
    name: str
    level: str
    depth: int
    in_run: bool
    figures: list[Figure | None] = field(default_factory=list)
    results: list[JobResult | None] = field(default_factory=list)


def format_figure(kpi: Mapping[str, Any], lang: Language) -> Figure:
    """A KPI of a report's JSON (``{key, label, value, unit}``) as the index shows it.

    ``None`` (no inputs, or suppressed) is "ingen data"; percentages have one decimal, amounts
    are compact kroner, other figures one decimal; deviations carry their sign.
    """
    label = str(kpi.get("label") or kpi.get("key") or "")
    value = kpi.get("value")
    if value is None or (isinstance(value, float) and value != value):
        return Figure(label, TEXTS("index.no_data", lang), missing=True)
    signed = kpi.get("key") in SIGNED_FIGURES
    unit = kpi.get("unit")
    if unit == "%":
        text = fmt_pct(float(value), 1, lang, signed=signed)
    elif unit == "kr":
        text = fmt_kr(float(value), lang, signed=signed)
    else:
        text = fmt_number(float(value), 1, lang, signed=signed)
    return Figure(label, text)


def unit_figures(json_path: Path | None, lang: Language) -> dict[str, Figure]:
    """The index figures in one report's JSON, by KPI id (none for a missing or unreadable file)."""
    if json_path is None or not json_path.is_file():
        return {}
    try:
        data = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    kpis = {str(k.get("key")): k for k in data.get("kpis", []) if isinstance(k, dict)}
    return {key: format_figure(kpis[key], lang) for key in INDEX_FIGURES if key in kpis}


def tree_rows(units: pd.DataFrame, shown: set[str]) -> list[IndexRow]:
    """The units of ``shown`` and their ancestors, depth first: each parent above its children.

    Siblings are ordered by level (:data:`LEVEL_ORDER`) and name; a unit whose parent is not
    in the catalogue is a root.
    """
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    levels = dict(zip(units["unit_id"], units["level"], strict=True))
    parent_of = {
        str(u): (str(p) if isinstance(p, str) and p and p in names else None)
        for u, p in zip(units["unit_id"], units["parent_id"], strict=True)
    }
    keep: set[str] = set()
    for u in shown:
        node: str | None = u
        seen: set[str] = set()
        while node is not None and node not in seen:
            seen.add(node)
            keep.add(node)
            node = parent_of.get(node)
    children: dict[str | None, list[str]] = {}
    for u in keep:
        parent = parent_of.get(u)
        children.setdefault(parent if parent in keep else None, []).append(u)

    def order(u: str) -> tuple[int, str]:
        return LEVEL_ORDER.get(str(levels.get(u, "")), 9), str(names.get(u, u))

    rows: list[IndexRow] = []

    def walk(parent: str | None, depth: int) -> None:
        for u in sorted(children.get(parent, []), key=order):
            rows.append(IndexRow(u, str(names.get(u, u)), str(levels.get(u, "")), depth, u in shown))
            walk(u, depth + 1)

    walk(None, 0)
    return rows


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
    *,
    figures: Mapping[str, Mapping[str, Figure]] | None = None,
    as_of: date | None = None,
    generated: datetime | None = None,
) -> str:
    """The index page of a run (see the module docstring).

    Parameters
    ----------
    period
        The month of the run.
    results
        Every report's outcome.
    units
        The units catalogue (names, levels and parents).
    notebooks
        The notebooks of the run, in column order; a notebook without results has no column.
    lang
        The page's language.
    figures
        Each unit's index figures by KPI id (:func:`unit_figures`); none: no figure columns.
    as_of
        The date the data were extracted.
    generated
        When the run finished.
    """
    from markupsafe import Markup

    from toolkit.report.assets import report_css

    figures = figures or {}
    done = {(r.unit, r.notebook): r for r in results}
    columns = [nb for nb in notebooks if any(r.notebook == nb.name for r in results)]
    shown_figures = [key for key in INDEX_FIGURES if any(key in f for f in figures.values())]
    labels = {key: next(f[key].label for f in figures.values() if key in f) for key in shown_figures}
    rows = tree_rows(units, {r.unit for r in results})
    for row in rows:
        own = figures.get(row.unit, {})
        row.figures = [own.get(key) for key in shown_figures] if row.in_run else []
        row.results = [done.get((row.unit, nb.name)) for nb in columns]
    ok = sum(r.status == "ok" for r in results)
    failed = len(results) - ok
    summary = TEXTS("index.summary", lang, ok=ok, total=len(results))
    if failed:
        summary += TEXTS("index.summary_failed", lang, failed=failed)
    dates = []
    if as_of is not None:
        dates.append(TEXTS("index.as_of", lang, date=fmt_date(as_of, lang)))
    if generated is not None:
        dates.append(TEXTS("index.generated", lang, when=fmt_datetime(generated, lang)))
    page: str = _template().render(
        lang=lang,
        heading=TEXTS("index.title", lang, month=fmt_month(period, lang)),
        css=Markup(report_css()),
        summary=summary,
        dates=" · ".join(dates),
        version=__version__,
        texts={
            key: TEXTS(f"index.{key}", lang)
            for key in ("unit", "open", "failed", "made", "no_report", "figures_note", "status_note")
        },
        figure_labels=[labels[key] for key in shown_figures],
        columns=[nb.title.get(lang, nb.name) for nb in columns],
        rows=rows,
    )
    return page


def write_index(
    period_dir: Path,
    period: str,
    results: Sequence[JobResult],
    units: pd.DataFrame,
    notebooks: Sequence[NotebookInfo],
    lang: Language,
    *,
    as_of: date | None = None,
    generated: datetime | None = None,
) -> Path:
    """Write ``index.html`` (:func:`index_page`) into ``period_dir``; its path.

    The figures are read from the JSON of each unit's :data:`FIGURES_NOTEBOOK` report of this run.
    """
    figures = {
        r.unit: unit_figures(period_dir / r.unit / r.json if r.json else None, lang)
        for r in results
        if r.notebook == FIGURES_NOTEBOOK and r.status == "ok"
    }
    path = period_dir / "index.html"
    write_text(
        path,
        index_page(
            period, results, units, notebooks, lang, figures=figures, as_of=as_of, generated=generated
        ),
    )
    return path
