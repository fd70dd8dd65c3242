"""The top of the KPI report: the headline sentences, the KPI cards and the recorded KPI values."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from toolkit.analyses.kpi import sheet
from toolkit.analyses.kpi.params import settings
from toolkit.analyses.kpi.results import KPIResults, budget_total, has_input, measured_goals, volume_ratios
from toolkit.analyses.kpi.texts import TEXTS
from toolkit.core.definitions import DEFINITIONS, Definition, define
from toolkit.core.formatting import Language, fmt_kr, fmt_month, fmt_number, fmt_pct, is_missing, join_words
from toolkit.report.blocks import SUPPRESSED_MARK, Card, Report
from toolkit.report.context import ReportContext
from toolkit.report.narrative import Finding, ranked

#: A year-to-date volume deviation from plan of at least this % is a headline of its own.
ACTIVITY_LIMIT_PCT = 3.0
#: A change in productivity against last year of at least this % is a headline of its own.
PRODUCTIVITY_LIMIT_PCT = 5.0

#: The status colour of a card.
Status = Literal["green", "amber", "red", "neutral"]


def headline(res: KPIResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences, the most important first, generated from the numbers."""
    lang: Language = ctx.lang
    findings = [
        _budget_finding(res, ctx),
        _activity_finding(res, lang),
        _sick_finding(res, ctx),
        _productivity_finding(res, lang),
        _goals_finding(res, lang),
        divergence_finding(res, ctx),
    ]
    return ranked(f for f in findings if f is not None)


def divergence_finding(res: KPIResults, ctx: ReportContext) -> Finding | None:
    """The activity sheet's sentence: the activity whose volume and hours moved apart most.

    Weighed by the gap (volume change − hours change against last year, percentage points);
    none below :data:`~toolkit.analyses.kpi.sheet.DIVERGENCE_LIMIT_PP` (nothing to tell).
    """
    table = sheet.activity_sheet(res, ctx.period, ctx.lang)
    gap = (table["ytd_vs_last_year_pct"] - table["ytd_hours_change_pct"]).abs()
    if not gap.notna().any() or float(gap.max()) < sheet.DIVERGENCE_LIMIT_PP:
        return None
    text = sheet.sheet_headline(table, ctx.lang)
    return Finding(1 + float(gap.max()) / 10, text) if text else None


def _budget_finding(res: KPIResults, ctx: ReportContext) -> Finding | None:
    """Spending year to date against the periodised budget, and the largest unexplained deviation.

    Without finance rows the headline says so and concludes nothing. An account group whose
    deviation needs an explanation (the materiality rule) and has none is named, the largest
    first, before any sentence that the total follows the budget.
    """
    lang = ctx.lang
    if not has_input(res, "finance_ytd"):
        return Finding(1.5, TEXTS("hl.budget_no_data", lang, year=ctx.period[:4]))
    total = budget_total(res)
    dev_pct = float(total["deviation_pct"])
    fc_dev = float(total["forecast_deviation_kr"])
    unexplained = largest_unexplained(res)
    if unexplained is not None:
        kr, pct = float(unexplained["deviation_kr"]), float(unexplained["deviation_pct"])
        text = TEXTS(
            "hl.budget_unexplained",
            lang,
            group=TEXTS(f"acct.{unexplained['account_group']}", lang),
            kr=fmt_kr(kr, lang, signed=True),
            pct=fmt_pct(pct, 1, lang, signed=True),
            total=fmt_pct(dev_pct, 1, lang, signed=True),
        )
        return Finding(3 + abs(pct) / 5, text)
    if is_missing(dev_pct) or abs(dev_pct) < 1:
        return Finding(1.0, TEXTS("hl.budget_on", lang, pct=fmt_pct(dev_pct, 1, lang, signed=True)))
    return Finding(
        2 + abs(dev_pct),
        TEXTS(
            "hl.budget_over" if dev_pct > 0 else "hl.budget_under",
            lang,
            kr=fmt_kr(abs(float(total["deviation_kr"])), lang),
            pct=fmt_pct(abs(dev_pct), 1, lang),
            fc=fmt_kr(abs(fc_dev), lang),
            fc_dir=TEXTS("hl.over" if fc_dev > 0 else "hl.under", lang),
        ),
    )


def largest_unexplained(res: KPIResults) -> pd.Series | None:
    """The account group with the largest deviation (in kr.) that needs an explanation and has none."""
    missing = res.budget[res.budget["explanation_missing"].fillna(False).astype(bool)]
    if missing.empty:
        return None
    return missing.loc[missing["deviation_kr"].abs().idxmax()]


def _activity_finding(res: KPIResults, lang: Language) -> Finding | None:
    """The activity furthest from plan year to date, or that every activity follows the plan."""
    vol = res.volume.dropna(subset=["ytd_vs_plan_pct"])
    if not len(vol):
        return None
    worst = vol.loc[vol["ytd_vs_plan_pct"].abs().idxmax()]
    pct = float(worst["ytd_vs_plan_pct"])
    if abs(pct) < ACTIVITY_LIMIT_PCT:
        return Finding(0.5, TEXTS("hl.activity_on", lang, limit=fmt_number(ACTIVITY_LIMIT_PCT, 0, lang)))
    text = TEXTS(
        "hl.activity",
        lang,
        name=worst["name"],
        pct=fmt_pct(abs(pct), 1, lang),
        dir=TEXTS("hl.over" if pct > 0 else "hl.under", lang),
        actual=fmt_number(worst["ytd_actual"], 0, lang),
        plan=fmt_number(worst["ytd_planned"], 0, lang),
        unit=worst["volume_unit"] or "",
    )
    return Finding(1 + abs(pct) / 2, text.replace("  ", " ").replace(" ).", ")."))


def _sick_finding(res: KPIResults, ctx: ReportContext) -> Finding | None:
    """Sick leave over the last 12 months against the year before and the alert level."""
    if is_missing(res.sick_12m):
        return None
    lang = ctx.lang
    alert_limit = settings(ctx.params).sick_leave_alert_pct
    alert = (
        TEXTS("hl.sick_alert", lang, limit=fmt_pct(alert_limit, 1, lang))
        if res.sick_12m > alert_limit
        else ""
    )
    score = 1 + max(0.0, res.sick_12m - alert_limit) * 2
    if is_missing(res.sick_12m_last_year):
        return Finding(score, TEXTS("hl.sick_nolast", lang, pct=fmt_pct(res.sick_12m, 1, lang), alert=alert))
    score += max(0.0, res.sick_12m - res.sick_12m_last_year)
    text = TEXTS(
        "hl.sick",
        lang,
        pct=fmt_pct(res.sick_12m, 1, lang),
        ly=fmt_pct(res.sick_12m_last_year, 1, lang),
        alert=alert,
    )
    return Finding(score, text)


def _productivity_finding(res: KPIResults, lang: Language) -> Finding | None:
    """The activity whose productivity fell most (or rose least) against last year, if it moved."""
    prod = res.productivity_summary.dropna(subset=["change_pct"])
    if not len(prod):
        return None
    worst = prod.loc[prod["change_pct"].idxmin()]
    change = float(worst["change_pct"])
    if abs(change) < PRODUCTIVITY_LIMIT_PCT:
        return None
    decimals = 1 if worst["ytd_productivity"] < 10 else 0
    text = TEXTS(
        "hl.productivity",
        lang,
        name=worst["name"],
        dir=TEXTS("hl.fallen" if change < 0 else "hl.risen", lang),
        pct=fmt_pct(abs(change), 1, lang),
        now=fmt_number(worst["ytd_productivity"], decimals + 1, lang),
        then=fmt_number(worst["ly_ytd_productivity"], decimals + 1, lang),
        unit=worst["volume_unit"] or "",
    )
    return Finding(1 + abs(change) / 3, text)


def _goals_finding(res: KPIResults, lang: Language) -> Finding | None:
    """How many of the measured goals are green, naming the red ones."""
    measured = measured_goals(res)
    if not len(measured):
        return None
    green = int((measured["status"] == "green").sum())
    red = measured[measured["status"] == "red"]["name"].tolist()
    if red:
        text = TEXTS("hl.goals_red", lang, green=green, n=len(measured), names=join_words(red, lang))
    else:
        text = TEXTS("hl.goals", lang, green=green, n=len(measured))
    return Finding(0.8 + len(red), text)


CARD_COLOURS = Definition(
    "kpi_card_colours",
    "Kortenes farver",
    "The cards' colours",
    "Aktivitet ift. plan: grøn under 2 % under planen (over planen er grøn), gul fra 2 %, rød fra "
    "5 % under. Budgetafvigelse år til dato: grøn under væsentlighedsgrænsen i procent "
    "(kpi.materiality_pct) i begge retninger, gul fra grænsen, rød fra den dobbelte; en afvigelse, "
    "der kræver en forklaring og ikke har den, er aldrig grøn. Prognose: et eget kort kun når "
    "metoden siger mere end år til dato (ikke remaining_budget, hvis prognoseafvigelse er "
    "afvigelsen år til dato); farve som budgetafvigelsen, i procent af årsbudgettet. Sygefravær "
    "12 mdr.: rød over opmærksomhedsgrænsen (kpi.sick_leave_alert_pct), ellers grøn. Overarbejde: "
    "ingen farve. Grønne mål: grøn når alle målte mål er grønne, gul når mindst halvdelen er, "
    "ellers rød. Et kort uden data eller med skjulte tal har ingen farve.",
    "Volume vs plan: green under 2% below plan (above plan is green), amber from 2%, red from 5% "
    "below. Budget deviation year to date: green under the materiality limit in percent "
    "(kpi.materiality_pct) either way, amber from the limit, red from twice the limit; a deviation "
    "that needs an explanation and has none is never green. Forecast: a card of its own only when "
    "the method says more than the year to date (not remaining_budget, whose forecast deviation is "
    "the year-to-date deviation); coloured like the budget deviation, in percent of the annual "
    "budget. Sick leave 12 months: red above the alert level (kpi.sick_leave_alert_pct), else "
    "green. Overtime: no colour. Green goals: green when every measured goal is green, amber when "
    "at least half are, else red. A card without data or with suppressed figures has no colour.",
)


@define(CARD_COLOURS)
def cards(res: KPIResults, ctx: ReportContext) -> list[Card]:
    """The KPI boxes under the headline; the colour rule of each is the ``kpi_card_colours`` definition.

    A card whose input has no rows says "ingen data" and which input is missing, without a
    colour; the suppression mark only where persons exist. The forecast gets a card of its own
    only when its method adds information beyond the year to date (not ``remaining_budget``,
    whose forecast deviation is the year-to-date deviation by construction).
    """
    lang = ctx.lang
    kp = settings(ctx.params)
    min_n = ctx.params.privacy.min_group_size
    month = fmt_month(ctx.period, lang)
    total = budget_total(res)
    ratios = volume_ratios(res)
    vol_pct = (ratios.mean() - 1) * 100 if len(ratios) else np.nan
    dev_pct = float(total["deviation_pct"])
    fc_dev = float(total["forecast_deviation_kr"])
    annual = float(total["annual_budget"])
    measured = measured_goals(res)
    green = int((measured["status"] == "green").sum())
    no_hr = res.persons == 0 or not has_input(res, "hr")
    small = res.persons < min_n and not no_hr
    suppressed = TEXTS("card.suppressed", lang, n=min_n)
    sick_status: Status = "neutral"
    if not is_missing(res.sick_12m):
        sick_status = "red" if res.sick_12m > kp.sick_leave_alert_pct else "green"
    goals_status: Status = "neutral"
    if len(measured):
        goals_status = (
            "green" if green == len(measured) else ("amber" if green >= len(measured) / 2 else "red")
        )
    out = [
        Card(
            TEXTS("card.volume", lang),
            fmt_pct(vol_pct, 1, lang, signed=True),
            TEXTS("card.mean_of", lang, n=len(ratios))
            if len(ratios) != 1
            else TEXTS("card.one_activity", lang),
            _status(-vol_pct, amber=2, red=5) if not is_missing(vol_pct) else "neutral",
        )
        if has_input(res, "volume")
        else no_data_card(TEXTS("card.volume", lang), "volume", ctx.period, lang),
    ]
    if not has_input(res, "finance_ytd"):
        out.append(no_data_card(TEXTS("card.budget", lang), "finance", ctx.period, lang))
    else:
        unexplained = largest_unexplained(res)
        budget_status: Status = _status(abs(dev_pct), amber=kp.materiality_pct, red=2 * kp.materiality_pct)
        if unexplained is not None and budget_status == "green":
            budget_status = "amber"  # a material deviation without explanation is never green
        out.append(
            Card(
                TEXTS("card.budget", lang),
                fmt_kr(float(total["deviation_kr"]), lang, signed=True),
                fmt_pct(dev_pct, 1, lang, signed=True)
                + (TEXTS("card.forecast_same", lang) if kp.forecast_method == "remaining_budget" else ""),
                budget_status,
            )
        )
        if kp.forecast_method != "remaining_budget":
            fc_pct = fc_dev / annual * 100 if annual else np.nan
            out.append(
                Card(
                    TEXTS("card.forecast", lang),
                    fmt_kr(fc_dev, lang, signed=True),
                    fmt_pct(fc_pct, 1, lang, signed=True),
                    _status(abs(fc_pct), amber=kp.materiality_pct, red=2 * kp.materiality_pct),
                )
            )
    if no_hr:
        out.append(no_data_card(TEXTS("card.sick", lang), "hr", ctx.period, lang))
        out.append(no_data_card(TEXTS("card.overtime", lang), "hr", ctx.period, lang))
    else:
        out.append(
            Card(
                TEXTS("card.sick", lang),
                SUPPRESSED_MARK if is_missing(res.sick_12m) and small else fmt_pct(res.sick_12m, 1, lang),
                suppressed
                if small
                else (
                    TEXTS("card.last_year", lang, value=fmt_pct(res.sick_12m_last_year, 1, lang))
                    if not is_missing(res.sick_12m_last_year)
                    else None
                ),
                sick_status,
            )
        )
        out.append(
            Card(
                TEXTS("card.overtime", lang),
                SUPPRESSED_MARK
                if small or is_missing(res.overtime_month)
                else fmt_number(res.overtime_month, 1, lang),
                suppressed if small else TEXTS("card.in_month", lang, month=month),
            )
        )
    out.append(
        Card(
            TEXTS("card.goals", lang),
            fmt_pct(green / len(measured) * 100, 0, lang),
            TEXTS("card.of_goals", lang, green=green, n=len(measured)),
            goals_status,
        )
        if len(measured)
        else no_data_card(TEXTS("card.goals", lang), "goals", ctx.period, lang)
    )
    return out


def no_data_card(label: str, table: str, period: str, lang: Language) -> Card:
    """A card without a figure: "ingen data", the missing input (of ``period``) named, no colour."""
    detail = TEXTS(f"card.missing.{table}", lang, month=fmt_month(period, lang), year=period[:4])
    return Card(label, TEXTS("card.no_data", lang), detail, "neutral")


def _status(value: float, *, amber: float, red: float) -> Status:
    """Status of a 'higher is worse' deviation."""
    if is_missing(value):
        return "neutral"
    if value >= red:
        return "red"
    if value >= amber:
        return "amber"
    return "green"


def record_kpis(report: Report, res: KPIResults, ctx: ReportContext) -> None:
    """Record the headline values for the JSON file beside the report."""
    lang = ctx.lang
    total = budget_total(res)
    ratios = volume_ratios(res)
    measured = measured_goals(res)
    report.kpi(
        "volume_vs_plan_ytd_pct",
        TEXTS("card.volume", lang),
        (ratios.mean() - 1) * 100 if len(ratios) else None,
        "%",
    )
    report.kpi("budget_deviation_ytd_kr", TEXTS("card.budget", lang), float(total["deviation_kr"]), "kr")
    report.kpi("budget_deviation_ytd_pct", TEXTS("card.budget", lang), float(total["deviation_pct"]), "%")
    report.kpi(
        "forecast_deviation_kr", TEXTS("card.forecast", lang), float(total["forecast_deviation_kr"]), "kr"
    )
    report.kpi("sick_leave_12m_pct", TEXTS("card.sick", lang), res.sick_12m, "%")
    report.kpi("overtime_per_fte_month", TEXTS("card.overtime", lang), res.overtime_month, "hours/FTE")
    report.kpi(
        "registration_coverage_pct", DEFINITIONS["registration_coverage"].name(lang), res.coverage, "%"
    )
    _record_absence(report, res, lang)
    _record_cost_per_case(report, res, ctx)
    report.kpi(
        "goals_green_pct",
        TEXTS("card.goals", lang),
        (measured["status"] == "green").mean() * 100 if len(measured) else None,
        "%",
    )


def _record_cost_per_case(report: Report, res: KPIResults, ctx: ReportContext) -> None:
    """Direct cost per case (month, year to date) and, where costed, the full cost per case.

    The full cost per case carries the unit-cost report's id (``unit_cost_<activity>``): it is the
    same figure (a centre's and the hospital's: total full cost / total volume of the departments
    below). The direct cost per case is another concept with its own ids. Where the unit-cost
    report hides an activity's unit cost, the full cost per case is null here too.
    """
    for row in res.cost_summary.itertuples(index=False):
        unit = "kr/case"
        report.kpi(f"direct_cost_per_case_{row.activity_id}", str(row.name), row.cost_per_case, unit)
        report.kpi(f"direct_cost_per_case_ytd_{row.activity_id}", str(row.name), row.ytd_cost_per_case, unit)
    if res.full_cost is None:
        return
    catalogue = ctx.source.activities()
    names = dict(zip(catalogue["activity_id"], catalogue["name"], strict=True))
    hidden = (
        res.full_cost["suppressed"]
        if "suppressed" in res.full_cost
        else pd.Series(False, res.full_cost.index)
    )
    for full, hide in zip(res.full_cost.itertuples(index=False), hidden.astype(bool), strict=True):
        name = names.get(full.activity_id, full.activity_id)
        value = None if hide else float(full.unit_cost)  # hidden as in the unit-cost report
        report.kpi(f"unit_cost_{full.activity_id}", str(name), value, "kr/case")


#: The JSON id stem of each absence measure (``<stem>_month`` and ``<stem>_12m``).
ABSENCE_IDS = {
    "sick_pct": ("sick_leave", "%"),
    "child_sick_pct": ("child_sick", "%"),
    "all_absence_pct": ("all_absence", "%"),
    "sick_days_per_fte": ("sick_days_per_fte", "days/FTE"),
    "absence_days_per_fte": ("absence_days_per_fte", "days/FTE"),
}


def _record_absence(report: Report, res: KPIResults, lang: Language) -> None:
    """The absence figures of the month and the 12 months (``sick_leave_12m_pct`` is the card's)."""
    if res.absence is None:
        return
    for row in res.absence.itertuples(index=False):
        stem, unit = ABSENCE_IDS[str(row.measure)]
        suffix = "_pct" if unit == "%" else ""
        name = DEFINITIONS["sick_leave_pct" if row.measure == "sick_pct" else str(row.measure)].name(lang)
        report.kpi(f"{stem}_month{suffix}", name, row.month, unit)
        if row.measure != "sick_pct":  # the 12 months' sick leave is recorded with the card
            report.kpi(f"{stem}_12m{suffix}", name, row.last12, unit)
