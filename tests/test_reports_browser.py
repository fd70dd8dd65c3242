"""Every report of the sample run, opened in headless Chromium with the network blocked."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from browser import chromium_available, pdf_page_pixels, pdf_page_texts, print_pdfs, render, tinted
from toolkit.data.schemas import TABLES
from toolkit.run.runner import EXIT_OK, RunRequest, run
from toolkit.run.staging import person_columns

pytestmark = [pytest.mark.slow, pytest.mark.browser]

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def pages(sample_run):
    if not chromium_available():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium (see .ci/run)")
    summary, out = sample_run
    files = sorted((out / summary.period).glob("*/*.html"))
    assert files
    return render(files)


def test_every_chart_renders_without_network(pages):
    for path, page in pages.items():
        assert page.charts > 0, path
        assert page.rendered == page.charts, (path, page.rendered, page.charts)
        assert page.external_requests == [], (path, page.external_requests)
        assert page.errors == [], (path, page.errors)
        assert page.dialogs == []


def test_the_tool_bar_offers_only_save_and_reset_in_the_report_language(pages):
    """No share-to-cloud, no Chart Studio, no logo link; Danish tooltips in Danish reports."""
    from toolkit.report.assets import PLOTLY_DANISH

    for path, page in pages.items():
        english = "Data as of" in page.text
        allowed = set(PLOTLY_DANISH) if english else set(PLOTLY_DANISH.values())
        assert page.modebar_titles, path
        assert set(page.modebar_titles) <= allowed, (path, set(page.modebar_titles) - allowed)


def test_axis_numbers_are_written_as_in_the_tables(pages):
    """Danish axes read 40.000 and 0,05: no "40k", no ungrouped "1500", no decimal point."""
    checked = 0
    for path, page in pages.items():
        numbers = [x.replace("\u2212", "-").strip() for x in page.tick_labels]
        numbers = [x for x in numbers if re.fullmatch(r"-?[\d.,]+(\s?%)?|-?[\d.,]+[kMGµm]", x)]
        checked += len(numbers)
        english = "Data as of" in page.text
        for x in numbers:
            assert not re.search(r"\d[kMGµm]$", x), (path, x)
            assert not re.fullmatch(r"-?\d{4,}(\s?%)?", x), (path, x)
            if not english:
                assert not re.search(r"\d\.\d{1,2}(\s?%)?$", x), (path, x)  # 0.05 is English
    assert checked > 100


def test_no_resource_is_loaded_from_the_internet(sample_run):
    summary, out = sample_run
    for path in (out / summary.period).glob("*/*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"<(script|img|iframe)[^>]+src=[\"']?(https?:)?//", text), path
        assert not re.search(r"<link[^>]+href=[\"']?(https?:)?//", text), path
        assert not re.search(r"@import|url\((https?:)?//", text), path


def test_reports_lead_with_header_and_headline(pages):
    for path, page in pages.items():
        text = page.text
        assert ("Data opgjort" in text) or ("Data as of" in text), path
        head = text[:1500]
        assert ("Hovedbudskaber" in head) or ("Key messages" in head), path
        assert "Traceback" not in text and "import " not in text, path


def _person_keys(sample_dir: Path) -> set[str]:
    from toolkit.data.sources import FolderSource

    source = FolderSource(sample_dir)
    keys: set[str] = set()
    for name in source.tables():
        cols = person_columns(name)
        if cols:
            raw = source.raw(name)
            for c in cols:
                keys |= set(raw[c].dropna().astype(str))
    return keys


def test_no_person_identifier_reaches_any_report(sample_run, sample_dir):
    keys = _person_keys(sample_dir)
    assert len(keys) > 100  # the sample has employee keys to leak
    summary, out = sample_run
    for path in (out / summary.period).glob("*/*"):
        if path.suffix in (".html", ".json"):
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".xlsx":
            wb = load_workbook(path, read_only=True)
            text = " ".join(
                str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
            )
        else:
            continue
        tokens = set(re.findall(r"[\w-]+", text))
        assert not (tokens & keys), (path, sorted(tokens & keys)[:5])


def test_names_from_the_data_are_shown_as_text(data_copy: Path, tmp_path: Path):
    """An activity, unit and goal named like a script tag are escaped everywhere."""
    for table, col, match_col, value in (
        ("activities.csv", "name", "activity_id", "AMB"),
        ("units.csv", "name", "unit_id", "FS-KAR"),
    ):
        path = data_copy / table
        df = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df.loc[df[match_col] == value, col] = EVIL
        df.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
    goals = pd.read_excel(data_copy / "goals.xlsx")
    goals.loc[goals["goal_id"] == "VENT", "name"] = EVIL
    goals.to_excel(data_copy / "goals.xlsx", index=False)
    summary = run(
        RunRequest(
            notebooks=["kpi"],
            units=["FS-KAR", "FS-LUN"],
            data_dir=data_copy,
            out_dir=tmp_path,
            progress=False,
        ),
        echo=lambda s: None,
    )
    assert summary.exit_code == EXIT_OK, [r.error for r in summary.results]
    path = tmp_path / summary.period / "FS-KAR" / "kpi.html"
    html = path.read_text(encoding="utf-8")
    assert EVIL not in html
    page = render([path])[path]
    assert page.dialogs == [] and page.errors == []
    assert EVIL in page.text  # shown literally, as text
    assert page.rendered == page.charts
    # The sibling's report shows the renamed unit only as an aggregate row, escaped too.
    sibling = (tmp_path / summary.period / "FS-LUN" / "kpi.html").read_text(encoding="utf-8")
    assert EVIL not in sibling


def test_tables_registry_marks_employee_keys():
    assert person_columns("hours") == ["employee_id"]
    assert person_columns("hr") == ["employee_id"]
    assert "volume" in TABLES


def test_printed_reports_fit_charts_and_tables_to_the_paper(sample_run):
    """A report opened on a wide screen and printed: charts redraw for the paper, tables fit it."""
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM

    if not chromium_available():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium (see .ci/run)")
    summary, out = sample_run
    one_per_notebook = {path.name: path for path in sorted((out / summary.period).glob("*/*.html"))}
    paths = sorted(one_per_notebook.values())
    paper = 718  # A4 portrait with the report's 10 mm margins, in CSS pixels
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for path in paths:
                page.goto(path.resolve().as_uri())
                page.wait_for_timeout(500)
                widths = "els => els.map(e => e.querySelector('svg.main-svg').getBoundingClientRect().width)"
                screen = page.eval_on_selector_all(".js-plotly-plot", widths)
                assert screen and max(screen) > paper, (path, screen)
                page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
                page.emulate_media(media="print")
                printed = page.eval_on_selector_all(".js-plotly-plot", widths)
                assert max(printed) <= paper, (path, printed)
                page.emulate_media(media="screen")
                page.evaluate("window.dispatchEvent(new Event('afterprint'))")
                page.wait_for_timeout(200)
                assert page.eval_on_selector_all(".js-plotly-plot", widths) == screen, path
                # Tables use the print styles and fit the paper's width without a cut column.
                page.set_viewport_size({"width": paper, "height": 900})
                page.emulate_media(media="print")
                cut = page.eval_on_selector_all(
                    ".table-wrap", "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length"
                )
                assert cut == 0, path
                page.set_viewport_size({"width": 1400, "height": 900})
                page.emulate_media(media="screen")
        finally:
            browser.close()


def _chart_specs(html: str) -> list[dict]:
    """The figure specs a report's charts are drawn from (see toolkit.report.blocks.figure_bundle)."""
    return [json.loads(m) for m in re.findall(r"var s=(\{.*?\});var el=", html)]


def test_every_report_is_light_with_charts_the_bundle_draws_and_none_that_goes_to_the_cloud(sample_run):
    """At most 2 MB; every trace type in the embedded partial plotly.js; no share, link or logo."""
    from toolkit.report.assets import plotly_js, plotly_manifest

    traces = set(plotly_manifest()["traces"])
    seen: set[str] = set()
    summary, out = sample_run
    for path in (out / summary.period).glob("*/*.html"):
        assert path.stat().st_size <= 2_000_000, (path, path.stat().st_size)
        html = path.read_text(encoding="utf-8")
        assert html.count(plotly_js()) == 1, path
        specs = _chart_specs(html)
        assert specs and len(specs) == html.count('class="plotly-graph-div"'), path
        for spec in specs:
            types = {trace.get("type", "scatter") for trace in spec["data"]}
            assert types <= traces, (path, types - traces)
            seen |= types
            config = spec["config"]
            assert config["showSendToCloud"] is False and config["showEditInChartStudio"] is False, path
            assert config["showLink"] is False and config["displaylogo"] is False, path
        assert not re.search(r"showSendToCloud\W+true", html), path
    assert {"bar", "sankey", "heatmap"} <= seen


def _rgb(color: str) -> tuple[int, int, int]:
    r, g, b = (int(float(x)) for x in re.findall(r"[\d.]+", color)[:3])
    return r, g, b


def test_printed_reports_draw_their_charts_and_the_sankey_its_flows(sample_run, tmp_path):
    """One report of each kind, opened on a wide screen and printed to PDF: no script error, and
    the Sankey ("Fra konti til patientgrupper") has its flows drawn across the paper's width."""
    from toolkit.analyses.unit_cost.texts import TEXTS

    if not chromium_available() or not shutil.which("pdftoppm"):
        pytest.fail("The print test needs Chromium and poppler-utils: apt-get install chromium poppler-utils")
    summary, out = sample_run
    one_per_notebook = {path.name: path for path in sorted((out / summary.period).glob("*/*.html"))}
    printed = print_pdfs(sorted(one_per_notebook.values()), tmp_path)
    for path, (pdf, errors) in printed.items():
        assert errors == [], (path, errors)
        assert pdf_page_texts(pdf), path
    path = one_per_notebook["unit-cost.html"]
    (sankey,) = [
        t for s in _chart_specs(path.read_text(encoding="utf-8")) for t in s["data"] if t["type"] == "sankey"
    ]
    link = sankey["link"]["color"]
    flow = _rgb(link if isinstance(link, str) else link[0])
    pdf = printed[path][0]
    title = TEXTS("sec.flow", "da")
    pages = [i for i, text in enumerate(pdf_page_texts(pdf), start=1) if title in text]
    assert pages, (pdf, title)
    # The Sankey is on the title's page or the next; the flows are its translucent bands. Columns of
    # the page where flows are drawn (at least 10 pixels of them at 50 dpi) span most of its width.
    # Printed mid-animation (after a relayout for the paper) they were faint or missing: 0-30 %.
    covered = 0.0
    for page in (pages[0], pages[0] + 1):
        if page <= len(pdf_page_texts(pdf)):
            mask = tinted(pdf_page_pixels(pdf, page), flow)
            covered = max(covered, float((mask.sum(axis=0) >= 10).mean()))
    assert covered >= 0.6, (pdf, covered)
