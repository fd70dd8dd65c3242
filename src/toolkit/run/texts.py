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
    }
)
