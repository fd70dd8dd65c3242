"""Presentation of the management-information KPI report: tables, charts, cards, headline.

The numbers come from :mod:`toolkit.kpi`; this module only decides how they are shown and
what the headline says. The notebook ``notebooks/kpi.ipynb`` calls these in reading order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language, fmt_kr, fmt_month, fmt_number, fmt_pct, is_missing, join_words
from toolkit.core.i18n import register, t
from toolkit.core.periods import parse_period
from toolkit.data.aggregates import register_aggregate
from toolkit.data.hierarchy import siblings
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.measures.activity import (
    STAIRCASE_STEPS,
    hours_by_activity,
    registration_coverage,
    time_staircase,
    volume_comparison,
    volume_trend,
)
from toolkit.measures.common import TOTAL
from toolkit.measures.economy import (
    CostAllocation,
    attach_explanations,
    budget_monthly,
    budget_status,
    cost_per_case,
    cost_per_case_summary,
    productivity,
    productivity_summary,
)
from toolkit.measures.goals import goal_status
from toolkit.measures.hr import (
    HR_VALUE_COLUMNS,
    staff_group_kpis,
    suppress_small_groups,
    unit_sick_leave_trend,
)
from toolkit.measures.inputs import KPIInput, load
from toolkit.measures.ratios import KEY_RATIO_COLUMNS, unit_key_ratios
from toolkit.report import figures
from toolkit.report.blocks import SUPPRESSED_MARK, Card, Column, TableView
from toolkit.report.context import ReportContext

register(
    {
        "kpi.title": ("Ledelsesinformation", "Management information"),
        "kpi.sec.activity": ("Aktivitet", "Activity"),
        "kpi.sec.activity.lead": (
            "Aktivitet pr. kerneaktivitet i måneden og år til dato, sammenlignet med planen og med samme periode sidste år.",
            "Volume per core activity in the month and year to date, against plan and the same period last year.",
        ),
        "kpi.sec.time": ("Tid", "Time"),
        "kpi.sec.time.lead": (
            "Tidstrappen viser, hvordan normtimerne i måneden bliver til tid på kerneopgaverne.",
            "The time staircase shows how the month's contracted hours become time on core activities.",
        ),
        "kpi.sec.productivity": ("Produktivitet og enhedsomkostninger", "Productivity and unit costs"),
        "kpi.sec.productivity.lead": (
            "Ydelser pr. arbejdstime og omkostning pr. ydelse pr. kerneaktivitet.",
            "Cases per hour worked and cost per case per core activity.",
        ),
        "kpi.sec.budget": ("Økonomi", "Finance"),
        "kpi.sec.budget.lead": (
            "Forbrug år til dato mod det periodiserede budget og prognose for året ({method}).",
            "Actual spending year to date against the periodised budget, and the year-end forecast ({method}).",
        ),
        "kpi.sec.hr": ("Sygefravær og overarbejde", "Sick leave and overtime"),
        "kpi.sec.hr.lead": (
            "Pr. personalegruppe de seneste 12 måneder (sygefravær i måneden for sig).",
            "Per staff group over the last 12 months (sick leave in the month shown separately).",
        ),
        "kpi.sec.goals": ("Mål", "Goals"),
        "kpi.sec.goals.lead": (
            "Mål og resultater i måneden. Grøn: målopfyldelse mindst {green} %, gul: mindst {amber} %.",
            "Targets and results in the month. Green: achievement at least {green}%, amber: at least {amber}%.",
        ),
        "kpi.sec.compare": (
            "Sammenligning med centrets afdelinger",
            "Comparison with the centre's departments",
        ),
        "kpi.sec.compare.lead": (
            "Nøgletal for afdelingerne i {centre}. Kun aggregerede nøgletal deles mellem afdelinger.",
            "Key ratios of the departments in {centre}. Only aggregated ratios are shared between departments.",
        ),
        "kpi.no_goals": (
            "Enheden har ingen mål registreret for måneden.",
            "The unit has no goals recorded for the month.",
        ),
        "kpi.explanation_needed": (
            "Afvigelser over væsentlighedsgrænsen ({kr} og {pct}) kræver en afvigelsesforklaring: {groups}.",
            "Deviations above the materiality limit ({kr} and {pct}) need an explanation: {groups}.",
        ),
        "kpi.explanation_missing": (
            "Forklaring mangler for: {groups}.",
            "An explanation is missing for: {groups}.",
        ),
        "col.explanation": ("Forklaring", "Explanation"),
        "kpi.no_explanation": ("(forklaring mangler)", "(explanation missing)"),
        "kpi.hours_title": ("Timer pr. aktivitet i måneden", "Hours per activity in the month"),
        "kind.core": ("Kerneaktivitet", "Core activity"),
        "kind.internal": ("Intern aktivitet", "Internal activity"),
        "kpi.unallocated_note": (
            "Omkostninger uden aktivitet, som ikke er løn (fx lokaler og udstyr), er ikke fordelt: {amount} i måneden.",
            "Costs without an activity other than salary (e.g. premises and equipment) are not allocated: {amount} in the month.",
        ),
        "kpi.coverage_note": (
            "Registreringsgrad i måneden: {pct}. En lav registreringsgrad får produktiviteten til at se for god ud.",
            "Registration coverage in the month: {pct}. Low coverage flatters productivity.",
        ),
        # columns
        "col.activity": ("Aktivitet", "Activity"),
        "col.volume_unit": ("Enhed", "Unit"),
        "col.actual": ("Faktisk", "Actual"),
        "col.planned": ("Plan", "Plan"),
        "col.vs_plan": ("Ift. plan", "Vs plan"),
        "col.last_year": ("Sidste år", "Last year"),
        "col.vs_last_year": ("Ift. sidste år", "Vs last year"),
        "col.ytd_actual": ("ÅTD faktisk", "YTD actual"),
        "col.ytd_vs_plan": ("ÅTD ift. plan", "YTD vs plan"),
        "col.ytd_vs_last_year": ("ÅTD ift. sidste år", "YTD vs last year"),
        "col.step": ("Trin", "Step"),
        "col.hours": ("Timer", "Hours"),
        "col.share_contracted": ("Andel af normtimer", "Share of contracted"),
        "col.ytd_volume": ("Ydelser ÅTD", "Cases YTD"),
        "col.ytd_hours": ("Timer ÅTD", "Hours YTD"),
        "col.ytd_productivity": ("Ydelser pr. time ÅTD", "Cases per hour YTD"),
        "col.ly_productivity": ("Sidste år", "Last year"),
        "col.change": ("Ændring", "Change"),
        "col.hours_per_case": ("Timer pr. ydelse", "Hours per case"),
        "col.cost_month": ("Omkostning i måneden", "Cost in the month"),
        "col.volume_month": ("Ydelser i måneden", "Cases in the month"),
        "col.cpc_month": ("Kr. pr. ydelse", "DKK per case"),
        "col.cpc_ytd": ("Kr. pr. ydelse ÅTD", "DKK per case YTD"),
        "col.cpc_ly": ("Sidste år ÅTD", "Last year YTD"),
        "col.account_group": ("Kontogruppe", "Account group"),
        "col.annual_budget": ("Årsbudget", "Annual budget"),
        "col.budget_ytd": ("Budget ÅTD", "Budget YTD"),
        "col.actual_ytd": ("Forbrug ÅTD", "Actual YTD"),
        "col.deviation_kr": ("Afvigelse", "Deviation"),
        "col.deviation_pct": ("Afvigelse %", "Deviation %"),
        "col.expected_pct": ("Forventet forbrug", "Expected consumption"),
        "col.consumption_pct": ("Faktisk forbrug", "Actual consumption"),
        "col.forecast": ("Prognose", "Forecast"),
        "col.forecast_dev": ("Prognose − budget", "Forecast − budget"),
        "col.explain": ("Kræver forklaring", "Needs explanation"),
        "col.staff_group": ("Personalegruppe", "Staff group"),
        "col.persons": ("Personer", "Persons"),
        "col.fte": ("Årsværk", "FTE"),
        "col.sick_pct_12m": ("Sygefravær 12 mdr.", "Sick leave 12 months"),
        "col.sick_pct_month": ("Sygefravær i måneden", "Sick leave in the month"),
        "col.sick_days": ("Sygedage pr. årsværk", "Sick days per FTE"),
        "col.child_sick": ("Barns sygdom", "Child's sickness"),
        "col.overtime_fte": ("Overarbejde pr. årsværk", "Overtime per FTE"),
        "col.overtime_pct": ("Overarbejdsandel", "Overtime share"),
        "col.extra_hours": ("Merarbejde, timer", "Extra hours"),
        "col.goal": ("Mål", "Goal"),
        "col.target": ("Mål", "Target"),
        "col.achievement": ("Målopfyldelse", "Achievement"),
        "col.status": ("Status", "Status"),
        "col.unit": ("Afdeling", "Department"),
        "col.vol_vs_plan_ytd": ("Aktivitet ift. plan ÅTD", "Volume vs plan YTD"),
        "col.budget_dev_ytd": ("Budgetafvigelse ÅTD", "Budget deviation YTD"),
        "col.coverage": ("Registreringsgrad", "Registration coverage"),
        "col.goals_green": ("Grønne mål", "Green goals"),
        # steps
        "step.contracted": ("Normtimer", "Contracted hours"),
        "step.holiday": ("Ferie", "Holidays"),
        "step.possible": ("Mulige timer", "Possible hours"),
        "step.sick_own": ("Egen sygdom", "Own sickness"),
        "step.sick_child": ("Barns sygdom", "Child's sickness"),
        "step.work_injury": ("Arbejdsskade", "Work injury"),
        "step.parental_leave": ("Barsel", "Parental leave"),
        "step.other_absence": ("Andet fravær", "Other absence"),
        "step.overtime_extra": ("Over- og merarbejde", "Overtime and extra hours"),
        "step.attendance": ("Fremmøde", "Attendance"),
        "step.internal": ("Interne aktiviteter", "Internal activities"),
        "step.unregistered": ("Ikke registreret", "Not registered"),
        "step.core": ("Kerneopgaver", "Core activities"),
        # account groups
        "acct.salary": ("Løn", "Salary"),
        "acct.medicine": ("Medicin", "Medicine"),
        "acct.goods_services": ("Varer og tjenesteydelser", "Goods and services"),
        "acct.equipment": ("Udstyr", "Equipment"),
        "acct.premises": ("Lokaler", "Premises"),
        "acct.other": ("Øvrige", "Other"),
        "method.remaining_budget": (
            "forbrug år til dato + resten af budgettet",
            "actual to date + remaining budget",
        ),
        "method.run_rate": ("forbrug pr. måned fremskrevet", "monthly run rate"),
        "method.seasonal": (
            "forbrug fremskrevet efter budgettets sæsonprofil",
            "actual scaled by the budget's seasonal profile",
        ),
        "dir.higher": ("Højere er bedre", "Higher is better"),
        "dir.lower": ("Lavere er bedre", "Lower is better"),
        # cards
        "card.volume": ("Aktivitet ift. plan ÅTD", "Volume vs plan YTD"),
        "card.budget": ("Budgetafvigelse ÅTD", "Budget deviation YTD"),
        "card.forecast": ("Prognose ift. årsbudget", "Forecast vs annual budget"),
        "card.sick": ("Sygefravær 12 mdr.", "Sick leave 12 months"),
        "card.overtime": ("Overarbejde pr. årsværk", "Overtime per FTE"),
        "card.goals": ("Grønne mål", "Green goals"),
        "card.mean_of": ("gennemsnit af {n} aktiviteter", "mean of {n} activities"),
        "card.one_activity": ("én aktivitet", "one activity"),
        "card.last_year": ("sidste år {value}", "last year {value}"),
        "card.in_month": ("i {month}", "in {month}"),
        "card.of_goals": ("{green} af {n} mål", "{green} of {n} goals"),
        "card.suppressed": ("skjult (under {n} personer)", "suppressed (under {n} persons)"),
        # headline
        "hl.budget_over": (
            "Forbruget år til dato er {kr} ({pct}) over det periodiserede budget; prognosen for året er {fc} {fc_dir} årsbudgettet.",
            "Spending year to date is {kr} ({pct}) above the periodised budget; the year-end forecast is {fc} {fc_dir} the annual budget.",
        ),
        "hl.budget_under": (
            "Forbruget år til dato er {kr} ({pct}) under det periodiserede budget; prognosen for året er {fc} {fc_dir} årsbudgettet.",
            "Spending year to date is {kr} ({pct}) below the periodised budget; the year-end forecast is {fc} {fc_dir} the annual budget.",
        ),
        "hl.budget_on": (
            "Forbruget år til dato følger det periodiserede budget (afvigelse {pct}).",
            "Spending year to date is in line with the periodised budget (deviation {pct}).",
        ),
        "hl.over": ("over", "above"),
        "hl.under": ("under", "below"),
        "hl.activity": (
            "{name}: aktiviteten år til dato er {pct} {dir} planen ({actual} mod {plan} {unit}).",
            "{name}: volume year to date is {pct} {dir} plan ({actual} against {plan} {unit}).",
        ),
        "hl.activity_on": (
            "Aktiviteten år til dato følger planen for alle kerneaktiviteter (inden for ±{limit} %).",
            "Volume year to date is within ±{limit}% of plan for every core activity.",
        ),
        "hl.sick": (
            "Sygefraværet de seneste 12 måneder er {pct} mod {ly} året før{alert}.",
            "Sick leave over the last 12 months is {pct} against {ly} the year before{alert}.",
        ),
        "hl.sick_nolast": (
            "Sygefraværet de seneste 12 måneder er {pct}{alert}.",
            "Sick leave over the last 12 months is {pct}{alert}.",
        ),
        "hl.sick_alert": (" og over opmærksomhedsgrænsen på {limit}", ", above the alert level of {limit}"),
        "hl.productivity": (
            "Produktiviteten for {name} er {dir} {pct} i forhold til samme periode sidste år ({now} mod {then} {unit} pr. time).",
            "Productivity of {name} has {dir} {pct} against the same period last year ({now} against {then} {unit} per hour).",
        ),
        "hl.fallen": ("faldet", "fallen"),
        "hl.risen": ("steget", "risen"),
        "hl.goals": ("{green} af {n} mål er grønne.", "{green} of {n} goals are green."),
        "hl.goals_red": (
            "{green} af {n} mål er grønne; røde: {names}.",
            "{green} of {n} goals are green; red: {names}.",
        ),
    }
)

ACTIVITY_LIMIT_PCT = 3.0
PRODUCTIVITY_LIMIT_PCT = 5.0


@dataclass(frozen=True)
class KPIResults:
    """Everything the KPI report shows, computed once."""

    volume: pd.DataFrame
    volume_trend: pd.DataFrame
    staircase: pd.DataFrame
    coverage: float
    hours_by_activity: pd.DataFrame
    productivity: pd.DataFrame
    productivity_summary: pd.DataFrame
    cost: CostAllocation
    cost_summary: pd.DataFrame
    budget: pd.DataFrame
    budget_monthly: pd.DataFrame
    hr: pd.DataFrame
    sick_trend: pd.DataFrame
    sick_12m: float
    sick_12m_last_year: float
    overtime_month: float
    persons: int
    goals: pd.DataFrame


def compute(inp: KPIInput, ctx: ReportContext) -> KPIResults:
    """Compute every KPI of the report for ``ctx.unit`` and ``ctx.period``."""
    p = parse_period(ctx.period)
    kp = ctx.params.kpi
    min_n = ctx.params.privacy.min_group_size
    trend = [str(x) for x in pd.period_range(end=p, periods=kp.trend_months, freq="M")]
    last12 = [str(x) for x in pd.period_range(end=p, periods=12, freq="M")]
    prior12 = [str(x) for x in pd.period_range(end=p - 12, periods=12, freq="M")]
    hr12 = staff_group_kpis(inp.hours, inp.hr, last12)
    hr_m = staff_group_kpis(inp.hours, inp.hr, [ctx.period])
    hr_prior = staff_group_kpis(inp.hours, inp.hr, prior12)
    hr_table = _hr_table(hr12, hr_m, min_n)
    tot12, tot_m = _total(hr12), _total(hr_m)
    tot_prior = _total(hr_prior)
    persons = int(tot_m["persons"])
    small = persons < min_n
    has_prior = inp.hr["period"].isin(prior12).sum() > 0 and inp.hr["period"].min() <= prior12[0]
    cost = cost_per_case(
        inp.finance, inp.hours, inp.volume, inp.activities, sorted(inp.volume["period"].unique())
    )
    sick_trend = unit_sick_leave_trend(inp.hours, inp.hr, trend)
    sick_trend.loc[sick_trend["persons"] < min_n, "sick_pct"] = np.nan
    return KPIResults(
        volume=volume_comparison(inp.volume, inp.activities, ctx.period),
        volume_trend=volume_trend(inp.volume, inp.activities, trend),
        staircase=time_staircase(inp.hours, inp.hr, inp.activities, [ctx.period]),
        coverage=registration_coverage(inp.hours, inp.hr, [ctx.period]),
        hours_by_activity=hours_by_activity(inp.hours, inp.activities, [ctx.period]),
        productivity=productivity(inp.volume, inp.hours, inp.activities, trend),
        productivity_summary=productivity_summary(inp.volume, inp.hours, inp.activities, ctx.period),
        cost=cost,
        cost_summary=cost_per_case_summary(cost, ctx.period),
        budget=attach_explanations(
            budget_status(
                inp.finance,
                ctx.period,
                method=kp.forecast_method,
                materiality_pct=kp.materiality_pct,
                materiality_kr=kp.materiality_kr,
            ),
            inp.explanations,
            ctx.period,
        ),
        budget_monthly=budget_monthly(inp.finance, ctx.period, method=kp.forecast_method),
        hr=hr_table,
        sick_trend=sick_trend,
        sick_12m=np.nan if small else float(tot12["sick_pct"]),
        sick_12m_last_year=np.nan if (small or not has_prior) else float(tot_prior["sick_pct"]),
        overtime_month=np.nan if small else float(tot_m["overtime_per_fte"]),
        persons=persons,
        goals=goal_status(
            inp.goals, ctx.period, green=kp.goal_thresholds.green, amber=kp.goal_thresholds.amber
        ),
    )


def _total(df: pd.DataFrame) -> pd.Series:
    return df[df["staff_group"] == TOTAL].iloc[0]


def _hr_table(hr12: pd.DataFrame, hr_m: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """12-month figures per staff group with the month's sick leave; suppressed as one."""
    s12 = suppress_small_groups(hr12, min_group_size=min_n)
    sm = suppress_small_groups(hr_m, min_group_size=min_n)
    month = sm.set_index("staff_group")
    out = s12.copy()
    out["sick_pct_month"] = out["staff_group"].map(month["sick_pct"])
    hidden_month = out["staff_group"].map(month["suppressed"]).fillna(True).astype(bool)
    out["suppressed"] = out["suppressed"] | hidden_month
    values = [*HR_VALUE_COLUMNS, "sick_pct_month"]
    out.loc[out["suppressed"], values] = np.nan
    out.loc[out["suppressed"], "persons"] = np.nan
    return out


# --------------------------------------------------------------------------- headline and cards


def headline(res: KPIResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences, the most important first, generated from the numbers."""
    lang: Language = ctx.lang
    found: list[tuple[float, str]] = []
    total = res.budget[res.budget["account_group"] == TOTAL].iloc[0]
    dev_pct = float(total["deviation_pct"])
    fc_dev = float(total["forecast_deviation_kr"])
    fc_dir = t("hl.over" if fc_dev > 0 else "hl.under", lang)
    if is_missing(dev_pct) or abs(dev_pct) < 1:
        found.append((1.0, t("hl.budget_on", lang, pct=fmt_pct(dev_pct, 1, lang, signed=True))))
    else:
        key = "hl.budget_over" if dev_pct > 0 else "hl.budget_under"
        found.append(
            (
                2 + abs(dev_pct),
                t(
                    key,
                    lang,
                    kr=fmt_kr(abs(float(total["deviation_kr"])), lang),
                    pct=fmt_pct(abs(dev_pct), 1, lang),
                    fc=fmt_kr(abs(fc_dev), lang),
                    fc_dir=fc_dir,
                ),
            )
        )
    vol = res.volume.dropna(subset=["ytd_vs_plan_pct"])
    if len(vol):
        worst = vol.loc[vol["ytd_vs_plan_pct"].abs().idxmax()]
        pct = float(worst["ytd_vs_plan_pct"])
        if abs(pct) >= ACTIVITY_LIMIT_PCT:
            found.append(
                (
                    1 + abs(pct) / 2,
                    t(
                        "hl.activity",
                        lang,
                        name=worst["name"],
                        pct=fmt_pct(abs(pct), 1, lang),
                        dir=t("hl.over" if pct > 0 else "hl.under", lang),
                        actual=fmt_number(worst["ytd_actual"], 0, lang),
                        plan=fmt_number(worst["ytd_planned"], 0, lang),
                        unit=worst["volume_unit"] or "",
                    )
                    .replace("  ", " ")
                    .replace(" ).", ")."),
                )
            )
        else:
            found.append((0.5, t("hl.activity_on", lang, limit=fmt_number(ACTIVITY_LIMIT_PCT, 0, lang))))
    alert_limit = ctx.params.kpi.sick_leave_alert_pct
    if not is_missing(res.sick_12m):
        alert = (
            t("hl.sick_alert", lang, limit=fmt_pct(alert_limit, 1, lang))
            if res.sick_12m > alert_limit
            else ""
        )
        score = 1 + max(0.0, res.sick_12m - alert_limit) * 2
        if not is_missing(res.sick_12m_last_year):
            score += max(0.0, res.sick_12m - res.sick_12m_last_year)
            text = t(
                "hl.sick",
                lang,
                pct=fmt_pct(res.sick_12m, 1, lang),
                ly=fmt_pct(res.sick_12m_last_year, 1, lang),
                alert=alert,
            )
        else:
            text = t("hl.sick_nolast", lang, pct=fmt_pct(res.sick_12m, 1, lang), alert=alert)
        found.append((score, text))
    prod = res.productivity_summary.dropna(subset=["change_pct"])
    if len(prod):
        worst = prod.loc[prod["change_pct"].idxmin()]
        change = float(worst["change_pct"])
        if abs(change) >= PRODUCTIVITY_LIMIT_PCT:
            decimals = 1 if worst["ytd_productivity"] < 10 else 0
            found.append(
                (
                    1 + abs(change) / 3,
                    t(
                        "hl.productivity",
                        lang,
                        name=worst["name"],
                        dir=t("hl.fallen" if change < 0 else "hl.risen", lang),
                        pct=fmt_pct(abs(change), 1, lang),
                        now=fmt_number(worst["ytd_productivity"], decimals + 1, lang),
                        then=fmt_number(worst["ly_ytd_productivity"], decimals + 1, lang),
                        unit=worst["volume_unit"] or "",
                    ),
                )
            )
    measured = res.goals[res.goals["status"] != "missing"]
    if len(measured):
        green = int((measured["status"] == "green").sum())
        red = measured[measured["status"] == "red"]["name"].tolist()
        if red:
            text = t("hl.goals_red", lang, green=green, n=len(measured), names=join_words(red, lang))
        else:
            text = t("hl.goals", lang, green=green, n=len(measured))
        found.append((0.8 + len(red), text))
    found.sort(key=lambda x: -x[0])
    return [s for _, s in found[:5]]


def cards(res: KPIResults, ctx: ReportContext) -> list[Card]:
    """The KPI boxes under the headline."""
    lang = ctx.lang
    min_n = ctx.params.privacy.min_group_size
    total = res.budget[res.budget["account_group"] == TOTAL].iloc[0]
    ratios = (
        (res.volume["ytd_actual"] / res.volume["ytd_planned"]).replace([np.inf, -np.inf], np.nan).dropna()
    )
    vol_pct = (ratios.mean() - 1) * 100 if len(ratios) else np.nan
    dev_pct = float(total["deviation_pct"])
    fc_dev = float(total["forecast_deviation_kr"])
    annual = float(total["annual_budget"])
    measured = res.goals[res.goals["status"] != "missing"]
    green = int((measured["status"] == "green").sum())
    suppressed = t("card.suppressed", lang, n=min_n)
    sick_status = "neutral"
    if not is_missing(res.sick_12m):
        sick_status = "red" if res.sick_12m > ctx.params.kpi.sick_leave_alert_pct else "green"
    return [
        Card(
            t("card.volume", lang),
            fmt_pct(vol_pct, 1, lang, signed=True),
            t("card.mean_of", lang, n=len(ratios)) if len(ratios) != 1 else t("card.one_activity", lang),
            _status(-vol_pct, amber=2, red=5) if not is_missing(vol_pct) else "neutral",
        ),
        Card(
            t("card.budget", lang),
            fmt_kr(float(total["deviation_kr"]), lang, signed=True),
            fmt_pct(dev_pct, 1, lang, signed=True),
            _status(dev_pct, amber=ctx.params.kpi.materiality_pct, red=2 * ctx.params.kpi.materiality_pct),
        ),
        Card(
            t("card.forecast", lang),
            fmt_kr(fc_dev, lang, signed=True),
            fmt_pct(fc_dev / annual * 100 if annual else np.nan, 1, lang, signed=True),
            _status(
                fc_dev / annual * 100 if annual else 0.0,
                amber=ctx.params.kpi.materiality_pct,
                red=2 * ctx.params.kpi.materiality_pct,
            ),
        ),
        Card(
            t("card.sick", lang),
            SUPPRESSED_MARK
            if is_missing(res.sick_12m) and res.persons < min_n
            else fmt_pct(res.sick_12m, 1, lang),
            suppressed
            if res.persons < min_n
            else (
                t("card.last_year", lang, value=fmt_pct(res.sick_12m_last_year, 1, lang))
                if not is_missing(res.sick_12m_last_year)
                else None
            ),
            sick_status,  # type: ignore[arg-type]
        ),
        Card(
            t("card.overtime", lang),
            SUPPRESSED_MARK if res.persons < min_n else fmt_number(res.overtime_month, 1, lang),
            suppressed
            if res.persons < min_n
            else t("card.in_month", lang, month=fmt_month(ctx.period, lang)),
        ),
        Card(
            t("card.goals", lang),
            fmt_pct(green / len(measured) * 100 if len(measured) else np.nan, 0, lang),
            t("card.of_goals", lang, green=green, n=len(measured)),
            "neutral"
            if not len(measured)
            else ("green" if green == len(measured) else ("amber" if green >= len(measured) / 2 else "red")),
        ),
    ]


def _status(value: float, *, amber: float, red: float) -> str:
    """Status of a 'higher is worse' deviation."""
    if is_missing(value):
        return "neutral"
    if value >= red:
        return "red"
    if value >= amber:
        return "amber"
    return "green"


def record_kpis(report: object, res: KPIResults, ctx: ReportContext) -> None:
    """Record the headline values for the JSON file beside the report."""
    from toolkit.report.blocks import Report

    assert isinstance(report, Report)
    lang = ctx.lang
    total = res.budget[res.budget["account_group"] == TOTAL].iloc[0]
    ratios = (
        (res.volume["ytd_actual"] / res.volume["ytd_planned"]).replace([np.inf, -np.inf], np.nan).dropna()
    )
    measured = res.goals[res.goals["status"] != "missing"]
    report.kpi(
        "volume_vs_plan_ytd_pct",
        t("card.volume", lang),
        (ratios.mean() - 1) * 100 if len(ratios) else None,
        "%",
    )
    report.kpi("budget_deviation_ytd_kr", t("card.budget", lang), float(total["deviation_kr"]), "kr")
    report.kpi("budget_deviation_ytd_pct", t("card.budget", lang), float(total["deviation_pct"]), "%")
    report.kpi("forecast_deviation_kr", t("card.forecast", lang), float(total["forecast_deviation_kr"]), "kr")
    report.kpi("sick_leave_12m_pct", t("card.sick", lang), res.sick_12m, "%")
    report.kpi("overtime_per_fte_month", t("card.overtime", lang), res.overtime_month, "hours/FTE")
    report.kpi(
        "registration_coverage_pct", DEFINITIONS["registration_coverage"].name(lang), res.coverage, "%"
    )
    report.kpi(
        "goals_green_pct",
        t("card.goals", lang),
        (measured["status"] == "green").mean() * 100 if len(measured) else None,
        "%",
    )


# --------------------------------------------------------------------------- tables


def volume_table(res: KPIResults, lang: Language) -> TableView:
    """Volume per activity against plan and last year."""
    return TableView(
        "Aktivitet" if lang == "da" else "Activity",
        res.volume,
        [
            Column("name", t("col.activity", lang)),
            Column("volume_unit", t("col.volume_unit", lang)),
            Column("actual", t("col.actual", lang), "int"),
            Column("planned", t("col.planned", lang), "int"),
            Column("vs_plan_pct", t("col.vs_plan", lang), "pct", signed=True),
            Column("last_year", t("col.last_year", lang), "int"),
            Column("vs_last_year_pct", t("col.vs_last_year", lang), "pct", signed=True),
            Column("ytd_actual", t("col.ytd_actual", lang), "int"),
            Column("ytd_vs_plan_pct", t("col.ytd_vs_plan", lang), "pct", signed=True),
            Column("ytd_vs_last_year_pct", t("col.ytd_vs_last_year", lang), "pct", signed=True),
        ],
    )


def staircase_table(res: KPIResults, lang: Language) -> TableView:
    """The time staircase as a table."""
    df = res.staircase.copy()
    contracted = float(df.loc[df["step"] == "contracted", "hours"].iloc[0])
    df["label"] = df["step"].map(lambda s: t(f"step.{s}", lang))
    df["share"] = df["hours"] / contracted * 100 if contracted else np.nan
    return TableView(
        "Tidstrappe" if lang == "da" else "Time staircase",
        df,
        [
            Column("label", t("col.step", lang)),
            Column("hours", t("col.hours", lang), "int"),
            Column("share", t("col.share_contracted", lang), "pct"),
        ],
    )


def productivity_table(res: KPIResults, lang: Language) -> TableView:
    """Productivity year to date against last year."""
    return TableView(
        "Produktivitet" if lang == "da" else "Productivity",
        res.productivity_summary,
        [
            Column("name", t("col.activity", lang)),
            Column("ytd_volume", t("col.ytd_volume", lang), "int"),
            Column("ytd_hours", t("col.ytd_hours", lang), "int"),
            Column("ytd_productivity", t("col.ytd_productivity", lang), "number", decimals=3),
            Column("ly_ytd_productivity", t("col.ly_productivity", lang), "number", decimals=3),
            Column("change_pct", t("col.change", lang), "pct", signed=True),
            Column("ytd_hours_per_case", t("col.hours_per_case", lang), "number", decimals=2),
        ],
    )


def cost_table(res: KPIResults, lang: Language) -> TableView:
    """Cost per case per activity."""
    return TableView(
        "Omkostning pr. ydelse" if lang == "da" else "Cost per case",
        res.cost_summary,
        [
            Column("name", t("col.activity", lang)),
            Column("cost", t("col.cost_month", lang), "kr"),
            Column("volume", t("col.volume_month", lang), "int"),
            Column("cost_per_case", t("col.cpc_month", lang), "kr_full"),
            Column("ytd_cost_per_case", t("col.cpc_ytd", lang), "kr_full"),
            Column("ly_ytd_cost_per_case", t("col.cpc_ly", lang), "kr_full"),
            Column("ytd_change_pct", t("col.change", lang), "pct", signed=True),
        ],
    )


def budget_table(res: KPIResults, lang: Language) -> TableView:
    """Budget against actual year to date per account group."""
    df = res.budget.copy()
    df["label"] = df["account_group"].map(lambda g: g if g == TOTAL else t(f"acct.{g}", lang))
    return TableView(
        "Budget",
        df,
        [
            Column("label", t("col.account_group", lang)),
            Column("annual_budget", t("col.annual_budget", lang), "kr"),
            Column("budget_ytd", t("col.budget_ytd", lang), "kr"),
            Column("actual_ytd", t("col.actual_ytd", lang), "kr"),
            Column("deviation_kr", t("col.deviation_kr", lang), "kr", signed=True),
            Column("deviation_pct", t("col.deviation_pct", lang), "pct", signed=True),
            Column("expected_consumption_pct", t("col.expected_pct", lang), "pct"),
            Column("consumption_pct", t("col.consumption_pct", lang), "pct"),
            Column("forecast", t("col.forecast", lang), "kr"),
            Column("forecast_deviation_kr", t("col.forecast_dev", lang), "kr", signed=True),
            Column("needs_explanation", t("col.explain", lang), "bool"),
        ],
    )


def explanations_table(res: KPIResults, lang: Language) -> TableView | None:
    """The deviations above the materiality limits with their explanations (None if there are none)."""
    df = res.budget[res.budget["needs_explanation"] & (res.budget["account_group"] != TOTAL)].copy()
    if df.empty:
        return None
    df["label"] = df["account_group"].map(lambda g: t(f"acct.{g}", lang))
    df["text"] = df["explanation"].fillna(t("kpi.no_explanation", lang))
    return TableView(
        "Afvigelsesforklaringer" if lang == "da" else "Deviation explanations",
        df,
        [
            Column("label", t("col.account_group", lang)),
            Column("deviation_kr", t("col.deviation_kr", lang), "kr", signed=True),
            Column("deviation_pct", t("col.deviation_pct", lang), "pct", signed=True),
            Column("text", t("col.explanation", lang)),
        ],
    )


def explanation_note(res: KPIResults, ctx: ReportContext) -> str | None:
    """Which account groups need a deviation explanation (None if none)."""
    lang = ctx.lang
    need = res.budget[res.budget["needs_explanation"] & (res.budget["account_group"] != TOTAL)]
    if need.empty:
        return None
    groups = join_words([t(f"acct.{g}", lang) for g in need["account_group"]], lang)
    missing = res.budget[res.budget["explanation_missing"]]
    kp = ctx.params.kpi
    text = t(
        "kpi.explanation_needed",
        lang,
        kr=fmt_kr(kp.materiality_kr, lang),
        pct=fmt_pct(kp.materiality_pct, 1, lang),
        groups=groups,
    )
    if len(missing):
        text += " " + t(
            "kpi.explanation_missing",
            lang,
            groups=join_words([t(f"acct.{g}", lang) for g in missing["account_group"]], lang),
        )
    return text


def hr_table(res: KPIResults, ctx: ReportContext) -> TableView:
    """Sick leave and overtime per staff group, suppressed below the privacy limit."""
    lang = ctx.lang
    n = ctx.params.privacy.min_group_size
    return TableView(
        "Sygefravær og overarbejde" if lang == "da" else "Sick leave and overtime",
        res.hr,
        [
            Column("staff_group", t("col.staff_group", lang)),
            Column("persons", t("col.persons", lang), "int"),
            Column("fte", t("col.fte", lang), "number"),
            Column("sick_pct", t("col.sick_pct_12m", lang), "pct"),
            Column("sick_pct_month", t("col.sick_pct_month", lang), "pct"),
            Column("sick_days_per_fte", t("col.sick_days", lang), "number"),
            Column("child_sick_pct", t("col.child_sick", lang), "pct"),
            Column("overtime_per_fte", t("col.overtime_fte", lang), "number"),
            Column("overtime_pct", t("col.overtime_pct", lang), "pct"),
            Column("extra_hours", t("col.extra_hours", lang), "int"),
        ],
        note=t("report.suppressed_note", lang, n=n, mark=SUPPRESSED_MARK),
        suppressed="suppressed",
    )


def goals_table(res: KPIResults, lang: Language) -> TableView:
    """Goals with their status."""
    df = res.goals.copy()
    df["achievement_pct"] = df["achievement"] * 100
    df["direction_label"] = df["direction"].map(lambda d: t(f"dir.{d}", lang))
    return TableView(
        "Mål" if lang == "da" else "Goals",
        df,
        [
            Column("name", t("col.goal", lang)),
            Column("measure_unit", t("col.volume_unit", lang)),
            Column("direction_label", ""),
            Column("target", t("col.target", lang), "number"),
            Column("actual", t("col.actual", lang), "number"),
            Column("achievement_pct", t("col.achievement", lang), "pct", decimals=1),
            Column("status", t("col.status", lang), "status"),
        ],
    )


# --------------------------------------------------------------------------- comparison


def sibling_ratios(ctx: ReportContext) -> pd.DataFrame:
    """Key ratios of the unit's sibling departments (the agreed aggregates only).

    A staged source has them precomputed; a data folder computes them from each sibling's
    data. A sibling whose data fail validation is left out (its own report says why).
    """
    from toolkit.core.errors import DataValidationError

    units = ctx.source.units()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    pre = ctx.source.aggregate("unit_key_ratios")
    sib = siblings(units, ctx.unit.unit_id)
    if pre is not None:
        df = pre[(pre["unit_id"].isin(sib)) & (pre["period"] == ctx.period)].copy()
    else:
        rows = []
        kp = ctx.params.kpi
        for uid in sib:
            try:
                inp = load(ctx.source, uid, ctx.period, ctx.params.history_months)
            except DataValidationError:
                continue
            rows.append(
                unit_key_ratios(
                    inp,
                    min_group_size=ctx.params.privacy.min_group_size,
                    green=kp.goal_thresholds.green,
                    amber=kp.goal_thresholds.amber,
                )
            )
        df = pd.DataFrame(rows)
    if df.empty:
        return df
    df["name"] = df["unit_id"].map(names)
    return df.sort_values("name", kind="stable").reset_index(drop=True)


def comparison_table(ratios: pd.DataFrame, ctx: ReportContext) -> TableView:
    """The siblings' key ratios with the centre median as the last row."""
    lang = ctx.lang
    cols = list(KEY_RATIO_COLUMNS)
    median = ratios[cols].median(numeric_only=True)
    med_row = {
        "name": t("report.centre_median", lang),
        "unit_id": "",
        **median.to_dict(),
        "suppressed": False,
    }
    df = pd.concat([ratios, pd.DataFrame([med_row])], ignore_index=True)
    return TableView(
        "Sammenligning" if lang == "da" else "Comparison",
        df,
        [
            Column("name", t("col.unit", lang)),
            Column("volume_vs_plan_ytd_pct", t("col.vol_vs_plan_ytd", lang), "pct", signed=True),
            Column("budget_deviation_ytd_pct", t("col.budget_dev_ytd", lang), "pct", signed=True),
            Column("sick_pct_12m", t("col.sick_pct_12m", lang), "pct"),
            Column("overtime_per_fte", t("col.overtime_fte", lang), "number"),
            Column("registration_coverage_pct", t("col.coverage", lang), "pct"),
            Column("goals_green_pct", t("col.goals_green", lang), "pct", decimals=0),
        ],
        suppressed="suppressed",
        highlight=ctx.unit.name,
    )


# --------------------------------------------------------------------------- charts


def volume_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Year-to-date deviation from plan and from last year per activity."""
    return figures.deviation_bars(
        res.volume,
        label="name",
        columns=[("ytd_vs_plan_pct", "fig.vs_plan"), ("ytd_vs_last_year_pct", "fig.vs_last_year")],
        lang=lang,
    )


def staircase_chart(res: KPIResults, lang: Language) -> go.Figure:
    """The time staircase as a waterfall."""
    labels = {s: t(f"step.{s}", lang) for s, _ in STAIRCASE_STEPS}
    return figures.staircase(res.staircase, labels=labels, lang=lang)


def hours_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Hours worked per activity in the month, core and internal activities coloured apart."""
    df = res.hours_by_activity
    colors = {"core": figures.COLORS["primary"], "internal": figures.COLORS["secondary"]}
    fig = go.Figure()
    for kind in ("core", "internal"):
        part = df[df["kind"] == kind]
        if part.empty:
            continue
        fig.add_bar(
            y=part["name"],
            x=part["hours"],
            orientation="h",
            name=t(f"kind.{kind}", lang),
            marker_color=colors[kind],
            hovertemplate="%{y}: %{x:,.0f}<extra></extra>",
        )
    fig.update_yaxes(categoryorder="total ascending")
    fig.update_xaxes(title=t("fig.hours", lang), tickformat=",.0f")
    return figures.style(fig, lang=lang, height=max(220, 70 + 40 * len(df)), title=t("kpi.hours_title", lang))


def productivity_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Cases per hour per activity over the trend window."""
    return figures.small_multiples(
        res.productivity,
        value="productivity",
        facet="name",
        lang=lang,
        y_title=t("fig.per_hour", lang),
        decimals=3,
    )


def cost_chart(res: KPIResults, ctx: ReportContext) -> go.Figure:
    """Cost per case per activity over the trend window."""
    p = parse_period(ctx.period)
    trend = [str(x) for x in pd.period_range(end=p, periods=ctx.params.kpi.trend_months, freq="M")]
    df = res.cost.by_activity
    df = df[(df["kind"] == "core") & df["period"].isin(trend)]
    return figures.small_multiples(
        df,
        value="cost_per_case",
        facet="name",
        lang=ctx.lang,
        y_title=t("fig.kr_per_case", ctx.lang),
        decimals=0,
    )


def budget_chart(res: KPIResults, lang: Language) -> go.Figure:
    """Cumulative budget, actual and forecast."""
    return figures.budget_cumulative(res.budget_monthly, lang=lang)


def sick_chart(res: KPIResults, ctx: ReportContext) -> go.Figure:
    """The unit's monthly sick-leave % with the alert level."""
    df = res.sick_trend.assign(series=t("fig.sick_pct", ctx.lang))
    return figures.trend_lines(
        df,
        value="sick_pct",
        series="series",
        lang=ctx.lang,
        y_title=t("fig.sick_pct", ctx.lang),
        reference=ctx.params.kpi.sick_leave_alert_pct,
        reference_label=t("fig.alert", ctx.lang),
    )


def comparison_chart(
    ratios: pd.DataFrame, ctx: ReportContext, column: str, title_key: str, suffix: str = " %"
) -> go.Figure:
    """One key ratio across the sibling departments, this unit highlighted."""
    return figures.comparison_bars(
        ratios,
        label="name",
        value=column,
        highlight=ctx.unit.name,
        lang=ctx.lang,
        title=t(title_key, ctx.lang),
        reference=float(ratios[column].median()) if ratios[column].notna().any() else None,
        suffix=suffix,
    )


def definitions() -> list[Definition]:
    """Every definition the KPI report's appendix shows, in reading order."""
    keys = [
        "volume_vs_plan",
        "volume_vs_last_year",
        "time_staircase",
        "registration_coverage",
        "productivity",
        "cost_per_case",
        "budget_deviation",
        "expected_consumption",
        "forecast",
        "sick_leave_pct",
        "sick_days_per_fte",
        "overtime_per_fte",
        "suppression",
        "goal_achievement",
        "key_ratios",
    ]
    return [DEFINITIONS[k] for k in keys]


@register_aggregate("unit_key_ratios", notebooks=("kpi",))
def key_ratio_aggregate(
    source: DataSource, period: str, units: list[str], params_for: Callable[[str], Params]
) -> pd.DataFrame:
    """The key ratios of every department in ``units`` (staged once per run for comparison)."""
    catalogue = source.units()
    departments = set(catalogue.loc[catalogue["level"] == "department", "unit_id"])
    rows = []
    for uid in units:
        if uid not in departments:
            continue
        params = params_for(uid)
        inp = load(source, uid, period, params.history_months)
        rows.append(
            unit_key_ratios(
                inp,
                min_group_size=params.privacy.min_group_size,
                green=params.kpi.goal_thresholds.green,
                amber=params.kpi.goal_thresholds.amber,
            )
        )
    columns = ["unit_id", "period", *KEY_RATIO_COLUMNS, "suppressed"]
    return pd.DataFrame(rows, columns=columns)
