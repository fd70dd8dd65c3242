"""Presentation of the shift-planning assessment: headline, cards, tables, charts, next steps.

The numbers come from :mod:`toolkit.roster`, :mod:`toolkit.rest_time` and
:mod:`toolkit.shift_assessment`; this module decides what the report shows and says. The
notebook ``notebooks/shift-assessment.ipynb`` calls these in reading order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.shift_assessment import assessment as shift_assessment
from toolkit.analyses.shift_assessment import roster
from toolkit.analyses.shift_assessment.assessment import Assessment, Bank
from toolkit.core.definitions import DEFINITIONS, Definition
from toolkit.core.formatting import Language, fmt_date, fmt_month, fmt_number, fmt_pct, is_missing, join_words
from toolkit.core.i18n import register, t
from toolkit.core.periods import parse_period
from toolkit.measures.common import TOTAL
from toolkit.measures.hr import staff_group_kpis, suppress_small_groups
from toolkit.report import figures
from toolkit.report.blocks import SUPPRESSED_MARK, Card, Column, Report, TableView
from toolkit.report.context import ReportContext

register(
    {
        "shift.title": ("Vurdering af vagtplanlægning", "Shift-planning assessment"),
        # sections
        "shift.sec.assessment": ("Selvvurdering", "Self-assessment"),
        "shift.sec.assessment.lead": (
            "Ledelsens egen vurdering af de seks temaer: nuværende status og ønsket potentiale på en skala fra 1 (ikke påbegyndt) til 5 (fuldt systematisk). Stregerne viser spredningen mellem bedømmerne.",
            "Management's own rating of the six themes: current status and desired potential on a scale from 1 (not started) to 5 (fully systematic). The whiskers show the spread between the raters.",
        ),
        "shift.no_forms": (
            "Der er ikke afleveret nogen selvvurdering for afdelingen endnu. Skemaet dannes med `toolkit template shift-assessment --unit {unit} --out skema.xlsx`; de udfyldte skemaer lægges i datamappen under forms/shift-assessment/{unit}/. Resten af rapporten viser, hvad data siger.",
            "No self-assessment has been delivered for the department yet. Make the form with `toolkit template shift-assessment --unit {unit} --out form.xlsx` and put the filled forms in the data folder under forms/shift-assessment/{unit}/. The rest of the report shows what the data say.",
        ),
        "shift.forms_note": (
            "{n} bedømmere, udfyldt {dates}. Udsagnsbank: {bank}.",
            "{n} raters, filled in {dates}. Statement bank: {bank}.",
        ),
        "shift.sec.judgement": ("Vurdering og data", "Judgement and data"),
        "shift.sec.judgement.lead": (
            "For hvert tema de nøgletal fra vagtplan og patientstrøm, der taler til det, og om vurderingen og tallene peger samme vej. Grænserne er parametre.",
            "For each theme the figures from the roster and the patient flow that speak to it, and whether the rating and the figures point the same way. The alert levels are parameters.",
        ),
        "shift.sec.rest": ("Hviletid", "Rest time"),
        "shift.sec.rest.lead": (
            "Arbejdsforløb uden 11 timers sammenhængende hvile inden for de 24 timer, før forløbet slutter, pr. måned. Nedsat hviletid (8 til under 11 timer) er tilladt efter aftale højst {month_cap} gange om måneden og {year_cap} gange om året pr. person; tabellen tæller de personer, der er over lofterne.",
            "Stretches of work without 11 consecutive hours of rest in the 24 hours before they end, per month. Reduced rest (8 to under 11 hours) is allowed by agreement at most {month_cap} times a month and {year_cap} times a year per person; the table counts the persons above the caps.",
        ),
        "shift.rest_short_note": (
            "Alle månedens {n} brud skyldes for kort tid mellem to vagter (fx en aftenvagt efterfulgt af en dagvagt).",
            "All the month's {n} breaches come from too little time between two shifts (e.g. an evening followed by a day shift).",
        ),
        "shift.rest_long_note": (
            "{long} af månedens {n} brud skyldes arbejdsforløb på over 13 timer (fx dobbeltvagter eller rådighedsvagt på stedet efter en dagvagt); resten skyldes for kort tid mellem to vagter.",
            "{long} of the month's {n} breaches come from stretches of work over 13 hours (e.g. double shifts or on-call on site after a day shift); the rest from too little time between two shifts.",
        ),
        "shift.sec.staffing": ("Bemanding og patientstrøm", "Staffing and patient flow"),
        "shift.sec.staffing.lead": (
            "Ugens 7 × 24 timer de seneste {months} måneder: patienter ({measure}), personale på arbejde ({groups}) og forholdet mellem dem. Mismatch-indeks: {index} (grænse {limit}).",
            "The week's 7 × 24 hours over the last {months} months: patients ({measure}), staff at work ({groups}) and the ratio between them. Mismatch index: {index} (alert level {limit}).",
        ),
        "shift.no_flow": (
            "Afdelingen har ingen data om patientstrømmen (tabellen patient_flow), så bemandingen kan ikke sammenlignes med efterspørgslen.",
            "The department has no patient-flow data (the patient_flow table), so staffing cannot be compared with demand.",
        ),
        "shift.blocks_note": (
            "Største forskel: {under} har {under_pct} færre af ugens vagttimer end patienterne kalder på, {over} {over_pct} flere. I alt ligger ca. {hours} af ugens {total} vagttimer i andre timer end patienterne.",
            "Largest differences: {under} get {under_pct} fewer of the week's staff hours than the patients call for, {over} {over_pct} more. In all, about {hours} of the week's {total} staff hours lie in other hours than the patients.",
        ),
        "shift.sec.trends": ("Udvikling", "Trends"),
        "shift.sec.trends.lead": (
            "Overarbejde, vikarforbrug og vagtændringer med kort varsel (under {days} dage) måned for måned.",
            "Overtime, agency use and short-notice changes (under {days} days) month by month.",
        ),
        "shift.sec.groups": ("Personalegrupper", "Staff groups"),
        "shift.sec.groups.lead": (
            "Nøgletal pr. personalegruppe i {month}; sygefravær over de seneste 12 måneder.",
            "Figures per staff group in {month}; sick leave over the last 12 months.",
        ),
        "shift.sec.steps": ("Forslag til næste skridt", "Suggested next steps"),
        "shift.sec.steps.lead": (
            "Temaer med et gab på mindst {gap} eller nøgletal over grænsen, vigtigste først. Forslagene kommer fra udsagnsbanken og fra tallene.",
            "Themes with a gap of at least {gap} or figures above their alert level, most important first. The suggestions come from the statement bank and from the figures.",
        ),
        "shift.no_steps": (
            "Ingen temaer kræver særlig opfølgning: gabene er små, og nøgletallene ligger inden for grænserne.",
            "No theme needs special follow-up: the gaps are small and the figures are within their alert levels.",
        ),
        "shift.suppressed_unit": (
            "Afdelingen har færre end {n} personer i vagtplanen i måneden, så personbaserede tal vises ikke.",
            "The department has fewer than {n} persons in the roster in the month, so person-based figures are not shown.",
        ),
        # measures and blocks
        "shift.measure.census": ("belægning", "census"),
        "shift.measure.arrivals": ("ankomster", "arrivals"),
        "shift.groups.all": ("alle personalegrupper", "all staff groups"),
        "shift.block.False.night": ("hverdagsnætter", "weekday nights"),
        "shift.block.False.day": ("hverdage i dagtiden", "weekday days"),
        "shift.block.False.evening": ("hverdagsaftener", "weekday evenings"),
        "shift.block.True.night": ("weekendnætter", "weekend nights"),
        "shift.block.True.day": ("weekender i dagtiden", "weekend days"),
        "shift.block.True.evening": ("weekendaftener", "weekend evenings"),
        # facts
        "shift.fact.agency_pct": ("vikarandel af timerne", "agency share of hours"),
        "shift.fact.agency_night_pct": ("vikarandel af nattevagter", "agency share of night shifts"),
        "shift.fact.short_notice_pct": ("vagtændringer med kort varsel", "short-notice changes"),
        "shift.fact.sick_pct_12m": ("sygefravær 12 mdr.", "sick leave 12 months"),
        "shift.fact.rest_breach_pct": (
            "arbejdsforløb med hviletidsbrud",
            "stretches of work with a rest-time breach",
        ),
        "shift.fact.persons_over_cap": (
            "personer over loftet for nedsat hviletid",
            "persons above the cap on reduced rest",
        ),
        "shift.fact.overtime_pct": ("overarbejde af planlagte timer", "overtime of planned hours"),
        "shift.fact.toil_per_fte": ("afspadsering pr. årsværk", "time off in lieu per FTE"),
        "shift.fact.registration_pct": ("vagter med faktiske tider", "shifts with actual times"),
        "shift.fact.mismatch_index": ("mismatch-indeks", "mismatch index"),
        "shift.fact.alerts_elsewhere": (
            "antal problemer i de andre temaer",
            "number of problems in the other themes",
        ),
        "shift.fact.limit": ("grænse {limit}", "alert level {limit}"),
        "shift.fact.over_limit": ("over grænsen {limit}", "above the alert level {limit}"),
        "shift.fact.under_limit": ("under grænsen {limit}", "below the alert level {limit}"),
        "shift.fact.hours_unit": ("timer", "hours"),
        "shift.fact.missing": ("ikke opgjort", "not available"),
        # verdicts
        "shift.figures.one": ("1 nøgletal", "1 figure is"),
        "shift.figures.many": ("{n} nøgletal", "{n} figures are"),
        "shift.verdict.data_worse": (
            "I vurderer temaet til {current}, men {figures} ligger over grænsen: vurderingen er højere, end data viser.",
            "You rate the theme {current}, but {figures} above the alert level: the rating is higher than the data show.",
        ),
        "shift.verdict.data_better": (
            "I vurderer temaet lavt ({current}), men ingen nøgletal ligger over grænsen: måske er I længere, end I selv mener.",
            "You rate the theme low ({current}), but no figure is above its alert level: you may be further than you think.",
        ),
        "shift.verdict.agree_problem": (
            "Vurderingen ({current}) og data er enige om, at der er noget at arbejde med ({figures} over grænsen).",
            "The rating ({current}) and the data agree there is work to do ({figures} above the alert level).",
        ),
        "shift.verdict.agree_ok": (
            "Vurderingen ({current}) og data peger samme vej: ingen nøgletal over grænsen.",
            "The rating ({current}) and the data point the same way: no figure above its alert level.",
        ),
        "shift.verdict.no_rating": ("Ikke vurderet (ingen skemaer).", "Not rated (no forms)."),
        "shift.verdict.no_data": (
            "Ingen data at holde vurderingen op imod.",
            "No data to hold the rating against.",
        ),
        # steps from the figures
        "shift.step.agency_pct": (
            "Vikarer dækkede {value} af timerne: se på, hvilke vagter en intern pulje eller faste ekstravagter kan dække.",
            "Agency staff covered {value} of the hours: look at which shifts an internal pool or regular extra shifts could cover.",
        ),
        "shift.step.agency_night_pct": (
            "Vikarer dækkede {value} af nattevagtstimerne: sikr kompetencemikset om natten med egne medarbejdere.",
            "Agency staff covered {value} of the night-shift hours: secure the night skill mix with own staff.",
        ),
        "shift.step.short_notice_pct": (
            "{value} af vagterne blev ændret med under {days} dages varsel: find de hyppigste årsager (sygdom, vikarbestilling, aktivitet).",
            "{value} of the shifts were changed less than {days} days ahead: find the most frequent causes (sickness, agency booking, activity).",
        ),
        "shift.step.sick_pct_12m": (
            "Sygefraværet er {value} de seneste 12 måneder: drøft sammenhængen med vagtmønstre og kvikskift.",
            "Sick leave is {value} over the last 12 months: discuss the link with shift patterns and quick returns.",
        ),
        "shift.step.rest_breach_pct": (
            "{value} af arbejdsforløbene manglede 11 timers hvile ({long} af bruddene er forløb over 13 timer): ret vagtskabeloner med kvikskift og dobbeltvagter.",
            "{value} of the stretches of work lacked 11 hours' rest ({long} of the breaches are stretches over 13 hours): fix templates with quick returns and double shifts.",
        ),
        "shift.step.persons_over_cap": (
            "{value} personer fik nedsat hviletid flere gange end loftet: planlæg deres vagter, så hvilen holdes.",
            "{value} persons had reduced rest more often than the cap allows: plan their shifts so the rest is kept.",
        ),
        "shift.step.overtime_pct": (
            "Overarbejdet er {value} af de planlagte timer: se på vagtlængder, overlap ved vagtskifte og aktivitet sidst på vagten.",
            "Overtime is {value} of the planned hours: look at shift lengths, handover overlaps and activity late in the shift.",
        ),
        "shift.step.toil_per_fte": (
            "Afspadseringssaldoen er {value} timer pr. årsværk: lav en plan for afvikling.",
            "The time-off-in-lieu balance is {value} hours per FTE: plan how it is taken.",
        ),
        "shift.step.registration_pct": (
            "Kun {value} af vagterne har faktiske tider: uden dem undervurderes overarbejde og hviletidsbrud.",
            "Only {value} of the shifts have actual times: without them overtime and rest-time breaches are understated.",
        ),
        "shift.step.mismatch_index": (
            "Flyt ca. {hours} vagttimer om ugen fra {over} til {under}, så bemandingen følger patienterne (mismatch-indeks {value}).",
            "Move about {hours} staff hours a week from {over} to {under}, so staffing follows the patients (mismatch index {value}).",
        ),
        "shift.step.alerts_elsewhere": (
            "{value} nøgletal ligger over grænsen: gør dem til faste punkter på ledelsesmødet.",
            "{value} figures are above their alert level: make them fixed items at the management meeting.",
        ),
        "shift.steps.why_gap": ("gab {gap}", "gap {gap}"),
        "shift.steps.why_flag": ("nøgletal over grænsen", "figures above the alert level"),
        # columns
        "shift.col.theme": ("Tema", "Theme"),
        "shift.col.raters": ("Bedømmere", "Raters"),
        "shift.col.current": ("Nuværende", "Current"),
        "shift.col.desired": ("Ønsket", "Desired"),
        "shift.col.gap": ("Gab", "Gap"),
        "shift.col.spread": ("Spredning (nuværende)", "Spread (current)"),
        "shift.col.rank": ("Prioritet", "Priority"),
        "shift.col.statement": ("Udsagn", "Statement"),
        "shift.col.statement_id": ("Nr.", "No."),
        "shift.col.facts": ("Hvad data viser", "What the data show"),
        "shift.col.verdict": ("Vurdering mod data", "Judgement against data"),
        "shift.col.month": ("Måned", "Month"),
        "shift.col.stretches": ("Forløb", "Stretches"),
        "shift.col.breaches": ("Brud", "Breaches"),
        "shift.col.under8": ("Hvile under 8 t", "Rest < 8 h"),
        "shift.col.reduced": ("Hvile 8–11 t", "Rest 8–11 h"),
        "shift.col.breach_pct": ("Andel med brud", "Share with a breach"),
        "shift.col.long": ("Forløb over 13 t", "Stretches over 13 h"),
        "shift.col.over_month": ("Over månedsloft", "Over monthly cap"),
        "shift.col.over_year": ("Over årsloft", "Over yearly cap"),
        "shift.col.persons": ("Personer", "Persons"),
        "shift.col.shifts": ("Vagter", "Shifts"),
        "shift.col.planned_h": ("Planlagte timer", "Planned hours"),
        "shift.col.overtime_pct": ("Overarbejde", "Overtime"),
        "shift.col.agency_pct": ("Vikarandel, timer", "Agency share, hours"),
        "shift.col.agency_cost_pct": ("Vikarandel, kr.", "Agency share, DKK"),
        "shift.col.agency_night_pct": ("Vikarer på nattevagter", "Agency on night shifts"),
        "shift.col.short_notice_pct": ("Kort varsel", "Short notice"),
        "shift.col.registered_pct": ("Faktiske tider", "Actual times"),
        "shift.col.staff_group": ("Personalegruppe", "Staff group"),
        "shift.col.toil_per_fte": ("Afspadsering pr. årsværk", "Time off in lieu per FTE"),
        "shift.col.sick_pct": ("Sygefravær 12 mdr.", "Sick leave 12 months"),
        "shift.col.weekday": ("Ugedag", "Weekday"),
        "shift.col.hour": ("Time", "Hour"),
        "shift.col.staff": ("Personale på arbejde", "Staff at work"),
        "shift.col.demand": ("Patienter", "Patients"),
        "shift.col.ratio": ("Personale pr. patient", "Staff per patient"),
        "shift.col.why": ("Hvorfor", "Why"),
        "shift.col.step": ("Forslag", "Suggestion"),
        # cards
        "shift.card.gap": ("Største gab", "Largest gap"),
        "shift.card.overtime": ("Overarbejde", "Overtime"),
        "shift.card.agency": ("Vikarandel", "Agency share"),
        "shift.card.short_notice": ("Kort varsel", "Short notice"),
        "shift.card.rest": ("Hviletidsbrud", "Rest-time breaches"),
        "shift.card.mismatch": ("Mismatch-indeks", "Mismatch index"),
        "shift.card.of_planned": ("af planlagte timer", "of planned hours"),
        "shift.card.of_hours": ("af timerne; {kr} af kr.", "of hours; {kr} of DKK"),
        "shift.card.of_shifts": ("af vagterne, under {days} dage", "of shifts, under {days} days"),
        "shift.card.under8": ("{n} under 8 timer", "{n} under 8 hours"),
        "shift.card.limit": ("grænse {limit}", "alert level {limit}"),
        "shift.card.no_forms": ("ingen skemaer", "no forms"),
        "shift.card.suppressed": ("skjult (under {n} personer)", "suppressed (under {n} persons)"),
        # headline
        "shift.hl.gap": (
            "Det største gab mellem nuværende og ønsket niveau er i {theme} ({current} mod ønsket {desired}, {n} bedømmere).",
            "The largest gap between current and desired level is in {theme} ({current} against a desired {desired}, {n} raters).",
        ),
        "shift.hl.no_forms": (
            "Afdelingen har ikke afleveret selvvurderingen endnu; rapporten viser derfor kun, hvad data siger.",
            "The department has not delivered its self-assessment yet, so the report shows only what the data say.",
        ),
        "shift.hl.worse": (
            "{themes}: I vurderer jer højt, men tallene viser problemer ({facts}).",
            "{themes}: you rate yourselves high, but the figures show problems ({facts}).",
        ),
        "shift.hl.rest": (
            "{n} arbejdsforløb i {month} havde ikke 11 timers hvile inden for 24 timer ({pct} af forløbene); {under} af dem havde under 8 timers hvile.",
            "{n} stretches of work in {month} lacked 11 hours' rest within 24 hours ({pct} of stretches); {under} of them had under 8 hours' rest.",
        ),
        "shift.hl.rest_none": (
            "Ingen arbejdsforløb i {month} brød hviletidsreglen.",
            "No stretch of work in {month} broke the rest-time rule.",
        ),
        "shift.hl.mismatch_high": (
            "Bemandingen følger ikke patientstrømmen: mismatch-indekset er {index} (grænse {limit}), svarende til ca. {hours} vagttimer om ugen i andre timer end patienterne.",
            "Staffing does not follow the patient flow: the mismatch index is {index} (alert level {limit}), about {hours} staff hours a week in other hours than the patients.",
        ),
        "shift.hl.mismatch_ok": (
            "Bemandingen følger patientstrømmen rimeligt over ugen (mismatch-indeks {index}, grænse {limit}).",
            "Staffing follows the patient flow reasonably over the week (mismatch index {index}, alert level {limit}).",
        ),
        "shift.hl.use": (
            "I {month} var overarbejdet {ot} af de planlagte timer, vikarer dækkede {ag} af timerne, og {sn} af vagterne blev ændret med under {days} dages varsel.",
            "In {month} overtime was {ot} of planned hours, agency staff covered {ag} of the hours, and {sn} of the shifts were changed less than {days} days ahead.",
        ),
        "shift.hl.suppressed": (
            "Afdelingen har færre end {n} personer i vagtplanen, så personbaserede tal er skjult.",
            "The department has fewer than {n} persons in the roster, so person-based figures are suppressed.",
        ),
        # charts
        "shift.fig.current": ("Nuværende status", "Current status"),
        "shift.fig.desired": ("Ønsket potentiale", "Desired potential"),
        "shift.fig.score": ("Gennemsnit (1–5)", "Mean (1–5)"),
        "shift.fig.gap": ("Gab (ønsket − nuværende)", "Gap (desired − current)"),
        "shift.fig.demand": ("Patienter ({measure}) pr. time", "Patients ({measure}) per hour"),
        "shift.fig.staff": ("Personale på arbejde pr. time", "Staff at work per hour"),
        "shift.fig.ratio": (
            "Personale pr. patient, forskel fra afdelingens gennemsnit",
            "Staff per patient, difference from the department's average",
        ),
        "shift.fig.ratio_caption": (
            "Blå timer har færre personale pr. patient end afdelingens gennemsnit ({avg}), orange flere; farven går fra −100 % til +100 % (holder man musen over en time, vises forholdet).",
            "Blue hours have fewer staff per patient than the department's average ({avg}), orange more; the colour runs from −100% to +100% (hover over an hour to see the ratio).",
        ),
        "shift.fig.pct": ("Procent", "Per cent"),
        "shift.fig.overtime": ("Overarbejde, % af planlagte timer", "Overtime, % of planned hours"),
        "shift.fig.agency": ("Vikarandel, % af timer", "Agency share, % of hours"),
        "shift.fig.short_notice": ("Kort varsel, % af vagter", "Short notice, % of shifts"),
        "shift.fig.under8": ("Hvile under 8 timer", "Rest under 8 hours"),
        "shift.fig.reduced": ("Hvile 8 til under 11 timer", "Rest 8 to under 11 hours"),
        "shift.fig.breaches": ("Arbejdsforløb med brud", "Stretches with a breach"),
        "shift.fig.hour": ("Time på døgnet", "Hour of the day"),
        "shift.day.0": ("man.", "Mon"),
        "shift.day.1": ("tirs.", "Tue"),
        "shift.day.2": ("ons.", "Wed"),
        "shift.day.3": ("tors.", "Thu"),
        "shift.day.4": ("fre.", "Fri"),
        "shift.day.5": ("lør.", "Sat"),
        "shift.day.6": ("søn.", "Sun"),
    }
)

FACT_LIMIT_PARAMS = {
    "agency_pct": "agency_alert_pct",
    "agency_night_pct": "agency_alert_pct",
    "short_notice_pct": "short_notice_alert_pct",
    "rest_breach_pct": "rest_breach_alert_pct",
    "overtime_pct": "overtime_alert_pct",
    "toil_per_fte": "toil_alert_hours_per_fte",
    "registration_pct": "registration_alert_pct",
    "mismatch_index": "mismatch_alert",
}


# --------------------------------------------------------------------------- compute


@dataclass(frozen=True)
class ShiftResults:
    """Everything the shift-planning report shows, computed once (no person-level rows)."""

    months: list[str]
    monthly: pd.DataFrame
    groups: pd.DataFrame
    rest: pd.DataFrame
    staffing: roster.StaffingVsDemand
    toil_month: float
    sick_12m: float
    persons: int
    suppressed: bool
    assessment: Assessment
    themes: pd.DataFrame
    statements: pd.DataFrame
    facts: pd.DataFrame
    values: dict[str, float]

    @property
    def month(self) -> pd.Series:
        """The report month's row of :attr:`monthly`."""
        return self.monthly.iloc[-1]

    @property
    def rest_month(self) -> pd.Series:
        """The report month's row of :attr:`rest`."""
        return self.rest.iloc[-1]


def bank_file(ctx: ReportContext) -> Path:
    """The unit's statement bank (parameter ``shift_assessment.statements_file``)."""
    return shift_assessment.bank_path(ctx.params_dir, ctx.params)


def load_bank(ctx: ReportContext) -> Bank:
    """Load and check the unit's statement bank."""
    return shift_assessment.load_bank(bank_file(ctx))


def load(ctx: ReportContext) -> roster.RosterInput:
    """Read the unit's roster data for the report (see :func:`toolkit.roster.load`)."""
    sp = ctx.params.shift_assessment
    return roster.load(
        ctx.source,
        ctx.unit.unit_id,
        ctx.period,
        trend_months=sp.trend_months,
        heatmap_months=sp.heatmap_months,
    )


def window(period: str, months: int) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start (inclusive) and end (exclusive) of the ``months`` months that end with ``period``."""
    p = parse_period(period)
    return (p - (months - 1)).start_time, (p + 1).start_time


def compute(inp: roster.RosterInput, assessment: Assessment, ctx: ReportContext) -> ShiftResults:
    """Compute every figure of the report for ``ctx.unit`` and ``ctx.period``."""
    sp = ctx.params.shift_assessment
    min_n = ctx.params.privacy.min_group_size
    p = parse_period(ctx.period)
    trend = [str(x) for x in pd.period_range(end=p, periods=sp.trend_months, freq="M")]
    last12 = [str(x) for x in pd.period_range(end=p, periods=12, freq="M")]
    rule = roster.rest_rule(sp)
    facts = roster.shift_facts(inp.shifts, notice_days=sp.short_notice_days)
    monthly = roster.monthly_kpis(facts, trend)
    small_months = monthly["persons"] < min_n
    person_cols = [c for c in roster.MONTHLY_COLUMNS if c not in ("persons", "shifts")]
    monthly.loc[small_months, person_cols] = np.nan
    monthly["suppressed"] = small_months
    persons = int(monthly["persons"].iloc[-1])
    suppressed = persons < min_n
    stretches = roster.rest_stretches(facts, rule)
    months_needed = roster.months_needed(
        ctx.period, trend_months=sp.trend_months, heatmap_months=sp.heatmap_months
    )
    rest = roster.rest_summary(stretches, months_needed, rule)
    rest = rest[rest["period"].isin(trend)].reset_index(drop=True)
    rest[list(roster.REST_SUMMARY_COLUMNS)] = rest[list(roster.REST_SUMMARY_COLUMNS)].astype("float64")
    rest.loc[small_months.to_numpy(), list(roster.REST_SUMMARY_COLUMNS)] = np.nan
    rest["suppressed"] = small_months.to_numpy()
    start, end = window(ctx.period, sp.heatmap_months)
    staffing = roster.staffing_vs_demand(
        facts,
        inp.patient_flow,
        start=start,
        end=end,
        measure=sp.demand_measure,
        groups=roster.parse_groups(sp.demand_staff_groups),
    )
    if suppressed:  # a heat map of a few persons' hours shows who works when
        staffing = roster.StaffingVsDemand(
            None, float("nan"), None, staffing.measure, staffing.groups, float("nan")
        )
    groups = _group_table(facts, inp, ctx.period, last12, min_n)
    toil_month = float("nan")
    if inp.toil is not None:
        toil_month = float(roster.toil_per_fte(inp.toil, inp.hr, [ctx.period])["per_fte"].iloc[0])
    hr12 = staff_group_kpis(inp.hours, inp.hr, last12)
    total12 = hr12[hr12["staff_group"] == TOTAL]
    sick_persons = int(total12["persons"].iloc[0]) if len(total12) else 0
    sick_12m = float(total12["sick_pct"].iloc[0]) if len(total12) and sick_persons >= min_n else float("nan")
    rm = rest.iloc[-1]
    month = monthly.iloc[-1]
    values = {
        "agency_pct": float(month["agency_pct"]),
        "agency_night_pct": float(month["agency_night_pct"]),
        "short_notice_pct": float(month["short_notice_pct"]),
        "sick_pct_12m": sick_12m,
        "rest_breach_pct": float("nan") if suppressed else float(rm["breach_pct"]),
        "persons_over_cap": float("nan")
        if suppressed
        else float(max(rm["persons_over_month_cap"], rm["persons_over_year_cap"])),
        "overtime_pct": float(month["overtime_pct"]),
        "toil_per_fte": float("nan") if suppressed else toil_month,
        "registration_pct": float(month["registered_pct"]),
        "mismatch_index": staffing.mismatch,
    }
    limits = {k: float(getattr(sp, v)) for k, v in FACT_LIMIT_PARAMS.items()}
    limits["sick_pct_12m"] = ctx.params.kpi.sick_leave_alert_pct
    limits["persons_over_cap"] = 0.0
    fact_table = shift_assessment.theme_facts(values, limits)
    bank = assessment.bank
    themes = shift_assessment.judge(
        shift_assessment.theme_scores(assessment.scores, bank),
        fact_table,
        high=sp.high_rating,
        low=sp.low_rating,
    )
    return ShiftResults(
        months=trend,
        monthly=monthly,
        groups=groups,
        rest=rest,
        staffing=staffing,
        toil_month=toil_month,
        sick_12m=sick_12m,
        persons=persons,
        suppressed=suppressed,
        assessment=assessment,
        themes=themes,
        statements=shift_assessment.statement_scores(assessment.scores, bank),
        facts=fact_table,
        values=values,
    )


GROUP_VALUES = (
    "overtime_pct",
    "agency_pct",
    "short_notice_pct",
    "registered_pct",
    "toil_per_fte",
    "sick_pct",
    "planned_h",
    "shifts",
)


def _group_table(
    facts: pd.DataFrame, inp: roster.RosterInput, period: str, last12: Sequence[str], min_n: int
) -> pd.DataFrame:
    """Roster figures, time off in lieu and sick leave per staff group; small groups suppressed."""
    g = roster.group_kpis(facts, [period])
    if inp.toil is not None:
        toil = roster.toil_per_fte(inp.toil, inp.hr, [period], by_group=True).set_index("staff_group")
        g["toil_per_fte"] = g["staff_group"].map(toil["per_fte"])
    else:
        g["toil_per_fte"] = np.nan
    sick = staff_group_kpis(inp.hours, inp.hr, last12).set_index("staff_group")
    g["sick_pct"] = g["staff_group"].map(sick["sick_pct"])
    return suppress_small_groups(g, min_group_size=min_n, value_columns=GROUP_VALUES)


# --------------------------------------------------------------------------- formatting helpers


def _score(value: float, lang: Language) -> str:
    return fmt_number(value, 1, lang)


def fact_value(key: str, value: float | None, lang: Language) -> str:
    """A fact's value as text (%, index, hours or count)."""
    if value is None or is_missing(value):
        return t("shift.fact.missing", lang)
    kind = next(s.kind for s in shift_assessment.FACTS if s.key == key)
    if kind == "pct":
        return fmt_pct(value, 1, lang)
    if kind == "index":
        return fmt_number(value, 2, lang)
    if kind == "hours":
        return f"{fmt_number(value, 1, lang)} {t('shift.fact.hours_unit', lang)}"
    return fmt_number(value, 0, lang)


def _fact_text(row: pd.Series, lang: Language, *, with_limit: bool = True) -> str:
    """``label value (alert level x)``; a figure on the wrong side says so (``over the alert level x``)."""
    label = t(f"shift.fact.{row['key']}", lang)
    text = f"{label} {fact_value(row['key'], row['value'], lang)}"
    if with_limit and not is_missing(row["value"]):
        limit = fact_value(row["key"], row["limit"], lang)
        if row["flagged"]:
            key = "shift.fact.over_limit" if row["higher_is_worse"] else "shift.fact.under_limit"
            text += f" — {t(key, lang, limit=limit)}"
        else:
            text += f" ({t('shift.fact.limit', lang, limit=limit)})"
    return text


def theme_names(res: ShiftResults, lang: Language) -> dict[str, str]:
    """Theme id → the bank's name in ``lang``."""
    return res.assessment.bank.theme_names(lang)


def verdict_text(row: pd.Series, lang: Language) -> str:
    """The plain sentence that sets a theme's rating against its figures."""
    current = _score(row["current"], lang) if not is_missing(row["current"]) else ""
    n = int(row["n_flagged"])
    figures = t("shift.figures.one" if n == 1 else "shift.figures.many", lang, n=n)
    return t(f"shift.verdict.{row['verdict']}", lang, current=current, figures=figures)


# --------------------------------------------------------------------------- headline and cards


def headline(res: ShiftResults, ctx: ReportContext) -> list[str]:
    """3–5 plain sentences, the most important first, generated from the numbers."""
    lang: Language = ctx.lang
    sp = ctx.params.shift_assessment
    found: list[tuple[float, str]] = []
    names = theme_names(res, lang)
    month = fmt_month(ctx.period, lang)
    rated = res.themes.dropna(subset=["gap"])
    if len(rated):
        top = rated.sort_values("gap", ascending=False, kind="stable").iloc[0]
        found.append(
            (
                1.5 + float(top["gap"]),
                t(
                    "shift.hl.gap",
                    lang,
                    theme=names[top["theme"]],
                    current=_score(top["current"], lang),
                    desired=_score(top["desired"], lang),
                    n=res.assessment.n_raters,
                ),
            )
        )
    else:
        found.append((3.0, t("shift.hl.no_forms", lang)))
    worse = res.themes[res.themes["verdict"] == "data_worse"]
    if len(worse):
        flagged = res.facts[res.facts["theme"].isin(worse["theme"]) & res.facts["flagged"]]
        facts_text = join_words(
            [_fact_text(f, lang, with_limit=False) for _, f in flagged.head(3).iterrows()], lang
        )
        found.append(
            (
                4.0 + len(worse),
                t(
                    "shift.hl.worse",
                    lang,
                    themes=join_words([names[x] for x in worse["theme"]], lang),
                    facts=facts_text,
                ),
            )
        )
    if res.suppressed:
        found.append((5.0, t("shift.hl.suppressed", lang, n=ctx.params.privacy.min_group_size)))
    else:
        rm = res.rest_month
        n = int(rm["breaches"])
        if n:
            score = (
                1.0
                + float(rm["breach_pct"]) / max(sp.rest_breach_alert_pct, 0.1)
                + (1.0 if rm["under_reduced"] else 0)
            )
            found.append(
                (
                    score,
                    t(
                        "shift.hl.rest",
                        lang,
                        n=fmt_number(n, 0, lang),
                        month=month,
                        pct=fmt_pct(rm["breach_pct"], 1, lang),
                        under=fmt_number(rm["under_reduced"], 0, lang),
                    ),
                )
            )
        else:
            found.append((0.5, t("shift.hl.rest_none", lang, month=month)))
        m = res.month
        limits = (sp.overtime_alert_pct, sp.agency_alert_pct, sp.short_notice_alert_pct)
        observed = (m["overtime_pct"], m["agency_pct"], m["short_notice_pct"])
        excess = sum(
            max(0.0, float(v) / lim - 1)
            for v, lim in zip(observed, limits, strict=True)
            if lim and not is_missing(v)
        )
        found.append(
            (
                1.2 + 2 * excess,
                t(
                    "shift.hl.use",
                    lang,
                    month=month,
                    ot=fmt_pct(m["overtime_pct"], 1, lang),
                    ag=fmt_pct(m["agency_pct"], 1, lang),
                    sn=fmt_pct(m["short_notice_pct"], 1, lang),
                    days=sp.short_notice_days,
                ),
            )
        )
    st = res.staffing
    if not is_missing(st.mismatch):
        hours = st.mismatch * st.staff_hours_per_week
        if st.mismatch > sp.mismatch_alert:
            found.append(
                (
                    2.0 + 10 * (st.mismatch - sp.mismatch_alert),
                    t(
                        "shift.hl.mismatch_high",
                        lang,
                        index=fmt_number(st.mismatch, 2, lang),
                        limit=fmt_number(sp.mismatch_alert, 2, lang),
                        hours=fmt_number(hours, 0, lang),
                    ),
                )
            )
        else:
            found.append(
                (
                    0.8,
                    t(
                        "shift.hl.mismatch_ok",
                        lang,
                        index=fmt_number(st.mismatch, 2, lang),
                        limit=fmt_number(sp.mismatch_alert, 2, lang),
                    ),
                )
            )
    found.sort(key=lambda x: -x[0])
    return [s for _, s in found[:5]]


def _status(value: float, limit: float, *, higher_is_worse: bool = True) -> str:
    if is_missing(value):
        return "neutral"
    bad = value > limit if higher_is_worse else value < limit
    if bad:
        return "red"
    near = value > 0.8 * limit if higher_is_worse else value < 1.02 * limit
    return "amber" if near else "green"


def cards(res: ShiftResults, ctx: ReportContext) -> list[Card]:
    """The KPI boxes under the headline."""
    lang = ctx.lang
    sp = ctx.params.shift_assessment
    min_n = ctx.params.privacy.min_group_size
    hidden = t("shift.card.suppressed", lang, n=min_n)
    names = theme_names(res, lang)
    rated = res.themes.dropna(subset=["gap"])
    if len(rated):
        top = rated.sort_values("gap", ascending=False, kind="stable").iloc[0]
        gap_card = Card(
            t("shift.card.gap", lang),
            names[top["theme"]],
            f"{_score(top['current'], lang)} → {_score(top['desired'], lang)}",
            "amber" if top["gap"] >= sp.gap_priority else "green",
        )
    else:
        gap_card = Card(t("shift.card.gap", lang), "–", t("shift.card.no_forms", lang))
    st = res.staffing
    mismatch_card = Card(
        t("shift.card.mismatch", lang),
        fmt_number(st.mismatch, 2, lang),
        t("shift.card.limit", lang, limit=fmt_number(sp.mismatch_alert, 2, lang)),
        _status(st.mismatch, sp.mismatch_alert),  # type: ignore[arg-type]
    )
    if res.suppressed:
        person_cards = [
            Card(t(k, lang), SUPPRESSED_MARK, hidden)
            for k in (
                "shift.card.overtime",
                "shift.card.agency",
                "shift.card.short_notice",
                "shift.card.rest",
            )
        ]
        return [gap_card, *person_cards, mismatch_card]
    m, rm = res.month, res.rest_month
    return [
        gap_card,
        Card(
            t("shift.card.overtime", lang),
            fmt_pct(m["overtime_pct"], 1, lang),
            t("shift.card.of_planned", lang),
            _status(m["overtime_pct"], sp.overtime_alert_pct),  # type: ignore[arg-type]
        ),
        Card(
            t("shift.card.agency", lang),
            fmt_pct(m["agency_pct"], 1, lang),
            t("shift.card.of_hours", lang, kr=fmt_pct(m["agency_cost_pct"], 1, lang)),
            _status(m["agency_pct"], sp.agency_alert_pct),  # type: ignore[arg-type]
        ),
        Card(
            t("shift.card.short_notice", lang),
            fmt_pct(m["short_notice_pct"], 1, lang),
            t("shift.card.of_shifts", lang, days=sp.short_notice_days),
            _status(m["short_notice_pct"], sp.short_notice_alert_pct),  # type: ignore[arg-type]
        ),
        Card(
            t("shift.card.rest", lang),
            fmt_number(rm["breaches"], 0, lang),
            t("shift.card.under8", lang, n=fmt_number(rm["under_reduced"], 0, lang)),
            _status(rm["breach_pct"], sp.rest_breach_alert_pct),  # type: ignore[arg-type]
        ),
        mismatch_card,
    ]


def record_kpis(report: Report, res: ShiftResults, ctx: ReportContext) -> None:
    """Record the headline values (and each theme's scores) for the JSON file beside the report."""
    lang = ctx.lang
    m, rm = res.month, res.rest_month
    hidden = res.suppressed
    report.kpi("overtime_pct", t("shift.col.overtime_pct", lang), None if hidden else m["overtime_pct"], "%")
    report.kpi("agency_hours_pct", t("shift.col.agency_pct", lang), None if hidden else m["agency_pct"], "%")
    report.kpi(
        "agency_cost_pct", t("shift.col.agency_cost_pct", lang), None if hidden else m["agency_cost_pct"], "%"
    )
    report.kpi(
        "short_notice_pct",
        t("shift.col.short_notice_pct", lang),
        None if hidden else m["short_notice_pct"],
        "%",
    )
    report.kpi(
        "actual_times_pct", t("shift.col.registered_pct", lang), None if hidden else m["registered_pct"], "%"
    )
    report.kpi(
        "rest_breaches", t("shift.col.breaches", lang), None if hidden else rm["breaches"], "stretches"
    )
    report.kpi(
        "rest_breaches_under_8h",
        t("shift.col.under8", lang),
        None if hidden else rm["under_reduced"],
        "stretches",
    )
    report.kpi(
        "rest_breaches_8_11h", t("shift.col.reduced", lang), None if hidden else rm["reduced"], "stretches"
    )
    report.kpi("rest_breach_pct", t("shift.col.breach_pct", lang), None if hidden else rm["breach_pct"], "%")
    report.kpi("mismatch_index", t("shift.card.mismatch", lang), res.staffing.mismatch, "index")
    report.kpi(
        "toil_hours_per_fte",
        t("shift.col.toil_per_fte", lang),
        None if hidden else res.toil_month,
        "hours/FTE",
    )
    report.kpi("sick_leave_12m_pct", t("shift.col.sick_pct", lang), res.sick_12m, "%")
    report.kpi("raters", t("shift.col.raters", lang), res.assessment.n_raters, "raters")
    names = theme_names(res, lang)
    for row in res.themes.itertuples(index=False):
        for col in ("current", "desired", "gap"):
            report.kpi(
                f"{row.theme}_{col}",
                f"{names[row.theme]}: {t(f'shift.col.{col}', lang)}",
                getattr(row, col),
                "score 1-5",
            )


# --------------------------------------------------------------------------- tables


def themes_table(res: ShiftResults, lang: Language) -> TableView:
    """Current, desired, gap and rater spread per theme."""
    df = res.themes.copy()
    names = theme_names(res, lang)
    df["name"] = df["theme"].map(names)
    df["spread"] = [
        f"{_score(lo, lang)}–{_score(hi, lang)}" if not is_missing(lo) else "–"
        for lo, hi in zip(df["current_min"], df["current_max"], strict=True)
    ]
    return TableView(
        "Selvvurdering" if lang == "da" else "Self-assessment",
        df,
        [
            Column("name", t("shift.col.theme", lang)),
            Column("n_raters", t("shift.col.raters", lang), "int"),
            Column("current", t("shift.col.current", lang), "number"),
            Column("desired", t("shift.col.desired", lang), "number"),
            Column("gap", t("shift.col.gap", lang), "number", signed=True),
            Column("spread", t("shift.col.spread", lang)),
            Column("gap_rank", t("shift.col.rank", lang), "int"),
        ],
    )


def statements_table(res: ShiftResults, lang: Language) -> TableView:
    """Every statement's mean scores (for the workbook)."""
    df = res.statements.copy()
    df["text"] = df["text_da"] if lang == "da" else df["text_en"]
    df["theme_name"] = df["theme"].map(theme_names(res, lang))
    return TableView(
        "Udsagn" if lang == "da" else "Statements",
        df,
        [
            Column("statement_id", t("shift.col.statement_id", lang)),
            Column("theme_name", t("shift.col.theme", lang)),
            Column("text", t("shift.col.statement", lang)),
            Column("n_raters", t("shift.col.raters", lang), "int"),
            Column("current", t("shift.col.current", lang), "number"),
            Column("desired", t("shift.col.desired", lang), "number"),
            Column("gap", t("shift.col.gap", lang), "number", signed=True),
        ],
    )


def judgement_table(res: ShiftResults, lang: Language) -> TableView:
    """Per theme: the rating, the figures that speak to it, and the verdict in plain words."""
    names = theme_names(res, lang)
    rows = []
    for _, row in res.themes.iterrows():
        theme_facts = res.facts[res.facts["theme"] == row["theme"]]
        facts_text = "; ".join(_fact_text(f, lang) for _, f in theme_facts.iterrows())
        rows.append(
            {
                "name": names[row["theme"]],
                "current": row["current"],
                "desired": row["desired"],
                "facts": facts_text,
                "verdict": verdict_text(row, lang),
            }
        )
    return TableView(
        "Vurdering og data" if lang == "da" else "Judgement and data",
        pd.DataFrame(rows),
        [
            Column("name", t("shift.col.theme", lang)),
            Column("current", t("shift.col.current", lang), "number"),
            Column("facts", t("shift.col.facts", lang)),
            Column("verdict", t("shift.col.verdict", lang)),
        ],
    )


def rest_table(res: ShiftResults, ctx: ReportContext) -> TableView:
    """Rest-time breaches per month: counts only, never persons."""
    lang = ctx.lang
    df = res.rest.assign(month=[fmt_month(p, lang, short=True) for p in res.rest["period"]])
    return TableView(
        "Hviletid" if lang == "da" else "Rest time",
        df.iloc[::-1].reset_index(drop=True),
        [
            Column("month", t("shift.col.month", lang)),
            Column("stretches", t("shift.col.stretches", lang), "int"),
            Column("breaches", t("shift.col.breaches", lang), "int"),
            Column("under_reduced", t("shift.col.under8", lang), "int"),
            Column("reduced", t("shift.col.reduced", lang), "int"),
            Column("breach_pct", t("shift.col.breach_pct", lang), "pct"),
            Column("long_stretches", t("shift.col.long", lang), "int"),
            Column("persons_over_month_cap", t("shift.col.over_month", lang), "int"),
            Column("persons_over_year_cap", t("shift.col.over_year", lang), "int"),
        ],
        note=t("report.suppressed_note", lang, n=ctx.params.privacy.min_group_size, mark=SUPPRESSED_MARK),
        suppressed="suppressed",
    )


def monthly_table(monthly: pd.DataFrame, ctx: ReportContext) -> TableView:
    """Overtime, agency, short notice and registration month by month (newest first).

    ``monthly`` is :attr:`ShiftResults.monthly` (with its ``suppressed`` column).
    """
    lang = ctx.lang
    return TableView(
        "Udvikling" if lang == "da" else "Trends",
        monthly.assign(month=[fmt_month(p, lang, short=True) for p in monthly["period"]])
        .iloc[::-1]
        .reset_index(drop=True),
        [
            Column("month", t("shift.col.month", lang)),
            Column("shifts", t("shift.col.shifts", lang), "int"),
            Column("overtime_pct", t("shift.col.overtime_pct", lang), "pct"),
            Column("agency_pct", t("shift.col.agency_pct", lang), "pct"),
            Column("agency_cost_pct", t("shift.col.agency_cost_pct", lang), "pct"),
            Column("agency_night_pct", t("shift.col.agency_night_pct", lang), "pct"),
            Column("short_notice_pct", t("shift.col.short_notice_pct", lang), "pct"),
            Column("registered_pct", t("shift.col.registered_pct", lang), "pct"),
        ],
        note=t("report.suppressed_note", lang, n=ctx.params.privacy.min_group_size, mark=SUPPRESSED_MARK),
        suppressed="suppressed",
    )


def group_table(res: ShiftResults, ctx: ReportContext) -> TableView:
    """Figures per staff group for the month, groups under the privacy limit suppressed."""
    lang = ctx.lang
    return TableView(
        "Personalegrupper" if lang == "da" else "Staff groups",
        res.groups,
        [
            Column("staff_group", t("shift.col.staff_group", lang)),
            Column("persons", t("shift.col.persons", lang), "int"),
            Column("shifts", t("shift.col.shifts", lang), "int"),
            Column("overtime_pct", t("shift.col.overtime_pct", lang), "pct"),
            Column("agency_pct", t("shift.col.agency_pct", lang), "pct"),
            Column("short_notice_pct", t("shift.col.short_notice_pct", lang), "pct"),
            Column("registered_pct", t("shift.col.registered_pct", lang), "pct"),
            Column("toil_per_fte", t("shift.col.toil_per_fte", lang), "number"),
            Column("sick_pct", t("shift.col.sick_pct", lang), "pct"),
        ],
        note=t("report.suppressed_note", lang, n=ctx.params.privacy.min_group_size, mark=SUPPRESSED_MARK),
        suppressed="suppressed",
    )


def profile_table(res: ShiftResults, lang: Language) -> TableView | None:
    """The 168 hours of the week: staff, patients and ratio (for the workbook)."""
    prof = res.staffing.profile
    if prof is None:
        return None
    df = prof.copy()
    df["day"] = df["weekday"].map(lambda d: t(f"shift.day.{d}", lang))
    return TableView(
        "Ugens timer" if lang == "da" else "Hours of the week",
        df,
        [
            Column("day", t("shift.col.weekday", lang)),
            Column("hour", t("shift.col.hour", lang), "int"),
            Column("staff", t("shift.col.staff", lang), "number", decimals=2),
            Column("demand", t("shift.col.demand", lang), "number", decimals=2),
            Column("ratio", t("shift.col.ratio", lang), "number", decimals=3),
        ],
    )


# --------------------------------------------------------------------------- next steps


def next_steps(res: ShiftResults, ctx: ReportContext) -> pd.DataFrame:
    """Suggested next steps for the themes that need them, most important first.

    A theme needs them when its gap is at least ``gap_priority`` or a figure of the theme is
    above its alert level. The steps are the bank's for the theme and one per figure above
    its alert level, with the numbers filled in.

    Returns
    -------
    DataFrame
        ``theme``, ``name``, ``why``, ``step`` (one row per step).
    """
    lang = ctx.lang
    sp = ctx.params.shift_assessment
    names = theme_names(res, lang)
    bank = res.assessment.bank
    rows = []
    themes = res.themes.copy()
    themes["priority"] = (
        themes["n_flagged"] * 2 + themes["gap"].fillna(0) + (themes["verdict"] == "data_worse") * 3
    )
    for _, th in themes.sort_values("priority", ascending=False, kind="stable").iterrows():
        big_gap = not is_missing(th["gap"]) and th["gap"] >= sp.gap_priority
        flagged = res.facts[(res.facts["theme"] == th["theme"]) & res.facts["flagged"]]
        if not big_gap and flagged.empty:
            continue
        why = []
        if big_gap:
            why.append(t("shift.steps.why_gap", lang, gap=fmt_number(th["gap"], 1, lang)))
        if len(flagged):
            why.append(t("shift.steps.why_flag", lang))
        reason = "; ".join(why)
        for _, f in flagged.iterrows():
            rows.append((th["theme"], names[th["theme"]], reason, _fact_step(f, res, ctx)))
        for step in bank.theme(th["theme"]).next_steps[:2]:
            rows.append((th["theme"], names[th["theme"]], reason, step.get(lang)))
    return pd.DataFrame(rows, columns=["theme", "name", "why", "step"])


def _fact_step(fact: pd.Series, res: ShiftResults, ctx: ReportContext) -> str:
    lang = ctx.lang
    key = fact["key"]
    value = fact_value(key, fact["value"], lang)
    if key == "mismatch_index":
        b = res.staffing.blocks
        assert b is not None
        under, over = b.loc[b["difference"].idxmin()], b.loc[b["difference"].idxmax()]
        hours = res.staffing.mismatch * res.staffing.staff_hours_per_week
        return t(
            "shift.step.mismatch_index",
            lang,
            hours=fmt_number(hours, 0, lang),
            over=t(f"shift.block.{bool(over['weekend'])}.{over['block']}", lang),
            under=t(f"shift.block.{bool(under['weekend'])}.{under['block']}", lang),
            value=value,
        )
    if key == "rest_breach_pct":
        return t(
            "shift.step.rest_breach_pct",
            lang,
            value=fmt_pct(fact["value"], 1, lang),
            long=int(res.rest_month["long_stretches"]),
        )
    if key == "short_notice_pct":
        return t(
            "shift.step.short_notice_pct",
            lang,
            value=value,
            days=ctx.params.shift_assessment.short_notice_days,
        )
    if key == "toil_per_fte":
        return t("shift.step.toil_per_fte", lang, value=fmt_number(fact["value"], 1, lang))
    return t(f"shift.step.{key}", lang, value=value)


def steps_table(steps: pd.DataFrame, lang: Language) -> TableView:
    """The suggested next steps as a table."""
    df = steps.copy()
    # Show the theme and the reason once per theme.
    repeat = df["theme"].eq(df["theme"].shift())
    df["name_shown"] = df["name"].where(~repeat, "")
    df["why_shown"] = df["why"].where(~repeat, "")
    return TableView(
        "Næste skridt" if lang == "da" else "Next steps",
        df,
        [
            Column("name_shown", t("shift.col.theme", lang)),
            Column("why_shown", t("shift.col.why", lang)),
            Column("step", t("shift.col.step", lang)),
        ],
    )


def blocks_note(res: ShiftResults, lang: Language) -> str | None:
    """Where staffing and demand part most, in plain words (None without patient data)."""
    st = res.staffing
    if st.blocks is None or is_missing(st.mismatch):
        return None
    b = st.blocks
    under, over = b.loc[b["difference"].idxmin()], b.loc[b["difference"].idxmax()]
    return t(
        "shift.blocks_note",
        lang,
        under=t(f"shift.block.{bool(under['weekend'])}.{under['block']}", lang),
        under_pct=fmt_pct(-under["difference"] * 100, 1, lang),
        over=t(f"shift.block.{bool(over['weekend'])}.{over['block']}", lang),
        over_pct=fmt_pct(over["difference"] * 100, 1, lang),
        hours=fmt_number(st.mismatch * st.staff_hours_per_week, 0, lang),
        total=fmt_number(st.staff_hours_per_week, 0, lang),
    )


def staffing_lead(res: ShiftResults, ctx: ReportContext) -> str:
    """The lead paragraph of the staffing section."""
    lang = ctx.lang
    sp = ctx.params.shift_assessment
    st = res.staffing
    groups = join_words(list(st.groups), lang) if st.groups else t("shift.groups.all", lang)
    return t(
        "shift.sec.staffing.lead",
        lang,
        months=sp.heatmap_months,
        measure=t(f"shift.measure.{st.measure}", lang) if st.measure else "–",
        groups=groups,
        index=fmt_number(st.mismatch, 2, lang),
        limit=fmt_number(sp.mismatch_alert, 2, lang),
    )


def forms_note(res: ShiftResults, ctx: ReportContext) -> str:
    """How many raters, when, and which statement bank (or how to deliver forms)."""
    lang = ctx.lang
    a = res.assessment
    if not a.n_raters:
        return t("shift.no_forms", lang, unit=ctx.unit.unit_id)
    first, last = a.dates[0], a.dates[-1]
    dates = fmt_date(first, lang) if first == last else f"{fmt_date(first, lang)} – {fmt_date(last, lang)}"
    return t("shift.forms_note", lang, n=a.n_raters, dates=dates, bank=a.bank.version)


def rest_note(res: ShiftResults, lang: Language) -> str | None:
    """How many of the month's breaches come from long stretches (None if no breach)."""
    rm = res.rest_month
    if res.suppressed or not rm["breaches"]:
        return None
    if not rm["long_stretches"]:
        return t("shift.rest_short_note", lang, n=int(rm["breaches"]))
    return t("shift.rest_long_note", lang, long=int(rm["long_stretches"]), n=int(rm["breaches"]))


# --------------------------------------------------------------------------- charts


def assessment_chart(themes: pd.DataFrame, *, names: dict[str, str], lang: Language) -> go.Figure:
    """Current status and desired potential per theme, with the raters' spread as whiskers."""
    df = themes.iloc[::-1]
    labels = [names[x] for x in df["theme"]]
    fig = go.Figure()
    # Horizontal grouped bars stack the first trace at the bottom: desired first puts current on top.
    for col, key, color in (
        ("desired", "shift.fig.desired", figures.COLORS["tertiary"]),
        ("current", "shift.fig.current", figures.COLORS["primary"]),
    ):
        lo, hi = df[f"{col}_min"], df[f"{col}_max"]
        fig.add_bar(
            y=labels,
            x=df[col],
            name=t(key, lang),
            orientation="h",
            marker_color=color,
            error_x={
                "type": "data",
                "symmetric": False,
                "array": (hi - df[col]).fillna(0).to_numpy(),
                "arrayminus": (df[col] - lo).fillna(0).to_numpy(),
                "color": figures.COLORS["muted"],
                "thickness": 1.5,
            },
            hovertemplate="%{y}: %{x:.1f}<extra>" + t(key, lang) + "</extra>",
        )
    fig.update_layout(barmode="group", legend={"traceorder": "reversed"})
    fig.update_xaxes(title=t("shift.fig.score", lang), range=[0, 5.2], dtick=1)
    return figures.style(fig, lang=lang, height=120 + 55 * len(df))


def gap_chart(themes: pd.DataFrame, *, names: dict[str, str], lang: Language, priority: float) -> go.Figure:
    """The gap (desired − current) per theme, largest first; gaps from ``priority`` up highlighted."""
    df = themes.dropna(subset=["gap"]).sort_values("gap", ascending=True, kind="stable")
    colors = [
        figures.COLORS["highlight"] if g >= priority else figures.COLORS["secondary"] for g in df["gap"]
    ]
    fig = go.Figure(
        go.Bar(
            y=[names[x] for x in df["theme"]],
            x=df["gap"],
            orientation="h",
            marker_color=colors,
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    fig.update_xaxes(title=t("shift.fig.gap", lang), rangemode="tozero")
    return figures.style(fig, lang=lang, height=100 + 40 * len(df))


def week_heatmap(
    profile: pd.DataFrame,
    *,
    value: str,
    lang: Language,
    title: str,
    colorscale: str | list[list[object]] = "Blues",
    zmid: float | None = None,
    zrange: tuple[float, float] | None = None,
    decimals: int = 1,
    suffix: str = "",
    hover_value: str | None = None,
    hover_decimals: int = 2,
) -> go.Figure:
    """A 7 × 24 heat map of ``value`` by weekday (rows, Monday on top) and hour of the day.

    ``hover_value`` names a second column shown on hover (e.g. the raw ratio behind a
    relative colour scale).
    """

    def grid(col: str) -> np.ndarray:
        wide = profile.pivot(index="weekday", columns="hour", values=col)
        return wide.reindex(index=range(7), columns=range(24)).to_numpy()

    days = [t(f"shift.day.{d}", lang) for d in range(7)]
    hours = [f"{h:02d}" for h in range(24)]
    hover = "%{y} %{x}:00: %{z:." + str(decimals) + "f}" + suffix
    extra: dict[str, object] = {}
    if hover_value is not None:
        extra["customdata"] = grid(hover_value)
        hover = (
            "%{y} %{x}:00: %{customdata:."
            + str(hover_decimals)
            + "f} (%{z:+."
            + str(decimals)
            + "f}"
            + suffix
            + ")"
        )
    if zrange is not None:
        extra["zmin"], extra["zmax"] = zrange
    heat = go.Heatmap(
        z=grid(value),
        x=hours,
        y=days,
        colorscale=colorscale,
        zmid=zmid,
        hoverongaps=False,
        hovertemplate=hover + "<extra></extra>",
        colorbar={"thickness": 12, "ticksuffix": suffix},
        **extra,
    )
    fig = go.Figure(heat)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=t("shift.fig.hour", lang), type="category")
    return figures.style(fig, lang=lang, height=300, title=title)


#: Blue (fewer staff per patient than average) → white → orange (more), the report's colours.
RELATIVE_SCALE = [[0.0, figures.COLORS["primary"]], [0.5, "#ffffff"], [1.0, figures.COLORS["highlight"]]]


def demand_heatmap(staffing: roster.StaffingVsDemand, lang: Language) -> go.Figure | None:
    """Patients by hour of the week, the colour scale from zero (None without patient data)."""
    if staffing.profile is None:
        return None
    title = t("shift.fig.demand", lang, measure=t(f"shift.measure.{staffing.measure}", lang))
    top = float(staffing.profile["demand"].max())
    return week_heatmap(
        staffing.profile, value="demand", lang=lang, title=title, colorscale="Oranges", zrange=(0.0, top)
    )


def staff_heatmap(staffing: roster.StaffingVsDemand, lang: Language) -> go.Figure | None:
    """Staff at work by hour of the week, the colour scale from zero (None without patient data)."""
    if staffing.profile is None:
        return None
    top = float(staffing.profile["staff"].max())
    return week_heatmap(
        staffing.profile,
        value="staff",
        lang=lang,
        title=t("shift.fig.staff", lang),
        colorscale="Blues",
        zrange=(0.0, top),
    )


def ratio_heatmap(staffing: roster.StaffingVsDemand, lang: Language) -> go.Figure | None:
    """Staff per patient by hour of the week, coloured by its difference from the unit's average.

    The colour is (ratio / average ratio − 1) × 100, capped at ±100 %; hovering shows the ratio.
    """
    if staffing.profile is None:
        return None
    prof = staffing.profile
    avg = _average_ratio(prof)
    relative = ((prof["ratio"] / avg - 1) * 100).clip(-100, 100) if avg > 0 else prof["ratio"] * np.nan
    return week_heatmap(
        prof.assign(relative=relative),
        value="relative",
        lang=lang,
        title=t("shift.fig.ratio", lang),
        colorscale=RELATIVE_SCALE,
        zmid=0.0,
        zrange=(-100.0, 100.0),
        decimals=0,
        suffix=" %",
        hover_value="ratio",
    )


def _average_ratio(profile: pd.DataFrame) -> float:
    s, d = profile["staff"].sum(), profile["demand"].sum()
    return float(s / d) if d > 0 else float("nan")


def ratio_caption(staffing: roster.StaffingVsDemand, lang: Language) -> str | None:
    """What the ratio heat map's colours mean."""
    if staffing.profile is None:
        return None
    return t("shift.fig.ratio_caption", lang, avg=fmt_number(_average_ratio(staffing.profile), 2, lang))


def trends_chart(monthly: pd.DataFrame, *, lang: Language) -> go.Figure:
    """Overtime, agency share and short-notice changes per month (one line each)."""
    long = pd.concat(
        [
            monthly[["period"]].assign(series=t(key, lang), value=monthly[col])
            for col, key in (
                ("overtime_pct", "shift.fig.overtime"),
                ("agency_pct", "shift.fig.agency"),
                ("short_notice_pct", "shift.fig.short_notice"),
            )
        ],
        ignore_index=True,
    )
    return figures.trend_lines(
        long, value="value", series="series", lang=lang, y_title=t("shift.fig.pct", lang)
    )


def rest_chart(rest: pd.DataFrame, *, lang: Language) -> go.Figure:
    """Breaches per month, stacked: rest under 8 hours and 8 to under 11 hours."""
    x = [fmt_month(p, lang, short=True) for p in rest["period"]]
    fig = go.Figure()
    fig.add_bar(
        x=x, y=rest["under_reduced"], name=t("shift.fig.under8", lang), marker_color=figures.COLORS["bad"]
    )
    fig.add_bar(
        x=x, y=rest["reduced"], name=t("shift.fig.reduced", lang), marker_color=figures.COLORS["warn"]
    )
    fig.update_layout(barmode="stack")
    fig.update_traces(hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title=t("shift.fig.breaches", lang), rangemode="tozero")
    return figures.style(fig, lang=lang)


# --------------------------------------------------------------------------- appendix


def definitions() -> list[Definition]:
    """Every definition the report's appendix shows, in reading order."""
    keys = [
        "self_assessment",
        "judgement_vs_data",
        "rest_time_breach",
        "reduced_rest_caps",
        "staffing_vs_demand",
        "mismatch_index",
        "overtime_pct_planned",
        "agency_share",
        "short_notice_changes",
        "actual_times_registered",
        "toil_per_fte",
        "sick_leave_pct",
        "suppression",
    ]
    return [DEFINITIONS[k] for k in keys]
