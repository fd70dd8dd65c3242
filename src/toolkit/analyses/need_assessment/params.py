"""Parameters of the need assessment (afdækning af styringsbehov), an institution's to replace.

The section ``need_assessment`` of the parameter files (``params/defaults.yaml`` and the
per-unit overrides) holds the judged criteria of the workshop, the weighted objective
indicators, the management tools and the rules that map scores to tools. Everything is
validated on load (unknown keys rejected, rules checked against the criteria and tools), so
a typo in an institution's own criteria stops the run with a message naming the key.

A per-unit override changes only what it names, e.g. ``need_assessment: {criteria:
{strategic: {weight: 2}}}`` in ``params/units/FS-ORT.yaml`` doubles one weight for that unit.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, model_validator

from toolkit.data.params import Params, StrictModel, label, register_section

#: Objective indicators that can be weighted (computed by :mod:`.indicators`).
INDICATORS = ("cost_share", "hours_share", "volatility", "budget_deviation", "goal_shortfall")
#: Data sources a management tool may need registered on the activity.
DATA_SOURCES = ("hours", "finance", "volume", "goals", "activity_budget")
#: The total score, usable in tool-mapping conditions.
SCORE_KEY = "score"
_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+$")

DataSourceName = Literal["hours", "finance", "volume", "goals", "activity_budget"]


class NeedCriterion(StrictModel):
    """A judged criterion of the workshop, scored 1–5 by each rater."""

    name_da: str = Field(min_length=1, json_schema_extra=label("Navn, dansk", "Name, Danish"))
    name_en: str = Field(min_length=1, json_schema_extra=label("Navn, engelsk", "Name, English"))
    question_da: str = Field("", json_schema_extra=label("Spørgsmål, dansk", "Question, Danish"))
    question_en: str = Field("", json_schema_extra=label("Spørgsmål, engelsk", "Question, English"))
    weight: float = Field(1.0, ge=0, json_schema_extra=label("Vægt", "Weight"))
    # True: a high score means less need (6 − score is used)
    reverse: bool = Field(
        False,
        json_schema_extra=label(
            "Omvendt skala (høj score er mindre behov)", "Reversed (high score is less need)"
        ),
    )

    def name(self, lang: str) -> str:
        """The criterion's name in ``lang``."""
        return self.name_da if lang == "da" else self.name_en

    def question(self, lang: str) -> str:
        """The question raters answer, in ``lang``."""
        return self.question_da if lang == "da" else self.question_en


class NeedIndicator(StrictModel):
    """An objective indicator: its weight and the value at which its normalised score reaches 5."""

    weight: float = Field(1.0, ge=0, json_schema_extra=label("Vægt", "Weight"))
    full_at: float = Field(gt=0, json_schema_extra=label("Score 5 ved", "Score 5 at", unit="pct"))


class NeedTool(StrictModel):
    """A management tool that the rules can recommend, and the data it needs on the activity."""

    name_da: str = Field(min_length=1, json_schema_extra=label("Navn, dansk", "Name, Danish"))
    name_en: str = Field(min_length=1, json_schema_extra=label("Navn, engelsk", "Name, English"))
    data_da: str = Field("", json_schema_extra=label("Data, dansk", "Data, Danish"))
    data_en: str = Field("", json_schema_extra=label("Data, engelsk", "Data, English"))
    requires: list[DataSourceName] = Field([], json_schema_extra=label("Kræver", "Requires", values="src"))
    # a light tool is never suggested for simplification
    light: bool = Field(False, json_schema_extra=label("Let værktøj", "Light tool"))

    def name(self, lang: str) -> str:
        """The tool's name in ``lang``."""
        return self.name_da if lang == "da" else self.name_en

    def data(self, lang: str) -> str:
        """The data the tool needs, in ``lang``."""
        return self.data_da if lang == "da" else self.data_en


class NeedCondition(StrictModel):
    """``key`` (a criterion, an indicator or ``score``) at least ``min`` and at most ``max`` (1–5 scale)."""

    key: str = Field(
        json_schema_extra=label(
            "Kriterium, indikator eller score",
            "Criterion, indicator or score",
            values={"score": ("samlet score", "overall score")},
            refs=("criteria", "indicators"),
        )
    )
    min: float | None = Field(None, ge=1, le=5, json_schema_extra=label("Mindst", "At least", unit="points"))
    max: float | None = Field(None, ge=1, le=5, json_schema_extra=label("Højst", "At most", unit="points"))

    @model_validator(mode="after")
    def _bounded(self) -> NeedCondition:
        if self.min is None and self.max is None:
            raise ValueError(f"the condition on {self.key!r} needs min or max")
        return self


class NeedRule(StrictModel):
    """A tool-mapping rule: when every condition holds, the tools are recommended.

    ``otherwise: true`` makes a fallback rule: it applies only when no other rule recommends
    anything for the activity (and its own conditions hold).
    """

    name_da: str = Field(min_length=1, json_schema_extra=label("Navn, dansk", "Name, Danish"))
    name_en: str = Field(min_length=1, json_schema_extra=label("Navn, engelsk", "Name, English"))
    when: list[NeedCondition] = Field([], json_schema_extra=label("Betingelse", "Condition"))
    otherwise: bool = Field(
        False,
        json_schema_extra=label(
            "Kun når ingen anden regel anbefaler noget", "Only when no other rule applies"
        ),
    )
    tools: list[str] = Field(min_length=1, json_schema_extra=label("Værktøjer", "Tools", refs=("tools",)))

    def name(self, lang: str) -> str:
        """The rule's name in ``lang``."""
        return self.name_da if lang == "da" else self.name_en


def _criterion(name_da: str, name_en: str, q_da: str, q_en: str) -> NeedCriterion:
    return NeedCriterion(name_da=name_da, name_en=name_en, question_da=q_da, question_en=q_en)


def _tool(
    name_da: str, name_en: str, data_da: str, data_en: str, requires: list[str], light: bool = False
) -> NeedTool:
    return NeedTool.model_validate(
        {
            "name_da": name_da,
            "name_en": name_en,
            "data_da": data_da,
            "data_en": data_en,
            "requires": requires,
            "light": light,
        }
    )


def _rule(name_da: str, name_en: str, when: list[dict[str, Any]], tools: list[str], **kw: Any) -> NeedRule:
    return NeedRule.model_validate(
        {"name_da": name_da, "name_en": name_en, "when": when, "tools": tools, **kw}
    )


DEFAULT_CRITERIA = {
    "strategic": _criterion(
        "Strategisk og politisk bevågenhed",
        "Strategic and political attention",
        "Hvor meget opmærksomhed får aktiviteten fra direktion, region og politikere, og hvor vigtig er den for strategien?",
        "How much attention does the activity get from the board, the region and politicians, and how important is it to the strategy?",
    ),
    "complexity": _criterion(
        "Kompleksitet",
        "Complexity",
        "Hvor mange faggrupper, trin og afhængigheder indgår, og hvor lidt er opgaven standardiseret?",
        "How many professions, steps and dependencies are involved, and how little is the work standardised?",
    ),
    "risk": _criterion(
        "Risiko og konsekvens af fejl",
        "Risk and consequence of errors",
        "Hvor sandsynlige er fejl, og hvor alvorlige er følgerne for patienter, økonomi og omdømme?",
        "How likely are errors, and how serious are the consequences for patients, finances and reputation?",
    ),
    "controllability": _criterion(
        "Styrbarhed",
        "Controllability",
        "Hvor meget kan ledelsen påvirke aktivitetens omfang, ressourceforbrug og kvalitet?",
        "How much can management influence the activity's volume, resource use and quality?",
    ),
    "data_availability": _criterion(
        "Datatilgængelighed",
        "Data availability",
        "Hvor gode og rettidige data findes der om aktiviteten i dag (aktivitet, tid, økonomi, kvalitet)?",
        "How good and timely are the data on the activity today (volume, time, finance, quality)?",
    ),
}

DEFAULT_INDICATORS = {
    "cost_share": NeedIndicator(full_at=40.0),
    "hours_share": NeedIndicator(full_at=40.0),
    "volatility": NeedIndicator(full_at=25.0),
    "budget_deviation": NeedIndicator(full_at=10.0),
    "goal_shortfall": NeedIndicator(full_at=20.0),
}

DEFAULT_TOOLS = {
    "periodised_budget": _tool(
        "Periodiseret budget",
        "Periodised budget",
        "Budget og forbrug pr. måned konteret på aktiviteten",
        "Monthly budget and actual booked on the activity",
        ["finance", "activity_budget"],
    ),
    "variance_explanation": _tool(
        "Afvigelsesforklaringer",
        "Variance explanations",
        "Månedlig opfølgning på budgetafvigelser med forklaring",
        "Monthly follow-up of budget deviations with an explanation",
        ["finance", "activity_budget"],
    ),
    "unit_cost": _tool(
        "Enhedsomkostninger",
        "Unit costs",
        "Aktivitet, timer og omkostninger på aktiviteten",
        "Volume, hours and costs on the activity",
        ["volume", "hours", "finance"],
    ),
    "productivity": _tool(
        "Produktivitetsopfølgning",
        "Productivity follow-up",
        "Aktivitet og timer på aktiviteten",
        "Volume and hours on the activity",
        ["volume", "hours"],
    ),
    "time_registration": _tool(
        "Tidsregistrering på aktiviteten",
        "Time registration on the activity",
        "Registrerede timer på aktiviteten",
        "Hours registered on the activity",
        ["hours"],
        light=True,
    ),
    "goals_kpis": _tool(
        "Mål og nøgletal i mål- og resultatplanen",
        "Goals and KPIs in the performance plan",
        "Mål med målværdi og resultat knyttet til aktiviteten",
        "Goals with target and actual linked to the activity",
        ["goals"],
    ),
    "risk_control": _tool(
        "Risikostyring og intern kontrol",
        "Risk management and internal control",
        "Hændelser, kontroller og opfølgning (uden for datamodellen)",
        "Incidents, controls and follow-up (outside the data model)",
        [],
    ),
    "board_management": _tool(
        "Tavlestyring",
        "Board-based operations management",
        "Daglig aktivitet og bemanding",
        "Daily volume and staffing",
        ["volume"],
    ),
    "annual_review": _tool(
        "Let årlig gennemgang",
        "Light annual review",
        "Årlige nøgletal",
        "Annual key figures",
        [],
        light=True,
    ),
}

DEFAULT_RULES = {
    "economic_weight": _rule(
        "Stor økonomisk vægt",
        "High economic weight",
        [{"key": "cost_share", "min": 3.5}],
        ["periodised_budget", "variance_explanation"],
    ),
    "budget_deviation": _rule(
        "Stor budgetafvigelse",
        "Large budget deviation",
        [{"key": "budget_deviation", "min": 3.5}],
        ["variance_explanation"],
    ),
    "volume_standardised": _rule(
        "Stor volumen og standardiseret opgave",
        "High volume and standardised work",
        [{"key": "hours_share", "min": 3.0}, {"key": "complexity", "max": 3.0}],
        ["unit_cost", "productivity", "time_registration"],
    ),
    "strategic": _rule(
        "Stor strategisk bevågenhed",
        "High strategic attention",
        [{"key": "strategic", "min": 3.5}],
        ["goals_kpis"],
    ),
    "risk": _rule("Høj risiko", "High risk", [{"key": "risk", "min": 3.5}], ["risk_control"]),
    "variation": _rule(
        "Stor variation",
        "High variation",
        [{"key": "volatility", "min": 3.5}],
        ["board_management"],
    ),
    "low": _rule("Lavt på alle kriterier", "Low on every criterion", [], ["annual_review"], otherwise=True),
}


@register_section(
    "need_assessment", title=("Afdækning af styringsbehov", "Need assessment"), reads=("language",)
)
class NeedAssessmentParams(StrictModel):
    """Parameters of the need assessment (afdækning af styringsbehov); replace them with your own."""

    months: int = Field(
        12,
        ge=3,
        le=24,
        description="Months of data behind the objective indicators.",
        json_schema_extra=label(
            "Måneder bag de objektive indikatorer", "Months behind the objective indicators"
        ),
    )
    criteria: dict[str, NeedCriterion] = Field(
        default_factory=lambda: dict(DEFAULT_CRITERIA),
        description="Judged criteria (workshop scores 1–5): names, questions and weights.",
        json_schema_extra=label("Kriterium", "Criterion"),
    )
    indicators: dict[str, NeedIndicator] = Field(
        default_factory=lambda: dict(DEFAULT_INDICATORS),
        description="Objective indicators: weight and the value (%) at which the normalised score reaches 5.",
        json_schema_extra=label("Objektiv indikator", "Objective indicator", values="ind"),
    )
    tools: dict[str, NeedTool] = Field(
        default_factory=lambda: dict(DEFAULT_TOOLS),
        description="Management tools the rules can recommend, with the data each needs on the activity.",
        json_schema_extra=label("Styringsværktøj", "Management tool"),
    )
    rules: dict[str, NeedRule] = Field(
        default_factory=lambda: dict(DEFAULT_RULES),
        description="Tool mapping: when every condition holds (1–5 scale), the tools are recommended.",
        json_schema_extra=label("Regel", "Rule"),
    )
    high_need: float = Field(
        3.5,
        ge=1,
        le=5,
        description="A total score at or above this is a high need.",
        json_schema_extra=label("Højt behov fra score", "High need from score", unit="points"),
    )
    medium_need: float = Field(
        2.5,
        ge=1,
        le=5,
        description="A total score at or above this (below high) is a medium need.",
        json_schema_extra=label("Middel behov fra score", "Medium need from score", unit="points"),
    )
    disagreement: float = Field(
        3.0,
        ge=1,
        le=4,
        description="Raters' scores of one criterion this many points apart or more are called out.",
        json_schema_extra=label("Uenighed mellem bedømmere fra", "Raters' disagreement from", unit="points"),
    )
    top_n: int = Field(
        3,
        ge=1,
        le=20,
        description="Activities per department in the centre roll-up.",
        json_schema_extra=label(
            "Aktiviteter pr. afdeling i centerets overblik", "Activities per department in the centre roll-up"
        ),
    )

    @model_validator(mode="after")
    def _consistent(self) -> NeedAssessmentParams:
        problems = []
        unknown = [k for k in self.indicators if k not in INDICATORS]
        if unknown:
            problems.append(f"unknown indicators {unknown}; known: {list(INDICATORS)}")
        bad = [k for k in self.criteria if not _KEY_RE.match(k) or k in (*INDICATORS, SCORE_KEY)]
        if bad:
            problems.append(
                f"criterion keys {bad} must be letters, digits, - and _, and differ from the indicators and 'score'"
            )
        if not any(w > 0 for w in self.weights().values()):
            problems.append("at least one criterion or indicator needs a weight above 0")
        known = {*self.criteria, *self.indicators, SCORE_KEY}
        for name, rule in self.rules.items():
            problems += [
                f"rule {name!r}: unknown key {c.key!r}; use one of {sorted(known)}"
                for c in rule.when
                if c.key not in known
            ]
            problems += [
                f"rule {name!r}: unknown tool {tool!r}; tools: {list(self.tools)}"
                for tool in rule.tools
                if tool not in self.tools
            ]
        if self.medium_need > self.high_need:
            problems.append(
                f"medium_need ({self.medium_need}) must not be above high_need ({self.high_need})"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def weights(self) -> dict[str, float]:
        """The weight of every criterion and indicator, criteria first."""
        return {
            **{k: c.weight for k, c in self.criteria.items()},
            **{k: i.weight for k, i in self.indicators.items()},
        }


def settings(params: Params) -> NeedAssessmentParams:
    """The ``need_assessment`` section of ``params``, typed (``settings(ctx.params).top_n``)."""
    return params.section("need_assessment", NeedAssessmentParams)
