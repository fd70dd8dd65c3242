"""The texts of the need assessment (namespace ``need_assessment``), in Danish and English.

Both reports (the department's and the centre's) and the weight sliders use them:
``TEXTS("sec.ranking", lang)`` is the text ``need_assessment.sec.ranking``.
"""

from __future__ import annotations

from toolkit.core.i18n import Texts

TEXTS = Texts("need_assessment")

TEXTS.register(
    {
        "title": ("Afdækning af styringsbehov", "Need assessment"),
        "centre_title": ("Styringsbehov i centrets afdelinger", "Management needs across the centre"),
        # sections
        "sec.ranking": ("Styringsbehov pr. aktivitet", "Management need by activity"),
        "sec.ranking.lead": (
            "Aktiviteterne rangordnet efter samlet score (1–5): workshopvurderingen og enhedens egne data vægtet sammen. Stregen viser spredningen mellem bedømmerne.",
            "Activities ranked by total score (1–5): the workshop's judgement and the unit's own data weighted together. The line shows the spread between raters.",
        ),
        "sec.profile": (
            "Profil: kompleksitet, risiko og bevågenhed",
            "Profile: complexity, risk and attention",
        ),
        "sec.profile.lead": (
            "Aktiviteter øverst til højre er komplekse eller risikable og har stor bevågenhed; boblens størrelse er andelen af omkostningerne.",
            "Activities at the top right are complex or risky and get much attention; the bubble size is the share of cost.",
        ),
        "sec.heatmap": ("Scorer pr. kriterium", "Scores by criterion"),
        "sec.heatmap.lead": (
            "Alle kriterier på skalaen 1–5: de vurderede som bedømmernes gennemsnit, datakriterierne normaliseret.",
            "Every criterion on the 1–5 scale: the judged ones as the raters' mean, the data criteria normalised.",
        ),
        "sec.data": ("Hvad enhedens data viser", "What the unit's data show"),
        "sec.data.lead": (
            "Objektive indikatorer pr. aktivitet over de seneste {months} måneder (budgetafvigelse år til dato).",
            "Objective indicators per activity over the last {months} months (budget deviation year to date).",
        ),
        "sec.tools": ("Anbefalede styringsværktøjer", "Recommended management tools"),
        "sec.tools.lead": (
            "Værktøjer efter reglerne i parametrene, sammenholdt med de værktøjer, skemaerne angiver er i brug i dag.",
            "Tools by the rules in the parameters, against the tools the forms say are in use today.",
        ),
        "sec.registration": ("Registrering på aktiviteten", "Registration on the activity"),
        "sec.registration.lead": (
            "Findes aktiviteten i tids- og økonomidata (den fælles nøgle)? Aktiviteter med højt behov bør findes i begge.",
            "Does the activity exist in the time and finance data (the common key)? High-need activities should exist in both.",
        ),
        "sec.plan": ("Handlingsplan", "Action plan"),
        "sec.plan.lead": (
            "De vigtigste næste skridt, i rækkefølge efter styringsbehov.",
            "The most important next steps, in order of management need.",
        ),
        "sec.weights": ("Vægte og regler", "Weights and rules"),
        "sec.weights.lead": (
            "Vægtene og reglerne er parametre (need_assessment i parameterfilerne) og kan erstattes af institutionens egne.",
            "The weights and rules are parameters (need_assessment in the parameter files) and can be replaced by the institution's own.",
        ),
        "sec.centre_top": (
            "Største styringsbehov på tværs af afdelingerne",
            "Highest needs across the departments",
        ),
        "sec.centre_top.lead": (
            "De {n} aktiviteter med højest score i centrets afdelinger. Hver afdeling er vurderet med sine egne parametre.",
            "The {n} activities with the highest scores in the centre's departments. Each department is scored with its own parameters.",
        ),
        "sec.centre_map": ("Score pr. afdeling og aktivitet", "Score by department and activity"),
        "sec.centre_dept": ("Top {n} i hver afdeling", "Top {n} in each department"),
        "sec.centre_gaps": ("Manglende værktøjer i centret", "Missing tools across the centre"),
        "sec.centre_gaps.lead": (
            "Hvor mange aktiviteter med højt behov, der mangler hvert anbefalet værktøj.",
            "How many high-need activities lack each recommended tool.",
        ),
        # notes
        "no_forms": (
            "Enheden har endnu ingen udfyldte workshopskemaer; scoren bygger kun på data. Lav skemaet med: toolkit template need-assessment --unit {unit} --out skema.xlsx",
            "The unit has no filled-in workshop forms yet; the score rests on data only. Make the form with: toolkit template need-assessment --unit {unit} --out form.xlsx",
        ),
        "no_profile": (
            "Profilen kræver workshopscorer for kompleksitet, risiko og strategisk bevågenhed.",
            "The profile needs workshop scores for complexity, risk and strategic attention.",
        ),
        "no_budget": (
            "Der er intet aktivitetsbudget (tabellen activity_budget); budgetafvigelsen pr. aktivitet mangler, og dens vægt fordeles på de øvrige kriterier.",
            "There is no activity budget (table activity_budget); the budget deviation per activity is missing and its weight goes to the other criteria.",
        ),
        "unmatched": (
            "Ikke matchet på aktiviteten: {hours} af {hours_total} arbejdstimer ligger på aktiviteter uden omkostninger i økonomidata, og {kr} af {kr_total} direkte omkostninger ligger på aktiviteter uden timer.",
            "Not matched on the activity: {hours} of {hours_total} work hours are on activities without costs in the finance data, and {kr} of {kr_total} direct costs are on activities without hours.",
        ),
        "raters_note": (
            "{n} bedømmere. Navne vises ikke; spredningen er forskellen mellem højeste og laveste samlede score, når hver bedømmer regnes for sig.",
            "{n} raters. Names are not shown; the spread is the difference between the highest and lowest total score with each rater taken alone.",
        ),
        "no_actions": (
            "Ingen handlinger: værktøjer og registrering dækker behovet.",
            "No actions: tools and registration cover the need.",
        ),
        "centre_missing": (
            "Ikke med, fordi data ikke kunne valideres: {names}.",
            "Not included because their data failed validation: {names}.",
        ),
        "centre_no_forms": (
            "Uden workshopvurdering (kun data): {names}.",
            "Without a workshop assessment (data only): {names}.",
        ),
        "centre_none": (
            "Ingen afdelinger med data i perioden.",
            "No departments with data in the period.",
        ),
        "centre_no_gaps": (
            "Ingen aktiviteter med højt behov mangler anbefalede værktøjer.",
            "No high-need activity lacks a recommended tool.",
        ),
        # levels, kinds, sources
        "level.high": ("Højt", "High"),
        "level.medium": ("Middel", "Medium"),
        "level.low": ("Lavt", "Low"),
        "kind.judged": ("Vurderet (workshop)", "Judged (workshop)"),
        "kind.data": ("Data", "Data"),
        "src.hours": ("timer på aktiviteten", "hours on the activity"),
        "src.finance": ("omkostninger på aktiviteten", "costs on the activity"),
        "src.volume": ("aktivitetstal", "volume"),
        "src.goals": ("mål knyttet til aktiviteten", "goals linked to the activity"),
        "src.activity_budget": ("aktivitetsbudget", "activity budget"),
        "ind.cost_share": ("Andel af omkostninger", "Share of cost"),
        "ind.hours_share": ("Andel af timer", "Share of hours"),
        "ind.volatility": ("Udsving", "Volatility"),
        "ind.budget_deviation": ("Budgetafvigelse", "Budget deviation"),
        "ind.goal_shortfall": ("Manglende målopfyldelse", "Goal shortfall"),
        # columns
        "col.rank": ("Nr.", "No."),
        "col.activity": ("Aktivitet", "Activity"),
        "col.department": ("Afdeling", "Department"),
        "col.score": ("Score", "Score"),
        "col.level": ("Behov", "Need"),
        "col.judged": ("Vurderet", "Judged"),
        "col.data": ("Data", "Data"),
        "col.raters": ("Bedømmere", "Raters"),
        "col.spread": ("Spredning", "Spread"),
        "col.disagree": ("Størst uenighed", "Largest disagreement"),
        "col.cost_share": ("Andel af omk.", "Share of cost"),
        "col.hours_share": ("Andel af timer", "Share of hours"),
        "col.volume": ("Aktivitet", "Volume"),
        "col.volume_unit": ("Enhed", "Unit"),
        "col.volume_cv": ("Udsving aktivitet", "Volatility, volume"),
        "col.cost_cv": ("Udsving omk.", "Volatility, cost"),
        "col.budget_dev": ("Budgetafv. ÅTD", "Budget dev. YTD"),
        "col.goal_shortfall": ("Mangl. målopf.", "Goal shortfall"),
        "col.in_hours": ("Tid", "Time"),
        "col.in_finance": ("Økonomi", "Finance"),
        "col.in_volume": ("Aktivitetstal", "Volume"),
        "col.in_goals": ("Mål", "Goals"),
        "col.in_activity_budget": ("Aktivitetsbudget", "Activity budget"),
        "col.both": ("Tid og økonomi", "Time and finance"),
        "col.recommended": ("Anbefalet", "Recommended"),
        "col.in_use": ("I brug i dag", "In use today"),
        "col.gap": ("Mangler (gab)", "Missing (gap)"),
        "col.missing_data": ("Data at registrere", "Data to register"),
        "col.extra": ("I brug, ikke anbefalet", "In use, not recommended"),
        "col.step": ("Trin", "Step"),
        "col.action": ("Handling", "Action"),
        "col.criterion": ("Kriterium", "Criterion"),
        "col.kind": ("Type", "Kind"),
        "col.weight": ("Vægt", "Weight"),
        "col.weight_share": ("Andel af vægt", "Share of weight"),
        "col.full_at": ("Score 5 ved", "Score 5 at"),
        "col.rule": ("Regel", "Rule"),
        "col.when": ("Betingelser (skala 1–5)", "Conditions (1–5 scale)"),
        "col.tools": ("Værktøjer", "Tools"),
        "col.tool": ("Værktøj", "Tool"),
        "col.tool_data": ("Kræver data", "Needs data"),
        "col.count": ("Aktiviteter", "Activities"),
        "when_otherwise": (
            "når ingen anden regel anbefaler noget",
            "when no other rule recommends anything",
        ),
        "when_always": ("altid", "always"),
        # actions
        "act.introduce": ("Indfør {items} for {activity}.", "Introduce {items} for {activity}."),
        "act.register": ("Registrér {items} for {activity}.", "Register {items} for {activity}."),
        "act.discuss": (
            "Drøft {criterion} for {activity} igen: bedømmerne giver fra {low} til {high}.",
            "Discuss {criterion} for {activity} again: the raters give from {low} to {high}.",
        ),
        "act.simplify": (
            "Overvej at forenkle styringen af {activity} (lavt behov): {items} er i brug uden at være anbefalet.",
            "Consider lighter management of {activity} (low need): {items} is in use without being recommended.",
        ),
        # cards
        "card.activities": ("Aktiviteter", "Activities"),
        "card.high": ("Højt styringsbehov", "High management need"),
        "card.high_detail": ("score mindst {limit}", "score at least {limit}"),
        "card.top": ("Største behov", "Highest need"),
        "card.raters": ("Bedømmere", "Raters"),
        "card.raters_none": ("ingen workshop endnu", "no workshop yet"),
        "card.raters_detail": ("udfyldte skemaer", "filled-in forms"),
        "card.gap": ("Manglende værktøjer", "Missing tools"),
        "card.gap_detail": ("for aktiviteter med højt behov", "for high-need activities"),
        "card.registration": ("Mangler i tid eller økonomi", "Missing in time or finance"),
        "card.registration_detail": ("aktiviteter med højt behov", "high-need activities"),
        "card.departments": ("Afdelinger", "Departments"),
        "card.departments_detail": ("{n} med workshop", "{n} with a workshop"),
        # headline
        "hl.concentration": (
            "{count} {noun} står for {pct} af omkostningerne: {names}.",
            "{count} {noun} account for {pct} of the cost: {names}.",
        ),
        "hl.concentration_one": (
            "Én aktivitet står for {pct} af omkostningerne: {names}.",
            "One activity accounts for {pct} of the cost: {names}.",
        ),
        "hl.concentration_spread": (
            "Omkostningerne er spredt: de {count} største aktiviteter står for {pct}: {names}.",
            "The cost is spread out: the {count} largest activities account for {pct}: {names}.",
        ),
        "hl.top": (
            "Størst styringsbehov: {names}; {n} af {total} aktiviteter har højt behov (score mindst {limit}).",
            "Highest management need: {names}; {n} of {total} activities have a high need (score at least {limit}).",
        ),
        "hl.top_one": (
            "Størst styringsbehov: {names}; 1 af {total} aktiviteter har højt behov (score mindst {limit}).",
            "Highest management need: {names}; 1 of {total} activities has a high need (score at least {limit}).",
        ),
        "hl.top_none": (
            "Størst styringsbehov: {names}; ingen aktivitet når højt behov (score mindst {limit}).",
            "Highest management need: {names}; no activity reaches a high need (score at least {limit}).",
        ),
        "hl.gap": (
            "Aktiviteterne med højt behov mangler {n} anbefalede værktøjer i dag, oftest {tool}.",
            "The high-need activities lack {n} recommended tools today, most often {tool}.",
        ),
        "hl.gap_activity": (
            "{name} mangler {count} i dag: {tools}.",
            "{name} lacks {count} today: {tools}.",
        ),
        "hl.gap_activity_none": (
            "Alle anbefalede værktøjer for {name} er i brug.",
            "Every recommended tool for {name} is in use.",
        ),
        "hl.tools_one": ("ét anbefalet værktøj", "one recommended tool"),
        "hl.tools_n": ("{n} anbefalede værktøjer", "{n} recommended tools"),
        "hl.registration_top": (
            "{names} har størst behov, men findes ikke i {where}.",
            "{names} has the highest need but is missing from {where}.",
        ),
        "hl.registration_ok_top": (
            "{names} findes i både tids- og økonomidata.",
            "{names} exists in both time and finance data.",
        ),
        "hl.gap_one": (
            "Aktiviteterne med højt behov mangler ét anbefalet værktøj i dag: {tool}.",
            "The high-need activities lack one recommended tool today: {tool}.",
        ),
        "hl.gap_none": (
            "Alle anbefalede værktøjer for aktiviteterne med højt behov er i brug.",
            "Every recommended tool for the high-need activities is in use.",
        ),
        "hl.registration": (
            "{names} har højt behov, men findes ikke i {where}.",
            "{names} has a high need but is missing from {where}.",
        ),
        "hl.registration_ok": (
            "Alle aktiviteter med højt behov findes i både tids- og økonomidata.",
            "Every high-need activity exists in both time and finance data.",
        ),
        "hl.where_finance": (
            "økonomidata som egen kontering (dens omkostning er alene løn fordelt efter timer)",
            "the finance data as a booking of its own (its cost is only salary allocated by hours)",
        ),
        "hl.where_finance_none": (
            "økonomidata, som ingen rækker har på enhedens aktiviteter (ingen data)",
            "the finance data, which have no rows on the unit's activities (no data)",
        ),
        "hl.where_hours": ("tidsregistreringen", "the time registration"),
        "hl.where_both": (
            "tidsregistreringen og har ingen egen kontering i økonomidata",
            "the time registration and has no booking of its own in the finance data",
        ),
        "hl.disagree": (
            "Bedømmerne er mest uenige om {criterion} for {name} (fra {low} til {high}); drøft vurderingen igen.",
            "The raters disagree most on {criterion} for {name} (from {low} to {high}); discuss the assessment again.",
        ),
        "hl.no_forms": (
            "Der er ingen workshopvurdering endnu; scoren bygger kun på enhedens data.",
            "There is no workshop assessment yet; the score rests on the unit's data only.",
        ),
        "hl.centre_top": (
            "På tværs af {n} afdelinger har {high} aktiviteter højt styringsbehov; højest er {name} i {dept} ({score}).",
            "Across {n} departments, {high} activities have a high management need; the highest is {name} in {dept} ({score}).",
        ),
        "hl.centre_gap": (
            "Det værktøj, der oftest mangler for aktiviteter med højt behov, er {tool} ({n} aktiviteter).",
            "The tool most often missing for high-need activities is {tool} ({n} activities).",
        ),
        "hl.centre_registration": (
            "{n} aktiviteter med højt behov mangler i tids- eller økonomidata.",
            "{n} high-need activities are missing from the time or finance data.",
        ),
        "hl.centre_forms_all": (
            "Alle {total} afdelinger har holdt workshop.",
            "All {total} departments have held the workshop.",
        ),
        "hl.centre_forms": (
            "{n} af {total} afdelinger har holdt workshop; de øvrige er vurderet på data alene.",
            "{n} of {total} departments have held the workshop; the others are assessed on data alone.",
        ),
        "fig.score": ("Samlet score (1–5)", "Total score (1–5)"),
        "kpi.top3": (
            "Andel af omkostninger for de tre største aktiviteter",
            "Share of cost of the three largest activities",
        ),
        "fig.high": ("Højt behov", "High need"),
        "fig.medium": ("Middel", "Medium"),
        "fig.x_profile": ("Kompleksitet og risiko (gennemsnit, 1–5)", "Complexity and risk (mean, 1–5)"),
        "fig.y_profile": ("Strategisk bevågenhed (1–5)", "Strategic attention (1–5)"),
        "fig.size": ("Boblestørrelse: andel af omkostninger", "Bubble size: share of cost"),
        "fig.raters": ("Bedømmernes spænd", "Raters' range"),
        # the weight sliders (JupyterLab)
        "sliders.help": (
            "Flyt vægtene: aktiviteterne rangordnes straks igen (0 = kriteriet tæller ikke).",
            "Move the weights: the activities are re-ranked at once (0 = the criterion does not count).",
        ),
    }
)
