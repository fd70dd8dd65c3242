"""The texts of the management-information KPI report, in the namespace ``kpi``.

Code reads them as ``TEXTS("key", lang, **values)``; the full key is ``kpi.<key>``.
"""

from __future__ import annotations

from toolkit.core.formatting import Language
from toolkit.core.i18n import Texts

#: The KPI report's texts (namespace ``kpi``).
TEXTS = Texts("kpi")

TEXTS.register(
    {
        "title": ("Ledelsesinformation", "Management information"),
        "sec.activity": ("Aktivitet", "Activity"),
        "sec.activity.lead": (
            "Aktivitet pr. kerneaktivitet i måneden og år til dato, sammenlignet med planen og med samme periode sidste år.",
            "Volume per core activity in the month and year to date, against plan and the same period last year.",
        ),
        "sec.time": ("Tid", "Time"),
        "sec.time.lead": (
            "Tidstrappen viser, hvordan normtimerne i måneden bliver til tid på kerneopgaverne.",
            "The time staircase shows how the month's contracted hours become time on core activities.",
        ),
        "sec.productivity": ("Produktivitet og enhedsomkostninger", "Productivity and unit costs"),
        "sec.productivity.lead": (
            "Ydelser pr. arbejdstime og omkostning pr. ydelse pr. kerneaktivitet.",
            "Cases per hour worked and cost per case per core activity.",
        ),
        "sec.budget": ("Økonomi", "Finance"),
        "sec.budget.lead": (
            "Forbrug år til dato mod det periodiserede budget og prognose for året ({method}).",
            "Actual spending year to date against the periodised budget, and the year-end forecast ({method}).",
        ),
        "sec.hr": ("Sygefravær og overarbejde", "Sick leave and overtime"),
        "sec.hr.lead": (
            "Pr. personalegruppe de seneste 12 måneder (sygefravær i måneden for sig).",
            "Per staff group over the last 12 months (sick leave in the month shown separately).",
        ),
        "sec.goals": ("Mål", "Goals"),
        "sec.goals.lead": (
            "Mål og resultater i måneden. Grøn: målopfyldelse mindst {green} %, gul: mindst {amber} %.",
            "Targets and results in the month. Green: achievement at least {green}%, amber: at least {amber}%.",
        ),
        "sec.compare": (
            "Sammenligning med centrets afdelinger",
            "Comparison with the centre's departments",
        ),
        "sec.compare.lead": (
            "Nøgletal for afdelingerne i {centre}. Kun aggregerede nøgletal deles mellem afdelinger.",
            "Key ratios of the departments in {centre}. Only aggregated ratios are shared between departments.",
        ),
        "no_goals": (
            "Enheden har ingen mål registreret for måneden.",
            "The unit has no goals recorded for the month.",
        ),
        "explanation_needed": (
            "Afvigelser over væsentlighedsgrænsen ({kr} og {pct}) kræver en afvigelsesforklaring: {groups}.",
            "Deviations above the materiality limit ({kr} and {pct}) need an explanation: {groups}.",
        ),
        "explanation_missing": (
            "Forklaring mangler for: {groups}.",
            "An explanation is missing for: {groups}.",
        ),
        "col.explanation": ("Forklaring", "Explanation"),
        "no_explanation": ("(forklaring mangler)", "(explanation missing)"),
        "hours_title": ("Timer pr. aktivitet i måneden", "Hours per activity in the month"),
        "kind.core": ("Kerneaktivitet", "Core activity"),
        "kind.internal": ("Intern aktivitet", "Internal activity"),
        "unallocated_note": (
            "Omkostninger uden aktivitet, som ikke er løn (fx lokaler og udstyr), er ikke fordelt: {amount} i måneden.",
            "Costs without an activity other than salary (e.g. premises and equipment) are not allocated: {amount} in the month.",
        ),
        "coverage_note": (
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
        "col.cpc_month": ("Direkte kr. pr. ydelse", "Direct DKK per case"),
        "col.cpc_ytd": ("Direkte kr. pr. ydelse ÅTD", "Direct DKK per case YTD"),
        "absence_table.name": ("Fravær", "Absence"),
        "absence_table.title": (
            "Fravær som Danmarks Statistik opgør det",
            "Absence as Statistics Denmark counts it",
        ),
        "col.measure": ("Nøgletal", "Measure"),
        "col.in_month": ("I måneden", "In the month"),
        "col.last12": ("Seneste 12 mdr.", "Last 12 months"),
        "unit.pct": ("%", "%"),
        "unit.days": ("dage", "days"),
        "sick_sources_note": (
            "Sygefraværet i måneden og over 12 måneder er regnet af timeregistreringen med samme "
            "definition; et mål for sygefravær i afsnittet Mål viser den værdi, der er indberettet "
            "til målet, og kan derfor afvige. Overskriften og kortet bruger de 12 måneder.",
            "Sick leave in the month and over 12 months is computed from the time registration by the "
            "same definition; a sick-leave goal in the Goals section shows the value reported for the "
            "goal and may differ. The headline and the card use the 12 months.",
        ),
        "col.full_cpc_ytd": ("Fuld kr. pr. ydelse ÅTD", "Full DKK per case YTD"),
        "cost_table.title": ("Direkte og fuld omkostning pr. ydelse", "Direct and full cost per case"),
        "full_cost_note": (
            "Direkte omkostning pr. ydelse er afdelingens direkte bogførte omkostninger plus lønnen "
            "fordelt efter timer. Fuld omkostning pr. ydelse (år til dato) rummer også fællesomkostninger "
            "og er samme tal som i rapporten Enhedsomkostninger.",
            "Direct cost per case is the unit's directly booked costs plus salary allocated by hours. "
            "Full cost per case (year to date) also holds shared costs and is the same figure as in the "
            "Unit costs report.",
        ),
        "full_cost_pooled_note": (
            "Direkte omkostning pr. ydelse er afdelingernes direkte bogførte omkostninger plus lønnen "
            "fordelt efter timer. Fuld omkostning pr. ydelse (år til dato) rummer også fællesomkostninger: "
            "afdelingernes samlede fulde omkostning divideret med deres samlede antal ydelser, fra samme "
            "omkostningsfordeling som rapporten Enhedsomkostninger.",
            "Direct cost per case is the departments' directly booked costs plus salary allocated by "
            "hours. Full cost per case (year to date) also holds shared costs: the departments' total "
            "full cost divided by their total number of cases, from the same cost allocation as the "
            "Unit costs report.",
        ),
        "time.hidden": (
            "Tidstrappen (månedens normtimer, ferie, sygefravær og andet fravær for hele enheden) "
            "vises ikke: enhedens personbaserede tal er skjult (under {n} personer i måneden, eller "
            "skjult for at andre skjulte tal ikke kan regnes ud).",
            "The time staircase (the month's contracted hours, holidays, sick leave and other absence "
            "of the whole unit) is not shown: the unit's person-based figures are hidden (fewer than "
            "{n} persons in the month, or hidden so that other hidden figures cannot be worked out).",
        ),
        "full_cost_hidden_note": (
            "{mark} i kolonnen med fuld omkostning pr. ydelse: skjult som i rapporten "
            "Enhedsomkostninger, fordi tallet sammen med de viste tal ville afsløre lønnen for en "
            "personalegruppe under {n} personer.",
            "{mark} in the full cost per case column: hidden as in the Unit costs report, because "
            "together with the figures shown it would reveal the salaries of a staff group of "
            "fewer than {n} persons.",
        ),
        "full_cost_none_note": (
            "Direkte omkostning pr. ydelse er de direkte bogførte omkostninger plus lønnen fordelt "
            "efter timer; den fulde omkostning med fællesomkostninger står i rapporten "
            "Enhedsomkostninger, når omkostningsfordelingens tabeller findes.",
            "Direct cost per case is the directly booked costs plus salary allocated by hours; the "
            "full cost with shared costs is in the Unit costs report, when the cost allocation's "
            "tables exist.",
        ),
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
        "no_data.finance": (
            "Ingen data: finance-tabellen har ingen rækker for enheden i {year}, så forbrug, "
            "budget og prognose kan ikke vises (ingen data er ikke nul).",
            "No data: the finance table has no rows for the unit in {year}, so spending, "
            "budget and forecast cannot be shown (no data is not zero).",
        ),
        "no_data.hr": (
            "Ingen data: hr-tabellen har ingen rækker for enheden i {month}, så sygefravær, fravær og "
            "overarbejde kan ikke vises.",
            "No data: the hr table has no rows for the unit in {month}, so sick leave, absence and "
            "overtime cannot be shown.",
        ),
        "no_data.hours": (
            "Ingen data: hours-tabellen har ingen rækker for enheden i {month}, så tidstrappen og "
            "registreringsgraden kan ikke vises (ingen data er ikke nul).",
            "No data: the hours table has no rows for the unit in {month}, so the time staircase and "
            "the registration coverage cannot be shown (no data is not zero).",
        ),
        "no_data.cost_hours": (
            "Ingen data: der er ingen registrerede arbejdstimer i {month}, så lønnen kan ikke fordeles "
            "på aktiviteterne, og den direkte omkostning pr. ydelse mangler (ingen data er ikke nul).",
            "No data: there are no registered work hours in {month}, so the salary cannot be spread "
            "over the activities and the direct cost per case is missing (no data is not zero).",
        ),
        "no_data.cost": (
            "Ingen data: finance-tabellen har ingen rækker for {month}, så månedens omkostning pr. "
            "ydelse mangler (ingen data er ikke nul).",
            "No data: the finance table has no rows for {month}, so the month's cost per case is "
            "missing (no data is not zero).",
        ),
        "card.no_data": ("ingen data", "no data"),
        "card.missing.volume": ("ingen aktivitetsdata (volume) for {month}", "no volume data for {month}"),
        "card.missing.finance": ("ingen økonomidata (finance) i {year}", "no finance data in {year}"),
        "card.missing.hr": ("ingen HR-data (hr) for {month}", "no HR data for {month}"),
        "card.missing.goals": ("ingen målte mål for {month}", "no measured goals for {month}"),
        "card.missing.shifts": ("ingen faktiske vagttider for {month}", "no actual shift times for {month}"),
        "card.forecast_same": (
            "; prognosen for året er samme afvigelse (resten af budgettet lægges til)",
            "; the year-end forecast is the same deviation (the rest of the budget is added)",
        ),
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
        "hl.budget_no_data": (
            "Der er ingen økonomidata (finance) for enheden i {year}; forbrug og budget kan ikke vurderes.",
            "There are no finance data for the unit in {year}; spending and budget cannot be assessed.",
        ),
        "hl.budget_unexplained": (
            "{group} afviger {kr} ({pct}) fra det periodiserede budget år til dato uden den "
            "afvigelsesforklaring, væsentlighedsgrænsen kræver (i alt {total}).",
            "{group} deviates {kr} ({pct}) from the periodised budget year to date without the "
            "explanation the materiality limit requires (in total {total}).",
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

# The activity sheet, the relationships over time, the catalogue KPIs and the levels above a
# department (issue 10).
TEXTS.register(
    {
        "sec.sheet": ("Aktivitetsark", "Activity sheet"),
        "sec.sheet.lead": (
            "Aktivitet, timer, produktivitet, direkte omkostning pr. ydelse og mål samlet pr. kerneaktivitet, i måneden og år til dato. Tallene er de samme som i afsnittene nedenfor.",
            "Volume, hours, productivity, direct cost per case and goals together per core activity, in the month and year to date. The figures are those of the sections below.",
        ),
        "sheet.table": ("Aktivitetsark", "Activity sheet"),
        "sheet.part.volume": ("Aktivitet: måned og år til dato", "Volume: month and year to date"),
        "sheet.part.hours": ("Timer og produktivitet", "Hours and productivity"),
        "sheet.part.cost": ("Direkte omkostning pr. ydelse og mål", "Direct cost per case and goals"),
        "sheet.up": ("steget {pct}", "up {pct}"),
        "sheet.down": ("faldet {pct}", "down {pct}"),
        "sheet.flat": ("uændret", "unchanged"),
        "sheet.hl": (
            "{name}: aktiviteten er {volume} år til dato mod samme periode sidste år, mens timerne er {hours}.",
            "{name}: volume is {volume} year to date against the same period last year, while hours are {hours}.",
        ),
        "sheet.hl_cost": (
            ", og den direkte omkostning pr. ydelse er {cost}.",
            ", and the direct cost per case is {cost}.",
        ),
        "sheet.hl_together": (
            "Aktivitet og timer har fulgt hinanden for alle kerneaktiviteter år til dato (forskel under {limit} procentpoint mod sidste år).",
            "Volume and hours have moved together for every core activity year to date (less than {limit} percentage points apart against last year).",
        ),
        "sheet.col.hours": ("Timer i måneden", "Hours in the month"),
        "sheet.col.hours_change": ("Timer år til dato mod sidste år", "Hours YTD vs last year"),
        "sheet.col.productivity": ("Ydelser pr. time i måneden", "Cases per hour in the month"),
        "sheet.col.cpc": ("Direkte omkostning pr. ydelse, måned", "Direct cost per case, month"),
        "sheet.col.cpc_ytd": ("Direkte omkostning pr. ydelse, år til dato", "Direct cost per case, YTD"),
        "sheet.col.cpc_change": (
            "Direkte omkostning pr. ydelse mod sidste år",
            "Direct cost per case vs last year",
        ),
        "sheet.col.goals": ("Mål og status", "Goals and status"),
        "sheet.chart_title": ("Aktivitetsark pr. måned", "Activity sheet by month"),
        "sheet.panel.volume": ("Aktivitet og plan", "Volume and plan"),
        "sheet.panel.hours": ("Timer", "Hours"),
        "sheet.panel.productivity": ("Ydelser pr. time", "Cases per hour"),
        "sheet.panel.cpc": ("Direkte omkostning pr. ydelse (kr.)", "Direct cost per case (kr.)"),
        "sheet.trace.actual": ("Faktisk", "Actual"),
        "sheet.trace.planned": ("Plan", "Plan"),
        "sheet.explore_note": (
            "Vælg aktivitet i menuen øverst til venstre og periode med knapperne til højre; udskriften viser {name} over hele perioden.",
            "Choose the activity in the menu at the top left and the period with the buttons on the right; the printout shows {name} over the whole period.",
        ),
        "range.6": ("6 mdr.", "6 months"),
        "range.12": ("12 mdr.", "12 months"),
        "range.all": ("Alle", "All"),
        "sec.relations": ("Sammenhænge over tid", "Relationships over time"),
        "sec.relations.lead": (
            "Overarbejde og sygefravær holdt op mod målopfyldelse og produktivitet måned for måned, de seneste op til 24 måneder. Samvariation er ikke årsag og virkning.",
            "Overtime and sick leave set against goal achievement and productivity month by month, over up to the last 24 months. Co-movement is not cause and effect.",
        ),
        "rel.chart_title": (
            "Overarbejde og sygefravær mod mål og produktivitet",
            "Overtime and sick leave against goals and productivity",
        ),
        "rel.panel.hr": ("Overarbejde og sygefravær (%)", "Overtime and sick leave (%)"),
        "rel.panel.outcome": (
            "Målopfyldelse (% grønne mål) og produktivitetsindeks",
            "Goal achievement (% green goals) and productivity index",
        ),
        "rel.name.overtime_pct": ("overarbejdet", "overtime"),
        "rel.name.sick_pct": ("sygefraværet", "sick leave"),
        "rel.name.goals_green_pct": ("målopfyldelsen", "goal achievement"),
        "rel.name.productivity_index": ("produktiviteten", "productivity"),
        "rel.together": (
            "{a} og {b} gik op og ned sammen (r = {r}, {n} måneder)",
            "{a} and {b} rose and fell together (r = {r}, {n} months)",
        ),
        "rel.opposite": (
            "{a} var højere i måneder, hvor {b} var lavere (r = {r}, {n} måneder)",
            "{a} was higher in months when {b} was lower (r = {r}, {n} months)",
        ),
        "rel.sentence": ("Måned for måned: {parts}.", "Month by month: {parts}."),
        "rel.none": (
            "Over de seneste {n} måneder er der ingen klar sammenhæng mellem overarbejde eller sygefravær og målopfyldelse eller produktivitet (alle |r| under {r}).",
            "Over the last {n} months there is no clear relationship between overtime or sick leave and goal achievement or productivity (every |r| below {r}).",
        ),
        "rel.no_data": (
            "Ingen data: der er ingen måneder med tal for overarbejde og sygefravær at holde op mod "
            "målopfyldelse og produktivitet.",
            "No data: there are no months with figures for overtime and sick leave to set against "
            "goal achievement and productivity.",
        ),
        "rel.too_few": (
            "Der er kun {n} måneder med tal at holde op mod hinanden; en sammenhæng udtales først på {min} måneder.",
            "There are only {n} months of figures to set against each other; a relationship is stated only on {min} months.",
        ),
        "sec.catalogue": (
            "Nøgletal fra Økonomistyrelsens KPI-kataloger",
            "KPIs from the Danish Agency for Public Finance and Management's catalogues",
        ),
        "sec.catalogue.lead": (
            "Kernesættet fra økonomi- og HR-katalogerne, som datamodellen kan levere, og som ikke står i afsnittene ovenfor.",
            "The core set of the economy and HR catalogues that the data model can feed and that the sections above do not show.",
        ),
        "catalogue.table": ("KPI-katalog", "KPI catalogue"),
        "col.kpi": ("Nøgletal", "KPI"),
        "col.area": ("Område", "Area"),
        "col.value": ("Værdi", "Value"),
        "area.economy": ("Økonomi", "Economy"),
        "area.hr": ("HR", "HR"),
        "sec.compare.below": ("Enhederne side om side", "The units side by side"),
        "sec.compare.below.lead": (
            "Nøgletal for enhederne under {unit} og for {unit} selv (sidste række), beregnet af enhedernes egne rækker: summer lægges sammen, og forholdstal regnes igen af de summerede dele.",
            "Key ratios of the units below {unit} and of {unit} itself (last row), computed from the units' own rows: sums are added, and ratios are recomputed from the summed parts.",
        ),
    }
)


def title(lang: Language) -> str:
    """The report's title in ``lang``."""
    return TEXTS("title", lang)
