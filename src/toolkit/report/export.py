"""Exports of an executed notebook: the HTML report, its workbook and its KPI file.

:class:`ReportExporter` is an nbconvert exporter (also available on the command line as
``jupyter nbconvert --to toolkit_report``). It renders only what :mod:`toolkit.report`
displayed, with the code, prompts and logs left out, and inlines plotly.js once so the
charts draw without a network.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from nbconvert.exporters import HTMLExporter
from openpyxl import Workbook
from openpyxl.styles import Font
from traitlets import default

from toolkit import __version__
from toolkit.core.files import atomic_write, write_text
from toolkit.report.assets import TEMPLATE, TEMPLATES, plotly_js, plotly_locale_js, report_css
from toolkit.report.blocks import ARTIFACT_MIME, PLOTLY_MIME
from toolkit.report.cells import keep_text
from toolkit.report.parameters import WORKBOOK_COLUMNS


def _outputs(nb: nbformat.NotebookNode) -> list[dict[str, Any]]:
    return [o for c in nb.cells if c.get("cell_type") == "code" for o in c.get("outputs", [])]


def find_artifacts(nb: nbformat.NotebookNode) -> dict[str, Any] | None:
    """The tables and KPI values a report handed over (see :meth:`toolkit.report.Report.finish`)."""
    for out in _outputs(nb):
        data = out.get("data") or {}
        if ARTIFACT_MIME in data:
            value = data[ARTIFACT_MIME]
            return json.loads(value) if isinstance(value, str) else dict(value)
    return None


def has_charts(nb: nbformat.NotebookNode) -> bool:
    """True if any output is a plotly chart."""
    return any(PLOTLY_MIME in (o.get("data") or {}) for o in _outputs(nb))


class ReportExporter(HTMLExporter):
    """HTML for managers: the toolkit report template, code hidden, plotly.js inlined."""

    export_from_notebook = "Toolkit report"

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES)]

    @default("exclude_input")
    def _exclude_input_default(self) -> bool:
        return True

    @default("exclude_input_prompt")
    def _exclude_input_prompt_default(self) -> bool:
        return True

    @default("exclude_output_prompt")
    def _exclude_output_prompt_default(self) -> bool:
        return True

    def from_notebook_node(  # type: ignore[override]  # an HTML exporter returns the page as str; nbconvert's annotation says NotebookNode
        self, nb: nbformat.NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        resources = dict(resources or {})
        artifacts = find_artifacts(nb) or {}
        title = artifacts.get("title", "Rapport")
        if artifacts.get("unit_name"):
            title = f"{title} — {artifacts['unit_name']}"
        resources["toolkit"] = {
            "title": title,
            "lang": artifacts.get("language", "da"),
            "version": __version__,
            "css": report_css(),
            "plotly_js": plotly_js() if has_charts(nb) else "",
            "plotly_locale": plotly_locale_js() if has_charts(nb) else "",
        }
        return super().from_notebook_node(nb, resources, **kw)


def write_workbook(path: Path, artifacts: dict[str, Any]) -> None:
    """Write the report's tables to an XLSX workbook, one sheet per table."""

    def build(tmp: Path) -> None:
        wb = Workbook()
        wb.remove(wb.active)
        used: set[str] = set()
        tables = artifacts.get("tables") or {}
        if not tables:
            ws = wb.create_sheet("Info")
            ws.append(["No tables"])
        for name, table in tables.items():
            sheet = _sheet_name(name, used)
            ws = wb.create_sheet(sheet)
            ws.append(list(table["columns"]))
            for cell in ws[1]:
                cell.font = Font(bold=True)
                keep_text(cell)
            for row in table["rows"]:
                ws.append(list(row))
                for cell in ws[ws.max_row]:
                    keep_text(cell)
            for i, kind in enumerate(table.get("kinds", []), start=1):
                fmt = {
                    "pct": "0.0",
                    "kr": "#,##0",
                    "kr_full": "#,##0",
                    "int": "#,##0",
                    "number": "#,##0.0",
                }.get(kind)
                if fmt:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        cell.number_format = fmt
            for col in ws.columns:
                width = max(len(str(c.value)) if c.value is not None else 0 for c in col)
                ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
            ws.freeze_panes = "A2"
        meta = wb.create_sheet("Om rapporten" if artifacts.get("language", "da") == "da" else "About")
        for key in ("title", "unit", "unit_name", "period", "as_of", "language"):
            meta.append([key, str(artifacts.get(key, ""))])
            for cell in meta[meta.max_row]:
                keep_text(cell)
        meta.append(["toolkit", __version__])
        _parameter_sheet(wb, artifacts, used)
        wb.save(tmp)

    atomic_write(path, build)


def _parameter_sheet(wb: Workbook, artifacts: dict[str, Any], used: set[str]) -> None:
    """Every parameter of the report's run: dotted name, section, label, value shown, raw value."""
    rows = artifacts.get("parameters")
    if not rows:
        return
    lang = "da" if artifacts.get("language", "da") == "da" else "en"
    ws = wb.create_sheet(_sheet_name("Parametre" if lang == "da" else "Parameters", used))
    ws.append(WORKBOOK_COLUMNS[lang])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(list(row))
        for cell in ws[ws.max_row]:
            keep_text(cell)
    for col, width in zip("ABCDE", (44, 28, 60, 40, 40), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(ch for ch in name if ch not in "[]:*?/\\")[:31] or "Sheet"
    candidate, i = base, 2
    while candidate.lower() in used:
        suffix = f" ({i})"
        candidate = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(candidate.lower())
    return candidate


def write_kpis(path: Path, artifacts: dict[str, Any]) -> None:
    """Write the headline KPI values (names, values and units) as JSON."""
    doc = {
        "notebook": artifacts.get("notebook"),
        "unit": artifacts.get("unit"),
        "period": artifacts.get("period"),
        "as_of": artifacts.get("as_of"),
        "language": artifacts.get("language"),
        "toolkit_version": __version__,
        "kpis": artifacts.get("kpis", []),
    }
    write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
