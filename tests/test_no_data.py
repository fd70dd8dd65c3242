"""No data is not zero: an emptied input gives "ingen data", no colour and no conclusion.

Two copies of the sample data, one with the finance table emptied (its header only), one with
the HR table emptied (and the hours, which need an HR row each); and one whose shifts have no
actual times. Each report's figures are computed by the library, as the notebooks do.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from toolkit.analyses import kpi
from toolkit.analyses import shift_assessment as shift
from toolkit.analyses.kpi.results import KPIResults
from toolkit.analyses.shift_assessment.overview import rest_status
from toolkit.core import config
from toolkit.report.blocks import SUPPRESSED_MARK, Card
from toolkit.report.context import ReportContext, open_context

UNIT = "FS-LUN"
PERIOD = "2026-10"


def _copy(sample_dir: Path, dst: Path) -> Path:
    shutil.copytree(sample_dir, dst)
    return dst


def _header_only(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8-sig")


@pytest.fixture(scope="module")
def no_finance(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    folder = _copy(sample_dir, tmp_path_factory.mktemp("no_finance") / "data")
    _header_only(folder / "finance.csv")
    return folder


@pytest.fixture(scope="module")
def no_hr(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    folder = _copy(sample_dir, tmp_path_factory.mktemp("no_hr") / "data")
    _header_only(folder / "hr.csv")
    hours = pd.read_parquet(folder / "hours.parquet")
    hours.iloc[0:0].to_parquet(folder / "hours.parquet", index=False)
    return folder


def _kpi(folder: Path) -> tuple[ReportContext, KPIResults]:
    ctx = open_context(
        "kpi", unit=UNIT, period=PERIOD, data_dir=folder, params_dir=config.PARAMS_DIR, language="da"
    )
    return ctx, kpi.compute(kpi.load(ctx), ctx)


def _card(cards: list[Card], label: str) -> Card:
    return next(c for c in cards if c.label == label)


def _no_zero_kr(cards: list[Card]) -> None:
    for c in cards:
        assert c.value not in ("0\u00a0kr.", "+0\u00a0kr.", "0,0\u00a0%"), c
        assert "0\u00a0kr." not in (c.detail or ""), c


def test_kpi_without_finance_says_ingen_data_and_concludes_nothing(no_finance: Path) -> None:
    ctx, res = _kpi(no_finance)
    cards = kpi.cards(res, ctx)
    budget = _card(cards, "Budgetafvigelse ÅTD")
    assert (budget.value, budget.status) == ("ingen data", "neutral")
    assert "økonomidata" in (budget.detail or "")
    assert not any(c.label == "Prognose ift. årsbudget" and c.status != "neutral" for c in cards)
    _no_zero_kr(cards)
    headline = " ".join(kpi.headline(res, ctx))
    assert "følger det periodiserede budget" not in headline
    assert "ingen økonomidata" in headline
    # The month's direct cost per case is missing, never 0 kr.
    assert res.cost_summary["cost_per_case"].isna().all()
    assert res.budget[["deviation_kr", "forecast_deviation_kr"]].isna().all().all()
    catalogue = res.catalogue.set_index("key")
    assert np.isnan(catalogue.loc["cost_per_fte", "value"])


def test_kpi_without_hr_says_ingen_data_not_suppressed(no_hr: Path) -> None:
    ctx, res = _kpi(no_hr)
    cards = kpi.cards(res, ctx)
    for label in ("Sygefravær 12 mdr.", "Overarbejde pr. årsværk"):
        card = _card(cards, label)
        assert (card.value, card.status) == ("ingen data", "neutral"), card
        assert SUPPRESSED_MARK not in card.value and "skjult" not in (card.detail or "")
    section = kpi.hr(res, ctx)
    assert "Ingen data" in section.blocks[0].text  # type: ignore[attr-defined]
    assert not res.catalogue["suppressed"].any()


def test_kpi_with_every_input_still_shows_figures(sample_dir: Path) -> None:
    ctx, res = _kpi(sample_dir)
    cards = kpi.cards(res, ctx)
    assert "ingen data" not in [c.value for c in cards]


@pytest.fixture(scope="module")
def no_actual_times(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    folder = _copy(sample_dir, tmp_path_factory.mktemp("no_actual") / "data")
    shifts = pd.read_parquet(folder / "shifts.parquet")
    shifts[["actual_start", "actual_end"]] = pd.NaT
    shifts.to_parquet(folder / "shifts.parquet", index=False)
    return folder


def test_overtime_without_actual_shift_times_is_ingen_data_not_green_zero(no_actual_times: Path) -> None:
    ctx = open_context(
        "shift-assessment",
        unit="FS-AKU",
        period=PERIOD,
        data_dir=no_actual_times,
        params_dir=config.PARAMS_DIR,
        language="da",
    )
    res = shift.compute(shift.load(ctx), ctx)
    card = _card(shift.cards(res, ctx), "Overarbejde")
    assert (card.value, card.status) == ("ingen data", "neutral"), card
    assert np.isnan(res.month["overtime_pct"])


@pytest.mark.parametrize(
    ("breaches", "under8", "pct", "status"),
    [
        (0, 0, 0.0, "green"),
        (16, 3, 2.0, "red"),  # any rest under 8 hours is never green (the sample month)
        (13, 0, 2.0, "amber"),  # breaches of 8-11 hours below the limit: not green either
        (13, 0, 6.0, "red"),  # above the 5 % limit
        (float("nan"), float("nan"), float("nan"), "neutral"),
    ],
)
def test_the_rest_card_is_never_green_with_a_breach(breaches, under8, pct, status) -> None:
    assert rest_status(breaches, under8, pct, 5.0) == status


def test_need_assessment_without_finance_does_not_claim_salary_by_hours(no_finance: Path) -> None:
    from toolkit.analyses import need_assessment as na

    ctx = open_context(
        "need-assessment",
        unit=UNIT,
        period=PERIOD,
        data_dir=no_finance,
        params_dir=config.PARAMS_DIR,
        language="da",
    )
    res = na.compute(na.load(ctx), ctx)
    headline = " ".join(na.headline(res, ctx))
    assert "løn fordelt efter timer" not in headline
    assert "(ingen data)" in headline
    assert "0\u00a0kr." not in headline


def test_the_default_month_is_the_latest_the_units_inputs_cover_completely(
    sample_dir: Path, no_hr: Path, tmp_path: Path
) -> None:
    from toolkit.data.sources import open_source
    from toolkit.measures.inputs import complete_period

    assert complete_period(open_source(sample_dir), [UNIT]) == PERIOD
    assert complete_period(open_source(no_hr), [UNIT]) == PERIOD  # an emptied table is no data
    folder = _copy(sample_dir, tmp_path / "data")
    volume = folder / "volume.csv"
    lines = volume.read_text(encoding="utf-8-sig").splitlines()
    kept = [lines[0]] + [x for x in lines[1:] if not (x.startswith(PERIOD) and f";{UNIT};" in f";{x};")]
    assert len(kept) < len(lines)
    volume.write_text("\n".join(kept) + "\n", encoding="utf-8-sig")
    source = open_source(folder)
    assert complete_period(source, [UNIT]) == "2026-09"  # FS-LUN's October lacks its volume
    assert complete_period(source, ["FS-KAR"]) == PERIOD  # other units keep their month


def test_key_ratios_of_a_unit_without_hr_are_missing_not_suppressed(no_hr: Path) -> None:
    from toolkit.data.sources import open_source
    from toolkit.measures import inputs
    from toolkit.measures.ratios import unit_key_ratios

    row = unit_key_ratios(inputs.load(open_source(no_hr), UNIT, PERIOD, 25))
    assert row["suppressed"] is False
    assert np.isnan(row["sick_pct_12m"]) and np.isnan(row["overtime_per_fte"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- the whole reports
#
# Every report of FS-LUN, made by the runner on a copy of the sample data with one table emptied
# (declared in metadata.yaml, as an extract without it does) and on the sample data themselves.
# A zero amount or percentage, a zero in the JSON or a green card is "from the missing table"
# when the complete data do not give it in the same place.

#: A zero amount or percentage as the reports write it (0 kr., +0 kr., 0,0 %, 0 %, 0 t. kr.).
ZERO = re.compile(r"(?<![\d.,])[+\-−]?0(?:,0+)?(?:\s|\\u00a0)(?:kr\.?|%|t\. kr|mio\. kr)")
NUMBER = re.compile(r"[+\-−]?\d[\d.]*(?:,\d+)?")
CARD = re.compile(
    r'<div class="card status-(?P<status>\w+)"><div class="label">(?P<label>.*?)</div>'
    r'<div class="value">(?P<value>.*?)</div>(?:<div class="detail">(?P<detail>.*?)</div>)?</div>'
)
TABLE = re.compile(r"<table.*?</table>", re.S)
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)
TAG = re.compile(r"<[^>]+>")
#: The files emptied (their header only) for each table declared not collected; the hours
#: need an HR row each, so they go with the HR table.
EMPTIED = {"finance": ("finance",), "hr": ("hr", "hours")}
NOTEBOOKS = ("kpi", "need-assessment", "shift-assessment", "unit-cost")


def _text(fragment: str) -> str:
    return html.unescape(TAG.sub("", fragment)).strip()


def _page(path: Path) -> str:
    """A report's HTML without the embedded plotly.js (the library, not the report's content)."""
    from toolkit.report.assets import plotly_js

    return path.read_text(encoding="utf-8").replace(plotly_js(), "")


def zero_places(page: str) -> Counter[str]:
    """Where a report shows a zero amount or percentage.

    A table cell is placed by its table's header, its row's first cell and its column; any other
    zero (a sentence, a card, a chart's text) by the text around it with its numbers blanked and
    the zero's place among them. Two reports with the same zero places show zeros in the same spots.
    """
    places: Counter[str] = Counter()
    for table in TABLE.findall(page):
        rows = [[_text(c) for c in CELL.findall(r)] for r in ROW.findall(table)]
        head = rows[0] if rows else []
        for row in rows[1:]:
            for i, cell in enumerate(row):
                if ZERO.fullmatch(cell):
                    places[f"{'|'.join(head)} / {row[0]} / {head[i] if i < len(head) else i}"] += 1
    rest = TABLE.sub(" ", page)
    for m in ZERO.finditer(rest):
        start = rest.rfind(">", 0, m.start()) + 1
        end = rest.find("<", m.end())
        around = rest[start : end if end > 0 else m.end() + 80]
        before = len(NUMBER.findall(rest[start : m.start()]))
        places[f"{NUMBER.sub('#', around)[:200]} @{before}"] += 1
    return places


def cards(page: str) -> dict[str, tuple[str, str, str]]:
    """The report's cards: label → (status, value, detail)."""
    return {
        _text(m["label"]): (m["status"], _text(m["value"]), _text(m["detail"] or ""))
        for m in CARD.finditer(page)
    }


def _declare(folder: Path, tables: tuple[str, ...]) -> None:
    """Empty ``tables`` (their header only) and declare them not collected in metadata.yaml."""
    for name in tables:
        csv = folder / f"{name}.csv"
        if csv.exists():
            _header_only(csv)
        else:
            parquet = folder / f"{name}.parquet"
            pd.read_parquet(parquet).iloc[0:0].to_parquet(parquet, index=False)
    meta = folder / "metadata.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8") + f"not_collected: [{', '.join(tables)}]\n", encoding="utf-8"
    )


def _run(data: Path, out: Path) -> Path:
    from toolkit.run.runner import RunRequest, run

    summary = run(
        RunRequest(units=[UNIT], period=PERIOD, data_dir=data, out_dir=out, jobs=1, progress=False),
        echo=lambda s: None,
    )
    failed = [f"{r.notebook}: {r.error}" for r in summary.results if r.status != "ok"]
    assert summary.exit_code == 0 and not failed, failed
    return out / PERIOD / UNIT


@pytest.fixture(scope="module")
def complete_reports(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    return _run(sample_dir, tmp_path_factory.mktemp("complete"))


@pytest.fixture(scope="module", params=sorted(EMPTIED))
def emptied_reports(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
):
    table = request.param
    folder = _copy(sample_dir, tmp_path_factory.mktemp(f"without_{table}") / "data")
    _declare(folder, EMPTIED[table])
    return table, _run(folder, tmp_path_factory.mktemp(f"reports_without_{table}"))


def test_the_scan_finds_a_zero_from_a_missing_table() -> None:
    """The scan itself: a zero where the complete report has a figure is found, a shared one is not."""
    complete = (
        "<table><tr><th>A</th><th>Kr.</th></tr><tr><td>Sengedage</td><td>1.234\u00a0kr.</td></tr></table>"
    )
    emptied = complete.replace("1.234\u00a0kr.", "0\u00a0kr.")
    assert zero_places(emptied) - zero_places(complete) == Counter({"A|Kr. / Sengedage / Kr.": 1})
    sentence = "<p>0\u00a0kr. af 0\u00a0kr. direkte omkostninger; 12 timer</p>"
    assert not zero_places(sentence.replace("12", "0")) - zero_places(sentence)
    assert zero_places("<p>Forbrug 0,0\u00a0% af 1.000\u00a0kr.</p>") - zero_places(
        "<p>Forbrug 3,1\u00a0% af 1.000\u00a0kr.</p>"
    )
    assert cards(
        '<div class="card status-green"><div class="label">Budget</div><div class="value">0\u00a0kr.</div></div>'
    ) == {"Budget": ("green", "0\u00a0kr.", "")}


@pytest.mark.slow
@pytest.mark.parametrize(
    "notebook",
    NOTEBOOKS,
)
def test_a_report_without_a_table_shows_no_zero_and_no_green_from_it(
    notebook: str, emptied_reports: tuple[str, Path], complete_reports: Path
) -> None:
    table, folder = emptied_reports
    page, full = _page(folder / f"{notebook}.html"), _page(complete_reports / f"{notebook}.html")
    new_zeros = zero_places(page) - zero_places(full)
    assert not new_zeros, (
        f"{notebook} without {table}: zeros the complete data do not give: {dict(new_zeros)}"
    )
    before, after = cards(full), cards(page)
    for label, (status, value, detail) in after.items():
        changed = before.get(label, ("", "", ""))[1:] != (value, detail)
        if value == "ingen data" or changed:  # the card reads the emptied table
            assert status != "green", f"{notebook} without {table}: green card {label}: {value} ({detail})"
        if value == "ingen data":
            assert status == "neutral", f"{notebook} without {table}: coloured no-data card {label}"
    doc = json.loads((folder / f"{notebook}.json").read_text(encoding="utf-8"))
    full_doc = json.loads((complete_reports / f"{notebook}.json").read_text(encoding="utf-8"))
    complete_values = {k["key"]: k["value"] for k in full_doc["kpis"]}
    zero_json = [
        k["key"] for k in doc["kpis"] if k["value"] == 0 and complete_values.get(k["key"]) not in (0, None)
    ]
    assert not zero_json, (
        f"{notebook} without {table}: 0 in the JSON where the data give a figure: {zero_json}"
    )


def test_the_cost_share_of_the_three_largest_is_no_data_without_cost_shares() -> None:
    import pandas as pd

    from toolkit.analyses.need_assessment.summary import _top3_share

    assert _top3_share(pd.Series([10.0, None, 30.0, 5.0, 20.0])) == 60.0
    assert _top3_share(pd.Series([None, None], dtype="float64")) is None
    assert _top3_share(pd.Series([], dtype="float64")) is None
