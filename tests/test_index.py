"""The index page of a run: the unit tree, headline figures without colour, neutral run status."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from toolkit.core.periods import TIMEZONE
from toolkit.run.index import INDEX_FIGURES, format_figure, index_page, tree_rows, write_index
from toolkit.run.jobs import JobResult, NotebookInfo

UNITS = pd.DataFrame(
    {
        "unit_id": ["H", "C2", "C1", "D12", "D11", "D21", "X"],
        "name": ["Sygehus", "Bcenter", "Acenter", "Bafdeling", "Aafdeling", "Cafdeling", "Løs"],
        "level": ["hospital", "centre", "centre", "department", "department", "department", "department"],
        "parent_id": [None, "H", "H", "C1", "C1", "C2", "NOPE"],
    }
)
KPI = NotebookInfo("kpi", Path("kpi.ipynb"), ("department",), (), {"da": "Ledelsesinformation", "en": "MI"})


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split("</style>", 1)[1])))


def test_the_tree_puts_each_unit_under_its_parent_and_keeps_the_ancestors() -> None:
    rows = tree_rows(UNITS, {"D11", "D12", "D21", "X"})
    assert [(r.unit, r.depth, r.in_run) for r in rows] == [
        ("H", 0, False),
        ("C1", 1, False),  # Acenter before Bcenter
        ("D11", 2, True),  # Aafdeling before Bafdeling
        ("D12", 2, True),
        ("C2", 1, False),
        ("D21", 2, True),
        ("X", 0, True),  # its parent is not in the catalogue: a root
    ]
    assert [r.unit for r in tree_rows(UNITS, {"D21"})] == ["H", "C2", "D21"]


@pytest.mark.parametrize(
    ("kpi", "da", "en"),
    [
        ({"key": "volume_vs_plan_ytd_pct", "value": -0.686, "unit": "%"}, "−0,7 %", "−0.7%"),
        ({"key": "budget_deviation_ytd_pct", "value": 2.0, "unit": "%"}, "+2,0 %", "+2.0%"),
        ({"key": "sick_leave_12m_pct", "value": 11.8158, "unit": "%"}, "11,8 %", "11.8%"),
        ({"key": "sick_leave_12m_pct", "value": None, "unit": "%"}, "ingen data", "no data"),
        ({"key": "x_kr", "value": 1234567.0, "unit": "kr"}, "1,2 mio. kr.", None),
    ],
)
def test_a_figure_is_formatted_as_in_the_reports(kpi: dict, da: str, en: str | None) -> None:
    assert format_figure({"label": "L", **kpi}, "da").text.replace("\xa0", " ") == da
    if en is not None:
        assert format_figure({"label": "L", **kpi}, "en").text.replace("\xa0", " ") == en
    assert format_figure({"label": "L", **kpi}, "da").missing is (kpi["value"] is None)


def _write_kpi_json(folder: Path, unit: str, values: dict[str, float | None]) -> None:
    (folder / unit).mkdir(parents=True, exist_ok=True)
    kpis = [{"key": k, "label": f"Label {k}", "value": v, "unit": "%"} for k, v in values.items()]
    (folder / unit / "kpi.json").write_text(json.dumps({"kpis": kpis}))


def test_the_page_shows_the_tree_the_figures_without_colour_and_a_neutral_status(tmp_path: Path) -> None:
    _write_kpi_json(tmp_path, "D11", {"volume_vs_plan_ytd_pct": 1.26, "budget_deviation_ytd_pct": -3.0})
    _write_kpi_json(tmp_path, "D12", {k: None for k in INDEX_FIGURES})
    results = [
        JobResult("kpi", "D11", "ok", 1.0, "kpi.html", "kpi.xlsx", "kpi.json"),
        JobResult("kpi", "D12", "ok", 1.0, "kpi.html", "kpi.xlsx", "kpi.json"),
        JobResult("kpi", "D21", "failed", 1.0, error="rows <bad> & 'worse'"),
    ]
    generated = datetime(2026, 11, 6, 7, 30, tzinfo=TIMEZONE)
    path = write_index(
        tmp_path, "2026-10", results, UNITS, [KPI], "da", as_of=date(2026, 11, 5), generated=generated
    )
    html = path.read_text()
    text = _text(html)
    assert "Rapporter for oktober 2026" in html
    assert "2 af 3 rapporter er dannet, 1 fejlede · data opgjort pr. 5. november 2026" in text
    # The tree: the hospital, then centre A with its two departments, then centre B.
    order = [m.group(1) for m in re.finditer(r"<code>([^<]+)</code>", html)]
    assert order == ["H", "C1", "D11", "D12", "C2", "D21"]
    assert "<tr class='d0 level-hospital context'>" in html
    assert "<tr class='d2 level-department'>" in html
    # The figures: formatted, signed deviations, 'ingen data' where the report had none, no colour.
    assert "Label volume_vs_plan_ytd_pct" in html
    row_d11 = html.split("<code>D11</code>", 1)[1].split("</tr>", 1)[0]
    assert ">+1,3\xa0%<" in row_d11 or ">+1,3 %<" in row_d11
    assert "−3,0" in row_d11
    row_d12 = html.split("<code>D12</code>", 1)[1].split("</tr>", 1)[0]
    assert row_d12.count("ingen data") == 3
    body = html.split("</style>", 1)[1]
    assert "status-" not in body and "dot" not in body
    # The run status: a word and a neutral mark; the reason escaped.
    assert '<a href="D11/kpi.html">Åbn</a> · <a href="D11/kpi.xlsx">XLSX</a>' in html
    assert "ikke dannet<div class='note'>rows &lt;bad&gt; &amp; &#39;worse&#39;</div>" in html
    assert "ikke noget om enhedens resultater" in text
    assert "\n" not in html.split("</style>", 1)[1]  # the page is one line after the style sheet


def test_the_page_speaks_english_by_parameter() -> None:
    results = [JobResult("kpi", "D11", "failed", 1.0, error="x")]
    html = index_page("2026-10", results, UNITS, [KPI], "en", as_of=date(2026, 11, 5))
    text = _text(html)
    assert "Reports for October 2026" in html
    assert "0 of 1 reports made, 1 failed · data as of 5 November 2026" in text
    assert "<th class='txt'>Unit</th><th class='txt'>MI</th>" in html
    assert "not made" in text and "nothing about the unit's results" in text


def test_the_sample_kpi_report_has_every_index_figure(sample_run) -> None:
    summary, out = sample_run
    ok = [r for r in summary.results if r.notebook == "kpi" and r.status == "ok"]
    assert ok
    for r in ok:
        keys = {k["key"] for k in json.loads((out / summary.period / r.unit / r.json).read_text())["kpis"]}
        assert set(INDEX_FIGURES) <= keys, r.unit
    html = (out / summary.period / "index.html").read_text()
    assert html.count("<code>") == len({r.unit for r in summary.results})
