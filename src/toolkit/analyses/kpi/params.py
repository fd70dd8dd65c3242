"""Parameters of the management-information KPI report (section ``kpi``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from toolkit.data.params import Params, StrictModel, label, register_section


class GoalThresholds(StrictModel):
    """Goal status by achievement (actual/target; target/actual when lower is better)."""

    green: float = Field(
        1.0,
        gt=0,
        description="Achievement at or above this is green.",
        json_schema_extra=label("Grøn fra målopfyldelse", "Green from achievement", unit="share"),
    )
    amber: float = Field(
        0.9,
        gt=0,
        description="At or above this (below green) is amber; else red.",
        json_schema_extra=label("Gul fra målopfyldelse", "Amber from achievement", unit="share"),
    )

    @model_validator(mode="after")
    def _ordered(self) -> GoalThresholds:
        if self.amber > self.green:
            raise ValueError(f"amber ({self.amber}) must not be above green ({self.green})")
        return self


@register_section(
    "kpi",
    title=("Ledelsesinformation", "Management information"),
    reads=("language", "history_months", "privacy"),
)
class KPIParams(StrictModel):
    """Parameters of the management-information KPI report."""

    trend_months: int = Field(
        13,
        ge=3,
        le=36,
        description="Months shown in trend charts.",
        json_schema_extra=label("Måneder i tendensgrafer", "Months in trend charts"),
    )
    forecast_method: Literal["remaining_budget", "run_rate", "seasonal"] = Field(
        "remaining_budget",
        description="How the year-end forecast is made (see the appendix).",
        json_schema_extra=label("Prognosemetode", "Forecast method", values="method"),
    )
    materiality_pct: float = Field(
        2.0,
        ge=0,
        description="A budget deviation above this % (and the kr. limit) needs an explanation.",
        json_schema_extra=label("Væsentlighedsgrænse, procent", "Materiality limit, per cent"),
    )
    materiality_kr: float = Field(
        100_000,
        ge=0,
        description="A budget deviation above this amount (and the %) needs an explanation.",
        json_schema_extra=label("Væsentlighedsgrænse, beløb", "Materiality limit, amount"),
    )
    goal_thresholds: GoalThresholds = Field(
        GoalThresholds(), json_schema_extra=label("Målstatus", "Goal status")
    )
    sick_leave_alert_pct: float = Field(
        5.5,
        ge=0,
        description="Sick-leave % above this is called out in the headline.",
        json_schema_extra=label("Sygefravær, grænse for omtale", "Sick leave, level called out"),
    )


def settings(params: Params) -> KPIParams:
    """The KPI report's parameters (section ``kpi``) of ``params``, typed."""
    return params.section("kpi", KPIParams)
