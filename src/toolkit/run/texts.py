"""The runner's texts (the index page of a run), in the namespace ``run``."""

from __future__ import annotations

from toolkit.core.i18n import Texts

TEXTS = Texts("run")

TEXTS.register(
    {
        "index.title": ("Rapporter for {month}", "Reports for {month}"),
        "index.summary": ("{ok} af {total} rapporter er dannet", "{ok} of {total} reports made"),
        "index.summary_failed": (", {failed} fejlede", ", {failed} failed"),
        "index.unit": ("Enhed", "Unit"),
        "index.open": ("Åbn", "Open"),
        "index.failed": ("fejlet", "failed"),
        "index.made": ("rapporten er dannet", "the report was made"),
        "index.no_report": ("ikke dannet", "not made"),
        "index.no_data": ("ingen data", "no data"),
        "index.as_of": ("data opgjort pr. {date}", "data as of {date}"),
        "index.generated": ("dannet {when}", "made {when}"),
        "index.figures_note": (
            "Tallene er fra enhedens ledelsesinformation for måneden (år til dato og 12 måneder som i "
            "rapporten); om et tal er godt eller skidt, og hvorfor, står i rapporten.",
            "The figures are from the unit's management information for the month (year to date and "
            "12 months as in the report); whether a figure is good or bad, and why, is in the report.",
        ),
        "index.status_note": (
            "✓ betyder, at rapporten er dannet, ⚠ at den ikke kunne dannes (årsagen står ved den) – "
            "ikke noget om enhedens resultater.",
            "✓ means the report was made, ⚠ that it could not be made (the reason is beside it) – "
            "nothing about the unit's results.",
        ),
    }
)
