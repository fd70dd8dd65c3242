"""Parameters of the shift-planning assessment (section ``shift_assessment``)."""

from __future__ import annotations

from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator

from toolkit.data.params import Params, StrictModel, label, register_section


@register_section(
    "shift_assessment",
    title=("Vurdering af vagtplanlægning", "Shift-planning assessment"),
    reads=("language", "privacy", "kpi.sick_leave_alert_pct"),
)
class ShiftAssessmentParams(StrictModel):
    """Parameters of the shift-planning assessment."""

    statements_file: str = Field(
        "shift_assessment/statements.yaml",
        description="Statement bank of the self-assessment (relative to the parameter folder, or absolute).",
        json_schema_extra=label("Udsagnsbank (fil)", "Statement bank (file)"),
    )
    short_notice_days: int = Field(
        4,
        ge=1,
        le=60,
        description="A shift changed fewer days than this before it starts is a short-notice change.",
        json_schema_extra=label(
            "Kort varsel: ændret færre dage før", "Short notice: changed fewer days before"
        ),
    )
    time_zone: str = Field(
        "Europe/Copenhagen",
        description="Time zone of the roster's clock times (durations and rest follow its daylight-saving switches).",
        json_schema_extra=label(
            "Tidszone for vagtplanens klokkeslæt", "Time zone of the roster's clock times"
        ),
    )
    rest_hours: float = Field(
        11.0,
        gt=0,
        lt=24,
        description="Consecutive hours of rest in every 24 hours.",
        json_schema_extra=label("Hviletid pr. døgn", "Rest in every 24 hours"),
    )
    reduced_rest_hours: float = Field(
        8.0,
        gt=0,
        lt=24,
        description="Shortest rest an agreement may allow.",
        json_schema_extra=label("Korteste nedsatte hviletid", "Shortest reduced rest"),
    )
    reduced_rest_per_month: int = Field(
        10,
        ge=0,
        description="Reduced rests allowed per person a month.",
        json_schema_extra=label(
            "Nedsatte hviletider pr. person pr. måned", "Reduced rests per person a month"
        ),
    )
    reduced_rest_per_year: int = Field(
        45,
        ge=0,
        description="Reduced rests allowed per person a year.",
        json_schema_extra=label("Nedsatte hviletider pr. person pr. år", "Reduced rests per person a year"),
    )
    demand_measure: Literal["auto", "census", "arrivals"] = Field(
        "auto",
        description="Patient demand by hour: census, arrivals, or auto (census where the unit has it).",
        json_schema_extra=label(
            "Patientbehov time for time",
            "Patient demand hour by hour",
            values={
                "auto": (
                    "belægning, hvor enheden har den, ellers ankomster",
                    "census where the unit has it, else arrivals",
                ),
                "census": ("belægning", "census"),
                "arrivals": ("ankomster", "arrivals"),
            },
        ),
    )
    demand_staff_groups: str = Field(
        "Sygeplejersker, SOSU-assistenter, Radiografer, Bioanalytikere",
        description="Staff groups set against patient demand hour by hour, comma-separated (empty: all).",
        json_schema_extra=label(
            "Personalegrupper holdt op mod patientbehovet", "Staff groups set against patient demand"
        ),
    )
    heatmap_months: int = Field(
        3,
        ge=1,
        le=12,
        description="Months behind the hour-of-week heat maps.",
        json_schema_extra=label("Måneder bag varmekortene", "Months behind the heat maps"),
    )
    trend_months: int = Field(
        12,
        ge=3,
        le=36,
        description="Months shown in trend charts.",
        json_schema_extra=label("Måneder i tendensgrafer", "Months in trend charts"),
    )
    high_rating: float = Field(
        4.0,
        ge=1,
        le=5,
        description="A theme rated at least this while its data show a problem is called out.",
        json_schema_extra=label("Høj vurdering fra", "High rating from", unit="points"),
    )
    low_rating: float = Field(
        2.0,
        ge=1,
        le=5,
        description="A theme rated at most this while its data show no problem is called out.",
        json_schema_extra=label("Lav vurdering til", "Low rating up to", unit="points"),
    )
    gap_priority: float = Field(
        1.0,
        ge=0,
        le=4,
        description="A gap (desired − current) from this up is a priority.",
        json_schema_extra=label(
            "Prioriteret forskel (ønsket − nu) fra", "Priority gap (desired − current) from", unit="points"
        ),
    )
    overtime_alert_pct: float = Field(
        5.0,
        ge=0,
        description="Overtime % of planned hours above this is a problem.",
        json_schema_extra=label(
            "Overarbejde af de planlagte timer, problem over", "Overtime of planned hours, a problem above"
        ),
    )
    agency_alert_pct: float = Field(
        5.0,
        ge=0,
        description="Agency share of hours above this % is a problem.",
        json_schema_extra=label(
            "Vikarandel af timerne, problem over", "Agency share of hours, a problem above"
        ),
    )
    short_notice_alert_pct: float = Field(
        10.0,
        ge=0,
        description="Short-notice changes above this % of shifts are a problem.",
        json_schema_extra=label(
            "Vagter ændret med kort varsel, problem over", "Shifts changed at short notice, a problem above"
        ),
    )
    rest_breach_alert_pct: float = Field(
        3.0,
        ge=0,
        description="Rest-time breaches above this % of stretches of work are a problem.",
        json_schema_extra=label(
            "Brud på hviletiden pr. arbejdsperiode, problem over",
            "Rest-time breaches per stretch of work, a problem above",
        ),
    )
    mismatch_alert: float = Field(
        0.2,
        ge=0,
        le=1,
        description="A staffing-demand mismatch index above this is a problem.",
        json_schema_extra=label(
            "Misforhold mellem bemanding og behov (indeks), problem over",
            "Staffing-demand mismatch (index), a problem above",
        ),
    )
    toil_alert_hours_per_fte: float = Field(
        15.0,
        ge=0,
        description="Time off in lieu above this many hours per FTE is a problem.",
        json_schema_extra=label(
            "Afspadsering pr. årsværk, problem over",
            "Time off in lieu per FTE, a problem above",
            unit="hours",
        ),
    )
    registration_alert_pct: float = Field(
        95.0,
        ge=0,
        le=100,
        description="Worked shifts with actual times below this % are a problem.",
        json_schema_extra=label(
            "Vagter med faktiske tider, problem under", "Shifts with actual times, a problem below"
        ),
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as Europe/Copenhagen)") from exc
        return value

    @model_validator(mode="after")
    def _consistent(self) -> ShiftAssessmentParams:
        if self.reduced_rest_hours > self.rest_hours:
            raise ValueError(
                f"reduced_rest_hours ({self.reduced_rest_hours}) must not be above rest_hours ({self.rest_hours})"
            )
        if self.low_rating >= self.high_rating:
            raise ValueError(f"low_rating ({self.low_rating}) must be below high_rating ({self.high_rating})")
        return self


def settings(params: Params) -> ShiftAssessmentParams:
    """The unit's shift-planning parameters (section ``shift_assessment``), typed."""
    return params.section("shift_assessment", ShiftAssessmentParams)
