"""Parameters of the unit-cost analysis (section ``unit_cost``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from toolkit.data.params import Params, StrictModel, label, register_section

ResourceKind = Literal["staff", "room", "equipment"]


def _default_shares() -> dict[ResourceKind, float]:
    return {"staff": 0.8, "room": 0.85, "equipment": 0.85}


@register_section("unit_cost", title=("Enhedsomkostninger", "Unit costs"), reads=("language", "privacy"))
class UnitCostParams(StrictModel):
    """Parameters of the unit-cost report (set them for the hospital so every report agrees)."""

    method: Literal["step_down", "direct", "reciprocal"] = Field(
        "step_down",
        description="Allocation of intermediate cost centres (the others are shown as sensitivity).",
        json_schema_extra=label("Fordelingsmetode", "Allocation method", values="method"),
    )
    step_order: tuple[str, ...] = Field(
        (),
        description="Step-down order of intermediate cost centres (empty: most centres served first).",
        json_schema_extra=label("Rækkefølge i trinvis fordeling", "Step-down order"),
    )
    practical_share: dict[ResourceKind, float] = Field(
        default_factory=_default_shares,
        description="Practical capacity as a share of theoretical time, by resource kind.",
        json_schema_extra=label(
            "Praktisk kapacitet, andel af den teoretiske tid",
            "Practical capacity, share of theoretical time",
            unit="share",
            values={
                "staff": ("personale", "staff"),
                "room": ("lokaler", "rooms"),
                "equipment": ("udstyr", "equipment"),
            },
        ),
    )
    bed_day_activity: str = Field(
        "SENG",
        description="The activity a bed-day is (contacts' length of stay).",
        json_schema_extra=label("Aktiviteten, der er en sengedag", "The activity that is a bed-day"),
    )
    small_group_contacts: int = Field(
        30,
        ge=1,
        description="DRG groups with fewer contacts are marked small.",
        json_schema_extra=label(
            "Lille DRG-gruppe: færre kontakter end", "Small DRG group: fewer contacts than", unit="contacts"
        ),
    )
    sensitivity_shares: tuple[float, ...] = Field(
        (0.7, 0.8, 0.9, 1.0),
        description="Practical shares tried in the sensitivity analysis.",
        json_schema_extra=label(
            "Praktiske andele i følsomhedsanalysen",
            "Practical shares in the sensitivity analysis",
            unit="share",
        ),
    )
    top_groups: int = Field(
        12,
        ge=3,
        le=40,
        description="DRG groups shown in the charts (largest cost first).",
        json_schema_extra=label("DRG-grupper i graferne", "DRG groups in the charts"),
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


def settings(params: Params) -> UnitCostParams:
    """The typed ``unit_cost`` section of ``params``."""
    return params.section("unit_cost", UnitCostParams)
