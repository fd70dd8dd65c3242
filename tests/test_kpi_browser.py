"""The KPI report explored in headless Chromium, offline: choosing another activity redraws the
activity sheet's chart, and the period buttons narrow its month axis."""

from __future__ import annotations

import json

import pytest

from browser import ARGS, CHROMIUM, chromium_available
from toolkit.run.runner import EXIT_OK, RunRequest, run

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHEET_CHART = "Aktivitetsark pr. måned"


@pytest.fixture(scope="module")
def report(tmp_path_factory, sample_dir):
    if not chromium_available():
        pytest.fail("Chromium is needed for the browser tests: apt-get install chromium (see .ci/run)")
    out = tmp_path_factory.mktemp("kpi")
    summary = run(
        RunRequest(notebooks=["kpi"], units=["FS-KAR"], data_dir=sample_dir, out_dir=out, progress=False),
        echo=lambda s: None,
    )
    assert summary.exit_code == EXIT_OK
    return out / summary.period / "FS-KAR" / "kpi.html"


def test_choosing_another_activity_redraws_the_chart(report):
    from playwright.sync_api import sync_playwright

    external: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            def route(r):
                if r.request.url.startswith(("file:", "data:", "blob:", "about:")):
                    r.continue_()
                else:
                    external.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(report.resolve().as_uri())
            page.wait_for_timeout(800)
            find = (
                "els => els.findIndex(e => e.layout && e.layout.title && e.layout.title.text === "
                + json.dumps(SHEET_CHART)
                + ")"
            )
            index = page.eval_on_selector_all("div.plotly-graph-div", find)
            assert index >= 0
            chart = page.query_selector_all("div.plotly-graph-div")[index]
            state = "gd => JSON.stringify([gd.data.map(t => t.y), gd.layout.updatemenus[0].active])"
            before = json.loads(chart.evaluate(state))
            assert before[1] == 0
            # the default view (and the print) is the first activity
            header = chart.query_selector("g.updatemenu-header-group")
            assert "Ambulante besøg" in header.text_content()
            header.click()
            page.wait_for_timeout(300)
            options = chart.query_selector_all(
                "g.updatemenu-dropdown-button-group g.updatemenu-dropdown-button"
            )
            assert len(options) >= 2
            label = options[1].text_content()
            options[1].click()
            page.wait_for_timeout(500)
            after = json.loads(chart.evaluate(state))
            assert after[1] == 1
            assert after[0] != before[0]  # every panel's data changed to the chosen activity
            assert all(a != b for a, b in zip(after[0], before[0], strict=True))
            assert label in chart.query_selector("g.updatemenu-header-group").text_content()
            # the period buttons: 6 months shows the last 6 of the axis
            buttons = chart.query_selector_all("g.updatemenu-button")
            six = next(b for b in buttons if b.text_content().strip() == "6 mdr.")
            six.click()
            page.wait_for_timeout(500)
            axis = json.loads(
                chart.evaluate("gd => JSON.stringify([gd.layout.xaxis.range, gd.layout.xaxis4.range])")
            )
            n = len(before[0][0])
            assert axis[0] == pytest.approx([n - 6.5, n - 0.5]) and axis[1] == pytest.approx(
                [n - 6.5, n - 0.5]
            )
        finally:
            browser.close()
    assert external == [] and errors == []


def test_the_report_stays_one_offline_file_with_the_default_view_printed(report):
    html = report.read_text(encoding="utf-8")
    assert '"updatemenus"' in html
    assert "<script src=" not in html.replace('<script src="data:', "")
