from datetime import date

import pandas as pd
import pytest

from toolkit.core.errors import ParameterError
from toolkit.core.periods import parse_period, period_range, same_month_last_year, year_to_date


def test_parse_period_accepts_months_and_dates():
    assert str(parse_period("2026-03")) == "2026-03"
    assert str(parse_period(date(2026, 3, 17))) == "2026-03"
    assert str(parse_period(pd.Period("2026-03-05", freq="D"))) == "2026-03"


@pytest.mark.parametrize("bad", ["2024/13", "2024-13", "24-01", "", "2024-1"])
def test_parse_period_rejects_with_a_clear_message(bad):
    with pytest.raises(ParameterError, match=r"`period` must be YYYY-MM; got"):
        parse_period(bad)


def test_ranges():
    p = parse_period("2026-03")
    assert [str(x) for x in year_to_date(p)] == ["2026-01", "2026-02", "2026-03"]
    assert [str(x) for x in period_range(p, 2)] == ["2026-02", "2026-03"]
    assert str(same_month_last_year(p)) == "2025-03"
    with pytest.raises(ParameterError):
        period_range(p, 0)
