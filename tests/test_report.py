"""Report blocks: escaping, formatting, figure embedding and the HTML exporter."""

import json
import re

import nbformat
import pandas as pd
import plotly.graph_objects as go
import pytest

from toolkit.report.blocks import (
    ARTIFACT_MIME,
    PLOTLY_MIME,
    REPORT_METADATA,
    Column,
    TableView,
    figure_bundle,
    format_value,
    table_export,
    table_html,
)
from toolkit.report.export import ReportExporter, find_artifacts, write_kpis, write_workbook

EVIL = "<script>alert(1)</script>"


def test_table_cells_are_escaped_and_formatted():
    df = pd.DataFrame({"name": [EVIL, "__total__"], "pct": [5.25, None], "kr": [1_234_567.0, 10.0]})
    view = TableView(
        "T", df, [Column("name", "Navn"), Column("pct", "Andel", "pct"), Column("kr", "Beløb", "kr")]
    )
    markup = table_html(view, "da")
    assert EVIL not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "1,2\u00a0mio.\u00a0kr." in markup
    assert "I alt" in markup and "–" in markup


def test_suppressed_rows_show_the_mark():
    df = pd.DataFrame({"g": ["A", "B"], "v": [1.0, None], "suppressed": [False, True]})
    markup = table_html(
        TableView("T", df, [Column("g", "G"), Column("v", "V", "number")], suppressed="suppressed"), "da"
    )
    assert '<td class="num">..</td>' in markup


def test_format_value_kinds():
    assert format_value("green", Column("s", "S", "status"), "da") == "Grøn"
    assert format_value(True, Column("b", "B", "bool"), "en") == "Yes"
    assert format_value("2026-10", Column("m", "M", "month"), "da") == "oktober 2026"
    assert format_value(float("inf"), Column("x", "X", "pct"), "da") == "–"


def test_table_export_keeps_raw_values():
    df = pd.DataFrame({"name": ["A", "__total__"], "v": [1.5, float("nan")]})
    out = table_export(TableView("T", df, [Column("name", "Navn"), Column("v", "V", "number")]), "en")
    assert out["columns"] == ["Navn", "V"]
    assert out["rows"] == [["A", 1.5], ["Total", None]]


def test_figure_bundle_escapes_labels_and_script_breakouts():
    fig = go.Figure(go.Bar(x=[EVIL, "</script><script>alert(2)</script>"], y=[1, 2], name=EVIL))
    bundle = figure_bundle(fig, "fig-1")
    page = bundle["text/html"]
    assert "<script>alert" not in page.replace('<script type="text/javascript">', "")
    assert "</script><script>" not in page
    # plotly shows &lt;script&gt; as literal text; JSON inside the script uses \u003c escapes
    assert "\\u0026lt;script\\u0026gt;" in page
    spec = bundle[PLOTLY_MIME]
    assert spec["data"][0]["name"] == "&lt;script&gt;alert(1)&lt;/script&gt;"


def _notebook_with_outputs() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    fig_bundle = figure_bundle(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])), "f1")
    cell = nbformat.v4.new_code_cell("secret_code_here()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": "<h1>Report</h1>"}, metadata=REPORT_METADATA
        ),
        nbformat.v4.new_output("display_data", data=fig_bundle, metadata=REPORT_METADATA),
        nbformat.v4.new_output("display_data", data={"text/html": "<table>E123456 stray frame</table>"}),
        nbformat.v4.new_output("stream", name="stderr", text="WARNING noisy log"),
        nbformat.v4.new_output(
            "display_data",
            data={
                ARTIFACT_MIME: {"title": "T", "language": "da", "tables": {}, "kpis": []},
                "text/plain": "",
            },
        ),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# analyst notes"), cell]
    return nb


def test_exporter_shows_only_report_outputs_and_inlines_plotly_once():
    body, _ = ReportExporter().from_notebook_node(_notebook_with_outputs())
    assert "<h1>Report</h1>" in body
    assert "secret_code_here" not in body  # no code
    assert "E123456" not in body  # a stray data frame never reaches the page
    assert "noisy log" not in body  # no logs
    assert "analyst notes" not in body  # markdown cells are for the analyst
    assert body.count("Plotly.newPlot") >= 1
    assert len(re.findall(r"plotly\.js v\d", body)) <= 2  # the bundle's banner, once
    # nothing is loaded from elsewhere
    assert not re.search(r"<script[^>]+src=", body)
    assert not re.search(r"<link[^>]+href=", body)
    assert "@import" not in body


def test_workbook_and_kpi_files(tmp_path):
    artifacts = {
        "title": "T",
        "unit": "D1",
        "period": "2026-10",
        "language": "da",
        "tables": {
            "A/B:C?": {"columns": ["x", "y"], "kinds": ["text", "pct"], "rows": [["=cmd", 1.5], ["b", None]]},
            "Long name " * 5: {"columns": ["x"], "kinds": ["text"], "rows": [["z"]]},
        },
        "kpis": [{"key": "k", "label": "K", "value": 1.0, "unit": "%"}],
    }
    write_workbook(tmp_path / "r.xlsx", artifacts)
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "r.xlsx")
    assert wb.sheetnames[0] == "ABC"
    assert len(wb.sheetnames[1]) <= 31
    cell = wb["ABC"]["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cmd", "s", True)  # text, never a formula
    write_kpis(tmp_path / "r.json", artifacts)
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["kpis"][0]["value"] == 1.0 and doc["unit"] == "D1"


def test_find_artifacts_returns_none_without_finish():
    nb = nbformat.v4.new_notebook()
    assert find_artifacts(nb) is None


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_text_exists_in_both_languages(lang):
    from toolkit import analyses
    from toolkit.core.i18n import TEXTS

    analyses.load_all()
    assert [k for k, v in TEXTS.items() if not v.get(lang)] == []


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://x","klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", "=cmd|' /C calc'!A0"],
)
def test_every_workbook_cell_that_looks_like_a_formula_is_inert_text(tmp_path, text):
    """Headers, rows and the 'about' sheet: a text a spreadsheet could evaluate stays text."""
    from openpyxl import load_workbook

    artifacts = {
        "title": text,
        "unit": "D1",
        "unit_name": text,
        "period": "2026-10",
        "language": "da",
        "tables": {"t": {"columns": [text, "n"], "kinds": ["text", "number"], "rows": [[text, -5.0]]}},
    }
    write_workbook(tmp_path / "r.xlsx", artifacts)
    wb = load_workbook(tmp_path / "r.xlsx")
    cells = [wb["t"]["A1"], wb["t"]["A2"], wb["Om rapporten"]["B1"], wb["Om rapporten"]["B3"]]
    stored = text.replace("\r", "\n")  # XML reads a carriage return back as a line feed
    for cell in cells:
        assert (cell.value, cell.data_type, cell.quotePrefix) == (stored, "s", True), cell.coordinate
    number = wb["t"]["B2"]
    assert (number.value, number.data_type) == (-5.0, "n")  # a negative number stays a number


@pytest.mark.parametrize(("lang", "tooltip_locale"), [("da", "da"), ("en", "en")])
def test_charts_stay_home_with_a_small_tool_bar_in_the_report_language(lang, tooltip_locale):
    """No cloud share, no Chart Studio, no logo; save as PNG and reset axes; Danish tooltips."""
    from toolkit.report.figures import style

    bar = figure_bundle(style(go.Figure(go.Bar(x=["a"], y=[1])), lang=lang), "b", lang=lang)
    sankey = figure_bundle(
        go.Figure(go.Sankey(node={"label": ["a", "b"]}, link={"source": [0], "target": [1], "value": [1]})),
        "s",
        lang=lang,
    )
    for bundle in (bar, sankey):
        config = bundle[PLOTLY_MIME]["config"]
        assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False
        assert config["showLink"] is False and config["displaylogo"] is False
        assert config["locale"] == tooltip_locale
        assert json.dumps(config) in bundle["text/html"]
    assert bar[PLOTLY_MIME]["config"]["modeBarButtons"] == [["toImage", "resetScale2d"]]
    assert sankey[PLOTLY_MIME]["config"]["modeBarButtons"] == [["toImage"]]
    # Without an explicit language, the chart's number format tells it.
    assert figure_bundle(style(go.Figure(), lang=lang), "x")[PLOTLY_MIME]["config"]["locale"] == lang


def test_the_danish_tool_bar_words_cover_plotly_s_own():
    """Every key of the Danish dictionary is a text plotly.js really shows (a rename would show English)."""
    from toolkit.report.assets import PLOTLY_DANISH, plotly_js, plotly_locale_js

    bundle = plotly_js()
    for english in PLOTLY_DANISH:
        assert f'"{english}"' in bundle, english
    assert "moduleType:'locale',name:'da'" in plotly_locale_js()
