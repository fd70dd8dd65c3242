"""What every report embeds: the style sheet and the plotly.js bundle (read once).

The bundle is the reports' own partial build of plotly.js (``plotly/plotly.min.js``): the
version the Python plotly package ships, with only the trace types the reports draw, and with
plotly's service addresses emptied. ``plotly/manifest.json`` records its versions, trace types
and checksum; ``make plotly-bundle`` rebuilds both (``plotly/build/``), and
``tests/test_plotly_bundle.py`` checks them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "toolkit_report"
PLOTLY_DIR = Path(__file__).parent / "plotly"


@cache
def plotly_manifest() -> dict[str, Any]:
    """What the embedded bundle is: file, sha256, plotly.js and esbuild versions, trace types."""
    manifest: dict[str, Any] = json.loads((PLOTLY_DIR / "manifest.json").read_text(encoding="utf-8"))
    return manifest


@cache
def plotly_js() -> str:
    """The reports' plotly.js bundle (read once)."""
    return (PLOTLY_DIR / plotly_manifest()["file"]).read_text(encoding="utf-8")


@cache
def report_css() -> str:
    """The report style sheet."""
    return (TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8")


#: The tool bar's and chart messages' Danish wording (plotly.js ships only English).
PLOTLY_DANISH = {
    "Download plot as a PNG": "Gem diagrammet som billede (PNG)",
    "Download plot": "Gem diagrammet som billede",
    "Reset axes": "Nulstil akserne",
    "Preparing image - this may take a few seconds": "Gemmer billedet – det kan tage et par sekunder",
    "Image download succeeded": "Billedet er gemt",
    "Sorry, there was a problem downloading your image!": "Billedet kunne ikke gemmes.",
    "Double-click to zoom back out": "Dobbeltklik for at zoome ud igen",
}


def plotly_locale_js() -> str:
    """A script that registers the Danish locale (``locale: "da"`` in every chart's configuration)."""
    return (
        "if(window.Plotly){Plotly.register({moduleType:'locale',name:'da',dictionary:"
        + json.dumps(PLOTLY_DANISH, ensure_ascii=True)
        + ",format:{decimal:',',thousands:'.'}});}"
    )
