"""Parameters of the delivery step (section ``delivery``): how ``toolkit send`` writes its mails.

The model lives in the data layer, beside the ``recipients`` table, so that every process that
loads parameters knows the section (a report's kernel as well as ``toolkit send``);
:mod:`toolkit.delivery.params` is where the delivery code reads it. The SMTP server and its
credentials are never parameters: they come from the environment (see the README).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from toolkit.data.params import StrictModel, label, register_section


@register_section("delivery", title=("Udsendelse", "Delivery"))
class DeliveryParams(StrictModel):
    """Delivery of the reports by mail (toolkit send) and to the intranet (toolkit publish)."""

    mode: Literal["attachments", "links"] = Field(
        "attachments",
        description="Reports as attachments, or as links under intranet_url.",
        json_schema_extra=label(
            "Rapporter sendes som",
            "Reports are sent as",
            values={"attachments": ("vedhæftede filer", "attachments"), "links": ("links", "links")},
        ),
    )
    intranet_url: str = Field(
        "",
        description="Base URL of the folder toolkit publish writes (empty: no links); reports are linked as URL/<period>/...",
        json_schema_extra=label("Intranettets adresse", "Intranet address"),
    )
    sender_name: str = Field(
        "Ledelsesinformation",
        description="The sender's name shown in the mail.",
        json_schema_extra=label("Afsenderens navn", "Sender's name"),
    )
    subject_da: str = Field(
        "Ledelsesinformation for {month}",
        description="Subject of a Danish mail ({month}, {period}).",
        json_schema_extra=label("Emne, dansk mail", "Subject, Danish mail"),
    )
    subject_en: str = Field(
        "Management information for {month}",
        description="Subject of an English mail ({month}, {period}).",
        json_schema_extra=label("Emne, engelsk mail", "Subject, English mail"),
    )
    max_message_mb: float = Field(
        25.0,
        gt=0,
        description="Attachments beyond this size (MB) are sent as links when intranet_url is set, else the mail fails.",
        json_schema_extra=label("Største mail", "Largest mail"),
    )

    @field_validator("intranet_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http://)")
        return value.rstrip("/")

    @field_validator("subject_da", "subject_en")
    @classmethod
    def _template(cls, value: str) -> str:
        try:
            value.format(month="m", period="p")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(f"may use only {{month}} and {{period}} ({exc})") from None
        return value
