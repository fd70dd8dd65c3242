"""Typed report parameters: YAML defaults plus per-unit overrides, validated on load.

Files in a parameter folder (``params/``):

``defaults.yaml``
    every parameter with its default;
``units/<unit_id>.yaml``
    overrides for a unit. Overrides are inherited down the hierarchy: a centre's file applies
    to its departments, and a department's own file wins.

An unknown key or a wrong type is an error that names the file and the key (papermill only
warns on an unknown notebook parameter, so the runner relies on this check).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import to_jsonable_python

from toolkit.errors import ParameterError
from toolkit.needs_params import NeedAssessmentParams

UNIT_ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
DEFAULTS_FILE = "defaults.yaml"
UNITS_DIR = "units"


def check_unit_id(unit_id: object) -> str:
    """Return ``unit_id`` if it is safe to use in a path (letters, digits, ``-``, ``_``).

    Raises
    ------
    ParameterError
        For anything else, e.g. ``"../x"``.
    """
    if not isinstance(unit_id, str) or not UNIT_ID_RE.match(unit_id):
        raise ParameterError(f"unit id must consist of letters, digits, '-' and '_'; got {unit_id!r}")
    return unit_id


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoalThresholds(_Strict):
    """Goal status by achievement (actual/target; target/actual when lower is better)."""

    green: float = Field(1.0, gt=0, description="Achievement at or above this is green.")
    amber: float = Field(0.9, gt=0, description="At or above this (below green) is amber; else red.")

    @model_validator(mode="after")
    def _ordered(self) -> GoalThresholds:
        if self.amber > self.green:
            raise ValueError(f"amber ({self.amber}) must not be above green ({self.green})")
        return self


class PrivacyParams(_Strict):
    """Disclosure control for person-based figures."""

    min_group_size: int = Field(
        5, ge=5, description="HR figures of groups with fewer persons are suppressed (at least 5)."
    )


class KPIParams(_Strict):
    """Parameters of the management-information KPI report."""

    trend_months: int = Field(13, ge=3, le=36, description="Months shown in trend charts.")
    forecast_method: Literal["remaining_budget", "run_rate", "seasonal"] = Field(
        "remaining_budget", description="How the year-end forecast is made (see the appendix)."
    )
    materiality_pct: float = Field(
        2.0, ge=0, description="A budget deviation above this % (and the kr. limit) needs an explanation."
    )
    materiality_kr: float = Field(
        100_000, ge=0, description="A budget deviation above this amount (and the %) needs an explanation."
    )
    goal_thresholds: GoalThresholds = GoalThresholds()
    sick_leave_alert_pct: float = Field(
        5.5, ge=0, description="Sick-leave % above this is called out in the headline."
    )


class UnitCostParams(_Strict):
    """Parameters of the unit-cost report (set them for the hospital so every report agrees)."""

    method: Literal["step_down", "direct", "reciprocal"] = Field(
        "step_down",
        description="Allocation of intermediate cost centres (the others are shown as sensitivity).",
    )
    step_order: tuple[str, ...] = Field(
        (), description="Step-down order of intermediate cost centres (empty: most centres served first)."
    )
    practical_share: dict[Literal["staff", "room", "equipment"], float] = Field(
        default_factory=lambda: {"staff": 0.8, "room": 0.85, "equipment": 0.85},
        description="Practical capacity as a share of theoretical time, by resource kind.",
    )
    bed_day_activity: str = Field("SENG", description="The activity a bed-day is (contacts' length of stay).")
    small_group_contacts: int = Field(
        30, ge=1, description="DRG groups with fewer contacts are marked small."
    )
    sensitivity_shares: tuple[float, ...] = Field(
        (0.7, 0.8, 0.9, 1.0), description="Practical shares tried in the sensitivity analysis."
    )
    top_groups: int = Field(
        12, ge=3, le=40, description="DRG groups shown in the charts (largest cost first)."
    )

    @model_validator(mode="after")
    def _shares(self) -> UnitCostParams:
        for name, value in [
            *self.practical_share.items(),
            *(("sensitivity", v) for v in self.sensitivity_shares),
        ]:
            if not 0 < value <= 1:
                raise ValueError(f"practical share {name} must be above 0 and at most 1; got {value}")
        missing = {"staff", "room", "equipment"} - set(self.practical_share)
        if missing:
            raise ValueError(
                f"practical_share needs every resource kind; missing {', '.join(sorted(missing))}"
            )
        return self


class ShiftAssessmentParams(_Strict):
    """Parameters of the shift-planning assessment."""

    statements_file: str = Field(
        "shift_assessment/statements.yaml",
        description="Statement bank of the self-assessment (relative to the parameter folder, or absolute).",
    )
    short_notice_days: int = Field(
        4,
        ge=1,
        le=60,
        description="A shift changed fewer days than this before it starts is a short-notice change.",
    )
    rest_hours: float = Field(11.0, gt=0, lt=24, description="Consecutive hours of rest in every 24 hours.")
    reduced_rest_hours: float = Field(8.0, gt=0, lt=24, description="Shortest rest an agreement may allow.")
    reduced_rest_per_month: int = Field(10, ge=0, description="Reduced rests allowed per person a month.")
    reduced_rest_per_year: int = Field(45, ge=0, description="Reduced rests allowed per person a year.")
    demand_measure: Literal["auto", "census", "arrivals"] = Field(
        "auto",
        description="Patient demand by hour: census, arrivals, or auto (census where the unit has it).",
    )
    demand_staff_groups: str = Field(
        "Sygeplejersker, SOSU-assistenter, Radiografer, Bioanalytikere",
        description="Staff groups set against patient demand hour by hour, comma-separated (empty: all).",
    )
    heatmap_months: int = Field(3, ge=1, le=12, description="Months behind the hour-of-week heat maps.")
    trend_months: int = Field(12, ge=3, le=36, description="Months shown in trend charts.")
    high_rating: float = Field(
        4.0,
        ge=1,
        le=5,
        description="A theme rated at least this while its data show a problem is called out.",
    )
    low_rating: float = Field(
        2.0,
        ge=1,
        le=5,
        description="A theme rated at most this while its data show no problem is called out.",
    )
    gap_priority: float = Field(
        1.0, ge=0, le=4, description="A gap (desired − current) from this up is a priority."
    )
    overtime_alert_pct: float = Field(
        5.0, ge=0, description="Overtime % of planned hours above this is a problem."
    )
    agency_alert_pct: float = Field(5.0, ge=0, description="Agency share of hours above this % is a problem.")
    short_notice_alert_pct: float = Field(
        10.0, ge=0, description="Short-notice changes above this % of shifts are a problem."
    )
    rest_breach_alert_pct: float = Field(
        3.0, ge=0, description="Rest-time breaches above this % of stretches of work are a problem."
    )
    mismatch_alert: float = Field(
        0.2, ge=0, le=1, description="A staffing-demand mismatch index above this is a problem."
    )
    toil_alert_hours_per_fte: float = Field(
        15.0, ge=0, description="Time off in lieu above this many hours per FTE is a problem."
    )
    registration_alert_pct: float = Field(
        95.0, ge=0, le=100, description="Worked shifts with actual times below this % are a problem."
    )

    @model_validator(mode="after")
    def _consistent(self) -> ShiftAssessmentParams:
        if self.reduced_rest_hours > self.rest_hours:
            raise ValueError(
                f"reduced_rest_hours ({self.reduced_rest_hours}) must not be above rest_hours ({self.rest_hours})"
            )
        if self.low_rating >= self.high_rating:
            raise ValueError(f"low_rating ({self.low_rating}) must be below high_rating ({self.high_rating})")
        return self


class Params(_Strict):
    """All parameters of a unit's reports."""

    language: Literal["da", "en"] = Field("da", description="Report language.")
    history_months: int = Field(
        25, ge=13, le=60, description="Months of history loaded (at least 13, for last year)."
    )
    privacy: PrivacyParams = PrivacyParams()
    kpi: KPIParams = KPIParams()
    need_assessment: NeedAssessmentParams = NeedAssessmentParams()
    unit_cost: UnitCostParams = UnitCostParams()
    shift_assessment: ShiftAssessmentParams = ShiftAssessmentParams()


def _deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML ({exc})") from None
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ParameterError(f"{path}: must hold a mapping of parameter names to values")
    return content


def _explain(exc: ValidationError, source: str) -> ParameterError:
    lines = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            lines.append(f"{source}: unknown parameter '{loc}'")
        else:
            got = err.get("input")
            lines.append(f"{source}: '{loc}' {err['msg'].lower()}; got {got!r}")
    return ParameterError("\n".join(lines))


def load_params(
    params_dir: str | Path,
    unit_id: str | None = None,
    *,
    ancestors: Sequence[str] = (),
    overrides: Mapping[str, Any] | None = None,
) -> Params:
    """Load the parameters for ``unit_id``.

    Parameters
    ----------
    params_dir
        The parameter folder.
    unit_id
        The unit; its file (if any) is applied last.
    ancestors
        The unit's ancestors, top first (hospital, centre); their files are applied in order.
    overrides
        Values given at run time (e.g. ``{"language": "en"}``); ``None`` values are ignored.

    Raises
    ------
    ParameterError
        On an unknown key, a wrong type, an unsafe unit id or unreadable YAML.
    """
    root = Path(params_dir)
    defaults_path = root / DEFAULTS_FILE
    if not defaults_path.is_file():
        raise ParameterError(f"parameter file {defaults_path} is missing")
    merged = _read_yaml(defaults_path)
    _validate(merged, str(defaults_path))
    chain = [*ancestors, unit_id] if unit_id else list(ancestors)
    for uid in chain:
        path = root / UNITS_DIR / f"{check_unit_id(uid)}.yaml"
        if path.is_file():
            merged = _deep_merge(merged, _read_yaml(path))
            _validate(merged, str(path))
    if overrides:
        given = {k: v for k, v in overrides.items() if v is not None}
        merged = _deep_merge(merged, given)
        return _validate(merged, "run-time parameters")
    return _validate(merged, str(defaults_path) if not chain else "parameters")


def _validate(values: Mapping[str, Any], source: str) -> Params:
    try:
        return Params.model_validate(values)
    except ValidationError as exc:
        raise _explain(exc, source) from None


def defaults_yaml() -> str:
    """The default parameters as commented YAML (``params/defaults.yaml`` is written from it)."""

    def emit(model: type[BaseModel], indent: int) -> list[str]:
        lines = []
        for name, field in model.model_fields.items():
            pad = "  " * indent
            annotation = field.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                if field.description or annotation.__doc__:
                    lines.append(f"{pad}# {(field.description or annotation.__doc__ or '').strip()}")
                lines.append(f"{pad}{name}:")
                lines += emit(annotation, indent + 1)
            else:
                if field.description:
                    lines.append(f"{pad}# {field.description}")
                value = to_jsonable_python(field.get_default(call_default_factory=True))
                if isinstance(value, dict | list) and value:
                    # A mapping or list (e.g. criteria, rules) as an indented YAML block.
                    block = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000)
                    lines.append(f"{pad}{name}:")
                    lines += [f"{pad}  {line}" for line in block.rstrip().splitlines()]
                else:
                    lines.append(f"{pad}{name}: {yaml.safe_dump(value).strip().removesuffix('...').strip()}")
        return lines

    return "\n".join(emit(Params, 0)) + "\n"
