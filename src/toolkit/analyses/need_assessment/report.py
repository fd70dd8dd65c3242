"""Presentation of the need assessment: the department report and the centre roll-up.

The numbers come from :mod:`toolkit.needs` (computations) and :mod:`toolkit.needs_forms`
(the workshop forms); this module decides what the reports show and what the headline says.
``notebooks/need-assessment.ipynb`` (departments) and ``notebooks/need-assessment-centre.ipynb``
(centres) call these in reading order. The centre report sees its departments only through
the agreed aggregate ``need_assessment`` (each department's ranked activities with scores,
levels, gaps and registration), never through their raw data or forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from toolkit.analyses.need_assessment import compute as needs
from toolkit.analyses.need_assessment import forms as needs_forms
from toolkit.analyses.need_assessment.params import INDICATORS, NeedAssessmentParams
from toolkit.core.definitions import DEFINITIONS, Definition, define
from toolkit.core.errors import DataValidationError
from toolkit.core.formatting import Language, fmt_number, fmt_pct, join_words
from toolkit.core.i18n import register, t
from toolkit.data.aggregates import register_aggregate
from toolkit.data.hierarchy import descendants
from toolkit.data.params import Params
from toolkit.data.sources import DataSource
from toolkit.report import figures
from toolkit.report.blocks import Card, Column, TableView
from toolkit.report.context import ReportContext

register(
    {
        "na.title": ("Afdækning af styringsbehov", "Need assessment"),
        "na.centre_title": ("Styringsbehov i centrets afdelinger", "Management needs across the centre"),
        # sections
        "na.sec.ranking": ("Styringsbehov pr. aktivitet", "Management need by activity"),
        "na.sec.ranking.lead": (
            "Aktiviteterne rangordnet efter samlet score (1–5): workshopvurderingen og enhedens egne data vægtet sammen. Stregen viser spredningen mellem bedømmerne.",
            "Activities ranked by total score (1–5): the workshop's judgement and the unit's own data weighted together. The line shows the spread between raters.",
        ),
        "na.sec.profile": (
            "Profil: kompleksitet, risiko og bevågenhed",
            "Profile: complexity, risk and attention",
        ),
        "na.sec.profile.lead": (
            "Aktiviteter øverst til højre er komplekse eller risikable og har stor bevågenhed; boblens størrelse er andelen af omkostningerne.",
            "Activities at the top right are complex or risky and get much attention; the bubble size is the share of cost.",
        ),
        "na.sec.heatmap": ("Scorer pr. kriterium", "Scores by criterion"),
        "na.sec.heatmap.lead": (
            "Alle kriterier på skalaen 1–5: de vurderede som bedømmernes gennemsnit, datakriterierne normaliseret.",
            "Every criterion on the 1–5 scale: the judged ones as the raters' mean, the data criteria normalised.",
        ),
        "na.sec.data": ("Hvad enhedens data viser", "What the unit's data show"),
        "na.sec.data.lead": (
            "Objektive indikatorer pr. aktivitet over de seneste {months} måneder (budgetafvigelse år til dato).",
            "Objective indicators per activity over the last {months} months (budget deviation year to date).",
        ),
        "na.sec.tools": ("Anbefalede styringsværktøjer", "Recommended management tools"),
        "na.sec.tools.lead": (
            "Værktøjer efter reglerne i parametrene, sammenholdt med de værktøjer, skemaerne angiver er i brug i dag.",
            "Tools by the rules in the parameters, against the tools the forms say are in use today.",
        ),
        "na.sec.registration": ("Registrering på aktiviteten", "Registration on the activity"),
        "na.sec.registration.lead": (
            "Findes aktiviteten i tids- og økonomidata (den fælles nøgle)? Aktiviteter med højt behov bør findes i begge.",
            "Does the activity exist in the time and finance data (the common key)? High-need activities should exist in both.",
        ),
        "na.sec.plan": ("Handlingsplan", "Action plan"),
        "na.sec.plan.lead": (
            "De vigtigste næste skridt, i rækkefølge efter styringsbehov.",
            "The most important next steps, in order of management need.",
        ),
        "na.sec.weights": ("Vægte og regler", "Weights and rules"),
        "na.sec.weights.lead": (
            "Vægtene og reglerne er parametre (need_assessment i parameterfilerne) og kan erstattes af institutionens egne.",
            "The weights and rules are parameters (need_assessment in the parameter files) and can be replaced by the institution's own.",
        ),
        "na.sec.centre_top": (
            "Største styringsbehov på tværs af afdelingerne",
            "Highest needs across the departments",
        ),
        "na.sec.centre_top.lead": (
            "De {n} aktiviteter med højest score i centrets afdelinger. Hver afdeling er vurderet med sine egne parametre.",
            "The {n} activities with the highest scores in the centre's departments. Each department is scored with its own parameters.",
        ),
        "na.sec.centre_map": ("Score pr. afdeling og aktivitet", "Score by department and activity"),
        "na.sec.centre_dept": ("Top {n} i hver afdeling", "Top {n} in each department"),
        "na.sec.centre_gaps": ("Manglende værktøjer i centret", "Missing tools across the centre"),
        "na.sec.centre_gaps.lead": (
            "Hvor mange aktiviteter med højt behov, der mangler hvert anbefalet værktøj.",
            "How many high-need activities lack each recommended tool.",
        ),
        # notes
        "na.no_forms": (
            "Enheden har endnu ingen udfyldte workshopskemaer; scoren bygger kun på data. Lav skemaet med: toolkit template need-assessment --unit {unit} --out skema.xlsx",
            "The unit has no filled-in workshop forms yet; the score rests on data only. Make the form with: toolkit template need-assessment --unit {unit} --out form.xlsx",
        ),
        "na.no_profile": (
            "Profilen kræver workshopscorer for kompleksitet, risiko og strategisk bevågenhed.",
            "The profile needs workshop scores for complexity, risk and strategic attention.",
        ),
        "na.no_budget": (
            "Der er intet aktivitetsbudget (tabellen activity_budget); budgetafvigelsen pr. aktivitet mangler, og dens vægt fordeles på de øvrige kriterier.",
            "There is no activity budget (table activity_budget); the budget deviation per activity is missing and its weight goes to the other criteria.",
        ),
        "na.unmatched": (
            "Ikke matchet på aktiviteten: {hours} af {hours_total} arbejdstimer ligger på aktiviteter uden omkostninger i økonomidata, og {kr} af {kr_total} direkte omkostninger ligger på aktiviteter uden timer.",
            "Not matched on the activity: {hours} of {hours_total} work hours are on activities without costs in the finance data, and {kr} of {kr_total} direct costs are on activities without hours.",
        ),
        "na.raters_note": (
            "{n} bedømmere. Navne vises ikke; spredningen er forskellen mellem højeste og laveste samlede score, når hver bedømmer regnes for sig.",
            "{n} raters. Names are not shown; the spread is the difference between the highest and lowest total score with each rater taken alone.",
        ),
        "na.no_actions": (
            "Ingen handlinger: værktøjer og registrering dækker behovet.",
            "No actions: tools and registration cover the need.",
        ),
        "na.centre_missing": (
            "Ikke med, fordi data ikke kunne valideres: {names}.",
            "Not included because their data failed validation: {names}.",
        ),
        "na.centre_no_forms": (
            "Uden workshopvurdering (kun data): {names}.",
            "Without a workshop assessment (data only): {names}.",
        ),
        "na.centre_none": (
            "Ingen afdelinger med data i perioden.",
            "No departments with data in the period.",
        ),
        "na.centre_no_gaps": (
            "Ingen aktiviteter med højt behov mangler anbefalede værktøjer.",
            "No high-need activity lacks a recommended tool.",
        ),
        # levels, kinds, sources
        "na.level.high": ("Højt", "High"),
        "na.level.medium": ("Middel", "Medium"),
        "na.level.low": ("Lavt", "Low"),
        "na.kind.judged": ("Vurderet (workshop)", "Judged (workshop)"),
        "na.kind.data": ("Data", "Data"),
        "na.src.hours": ("timer på aktiviteten", "hours on the activity"),
        "na.src.finance": ("omkostninger på aktiviteten", "costs on the activity"),
        "na.src.volume": ("aktivitetstal", "volume"),
        "na.src.goals": ("mål knyttet til aktiviteten", "goals linked to the activity"),
        "na.src.activity_budget": ("aktivitetsbudget", "activity budget"),
        "na.ind.cost_share": ("Andel af omkostninger", "Share of cost"),
        "na.ind.hours_share": ("Andel af timer", "Share of hours"),
        "na.ind.volatility": ("Udsving", "Volatility"),
        "na.ind.budget_deviation": ("Budgetafvigelse", "Budget deviation"),
        "na.ind.goal_shortfall": ("Manglende målopfyldelse", "Goal shortfall"),
        # columns
        "na.col.rank": ("Nr.", "No."),
        "na.col.activity": ("Aktivitet", "Activity"),
        "na.col.department": ("Afdeling", "Department"),
        "na.col.score": ("Score", "Score"),
        "na.col.level": ("Behov", "Need"),
        "na.col.judged": ("Vurderet", "Judged"),
        "na.col.data": ("Data", "Data"),
        "na.col.raters": ("Bedømmere", "Raters"),
        "na.col.spread": ("Spredning", "Spread"),
        "na.col.disagree": ("Størst uenighed", "Largest disagreement"),
        "na.col.cost_share": ("Andel af omk.", "Share of cost"),
        "na.col.hours_share": ("Andel af timer", "Share of hours"),
        "na.col.volume": ("Aktivitet", "Volume"),
        "na.col.volume_unit": ("Enhed", "Unit"),
        "na.col.volume_cv": ("Udsving aktivitet", "Volatility, volume"),
        "na.col.cost_cv": ("Udsving omk.", "Volatility, cost"),
        "na.col.budget_dev": ("Budgetafv. ÅTD", "Budget dev. YTD"),
        "na.col.goal_shortfall": ("Mangl. målopf.", "Goal shortfall"),
        "na.col.in_hours": ("Tid", "Time"),
        "na.col.in_finance": ("Økonomi", "Finance"),
        "na.col.in_volume": ("Aktivitetstal", "Volume"),
        "na.col.in_goals": ("Mål", "Goals"),
        "na.col.in_activity_budget": ("Aktivitetsbudget", "Activity budget"),
        "na.col.both": ("Tid og økonomi", "Time and finance"),
        "na.col.recommended": ("Anbefalet", "Recommended"),
        "na.col.in_use": ("I brug i dag", "In use today"),
        "na.col.gap": ("Mangler (gab)", "Missing (gap)"),
        "na.col.missing_data": ("Data at registrere", "Data to register"),
        "na.col.extra": ("I brug, ikke anbefalet", "In use, not recommended"),
        "na.col.step": ("Trin", "Step"),
        "na.col.action": ("Handling", "Action"),
        "na.col.criterion": ("Kriterium", "Criterion"),
        "na.col.kind": ("Type", "Kind"),
        "na.col.weight": ("Vægt", "Weight"),
        "na.col.weight_share": ("Andel af vægt", "Share of weight"),
        "na.col.full_at": ("Score 5 ved", "Score 5 at"),
        "na.col.rule": ("Regel", "Rule"),
        "na.col.when": ("Betingelser (skala 1–5)", "Conditions (1–5 scale)"),
        "na.col.tools": ("Værktøjer", "Tools"),
        "na.col.tool": ("Værktøj", "Tool"),
        "na.col.tool_data": ("Kræver data", "Needs data"),
        "na.col.count": ("Aktiviteter", "Activities"),
        "na.when_otherwise": (
            "når ingen anden regel anbefaler noget",
            "when no other rule recommends anything",
        ),
        "na.when_always": ("altid", "always"),
        # actions
        "na.act.introduce": ("Indfør {items} for {activity}.", "Introduce {items} for {activity}."),
        "na.act.register": ("Registrér {items} for {activity}.", "Register {items} for {activity}."),
        "na.act.discuss": (
            "Drøft {criterion} for {activity} igen: bedømmerne giver fra {low} til {high}.",
            "Discuss {criterion} for {activity} again: the raters give from {low} to {high}.",
        ),
        "na.act.simplify": (
            "Overvej at forenkle styringen af {activity} (lavt behov): {items} er i brug uden at være anbefalet.",
            "Consider lighter management of {activity} (low need): {items} is in use without being recommended.",
        ),
        # cards
        "na.card.activities": ("Aktiviteter", "Activities"),
        "na.card.high": ("Højt styringsbehov", "High management need"),
        "na.card.high_detail": ("score mindst {limit}", "score at least {limit}"),
        "na.card.top": ("Største behov", "Highest need"),
        "na.card.raters": ("Bedømmere", "Raters"),
        "na.card.raters_none": ("ingen workshop endnu", "no workshop yet"),
        "na.card.raters_detail": ("udfyldte skemaer", "filled-in forms"),
        "na.card.gap": ("Manglende værktøjer", "Missing tools"),
        "na.card.gap_detail": ("for aktiviteter med højt behov", "for high-need activities"),
        "na.card.registration": ("Mangler i tid eller økonomi", "Missing in time or finance"),
        "na.card.registration_detail": ("aktiviteter med højt behov", "high-need activities"),
        "na.card.departments": ("Afdelinger", "Departments"),
        "na.card.departments_detail": ("{n} med workshop", "{n} with a workshop"),
        # headline
        "na.hl.concentration": (
            "{count} {noun} står for {pct} af omkostningerne: {names}.",
            "{count} {noun} account for {pct} of the cost: {names}.",
        ),
        "na.hl.concentration_one": (
            "Én aktivitet står for {pct} af omkostningerne: {names}.",
            "One activity accounts for {pct} of the cost: {names}.",
        ),
        "na.hl.concentration_spread": (
            "Omkostningerne er spredt: de {count} største aktiviteter står for {pct}: {names}.",
            "The cost is spread out: the {count} largest activities account for {pct}: {names}.",
        ),
        "na.hl.top": (
            "Størst styringsbehov: {names}; {n} af {total} aktiviteter har højt behov (score mindst {limit}).",
            "Highest management need: {names}; {n} of {total} activities have a high need (score at least {limit}).",
        ),
        "na.hl.top_one": (
            "Størst styringsbehov: {names}; 1 af {total} aktiviteter har højt behov (score mindst {limit}).",
            "Highest management need: {names}; 1 of {total} activities has a high need (score at least {limit}).",
        ),
        "na.hl.top_none": (
            "Størst styringsbehov: {names}; ingen aktivitet når højt behov (score mindst {limit}).",
            "Highest management need: {names}; no activity reaches a high need (score at least {limit}).",
        ),
        "na.hl.gap": (
            "Aktiviteterne med højt behov mangler {n} anbefalede værktøjer i dag, oftest {tool}.",
            "The high-need activities lack {n} recommended tools today, most often {tool}.",
        ),
        "na.hl.gap_activity": (
            "{name} mangler {count} i dag: {tools}.",
            "{name} lacks {count} today: {tools}.",
        ),
        "na.hl.gap_activity_none": (
            "Alle anbefalede værktøjer for {name} er i brug.",
            "Every recommended tool for {name} is in use.",
        ),
        "na.hl.tools_one": ("ét anbefalet værktøj", "one recommended tool"),
        "na.hl.tools_n": ("{n} anbefalede værktøjer", "{n} recommended tools"),
        "na.hl.registration_top": (
            "{names} har størst behov, men findes ikke i {where}.",
            "{names} has the highest need but is missing from {where}.",
        ),
        "na.hl.registration_ok_top": (
            "{names} findes i både tids- og økonomidata.",
            "{names} exists in both time and finance data.",
        ),
        "na.hl.gap_one": (
            "Aktiviteterne med højt behov mangler ét anbefalet værktøj i dag: {tool}.",
            "The high-need activities lack one recommended tool today: {tool}.",
        ),
        "na.hl.gap_none": (
            "Alle anbefalede værktøjer for aktiviteterne med højt behov er i brug.",
            "Every recommended tool for the high-need activities is in use.",
        ),
        "na.hl.registration": (
            "{names} har højt behov, men findes ikke i {where}.",
            "{names} has a high need but is missing from {where}.",
        ),
        "na.hl.registration_ok": (
            "Alle aktiviteter med højt behov findes i både tids- og økonomidata.",
            "Every high-need activity exists in both time and finance data.",
        ),
        "na.hl.where_finance": ("økonomidata", "the finance data"),
        "na.hl.where_hours": ("tidsregistreringen", "the time registration"),
        "na.hl.where_both": ("tids- og økonomidata", "the time and finance data"),
        "na.hl.disagree": (
            "Bedømmerne er mest uenige om {criterion} for {name} (fra {low} til {high}); drøft vurderingen igen.",
            "The raters disagree most on {criterion} for {name} (from {low} to {high}); discuss the assessment again.",
        ),
        "na.hl.no_forms": (
            "Der er ingen workshopvurdering endnu; scoren bygger kun på enhedens data.",
            "There is no workshop assessment yet; the score rests on the unit's data only.",
        ),
        "na.hl.centre_top": (
            "På tværs af {n} afdelinger har {high} aktiviteter højt styringsbehov; højest er {name} i {dept} ({score}).",
            "Across {n} departments, {high} activities have a high management need; the highest is {name} in {dept} ({score}).",
        ),
        "na.hl.centre_gap": (
            "Det værktøj, der oftest mangler for aktiviteter med højt behov, er {tool} ({n} aktiviteter).",
            "The tool most often missing for high-need activities is {tool} ({n} activities).",
        ),
        "na.hl.centre_registration": (
            "{n} aktiviteter med højt behov mangler i tids- eller økonomidata.",
            "{n} high-need activities are missing from the time or finance data.",
        ),
        "na.hl.centre_forms_all": (
            "Alle {total} afdelinger har holdt workshop.",
            "All {total} departments have held the workshop.",
        ),
        "na.hl.centre_forms": (
            "{n} af {total} afdelinger har holdt workshop; de øvrige er vurderet på data alene.",
            "{n} of {total} departments have held the workshop; the others are assessed on data alone.",
        ),
        "na.fig.score": ("Samlet score (1–5)", "Total score (1–5)"),
        "na.kpi.top3": (
            "Andel af omkostninger for de tre største aktiviteter",
            "Share of cost of the three largest activities",
        ),
        "na.fig.high": ("Højt behov", "High need"),
        "na.fig.medium": ("Middel", "Medium"),
        "na.fig.x_profile": ("Kompleksitet og risiko (gennemsnit, 1–5)", "Complexity and risk (mean, 1–5)"),
        "na.fig.y_profile": ("Strategisk bevågenhed (1–5)", "Strategic attention (1–5)"),
        "na.fig.size": ("Boblestørrelse: andel af omkostninger", "Bubble size: share of cost"),
        "na.fig.raters": ("Bedømmernes spænd", "Raters' range"),
    }
)

NUMBER_WORDS = {
    "da": {2: ("To", "aktiviteter"), 3: ("Tre", "aktiviteter")},
    "en": {2: ("Two", "activities"), 3: ("Three", "activities")},
}
LEVEL_COLORS = {
    "high": figures.COLORS["highlight"],
    "medium": figures.COLORS["primary"],
    "low": figures.COLORS["tertiary"],
}
CONCENTRATION_PCT = 70.0
PROFILE_X = ("complexity", "risk")
PROFILE_Y = "strategic"
AGGREGATE = "need_assessment"

ROLLUP = Definition(
    "need_rollup",
    "Centrets styringsbehov",
    "The centre's management needs",
    "For hver afdeling i centret deles kun det aftalte aggregat: afdelingens aktiviteter med "
    "samlet score, rang, behovsniveau, spredning, antal bedømmere, andel af omkostninger, "
    "manglende værktøjer og om aktiviteten findes i tids- og økonomidata. Hver afdeling er "
    "scoret med sine egne parametre. Skemaer og bedømmere deles aldrig.",
    "For each department in the centre only the agreed aggregate is shared: the department's "
    "activities with total score, rank, need level, spread, number of raters, share of cost, "
    "missing tools and whether the activity exists in time and finance data. Each department "
    "is scored with its own parameters. Forms and raters are never shared.",
)


# --------------------------------------------------------------------------- compute


@dataclass(frozen=True)
class NeedResults:
    """Everything the department report shows, computed once."""

    unit_id: str
    params: NeedAssessmentParams
    activities: pd.DataFrame  # the unit's activities with presence flags
    indicators: pd.DataFrame
    data_scores: pd.DataFrame
    rater_scores: pd.DataFrame
    forms: needs_forms.NeedForms
    scores: needs.NeedScores
    levels: pd.Series  # activity_id → high/medium/low
    plan: needs.ToolPlan
    actions: pd.DataFrame
    concentration: pd.DataFrame
    unmatched: dict[str, float]
    has_budget: bool

    @property
    def names(self) -> pd.Series:
        """activity_id → name."""
        return self.activities.set_index("activity_id")["name"]

    @property
    def ranked(self) -> pd.DataFrame:
        """The score table in rank order with names, levels, presence and cost share."""
        df = self.scores.table.merge(self.activities, on="activity_id", how="left")
        df = df.merge(self.indicators[["activity_id", "cost_share_pct", "hours_share_pct"]], on="activity_id")
        df["level"] = df["activity_id"].map(self.levels)
        return df

    @property
    def high(self) -> list[str]:
        """Activity ids with a high need, in rank order."""
        return [a for a in self.scores.table["activity_id"] if self.levels.get(a) == "high"]


def assess(source: DataSource, unit_id: str, period: str, params: NeedAssessmentParams) -> NeedResults:
    """Compute the need assessment of one department (its data and its filled-in forms).

    Raises
    ------
    DataValidationError
        If a form is wrong (naming file, sheet and cell) or does not match the parameters.
    """
    inp = needs.load(source, unit_id, period, params.months)
    catalogue = set(inp.activities["activity_id"])
    forms = needs_forms.read_unit_forms(source.original_folder, unit_id, catalogue)
    needs_forms.check_against_params(forms, params, unit_id)
    return assess_input(inp, forms, params)


def assess_input(
    inp: needs.NeedInput,
    forms: needs_forms.NeedForms,
    params: NeedAssessmentParams,
) -> NeedResults:
    """The need assessment from a unit's tables and forms (pure)."""
    activities = needs.unit_activities(inp, extra=forms.activity_ids)
    indicators = needs.activity_indicators(inp, activities)
    data_scores = needs.normalise_indicators(indicators, params.indicators)
    rater_scores = needs.judged_scores(forms.scores, params.criteria)
    in_use = needs.tools_in_use(forms.marks, activities["activity_id"], list(params.tools))
    scores, levels, plan, actions = _rank_and_plan(
        params, activities, data_scores, rater_scores, in_use, params.weights()
    )
    return NeedResults(
        unit_id=inp.unit_id,
        params=params,
        activities=activities,
        indicators=indicators,
        data_scores=data_scores,
        rater_scores=rater_scores,
        forms=forms,
        scores=scores,
        levels=levels,
        plan=plan,
        actions=actions,
        concentration=needs.cost_concentration(indicators, share=CONCENTRATION_PCT),
        unmatched=needs.unmatched(activities, indicators, inp),
        has_budget=bool(inp.activity_budget is not None and indicators["budget_ytd"].notna().any()),
    )


def _rank_and_plan(
    params: NeedAssessmentParams,
    activities: pd.DataFrame,
    data_scores: pd.DataFrame,
    rater_scores: pd.DataFrame,
    in_use: pd.DataFrame,
    weights: Mapping[str, float],
) -> tuple[needs.NeedScores, pd.Series, needs.ToolPlan, pd.DataFrame]:
    """Scores, need levels, tools and actions for the given weights."""
    scores = needs.score_activities(activities["activity_id"], data_scores, rater_scores, weights)
    levels = needs.need_level(
        scores.table.set_index("activity_id")["score"], high=params.high_need, medium=params.medium_need
    )
    plan = needs.recommend_tools(scores.matrix, params.rules, params.tools, in_use, activities)
    actions = needs.action_plan(
        scores.table,
        levels,
        plan,
        activities,
        scores.criterion_range,
        disagreement=params.disagreement,
        light_tools=[k for k, tool in params.tools.items() if tool.light],
    )
    return scores, levels, plan, actions


def compute(ctx: ReportContext) -> NeedResults:
    """The need assessment of ``ctx.unit`` for ``ctx.period`` with the unit's parameters."""
    return assess(ctx.source, ctx.unit.unit_id, ctx.period, ctx.params.need_assessment)


def rerank(res: NeedResults, weights: Mapping[str, float]) -> NeedResults:
    """The same assessment with other weights (what the sliders in JupyterLab do)."""
    scores, levels, plan, actions = _rank_and_plan(
        res.params, res.activities, res.data_scores, res.rater_scores, res.plan.in_use, weights
    )
    return NeedResults(
        **{**res.__dict__, "scores": scores, "levels": levels, "plan": plan, "actions": actions}
    )


# --------------------------------------------------------------------------- labels


def key_label(key: str, params: NeedAssessmentParams, lang: Language) -> str:
    """The display name of a criterion or indicator key."""
    if key in params.criteria:
        return params.criteria[key].name(lang)
    if key in INDICATORS:
        return t(f"na.ind.{key}", lang)
    return key


def tool_names(keys: list[str] | tuple[str, ...], params: NeedAssessmentParams, lang: Language) -> list[str]:
    """Display names of tool keys (a key the parameters do not know is shown as is)."""
    return [params.tools[k].name(lang) if k in params.tools else k for k in keys]


def source_names(keys: list[str] | tuple[str, ...], lang: Language) -> list[str]:
    """Display names of data sources."""
    return [t(f"na.src.{k}", lang) for k in keys]


def _row_items(frame: pd.DataFrame) -> pd.Series:
    """Each row's True columns as a tuple of column names."""
    cols = np.array(frame.columns)
    return pd.Series([tuple(cols[row]) for row in frame.to_numpy(dtype=bool)], index=frame.index)


def decap(name: str) -> str:
    """A name inside a sentence: first letter lower case, unless the word is an acronym (KPI)."""
    first = name.split(" ", 1)[0]
    return name if len(first) > 1 and first[1].isupper() else name[:1].lower() + name[1:]


def _join(items: tuple[str, ...] | list[str], lang: Language) -> str | None:
    """A list for a table cell: comma-separated, or None (shown as –) when empty."""
    return ", ".join(items) if items else None


def disagreements(res: NeedResults) -> pd.DataFrame:
    """(activity, criterion) pairs whose raters are ``disagreement`` points apart or more.

    ``activity_id``, ``key``, ``low``, ``high`` and ``range``, widest first (ties in rank order).
    """
    bounds = (
        res.rater_scores.groupby(["activity_id", "key"])["score"].agg(low="min", high="max").reset_index()
    )
    bounds["range"] = bounds["high"] - bounds["low"]
    wide = bounds[bounds["range"] >= res.params.disagreement]
    rank = res.scores.table.set_index("activity_id")["rank"]
    wide = wide.assign(rank=wide["activity_id"].map(rank))
    return wide.sort_values(
        ["range", "rank", "key"], ascending=[False, True, True], kind="stable"
    ).reset_index(drop=True)


# --------------------------------------------------------------------------- headline and cards


def headline(res: NeedResults, lang: Language) -> list[str]:
    """3–5 plain sentences generated from the numbers, the most important first."""
    p = res.params
    names = res.names
    out = []
    conc = res.concentration
    if len(conc):
        count = len(conc)
        pct = fmt_pct(float(conc["cumulative_pct"].iloc[-1]), 0, lang)
        listed = join_words([names[a] for a in conc["activity_id"]], lang)
        if float(conc["cumulative_pct"].iloc[-1]) >= CONCENTRATION_PCT - 1e-9:
            if count == 1:
                out.append(t("na.hl.concentration_one", lang, pct=pct, names=listed))
            else:
                word, noun = NUMBER_WORDS[lang][count]
                out.append(t("na.hl.concentration", lang, count=word, noun=noun, pct=pct, names=listed))
        else:
            out.append(t("na.hl.concentration_spread", lang, count=count, pct=pct, names=listed))
    ranked = res.ranked.dropna(subset=["score"])
    if len(ranked):
        top = ranked.head(2)
        listed = join_words([f"{r.name} ({fmt_number(r.score, 1, lang)})" for r in top.itertuples()], lang)
        n_high = len(res.high)
        limit = fmt_number(p.high_need, 1, lang)
        key = "na.hl.top" if n_high > 1 else ("na.hl.top_one" if n_high else "na.hl.top_none")
        out.append(t(key, lang, names=listed, n=n_high, total=len(ranked), limit=limit))
    # The high-need activities, or (if none) the activity with the highest score.
    focus = res.high or list(ranked["activity_id"].head(1))
    is_high = bool(res.high)
    if focus:
        gap = res.plan.gap.loc[focus]
        n_gap = int(gap.to_numpy().sum())
        if len(focus) == 1:
            name = names[focus[0]]
            missing_tools = [
                decap(n) for n in tool_names(list(gap.columns[gap.iloc[0].to_numpy(dtype=bool)]), p, lang)
            ]
            if n_gap:
                count = t("na.hl.tools_one", lang) if n_gap == 1 else t("na.hl.tools_n", lang, n=n_gap)
                out.append(
                    t(
                        "na.hl.gap_activity",
                        lang,
                        name=name,
                        count=count,
                        tools=join_words(missing_tools, lang),
                    )
                )
            else:
                out.append(t("na.hl.gap_activity_none", lang, name=name))
        elif n_gap:
            most = gap.sum().sort_values(ascending=False, kind="stable").index[0]
            key = "na.hl.gap_one" if n_gap == 1 else "na.hl.gap"
            out.append(t(key, lang, n=n_gap, tool=decap(tool_names([most], p, lang)[0])))
        else:
            out.append(t("na.hl.gap_none", lang))
        pres = res.activities.set_index("activity_id").loc[focus]
        no_fin = [a for a in focus if not pres.loc[a, "in_finance"]]
        no_hours = [a for a in focus if not pres.loc[a, "in_hours"]]
        missing = [a for a in focus if a in no_fin or a in no_hours]
        if missing:
            where = (
                "na.hl.where_both"
                if no_fin and no_hours
                else ("na.hl.where_finance" if no_fin else "na.hl.where_hours")
            )
            key = "na.hl.registration" if is_high else "na.hl.registration_top"
            out.append(
                t(key, lang, names=join_words([names[a] for a in missing], lang), where=t(where, lang))
            )
        elif is_high:
            out.append(t("na.hl.registration_ok", lang))
        else:
            out.append(t("na.hl.registration_ok_top", lang, names=names[focus[0]]))
    if not res.forms.n_raters:
        out.insert(1, t("na.hl.no_forms", lang))
    else:
        widest = disagreements(res)
        if len(widest):
            top = widest.iloc[0]
            out.append(
                t(
                    "na.hl.disagree",
                    lang,
                    criterion=decap(key_label(top["key"], p, lang)),
                    name=names[top["activity_id"]],
                    low=fmt_number(top["low"], 0, lang),
                    high=fmt_number(top["high"], 0, lang),
                )
            )
    return out[:5]


def cards(res: NeedResults, lang: Language) -> list[Card]:
    """The boxes under the headline."""
    p = res.params
    ranked = res.ranked.dropna(subset=["score"])
    high = res.high
    gap = int(res.plan.gap.loc[high].to_numpy().sum()) if high else 0
    pres = res.activities.set_index("activity_id")
    missing = sum(1 for a in high if not (pres.loc[a, "in_finance"] and pres.loc[a, "in_hours"]))
    top = ranked.iloc[0] if len(ranked) else None
    return [
        Card(t("na.card.activities", lang), fmt_number(len(res.activities), 0, lang)),
        Card(
            t("na.card.high", lang),
            fmt_number(len(high), 0, lang),
            t("na.card.high_detail", lang, limit=fmt_number(p.high_need, 1, lang)),
            "amber" if high else "green",
        ),
        Card(
            t("na.card.top", lang),
            fmt_number(top["score"], 1, lang) if top is not None else "–",
            str(top["name"]) if top is not None else None,
        ),
        Card(
            t("na.card.raters", lang),
            fmt_number(res.forms.n_raters, 0, lang),
            t("na.card.raters_detail" if res.forms.n_raters else "na.card.raters_none", lang),
            "neutral" if res.forms.n_raters else "amber",
        ),
        Card(
            t("na.card.gap", lang),
            fmt_number(gap, 0, lang),
            t("na.card.gap_detail", lang),
            "red" if gap >= 3 else ("amber" if gap else "green"),
        ),
        Card(
            t("na.card.registration", lang),
            fmt_number(missing, 0, lang),
            t("na.card.registration_detail", lang),
            "red" if missing else "green",
        ),
    ]


def record_kpis(report: object, res: NeedResults, lang: Language) -> None:
    """The headline values for the JSON file beside the report."""
    from toolkit.report.blocks import Report

    assert isinstance(report, Report)
    ranked = res.ranked.dropna(subset=["score"])
    high = res.high
    pres = res.activities.set_index("activity_id")
    report.kpi("activities", t("na.card.activities", lang), float(len(res.activities)), "count")
    report.kpi("high_need_activities", t("na.card.high", lang), float(len(high)), "count")
    report.kpi(
        "top_score",
        t("na.card.top", lang),
        float(ranked["score"].iloc[0]) if len(ranked) else None,
        "score 1-5",
    )
    report.kpi("raters", t("na.card.raters", lang), float(res.forms.n_raters), "count")
    report.kpi(
        "missing_tools_high_need",
        t("na.card.gap", lang),
        float(res.plan.gap.loc[high].to_numpy().sum()) if high else 0.0,
        "count",
    )
    report.kpi(
        "high_need_missing_registration",
        t("na.card.registration", lang),
        float(sum(1 for a in high if not (pres.loc[a, "in_finance"] and pres.loc[a, "in_hours"]))),
        "count",
    )
    report.kpi(
        "top3_cost_share_pct",
        t("na.kpi.top3", lang),
        float(res.indicators["cost_share_pct"].nlargest(3).sum()) if len(res.indicators) else None,
        "%",
    )


# --------------------------------------------------------------------------- tables


def ranking_table(res: NeedResults, lang: Language) -> TableView:
    """Activities by total score, with the judged and data parts and the raters' spread."""
    df = res.ranked.copy()
    df["level_label"] = df["level"].map(lambda v: t(f"na.level.{v}", lang))
    widest = disagreements(res).drop_duplicates("activity_id").set_index("activity_id")
    df["disagree"] = df["activity_id"].map(
        lambda a: (
            f"{key_label(widest.loc[a, 'key'], res.params, lang)} "
            f"({fmt_number(widest.loc[a, 'low'], 0, lang)}–{fmt_number(widest.loc[a, 'high'], 0, lang)})"
            if a in widest.index
            else None
        )
    )
    return TableView(
        "Styringsbehov" if lang == "da" else "Management need",
        df,
        [
            Column("rank", t("na.col.rank", lang), "int"),
            Column("name", t("na.col.activity", lang)),
            Column("score", t("na.col.score", lang), "number", decimals=1),
            Column("level_label", t("na.col.level", lang)),
            Column("judged_score", t("na.col.judged", lang), "number", decimals=1),
            Column("data_score", t("na.col.data", lang), "number", decimals=1),
            Column("n_raters", t("na.col.raters", lang), "int"),
            Column("spread", t("na.col.spread", lang), "number", decimals=1),
            Column("disagree", t("na.col.disagree", lang)),
        ],
    )


def indicators_table(res: NeedResults, lang: Language) -> TableView:
    """The objective indicators per activity, in rank order."""
    order = res.scores.table[["activity_id", "rank"]]
    df = order.merge(res.indicators, on="activity_id").merge(res.activities, on="activity_id")
    return TableView(
        "Data pr. aktivitet" if lang == "da" else "Data per activity",
        df,
        [
            Column("name", t("na.col.activity", lang)),
            Column("cost_share_pct", t("na.col.cost_share", lang), "pct"),
            Column("hours_share_pct", t("na.col.hours_share", lang), "pct"),
            Column("volume", t("na.col.volume", lang), "int"),
            Column("volume_unit", t("na.col.volume_unit", lang)),
            Column("volume_cv_pct", t("na.col.volume_cv", lang), "pct"),
            Column("cost_cv_pct", t("na.col.cost_cv", lang), "pct"),
            Column("budget_deviation_pct", t("na.col.budget_dev", lang), "pct", signed=True),
            Column("goal_shortfall_pct", t("na.col.goal_shortfall", lang), "pct"),
        ],
    )


def recommendations_table(res: NeedResults, lang: Language) -> TableView:
    """Recommended tools against the tools in use today, the gap and the data to register."""
    p = res.params
    df = res.ranked[["activity_id", "rank", "name", "level"]].copy()
    df["level_label"] = df["level"].map(lambda v: t(f"na.level.{v}", lang))
    for col, frame in (
        ("recommended", res.plan.recommended),
        ("in_use", res.plan.in_use),
        ("gap", res.plan.gap),
        ("extra", res.plan.extra),
    ):
        items = _row_items(frame)
        df[col] = df["activity_id"].map(
            lambda a, items=items: _join(tool_names(items.get(a, ()), p, lang), lang)
        )
    missing = _row_items(res.plan.missing_data)
    df["missing_data"] = df["activity_id"].map(lambda a: _join(source_names(missing.get(a, ()), lang), lang))
    return TableView(
        "Værktøjer" if lang == "da" else "Tools",
        df,
        [
            Column("name", t("na.col.activity", lang)),
            Column("level_label", t("na.col.level", lang)),
            Column("recommended", t("na.col.recommended", lang)),
            Column("in_use", t("na.col.in_use", lang)),
            Column("gap", t("na.col.gap", lang)),
            Column("missing_data", t("na.col.missing_data", lang)),
            Column("extra", t("na.col.extra", lang)),
        ],
    )


def registration_table(res: NeedResults, lang: Language) -> TableView:
    """Where each activity is registered; high-need activities first."""
    df = res.ranked.copy()
    df["level_label"] = df["level"].map(lambda v: t(f"na.level.{v}", lang))
    df["both"] = df["in_hours"] & df["in_finance"]
    return TableView(
        "Registrering" if lang == "da" else "Registration",
        df,
        [
            Column("name", t("na.col.activity", lang)),
            Column("level_label", t("na.col.level", lang)),
            Column("in_hours", t("na.col.in_hours", lang), "bool"),
            Column("in_finance", t("na.col.in_finance", lang), "bool"),
            Column("both", t("na.col.both", lang), "bool"),
            Column("in_volume", t("na.col.in_volume", lang), "bool"),
            Column("in_goals", t("na.col.in_goals", lang), "bool"),
            Column("in_activity_budget", t("na.col.in_activity_budget", lang), "bool"),
        ],
    )


def unmatched_note(res: NeedResults, lang: Language) -> str:
    """Hours and costs that do not meet on the activity."""
    from toolkit.core.formatting import fmt_kr

    u = res.unmatched
    return t(
        "na.unmatched",
        lang,
        hours=fmt_number(u["hours_without_finance"], 0, lang),
        hours_total=fmt_number(u["hours_total"], 0, lang),
        kr=fmt_kr(u["direct_without_hours"], lang),
        kr_total=fmt_kr(u["direct_total"], lang),
    )


def action_texts(res: NeedResults, lang: Language) -> list[str]:
    """The action plan as sentences, in order."""
    p = res.params
    names = res.names
    bounds = res.rater_scores.groupby(["activity_id", "key"])["score"].agg(["min", "max"])
    out = []
    for row in res.actions.itertuples(index=False):
        activity = names[row.activity_id]
        if row.kind == "discuss":
            key = row.items[0]
            lo, hi = bounds.loc[(row.activity_id, key)]
            out.append(
                t(
                    "na.act.discuss",
                    lang,
                    criterion=decap(key_label(key, p, lang)),
                    activity=activity,
                    low=fmt_number(lo, 0, lang),
                    high=fmt_number(hi, 0, lang),
                )
            )
            continue
        if row.kind == "register":
            items = source_names(row.items, lang)
        else:
            items = [decap(n) for n in tool_names(row.items, p, lang)]
        out.append(t(f"na.act.{row.kind}", lang, activity=activity, items=join_words(items, lang)))
    return out


def action_table(res: NeedResults, lang: Language) -> TableView:
    """The action plan as a numbered table (also in the workbook)."""
    df = pd.DataFrame({"step": res.actions["step"], "action": action_texts(res, lang)})
    return TableView(
        "Handlingsplan" if lang == "da" else "Action plan",
        df,
        [Column("step", t("na.col.step", lang), "int"), Column("action", t("na.col.action", lang))],
    )


def weights_table(
    params: NeedAssessmentParams, lang: Language, weights: Mapping[str, float] | None = None
) -> TableView:
    """Every criterion and indicator with its kind, weight and share of the total weight."""
    w = dict(weights) if weights is not None else params.weights()
    total = sum(w.values())
    rows = []
    for key, value in w.items():
        judged = key in params.criteria
        rows.append(
            {
                "label": key_label(key, params, lang),
                "kind": t("na.kind.judged" if judged else "na.kind.data", lang),
                "weight": value,
                "share": value / total * 100 if total else np.nan,
                "full_at": np.nan if judged else params.indicators[key].full_at,
            }
        )
    return TableView(
        "Vægte" if lang == "da" else "Weights",
        pd.DataFrame(rows),
        [
            Column("label", t("na.col.criterion", lang)),
            Column("kind", t("na.col.kind", lang)),
            Column("weight", t("na.col.weight", lang), "number", decimals=1),
            Column("share", t("na.col.weight_share", lang), "pct", decimals=0),
            Column("full_at", t("na.col.full_at", lang), "pct", decimals=0),
        ],
    )


def rules_table(params: NeedAssessmentParams, lang: Language) -> TableView:
    """The tool-mapping rules in words."""
    rows = []
    for rule in params.rules.values():
        parts = []
        for c in rule.when:
            label = t("na.fig.score", lang) if c.key == "score" else key_label(c.key, params, lang)
            if c.min is not None:
                parts.append(f"{label} ≥ {fmt_number(c.min, 1, lang)}")
            if c.max is not None:
                parts.append(f"{label} ≤ {fmt_number(c.max, 1, lang)}")
        if rule.otherwise:
            parts.append(t("na.when_otherwise", lang))
        rows.append(
            {
                "rule": rule.name(lang),
                "when": join_words(parts, lang) if parts else t("na.when_always", lang),
                "tools": join_words(tool_names(rule.tools, params, lang), lang),
            }
        )
    return TableView(
        "Regler" if lang == "da" else "Rules",
        pd.DataFrame(rows),
        [
            Column("rule", t("na.col.rule", lang)),
            Column("when", t("na.col.when", lang)),
            Column("tools", t("na.col.tools", lang)),
        ],
    )


def tools_catalogue_table(params: NeedAssessmentParams, lang: Language) -> TableView:
    """The management tools and the data each needs on the activity."""
    rows = [
        {
            "tool": tool.name(lang),
            "data": tool.data(lang),
            "requires": join_words(source_names(list(tool.requires), lang), lang) or None,
        }
        for tool in params.tools.values()
    ]
    return TableView(
        "Værktøjskatalog" if lang == "da" else "Tool catalogue",
        pd.DataFrame(rows),
        [
            Column("tool", t("na.col.tool", lang)),
            Column("data", t("na.col.missing_data", lang)),
            Column("requires", t("na.col.tool_data", lang)),
        ],
    )


# --------------------------------------------------------------------------- charts


def score_bars(
    df: pd.DataFrame,
    *,
    label: str,
    score: str,
    level: str,
    lang: Language,
    low: str | None = None,
    high: str | None = None,
    limits: Mapping[str, float] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Horizontal bars of 1–5 scores in the frame's order, coloured by need level.

    ``low``/``high`` name columns with each row's range (drawn as an error bar); ``limits``
    maps a text key to a vertical reference line (e.g. the high-need limit).
    """
    fig = go.Figure(
        go.Bar(
            y=df[label],
            x=df[score],
            orientation="h",
            marker_color=[LEVEL_COLORS.get(v, figures.COLORS["muted"]) for v in df[level]],
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
            error_x=(
                {
                    "type": "data",
                    "symmetric": False,
                    "array": (df[high] - df[score]).fillna(0).to_numpy(),
                    "arrayminus": (df[score] - df[low]).fillna(0).to_numpy(),
                    "color": figures.COLORS["muted"],
                    "thickness": 1.5,
                    "width": 4,
                }
                if low and high
                else None
            ),
            text=[fmt_number(v, 1, lang) for v in df[score]],
            textposition="inside",
            insidetextanchor="start",
        )
    )
    for key, value in (limits or {}).items():
        fig.add_vline(
            x=value,
            line={
                "color": figures.COLORS["bad"] if key == "na.fig.high" else figures.COLORS["muted"],
                "dash": "dot",
            },
            annotation_text=t(key, lang),
            annotation_position="top",
        )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(title=t("na.fig.score", lang), range=[0, 5.2], dtick=1)
    return figures.style(fig, lang=lang, height=max(240, 80 + 34 * len(df)), title=title)


_LABEL_PLACES = ("top center", "bottom center", "middle right", "middle left")
Box = tuple[float, float, float, float]


def label_positions(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    labels: Sequence[str],
    radii: Sequence[float] | np.ndarray | None = None,
    *,
    px_per_x: float = 190.0,
    px_per_y: float = 67.0,
    char_px: float = 7.0,
    line_px: float = 16.0,
) -> list[str]:
    """Where each bubble's label goes so that labels overlap neither each other nor bubbles.

    Greedy, in screen pixels: labels are placed in the order given; each takes the first of
    above, below, right and left of its bubble whose box is clear of the labels placed before
    it and of every other bubble, and above if none is. ``radii`` are the bubbles' radii in
    pixels; boxes are estimated from the label length (``char_px`` per character, ``line_px``
    per line) and the axis scales (``px_per_x``, ``px_per_y``; the defaults fit the 1–5 axes of
    the report's 460 px chart). Labels near the top of a 1–5 axis start below the bubble.
    """
    n = len(labels)
    r = np.zeros(n) if radii is None else np.asarray(radii, dtype=float)
    cx = np.asarray(x, dtype=float) * px_per_x
    cy = np.asarray(y, dtype=float) * px_per_y
    bubbles_ = [(cx[i] - r[i], cx[i] + r[i], cy[i] - r[i], cy[i] + r[i]) for i in range(n)]
    placed: list[Box] = []
    out: list[str] = []
    for i, text in enumerate(labels):
        w, pad = char_px * len(text), 3.0
        xi, yi, ri = cx[i], cy[i], r[i]
        candidates: dict[str, Box] = {
            "top center": (xi - w / 2, xi + w / 2, yi + ri + pad, yi + ri + pad + line_px),
            "bottom center": (xi - w / 2, xi + w / 2, yi - ri - pad - line_px, yi - ri - pad),
            "middle right": (xi + ri + pad, xi + ri + pad + w, yi - line_px / 2, yi + line_px / 2),
            "middle left": (xi - ri - pad - w, xi - ri - pad, yi - line_px / 2, yi + line_px / 2),
        }
        order = list(_LABEL_PLACES)
        if y[i] >= 4.5:
            order.remove("bottom center")
            order.insert(0, "bottom center")
        obstacles = placed + [b for j, b in enumerate(bubbles_) if j != i]
        chosen = next(
            (place for place in order if not any(_overlaps(candidates[place], o) for o in obstacles)),
            order[0],
        )
        placed.append(candidates[chosen])
        out.append(chosen)
    return out


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def bubbles(
    df: pd.DataFrame,
    *,
    x: str,
    y: str,
    size: str,
    label: str,
    level: str,
    lang: Language,
    x_title: str,
    y_title: str,
    title: str | None = None,
) -> go.Figure:
    """A bubble chart on two 1–5 axes; bubble area proportional to ``size``, colour by level."""
    d = df.dropna(subset=[x, y])
    sizes = d[size].fillna(0).clip(lower=0)
    biggest = float(sizes.max()) if len(sizes) and sizes.max() > 0 else 1.0
    ranked = d.loc[sizes.sort_values(ascending=False, kind="stable").index]  # big bubbles choose first
    radii = np.maximum(30.0 * np.sqrt(sizes[ranked.index] / biggest), 2.5)  # as plotly draws them below
    places = label_positions(
        ranked[x].to_numpy(), ranked[y].to_numpy(), ranked[label].astype(str).tolist(), radii.to_numpy()
    )
    positions = dict(zip(ranked.index, places, strict=True))
    fig = go.Figure()
    for lv in ("high", "medium", "low"):
        part = d[d[level] == lv]
        if part.empty:
            continue
        fig.add_scatter(
            x=part[x],
            y=part[y],
            mode="markers+text",
            name=t(f"na.level.{lv}", lang),
            text=part[label],
            textposition=[positions[i] for i in part.index],
            marker={
                "size": part[size].fillna(0).clip(lower=0),
                "sizemode": "area",
                "sizeref": 2.0 * biggest / (60.0**2),
                "sizemin": 5,
                "color": LEVEL_COLORS[lv],
                "opacity": 0.75,
                "line": {"color": "#ffffff", "width": 1},
            },
            customdata=part[size],
            hovertemplate="%{text}<br>%{x:.1f} · %{y:.1f} · %{customdata:.1f} %<extra></extra>",
        )
    for value, axis in ((3.0, "x"), (3.0, "y")):
        if axis == "x":
            fig.add_vline(x=value, line={"color": "#c9d1d9", "dash": "dot"})
        else:
            fig.add_hline(y=value, line={"color": "#c9d1d9", "dash": "dot"})
    fig.update_xaxes(title=x_title, range=[0.5, 5.5], dtick=1)
    fig.update_yaxes(title=y_title, range=[0.5, 5.6], dtick=1)
    figures.style(fig, lang=lang, height=460, title=title)
    fig.update_layout(legend={"itemsizing": "constant"})
    return fig


def heatmap(
    matrix: pd.DataFrame,
    *,
    row_labels: list[str],
    column_labels: list[str],
    lang: Language,
    title: str | None = None,
    zmin: float = 1.0,
    zmax: float = 5.0,
) -> go.Figure:
    """A heat map of scores (rows × columns) with the values written in the cells."""
    z = matrix.to_numpy(dtype="float64")
    text = [[fmt_number(v, 1, lang) if np.isfinite(v) else "" for v in row] for row in z]
    fig = go.Figure(
        go.Heatmap(
            z=np.where(np.isfinite(z), z, None).tolist(),
            x=column_labels,
            y=row_labels,
            zmin=zmin,
            zmax=zmax,
            colorscale=[
                [0.0, "#f4f6f8"],
                [0.5, figures.COLORS["secondary"]],
                [1.0, figures.COLORS["primary"]],
            ],
            text=text,
            texttemplate="%{text}",
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
            colorbar={"title": {"text": "1–5"}, "thickness": 12},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(side="top", type="category", tickangle=-30)
    return figures.style(fig, lang=lang, height=max(280, 140 + 34 * len(row_labels)), title=title)


def ranking_chart(res: NeedResults, lang: Language) -> go.Figure:
    """Activities by total score with the raters' range and the need limits."""
    df = res.ranked.dropna(subset=["score"])
    return score_bars(
        df,
        label="name",
        score="score",
        level="level",
        lang=lang,
        low="rater_min" if res.forms.n_raters > 1 else None,
        high="rater_max" if res.forms.n_raters > 1 else None,
        limits={"na.fig.medium": res.params.medium_need, "na.fig.high": res.params.high_need},
    )


def profile_frame(res: NeedResults) -> pd.DataFrame:
    """Complexity/risk (mean) and strategic attention per activity, with cost share and level."""
    m = res.scores.matrix
    xs = [k for k in PROFILE_X if k in m]
    df = res.ranked[["activity_id", "name", "level", "cost_share_pct"]].copy()
    ids = df["activity_id"]
    df["x"] = m.loc[ids, xs].mean(axis=1).to_numpy() if xs else np.nan
    df["y"] = m.loc[ids, PROFILE_Y].to_numpy() if PROFILE_Y in m else np.nan
    return df


def has_profile(res: NeedResults) -> bool:
    """True when the bubble chart has something to show (workshop scores on its axes)."""
    df = profile_frame(res)
    return bool(df[["x", "y"]].notna().all(axis=1).any())


def profile_chart(res: NeedResults, lang: Language) -> go.Figure:
    """Bubble chart: complexity/risk × strategic attention, size = share of cost."""
    return bubbles(
        profile_frame(res),
        x="x",
        y="y",
        size="cost_share_pct",
        label="name",
        level="level",
        lang=lang,
        x_title=t("na.fig.x_profile", lang),
        y_title=t("na.fig.y_profile", lang),
    )


def heatmap_chart(res: NeedResults, lang: Language) -> go.Figure:
    """Activity × criterion scores (1–5), activities in rank order, weighted criteria only."""
    ranked = res.ranked
    weights = res.params.weights()
    cols = [k for k in res.scores.matrix.columns if k in weights and weights[k] > 0]
    m = res.scores.matrix.loc[ranked["activity_id"], cols]
    return heatmap(
        m,
        row_labels=list(ranked["name"]),
        column_labels=[key_label(k, res.params, lang) for k in cols],
        lang=lang,
    )


# --------------------------------------------------------------------------- appendix


def definitions() -> list[Definition]:
    """The department report's definitions, in reading order."""
    keys = [
        "need_score",
        "need_judged",
        "need_normalisation",
        "need_spread",
        "need_cost_share",
        "need_hours_share",
        "need_volume",
        "need_volatility",
        "need_budget_deviation",
        "need_goal_shortfall",
        "need_registration",
        "need_tools",
    ]
    return [DEFINITIONS[k] for k in keys]


def centre_definitions() -> list[Definition]:
    """The centre report's definitions."""
    return [DEFINITIONS["need_rollup"], *definitions()]


def appendix_parameters(params: Params) -> dict[str, object]:
    """The parameters the report used (numbers, not the long texts of criteria and tools)."""
    na = params.need_assessment
    out: dict[str, object] = {"language": params.language}
    for name in ("months", "high_need", "medium_need", "disagreement", "top_n"):
        out[f"need_assessment.{name}"] = getattr(na, name)
    for key, c in na.criteria.items():
        out[f"need_assessment.criteria.{key}.weight"] = c.weight
        if c.reverse:
            out[f"need_assessment.criteria.{key}.reverse"] = True
    for key, i in na.indicators.items():
        out[f"need_assessment.indicators.{key}.weight"] = i.weight
        out[f"need_assessment.indicators.{key}.full_at"] = i.full_at
    return out


# --------------------------------------------------------------------------- centre roll-up


AGGREGATE_COLUMNS = (
    "unit_id",
    "period",
    "activity_id",
    "rank",
    "score",
    "judged_score",
    "data_score",
    "spread",
    "n_raters",
    "unit_raters",
    "cost_share_pct",
    "level",
    "in_hours",
    "in_finance",
    "recommended",
    "gap",
)


@define(ROLLUP)
def aggregate_rows(res: NeedResults, period: str) -> pd.DataFrame:
    """One department's agreed aggregate: its ranked activities (no forms, no raters)."""
    df = res.ranked.copy()
    gap = _row_items(res.plan.gap)
    rec = _row_items(res.plan.recommended)
    df["gap"] = df["activity_id"].map(lambda a: ";".join(gap.get(a, ())))
    df["recommended"] = df["activity_id"].map(lambda a: ";".join(rec.get(a, ())))
    df["unit_id"] = res.unit_id
    df["period"] = period
    df["unit_raters"] = res.forms.n_raters
    return df[list(AGGREGATE_COLUMNS)]


def _empty_aggregate() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in AGGREGATE_COLUMNS})


def _centre_departments(units: pd.DataFrame, ids: list[str]) -> list[str]:
    centres = set(units.loc[units["level"] == "centre", "unit_id"])
    out: set[str] = set()
    for uid in ids:
        if uid in centres:
            out |= set(descendants(units, uid))
    return sorted(out)


@register_aggregate(AGGREGATE, notebooks=("need-assessment-centre",))
def need_aggregate(
    source: DataSource, period: str, units: list[str], params_for: Callable[[str], Params]
) -> pd.DataFrame:
    """The need assessments of the departments of every centre in ``units`` (staged once per run).

    Computed only for centres in the run (their roll-up reads it); departments whose data
    failed validation are left out.
    """
    catalogue = source.units()
    failed = set(getattr(source, "meta", {}).get("failed_units", {}))
    rows = []
    for uid in _centre_departments(catalogue, list(units)):
        if uid in failed:
            continue
        res = assess(source, uid, period, params_for(uid).need_assessment)
        rows.append(aggregate_rows(res, period))
    return pd.concat(rows, ignore_index=True) if rows else _empty_aggregate()


@dataclass(frozen=True)
class CentreNeeds:
    """The centre's departments and their agreed aggregates."""

    rows: pd.DataFrame  # the aggregate rows of the centre's departments, with names
    departments: list[str]
    failed: list[str]


def centre_needs(ctx: ReportContext) -> CentreNeeds:
    """The agreed aggregates of ``ctx.unit``'s departments.

    A staged source has them precomputed; a data folder computes them from each department's
    data and forms. A department whose data or forms fail validation is left out (and named).
    """
    units = ctx.source.units()
    depts = descendants(units, ctx.unit.unit_id)
    pre = ctx.source.aggregate(AGGREGATE)
    failed: list[str] = []
    if pre is not None:
        rows = pre[pre["unit_id"].isin(depts) & (pre["period"] == ctx.period)].copy()
        failed = sorted(set(getattr(ctx.source, "meta", {}).get("failed_units", {})) & set(depts))
    else:
        from toolkit.data.hierarchy import ancestors
        from toolkit.data.params import load_params

        parts = []
        for uid in depts:
            params = load_params(ctx.params_dir, uid, ancestors=ancestors(units, uid))
            try:
                res = assess(ctx.source, uid, ctx.period, params.need_assessment)
            except DataValidationError:
                failed.append(uid)
                continue
            parts.append(aggregate_rows(res, ctx.period))
        rows = pd.concat(parts, ignore_index=True) if parts else _empty_aggregate()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    acts = ctx.source.activities().set_index("activity_id")["name"]
    rows["department"] = rows["unit_id"].map(names)
    rows["name"] = rows["activity_id"].map(acts)
    for col in ("score", "judged_score", "data_score", "spread", "cost_share_pct"):
        rows[col] = pd.to_numeric(rows[col], errors="coerce")
    rows = rows.sort_values(["score", "department", "name"], ascending=[False, True, True], kind="stable")
    return CentreNeeds(rows.reset_index(drop=True), depts, failed)


def _split(text: object) -> list[str]:
    return [x for x in str(text).split(";") if x] if isinstance(text, str) else []


def centre_gaps(cn: CentreNeeds) -> pd.DataFrame:
    """How many high-need activities lack each tool (``tool``, ``count``), most common first."""
    high = cn.rows[cn.rows["level"] == "high"]
    tools = [tool for g in high["gap"] for tool in _split(g)]
    counts = pd.Series(tools, dtype="object").value_counts()
    return pd.DataFrame({"tool": counts.index, "count": counts.to_numpy()})


def centre_headline(cn: CentreNeeds, ctx: ReportContext) -> list[str]:
    """3–5 sentences about the centre's needs."""
    lang: Language = ctx.lang
    p = ctx.params.need_assessment
    rows = cn.rows.dropna(subset=["score"])
    if rows.empty:
        return [t("na.centre_none", lang)]
    n_dept = rows["unit_id"].nunique()
    high = rows[rows["level"] == "high"]
    top = rows.iloc[0]
    out = [
        t(
            "na.hl.centre_top",
            lang,
            n=n_dept,
            high=len(high),
            name=top["name"],
            dept=top["department"],
            score=fmt_number(top["score"], 1, lang),
        )
    ]
    gaps = centre_gaps(cn)
    if len(gaps):
        out.append(
            t(
                "na.hl.centre_gap",
                lang,
                tool=decap(tool_names([gaps["tool"].iloc[0]], p, lang)[0]),
                n=int(gaps["count"].iloc[0]),
            )
        )
    missing = high[~(high["in_hours"].astype(bool) & high["in_finance"].astype(bool))]
    if len(missing):
        out.append(t("na.hl.centre_registration", lang, n=len(missing)))
    with_forms = rows.groupby("unit_id")["unit_raters"].max()
    n_forms = int((with_forms > 0).sum())
    key = "na.hl.centre_forms_all" if n_forms == len(with_forms) else "na.hl.centre_forms"
    out.append(t(key, lang, n=n_forms, total=len(with_forms)))
    return out[:5]


def centre_cards(cn: CentreNeeds, ctx: ReportContext) -> list[Card]:
    """The boxes under the centre headline."""
    lang = ctx.lang
    rows = cn.rows.dropna(subset=["score"])
    high = rows[rows["level"] == "high"]
    gaps = centre_gaps(cn)
    with_forms = rows.groupby("unit_id")["unit_raters"].max() if len(rows) else pd.Series(dtype=float)
    missing = high[~(high["in_hours"].astype(bool) & high["in_finance"].astype(bool))]
    return [
        Card(
            t("na.card.departments", lang),
            fmt_number(rows["unit_id"].nunique(), 0, lang),
            t("na.card.departments_detail", lang, n=int((with_forms > 0).sum())),
            "amber" if cn.failed else "neutral",
        ),
        Card(
            t("na.card.high", lang),
            fmt_number(len(high), 0, lang),
            t("na.card.high_detail", lang, limit=fmt_number(ctx.params.need_assessment.high_need, 1, lang)),
            "amber" if len(high) else "green",
        ),
        Card(
            t("na.card.gap", lang),
            fmt_number(int(gaps["count"].sum()) if len(gaps) else 0, 0, lang),
            t("na.card.gap_detail", lang),
        ),
        Card(
            t("na.card.registration", lang),
            fmt_number(len(missing), 0, lang),
            t("na.card.registration_detail", lang),
            "red" if len(missing) else "green",
        ),
    ]


def centre_record_kpis(report: object, cn: CentreNeeds, ctx: ReportContext) -> None:
    """The centre's headline values for the JSON file."""
    from toolkit.report.blocks import Report

    assert isinstance(report, Report)
    lang = ctx.lang
    rows = cn.rows.dropna(subset=["score"])
    high = rows[rows["level"] == "high"]
    report.kpi("departments", t("na.card.departments", lang), float(rows["unit_id"].nunique()), "count")
    report.kpi("high_need_activities", t("na.card.high", lang), float(len(high)), "count")
    report.kpi(
        "top_score", t("na.card.top", lang), float(rows["score"].iloc[0]) if len(rows) else None, "score 1-5"
    )
    gaps = centre_gaps(cn)
    report.kpi(
        "missing_tools_high_need",
        t("na.card.gap", lang),
        float(gaps["count"].sum()) if len(gaps) else 0.0,
        "count",
    )


def centre_note(cn: CentreNeeds, ctx: ReportContext) -> str | None:
    """Departments left out (failed data) or assessed on data only; None when neither."""
    lang = ctx.lang
    units = ctx.source.units()
    names = dict(zip(units["unit_id"], units["name"], strict=True))
    notes = []
    if cn.failed:
        notes.append(t("na.centre_missing", lang, names=join_words([names[u] for u in cn.failed], lang)))
    raters = cn.rows.groupby("unit_id")["unit_raters"].max()
    none = sorted(names[u] for u in raters.index[raters == 0])
    if none:
        notes.append(t("na.centre_no_forms", lang, names=join_words(none, lang)))
    return " ".join(notes) or None


def centre_top_table(cn: CentreNeeds, ctx: ReportContext, n: int = 10) -> TableView:
    """The highest-scoring activities across the departments."""
    lang = ctx.lang
    p = ctx.params.need_assessment
    df = cn.rows.head(n).copy()
    df["level_label"] = df["level"].map(lambda v: t(f"na.level.{v}", lang))
    df["gap_names"] = df["gap"].map(lambda g: _join(tool_names(_split(g), p, lang), lang))
    df["both"] = df["in_hours"].astype(bool) & df["in_finance"].astype(bool)
    return TableView(
        "Største behov" if lang == "da" else "Highest needs",
        df,
        [
            Column("department", t("na.col.department", lang)),
            Column("name", t("na.col.activity", lang)),
            Column("score", t("na.col.score", lang), "number", decimals=1),
            Column("level_label", t("na.col.level", lang)),
            Column("spread", t("na.col.spread", lang), "number", decimals=1),
            Column("cost_share_pct", t("na.col.cost_share", lang), "pct"),
            Column("gap_names", t("na.col.gap", lang)),
            Column("both", t("na.col.both", lang), "bool"),
        ],
    )


def centre_department_table(cn: CentreNeeds, ctx: ReportContext) -> TableView:
    """The top activities of each department."""
    lang = ctx.lang
    p = ctx.params.need_assessment
    df = (
        cn.rows[pd.to_numeric(cn.rows["rank"]) <= p.top_n]
        .sort_values(["department", "rank"], kind="stable")
        .copy()
    )
    df["level_label"] = df["level"].map(lambda v: t(f"na.level.{v}", lang))
    df["recommended_names"] = df["recommended"].map(lambda g: _join(tool_names(_split(g), p, lang), lang))
    return TableView(
        "Top pr. afdeling" if lang == "da" else "Top per department",
        df,
        [
            Column("department", t("na.col.department", lang)),
            Column("rank", t("na.col.rank", lang), "int"),
            Column("name", t("na.col.activity", lang)),
            Column("score", t("na.col.score", lang), "number", decimals=1),
            Column("level_label", t("na.col.level", lang)),
            Column("n_raters", t("na.col.raters", lang), "int"),
            Column("recommended_names", t("na.col.recommended", lang)),
        ],
    )


def centre_gaps_table(cn: CentreNeeds, ctx: ReportContext) -> TableView:
    """Tools missing for high-need activities, by count."""
    lang = ctx.lang
    df = centre_gaps(cn)
    df["tool_name"] = tool_names(list(df["tool"]), ctx.params.need_assessment, lang)
    return TableView(
        "Manglende værktøjer" if lang == "da" else "Missing tools",
        df,
        [Column("tool_name", t("na.col.tool", lang)), Column("count", t("na.col.count", lang), "int")],
    )


def centre_top_chart(cn: CentreNeeds, ctx: ReportContext, n: int = 10) -> go.Figure:
    """The highest-scoring activities across the departments."""
    df = cn.rows.dropna(subset=["score"]).head(n).copy()
    df["label"] = df["name"] + " · " + df["department"]
    p = ctx.params.need_assessment
    return score_bars(
        df,
        label="label",
        score="score",
        level="level",
        lang=ctx.lang,
        limits={"na.fig.medium": p.medium_need, "na.fig.high": p.high_need},
    )


def centre_heatmap_chart(cn: CentreNeeds, ctx: ReportContext) -> go.Figure:
    """Department × activity total scores."""
    rows = cn.rows.dropna(subset=["score"])
    wide = rows.pivot_table(index="department", columns="name", values="score", aggfunc="mean")
    order = wide.max(axis=1).sort_values(ascending=False).index
    cols = wide.max(axis=0).sort_values(ascending=False).index
    wide = wide.loc[order, cols]
    return heatmap(wide, row_labels=list(wide.index), column_labels=list(wide.columns), lang=ctx.lang)


__all__ = ["NeedResults", "assess", "compute", "rerank"]
