"""Building blocks of an HTML report, shown from a notebook.

A notebook makes one :class:`Report` and calls its methods in reading order: ``header``,
``headline``, ``cards``, ``section``, ``figure``, ``table``, ..., ``appendix``, ``finish``.
Each call displays HTML (every text that comes from the data is escaped) and
records what the runner writes beside the HTML: the key tables (XLSX) and the headline KPI
values (JSON). Those travel inside the executed notebook as one output of type
:data:`ARTIFACT_MIME`, so a notebook never writes files itself.

Charts are embedded as ``text/html`` that calls ``Plotly.newPlot`` (the HTML exporter inlines
plotly.js once per report, so nothing is loaded from the network), together with the plotly
mime bundle that JupyterLab renders interactively.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, SupportsFloat, TypeAlias

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from IPython.display import display

from toolkit import __version__
from toolkit.core.definitions import Definition
from toolkit.core.formatting import (
    MISSING,
    Language,
    fmt_date,
    fmt_datetime,
    fmt_kr,
    fmt_month,
    fmt_number,
    fmt_pct,
    is_missing,
    plotly_separators,
)
from toolkit.core.i18n import t
from toolkit.report.context import ReportContext
from toolkit.report.parameters import appendix_rows, own_section, report_parameter_names, workbook_rows

ARTIFACT_MIME = "application/vnd.toolkit.artifacts+json"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
SUPPRESSED_MARK = ".."
#: Output metadata that marks an output as part of the report (the template shows no other).
REPORT_METADATA = {"toolkit": {"report": True}}
TOTAL = "__total__"

ColumnKind = Literal["text", "int", "number", "pct", "kr", "kr_full", "month", "status", "bool"]


def esc(value: object) -> str:
    """HTML-escape any value shown as text."""
    return html.escape("" if value is None else str(value), quote=True)


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Column:
    """How to show one column of a table."""

    key: str
    label: str
    kind: ColumnKind = "text"
    decimals: int = 1
    signed: bool = False


@dataclass
class TableView:
    """A table for the report (HTML) and the workbook (XLSX).

    ``frame`` holds raw values; ``columns`` say which to show and how. A row whose first
    column is ``__total__`` is the total row. If ``suppressed`` names a boolean column, its
    rows show the suppression mark in every empty value cell.
    """

    name: str
    frame: pd.DataFrame
    columns: Sequence[Column]
    title: str | None = None
    note: str | None = None
    suppressed: str | None = None
    highlight: str | None = None  # value of the first column to highlight (this unit)


def format_value(value: object, column: Column, lang: Language) -> str:
    """A cell as text (not yet escaped)."""
    if column.kind == "status":
        return t(f"status.{value}", lang) if isinstance(value, str) else MISSING
    if column.kind == "bool":
        if is_missing(value):
            return MISSING
        return t("status.yes" if bool(value) else "status.no", lang)
    if column.kind == "text":
        return MISSING if is_missing(value) else str(value)
    if column.kind == "month":
        return MISSING if is_missing(value) else fmt_month(str(value), lang)
    if is_missing(value) or (isinstance(value, float) and math.isinf(value)):
        return MISSING
    if not isinstance(value, SupportsFloat):
        raise TypeError(f"column {column.key!r} is {column.kind}, but holds {type(value).__name__} {value!r}")
    number = float(value)
    if column.kind == "int":
        return fmt_number(number, 0, lang, signed=column.signed)
    if column.kind == "number":
        return fmt_number(number, column.decimals, lang, signed=column.signed)
    if column.kind == "pct":
        return fmt_pct(number, column.decimals, lang, signed=column.signed)
    if column.kind == "kr":
        return fmt_kr(number, lang, signed=column.signed)
    if column.kind == "kr_full":
        return fmt_kr(number, lang, compact=False, signed=column.signed)
    raise ValueError(f"unknown column kind {column.kind!r}")


def table_html(view: TableView, lang: Language) -> str:
    """Render a :class:`TableView` as an HTML table."""
    head = "".join(
        f'<th class="{"num" if c.kind not in ("text", "status", "month") else "txt"}">{esc(c.label)}</th>'
        for c in view.columns
    )
    body = []
    first = view.columns[0].key
    for _, row in view.frame.iterrows():
        is_total = row[first] == TOTAL
        suppressed = bool(view.suppressed and row.get(view.suppressed))
        classes = []
        if is_total:
            classes.append("total")
        if view.highlight is not None and row[first] == view.highlight:
            classes.append("highlight")
        cells = []
        for i, c in enumerate(view.columns):
            value = row[c.key]
            if i == 0 and is_total:
                text = t("report.total", lang)
            elif suppressed and c.kind not in ("text", "status", "month") and is_missing(value):
                text = SUPPRESSED_MARK
            else:
                text = format_value(value, c, lang)
            cls = "num" if c.kind not in ("text", "status", "month") else "txt"
            if c.kind == "status" and isinstance(value, str):
                cells.append(f'<td class="txt"><span class="dot status-{esc(value)}"></span>{esc(text)}</td>')
            else:
                cells.append(f'<td class="{cls}">{esc(text)}</td>')
        body.append(f'<tr class="{" ".join(classes)}">' + "".join(cells) + "</tr>")
    caption = f"<caption>{esc(view.title)}</caption>" if view.title else ""
    note = f'<p class="table-note">{esc(view.note)}</p>' if view.note else ""
    return (
        f'<div class="table-wrap"><table class="tbl">{caption}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>{note}</div>"
    )


def table_export(view: TableView, lang: Language) -> dict[str, Any]:
    """A table as JSON-ready columns and rows of raw values (for the XLSX workbook)."""
    rows = []
    for _, row in view.frame.iterrows():
        out = []
        for i, c in enumerate(view.columns):
            value = row[c.key]
            if i == 0 and value == TOTAL:
                value = t("report.total", lang)
            elif c.kind == "status" and isinstance(value, str):
                value = t(f"status.{value}", lang)
            out.append(_json_value(value))
        rows.append(out)
    return {
        "title": view.title or view.name,
        "columns": [c.label for c in view.columns],
        "kinds": [c.kind for c in view.columns],
        "rows": rows,
    }


def _json_value(value: object) -> object:
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else (int(f) if isinstance(value, int) else f)
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    return str(value)


# --------------------------------------------------------------------------- figures

_NO_ESCAPE_KEYS = frozenset({"hovertemplate", "texttemplate", "bdata", "dtype", "shape"})


def _escape_strings(node: object, key: str | None = None) -> object:
    """Escape every display string of a figure spec for plotly's pseudo-HTML labels."""
    if isinstance(node, str):
        return node if key in _NO_ESCAPE_KEYS else html.escape(node, quote=False)
    if isinstance(node, list):
        return [_escape_strings(v, key) for v in node]
    if isinstance(node, dict):
        return {k: _escape_strings(v, k) for k, v in node.items()}
    return node


def _safe_json(obj: object) -> str:
    """JSON that can sit inside a <script> element."""
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False, default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: The only tool bar buttons a report offers: save the chart as a picture, and undo a zoom.
#: No link to plotly's cloud services, no "edit in Chart Studio", no logo.
MODEBAR_CARTESIAN = [["toImage", "resetScale2d"]]
MODEBAR_OTHER = [["toImage"]]


def chart_config(spec: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """The plotly configuration of every chart: a small tool bar, in the report's language, offline."""
    layout = spec.get("layout", {})
    cartesian = any(key.startswith(("xaxis", "yaxis")) for key in layout) or any(
        trace.get("type", "scatter") in CARTESIAN_TRACES for trace in spec.get("data", [])
    )
    return {
        "displaylogo": False,
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "modeBarButtons": MODEBAR_CARTESIAN if cartesian else MODEBAR_OTHER,
        "toImageButtonOptions": {"format": "png", "scale": 2},
        "locale": lang,
    }


#: Trace types drawn on x/y axes (the reset-axes button makes sense for them).
CARTESIAN_TRACES = frozenset({"scatter", "bar", "heatmap", "waterfall", "box", "histogram"})


def _trim_template(spec: dict[str, Any]) -> None:
    """Keep the theme's trace defaults only for the trace types the chart draws (a third of its bytes)."""
    template = spec.get("layout", {}).get("template")
    if isinstance(template, dict) and isinstance(template.get("data"), dict):
        used = {trace.get("type", "scatter") for trace in spec.get("data", [])}
        template["data"] = {k: v for k, v in template["data"].items() if k in used}


def figure_bundle(
    fig: go.Figure, div_id: str, caption: str | None = None, *, lang: str | None = None
) -> dict[str, Any]:
    """The display bundle of a chart: static-page HTML plus the plotly mime for JupyterLab.

    ``lang`` sets the tool bar's tooltips; without it, the chart's number format tells it.
    """
    spec = _escape_strings(json.loads(pio.to_json(fig, validate=False, remove_uids=True)))
    assert isinstance(spec, dict)
    height = int(spec.get("layout", {}).get("height") or 360)
    if lang is None:
        lang = "da" if spec.get("layout", {}).get("separators") == plotly_separators("da") else "en"
    config = chart_config(spec, lang)
    spec["config"] = config
    _trim_template(spec)
    # The element keeps its configuration: the print script redraws the chart with it.
    script = (
        "(function(){var s="
        + _safe_json(spec)
        + ";var el=document.getElementById("
        + json.dumps(div_id)
        + ");"
        "if(window.Plotly){var c="
        + json.dumps(config)
        + ";el.tkConfig=c;Plotly.newPlot(el,s.data,s.layout,c);}"
        "else{el.className+=' chart-missing';}})();"
    )
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    page = (
        f'<figure class="chart"><div id="{esc(div_id)}" class="plotly-graph-div" '
        f'style="height:{height}px;width:100%"></div><script type="text/javascript">{script}</script>{cap}</figure>'
    )
    return {"text/html": page, PLOTLY_MIME: spec}


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Card:
    """A headline KPI box: label, value, and an optional comparison line and status."""

    label: str
    value: str
    detail: str | None = None
    status: Literal["green", "amber", "red", "neutral"] = "neutral"


@dataclass(frozen=True)
class Chart:
    """A chart with an optional caption (a bare plotly figure in a section is a chart too)."""

    figure: go.Figure
    caption: str | None = None


@dataclass(frozen=True)
class Note:
    """A small note under a chart or table (method, caveat)."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class WorkbookOnly:
    """A table that goes to the workbook beside the report but is not shown (an audit matrix)."""

    view: TableView


@dataclass(frozen=True)
class ScreenOnly:
    """A table shown in the report but not added to the workbook (a narrower cut of a workbook table)."""

    view: TableView


#: What a section holds, in reading order; ``None`` is skipped, so a view can leave out a block.
Block: TypeAlias = go.Figure | Chart | TableView | Note | Paragraph | WorkbookOnly | ScreenOnly | None


@dataclass(frozen=True)
class Section:
    """A report section as an analysis's view builds it: heading, lead and blocks.

    The view decides what to show (and what privacy or missing data leaves out); the notebook
    only calls ``r.show(view(res, ctx))``. A section without a title adds its blocks to the
    section before it (a note under the cards, a sentence instead of the sections).
    """

    title: str | None
    lead: str | None = None
    blocks: Sequence[Block] = ()


@dataclass
class Report:
    """A report under construction (see the module docstring)."""

    ctx: ReportContext
    title: str
    tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    kpis: list[dict[str, Any]] = field(default_factory=list)
    _figures: int = 0
    _sections: int = 0

    @property
    def lang(self) -> Language:
        """The report language."""
        return self.ctx.lang

    def _show(self, markup: str) -> None:
        display({"text/html": f'<div class="tk">{markup}</div>'}, raw=True, metadata=REPORT_METADATA)

    def header(self) -> None:
        """Title, unit, period, the data's as-of date and the generation time."""
        from toolkit.report.assets import report_css

        # For JupyterLab only (the exported page has the style sheet in its head).
        display({"text/html": f"<style>{report_css()}</style>"}, raw=True)
        u, lang = self.ctx.unit, self.lang
        # A centre's parent is the hospital: name it once.
        kicker = " · ".join(esc(x) for x in dict.fromkeys(x for x in (u.hospital_name, u.parent_name) if x))
        meta = [
            (t("report.unit", lang), f"{u.name} ({u.unit_id})"),
            (t("report.period", lang), fmt_month(self.ctx.period, lang)),
            (t("report.as_of", lang), fmt_date(self.ctx.as_of, lang)),
            (t("report.generated", lang), fmt_datetime(self.ctx.generated_at, lang)),
        ]
        items = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in meta)
        self._show(
            f'<header class="report-header"><div class="kicker">{kicker}</div>'
            f"<h1>{esc(self.title)}</h1>"
            f'<p class="subtitle">{esc(u.name)} — {esc(fmt_month(self.ctx.period, lang))}</p>'
            f'<dl class="meta">{items}</dl></header>'
        )

    def headline(self, sentences: Sequence[str]) -> None:
        """The 3–5 sentences a manager reads first."""
        items = "".join(f"<li>{esc(s)}</li>" for s in sentences)
        self._show(
            f'<section class="headline"><h2>{esc(t("report.headline", self.lang))}</h2><ul>{items}</ul></section>'
        )

    def cards(self, cards: Iterable[Card]) -> None:
        """A row of KPI boxes."""
        parts = []
        for c in cards:
            detail = f'<div class="detail">{esc(c.detail)}</div>' if c.detail else ""
            parts.append(
                f'<div class="card status-{esc(c.status)}"><div class="label">{esc(c.label)}</div>'
                f'<div class="value">{esc(c.value)}</div>{detail}</div>'
            )
        self._show(f'<div class="cards">{"".join(parts)}</div>')

    def section(self, title: str, lead: str | None = None) -> None:
        """Start a section with a heading and an optional lead paragraph."""
        self._sections += 1
        lead_html = f'<p class="lead">{esc(lead)}</p>' if lead else ""
        self._show(f'<h2 class="section" id="s{self._sections}">{esc(title)}</h2>{lead_html}')

    def text(self, paragraph: str) -> None:
        """A paragraph of plain text."""
        self._show(f"<p>{esc(paragraph)}</p>")

    def note(self, paragraph: str) -> None:
        """A small note (method, caveat)."""
        self._show(f'<p class="note">{esc(paragraph)}</p>')

    def figure(self, fig: go.Figure, *, caption: str | None = None) -> None:
        """Show a chart."""
        self._figures += 1
        bundle = figure_bundle(fig, f"{self.ctx.notebook}-fig-{self._figures}", caption, lang=self.lang)
        bundle["text/html"] = f'<div class="tk">{bundle["text/html"]}</div>'
        display(bundle, raw=True, metadata=REPORT_METADATA)

    def table(self, view: TableView, *, export: bool = True) -> None:
        """Show a table and (by default) add it to the workbook beside the report."""
        self._show(table_html(view, self.lang))
        if export:
            self.tables[view.name] = table_export(view, self.lang)

    def show(self, section: Section | None) -> None:
        """Show a section built by an analysis's view: its heading, lead and every block.

        ``None`` shows nothing: a view returns it for a section that has nothing to say for
        this unit (e.g. no patient contacts), so the notebook needs no ``if``.
        """
        if section is None:
            return
        if section.title is not None:
            self.section(section.title, section.lead)
        elif section.lead:
            self.text(section.lead)
        for block in section.blocks:
            if block is None:
                continue
            if isinstance(block, go.Figure):
                self.figure(block)
            elif isinstance(block, Chart):
                self.figure(block.figure, caption=block.caption)
            elif isinstance(block, TableView):
                self.table(block)
            elif isinstance(block, Note):
                self.note(block.text)
            elif isinstance(block, Paragraph):
                self.text(block.text)
            elif isinstance(block, WorkbookOnly):
                self.add_table(block.view)
            elif isinstance(block, ScreenOnly):
                self.table(block.view, export=False)
            else:  # pragma: no cover - a view's mistake
                raise TypeError(f"a section cannot show {type(block).__name__}")

    def add_table(self, view: TableView) -> None:
        """Add a table to the workbook without showing it (e.g. a full allocation matrix)."""
        self.tables[view.name] = table_export(view, self.lang)

    def kpi(self, key: str, label: str, value: float | None, unit: str) -> None:
        """Record a headline KPI value for the JSON file beside the report."""
        self.kpis.append({"key": key, "label": label, "value": _json_value(value), "unit": unit})

    def appendix(
        self,
        definitions: Sequence[Definition],
        *,
        parameters: Mapping[str, object] | Sequence[str] | None = None,
    ) -> None:
        """Definitions of every KPI, the parameters the report reads and the data source.

        ``parameters`` are the dotted names of the parameters shown (a section stands for all
        of it) or a mapping of dotted names to the values the report used; by default the
        report's own section (the one named after its notebook) and what the section declares it
        reads (:func:`toolkit.report.parameters.report_parameter_names`). They are shown by
        label and in the report's number format; the workbook gets every parameter.
        """
        lang = self.lang
        items = "".join(
            f'<div class="defn"><dt>{esc(d.name(lang))}</dt><dd>{esc(d.text(lang))}</dd></div>'
            for d in definitions
        )
        names = parameters if parameters is not None else report_parameter_names(self.ctx.notebook)
        own = own_section(self.ctx.notebook)
        rows = "".join(
            f"<tr><td class='txt'>{esc(label)}</td><td class='txt'>{esc(value)}</td></tr>"
            for label, value in appendix_rows(self.ctx.params, lang, names, own=own)
        )
        source = [
            (t("report.source", lang), self.ctx.source.description),
            (t("report.as_of", lang), fmt_date(self.ctx.as_of, lang)),
            (t("report.data_hash", lang), self.ctx.source.fingerprint()[:16]),
            (t("report.version", lang), f"toolkit {__version__}"),
        ]
        src = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in source)
        self._show(
            f'<section class="appendix"><h2>{esc(t("report.appendix", lang))}</h2><dl class="defs">{items}</dl>'
            f'<h3>{esc(t("report.parameters", lang))}</h3><table class="tbl params"><tbody>{rows}</tbody></table>'
            f'<dl class="meta small">{src}</dl></section>'
        )

    def finish(self) -> None:
        """Hand the tables and KPI values to the runner (an invisible output)."""
        payload = {
            "title": self.title,
            "notebook": self.ctx.notebook,
            "unit": self.ctx.unit.unit_id,
            "unit_name": self.ctx.unit.name,
            "period": self.ctx.period,
            "language": self.lang,
            "as_of": self.ctx.as_of.isoformat(),
            "tables": self.tables,
            "kpis": self.kpis,
            "parameters": workbook_rows(self.ctx.params, self.lang),
        }
        display({ARTIFACT_MIME: json.loads(json.dumps(payload, default=str)), "text/plain": ""}, raw=True)
