from datetime import date, datetime

import pytest

from toolkit.core.formatting import fmt_date, fmt_datetime, fmt_kr, fmt_month, fmt_number, fmt_pct, join_words


@pytest.mark.parametrize(
    ("value", "decimals", "lang", "expected"),
    [
        (1234.5, 1, "da", "1.234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (-1234.56, 2, "da", "−1.234,56"),
        (0.04, 1, "da", "0,0"),
        (-0.04, 1, "da", "0,0"),  # no minus on a value that rounds to zero
        (1234567, 0, "da", "1.234.567"),
        (float("nan"), 1, "da", "–"),
        (None, 1, "da", "–"),
    ],
)
def test_fmt_number(value, decimals, lang, expected):
    assert fmt_number(value, decimals, lang) == expected


def test_signed_numbers_and_percentages():
    assert fmt_number(3.2, 1, "da", signed=True) == "+3,2"
    assert fmt_pct(5.234, 1, "da") == "5,2\u00a0%"
    assert fmt_pct(-5.25, 1, "en", signed=True) == "−5.2%" or fmt_pct(-5.25, 1, "en", signed=True) == "−5.3%"
    assert fmt_pct(12.0, 0, "en") == "12%"


def test_fmt_kr_compact_and_full():
    assert fmt_kr(1_234_567, "da") == "1,2\u00a0mio.\u00a0kr."
    assert fmt_kr(45_678, "da", signed=True) == "+46\u00a0t.\u00a0kr."
    assert fmt_kr(950, "da") == "950\u00a0kr."
    assert fmt_kr(1_234_567, "da", compact=False) == "1.234.567\u00a0kr."
    assert fmt_kr(1_234_567, "en") == "DKK\u00a01.2m"
    assert fmt_kr(-2_500_000, "da") == "−2,5\u00a0mio.\u00a0kr."


def test_months_and_dates_in_both_languages():
    assert fmt_month("2026-10", "da") == "oktober 2026"
    assert fmt_month("2026-10", "en") == "October 2026"
    assert fmt_month("2026-05", "da", short=True) == "maj 26"
    assert fmt_date(date(2026, 11, 5), "da") == "5. november 2026"
    assert fmt_date(date(2026, 11, 5), "en") == "5 November 2026"
    assert fmt_datetime(datetime(2026, 11, 23, 9, 5), "da") == "23. november 2026 kl. 09.05"


def test_join_words():
    assert join_words(["a", "b", "c"], "da") == "a, b og c"
    assert join_words(["a", "b"], "en") == "a and b"
    assert join_words(["a"], "en") == "a"
