"""Numbers, amounts, months and dates as a Danish (or English) reader expects them.

Danish: ``1.234,5``, ``5,2 %``, ``1,2 mio. kr.``, ``oktober 2026``; English: ``1,234.5``,
``5.2%``, ``DKK 1.2m``, ``October 2026``. Missing values show as an en dash.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Literal

import pandas as pd
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal

Language = Literal["da", "en"]
LOCALES: dict[str, str] = {"da": "da_DK", "en": "en_GB"}
MISSING = "–"
MINUS = "\u2212"
NBSP = "\u00a0"


def _locale(lang: str) -> str:
    try:
        return LOCALES[lang]
    except KeyError:
        raise ValueError(f"language must be one of {sorted(LOCALES)}; got {lang!r}") from None


def is_missing(value: object) -> bool:
    """True for None, NaN and pandas NA."""
    if value is None or value is pd.NA:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value))
    except TypeError:  # pragma: no cover
        return False


def fmt_number(value: float | None, decimals: int = 0, lang: Language = "da", *, signed: bool = False) -> str:
    """``1234.5`` → ``"1.234,5"`` (da) or ``"1,234.5"`` (en)."""
    if value is None or is_missing(value):
        return MISSING
    value = float(value)
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    text = format_decimal(abs(value), format=pattern, locale=_locale(lang))
    rounded_zero = round(abs(value), decimals) == 0
    if value < 0 and not rounded_zero:
        return MINUS + text
    if signed and not rounded_zero:
        return "+" + text
    return text


def fmt_pct(value: float | None, decimals: int = 1, lang: Language = "da", *, signed: bool = False) -> str:
    """A percentage given in percent units: ``5.23`` → ``"5,2 %"`` (da) / ``"5.2%"`` (en)."""
    if is_missing(value):
        return MISSING
    number = fmt_number(value, decimals, lang, signed=signed)
    return f"{number}{NBSP}%" if lang == "da" else f"{number}%"


def fmt_kr(value: float | None, lang: Language = "da", *, compact: bool = True, signed: bool = False) -> str:
    """An amount in kr.: ``1_234_567`` → ``"1,2 mio. kr."`` (compact) or ``"1.234.567 kr."``."""
    if value is None or is_missing(value):
        return MISSING
    v = float(value)
    if compact and abs(v) >= 1_000_000:
        number = fmt_number(v / 1_000_000, 1, lang, signed=signed)
        return f"{number}{NBSP}mio.{NBSP}kr." if lang == "da" else f"DKK{NBSP}{number}m"
    if compact and abs(v) >= 10_000:
        number = fmt_number(v / 1_000, 0, lang, signed=signed)
        return f"{number}{NBSP}t.{NBSP}kr." if lang == "da" else f"DKK{NBSP}{number}k"
    number = fmt_number(v, 0, lang, signed=signed)
    return f"{number}{NBSP}kr." if lang == "da" else f"DKK{NBSP}{number}"


def _month_start(period: str | pd.Period) -> date:
    p = pd.Period(period, freq="M")
    return date(p.year, p.month, 1)


def fmt_month(period: str | pd.Period, lang: Language = "da", *, short: bool = False) -> str:
    """``"2026-10"`` → ``"oktober 2026"`` / ``"October 2026"``; short: ``"okt. 26"`` / ``"Oct 26"``."""
    pattern = "MMM yy" if short else "MMMM y"
    return format_date(_month_start(period), pattern, locale=_locale(lang))


def fmt_date(value: date, lang: Language = "da") -> str:
    """``date(2026, 11, 5)`` → ``"5. november 2026"`` / ``"5 November 2026"``."""
    return format_date(value, "long", locale=_locale(lang))


def fmt_datetime(value: datetime, lang: Language = "da") -> str:
    """A timestamp: ``"23. november 2026 kl. 11.42"`` / ``"23 November 2026 at 11:42"``."""
    if lang == "da":
        return format_datetime(value, "d. MMMM y 'kl.' HH.mm", locale=_locale(lang))
    return format_datetime(value, "d MMMM y 'at' HH:mm", locale=_locale(lang))


def plotly_separators(lang: Language = "da") -> str:
    """The ``layout.separators`` string for plotly: decimal mark, then thousands mark."""
    return ",." if lang == "da" else ".,"


def join_words(items: list[str], lang: Language = "da") -> str:
    """``["a", "b", "c"]`` → ``"a, b og c"`` / ``"a, b and c"``."""
    word = "og" if lang == "da" else "and"
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
