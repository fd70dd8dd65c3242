"""No data is not zero: an emptied input gives "ingen data", no colour and no conclusion.

Two copies of the sample data, one with the finance table emptied (its header only), one with
the HR table emptied (and the hours, which need an HR row each); and one whose shifts have no
actual times. Each report's figures are computed by the library, as the notebooks do.
"""

from __future__ import annotations

import shutil
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
