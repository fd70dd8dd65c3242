"""The sample generator: deterministic, scalable, valid, and with problems worth reporting."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from toolkit.data.sources import FolderSource
from toolkit.measures.common import TOTAL
from toolkit.measures.economy import budget_status, productivity_summary
from toolkit.measures.hr import staff_group_kpis
from toolkit.measures.inputs import load
from toolkit.run.samples import generate, write_sample


def test_same_seed_same_data_and_scale_multiplies_units():
    a, b = generate(seed=7), generate(seed=7)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    two = generate(seed=7, scale=2)
    assert (two["units"]["level"] == "department").sum() == 2 * (a["units"]["level"] == "department").sum()
    assert len(two["hours"]) > 1.8 * len(a["hours"])


def test_committed_sample_is_the_generators_output(sample_dir: Path, tmp_path: Path):
    write_sample(tmp_path, seed=42)
    for path in sample_dir.iterdir():
        if path.suffix in (".csv", ".parquet"):
            assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name
    assert FolderSource(tmp_path).validate_all().ok


def test_sample_has_at_least_three_centres_ten_departments_24_months(sample_dir: Path):
    src = FolderSource(sample_dir)
    units = src.units()
    assert (units["level"] == "centre").sum() >= 3
    assert (units["level"] == "department").sum() >= 10
    assert len(src.periods()) >= 24
    assert src.read("hr")["staff_group"].nunique() >= 5


@pytest.fixture(scope="module")
def source(sample_dir: Path) -> FolderSource:
    return FolderSource(sample_dir)


def test_planted_problem_rising_sick_leave(source):
    inp = load(source, "FS-LUN", "2026-10", 24)
    months = sorted(inp.hr["period"].unique())
    first = staff_group_kpis(inp.hours, inp.hr, months[:12])
    last = staff_group_kpis(inp.hours, inp.hr, months[12:])
    before = first.set_index("staff_group").loc[TOTAL, "sick_pct"]
    after = last.set_index("staff_group").loc[TOTAL, "sick_pct"]
    assert after > before * 1.25


def test_planted_problem_budget_overrun(source):
    inp = load(source, "FS-ORT", "2026-10", 24)
    total = budget_status(inp.finance, "2026-10").set_index("account_group").loc[TOTAL]
    assert total["deviation_pct"] > 5


def test_planted_problem_falling_productivity(source):
    inp = load(source, "FS-AKU", "2026-10", 24)
    summary = productivity_summary(inp.volume, inp.hours, inp.activities, "2026-10").set_index("activity_id")
    assert summary.loc["AKUT", "change_pct"] < -5
