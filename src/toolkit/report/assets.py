"""What every report embeds: the style sheet and the plotly.js bundle (read once)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import plotly

TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE = "toolkit_report"


@cache
def plotly_js() -> str:
    """The plotly.js bundle shipped with the plotly package (read once)."""
    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    return path.read_text(encoding="utf-8")


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
