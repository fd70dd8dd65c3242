"""Texts of the delivery mails and the intranet pages, in Danish and English."""

from __future__ import annotations

from toolkit.core.i18n import Texts

TEXTS = Texts("delivery")

TEXTS.register(
    {
        "greeting": ("Kære {name}", "Dear {name}"),
        "intro": (
            "Her er ledelsesinformationen for {month}.",
            "Here is the management information for {month}.",
        ),
        "attached": ("Rapporten er vedhæftet: {file}", "The report is attached: {file}"),
        "link": ("Læs rapporten: {url}", "Read the report: {url}"),
        "no_headline": ("(rapporten har ingen hovedbudskaber)", "(the report has no key messages)"),
        "missing_head": (
            "Disse rapporter kunne ikke sendes med:",
            "These reports could not be included:",
        ),
        "missing": ("Rapporten blev ikke dannet", "The report was not made"),
        "failed": ("Kørslen af rapporten fejlede", "The report's run failed"),
        "too_large": (
            "Vedhæftningerne ville blive for store; rapporterne er i stedet linket.",
            "The attachments would be too large; the reports are linked instead.",
        ),
        "footer": (
            "Rapporterne er fortrolige og kun til dig. Spørgsmål: svar på denne mail.",
            "The reports are confidential and for you only. Questions: reply to this mail.",
        ),
        "index_title": ("Ledelsesinformation {month}", "Management information {month}"),
        "index_units": ("Enheder", "Units"),
        "index_reports": ("Rapporter", "Reports"),
        "index_up": ("Op", "Up"),
        "index_none": ("Ingen rapporter.", "No reports."),
    }
)
