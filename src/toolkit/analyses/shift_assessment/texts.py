"""The texts of the shift-planning assessment (namespace ``shift_assessment``), Danish and English.

Code looks them up with ``TEXTS("key", lang, **values)``; the keys carry no prefix.
"""

from __future__ import annotations

from toolkit.core.i18n import Texts

TEXTS = Texts("shift_assessment")

TEXTS.register(
    {
        "title": ("Vurdering af vagtplanlægning", "Shift-planning assessment"),
        # sections
        "sec.assessment": ("Selvvurdering", "Self-assessment"),
        "sec.assessment.lead": (
            "Ledelsens egen vurdering af de seks temaer: nuværende status og ønsket potentiale på en skala fra 1 (ikke påbegyndt) til 5 (fuldt systematisk). Stregerne viser spredningen mellem bedømmerne.",
            "Management's own rating of the six themes: current status and desired potential on a scale from 1 (not started) to 5 (fully systematic). The whiskers show the spread between the raters.",
        ),
        "no_forms": (
            "Der er ikke afleveret nogen selvvurdering for afdelingen endnu. Skemaet dannes med `toolkit template shift-assessment --unit {unit} --out skema.xlsx`; de udfyldte skemaer lægges i datamappen under forms/shift-assessment/{unit}/. Resten af rapporten viser, hvad data siger.",
            "No self-assessment has been delivered for the department yet. Make the form with `toolkit template shift-assessment --unit {unit} --out form.xlsx` and put the filled forms in the data folder under forms/shift-assessment/{unit}/. The rest of the report shows what the data say.",
        ),
        "forms_note": (
            "{n} bedømmere, udfyldt {dates}. Udsagnsbank: {bank}.",
            "{n} raters, filled in {dates}. Statement bank: {bank}.",
        ),
        "sec.judgement": ("Vurdering og data", "Judgement and data"),
        "sec.judgement.lead": (
            "For hvert tema de nøgletal fra vagtplan og patientstrøm, der taler til det, og om vurderingen og tallene peger samme vej. Grænserne er parametre.",
            "For each theme the figures from the roster and the patient flow that speak to it, and whether the rating and the figures point the same way. The alert levels are parameters.",
        ),
        "sec.rest": ("Hviletid", "Rest time"),
        "sec.rest.lead": (
            "Arbejdsforløb uden 11 timers sammenhængende hvile inden for de 24 timer, før forløbet slutter, pr. måned. Nedsat hviletid (8 til under 11 timer) er tilladt efter aftale højst {month_cap} gange om måneden og {year_cap} gange om året pr. person; tabellen tæller de personer, der er over lofterne.",
            "Stretches of work without 11 consecutive hours of rest in the 24 hours before they end, per month. Reduced rest (8 to under 11 hours) is allowed by agreement at most {month_cap} times a month and {year_cap} times a year per person; the table counts the persons above the caps.",
        ),
        "rest_short_note": (
            "Alle månedens {n} brud skyldes for kort tid mellem to vagter (fx en aftenvagt efterfulgt af en dagvagt).",
            "All the month's {n} breaches come from too little time between two shifts (e.g. an evening followed by a day shift).",
        ),
        "rest_long_note": (
            "{long} af månedens {n} brud skyldes arbejdsforløb på over 13 timer (fx dobbeltvagter eller rådighedsvagt på stedet efter en dagvagt); resten skyldes for kort tid mellem to vagter.",
            "{long} of the month's {n} breaches come from stretches of work over 13 hours (e.g. double shifts or on-call on site after a day shift); the rest from too little time between two shifts.",
        ),
        "sec.staffing": ("Bemanding og patientstrøm", "Staffing and patient flow"),
        "sec.staffing.lead": (
            "Ugens 7 × 24 timer de seneste {months} måneder: patienter ({measure}), personale på arbejde ({groups}) og forholdet mellem dem. Mismatch-indeks: {index} (grænse {limit}).",
            "The week's 7 × 24 hours over the last {months} months: patients ({measure}), staff at work ({groups}) and the ratio between them. Mismatch index: {index} (alert level {limit}).",
        ),
        "no_flow": (
            "Afdelingen har ingen data om patientstrømmen (tabellen patient_flow), så bemandingen kan ikke sammenlignes med efterspørgslen.",
            "The department has no patient-flow data (the patient_flow table), so staffing cannot be compared with demand.",
        ),
        "blocks_note": (
            "Største forskel: {under} har {under_pct} færre af ugens vagttimer end patienterne kalder på, {over} {over_pct} flere. I alt ligger ca. {hours} af ugens {total} vagttimer i andre timer end patienterne.",
            "Largest differences: {under} get {under_pct} fewer of the week's staff hours than the patients call for, {over} {over_pct} more. In all, about {hours} of the week's {total} staff hours lie in other hours than the patients.",
        ),
        "sec.trends": ("Udvikling", "Trends"),
        "sec.trends.lead": (
            "Overarbejde, vikarforbrug og vagtændringer med kort varsel (under {days} dage) måned for måned.",
            "Overtime, agency use and short-notice changes (under {days} days) month by month.",
        ),
        "sec.groups": ("Personalegrupper", "Staff groups"),
        "sec.groups.lead": (
            "Nøgletal pr. personalegruppe i {month}; sygefravær over de seneste 12 måneder.",
            "Figures per staff group in {month}; sick leave over the last 12 months.",
        ),
        "sec.steps": ("Forslag til næste skridt", "Suggested next steps"),
        "sec.steps.lead": (
            "Temaer med et gab på mindst {gap} eller nøgletal over grænsen, vigtigste først. Forslagene kommer fra udsagnsbanken og fra tallene.",
            "Themes with a gap of at least {gap} or figures above their alert level, most important first. The suggestions come from the statement bank and from the figures.",
        ),
        "no_steps": (
            "Ingen temaer kræver særlig opfølgning: gabene er små, og nøgletallene ligger inden for grænserne.",
            "No theme needs special follow-up: the gaps are small and the figures are within their alert levels.",
        ),
        "suppressed_unit": (
            "Afdelingen har færre end {n} personer i vagtplanen i måneden, så personbaserede tal vises ikke.",
            "The department has fewer than {n} persons in the roster in the month, so person-based figures are not shown.",
        ),
        # measures and blocks
        "measure.census": ("belægning", "census"),
        "measure.arrivals": ("ankomster", "arrivals"),
        "groups.all": ("alle personalegrupper", "all staff groups"),
        "block.False.night": ("hverdagsnætter", "weekday nights"),
        "block.False.day": ("hverdage i dagtiden", "weekday days"),
        "block.False.evening": ("hverdagsaftener", "weekday evenings"),
        "block.True.night": ("weekendnætter", "weekend nights"),
        "block.True.day": ("weekender i dagtiden", "weekend days"),
        "block.True.evening": ("weekendaftener", "weekend evenings"),
        # facts
        "fact.agency_pct": ("vikarandel af timerne", "agency share of hours"),
        "fact.agency_night_pct": ("vikarandel af nattevagter", "agency share of night shifts"),
        "fact.short_notice_pct": ("vagtændringer med kort varsel", "short-notice changes"),
        "fact.sick_pct_12m": ("sygefravær 12 mdr.", "sick leave 12 months"),
        "fact.rest_breach_pct": (
            "arbejdsforløb med hviletidsbrud",
            "stretches of work with a rest-time breach",
        ),
        "fact.persons_over_cap": (
            "personer over loftet for nedsat hviletid",
            "persons above the cap on reduced rest",
        ),
        "fact.overtime_pct": ("overarbejde af planlagte timer", "overtime of planned hours"),
        "fact.toil_per_fte": ("afspadsering pr. årsværk", "time off in lieu per FTE"),
        "fact.registration_pct": ("vagter med faktiske tider", "shifts with actual times"),
        "fact.mismatch_index": ("mismatch-indeks", "mismatch index"),
        "fact.alerts_elsewhere": (
            "antal problemer i de andre temaer",
            "number of problems in the other themes",
        ),
        "fact.limit": ("grænse {limit}", "alert level {limit}"),
        "fact.over_limit": ("over grænsen {limit}", "above the alert level {limit}"),
        "fact.under_limit": ("under grænsen {limit}", "below the alert level {limit}"),
        "fact.hours_unit": ("timer", "hours"),
        "fact.missing": ("ikke opgjort", "not available"),
        # verdicts
        "figures.one": ("1 nøgletal", "1 figure is"),
        "figures.many": ("{n} nøgletal", "{n} figures are"),
        "verdict.data_worse": (
            "I vurderer temaet til {current}, men {figures} ligger over grænsen: vurderingen er højere, end data viser.",
            "You rate the theme {current}, but {figures} above the alert level: the rating is higher than the data show.",
        ),
        "verdict.data_better": (
            "I vurderer temaet lavt ({current}), men ingen nøgletal ligger over grænsen: måske er I længere, end I selv mener.",
            "You rate the theme low ({current}), but no figure is above its alert level: you may be further than you think.",
        ),
        "verdict.agree_problem": (
            "Vurderingen ({current}) og data er enige om, at der er noget at arbejde med ({figures} over grænsen).",
            "The rating ({current}) and the data agree there is work to do ({figures} above the alert level).",
        ),
        "verdict.agree_ok": (
            "Vurderingen ({current}) og data peger samme vej: ingen nøgletal over grænsen.",
            "The rating ({current}) and the data point the same way: no figure above its alert level.",
        ),
        "verdict.no_rating": ("Ikke vurderet (ingen skemaer).", "Not rated (no forms)."),
        "verdict.no_data": (
            "Ingen data at holde vurderingen op imod.",
            "No data to hold the rating against.",
        ),
        # steps from the figures
        "step.agency_pct": (
            "Vikarer dækkede {value} af timerne: se på, hvilke vagter en intern pulje eller faste ekstravagter kan dække.",
            "Agency staff covered {value} of the hours: look at which shifts an internal pool or regular extra shifts could cover.",
        ),
        "step.agency_night_pct": (
            "Vikarer dækkede {value} af nattevagtstimerne: sikr kompetencemikset om natten med egne medarbejdere.",
            "Agency staff covered {value} of the night-shift hours: secure the night skill mix with own staff.",
        ),
        "step.short_notice_pct": (
            "{value} af vagterne blev ændret med under {days} dages varsel: find de hyppigste årsager (sygdom, vikarbestilling, aktivitet).",
            "{value} of the shifts were changed less than {days} days ahead: find the most frequent causes (sickness, agency booking, activity).",
        ),
        "step.sick_pct_12m": (
            "Sygefraværet er {value} de seneste 12 måneder: drøft sammenhængen med vagtmønstre og kvikskift.",
            "Sick leave is {value} over the last 12 months: discuss the link with shift patterns and quick returns.",
        ),
        "step.rest_breach_pct": (
            "{value} af arbejdsforløbene manglede 11 timers hvile ({long} af bruddene er forløb over 13 timer): ret vagtskabeloner med kvikskift og dobbeltvagter.",
            "{value} of the stretches of work lacked 11 hours' rest ({long} of the breaches are stretches over 13 hours): fix templates with quick returns and double shifts.",
        ),
        "step.persons_over_cap": (
            "{value} personer fik nedsat hviletid flere gange end loftet: planlæg deres vagter, så hvilen holdes.",
            "{value} persons had reduced rest more often than the cap allows: plan their shifts so the rest is kept.",
        ),
        "step.overtime_pct": (
            "Overarbejdet er {value} af de planlagte timer: se på vagtlængder, overlap ved vagtskifte og aktivitet sidst på vagten.",
            "Overtime is {value} of the planned hours: look at shift lengths, handover overlaps and activity late in the shift.",
        ),
        "step.toil_per_fte": (
            "Afspadseringssaldoen er {value} timer pr. årsværk: lav en plan for afvikling.",
            "The time-off-in-lieu balance is {value} hours per FTE: plan how it is taken.",
        ),
        "step.registration_pct": (
            "Kun {value} af vagterne har faktiske tider: uden dem undervurderes overarbejde og hviletidsbrud.",
            "Only {value} of the shifts have actual times: without them overtime and rest-time breaches are understated.",
        ),
        "step.mismatch_index": (
            "Flyt ca. {hours} vagttimer om ugen fra {over} til {under}, så bemandingen følger patienterne (mismatch-indeks {value}).",
            "Move about {hours} staff hours a week from {over} to {under}, so staffing follows the patients (mismatch index {value}).",
        ),
        "step.alerts_elsewhere": (
            "{value} nøgletal ligger over grænsen: gør dem til faste punkter på ledelsesmødet.",
            "{value} figures are above their alert level: make them fixed items at the management meeting.",
        ),
        "steps.why_gap": ("gab {gap}", "gap {gap}"),
        "steps.why_flag": ("nøgletal over grænsen", "figures above the alert level"),
        # columns
        "col.theme": ("Tema", "Theme"),
        "col.raters": ("Bedømmere", "Raters"),
        "col.current": ("Nuværende", "Current"),
        "col.desired": ("Ønsket", "Desired"),
        "col.gap": ("Gab", "Gap"),
        "col.spread": ("Spredning (nuværende)", "Spread (current)"),
        "col.rank": ("Prioritet", "Priority"),
        "col.statement": ("Udsagn", "Statement"),
        "col.statement_id": ("Nr.", "No."),
        "col.facts": ("Hvad data viser", "What the data show"),
        "col.verdict": ("Vurdering mod data", "Judgement against data"),
        "col.month": ("Måned", "Month"),
        "col.stretches": ("Forløb", "Stretches"),
        "col.breaches": ("Brud", "Breaches"),
        "col.under8": ("Hvile under 8 t", "Rest < 8 h"),
        "col.reduced": ("Hvile 8–11 t", "Rest 8–11 h"),
        "col.breach_pct": ("Andel med brud", "Share with a breach"),
        "col.long": ("Forløb over 13 t", "Stretches over 13 h"),
        "col.over_month": ("Over månedsloft", "Over monthly cap"),
        "col.over_year": ("Over årsloft", "Over yearly cap"),
        "col.persons": ("Personer", "Persons"),
        "col.shifts": ("Vagter", "Shifts"),
        "col.planned_h": ("Planlagte timer", "Planned hours"),
        "col.overtime_pct": ("Overarbejde", "Overtime"),
        "col.agency_pct": ("Vikarandel, timer", "Agency share, hours"),
        "col.agency_cost_pct": ("Vikarandel, kr.", "Agency share, DKK"),
        "col.agency_night_pct": ("Vikarer på nattevagter", "Agency on night shifts"),
        "col.short_notice_pct": ("Kort varsel", "Short notice"),
        "col.registered_pct": ("Faktiske tider", "Actual times"),
        "col.staff_group": ("Personalegruppe", "Staff group"),
        "col.toil_per_fte": ("Afspadsering pr. årsværk", "Time off in lieu per FTE"),
        "col.sick_pct": ("Sygefravær 12 mdr.", "Sick leave 12 months"),
        "col.weekday": ("Ugedag", "Weekday"),
        "col.hour": ("Time", "Hour"),
        "col.staff": ("Personale på arbejde", "Staff at work"),
        "col.demand": ("Patienter", "Patients"),
        "col.ratio": ("Personale pr. patient", "Staff per patient"),
        "col.why": ("Hvorfor", "Why"),
        "col.step": ("Forslag", "Suggestion"),
        # cards
        "card.gap": ("Største gab", "Largest gap"),
        "card.overtime": ("Overarbejde", "Overtime"),
        "card.agency": ("Vikarandel", "Agency share"),
        "card.short_notice": ("Kort varsel", "Short notice"),
        "card.rest": ("Hviletidsbrud", "Rest-time breaches"),
        "card.mismatch": ("Mismatch-indeks", "Mismatch index"),
        "card.of_planned": ("af planlagte timer", "of planned hours"),
        "card.of_hours": ("af timerne; {kr} af kr.", "of hours; {kr} of DKK"),
        "card.of_shifts": ("af vagterne, under {days} dage", "of shifts, under {days} days"),
        "card.under8": ("{n} under 8 timer", "{n} under 8 hours"),
        "card.limit": ("grænse {limit}", "alert level {limit}"),
        "card.no_forms": ("ingen skemaer", "no forms"),
        "card.no_data": ("ingen data", "no data"),
        "card.no_actual_times": ("ingen faktiske vagttider i måneden", "no actual shift times in the month"),
        "card.suppressed": ("skjult (under {n} personer)", "suppressed (under {n} persons)"),
        # headline
        "hl.gap": (
            "Det største gab mellem nuværende og ønsket niveau er i {theme} ({current} mod ønsket {desired}, {n} bedømmere).",
            "The largest gap between current and desired level is in {theme} ({current} against a desired {desired}, {n} raters).",
        ),
        "hl.no_forms": (
            "Afdelingen har ikke afleveret selvvurderingen endnu; rapporten viser derfor kun, hvad data siger.",
            "The department has not delivered its self-assessment yet, so the report shows only what the data say.",
        ),
        "hl.worse": (
            "{themes}: I vurderer jer højt, men tallene viser problemer ({facts}).",
            "{themes}: you rate yourselves high, but the figures show problems ({facts}).",
        ),
        "hl.rest": (
            "{n} arbejdsforløb i {month} havde ikke 11 timers hvile inden for 24 timer ({pct} af forløbene); {under} af dem havde under 8 timers hvile.",
            "{n} stretches of work in {month} lacked 11 hours' rest within 24 hours ({pct} of stretches); {under} of them had under 8 hours' rest.",
        ),
        "hl.rest_none": (
            "Ingen arbejdsforløb i {month} brød hviletidsreglen.",
            "No stretch of work in {month} broke the rest-time rule.",
        ),
        "hl.mismatch_high": (
            "Bemandingen følger ikke patientstrømmen: mismatch-indekset er {index} (grænse {limit}), svarende til ca. {hours} vagttimer om ugen i andre timer end patienterne.",
            "Staffing does not follow the patient flow: the mismatch index is {index} (alert level {limit}), about {hours} staff hours a week in other hours than the patients.",
        ),
        "hl.mismatch_ok": (
            "Bemandingen følger patientstrømmen rimeligt over ugen (mismatch-indeks {index}, grænse {limit}).",
            "Staffing follows the patient flow reasonably over the week (mismatch index {index}, alert level {limit}).",
        ),
        "hl.use": (
            "I {month} var overarbejdet {ot} af de planlagte timer, vikarer dækkede {ag} af timerne, og {sn} af vagterne blev ændret med under {days} dages varsel.",
            "In {month} overtime was {ot} of planned hours, agency staff covered {ag} of the hours, and {sn} of the shifts were changed less than {days} days ahead.",
        ),
        "hl.suppressed": (
            "Afdelingen har færre end {n} personer i vagtplanen, så personbaserede tal er skjult.",
            "The department has fewer than {n} persons in the roster, so person-based figures are suppressed.",
        ),
        # charts
        "fig.current": ("Nuværende status", "Current status"),
        "fig.desired": ("Ønsket potentiale", "Desired potential"),
        "fig.score": ("Gennemsnit (1–5)", "Mean (1–5)"),
        "fig.gap": ("Gab (ønsket − nuværende)", "Gap (desired − current)"),
        "fig.demand": ("Patienter ({measure}) pr. time", "Patients ({measure}) per hour"),
        "fig.staff": ("Personale på arbejde pr. time", "Staff at work per hour"),
        "fig.ratio": (
            "Personale pr. patient, forskel fra afdelingens gennemsnit",
            "Staff per patient, difference from the department's average",
        ),
        "fig.ratio_caption": (
            "Blå timer har færre personale pr. patient end afdelingens gennemsnit ({avg}), orange flere; farven går fra −100 % til +100 % (holder man musen over en time, vises forholdet).",
            "Blue hours have fewer staff per patient than the department's average ({avg}), orange more; the colour runs from −100% to +100% (hover over an hour to see the ratio).",
        ),
        "fig.pct": ("Procent", "Per cent"),
        "fig.overtime": ("Overarbejde, % af planlagte timer", "Overtime, % of planned hours"),
        "fig.agency": ("Vikarandel, % af timer", "Agency share, % of hours"),
        "fig.short_notice": ("Kort varsel, % af vagter", "Short notice, % of shifts"),
        "fig.under8": ("Hvile under 8 timer", "Rest under 8 hours"),
        "fig.reduced": ("Hvile 8 til under 11 timer", "Rest 8 to under 11 hours"),
        "fig.breaches": ("Arbejdsforløb med brud", "Stretches with a breach"),
        "fig.hour": ("Time på døgnet", "Hour of the day"),
        "day.0": ("man.", "Mon"),
        "day.1": ("tirs.", "Tue"),
        "day.2": ("ons.", "Wed"),
        "day.3": ("tors.", "Thu"),
        "day.4": ("fre.", "Fri"),
        "day.5": ("lør.", "Sat"),
        "day.6": ("søn.", "Sun"),
        # the explorer (JupyterLab only)
        "explorer.group": ("Personalegruppe", "Staff group"),
        "explorer.all": ("Alle (som i rapporten)", "All (as in the report)"),
        "explorer.too_small": (
            "{group} har færre end {n} personer i måneden: tallene vises ikke.",
            "{group} has fewer than {n} persons in the month: the figures are not shown.",
        ),
    }
)
